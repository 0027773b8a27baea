/**
 * What the declarative models `tsmig pull` writes are made of, decided before any source is written: which
 * tables become model classes (those with a primary key) and which stay plain Tables (association tables
 * and tables without a key), the attribute key of every column, and the relationships the foreign keys
 * imply, with both sides named and linked by `backPopulates`.
 */
import type { ForeignKeyDef, TableDef } from '../operations/table-def.js';
import { type Casing, className, INSTANCE_MEMBERS, joinWords, MODEL_MEMBERS, NameAllocator, plural, words } from './casing.js';

/** One relationship of a model class: a static `relationship()` and its `declare`d field. */
export interface PlannedRelationship {
  readonly key: string;
  /** The related model's class name. */
  readonly target: string;
  /** A collection (`InstrumentedList<Target>`) or one object (`Target | null`). */
  readonly list: boolean;
  readonly backPopulates: string;
  /** The association Table's constant (many-to-many). */
  readonly secondary?: string;
  /** The foreign key columns to join by, as attribute keys of `foreignKeysOf`'s class, when two foreign keys could. */
  readonly foreignKeys?: { readonly model: string; readonly keys: readonly string[] };
  /** Self-referential many-to-one: the referred columns' attribute keys on the same class. */
  readonly remoteSide?: readonly string[];
  /** `uselist: false` on the one side of a one-to-one. */
  readonly uselistFalse?: boolean;
  /** A line for the comment above it, saying why it needs options. */
  readonly comment?: string;
}

/** One table of the models: a class or a plain Table, with its name in the source. */
export interface PlannedEntity {
  readonly def: TableDef;
  readonly kind: 'model' | 'table';
  /** The class name, or the constant's for a Table. */
  readonly name: string;
  /** Column name -> attribute key (a Table keeps the column names). */
  readonly keys: ReadonlyMap<string, string>;
  readonly relationships: PlannedRelationship[];
}

/** The tables in file order, and each model class by table name. */
export interface ModelPlan {
  readonly entities: readonly PlannedEntity[];
}

/**
 * Plans the models of `defs`.
 *
 * @example
 * ```ts
 * planModels(defs, 'camel').entities.find((e) => e.def.name === 'film')!.relationships.map((r) => r.key);
 * // ['language', 'originalLanguage', 'filmActors', 'filmCategories', 'inventories']
 * ```
 */
export function planModels(defs: readonly TableDef[], casing: Casing): ModelPlan {
  const classNames = new NameAllocator(casing, 'Model');
  const tableNames = new NameAllocator(casing, 'Table');
  const hasKey = (def: TableDef) => def.constraints.some((c) => c.kind === 'PrimaryKey' && c.columns.length > 0);
  const modelTables = new Set(defs.filter(hasKey).map((d) => d.name));
  const associations = new Set(defs.filter((d) => isAssociation(d, modelTables)).map((d) => d.name));
  for (const name of associations) modelTables.delete(name);

  const entities = new Map<string, PlannedEntity>();
  const attributeNames = new Map<string, NameAllocator>();
  for (const def of defs) {
    const model = modelTables.has(def.name);
    const keys = new Map<string, string>();
    if (model) {
      const allocator = new NameAllocator(casing, 'Column', INSTANCE_MEMBERS);
      for (const column of def.columns) keys.set(column.name, allocator.allocate(column.name));
      const relationshipNames = new NameAllocator(casing, 'Rel', MODEL_MEMBERS);
      for (const key of keys.values()) relationshipNames.take(key);
      attributeNames.set(def.name, relationshipNames);
    } else for (const column of def.columns) keys.set(column.name, column.name);
    const name = model ? classNames.allocateIdentifier(className(def.name, casing)) : tableNames.allocate(def.name);
    entities.set(def.name, { def, kind: model ? 'model' : 'table', name, keys, relationships: [] });
  }

  for (const def of defs) {
    const child = entities.get(def.name)!;
    if (child.kind === 'model') {
      for (const fk of foreignKeysOf(def)) {
        const parent = entities.get(fk.referredTable);
        if (parent?.kind === 'model') addManyToOne(child, parent, fk, casing, attributeNames);
      }
    } else if (associations.has(def.name)) {
      const [left, right] = foreignKeysOf(def).map((fk) => entities.get(fk.referredTable)!);
      addManyToMany(child, left!, right!, casing, attributeNames);
    }
  }
  return { entities: [...entities.values()] };
}

function foreignKeysOf(def: TableDef): ForeignKeyDef[] {
  return def.constraints.filter((c): c is ForeignKeyDef => c.kind === 'ForeignKey');
}

/**
 * Two foreign keys to two different model tables, their columns all the table's columns, and no other
 * column: rows that only link, mapped as `secondary`. (With more columns it is a model of its own.)
 */
function isAssociation(def: TableDef, modelTables: ReadonlySet<string>): boolean {
  const fks = foreignKeysOf(def);
  if (fks.length !== 2 || fks[0]!.referredTable === fks[1]!.referredTable) return false;
  if (!fks.every((fk) => fk.referredSchema === null && modelTables.has(fk.referredTable) && fk.referredTable !== def.name)) return false;
  const linked = new Set(fks.flatMap((fk) => fk.columns));
  const pk = def.constraints.find((c) => c.kind === 'PrimaryKey');
  return linked.size === def.columns.length && def.columns.every((c) => linked.has(c.name)) && (pk === undefined || pk.columns.length === def.columns.length);
}

/** A foreign key's columns are unique in their table: the other side holds one object, not a list. */
function isOneToOne(def: TableDef, fk: ForeignKeyDef): boolean {
  const same = (cols: readonly string[]) => cols.length === fk.columns.length && cols.every((c) => fk.columns.includes(c));
  return def.constraints.some((c) => (c.kind === 'PrimaryKey' || c.kind === 'Unique') && same(c.columns)) || def.indexes.some((ix) => ix.unique && ix.items.every((i) => typeof i === 'string') && same(ix.items as string[]));
}

/** The words naming what a foreign key points at: its column without the `id` (`original_language_id` -> original, language). */
function pointerWords(fk: ForeignKeyDef, parent: PlannedEntity): string[] {
  if (fk.columns.length === 1) {
    const parts = words(fk.columns[0]!);
    if (parts.length > 1 && parts[parts.length - 1]!.toLowerCase() === 'id') return parts.slice(0, -1);
    if (parts.length > 0) return parts;
  }
  return words(parent.def.name);
}

function addManyToOne(child: PlannedEntity, parent: PlannedEntity, fk: ForeignKeyDef, casing: Casing, names: Map<string, NameAllocator>): void {
  const self = child === parent;
  const ambiguous = foreignKeysOf(child.def).filter((f) => f.referredTable === parent.def.name).length > 1;
  const pointer = pointerWords(fk, parent);
  const childNames = names.get(child.def.name)!;
  const parentNames = names.get(parent.def.name)!;
  // `language_id` -> `language`; where that is a column already (`ReportsTo`), `reportsToEmployee`.
  let forwardName = joinWords(pointer, casing);
  if (!childNames.isFree(forwardName)) forwardName = joinWords([...pointer, ...words(parent.def.name)], casing);
  const forward = childNames.claim(forwardName);
  // `films` on language; `originalLanguageFilms` for the second path, `reportsToEmployees` for a tree.
  const childWords = plural(words(child.def.name));
  const oneToOne = isOneToOne(child.def, fk);
  const backWords = oneToOne ? words(child.def.name) : childWords;
  // The path named after the table itself (`language_id` to language) keeps the plain name.
  const plain = !self && (!ambiguous || joinWords(pointer, 'snake') === joinWords(words(parent.def.name), 'snake'));
  const back = parentNames.claim(joinWords(plain ? backWords : [...pointer, ...backWords], casing));
  const fkKeys = fk.columns.map((c) => child.keys.get(c)!);
  const foreignKeys = ambiguous ? { model: child.name, keys: fkKeys } : undefined;
  const comment = ambiguous
    ? `Several foreign keys lead from ${child.def.name} to ${parent.def.name}: this relationship follows ${fk.columns.join(', ')}.`
    : undefined;
  child.relationships.push({
    key: forward,
    target: parent.name,
    list: false,
    backPopulates: back,
    ...(foreignKeys === undefined ? {} : { foreignKeys }),
    ...(self ? { remoteSide: fk.referredColumns.map((c) => parent.keys.get(c) ?? c) } : {}),
    ...(comment === undefined ? {} : { comment }),
  });
  parent.relationships.push({
    key: back,
    target: child.name,
    list: !oneToOne,
    backPopulates: forward,
    ...(oneToOne ? { uselistFalse: true } : {}),
    ...(foreignKeys === undefined ? {} : { foreignKeys }),
    ...(comment === undefined ? {} : { comment }),
  });
}

function addManyToMany(association: PlannedEntity, left: PlannedEntity, right: PlannedEntity, casing: Casing, names: Map<string, NameAllocator>): void {
  const leftKey = names.get(left.def.name)!.claim(joinWords(plural(words(right.def.name)), casing));
  const rightKey = names.get(right.def.name)!.claim(joinWords(plural(words(left.def.name)), casing));
  left.relationships.push({ key: leftKey, target: right.name, list: true, backPopulates: rightKey, secondary: association.name });
  right.relationships.push({ key: rightKey, target: left.name, list: true, backPopulates: leftKey, secondary: association.name });
}
