/**
 * A Connection holds one pooled driver connection and SQLAlchemy 2.0's "commit as you go" semantics:
 * the first `execute()` begins a transaction, `commit()` / `rollback()` end it, `close()` rolls back
 * whatever is left and returns the connection to the pool.
 *
 * Transactions are plain BEGIN / COMMIT / ROLLBACK / SAVEPOINT statements sent on the raw driver
 * connection, not knex's transaction objects. knex's `trx.commit()` resolves even when COMMIT fails
 * (the error only reaches `trx.executionPromise`), it marks a transaction finished after a failed
 * COMMIT that SQLite keeps open, and it builds a whole knex instance per transaction: 79 µs per
 * transaction against 2.5 µs for the plain statements on SQLite (185 µs with a savepoint). Autobegin
 * also needs the BEGIN to be lazy, which a knex transaction is not. knex still owns the pool.
 */
import type { CompiledSql } from '../dialects/compiled.js';
import { InvalidRequestError, TsmigError } from '../errors.js';
import { DdlElement } from '../schema/ddl.js';
import { ClauseElement } from '../sql/elements/element.js';
import { Insert } from '../sql/statements/insert.js';
import type { Dialect } from '../dialects/dialect.js';
import type { Driver, DriverResult, DriverStatement, RawConnection, RowStart } from './drivers/index.js';
import { databaseError } from './errors.js';
import { type ExecutionPlan, type Params, bindParams, finishRows, hasCompiledColumns } from './execution-plan.js';
import { formatParams } from './echo.js';
import { checkInsertRecords, checkParams } from './execute-params.js';
import { type FirstOf, Result, type ScalarResult, type StatementRow } from './result.js';
import { Transaction } from './transaction.js';

/**
 * A reader of rows that `executeRead` offers a driver: taken for a result whose columns are the compiled
 * ones, each row's values converted and then read.
 */
class Reading<T> {
  /** The driver took it: the rows it returned are what `read` made. */
  taken = false;
  /** What converting or reading a row threw, which the driver's answer carries: not the database's error. */
  failure: unknown = undefined;

  constructor(
    readonly plan: ExecutionPlan,
    readonly read: (row: unknown[]) => T,
  ) {}

  readonly start: RowStart = (names) => {
    if (!hasCompiledColumns(this.plan, names)) return null;
    this.taken = true;
    const read = this.read;
    const convert = this.plan.convert?.row;
    return (row) => {
      try {
        convert?.(row);
        return read(row);
      } catch (error) {
        this.failure = error;
        throw error;
      }
    };
  };
}

/** Anything `execute()` accepts: a statement or expression object, or an already compiled statement. */
export type Executable = ClauseElement | CompiledSql | DdlElement;

/** What a Connection needs from its Engine. @internal */
export interface EngineContext {
  readonly driver: Driver;
  readonly dialect: Dialect;
  /** Connections go through a transaction pooler (the URL's `?pgbouncer=true`). */
  readonly transactionPooled: boolean;
  /** The echo logger, or null when echo is off. */
  readonly log: ((line: string) => void) | null;
  plan(statement: Executable): ExecutionPlan;
  planCompiled(compiled: CompiledSql, reusable: boolean): ExecutionPlan;
}

/** Returns the driver connection to the pool it came from; `broken` makes the pool discard it. @internal */
export type ReleaseConnection = (broken: unknown) => Promise<void>;

/** Batches of an executemany INSERT hold at most this many rows (and stay under the bind limit). */
const MAX_BATCH_ROWS = 1000;

const EMPTY_PARAMS: readonly Params[] = [{}];

/**
 * A database connection checked out of the engine's pool.
 *
 * @example
 * await using conn = await engine.connect();
 * await conn.execute(insert(movies).values({ title: 'Alien' }));
 * await conn.commit();
 *
 * // or, closing it for you:
 * const titles = await engine.connect(async (conn) => (await conn.execute(select(movies.c.title))).scalars().all());
 */
export class Connection implements AsyncDisposable {
  readonly #context: EngineContext;
  readonly #release: ReleaseConnection;
  #raw: RawConnection | null;
  /** A driver error that may have left the connection unusable; it is then discarded, not pooled. */
  #broken: unknown = null;
  #inTransaction = false;
  /** The caller sends BEGIN / COMMIT itself (see {@link startManualTransactions}): no implicit BEGIN. */
  #manual = false;
  #beginning: Promise<void> | null = null;
  /** Statements run in the current transaction (a stale prepared plan is retried only on the first). */
  #statementsInTransaction = 0;
  #root: Transaction | null = null;
  readonly #savepoints: { readonly name: string; readonly handle: Transaction }[] = [];
  #savepointCounter = 0;

  /** @internal use `engine.connect()`. */
  constructor(context: EngineContext, raw: RawConnection, release: ReleaseConnection) {
    this.#context = context;
    this.#raw = raw;
    this.#release = release;
  }

  /** The dialect statements are compiled for (capabilities, quoting). */
  get dialect(): Dialect {
    return this.#context.dialect;
  }

  /**
   * The connection goes through a transaction pooler (PgBouncer's `pool_mode = transaction`, declared by
   * the URL's `?pgbouncer=true`): session state such as a session-level lock lasts one transaction.
   */
  get transactionPooled(): boolean {
    return this.#context.transactionPooled;
  }

  /**
   * The statement that cancels what this connection is running when sent on another connection of the
   * same database (`SELECT pg_cancel_backend(pid)`, `KILL QUERY id`); null on SQLite, whose statements
   * run in this thread.
   *
   * @internal for the migration runtime's Ctrl-C handling.
   */
  get cancelStatement(): string | null {
    return this.#raw === null ? null : (this.#context.driver.cancelStatement?.(this.#raw) ?? null);
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#raw === null;
  }

  /** True between the first statement (or `begin()`) and `commit()` / `rollback()`. */
  inTransaction(): boolean {
    return this.#inTransaction;
  }

  /**
   * Runs a statement and buffers its result, beginning a transaction first if none is open.
   * An array of parameter records is an executemany: an INSERT becomes multi-row VALUES batches,
   * anything else runs once per record.
   *
   * @example
   * await conn.execute(insert(movies), [{ title: 'Alien' }, { title: 'Heat' }]);
   * const row = (await conn.execute(text('SELECT title FROM movies WHERE id = :id'), { id: 1 })).one();
   */
  async execute<S extends Executable>(statement: S, params?: Params | readonly Params[]): Promise<Result<StatementRow<S>>> {
    this.#checkOpen();
    if (statement instanceof DdlElement) return this.#executeDdl(statement) as Promise<Result<StatementRow<S>>>;
    checkParams(params);
    if (Array.isArray(params)) return this.#executeMany(statement, params as readonly Params[]);
    // `insert(t)` with its values given at execution: the columns are the record's keys.
    if (params !== undefined && isInsertWithoutValues(statement)) return this.#executeMany(statement, [params as Params]);
    const plan = this.#context.plan(statement);
    const values = bindParams(plan, params === undefined ? EMPTY_PARAMS : [params as Params], 0);
    const [result, names] = await this.#run(plan, values);
    return new Result(result.rows as StatementRow<S>[], names, result.rowCount, result.lastInsertId, result.warnings ?? 0, false);
  }

  /** A DDL element may compile to several statements (PostgreSQL comments); they run in order. */
  #executeDdl(element: DdlElement): Promise<Result<StatementRow<CompiledSql>>> {
    return this.executeDdlStatements(this.#context.dialect.compileDdl(element));
  }

  /**
   * @internal Runs the statements a DDL element compiled to (`dialect.compileDdl`), in order, as
   * `execute(element)` does; for callers that compiled the element already (a migration compiles each
   * operation's elements before running any). Nothing is planned, bound or converted: DDL takes no
   * parameters and returns no rows. The result is the last statement's: its warnings (MySQL) and no rows.
   */
  async executeDdlStatements(statements: readonly string[]): Promise<Result<StatementRow<CompiledSql>>> {
    const raw = this.#checkOpen();
    const { driver, log } = this.#context;
    let last: DriverResult | null = null;
    for (const sql of statements) {
      if (!this.#inTransaction && !this.#manual) await this.#autobegin();
      log?.(sql);
      this.#statementsInTransaction++;
      try {
        // Where a statement can report warnings that a caller must see (MySQL's truncation warnings on
        // ALTER TABLE), it runs as any other; elsewhere as a control statement, with no result to build.
        if (driver.ddlWarnings === true) last = await driver.execute(raw, ddlStatement(sql), []);
        else await driver.run(raw, sql);
      } catch (error) {
        throw this.#wrap(error, sql, []);
      }
    }
    return new Result([], null, last?.rowCount ?? 0, null, last?.warnings ?? 0, false);
  }

  /**
   * @internal Runs a query and hands each row, its values converted, to `read`; returns what `read`
   * made of each row, in order. Where the driver can, a row is read as it arrives and its array dropped
   * (see `Driver.executeEach`), else once the result is in. The ORM builds the records of the objects
   * it loads this way.
   */
  async executeRead<T>(statement: Executable, params: Params | undefined, read: (row: unknown[]) => T): Promise<T[]> {
    this.#checkOpen();
    checkParams(params);
    const plan = this.#context.plan(statement);
    const values = bindParams(plan, params === undefined ? EMPTY_PARAMS : [params], 0);
    const reading = new Reading(plan, read);
    const [result] = await this.#run(plan, values, reading);
    const rows = result.rows as unknown[];
    if (!reading.taken) for (let r = 0; r < rows.length; r++) rows[r] = read(rows[r] as unknown[]);
    return rows as T[];
  }

  /** The first column of the first row, or null (`execute(...).scalar()`). */
  async scalar<S extends Executable>(statement: S, params?: Params): Promise<FirstOf<StatementRow<S>> | null> {
    return (await this.execute(statement, params)).scalar();
  }

  /** The first column of every row (`execute(...).scalars()`). */
  async scalars<S extends Executable>(statement: S, params?: Params): Promise<ScalarResult<FirstOf<StatementRow<S>>>> {
    return (await this.execute(statement, params)).scalars();
  }

  /** COMMIT the current transaction; does nothing when none is open. */
  async commit(): Promise<void> {
    this.#checkOpen();
    if (!this.#inTransaction) return;
    await this.#control('COMMIT');
    this.#endTransaction();
  }

  /** ROLLBACK the current transaction; does nothing when none is open. */
  async rollback(): Promise<void> {
    this.#checkOpen();
    if (!this.#inTransaction) return;
    try {
      await this.#control('ROLLBACK');
    } finally {
      this.#endTransaction();
    }
  }

  /**
   * Hands transaction control to the caller, which sends BEGIN, COMMIT and ROLLBACK as statements itself:
   * until {@link endManualTransactions}, statements go out as they are, with no implicit BEGIN, so
   * between the caller's transactions the database is in autocommit mode (PostgreSQL's CREATE INDEX
   * CONCURRENTLY and SQLite's `PRAGMA foreign_keys` need that). Only with no transaction open.
   *
   * @internal for the migration runtime (TransactionControl).
   */
  startManualTransactions(): void {
    this.#checkOpen();
    if (this.#inTransaction || this.#beginning !== null) {
      throw new InvalidRequestError('A transaction is open on this connection; commit() or rollback() it before taking over its transactions');
    }
    this.#manual = true;
  }

  /**
   * Runs a transaction-control statement (BEGIN, COMMIT, ROLLBACK and their variants) as it is, with no
   * result: what a caller in manual mode sends many times a run, without the plan, parameters and
   * Result of `execute()`.
   *
   * @internal for the migration runtime (TransactionControl).
   */
  async executeControl(sql: string): Promise<void> {
    this.#checkOpen();
    await this.#control(sql);
  }

  /**
   * Gives transaction control back (autobegin again); the caller has ended whatever it began.
   *
   * @internal for the migration runtime (TransactionControl).
   */
  endManualTransactions(): void {
    this.#manual = false;
  }

  /**
   * Begins a transaction explicitly. With a callback: commits when it resolves, rolls back and rethrows
   * when it throws. Without: returns the handle. An open transaction (also an autobegun one) is an error.
   *
   * @example
   * await conn.begin(async () => { await conn.execute(a); await conn.execute(b); });
   */
  begin(): Promise<Transaction>;
  begin<T>(work: (conn: this) => Promise<T>): Promise<T>;
  async begin<T>(work?: (conn: this) => Promise<T>): Promise<Transaction | T> {
    this.#checkOpen();
    if (this.#inTransaction || this.#beginning) {
      throw new InvalidRequestError(
        'A transaction is already begun on this connection; commit() or rollback() it first, or use beginNested() for a savepoint',
      );
    }
    await this.#autobegin('BEGIN');
    const handle = new Transaction(false, (how) => (how === 'commit' ? this.commit() : this.rollback()));
    this.#root = handle;
    return work === undefined ? handle : this.#runIn(handle, work);
  }

  /**
   * A SAVEPOINT inside the current transaction (begun first if needed). With a callback: RELEASE when
   * it resolves, ROLLBACK TO SAVEPOINT and rethrow when it throws. Without: returns the handle.
   *
   * @example
   * try {
   *   await conn.beginNested(async () => conn.execute(insert(users).values({ name: 'dup' })));
   * } catch (e) {
   *   if (!(e instanceof IntegrityError)) throw e; // the outer transaction goes on
   * }
   */
  beginNested(): Promise<Transaction>;
  beginNested<T>(work: (conn: this) => Promise<T>): Promise<T>;
  async beginNested<T>(work?: (conn: this) => Promise<T>): Promise<Transaction | T> {
    this.#checkOpen();
    await this.#autobegin();
    const name = `tsmig_sp_${++this.#savepointCounter}`;
    await this.#control(`SAVEPOINT ${name}`);
    const handle: Transaction = new Transaction(true, (how) => this.#endSavepoint(name, how));
    this.#savepoints.push({ name, handle });
    return work === undefined ? handle : this.#runIn(handle, work);
  }

  /**
   * Rolls back anything uncommitted and returns the connection to the pool. Safe to call twice; any
   * other use afterwards is an InvalidRequestError.
   */
  async close(): Promise<void> {
    const raw = this.#raw;
    if (raw === null) return;
    try {
      await this.#beginning?.catch(() => undefined);
      if ((this.#inTransaction || this.#manual) && this.#context.driver.inTransaction?.(raw) !== false) {
        try {
          await this.#control('ROLLBACK');
        } catch (error) {
          // The connection is in an unknown state: let the pool discard it.
          this.#broken ??= error;
        }
      }
      this.#endTransaction();
      this.#manual = false;
    } finally {
      this.#raw = null;
      await this.#release(this.#broken);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #runIn<T>(handle: Transaction, work: (conn: this) => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await work(this);
    } catch (error) {
      if (handle.isActive && !this.closed) await handle.rollback();
      throw error;
    }
    if (handle.isActive) await handle.commit();
    return value;
  }

  async #endSavepoint(name: string, how: 'commit' | 'rollback'): Promise<void> {
    this.#checkOpen();
    const index = this.#savepoints.findIndex((s) => s.name === name);
    if (index === -1) return;
    // Releasing or rolling back to a savepoint also ends every savepoint taken after it.
    for (const inner of this.#savepoints.splice(index)) inner.handle.deactivate();
    await this.#control(how === 'commit' ? `RELEASE SAVEPOINT ${name}` : `ROLLBACK TO SAVEPOINT ${name}`);
  }

  #endTransaction(): void {
    this.#inTransaction = false;
    this.#statementsInTransaction = 0;
    this.#root?.deactivate();
    this.#root = null;
    for (const savepoint of this.#savepoints.splice(0)) savepoint.handle.deactivate();
  }

  #checkOpen(): RawConnection {
    if (this.#raw === null) {
      throw new InvalidRequestError('This connection is closed; get a new one with engine.connect()');
    }
    return this.#raw;
  }

  /** BEGIN unless a transaction is open; concurrent callers share one BEGIN. */
  #autobegin(logAs = 'BEGIN (implicit)'): Promise<void> {
    if (this.#inTransaction) return Promise.resolve();
    this.#beginning ??= this.#control('BEGIN', logAs).then(
      () => {
        this.#inTransaction = true;
        this.#beginning = null;
      },
      (error: unknown) => {
        this.#beginning = null;
        throw error;
      },
    );
    return this.#beginning;
  }

  /** Runs a transaction-control statement. */
  async #control(sql: string, logAs = sql): Promise<void> {
    const raw = this.#checkOpen();
    const { driver, log } = this.#context;
    log?.(logAs);
    try {
      await driver.run(raw, sql);
    } catch (error) {
      throw this.#wrap(error, sql, []);
    }
  }

  /**
   * Runs a plan. With `reading`, a driver that can hands it the rows as they arrive (see
   * `Driver.executeEach`); the rows it took are converted and read already.
   */
  async #run(plan: ExecutionPlan, values: unknown[], reading?: Reading<unknown>): Promise<[DriverResult, readonly string[] | null]> {
    const raw = this.#checkOpen();
    if (!this.#inTransaction && !this.#manual) await this.#autobegin();
    const { driver, log } = this.#context;
    const sql = plan.compiled.sql;
    if (log !== null) {
      log(sql);
      if (values.length > 0) log(formatParams(values));
    }
    const statement = plan.statement;
    const send = () =>
      reading !== undefined && driver.executeEach !== undefined
        ? driver.executeEach(raw, statement, values, reading.start)
        : driver.execute(raw, statement, values);
    const first = this.#statementsInTransaction++ === 0;
    let result: DriverResult;
    try {
      result = await send();
    } catch (error) {
      if (error === reading?.failure) throw error;
      if (!(first && !this.#manual && statement.reusable && driver.isStalePlan?.(error))) throw this.#wrap(error, sql, values);
      // A cached plan went stale after DDL elsewhere. Nothing else ran in this transaction, so start it
      // again and retry once (the driver has forgotten the plan).
      log?.('[prepared statement went stale after DDL; preparing it again]');
      await this.#control('ROLLBACK');
      this.#endTransaction();
      await this.#autobegin();
      this.#statementsInTransaction = 1;
      try {
        result = await send();
      } catch (retryError) {
        throw this.#wrap(retryError, sql, values);
      }
    }
    return [result, reading?.taken === true ? plan.columnNames : finishRows(plan, result, this.#context.dialect.values)];
  }

  async #executeMany<S extends Executable>(statement: S, rows: readonly Params[]): Promise<Result<StatementRow<S>>> {
    const { dialect } = this.#context;
    if (rows.length === 0) return new Result<StatementRow<S>>([], null, 0, null);
    const insert = statement instanceof Insert ? statement : null;
    const keys = Object.keys(rows[0]!);
    if (insert !== null && keys.length > 0 && dialect.capabilities.multiRowInsert) {
      checkInsertRecords(rows, keys);
      return this.#insertMany(insert, keys, rows) as Promise<Result<StatementRow<S>>>;
    }
    // Records without keys insert defaults, one row each, as `insert(t).values({})` does.
    const empty = insert !== null && keys.length === 0 && insert.rows.length === 0;
    return this.#eachRow(empty ? insert.values({}) : statement, rows) as Promise<Result<StatementRow<S>>>;
  }

  /** `statement` once per record. */
  async #eachRow(statement: Executable, rows: readonly Params[]): Promise<Result<unknown>> {
    const plan = this.#context.plan(statement);
    const results = new ResultCollector();
    for (let i = 0; i < rows.length; i++) results.add(await this.#run(plan, bindParams(plan, rows, i)));
    return results.result();
  }

  /** `rows` as INSERT batches of `keys` of up to `maxRows` rows, under the dialect's bind limit. */
  async #insertMany(insert: Insert<any, any>, keys: readonly string[], rows: readonly Params[], maxRows = MAX_BATCH_ROWS): Promise<Result<unknown>> {
    const { dialect } = this.#context;
    const perRow = Math.max(1, dialect.compileInsertBatch(insert, keys, 1).binds.length);
    const batchRows = Math.max(1, Math.min(maxRows, Math.floor(dialect.capabilities.maxBindParams / perRow), rows.length));
    // Every full batch reuses one compiled statement; only the last, shorter one is compiled apart.
    const fullPlan = this.#context.planCompiled(dialect.compileInsertBatch(insert, keys, batchRows), true);
    const results = new ResultCollector();
    for (let offset = 0; offset < rows.length; offset += batchRows) {
      const count = Math.min(batchRows, rows.length - offset);
      const plan = count === batchRows ? fullPlan : this.#context.planCompiled(dialect.compileInsertBatch(insert, keys, count), true);
      this.#context.log?.(`[executemany batch of ${count} rows, ${offset + count} of ${rows.length}]`);
      results.add(await this.#run(plan, bindParams(plan, rows, offset)));
    }
    return results.result();
  }

  /**
   * @internal An executemany INSERT of `keys` read from each of `records`, which may hold other
   * properties too (the ORM passes its objects' attribute records as they are, rather than copying
   * the columns of each into a new record). The records are the caller's own: they are not checked
   * as user parameters are.
   */
  async executeInsertRecords(insert: Insert<any, any>, keys: readonly string[], records: readonly Params[]): Promise<Result<unknown>> {
    this.#checkOpen();
    if (records.length === 0) return new Result([], null, 0, null);
    // No column to write (the database fills every one): a row of defaults each, as executemany does.
    if (keys.length === 0) return this.#eachRow(insert.values({}), records);
    return this.#insertMany(insert, keys, records, this.#context.dialect.capabilities.multiRowInsert ? MAX_BATCH_ROWS : 1);
  }

  /**
   * @internal Runs `records` as ONE multi-row INSERT of `keys` (read from each record, as by
   * `executeInsertRecords`), compiled and planned once per statement and row count, and returns its
   * result with the id the database reports for it (MySQL: the first row's AUTO_INCREMENT id). The
   * ORM's flush uses it where the dialect has no RETURNING; the caller keeps the batch under the
   * dialect's bind limit.
   */
  async executeInsertBatch(insert: Insert<any, any>, keys: readonly string[], records: readonly Params[]): Promise<Result<unknown>> {
    this.#checkOpen();
    const { dialect } = this.#context;
    const plan = this.#context.planCompiled(dialect.compileInsertBatch(insert, keys, records.length), true);
    const [result, names] = await this.#run(plan, bindParams(plan, records, 0));
    return new Result(result.rows, names, result.rowCount, result.lastInsertId, result.warnings ?? 0, false);
  }

  #wrap(error: unknown, sql: string, values: readonly unknown[]): TsmigError {
    const { dialect, driver } = this.#context;
    if (driver.isConnectionLost?.(error)) this.#broken ??= error;
    return databaseError(dialect, driver, error, sql, values);
  }
}

/** The results of the statements of one executemany, summed up as one Result. */
class ResultCollector {
  readonly #rows: unknown[][] = [];
  #names: readonly string[] | null = null;
  #rowCount = 0;
  #warnings = 0;

  add([result, names]: [DriverResult, readonly string[] | null]): void {
    this.#rowCount += result.rowCount;
    this.#warnings += result.warnings ?? 0;
    if (names !== null) {
      this.#names = names;
      for (const row of result.rows) this.#rows.push(row);
    }
  }

  result(): Result<unknown> {
    return new Result(this.#rows, this.#names, this.#rowCount, null, this.#warnings, false);
  }
}

/** What a driver is asked to run for a DDL statement that goes through `execute`: SQL built once, never prepared. */
function ddlStatement(sql: string): DriverStatement {
  return { sql, bigints: false, reusable: false, freshNames: true };
}

function isInsertWithoutValues(statement: Executable): boolean {
  return statement instanceof ClauseElement && statement.kind === 'Insert' && (statement as unknown as { rows: readonly unknown[] }).rows.length === 0;
}
