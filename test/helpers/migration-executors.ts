/**
 * Small MigrationExecutors for the operation tests, standing in for the runtime's: one collects the
 * compiled SQL lines (offline), one runs on an engine Connection inside a transaction (online), with
 * the two duties the runtime has towards operations: an autocommit block, and SQLite's foreign keys
 * switched off outside the transaction around a table rebuild, checked before COMMIT.
 *
 * @example
 * const lines = await runOffline(getDialect('postgresql'), () => op.addColumn('t', 'c', column(t.Integer())));
 * await runOnline(engine, async () => { await op.addColumn('t', 'c', column(t.Integer())); });
 */
import type { Dialect } from '../../src/dialects/dialect.js';
import type { Connection } from '../../src/engine/connection.js';
import type { Engine } from '../../src/engine/index.js';
import { InvalidRequestError } from '../../src/errors.js';
import type { MigrationExecutor } from '../../src/migrate/operations/migration-executor.js';
import { runMigrationWork } from '../../src/migrate/runtime/current-executor.js';
import { DdlElement } from '../../src/schema/ddl.js';
import type { MetaData } from '../../src/schema/metadata.js';
import type { ClauseElement } from '../../src/sql/elements/element.js';
import { TextClause, text } from '../../src/sql/elements/text.js';

type Executable = DdlElement | ClauseElement | string;

/** Writes every statement, compiled with literal values, to `lines`. */
export class CollectingExecutor implements MigrationExecutor {
  readonly offline = true;
  readonly lines: string[] = [];
  constructor(
    readonly dialect: Dialect,
    readonly targetMetadata: MetaData | null = null,
  ) {}

  async execute(element: Executable, params?: Record<string, unknown>): Promise<void> {
    if (element instanceof DdlElement) {
      this.lines.push(...this.dialect.compileDdl(element));
      return;
    }
    let statement = typeof element === 'string' ? text(element) : element;
    if (params !== undefined && statement instanceof TextClause) statement = statement.bindparams(params);
    this.lines.push(this.dialect.compile(statement, { literalBinds: true }).sql);
  }

  connection(): Connection {
    throw new InvalidRequestError('no connection offline');
  }

  async autocommitBlock<T>(work: () => Promise<T>): Promise<T> {
    this.lines.push('COMMIT');
    try {
      return await work();
    } finally {
      this.lines.push('BEGIN');
    }
  }

  async withoutForeignKeys<T>(work: () => Promise<T>): Promise<T> {
    this.lines.push('-- foreign keys off');
    try {
      return await work();
    } finally {
      this.lines.push('-- foreign keys on');
    }
  }
}

/** Runs `work` as a migration's upgrade() would, offline, and returns the SQL lines. */
export async function runOffline(dialect: Dialect, work: () => Promise<unknown>, targetMetadata: MetaData | null = null): Promise<string[]> {
  const executor = new CollectingExecutor(dialect, targetMetadata);
  await runMigrationWork(executor, async () => {
    await work();
  });
  return executor.lines;
}

/**
 * Runs statements on a connection whose transactions it drives itself: the engine's Connection begins
 * one before every statement, so a COMMIT sent as a statement leaves the database in autocommit mode
 * while the Connection sends everything as it is (the runtime's TransactionControl does the same).
 */
export class ConnectionExecutor implements MigrationExecutor {
  readonly offline = false;
  /** Every statement run, for assertions on what a rebuild did. */
  readonly log: string[] = [];
  #inTransaction = false;

  private constructor(
    readonly conn: Connection,
    readonly targetMetadata: MetaData | null,
  ) {}

  static async open(conn: Connection, targetMetadata: MetaData | null = null): Promise<ConnectionExecutor> {
    if (conn.inTransaction()) await conn.commit();
    await conn.execute(text('COMMIT'));
    return new ConnectionExecutor(conn, targetMetadata);
  }

  get dialect(): Dialect {
    return this.conn.dialect;
  }

  async run(sql: string): Promise<Record<string, unknown>[]> {
    this.log.push(sql);
    return (await this.conn.execute(text(sql))).mappings().all() as Record<string, unknown>[];
  }

  async begin(): Promise<void> {
    await this.run('BEGIN');
    this.#inTransaction = true;
  }

  async commit(): Promise<void> {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    await this.run('COMMIT');
  }

  async rollback(): Promise<void> {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    await this.run('ROLLBACK');
  }

  async execute(element: Executable, params?: Record<string, unknown>): Promise<void> {
    const statement = typeof element === 'string' ? text(element) : element;
    this.log.push(...(statement instanceof DdlElement ? this.dialect.compileDdl(statement) : [typeof element === 'string' ? element : statement.kind]));
    await this.conn.execute(statement, params);
  }

  connection(): Connection {
    return this.conn;
  }

  async autocommitBlock<T>(work: () => Promise<T>): Promise<T> {
    const wasOpen = this.#inTransaction;
    await this.commit();
    try {
      return await work();
    } finally {
      if (wasOpen) await this.begin();
    }
  }

  /**
   * SQLite only: COMMIT, foreign keys off (outside a transaction, the one place the PRAGMA works), BEGIN,
   * the work, `PRAGMA foreign_key_check` (a violation rolls everything back), COMMIT, foreign keys on.
   */
  async withoutForeignKeys<T>(work: () => Promise<T>): Promise<T> {
    if (this.dialect.name !== 'sqlite') return work();
    const wasOpen = this.#inTransaction;
    await this.commit();
    const [before] = await this.run('PRAGMA foreign_keys');
    await this.run('PRAGMA foreign_keys = OFF');
    try {
      await this.begin();
      let value: T;
      try {
        value = await work();
        const violations = await this.run('PRAGMA foreign_key_check');
        if (violations.length > 0) {
          throw new InvalidRequestError(`foreign key violations after the rebuild: ${JSON.stringify(violations)}`);
        }
      } catch (error) {
        await this.rollback();
        throw error;
      }
      await this.commit();
      return value;
    } finally {
      await this.run(`PRAGMA foreign_keys = ${Number(Object.values(before ?? {})[0] ?? 1) ? 'ON' : 'OFF'}`);
      if (wasOpen) await this.begin();
    }
  }

  /** Puts the Connection back in step (no transaction) before it is closed. */
  async release(): Promise<void> {
    if (!this.#inTransaction) await this.run('BEGIN');
    this.#inTransaction = false;
    await this.conn.rollback();
  }
}

/** Runs `work` as a migration: in a transaction, committed when it and its queued operations succeed. */
export async function runOnline<T>(
  engine: Engine,
  work: (executor: ConnectionExecutor) => Promise<T>,
  targetMetadata: MetaData | null = null,
): Promise<T> {
  const conn = await engine.connect();
  const executor = await ConnectionExecutor.open(conn, targetMetadata);
  try {
    await executor.begin();
    let value!: T;
    try {
      await runMigrationWork(executor, async () => {
        value = await work(executor);
      });
    } catch (error) {
      await executor.rollback();
      throw error;
    }
    await executor.commit();
    return value;
  } finally {
    await executor.release().catch(() => undefined);
    await conn.close();
  }
}
