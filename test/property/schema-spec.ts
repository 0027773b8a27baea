/**
 * Random schemas and random changes to them, for the autogenerate property test. A schema is plain data
 * (a {@link SchemaSpec}); a change is a small record of numbers that picks what it changes by modulo, so
 * fast-check can shrink a failing sequence to a few readable steps. {@link buildMetadata} turns a spec
 * into models.
 *
 * The changes stay inside what every supported database can do to a table of any content without the
 * user's help: no type change on a column with a default (PostgreSQL cannot cast every default), no
 * change to a foreign key's column but dropping it, no TEXT in an index (MySQL needs a prefix length),
 * no rename of a column a check names.
 */
import fc from 'fast-check';
import { column, type ColumnSpec } from '../../src/schema/column.js';
import { CheckConstraint, ForeignKeyConstraint, UniqueConstraint } from '../../src/schema/constraints.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table, type TableArg } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { false_, true_ } from '../../src/sql/elements/column-element.js';
import { func } from '../../src/sql/elements/functions.js';
import { t } from '../../src/types/index.js';
import type { TypeEngine } from '../../src/types/type-engine.js';

export type TypeSpec =
  | { readonly kind: 'Integer' | 'BigInteger' | 'Text' | 'Boolean' | 'Float' | 'Date' | 'DateTime' }
  | { readonly kind: 'String'; readonly length: number }
  | { readonly kind: 'Numeric'; readonly precision: number; readonly scale: number };

export interface ColumnModel {
  name: string;
  type: TypeSpec;
  nullable: boolean;
  /** A literal value, `'now'` (DateTime), or `'true'`/`'false'` (Boolean); null for none. */
  default: string | null;
  comment: string | null;
  renamedFrom?: string;
}

export interface TableModel {
  name: string;
  comment: string | null;
  renamedFrom?: string;
  /** The first column is always `id`, an integer primary key. */
  columns: ColumnModel[];
  uniques: { name: string | null; columns: string[] }[];
  indexes: { name: string; columns: string[]; unique: boolean }[];
  foreignKeys: { column: string; target: string; onDelete: 'CASCADE' | 'SET NULL' | null }[];
  checks: { name: string; column: string; min: number }[];
}

export interface SchemaSpec {
  tables: TableModel[];
  /** The next number for a fresh name. */
  next: number;
}

export const EMPTY_SCHEMA: SchemaSpec = { tables: [], next: 0 };

/** One change: its kind and numbers that pick tables, columns and values by modulo. */
export interface Change {
  readonly kind: ChangeKind;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

export const CHANGE_KINDS = [
  'addTable',
  'dropTable',
  'renameTable',
  'addColumn',
  'dropColumn',
  'renameColumn',
  'changeType',
  'toggleNullable',
  'setDefault',
  'dropDefault',
  'addIndex',
  'dropIndex',
  'addUnique',
  'dropUnique',
  'addForeignKey',
  'dropForeignKey',
  'changeOnDelete',
  'addCheck',
  'dropCheck',
  'comment',
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const changeArbitrary: fc.Arbitrary<Change> = fc.record({
  kind: fc.constantFrom(...CHANGE_KINDS),
  a: fc.nat(1000),
  b: fc.nat(1000),
  c: fc.nat(1000),
});

/** A scenario: steps of one to three changes each, starting from an empty database. */
export const scenarioArbitrary = (maxSteps: number): fc.Arbitrary<Change[][]> =>
  fc.array(fc.array(changeArbitrary, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: maxSteps });

const TYPES: readonly TypeSpec[] = [
  { kind: 'Integer' },
  { kind: 'BigInteger' },
  { kind: 'String', length: 20 },
  { kind: 'String', length: 60 },
  { kind: 'Text' },
  { kind: 'Boolean' },
  { kind: 'Numeric', precision: 10, scale: 2 },
  { kind: 'Numeric', precision: 12, scale: 3 },
  { kind: 'Float' },
  { kind: 'Date' },
  { kind: 'DateTime' },
];

const DEFAULTS: Readonly<Record<TypeSpec['kind'], readonly string[]>> = {
  Integer: ['0', '7'],
  BigInteger: ['1'],
  String: ['abc', 'x y'],
  Text: [],
  Boolean: ['true', 'false'],
  Numeric: ['1.50', '0'],
  Float: ['2.5'],
  Date: [],
  DateTime: ['now'],
};

const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

function clone(spec: SchemaSpec): SchemaSpec {
  return JSON.parse(JSON.stringify(spec)) as SchemaSpec;
}

/** Columns a change may alter: not the key, not a foreign key's. */
function plainColumns(table: TableModel): ColumnModel[] {
  return table.columns.filter((c) => c.name !== 'id' && !table.foreignKeys.some((fk) => fk.column === c.name));
}

/** Columns an index or unique constraint may use (a foreign key's too: dropping its index is the comparator's problem). */
function indexable(table: TableModel): ColumnModel[] {
  return table.columns.filter((c) => c.name !== 'id' && c.type.kind !== 'Text');
}

function newColumn(spec: SchemaSpec, n: number, m: number): ColumnModel {
  const type = pick(TYPES, n)!;
  const defaults = DEFAULTS[type.kind];
  const withDefault = m % 3 === 0 && defaults.length > 0;
  return {
    name: `c${spec.next++}`,
    type,
    nullable: m % 2 === 0,
    default: withDefault ? pick(defaults, m)! : null,
    comment: m % 5 === 0 ? `column ${spec.next}` : null,
  };
}

/** Applies a step's changes to `from` and returns the new spec (renames marked with `renamedFrom`). */
export function applyChanges(from: SchemaSpec, changes: readonly Change[]): SchemaSpec {
  const spec = clone(from);
  for (const table of spec.tables) {
    delete table.renamedFrom;
    for (const c of table.columns) delete c.renamedFrom;
  }
  for (const change of changes) applyChange(spec, change);
  return spec;
}

function applyChange(spec: SchemaSpec, { kind, a, b, c }: Change): void {
  const table = pick(spec.tables, a);
  if (kind === 'addTable' || table === undefined) {
    if (spec.tables.length >= 6) return;
    const name = `t${spec.next++}`;
    const columns: ColumnModel[] = [{ name: 'id', type: { kind: 'Integer' }, nullable: false, default: null, comment: null }];
    for (let i = 0; i <= b % 3; i++) columns.push(newColumn(spec, b + i * 7, c + i));
    spec.tables.push({ name, comment: c % 4 === 0 ? `table ${name}` : null, columns, uniques: [], indexes: [], foreignKeys: [], checks: [] });
    return;
  }
  switch (kind) {
    case 'dropTable':
      spec.tables = spec.tables.filter((x) => x !== table);
      for (const other of spec.tables) {
        for (const fk of other.foreignKeys.filter((k) => k.target === table.name)) dropColumn(other, fk.column);
      }
      return;
    case 'renameTable': {
      const name = `t${spec.next++}`;
      for (const other of spec.tables) for (const fk of other.foreignKeys) if (fk.target === table.name) fk.target = name;
      table.renamedFrom = table.name;
      table.name = name;
      return;
    }
    case 'addColumn':
      if (table.columns.length < 8) table.columns.push(newColumn(spec, b, c));
      return;
    case 'dropColumn': {
      const col = pick(table.columns.filter((x) => x.name !== 'id'), b);
      if (col === undefined) return;
      dropColumn(table, col.name);
      return;
    }
    case 'renameColumn': {
      const col = pick(plainColumns(table).filter((x) => !table.checks.some((ck) => ck.column === x.name)), b);
      if (col === undefined) return;
      const name = `c${spec.next++}`;
      for (const u of table.uniques) u.columns = u.columns.map((n) => (n === col.name ? name : n));
      for (const ix of table.indexes) ix.columns = ix.columns.map((n) => (n === col.name ? name : n));
      col.renamedFrom = col.name;
      col.name = name;
      return;
    }
    case 'changeType': {
      const col = pick(plainColumns(table).filter((x) => !table.checks.some((ck) => ck.column === x.name)), b);
      if (col === undefined) return;
      const used = [...table.uniques.flatMap((u) => u.columns), ...table.indexes.flatMap((ix) => ix.columns)].includes(col.name);
      const type = pick(TYPES.filter((x) => JSON.stringify(x) !== JSON.stringify(col.type) && !(used && x.kind === 'Text')), c);
      if (type === undefined) return;
      col.type = type;
      col.default = null;
      return;
    }
    case 'toggleNullable': {
      const col = pick(plainColumns(table), b);
      if (col !== undefined) col.nullable = !col.nullable;
      return;
    }
    case 'setDefault': {
      const col = pick(plainColumns(table).filter((x) => DEFAULTS[x.type.kind].length > 0), b);
      if (col !== undefined) col.default = pick(DEFAULTS[col.type.kind].filter((d) => d !== col.default), c) ?? col.default;
      return;
    }
    case 'dropDefault': {
      const col = pick(plainColumns(table).filter((x) => x.default !== null), b);
      if (col !== undefined) col.default = null;
      return;
    }
    case 'addIndex': {
      const cols = indexable(table);
      const first = pick(cols, b);
      if (first === undefined) return;
      const second = c % 2 === 0 ? pick(cols.filter((x) => x !== first), c) : undefined;
      const columns = second === undefined ? [first.name] : [first.name, second.name];
      if (table.indexes.some((ix) => ix.columns.join() === columns.join())) return;
      table.indexes.push({ name: `ix_${table.name}_${spec.next++}`, columns, unique: c % 3 === 0 });
      return;
    }
    case 'dropIndex':
      table.indexes = table.indexes.filter((ix) => ix !== pick(table.indexes, b));
      return;
    case 'addUnique': {
      const col = pick(indexable(table), b);
      if (col === undefined || table.uniques.some((u) => u.columns.join() === col.name) || table.indexes.some((ix) => ix.columns.join() === col.name)) return;
      table.uniques.push({ name: c % 2 === 0 ? null : `uq_${table.name}_${spec.next++}`, columns: [col.name] });
      return;
    }
    case 'dropUnique':
      table.uniques = table.uniques.filter((u) => u !== pick(table.uniques, b));
      return;
    case 'addForeignKey': {
      const target = pick(spec.tables, b)!;
      if (table.columns.length >= 8) return;
      const name = `c${spec.next++}`;
      table.columns.push({ name, type: { kind: 'Integer' }, nullable: true, default: null, comment: null });
      table.foreignKeys.push({ column: name, target: target.name, onDelete: pick(['CASCADE', 'SET NULL', null] as const, c)! });
      return;
    }
    case 'dropForeignKey':
      table.foreignKeys = table.foreignKeys.filter((fk) => fk !== pick(table.foreignKeys, b));
      return;
    case 'changeOnDelete': {
      const fk = pick(table.foreignKeys, b);
      if (fk !== undefined) fk.onDelete = pick((['CASCADE', 'SET NULL', null] as const).filter((x) => x !== fk.onDelete), c)!;
      return;
    }
    case 'addCheck': {
      const col = pick(plainColumns(table).filter((x) => x.type.kind === 'Integer' && !table.checks.some((ck) => ck.column === x.name)), b);
      if (col !== undefined) table.checks.push({ name: `ck_${table.name}_${spec.next++}`, column: col.name, min: c % 10 });
      return;
    }
    case 'dropCheck':
      table.checks = table.checks.filter((ck) => ck !== pick(table.checks, b));
      return;
    case 'comment': {
      const col = pick(table.columns, b);
      if (c % 2 === 0) table.comment = table.comment === null ? `about ${table.name}` : null;
      else if (col !== undefined) col.comment = col.comment === null ? `about ${col.name}` : null;
      return;
    }
    default:
      return;
  }
}

function dropColumn(table: TableModel, name: string): void {
  table.columns = table.columns.filter((c) => c.name !== name);
  table.uniques = table.uniques.filter((u) => !u.columns.includes(name));
  table.indexes = table.indexes.filter((ix) => !ix.columns.includes(name));
  table.foreignKeys = table.foreignKeys.filter((fk) => fk.column !== name);
  table.checks = table.checks.filter((ck) => ck.column !== name);
}

function typeOf(type: TypeSpec): TypeEngine {
  switch (type.kind) {
    case 'String':
      return t.String(type.length);
    case 'Numeric':
      return t.Numeric(type.precision, type.scale);
    default:
      return t[type.kind]();
  }
}

function columnOf(col: ColumnModel): ColumnSpec {
  const serverDefault =
    col.default === null
      ? undefined
      : col.type.kind === 'Boolean'
        ? col.default === 'true'
          ? true_()
          : false_()
        : col.default === 'now'
          ? func.now()
          : col.default;
  return column(typeOf(col.type), {
    ...(col.name === 'id' ? { primaryKey: true } : { nullable: col.nullable }),
    ...(serverDefault === undefined ? {} : { serverDefault }),
    ...(col.comment === null ? {} : { comment: col.comment }),
    ...(col.renamedFrom === undefined ? {} : { renamedFrom: col.renamedFrom }),
  });
}

/** The models of a spec. */
export function buildMetadata(spec: SchemaSpec): MetaData {
  const metadata = new MetaData();
  for (const table of spec.tables) {
    const specs = Object.fromEntries(table.columns.map((c) => [c.name, columnOf(c)]));
    new Table(table.name, metadata, specs, {
      ...(table.comment === null ? {} : { comment: table.comment }),
      ...(table.renamedFrom === undefined ? {} : { renamedFrom: table.renamedFrom }),
      constraints: (c) => {
        const args: TableArg[] = [];
        for (const u of table.uniques) args.push(new UniqueConstraint(u.columns.map((n) => c[n]!), u.name === null ? {} : { name: u.name }));
        for (const ix of table.indexes) args.push(index(ix.name, ix.columns.map((n) => c[n]!), { unique: ix.unique }));
        for (const fk of table.foreignKeys) {
          args.push(new ForeignKeyConstraint([c[fk.column]!], [`${fk.target}.id`], fk.onDelete === null ? {} : { onDelete: fk.onDelete }));
        }
        for (const ck of table.checks) args.push(new CheckConstraint(`${ck.column} >= ${ck.min}`, { name: ck.name }));
        return args;
      },
    });
  }
  return metadata;
}
