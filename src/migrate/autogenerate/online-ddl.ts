/**
 * `onlineDdl: true` in alembic.config.ts: autogenerate writes the online form of each change to a table
 * that already exists, the form that lets reads and writes go on while it runs.
 * - PostgreSQL: indexes created and dropped `concurrently`; foreign keys and checks added `NOT VALID`
 *   and validated by `op.validateConstraint()` after a commit (the scan then takes a lock that blocks
 *   no one).
 * - MySQL: `ALGORITHM=INSTANT` for a new column, `ALGORITHM=INPLACE, LOCK=NONE` for indexes and dropped
 *   columns. The server refuses a statement it cannot carry out that way instead of copying the table.
 * Changes to tables the revision creates or drops stay as they are: nobody uses those yet (or any more).
 */
import type { DialectName } from '../../dialects/dialect.js';
import { AddColumnOp, DropColumnOp } from '../operations/ops/column.js';
import { CreateCheckConstraintOp, CreateForeignKeyOp, ValidateConstraintOp } from '../operations/ops/constraint.js';
import { CreateIndexOp, DropIndexOp } from '../operations/ops/index-ops.js';
import type { MigrateOperation } from '../operations/ops/operation.js';
import { CreateTableOp, DropTableOp } from '../operations/ops/table.js';
import { MigrationPlan, type PlannedChange } from './plan.js';

/**
 * The plan with each change in its online form for `dialect` (SQLite has none: the plan comes back as is).
 *
 * @example
 * ```ts
 * const plan = preferOnlineDdl(await produceMigration(connection, metadata), 'postgresql');
 * // op.createIndex('ix_movies_year', 'movies', ['year'], { concurrently: true })
 * ```
 */
export function preferOnlineDdl(plan: MigrationPlan, dialect: DialectName): MigrationPlan {
  if (dialect === 'sqlite') return plan;
  const key = (table: string, schema: string | null) => `${schema ?? ''}.${table}`;
  const fresh = new Set<string>();
  for (const change of plan.changes) {
    const op = change.op;
    if (op instanceof CreateTableOp || op instanceof DropTableOp) fresh.add(key(op.tableName, op.schema));
  }
  const online = new MigrationPlan();
  online.setStart(plan.start);
  for (const change of plan.changes) {
    const table = tableOf(change.op);
    const rewritten = table === null || fresh.has(key(table.name, table.schema)) ? change : dialect === 'postgresql' ? postgresql(change) : mysql(change);
    online.add(rewritten);
  }
  for (const candidate of plan.renameCandidates) online.addCandidate(candidate);
  return online;
}

function postgresql(change: PlannedChange): PlannedChange {
  const op = change.op;
  if (op instanceof CreateIndexOp) return { ...change, op: new CreateIndexOp({ ...op, concurrently: true }) };
  if (op instanceof DropIndexOp) return { ...change, op: new DropIndexOp({ ...op, concurrently: true }) };
  if ((op instanceof CreateForeignKeyOp || op instanceof CreateCheckConstraintOp) && op.constraintName !== null) {
    const notValid = op instanceof CreateForeignKeyOp ? new CreateForeignKeyOp({ ...op, notValid: true }) : new CreateCheckConstraintOp({ ...op, notValid: true });
    const validate = new ValidateConstraintOp({ constraintName: String(op.constraintName), tableName: op.tableName, schema: op.schema });
    // The inverse stays the constraint's: validating has nothing to undo.
    return { ...change, op: notValid, more: [validate, ...change.more], downgrade: change.downgrade ?? [op.reverse(), ...[...change.more].reverse().map((m) => m.reverse())] };
  }
  return change;
}

function mysql(change: PlannedChange): PlannedChange {
  const op = change.op;
  if (op instanceof AddColumnOp && op.column.options.primaryKey !== true && op.column.options.autoincrement !== true) {
    return { ...change, op: new AddColumnOp({ ...op, algorithm: 'INSTANT' }) };
  }
  if (op instanceof DropColumnOp) return { ...change, op: new DropColumnOp({ ...op, algorithm: 'INPLACE', lock: 'NONE' }) };
  // FULLTEXT and SPATIAL indexes are built with the table locked for writes: LOCK=NONE would be refused.
  if (op instanceof CreateIndexOp && op.mysqlPrefix === undefined) return { ...change, op: new CreateIndexOp({ ...op, algorithm: 'INPLACE', lock: 'NONE' }) };
  if (op instanceof DropIndexOp) return { ...change, op: new DropIndexOp({ ...op, algorithm: 'INPLACE', lock: 'NONE' }) };
  return change;
}

function tableOf(op: MigrateOperation): { name: string; schema: string | null } | null {
  if (op instanceof CreateIndexOp || op instanceof AddColumnOp || op instanceof DropColumnOp || op instanceof CreateCheckConstraintOp) return { name: op.tableName, schema: op.schema };
  if (op instanceof CreateForeignKeyOp) return { name: op.sourceTable, schema: op.sourceSchema };
  if (op instanceof DropIndexOp) return op.tableName === null ? { name: '', schema: op.schema } : { name: op.tableName, schema: op.schema };
  return null;
}
