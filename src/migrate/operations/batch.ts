/**
 * Batch mode and SQLite's table rebuild ("move and copy"). SQLite's ALTER TABLE adds, renames and drops
 * columns but cannot change a column's type, nullability or default, nor add or drop a constraint; for
 * those the table is rebuilt:
 *
 *   CREATE TABLE _tsmig_tmp_t (new definition); INSERT INTO _tsmig_tmp_t (...) SELECT ... FROM t;
 *   DROP TABLE t; ALTER TABLE _tsmig_tmp_t RENAME TO t; CREATE INDEX ...; CREATE TRIGGER ...
 *
 * all inside `executor.withoutForeignKeys()`: with enforcement on, DROP TABLE t would delete the rows of
 * child tables declared ON DELETE CASCADE, and `PRAGMA foreign_keys = OFF` does nothing inside a
 * transaction, so the runtime switches it off before BEGIN and runs `PRAGMA foreign_key_check` before
 * COMMIT. A standalone operation that needs a rebuild gets one by itself; `op.batchAlterTable()`
 * groups several changes into one rebuild.
 */
import { catalogQuery } from '../../engine/catalog-query.js';
import { ArgumentError } from '../../errors.js';
import { CopyTableRows, CreateIndex, CreateTable, type DdlElement, DropTable, RenameTable, type TableRef } from '../../schema/ddl.js';
import type { Dialect } from '../../dialects/dialect.js';
import { Table } from '../../schema/table.js';
import { planRebuild } from './batch-table.js';
import { executeCompiledDdl, type MigrationExecutor } from './migration-executor.js';
import type { BatchAlterTableOp, TableAlterOp } from './ops/batch-alter-table.js';
import { checkViews, readDependents } from './rebuild-catalog.js';
import { scratchMetadata } from './schema-objects.js';
import { buildTable, type TableDef, tableDefFromReflected, tableDefFromTable } from './table-def.js';

/** The name of a rebuild's new table until it takes the old one's name. */
export const REBUILD_PREFIX = '_tsmig_tmp_';

/** Runs one operation with ALTER statements only (never a rebuild). */
export type DirectInvoke = (op: TableAlterOp, executor: MigrationExecutor) => Promise<void>;

/**
 * Whether `op` needs the table rebuilt on this database. Only where ALTER TABLE is limited (SQLite);
 * dropping a column is native there unless a constraint or index uses it, which only the table can say:
 * online it is read, offline `table` (the batch's copyFrom as the earlier operations leave it) tells,
 * and without one the native DROP COLUMN is written.
 */
export async function needsRebuild(op: TableAlterOp, executor: MigrationExecutor, table: TableDef | null = null): Promise<boolean> {
  const known = op.kind === 'DropColumnOp' && !executor.offline && !executor.dialect.capabilities.alterColumns ? await readTable(executor, op.tableName, op.schema) : table;
  return rebuildNeeded(op, executor.dialect, known);
}

/**
 * {@link needsRebuild} without a database: `table` is the table before `op`, or null when unknown (a
 * dropped column is then taken to be unconstrained). Autogenerate asks it of SQLite for every revision,
 * whatever database the revision is generated on.
 */
export function rebuildNeeded(op: TableAlterOp, dialect: Dialect, table: TableDef | null): boolean {
  const { alterColumns, alterConstraints } = dialect.capabilities;
  switch (op.kind) {
    case 'AddColumnOp':
      return !alterColumns && !canAddNatively(op, dialect);
    case 'DropColumnOp':
      return !alterColumns && table !== null && columnIsConstrained(table, op.columnName);
    case 'AlterColumnOp':
      return !alterColumns && !op.renameOrCommentOnly;
    case 'CreatePrimaryKeyOp':
    case 'CreateUniqueConstraintOp':
    case 'CreateForeignKeyOp':
    case 'CreateCheckConstraintOp':
    case 'DropConstraintOp':
      return !alterConstraints;
    case 'CreateIndexOp':
    case 'DropIndexOp':
    case 'CreateTableCommentOp':
    case 'DropTableCommentOp':
      return false;
  }
}

/**
 * SQLite's ADD COLUMN refuses a PRIMARY KEY or UNIQUE column, NOT NULL without a default, a default that
 * is not a constant, a REFERENCES column whose default is not NULL, and a STORED generated column. Read
 * from the column's options as the column alone in its table has them (Column.primaryKey and .nullable):
 * building that table here, and again to add the column, was 3-5% of an upgrade of added columns.
 */
function canAddNatively(op: Extract<TableAlterOp, { kind: 'AddColumnOp' }>, dialect: Dialect): boolean {
  const { serverDefault, unique, index, foreignKey, computed, primaryKey, nullable, identity } = op.column.options;
  // ADD COLUMN takes a VIRTUAL generated column only.
  if (primaryKey || (unique && !index) || computed?.persisted === true) return false;
  if (serverDefault === undefined) return nullable ?? identity === undefined;
  const constant = typeof serverDefault === 'string' || /^(-?\d+(\.\d+)?|'([^']|'')*'|NULL)$/i.test(dialect.compileInline(serverDefault));
  return constant && foreignKey === undefined;
}

function columnIsConstrained(table: TableDef, column: string): boolean {
  return (
    table.constraints.some((c) => c.kind !== 'Check' && c.columns.includes(column)) ||
    table.constraints.some((c) => c.kind === 'ForeignKey' && c.referredTable === table.name && c.referredColumns.includes(column)) ||
    table.indexes.some((ix) => ix.items.some((item) => typeof item !== 'string' || item === column))
  );
}

/** The table as the database has it now, or null offline. */
export async function readTable(executor: MigrationExecutor, name: string, schema: string | null): Promise<TableDef | null> {
  if (executor.offline) return null;
  const reflected = await executor.dialect.reflection.reflect(catalogQuery(executor.connection()), schema, { tables: [name] });
  const table = reflected.tables.find((t) => t.name === name);
  return table === undefined ? null : tableDefFromReflected(table);
}

/**
 * Runs a batch: its operations one by one with ALTER statements where the database can (and
 * `recreate` is not 'always'), else all of them in one rebuild.
 */
export async function runBatch(batch: BatchAlterTableOp, executor: MigrationExecutor, direct: DirectInvoke): Promise<void> {
  const needed: TableAlterOp[] = [];
  if (batch.recreate !== 'always') {
    // Offline, copyFrom as the operations so far leave it says whether a dropped column is constrained.
    let table = executor.offline && !executor.dialect.capabilities.alterColumns ? copyFromDef(batch) : null;
    for (const op of batch.ops) {
      if (await needsRebuild(op, executor, table)) needed.push(op);
      if (table !== null) table = planRebuild(table, [op], () => scratchMetadata(executor)).table;
    }
  }
  if (batch.recreate === 'never' && needed.length > 0) {
    throw new ArgumentError(
      `batchAlterTable("${batch.tableName}", ..., { recreate: 'never' }): this database cannot run ${needed[0]!.kind} without rebuilding the table; use recreate: 'auto'`,
    );
  }
  if (batch.recreate === 'always' || needed.length > 0) return rebuild(batch, executor);
  for (const op of batch.ops) await direct(op, executor);
}

/** Moves and copies the table; see the module comment for the statements and why they are safe. */
async function rebuild(batch: BatchAlterTableOp, executor: MigrationExecutor): Promise<void> {
  if (executor.dialect.capabilities.alterColumns) {
    throw new ArgumentError(
      `batchAlterTable("${batch.tableName}", ..., { recreate: 'always' }): tables are rebuilt on SQLite only; this database alters them in place (use recreate: 'auto')`,
    );
  }
  const ref: TableRef = { name: batch.tableName, schema: batch.schema };
  const existing = await existingTable(batch, executor);
  const scratch = () => scratchMetadata(executor);
  const plan = planRebuild(existing, batch.ops, scratch);
  if (plan.copies.length === 0) {
    throw new ArgumentError(
      `the batch replaces every column of table "${batch.tableName}", so its rows could not be copied; drop and create the table instead`,
    );
  }
  const temp: TableRef = { name: `${REBUILD_PREFIX}${batch.tableName}`, schema: batch.schema };
  const newTable = buildTable(plan.table, scratch(), temp.name);
  const finalTable = buildTable(plan.table, scratch());
  const query = executor.offline ? null : catalogQuery(executor.connection());
  // Read before anything changes; offline there is no catalog (copyFrom describes the table itself).
  const dependents = query === null ? { triggers: [], views: [] } : await readDependents(query, ref);

  const statements: (DdlElement | string)[] = [
    new CreateTable(newTable),
    new CopyTableRows(ref, temp, plan.copies),
    new DropTable(ref),
    new RenameTable(temp, batch.tableName, { forRebuild: true }),
    ...finalTable.indexes.map((index) => new CreateIndex(index)),
    // Executors run SQL text as text(), where `:name` is a parameter: the trigger's colons are escaped.
    ...dependents.triggers.map((sql) => sql.replaceAll(':', '\\:')),
  ];
  // Compiled before anything runs: a definition the database cannot take fails with nothing changed.
  const compiled = statements.map((statement) => (typeof statement === 'string' ? null : executor.dialect.compileDdl(statement)));

  await executor.withoutForeignKeys(async () => {
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i]!;
      await (typeof statement === 'string' ? executor.execute(statement) : executeCompiledDdl(executor, statement, compiled[i]!));
    }
    if (query !== null) await checkViews(query, ref, dependents.views);
  });
}

/**
 * The table before the batch: online as the database has it (the truth, whatever copyFrom says, so a
 * stale definition cannot lose a column or an index); offline, where nothing can be read, copyFrom.
 */
async function existingTable(batch: BatchAlterTableOp, executor: MigrationExecutor): Promise<TableDef> {
  if (executor.offline) {
    const copyFrom = copyFromDef(batch);
    if (copyFrom !== null) return copyFrom;
    throw new ArgumentError(
      `rebuilding table "${batch.tableName}" offline (--sql) needs its current definition, as there is no database to read it from: ` +
        `use op.batchAlterTable('${batch.tableName}', async (batch) => { ... }, { copyFrom: <a Table describing it> })`,
    );
  }
  const table = await readTable(executor, batch.tableName, batch.schema);
  if (table === null) throw new ArgumentError(`cannot rebuild table "${batch.tableName}": it does not exist`);
  return table;
}

function copyFromDef(batch: BatchAlterTableOp): TableDef | null {
  const { copyFrom } = batch;
  return copyFrom === null || !(copyFrom instanceof Table) ? copyFrom : tableDefFromTable(copyFrom);
}
