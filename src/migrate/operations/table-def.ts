/**
 * A table as plain data: columns, constraints and indexes named by column name. CreateTableOp carries
 * one (so autogenerate can render it to source), and the batch rebuild edits one; both turn it back into
 * a schema Table, in a throw-away MetaData, when DDL is compiled.
 */
import { ArgumentError } from '../../errors.js';
import { type Column, type ColumnOptions, type ColumnServerOptions, ColumnSpec, columnServerOptions } from '../../schema/column.js';
import {
  CheckConstraint,
  type ConstraintName,
  ConventionalName,
  ForeignKeyConstraint,
  type NameArg,
  PrimaryKeyConstraint,
  type ReferentialAction,
  UniqueConstraint,
} from '../../schema/constraints.js';
import type { MetaData } from '../../schema/metadata.js';
import type { ReflectedTable } from '../../schema/reflected.js';
import { Table, type TableArg, type TableServerOptions, tableServerOptions } from '../../schema/table.js';
import { Index, indexDialectOptions, type IndexOptions } from '../../schema/table-index.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { literalColumn } from '../../sql/elements/text.js';
import { NULLTYPE, type TypeEngine } from '../../types/type-engine.js';

/** A column of a {@link TableDef}: name, type and options, as `column()` takes them. */
export interface ColumnDef extends ColumnServerOptions {
  readonly name: string;
  readonly type: TypeEngine;
  readonly nullable: boolean;
  /** A string is a literal value, an expression is SQL (reflected defaults are kept as SQL). */
  readonly serverDefault?: string | ColumnElement;
  readonly autoincrement?: boolean | 'auto';
  readonly comment?: string;
  /** The attribute key (`table.c.<key>`) when it differs from the name. */
  readonly key?: string;
}

export interface PrimaryKeyDef {
  readonly kind: 'PrimaryKey';
  readonly name: NameArg | null;
  readonly columns: readonly string[];
}

export interface UniqueDef {
  readonly kind: 'Unique';
  readonly name: NameArg | null;
  readonly columns: readonly string[];
}

export interface CheckDef {
  readonly kind: 'Check';
  readonly name: NameArg | null;
  readonly condition: string | ColumnElement<boolean>;
}

export interface ForeignKeyDef {
  readonly kind: 'ForeignKey';
  readonly name: NameArg | null;
  readonly columns: readonly string[];
  readonly referredSchema: string | null;
  readonly referredTable: string;
  readonly referredColumns: readonly string[];
  readonly onDelete: ReferentialAction | null;
  readonly onUpdate: ReferentialAction | null;
  readonly deferrable: boolean;
  readonly initially: 'DEFERRED' | 'IMMEDIATE' | null;
}

/** A table constraint of a {@link TableDef}, told apart by `kind`; columns are named, not objects. */
export type ConstraintDef = PrimaryKeyDef | UniqueDef | CheckDef | ForeignKeyDef;

/** An index of a {@link TableDef}: `index()`'s options with the items named. */
export interface IndexDef extends Omit<IndexOptions, 'unique'> {
  readonly name: NameArg | null;
  /** Column names, or expressions (`func.lower(...)`, `literalColumn('lower(email)')`). */
  readonly items: readonly (string | ColumnElement)[];
  readonly unique: boolean;
}

/**
 * A table as plain data, which `CreateTableOp` carries (autogenerate renders it) and a SQLite batch rebuild
 * edits. Users meet it as `op.batchAlterTable(..., { copyFrom })` in offline mode, where a Table works too.
 */
export interface TableDef extends TableServerOptions {
  readonly name: string;
  readonly schema: string | null;
  readonly comment: string | null;
  readonly columns: readonly ColumnDef[];
  readonly constraints: readonly ConstraintDef[];
  readonly indexes: readonly IndexDef[];
}

/** A name as a def keeps it: a convention-made one is marked final, so it is not derived again. */
export function nameArg(name: ConstraintName): NameArg | null {
  if (name.name === null) return null;
  return name.conventional ? new ConventionalName(name.name) : name.name;
}

/** The plain description of a schema Table (constraints declared on columns become table constraints). */
export function tableDefFromTable(table: Table): TableDef {
  const columns: ColumnDef[] = table.columns.map((c) => ({
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    ...(c.options.serverDefault === undefined ? {} : { serverDefault: c.options.serverDefault }),
    ...(c.options.autoincrement === undefined ? {} : { autoincrement: c.options.autoincrement }),
    ...(c.options.comment === undefined ? {} : { comment: c.options.comment }),
    ...(c.key === c.name ? {} : { key: c.key }),
    ...columnServerOptions(c.options),
  }));
  const names = (cols: readonly { name: string }[]) => cols.map((c) => c.name);
  const constraints = table.constraints.map((c): ConstraintDef => {
    const name = nameArg(c.name);
    if (c instanceof PrimaryKeyConstraint) return { kind: 'PrimaryKey', name, columns: names(c.columns) };
    if (c instanceof UniqueConstraint) return { kind: 'Unique', name, columns: names(c.columns) };
    if (c instanceof CheckConstraint) return { kind: 'Check', name, condition: c.condition };
    const fk = c as ForeignKeyConstraint;
    const referred = fk.referredTable;
    return {
      kind: 'ForeignKey',
      name,
      columns: names(fk.columns),
      referredSchema: referred.schema,
      referredTable: referred.name,
      referredColumns: names(fk.referredColumns),
      onDelete: fk.onDelete,
      onUpdate: fk.onUpdate,
      deferrable: fk.deferrable,
      initially: fk.initially,
    };
  });
  const indexes = table.indexes.map(
    (ix): IndexDef => ({
      ...ix.options,
      name: nameArg(ix.name),
      items: ix.items.map((item) => (item.kind === 'Column' ? (item as Column).name : item)),
      unique: ix.unique,
    }),
  );
  return { name: table.name, schema: table.schema, comment: table.comment, ...table.serverOptions, columns, constraints, indexes };
}

/** The plain description of a reflected table; defaults and index expressions stay the database's SQL. */
export function tableDefFromReflected(reflected: ReflectedTable): TableDef {
  const columns = reflected.columns.map(
    (c): ColumnDef => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      ...(c.default === null ? {} : { serverDefault: literalColumn(c.default) }),
      autoincrement: c.autoincrement,
      ...(c.comment === null ? {} : { comment: c.comment }),
      ...columnServerOptions(c),
    }),
  );
  const constraints: ConstraintDef[] = [];
  const pk = reflected.primaryKey;
  if (pk !== null && pk.columns.length > 0) constraints.push({ kind: 'PrimaryKey', name: pk.name, columns: pk.columns });
  for (const u of reflected.uniqueConstraints) constraints.push({ kind: 'Unique', name: u.name, columns: u.columns });
  for (const ck of reflected.checkConstraints) constraints.push({ kind: 'Check', name: ck.name, condition: ck.sqltext });
  for (const fk of reflected.foreignKeys) {
    constraints.push({
      kind: 'ForeignKey',
      name: fk.name,
      columns: fk.columns,
      referredSchema: fk.referredSchema,
      referredTable: fk.referredTable,
      referredColumns: fk.referredColumns,
      onDelete: fk.onDelete as ReferentialAction | null,
      onUpdate: fk.onUpdate as ReferentialAction | null,
      deferrable: fk.deferrable,
      initially: fk.initially,
    });
  }
  const indexes = reflected.indexes
    .filter((ix) => !ix.implicit)
    .map(
      (ix): IndexDef => ({
        name: ix.name,
        items: ix.columns.map((name, i) => name ?? literalColumn(ix.expressions[i] ?? '')),
        unique: ix.unique,
        ...indexDialectOptions(ix),
      }),
    );
  const { name, schema, comment } = reflected;
  return { name, schema, comment, ...tableServerOptions(reflected), columns, constraints, indexes };
}

/** The column declaration of a def (no constraints: those are the table's). */
export function columnSpecOf(def: ColumnDef): ColumnSpec {
  const options: ColumnOptions = {
    nullable: def.nullable,
    ...(def.serverDefault === undefined ? {} : { serverDefault: def.serverDefault }),
    ...(def.autoincrement === undefined ? {} : { autoincrement: def.autoincrement }),
    ...(def.comment === undefined ? {} : { comment: def.comment }),
    ...(def.key === undefined ? {} : { name: def.name }),
    ...columnServerOptions(def),
  };
  return new ColumnSpec(def.type, options);
}

const fullName = (schema: string | null, name: string): string => (schema === null ? name : `${schema}.${name}`);

/**
 * Adds a stand-in table (columns of unknown type) for each table a foreign key of `def` refers to, so
 * the key resolves and compiles, as Alembic's schema objects do. `own` is the table being built.
 */
export function ensureReferents(metadata: MetaData, own: { name: string; schema: string | null }, defs: readonly ConstraintDef[]): void {
  const needed = new Map<string, { schema: string | null; name: string; columns: Set<string> }>();
  for (const def of defs) {
    if (def.kind !== 'ForeignKey') continue;
    if (def.referredTable === own.name && def.referredSchema === own.schema) continue;
    const key = fullName(def.referredSchema, def.referredTable);
    if (metadata.tables.has(key)) continue;
    let entry = needed.get(key);
    if (entry === undefined) needed.set(key, (entry = { schema: def.referredSchema, name: def.referredTable, columns: new Set() }));
    for (const column of def.referredColumns) entry.columns.add(column);
  }
  for (const stub of needed.values()) {
    const specs = Object.fromEntries([...stub.columns].map((name) => [name, new ColumnSpec(NULLTYPE, {})]));
    new Table(stub.name, metadata, specs, stub.schema === null ? {} : { schema: stub.schema });
  }
}

/**
 * Builds the schema Table of a def in `metadata` (under `name` when given: a rebuild's temporary table),
 * with stand-ins for the tables its foreign keys refer to.
 */
export function buildTable(def: TableDef, metadata: MetaData, name: string = def.name): Table {
  ensureReferents(metadata, { name, schema: def.schema }, def.constraints);
  const specs = Object.fromEntries(def.columns.map((c) => [c.key ?? c.name, columnSpecOf(c)]));
  return new Table(name, metadata, specs, {
    ...(def.schema === null ? {} : { schema: def.schema }),
    ...(def.comment === null ? {} : { comment: def.comment }),
    ...tableServerOptions(def),
    constraints: (c) => {
      const byName = new Map(Object.values(c).map((col) => [col.name, col]));
      const col = (n: string) => {
        const found = byName.get(n);
        if (found === undefined) throw new ArgumentError(`table "${def.name}" has no column "${n}"`);
        return found;
      };
      const args: TableArg[] = def.constraints.map((d) => constraintOf(d, col, metadata, def, name));
      for (const ix of def.indexes) {
        const { name: ixName, items, ...options } = ix;
        args.push(new Index(ixName, items.map((item) => (typeof item === 'string' ? col(item) : item)), options));
      }
      return args;
    },
  });
}

function constraintOf(
  d: ConstraintDef,
  col: (name: string) => Column,
  metadata: MetaData,
  def: TableDef,
  builtName: string,
): TableArg {
  const named = d.name === null ? {} : { name: d.name };
  switch (d.kind) {
    case 'PrimaryKey':
      return new PrimaryKeyConstraint(d.columns.map(col), named);
    case 'Unique':
      return new UniqueConstraint(d.columns.map(col), named);
    case 'Check':
      return new CheckConstraint(d.condition, named);
    case 'ForeignKey': {
      const self = d.referredTable === def.name && d.referredSchema === def.schema && builtName === def.name;
      const targets = d.referredColumns.map((column) => () => {
        const table = metadata.tables.get(fullName(d.referredSchema, self ? builtName : d.referredTable))!;
        const found = table.columns.find((c) => c.name === column);
        if (found === undefined) throw new ArgumentError(`foreign key on "${def.name}" refers to "${d.referredTable}.${column}", which is not there`);
        return found;
      });
      return new ForeignKeyConstraint(d.columns.map(col), targets, {
        ...named,
        ...(d.onDelete === null ? {} : { onDelete: d.onDelete }),
        ...(d.onUpdate === null ? {} : { onUpdate: d.onUpdate }),
        deferrable: d.deferrable,
        ...(d.initially === null ? {} : { initially: d.initially }),
      });
    }
  }
}
