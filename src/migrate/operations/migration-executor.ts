/**
 * What operations run on: the migration runtime's view for one migration. Online it executes on a
 * connection; offline (`--sql`) it writes the same compiled statements, with literal values, to a
 * script. Operations never know which.
 *
 * The runtime's side of the contract, besides the methods below: run upgrade() / downgrade() inside
 * `runMigrationWork(executor, ...)`, which also awaits `settleOperations(executor)` (operation-queue.ts), before
 * committing or rolling back, so operations a revision forgot to await have run (or failed it).
 */
import type { Dialect } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import type { DdlElement } from '../../schema/ddl.js';
import type { MetaData } from '../../schema/metadata.js';
import type { ClauseElement } from '../../sql/elements/element.js';
import type { OperationRecorder } from './operation-recorder.js';

/**
 * What `op` calls run on during one migration: the dialect, whether the run is offline, and where the
 * statements go. The runtime provides it; exported for `settleOperations()` and for tools that run
 * revisions on a runtime of their own.
 */
export interface MigrationExecutor {
  readonly dialect: Dialect;
  /** True when writing an SQL script instead of touching a database. */
  readonly offline: boolean;
  /**
   * The project's models (config `targetMetadata`), when it has them: operations name unnamed
   * constraints and indexes by its naming convention, as Alembic's schema objects do.
   */
  readonly targetMetadata?: MetaData | null;
  /**
   * Set by `tsmig lint`: operations are handed to it as data instead of being carried out, so a
   * revision's upgrade() runs with no database at all.
   */
  readonly recorder?: OperationRecorder;
  /** Runs (or, offline, writes) a DDL element, a statement, or SQL text (as `text()`: `:name` is a parameter). */
  execute(element: DdlElement | ClauseElement | string, params?: Record<string, unknown>): Promise<void>;
  /**
   * `execute(element)` for a DDL element the caller compiled already (`dialect.compileDdl(element)` gave
   * `statements`), which is then not compiled again. Optional: without it, operations call `execute`.
   */
  executeDdl?(element: DdlElement, statements: readonly string[]): Promise<void>;
  /**
   * The live connection, for data migrations that read rows. Offline there is none, and asking for it
   * is an error that says so.
   */
  connection(): Connection;
  /**
   * Runs `work` outside the migration's transaction (PostgreSQL's CREATE INDEX CONCURRENTLY, ALTER TYPE
   * ... ADD VALUE on old servers): the transaction is committed first and a new one begun after.
   * Offline, the statements are written between COMMIT and BEGIN and marked as such.
   */
  autocommitBlock<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` with SQLite's foreign key enforcement off, outside any transaction (the only place the
   * PRAGMA takes effect), checking `PRAGMA foreign_key_check` before it commits. For table rebuilds.
   */
  withoutForeignKeys<T>(work: () => Promise<T>): Promise<T>;
}

/** Runs a DDL element that `dialect.compileDdl` gave `statements`, not compiling it again where the executor can. */
export function executeCompiledDdl(executor: MigrationExecutor, element: DdlElement, statements: readonly string[]): Promise<void> {
  return executor.executeDdl !== undefined ? executor.executeDdl(element, statements) : executor.execute(element);
}
