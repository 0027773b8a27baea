/**
 * Carries out operations: each becomes DDL elements (or statements) compiled by the dialect and handed
 * to the executor, which runs them online or writes them offline; operations never produce SQL text.
 * An operation SQLite cannot do with ALTER TABLE is routed to the rebuild in batch.ts.
 */
import { ArgumentError } from '../../errors.js';
import {
  AddColumn,
  AddConstraint,
  AlterColumn,
  AlterEnumType,
  type ColumnAlteration,
  CreateEnumType,
  CreateIndex,
  CreateSequence,
  CreateTable,
  type DdlElement,
  DropColumn,
  DropConstraint,
  DropEnumType,
  DropIndex,
  DropSequence,
  AlterSequence,
  DropTable,
  DropTableComment,
  type ExistingColumn,
  OnlineAlter,
  ValidateConstraint,
  RenameTable,
  SetTableComment,
} from '../../schema/ddl.js';
import { PrimaryKeyConstraint } from '../../schema/constraints.js';
import { insert } from '../../sql/statements/insert.js';
import { EnumType } from '../../types/generic.js';
import type { TypeEngine } from '../../types/type-engine.js';
import { needsRebuild, readTable, runBatch } from './batch.js';
import { executeCompiledDdl, type MigrationExecutor } from './migration-executor.js';
import { BatchAlterTableOp, type TableAlterOp } from './ops/batch-alter-table.js';
import type { AddColumnOp, AlterColumnOp, DropColumnOp } from './ops/column.js';
import type { CreateTableCommentOp, DropTableCommentOp } from './ops/comment.js';
import {
  type CreateCheckConstraintOp,
  type CreateForeignKeyOp,
  type CreatePrimaryKeyOp,
  type CreateUniqueConstraintOp,
  DropConstraintOp,
  type ValidateConstraintOp,
} from './ops/constraint.js';
import type { BulkInsertOp, ExecuteSqlOp } from './ops/data.js';
import type { CreateIndexOp, DropIndexOp } from './ops/index-ops.js';
import type { AlterSequenceOp, CreateSequenceOp, DropSequenceOp } from './ops/sequence.js';
import type { CreateTableOp, DropTableOp, RenameTableOp } from './ops/table.js';
import { Sequence, type SequenceParameters, sequenceParameters } from '../../schema/sequence.js';
import { addedColumnTable, CONSTRAINT_KIND, constraintOf, droppedConstraint, indexOf, namedIndex, scratchMetadata } from './schema-objects.js';
import { buildTable } from './table-def.js';

/** Every operation `invoke` knows. */
export type AnyOperation =
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  | TableAlterOp
  | ExecuteSqlOp
  | BulkInsertOp
  | BatchAlterTableOp
  | CreateSequenceOp
  | DropSequenceOp
  | AlterSequenceOp
  | ValidateConstraintOp;

type Handlers = { [K in AnyOperation['kind']]: (op: Extract<AnyOperation, { kind: K }>, executor: MigrationExecutor) => Promise<void> };

/** Runs one operation on the executor (online, or written to the offline script). */
export function invoke(op: AnyOperation, executor: MigrationExecutor): Promise<void> {
  if (executor.recorder !== undefined) return executor.recorder.record(op);
  const handler = HANDLERS[op.kind] as (op: AnyOperation, executor: MigrationExecutor) => Promise<void>;
  return handler(op, executor);
}

/** A table-changing operation: rebuilt alone where the database needs that (SQLite), else ALTERed. */
async function alter(op: TableAlterOp, executor: MigrationExecutor): Promise<void> {
  if (op.kind === 'DropColumnOp' && !executor.offline && !executor.dialect.capabilities.alterColumns) {
    // SQLite's own DROP COLUMN refuses (and leaves the table as it was) a column that a key, an index, a
    // check or a foreign key uses; only then is a rebuild needed. Trying costs one statement, where deciding
    // beforehand meant reflecting the table for every dropped column.
    try {
      return await alterDirect(op, executor);
    } catch {
      return rebuildAlone(op, executor);
    }
  }
  if (!(await needsRebuild(op, executor))) return alterDirect(op, executor);
  return rebuildAlone(op, executor);
}

/** Runs one operation as a rebuild of its table. */
function rebuildAlone(op: TableAlterOp, executor: MigrationExecutor): Promise<void> {
  const tableName = op.kind === 'CreateForeignKeyOp' ? op.sourceTable : op.tableName!;
  const schema = op.kind === 'CreateForeignKeyOp' ? op.sourceSchema : op.schema;
  const batch = new BatchAlterTableOp({ tableName, schema, recreate: 'always', copyFrom: null, ops: [op] });
  return runBatch(batch, executor, alterDirect);
}

/** A table-changing operation as ALTER statements, never a rebuild. */
function alterDirect(op: TableAlterOp, executor: MigrationExecutor): Promise<void> {
  const handler = DIRECT[op.kind] as (op: TableAlterOp, executor: MigrationExecutor) => Promise<void>;
  return handler(op, executor);
}

/**
 * Compiles every element first, so an operation the database cannot take (an expression index on
 * MariaDB, a MySQL ALTER missing its hints) fails before any of its statements ran, then runs them.
 */
async function run(executor: MigrationExecutor, elements: readonly DdlElement[]): Promise<void> {
  const compiled = elements.map((element) => executor.dialect.compileDdl(element));
  for (let i = 0; i < elements.length; i++) await executeCompiledDdl(executor, elements[i]!, compiled[i]!);
}

const ref = (tableName: string, schema: string | null) => ({ name: tableName, schema });

/** Named enum types among `types`: PostgreSQL creates and drops them with the columns that use them. */
function namedEnums(types: readonly (TypeEngine | undefined)[]): EnumType[] {
  const found = new Map<string, EnumType>();
  for (const type of types) {
    const impl = type?.impl;
    if (impl instanceof EnumType && impl.name !== undefined && !found.has(impl.name)) found.set(impl.name, impl);
  }
  return [...found.values()];
}

const createEnums = (types: readonly (TypeEngine | undefined)[], schema: string | null) =>
  namedEnums(types).map((type) => new CreateEnumType(type, schema, { ifNotExists: true }));

const dropEnums = (types: readonly (TypeEngine | undefined)[], schema: string | null) =>
  namedEnums(types).map((type) => new DropEnumType(type, schema, { ifUnused: true }));

const DIRECT: { [K in TableAlterOp['kind']]: (op: Extract<TableAlterOp, { kind: K }>, executor: MigrationExecutor) => Promise<void> } = {
  AddColumnOp: (op, x) => addColumn(op, x),
  DropColumnOp: (op, x) => dropColumn(op, x),
  AlterColumnOp: (op, x) => alterColumn(op, x),
  CreateIndexOp: (op, x) => createIndex(op, x),
  DropIndexOp: (op, x) => dropIndex(op, x),
  CreatePrimaryKeyOp: (op, x) => addConstraint(op, x),
  CreateUniqueConstraintOp: (op, x) => addConstraint(op, x),
  CreateForeignKeyOp: (op, x) => addConstraint(op, x),
  CreateCheckConstraintOp: (op, x) => addConstraint(op, x),
  DropConstraintOp: (op, x) => dropConstraint(op, x),
  CreateTableCommentOp: (op, x) => tableComment(op, x),
  DropTableCommentOp: (op, x) => tableComment(op, x),
};

const HANDLERS: Handlers = {
  CreateTableOp: (op, x) => createTable(op, x),
  ValidateConstraintOp: (op, x) => validateConstraint(op, x),
  DropTableOp: (op, x) => dropTable(op, x),
  RenameTableOp: (op, x) => run(x, [new RenameTable(ref(op.tableName, op.schema), op.newTableName)]),
  AddColumnOp: alter,
  DropColumnOp: alter,
  AlterColumnOp: alter,
  CreateIndexOp: alter,
  DropIndexOp: alter,
  CreatePrimaryKeyOp: alter,
  CreateUniqueConstraintOp: alter,
  CreateForeignKeyOp: alter,
  CreateCheckConstraintOp: alter,
  DropConstraintOp: alter,
  CreateTableCommentOp: alter,
  DropTableCommentOp: alter,
  ExecuteSqlOp: (op, x) => x.execute(op.sql, op.params),
  BulkInsertOp: (op, x) => bulkInsert(op, x),
  BatchAlterTableOp: (op, x) => runBatch(op, x, alterDirect),
  CreateSequenceOp: (op, x) => run(x, [new CreateSequence(sequenceOf(op.sequenceName, op.schema, op))]),
  DropSequenceOp: (op, x) => run(x, [new DropSequence(sequenceOf(op.sequenceName, op.schema, {}))]),
  AlterSequenceOp: (op, x) => run(x, [new AlterSequence(sequenceOf(op.sequenceName, op.schema, op.parameters), sequenceParameters(op.existing))]),
};

/** A Sequence object for DDL, on no MetaData. */
function sequenceOf(name: string, schema: string | null, parameters: SequenceParameters): Sequence {
  return new Sequence(name, null, { ...(schema === null ? {} : { schema }), ...sequenceParameters(parameters) });
}

/** CREATE TYPE for its named enums (PostgreSQL), CREATE TABLE, then its indexes. */
function createTable(op: CreateTableOp, x: MigrationExecutor): Promise<void> {
  const table = buildTable(op.definition, scratchMetadata(x));
  return run(x, [
    ...createEnums(table.columns.map((c) => c.type), table.schema),
    new CreateTable(table, { ifNotExists: op.ifNotExists ?? false }),
    ...table.indexes.map((index) => new CreateIndex(index)),
  ]);
}

/** DROP TABLE; with the definition known, its named enum types go too where no other column uses them. */
function dropTable(op: DropTableOp, x: MigrationExecutor): Promise<void> {
  const types = op.existing?.columns.map((c) => c.type) ?? [];
  return run(x, [new DropTable(ref(op.tableName, op.schema), { ifExists: op.ifExists ?? false }), ...dropEnums(types, op.schema)]);
}

/**
 * ADD COLUMN, then what the column declares: its foreign key and unique constraint (inline on SQLite,
 * which cannot add them later) and its index. A primary key is not added this way (as in Alembic);
 * SQLite rebuilds the table for one.
 */
function addColumn(op: AddColumnOp, x: MigrationExecutor): Promise<void> {
  const table = addedColumnTable(op, scratchMetadata(x));
  const column = table.columns[0]!;
  const constraints = x.dialect.capabilities.alterConstraints
    ? table.constraints.filter((c) => !(c instanceof PrimaryKeyConstraint)).map((c) => new AddConstraint(c as never))
    : [];
  return run(x, [
    ...createEnums([column.type], op.schema),
    online(op, new AddColumn(column)),
    ...constraints,
    ...table.indexes.map((index) => new CreateIndex(index)),
  ]);
}

function dropColumn(op: DropColumnOp, x: MigrationExecutor): Promise<void> {
  return run(x, [online(op, new DropColumn(ref(op.tableName, op.schema), op.columnName)), ...dropEnums([op.existing?.type], op.schema)]);
}

function alterColumn(op: AlterColumnOp, x: MigrationExecutor): Promise<void> {
  const change: ColumnAlteration = {
    ...(op.modifyNullable === undefined ? {} : { nullable: op.modifyNullable }),
    ...(op.modifyType === undefined ? {} : { type: op.modifyType }),
    ...(op.modifyServerDefault === undefined ? {} : { serverDefault: op.modifyServerDefault }),
    ...(op.modifyName === undefined ? {} : { newName: op.modifyName }),
    ...(op.modifyComment === undefined ? {} : { comment: op.modifyComment }),
    ...(op.modifyMysqlOnUpdate === undefined ? {} : { mysqlOnUpdate: op.modifyMysqlOnUpdate }),
    ...(op.modifyMysqlCollation === undefined ? {} : { mysqlCollation: op.modifyMysqlCollation }),
    ...(op.modifyIdentity === undefined ? {} : { identity: op.modifyIdentity }),
  };
  const existing: ExistingColumn = {
    ...(op.existingType === undefined ? {} : { type: op.existingType }),
    ...(op.existingNullable === undefined ? {} : { nullable: op.existingNullable }),
    ...(op.existingServerDefault === undefined ? {} : { serverDefault: op.existingServerDefault }),
    ...(op.existingComment === undefined ? {} : { comment: op.existingComment }),
    ...(op.existingAutoincrement === undefined ? {} : { autoincrement: op.existingAutoincrement }),
    ...(op.existingMysqlOnUpdate === undefined ? {} : { mysqlOnUpdate: op.existingMysqlOnUpdate }),
    ...(op.existingMysqlCollation === undefined ? {} : { mysqlCollation: op.existingMysqlCollation }),
    ...(op.existingIdentity === undefined ? {} : { identity: op.existingIdentity }),
  };
  const options = op.postgresqlUsing === undefined ? {} : { postgresqlUsing: op.postgresqlUsing };
  const [wanted] = namedEnums([op.modifyType]);
  const [before] = namedEnums([op.existingType]);
  if (wanted !== undefined && before?.name === wanted.name) {
    // The same named enum with other values: PostgreSQL changes the type (for every column using it), and
    // other dialects the column, whose type holds the values.
    const { type: _type, ...rest } = change;
    const column = x.dialect.capabilities.enumTypes ? rest : change;
    const alterations = Object.keys(column).length === 0 ? [] : [online(op, new AlterColumn(ref(op.tableName, op.schema), op.columnName, column, existing, options))];
    // PostgreSQL cannot use a value added to a type before the transaction commits, but can one of a type
    // created in it: a new default among the new values has the type built again.
    const newDefault = typeof change.serverDefault === 'string' && !before.values.includes(change.serverDefault);
    return run(x, [new AlterEnumType(wanted, newDefault ? null : before, op.schema), ...alterations]);
  }
  // A type change to a named enum creates it if missing, else gives it the wanted values (a revision written
  // where enums keep no values cannot say the column already was one); one away from a named enum drops the
  // old type if unused.
  const oldEnums = op.modifyType === undefined ? [] : dropEnums([op.existingType], op.schema).filter((d) => d.type.name !== wanted?.name);
  return run(x, [
    ...(wanted === undefined ? [] : [new AlterEnumType(wanted, null, op.schema)]),
    online(op, new AlterColumn(ref(op.tableName, op.schema), op.columnName, change, existing, options)),
    ...oldEnums,
  ]);
}

/** CREATE INDEX; CONCURRENTLY (PostgreSQL) runs outside the transaction, in an autocommit block. */
function createIndex(op: CreateIndexOp, x: MigrationExecutor): Promise<void> {
  const concurrently = (op.concurrently ?? false) && x.dialect.capabilities.concurrentIndexes;
  const element = online(op, new CreateIndex(indexOf(op, scratchMetadata(x)), { ifNotExists: op.ifNotExists ?? false, concurrently }));
  return concurrently ? x.autocommitBlock(() => run(x, [element])) : run(x, [element]);
}

function dropIndex(op: DropIndexOp, x: MigrationExecutor): Promise<void> {
  const concurrently = (op.concurrently ?? false) && x.dialect.capabilities.concurrentIndexes;
  const index = namedIndex(scratchMetadata(x), op.indexName, op.tableName, op.schema);
  const element = online(op, new DropIndex(index, { ifExists: op.ifExists ?? false, concurrently, schema: op.schema }));
  return concurrently ? x.autocommitBlock(() => run(x, [element])) : run(x, [element]);
}

function addConstraint(
  op: CreatePrimaryKeyOp | CreateUniqueConstraintOp | CreateForeignKeyOp | CreateCheckConstraintOp,
  x: MigrationExecutor,
): Promise<void> {
  const notValid = (op.kind === 'CreateForeignKeyOp' || op.kind === 'CreateCheckConstraintOp') && op.notValid === true;
  return run(x, [new AddConstraint(constraintOf(op, scratchMetadata(x)), { notValid })]);
}

/**
 * VALIDATE CONSTRAINT where the dialect has it (PostgreSQL), after a commit: validating in the transaction
 * that added the constraint would hold ADD CONSTRAINT's stronger lock through the whole scan.
 */
function validateConstraint(op: ValidateConstraintOp, x: MigrationExecutor): Promise<void> {
  const element = new ValidateConstraint(ref(op.tableName, op.schema), op.constraintName);
  if (x.dialect.compileDdl(element).length === 0) return Promise.resolve();
  return x.autocommitBlock(() => run(x, [element]));
}

/** The element with MySQL's ALGORITHM/LOCK clauses when the operation asks for them (ignored elsewhere). */
function online<E extends AddColumn | DropColumn | AlterColumn | CreateIndex | DropIndex>(op: { readonly algorithm?: OnlineAlter['algorithm']; readonly lock?: OnlineAlter['lock'] }, element: E): E | OnlineAlter {
  if (op.algorithm === undefined && op.lock === undefined) return element;
  return new OnlineAlter(element, op.algorithm ?? null, op.lock ?? null);
}

/**
 * DROP CONSTRAINT. One without a name but with its columns (a revision written on SQLite, which keeps no
 * name it was not given) is found online in the catalog by its kind and columns: PostgreSQL and MySQL
 * name every constraint.
 */
async function dropConstraint(op: DropConstraintOp, x: MigrationExecutor): Promise<void> {
  const named = op.constraintName === null && op.existing === undefined && op.columns !== undefined && !x.offline ? await namedInCatalog(op, x) : op;
  return run(x, [new DropConstraint(droppedConstraint(named, scratchMetadata(x)))]);
}

async function namedInCatalog(op: DropConstraintOp, x: MigrationExecutor): Promise<DropConstraintOp> {
  const kind = op.type === null ? null : CONSTRAINT_KIND[op.type];
  const same = (columns: readonly string[]) => columns.length === op.columns!.length && columns.every((c, i) => c === op.columns![i]);
  const table = await readTable(x, op.tableName, op.schema);
  const found = table?.constraints.find((c) => c.kind !== 'Check' && (kind === null || c.kind === kind) && c.name !== null && same(c.columns));
  return found === undefined ? op : new DropConstraintOp({ ...op, constraintName: found.name });
}

function tableComment(op: CreateTableCommentOp | DropTableCommentOp, x: MigrationExecutor): Promise<void> {
  const table = ref(op.tableName, op.schema);
  return run(x, [op.kind === 'CreateTableCommentOp' ? new SetTableComment(table, op.comment) : new DropTableComment(table)]);
}

/**
 * Online: multi-row INSERTs of consecutive rows that set the same columns, within the dialect's bind
 * limit (one per row with `multiinsert: false`). Offline: one INSERT per row, values inline, as Alembic
 * writes them.
 */
async function bulkInsert(op: BulkInsertOp, x: MigrationExecutor): Promise<void> {
  const statement = insert(op.table);
  if (x.offline || !op.multiinsert || !x.dialect.capabilities.multiRowInsert) {
    for (const row of op.rows) await x.execute(statement.values(row as never));
    return;
  }
  let start = 0;
  while (start < op.rows.length) {
    const keys = Object.keys(op.rows[start]!).sort().join('\u0000');
    const limit = Math.max(1, Math.min(1000, Math.floor(x.dialect.capabilities.maxBindParams / Math.max(1, Object.keys(op.rows[start]!).length))));
    let end = start + 1;
    while (end < op.rows.length && end - start < limit && Object.keys(op.rows[end]!).sort().join('\u0000') === keys) end += 1;
    await x.execute(statement.values(op.rows.slice(start, end) as never));
    start = end;
  }
}

/** @internal for tests and the runtime: whether an argument names an operation `invoke` knows. */
export function assertOperation(op: unknown): asserts op is AnyOperation {
  if (typeof op !== 'object' || op === null || !((op as { kind?: string }).kind! in HANDLERS)) {
    throw new ArgumentError('op.invoke() takes an operation object such as new AddColumnOp({...})');
  }
}
