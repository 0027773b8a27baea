/**
 * Lightweight schema objects for operations, as Alembic's `schemaobj`: an operation names tables and
 * columns by string, and the DDL compilers work on Tables, so each operation builds the few stand-in
 * objects it needs in a throw-away MetaData (with the project's naming convention, so unnamed
 * constraints get the names the models would give them).
 */
import { ArgumentError } from '../../errors.js';
import { type Column, ColumnSpec } from '../../schema/column.js';
import {
  CheckConstraint,
  ForeignKey,
  ForeignKeyConstraint,
  type NameArg,
  PrimaryKeyConstraint,
  UniqueConstraint,
} from '../../schema/constraints.js';
import type { AlterableConstraint, ConstraintKind, ConstraintRef } from '../../schema/ddl.js';
import { MetaData } from '../../schema/metadata.js';
import { Table, type TableArg } from '../../schema/table.js';
import { Index, indexDialectOptions } from '../../schema/table-index.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { literalColumn } from '../../sql/elements/text.js';
import { NULLTYPE } from '../../types/type-engine.js';
import type { MigrationExecutor } from './migration-executor.js';
import type { AddColumnOp } from './ops/column.js';
import type {
  ConstraintType,
  CreateCheckConstraintOp,
  CreateConstraintOp,
  CreateForeignKeyOp,
  CreatePrimaryKeyOp,
  CreateUniqueConstraintOp,
  DropConstraintOp,
} from './ops/constraint.js';
import type { CreateIndexFields } from './ops/index-ops.js';
import { ensureReferents, type ForeignKeyDef } from './table-def.js';

/** A fresh MetaData carrying the project's naming convention (config `targetMetadata`), if any. */
export function scratchMetadata(executor: Pick<MigrationExecutor, 'targetMetadata'>): MetaData {
  const templates = executor.targetMetadata?.namingConvention.templates;
  return new MetaData(templates === undefined ? {} : { namingConvention: templates });
}

const schemaOption = (schema: string | null) => (schema === null ? {} : { schema });

/** A table of untyped columns, enough to name them in constraints and indexes. */
export function stubTable(
  metadata: MetaData,
  name: string,
  schema: string | null,
  columns: readonly string[],
  constraints?: (c: Record<string, Column>) => readonly TableArg[],
): Table {
  const unique = [...new Set(columns.length === 0 ? ['_'] : columns)];
  const specs = Object.fromEntries(unique.map((c) => [c, new ColumnSpec(NULLTYPE, {})]));
  return new Table(name, metadata, specs, {
    ...schemaOption(schema),
    ...(constraints === undefined ? {} : { constraints: (c) => constraints(c as Record<string, Column>) }),
  });
}

/** `'table.column'` or `'schema.table.column'` of a column-level foreign key, as a def's referent. */
function referentOf(target: string): Pick<ForeignKeyDef, 'referredSchema' | 'referredTable' | 'referredColumns'> {
  const parts = target.split('.');
  if (parts.length < 2 || parts.length > 3) {
    throw new ArgumentError(`foreign key target "${target}" must be "table.column" or "schema.table.column"`);
  }
  const column = parts.pop()!;
  const table = parts.pop()!;
  return { referredSchema: parts[0] ?? null, referredTable: table, referredColumns: [column] };
}

/**
 * The table an added column lives in: the column alone, with the constraints and index its options
 * declare (`foreignKey`, `unique`, `index`), and stand-ins for the table a foreign key refers to.
 */
export function addedColumnTable(op: AddColumnOp, metadata: MetaData): Table {
  const { name: _name, ...options } = op.column.options;
  const fk = options.foreignKey;
  if (typeof fk === 'string' || (fk instanceof ForeignKey && typeof fk.target === 'string')) {
    const target = typeof fk === 'string' ? fk : (fk.target as string);
    ensureReferents(metadata, { name: op.tableName, schema: op.schema }, [
      { kind: 'ForeignKey', name: null, columns: [op.columnName], onDelete: null, onUpdate: null, deferrable: false, initially: null, ...referentOf(target) },
    ]);
  }
  return new Table(op.tableName, metadata, { [op.columnName]: new ColumnSpec(op.column.type, options) }, schemaOption(op.schema));
}

/** The constraint a create-constraint operation adds, attached to stand-in tables. */
export function constraintOf(op: CreateConstraintOp, metadata: MetaData): AlterableConstraint {
  switch (op.kind) {
    case 'CreatePrimaryKeyOp':
    case 'CreateUniqueConstraintOp':
      return columnsConstraint(op, metadata);
    case 'CreateCheckConstraintOp':
      return checkConstraint(op, metadata);
    case 'CreateForeignKeyOp':
      return foreignKeyConstraint(op, metadata);
  }
}

const named = (name: NameArg | null) => (name === null ? {} : { name });

function columnsConstraint(op: CreatePrimaryKeyOp | CreateUniqueConstraintOp, metadata: MetaData): AlterableConstraint {
  const table = stubTable(metadata, op.tableName, op.schema, op.columns, (c) => {
    const cols = op.columns.map((n) => c[n]!);
    return [op.kind === 'CreatePrimaryKeyOp' ? new PrimaryKeyConstraint(cols, named(op.constraintName)) : new UniqueConstraint(cols, named(op.constraintName))];
  });
  return table.constraints[0] as AlterableConstraint;
}

function checkConstraint(op: CreateCheckConstraintOp, metadata: MetaData): AlterableConstraint {
  const table = stubTable(metadata, op.tableName, op.schema, [], () => [new CheckConstraint(op.condition, named(op.constraintName))]);
  return table.constraints[0] as AlterableConstraint;
}

function foreignKeyConstraint(op: CreateForeignKeyOp, metadata: MetaData): AlterableConstraint {
  const self = op.sourceTable === op.referentTable && op.sourceSchema === op.referentSchema;
  const sourceColumns = self ? [...op.localColumns, ...op.remoteColumns] : op.localColumns;
  if (!self) stubTable(metadata, op.referentTable, op.referentSchema, op.remoteColumns);
  const referent = () => metadata.tables.get(op.referentSchema === null ? op.referentTable : `${op.referentSchema}.${op.referentTable}`)!;
  const table = stubTable(metadata, op.sourceTable, op.sourceSchema, sourceColumns, (c) => [
    new ForeignKeyConstraint(
      op.localColumns.map((n) => c[n]!),
      op.remoteColumns.map((n) => () => referent().columns.find((col) => col.name === n)!),
      {
        ...named(op.constraintName),
        ...(op.onDelete === undefined ? {} : { onDelete: op.onDelete }),
        ...(op.onUpdate === undefined ? {} : { onUpdate: op.onUpdate }),
        ...(op.deferrable === undefined ? {} : { deferrable: op.deferrable }),
        ...(op.initially === undefined ? {} : { initially: op.initially }),
      },
    ),
  ]);
  return table.constraints.find((c) => c instanceof ForeignKeyConstraint) as AlterableConstraint;
}

/** The index a create-index operation builds; string items are column names. */
export function indexOf(op: CreateIndexFields, metadata: MetaData): Index {
  const columnNames = op.columns.filter((c): c is string => typeof c === 'string');
  const { indexName, columns, unique } = op;
  const table = stubTable(metadata, op.tableName, op.schema, columnNames, (c) => [
    new Index(
      indexName,
      columns.map((item) => (typeof item === 'string' ? c[item]! : (item as ColumnElement))),
      { unique, ...indexDialectOptions(op) },
    ),
  ]);
  return table.indexes[0]!;
}

/**
 * An index known by name, for DROP INDEX: attached to its table where the operation names one, else
 * free-standing (PostgreSQL and SQLite drop an index by name alone; MySQL's compiler then says it needs
 * the table).
 */
export function namedIndex(metadata: MetaData, name: NameArg, tableName: string | null, schema: string | null): Index {
  // DROP INDEX never renders the items; an index needs one all the same.
  const items = [literalColumn('NULL')];
  if (tableName === null) return new Index(name, items);
  return stubTable(metadata, tableName, schema, [], () => [new Index(name, items)]).indexes[0]!;
}

export const CONSTRAINT_KIND: Readonly<Record<ConstraintType, ConstraintKind>> = {
  primary: 'PrimaryKey',
  unique: 'Unique',
  foreignkey: 'ForeignKey',
  check: 'Check',
};

/** What DropConstraint needs: the existing constraint when the operation has it, else a reference by name. */
export function droppedConstraint(op: DropConstraintOp, metadata: MetaData): AlterableConstraint | ConstraintRef {
  if (op.existing !== undefined && op.constraintName === null) return constraintOf(op.existing, metadata);
  if (op.constraintName === null) {
    throw new ArgumentError(`op.dropConstraint() on "${op.tableName}" needs the constraint's name`);
  }
  const kind = op.type !== null ? CONSTRAINT_KIND[op.type] : op.existing === undefined ? null : KIND_OF_OP[op.existing.kind];
  return { table: { name: op.tableName, schema: op.schema }, name: String(op.constraintName), kind };
}

const KIND_OF_OP: Readonly<Record<CreateConstraintOp['kind'], ConstraintKind>> = {
  CreatePrimaryKeyOp: 'PrimaryKey',
  CreateUniqueConstraintOp: 'Unique',
  CreateForeignKeyOp: 'ForeignKey',
  CreateCheckConstraintOp: 'Check',
};
