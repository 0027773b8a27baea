/**
 * Compares a model Table with the table the database has, as reflection reads it, and lists the
 * differences in words: the structural report of the schema round-trip tests, which also checks facts
 * no operation changes (autoincrement). Autogenerate's comparator, which turns the same walk into
 * operations, is `compare/` (one file per object kind). What counts as the same on a dialect (type
 * spellings, defaults, implicit indexes, facts a database does not keep) comes from the dialect's impl,
 * never from a special case here.
 */
import type { Column } from '../../schema/column.js';
import type { ForeignKeyConstraint } from '../../schema/constraints.js';
import type { ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedTable } from '../../schema/reflected.js';
import type { Table } from '../../schema/table.js';
import type { Index } from '../../schema/table-index.js';
import type { DialectImpl } from '../impl/impl.js';
import { compareIdentity, computedDiffers, describeComputed, describeIdentity } from './compare/generated.js';
import { describeIndexOrder } from './compare/indexes.js';
import { compareMysqlColumn } from './compare/mysql-columns.js';

/**
 * The differences between a model table and its reflected counterpart; empty when they agree.
 *
 * @example
 * const reflected = (await engine.reflectSchema()).tables.find((t) => t.name === 'movies')!;
 * compareTable(movies, reflected, implFor(engine.dialect.name));
 * // ['movies.title: type String(100) in the model, String(50) in the database']
 */
export function compareTable(model: Table, reflected: ReflectedTable, impl: DialectImpl): string[] {
  return [
    ...compareTableComment(model, reflected, impl),
    ...compareColumns(model, reflected, impl),
    ...comparePrimaryKey(model, reflected, impl),
    ...compareForeignKeys(model, reflected, impl),
    ...compareUniqueConstraints(model, reflected, impl),
    ...compareIndexes(model, reflected, impl),
    ...compareCheckConstraints(model, reflected, impl),
  ];
}

const show = (value: string | null): string => (value === null ? 'none' : JSON.stringify(value));
const list = (names: readonly string[]): string => `(${names.join(', ')})`;
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The table comment, where the database keeps comments. */
export function compareTableComment(model: Table, reflected: ReflectedTable, impl: DialectImpl): string[] {
  if (!impl.reflects.comments || model.comment === reflected.comment) return [];
  return [`${model.fullName}: table comment ${show(model.comment)} in the model, ${show(reflected.comment)} in the database`];
}

/** Columns by name: missing on either side, or different (see {@link compareColumn}). */
export function compareColumns(model: Table, reflected: ReflectedTable, impl: DialectImpl): string[] {
  const diffs: string[] = [];
  const inDatabase = new Map(reflected.columns.map((c) => [c.name, c]));
  for (const column of model.columns) {
    const found = inDatabase.get(column.name);
    if (found === undefined) diffs.push(`${model.fullName}: column "${column.name}" is in the model, not in the database`);
    else diffs.push(...compareColumn(column, found, impl, reflected));
  }
  const inModel = new Set(model.columns.map((c) => c.name));
  for (const column of reflected.columns) {
    if (!inModel.has(column.name)) diffs.push(`${model.fullName}: column "${column.name}" is in the database, not in the model`);
  }
  return diffs;
}

/**
 * Type, nullability, server default, generated values (autoincrement, identity, computed), comment and
 * MySQL's own clauses (ON UPDATE, collation: these need the reflected table) of one column.
 */
export function compareColumn(column: Column, reflected: ReflectedColumn, impl: DialectImpl, table?: ReflectedTable): string[] {
  const where = `${column.table.fullName}.${column.name}`;
  const diffs: string[] = [];
  if (!impl.columnTypesEquivalent(column, reflected)) {
    diffs.push(`${where}: type ${column.type.toString()} in the model, ${reflected.type.toString()} in the database`);
  }
  if (column.nullable !== reflected.nullable) {
    const spell = (nullable: boolean) => (nullable ? 'nullable' : 'NOT NULL');
    diffs.push(`${where}: ${spell(column.nullable)} in the model, ${spell(reflected.nullable)} in the database`);
  }
  const modelDefault = impl.modelDefault(column);
  if (impl.normalizeDefault(modelDefault) !== impl.normalizeDefault(reflected.default)) {
    diffs.push(`${where}: server default ${modelDefault ?? 'none'} in the model, ${reflected.default ?? 'none'} in the database`);
  }
  const generated = impl.modelAutoincrement(column);
  if (generated !== reflected.autoincrement) {
    const spell = (on: boolean) => (on ? 'autoincrement' : 'not autoincrement');
    diffs.push(`${where}: ${spell(generated)} in the model, ${spell(reflected.autoincrement)} in the database`);
  }
  if (compareIdentity(impl, column, reflected) !== undefined) {
    diffs.push(`${where}: ${describeIdentity(column.options.identity)} in the model, ${describeIdentity(reflected.identity)} in the database`);
  }
  if (computedDiffers(impl, column.options.computed, reflected.computed)) {
    const [mine, theirs] = [describeComputed(impl, column.options.computed), describeComputed(impl, reflected.computed)];
    diffs.push(`${where}: ${mine} in the model, ${theirs} in the database`);
  }
  const comment = column.options.comment ?? null;
  if (impl.reflects.comments && comment !== reflected.comment) {
    diffs.push(`${where}: comment ${show(comment)} in the model, ${show(reflected.comment)} in the database`);
  }
  if (table !== undefined) diffs.push(...compareMysqlColumn(impl, table, column, reflected).changes.map((change) => `${where}: ${change}`));
  return diffs;
}

/** The primary key's columns in order, and its name where the model sets one and the database keeps it. */
export function comparePrimaryKey(model: Table, reflected: ReflectedTable, impl: DialectImpl): string[] {
  const modelKey = model.primaryKey;
  const columns = modelKey?.columns.map((c) => c.name) ?? [];
  const found = reflected.primaryKey?.columns ?? [];
  if (!sameList(columns, found)) {
    const spell = (names: readonly string[]) => (names.length === 0 ? 'none' : list(names));
    return [`${model.fullName}: primary key ${spell(columns)} in the model, ${spell(found)} in the database`];
  }
  const name = modelKey?.name.name ?? null;
  const foundName = reflected.primaryKey?.name ?? null;
  if (impl.reflects.primaryKeyName && name !== null && name !== foundName) {
    return [`${model.fullName}: primary key named ${show(name)} in the model, ${show(foundName)} in the database`];
  }
  return [];
}

/** A foreign key by what it links, which is how the two sides are matched (names may be the database's). */
function describeForeignKey(columns: readonly string[], schema: string | null, table: string, referred: readonly string[]): string {
  return `foreign key ${list(columns)} -> ${schema === null ? '' : `${schema}.`}${table} ${list(referred)}`;
}

function modelForeignKeyKey(fk: ForeignKeyConstraint): string {
  const target = fk.referredTable;
  return describeForeignKey(fk.columns.map((c) => c.name), target.schema, target.name, fk.referredColumns.map((c) => c.name));
}

function reflectedForeignKeyKey(fk: ReflectedForeignKey): string {
  return describeForeignKey(fk.columns, fk.referredSchema, fk.referredTable, fk.referredColumns);
}

/**
 * Foreign keys matched by what they link (columns, referred table and columns), then their actions, name
 * and deferrability where the database keeps them.
 */
export function compareForeignKeys(model: Table, reflected: ReflectedTable, impl: DialectImpl): string[] {
  const diffs: string[] = [];
  const unmatched = [...reflected.foreignKeys];
  for (const fk of model.foreignKeys) {
    const key = modelForeignKeyKey(fk);
    const at = unmatched.findIndex((r) => reflectedForeignKeyKey(r) === key);
    if (at === -1) {
      diffs.push(`${model.fullName}: ${key} is in the model, not in the database`);
      continue;
    }
    const found = unmatched.splice(at, 1)[0]!;
    const facts: [string, string | null, string | null][] = [
      ['ON DELETE', impl.normalizeReferentialAction(fk.onDelete), impl.normalizeReferentialAction(found.onDelete)],
      ['ON UPDATE', impl.normalizeReferentialAction(fk.onUpdate), impl.normalizeReferentialAction(found.onUpdate)],
    ];
    if (fk.name.name !== null) facts.push(['name', fk.name.name, found.name]);
    if (impl.reflects.deferrableForeignKeys) {
      facts.push(['DEFERRABLE', String(fk.deferrable), String(found.deferrable)]);
      facts.push(['INITIALLY', fk.deferrable ? (fk.initially ?? 'IMMEDIATE') : null, found.initially]);
    }
    for (const [fact, mine, theirs] of facts) {
      if (mine !== theirs) diffs.push(`${model.fullName}: ${key}: ${fact} ${mine ?? 'default'} in the model, ${theirs ?? 'default'} in the database`);
    }
  }
  for (const fk of unmatched) diffs.push(`${model.fullName}: ${reflectedForeignKeyKey(fk)} is in the database, not in the model`);
  return diffs;
}

/** A unique index that is the same object as a UNIQUE constraint where the dialect makes it one (MySQL). */
function isConstraintLike(index: Index, impl: DialectImpl): boolean {
  if (!impl.reflects.uniqueIndexesAsConstraints || !index.unique) return false;
  const plainColumns = index.columns.length === index.items.length;
  return plainColumns && Object.keys(index.options.mysqlLength ?? {}).length === 0;
}

/** UNIQUE constraints matched by columns (with MySQL's unique indexes, which are the same object), then their names. */
export function compareUniqueConstraints(model: Table, reflected: ReflectedTable, impl: DialectImpl): string[] {
  const diffs: string[] = [];
  const declared = [
    ...model.uniqueConstraints.map((u) => ({ name: u.name.name, columns: u.columns.map((c) => c.name) })),
    ...model.indexes.filter((ix) => isConstraintLike(ix, impl)).map((ix) => ({ name: ix.name.name, columns: ix.columns.map((c) => c.name) })),
  ];
  const unmatched = [...reflected.uniqueConstraints];
  for (const unique of declared) {
    const at = unmatched.findIndex((r) => sameList(r.columns, unique.columns));
    const what = `unique constraint ${list(unique.columns)}`;
    if (at === -1) {
      diffs.push(`${model.fullName}: ${what} is in the model, not in the database`);
      continue;
    }
    const found = unmatched.splice(at, 1)[0]!;
    if (unique.name !== null && unique.name !== found.name) {
      diffs.push(`${model.fullName}: ${what} named ${show(unique.name)} in the model, ${show(found.name)} in the database`);
    }
  }
  for (const u of unmatched) diffs.push(`${model.fullName}: unique constraint ${list(u.columns)} is in the database, not in the model`);
  return diffs;
}

/** Each item of an index as comparable text: a column's name, or its expression in canonical form. */
function modelItems(index: Index, impl: DialectImpl): string[] {
  return index.items.map((item) => (item.kind === 'Column' ? (item as Column).name : impl.normalizeExpression(impl.renderExpression(item))));
}

function reflectedItems(index: ReflectedIndex, impl: DialectImpl): string[] {
  return index.columns.map((column, i) => column ?? impl.normalizeExpression(index.expressions[i] ?? ''));
}

/** The dialect options of an index, as SQL; only those the dialect keeps are compared. */
interface IndexOptionFacts {
  readonly using: string | undefined;
  readonly where: string | null;
  readonly lengths: Readonly<Record<string, number>> | undefined;
  readonly prefix: string | undefined;
}

function indexOptionFacts(options: IndexOptionFacts, impl: DialectImpl): [string, string][] {
  const kept = impl.reflects.indexOptions;
  const facts: [string, string][] = [];
  if (kept.includes('postgresqlUsing')) facts.push(['USING', (options.using ?? 'btree').toLowerCase()]);
  if (kept.includes('postgresqlWhere')) facts.push(['WHERE', options.where === null ? 'none' : impl.normalizeExpression(options.where)]);
  if (kept.includes('mysqlLength')) {
    const lengths = Object.entries(options.lengths ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    facts.push(['prefix lengths', lengths.length === 0 ? 'none' : lengths.map(([c, n]) => `${c}(${n})`).join(', ')]);
  }
  if (kept.includes('mysqlPrefix')) facts.push(['kind', options.prefix ?? 'BTREE']);
  return facts;
}

/** Indexes by name, leaving out those the database made by itself: items, uniqueness, dialect options. */
export function compareIndexes(model: Table, reflected: ReflectedTable, impl: DialectImpl): string[] {
  const diffs: string[] = [];
  // An index the database made by itself (MySQL's behind a foreign key) is not the model's business.
  const unmatched = reflected.indexes.filter((ix) => !ix.implicit);
  for (const index of model.indexes) {
    if (isConstraintLike(index, impl)) continue;
    const name = index.name.name!;
    const at = unmatched.findIndex((r) => r.name === name);
    if (at === -1) {
      diffs.push(`${model.fullName}: index "${name}" is in the model, not in the database`);
      continue;
    }
    const found = unmatched.splice(at, 1)[0]!;
    const where = `${model.fullName}: index "${name}"`;
    const [items, foundItems] = [modelItems(index, impl), reflectedItems(found, impl)];
    if (!sameList(items, foundItems)) diffs.push(`${where}: items ${list(items)} in the model, ${list(foundItems)} in the database`);
    if (index.unique !== found.unique) {
      const spell = (unique: boolean) => (unique ? 'unique' : 'not unique');
      diffs.push(`${where}: ${spell(index.unique)} in the model, ${spell(found.unique)} in the database`);
    }
    const [order, foundOrder] = [describeIndexOrder(impl, index.options.order), describeIndexOrder(impl, found.order)];
    if (order !== foundOrder) diffs.push(`${where}: order ${order} in the model, ${foundOrder} in the database`);
    const partial = index.options.postgresqlWhere;
    const mine = indexOptionFacts(
      { using: index.options.postgresqlUsing, where: partial === undefined ? null : impl.renderExpression(partial), lengths: index.options.mysqlLength, prefix: index.options.mysqlPrefix },
      impl,
    );
    const theirs = indexOptionFacts({ using: found.postgresqlUsing, where: found.postgresqlWhere ?? null, lengths: found.mysqlLength, prefix: found.mysqlPrefix }, impl);
    mine.forEach(([fact, value], i) => {
      const other = theirs[i]![1];
      if (value !== other) diffs.push(`${where}: ${fact} ${value} in the model, ${other} in the database`);
    });
  }
  for (const ix of unmatched) diffs.push(`${model.fullName}: index "${ix.name}" is in the database, not in the model`);
  return diffs;
}

/** CHECK constraints by name (unnamed ones by condition), then their conditions in canonical form. */
export function compareCheckConstraints(model: Table, reflected: ReflectedTable, impl: DialectImpl): string[] {
  const diffs: string[] = [];
  const unmatched = reflected.checkConstraints.map((c) => ({ name: c.name, sqltext: c.sqltext, text: impl.normalizeExpression(c.sqltext) }));
  for (const check of model.checkConstraints) {
    const sqltext = impl.renderExpression(check.condition);
    const text = impl.normalizeExpression(sqltext);
    const name = check.name.name;
    // Named: matched by name, and the condition compared; unnamed: the condition is all there is to match.
    const at = unmatched.findIndex((r) => (name === null ? r.text === text : r.name === name));
    const what = `check constraint ${name === null ? `(${sqltext})` : show(name)}`;
    if (at === -1) {
      diffs.push(`${model.fullName}: ${what} is in the model, not in the database`);
      continue;
    }
    const found = unmatched.splice(at, 1)[0]!;
    if (found.text !== text) diffs.push(`${model.fullName}: ${what}: condition ${sqltext} in the model, ${found.sqltext} in the database`);
  }
  for (const c of unmatched) {
    diffs.push(`${model.fullName}: check constraint ${c.name === null ? `(${c.sqltext})` : show(c.name)} is in the database, not in the model`);
  }
  return diffs;
}
