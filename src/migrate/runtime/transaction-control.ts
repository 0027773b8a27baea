/**
 * Explicit transaction boundaries on an engine Connection, for the migration runtime. The engine's
 * Connection begins a transaction before any statement ("commit as you go"), but migrations also need
 * statements outside every transaction: PostgreSQL's CREATE INDEX CONCURRENTLY, SQLite's
 * `PRAGMA foreign_keys`, `BEGIN IMMEDIATE`. So this class takes the connection's transactions over
 * (`startManualTransactions`: no implicit BEGIN) and issues BEGIN / COMMIT / ROLLBACK itself;
 * {@link TransactionControl.release} hands them back.
 *
 * @internal for the runtime.
 */
import type { CompiledSql } from '../../dialects/compiled.js';
import type { Connection } from '../../engine/connection.js';
import type { Params } from '../../engine/execution-plan.js';
import type { Result } from '../../engine/result.js';
import type { Executable } from '../../engine/connection.js';

/** Runs control SQL on a connection whose transactions the runtime drives itself. */
export class TransactionControl {
  readonly connection: Connection;
  /**
   * Runs inside the transaction just before each COMMIT, wherever the commit comes from (the runtime, or
   * an autocommit block in a migration): the version table writes a one-transaction run held back.
   */
  beforeCommit: (() => Promise<void>) | null = null;
  #inTransaction = false;
  /** A `COMMIT AND CHAIN` began the transaction that the next {@link begin} asks for. */
  #chained = false;
  #released = false;
  /**
   * Statements of {@link run} as compiled SQL, each built once: a run sends a few kinds (SAVEPOINT,
   * PRAGMA) thousands of times, and as text() each was compiled and planned anew. BEGIN, COMMIT and
   * ROLLBACK, which need no result at all, go to `Connection.executeControl`.
   */
  readonly #compiled = new Map<string, CompiledSql>();

  private constructor(connection: Connection) {
    this.connection = connection;
  }

  /**
   * Takes `connection` over. Work the caller left uncommitted on it (a `SET search_path` in env.ts) is
   * committed first, so migrations start from what the caller set up.
   */
  static async take(connection: Connection): Promise<TransactionControl> {
    if (connection.inTransaction()) await connection.commit();
    connection.startManualTransactions();
    return new TransactionControl(connection);
  }

  /** True between {@link begin} and {@link commit} / {@link rollback}. */
  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** Runs a statement as it is: inside the current transaction if one is open, else in autocommit mode. */
  execute(statement: Executable, params?: Params): Promise<Result<unknown>> {
    return this.connection.execute(statement, params) as Promise<Result<unknown>>;
  }

  /** Runs the statements a DDL element compiled to (see `Connection.executeDdlStatements`). */
  executeDdl(statements: readonly string[]): Promise<Result<unknown>> {
    return this.connection.executeDdlStatements(statements) as Promise<Result<unknown>>;
  }

  /** Runs SQL text without parameters (PRAGMA, control statements). */
  run(sql: string): Promise<Result<unknown>> {
    let compiled = this.#compiled.get(sql);
    if (compiled === undefined) this.#compiled.set(sql, (compiled = { sql, binds: [], columns: null, returnsRows: true }));
    return this.execute(compiled);
  }

  /** BEGIN (or the given variant: `BEGIN EXCLUSIVE`); nothing after a chaining {@link commit}, which began it. */
  async begin(sql = 'BEGIN'): Promise<void> {
    if (this.#chained) {
      this.#chained = false;
      return;
    }
    await this.connection.executeControl(sql);
    this.#inTransaction = true;
  }

  /**
   * COMMIT; with `chain` (where the dialect has `commitAndChain`), `COMMIT AND CHAIN`, which also begins
   * the transaction the next {@link begin} asks for: on a server, one round trip less per migration.
   */
  async commit(options: { readonly chain?: boolean } = {}): Promise<void> {
    if (!this.#inTransaction) return;
    await this.beforeCommit?.();
    await this.connection.executeControl(options.chain === true ? 'COMMIT AND CHAIN' : 'COMMIT');
    // Only now: a COMMIT that fails may leave the transaction open (SQLite), for rollback() to end.
    this.#inTransaction = options.chain === true;
    this.#chained = options.chain === true;
  }

  async rollback(): Promise<void> {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    this.#chained = false;
    await this.connection.executeControl('ROLLBACK');
  }

  /**
   * Rolls back whatever is open and hands the connection's transactions back to it, so env.ts may go on
   * using it. Errors here are swallowed when `quiet`: the connection may be the reason the run failed.
   */
  async release(options: { quiet?: boolean } = {}): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    try {
      await this.rollback();
    } catch (error) {
      if (!options.quiet) throw error;
    } finally {
      this.connection.endManualTransactions();
    }
  }
}
