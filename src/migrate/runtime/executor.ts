/**
 * The two {@link MigrationExecutor}s a migration runs on: online, statements go to the migration
 * connection inside the transaction the runtime opened; offline, the same statements are compiled with
 * literal values and written to the SQL script. Transactions themselves are the runtime's business
 * (migration-context.ts); an executor only steps out of one when a migration asks
 * (`autocommitBlock`, `withoutForeignKeys`).
 */
import type { Dialect } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { ArgumentError } from '../../errors.js';
import type { MetaData } from '../../schema/metadata.js';
import { DdlElement } from '../../schema/ddl.js';
import type { ClauseElement } from '../../sql/elements/element.js';
import { TextClause, text } from '../../sql/elements/text.js';
import type { MigrationExecutor } from '../operations/migration-executor.js';
import { OfflineModeError } from './errors.js';
import type { ForeignKeySwitch } from './foreign-keys.js';
import type { SqlSink } from './sql-sink.js';
import type { TransactionControl } from './transaction-control.js';
import type { WarningCheck } from './data-loss.js';
import { stopIfInterrupted } from './interrupt.js';

type Executable = DdlElement | ClauseElement | string;

/**
 * Told, before it runs, of statement `n` of a migration (1 = the first) when it may commit by itself (not
 * plain DML), with its SQL and that of the statement before it.
 */
export type StatementHook = (n: number, sql: string, previous: string | null) => Promise<void>;

/** SQL text that is plain DML: it stays in the transaction on every dialect (no implicit commit). */
const PLAIN_DML = /^\s*(?:\(\s*)*(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|VALUES)\b/i;

/** Whether a statement may commit by itself where DDL does (MySQL): DDL, or text that is not plain DML. */
export function mayCommit(element: Executable): boolean {
  if (element instanceof DdlElement) return true;
  if (typeof element === 'string') return !PLAIN_DML.test(element);
  if (element instanceof TextClause) return !PLAIN_DML.test(element.text);
  return false;
}

/** What the runtime lends the executor of one migration. */
export interface ExecutorHost {
  /** The database's models (config `targetMetadata`), for the operations' naming conventions. */
  readonly targetMetadata: MetaData | null;
  /** The dialect's foreign key switch, or null where rebuilds need none. */
  readonly foreignKeySwitch: ForeignKeySwitch | null;
  /** True once the migration runs with foreign keys off (set by the runtime). */
  readonly foreignKeysOff: boolean;
}

/**
 * Thrown through the migration when it asks for foreign keys off: the PRAGMA only works outside a
 * transaction, so the runtime rolls the migration back and runs it again from the start with foreign
 * keys off, and the whole migration stays one transaction. Not a TsmigError: it never reaches the user.
 */
export class RestartWithoutForeignKeys extends Error {
  override readonly name = 'RestartWithoutForeignKeys';
  constructor() {
    super('the migration is run again with foreign keys off (internal signal; a migration must not catch it)');
  }
}

/** What both executors count for the runtime's messages and decisions. */
abstract class BaseExecutor implements MigrationExecutor {
  abstract readonly offline: boolean;
  readonly dialect: Dialect;
  protected readonly host: ExecutorHost;
  /** Statements run (or written) by the migration so far. */
  statements = 0;
  /** True once the migration asked to run with foreign keys off after running statements. */
  restartRequested = false;
  /** True once an autocommit block committed part of the migration. */
  leftTransaction = false;
  #last: { element: Executable; params: Record<string, unknown> | undefined; statements: readonly string[] | null } | null = null;

  constructor(dialect: Dialect, host: ExecutorHost) {
    this.dialect = dialect;
    this.host = host;
  }

  get targetMetadata(): MetaData | null {
    return this.host.targetMetadata;
  }

  abstract execute(element: Executable, params?: Record<string, unknown>): Promise<void>;
  abstract executeDdl(element: DdlElement, statements: readonly string[]): Promise<void>;
  abstract connection(): Connection;
  abstract autocommitBlock<T>(work: () => Promise<T>): Promise<T>;

  async withoutForeignKeys<T>(work: () => Promise<T>): Promise<T> {
    if (this.host.foreignKeySwitch === null || this.host.foreignKeysOff) return work();
    this.restartRequested = true;
    throw new RestartWithoutForeignKeys();
  }

  /** The SQL of the last statement that ran without error, for the message of a failure that is not rolled back. */
  lastStatementSql(): string | null {
    if (this.#last === null) return null;
    return this.#last.statements === null ? this.describe(this.#last.element, this.#last.params) : this.#last.statements.join('; ');
  }

  /** A statement's SQL with its values inline, for messages (its kind when it does not compile so). */
  protected describe(element: Executable, params: Record<string, unknown> | undefined): string {
    try {
      return this.compileLiteral(element, params).join('; ');
    } catch {
      return typeof element === 'string' ? element : element.kind;
    }
  }

  /** `statements`: what a DDL element compiled to, when the caller compiled it. */
  protected ran(element: Executable, params: Record<string, unknown> | undefined, statements: readonly string[] | null = null): void {
    this.statements += 1;
    this.#last = { element, params, statements };
  }

  /** Statements compiled with their values inline, as an offline script writes them. */
  protected compileLiteral(element: Executable, params: Record<string, unknown> | undefined): string[] {
    if (element instanceof DdlElement) {
      if (params !== undefined) throw new ArgumentError('op.execute(): a DDL element takes no parameters');
      return this.dialect.compileDdl(element);
    }
    let statement: ClauseElement = typeof element === 'string' ? text(element) : element;
    if (params !== undefined && Object.keys(params).length > 0) {
      if (!(statement instanceof TextClause)) {
        throw new OfflineModeError(
          'op.execute(statement, params): offline (--sql) mode can inline parameters of SQL text only; put the values in the statement',
        );
      }
      statement = statement.bindparams(params);
    }
    return [this.dialect.compile(statement, { literalBinds: true }).sql];
  }
}

/**
 * Runs a migration's statements on the migration connection.
 *
 * @internal created by the runtime for each migration.
 */
export class OnlineExecutor extends BaseExecutor {
  readonly offline = false;
  readonly #control: TransactionControl;
  readonly #begin: () => Promise<void>;

  readonly #beforeStatement: StatementHook | null;
  readonly #checkWarnings: WarningCheck | null;
  /** Statements cannot be cancelled from outside (SQLite): let a pending signal handler run before each. */
  readonly #yieldFirst: boolean;

  /**
   * `begin` opens a transaction under the run's lock (SQLite waits for its write lock there);
   * `beforeStatement` is told of each statement before it goes to the server (the run journal);
   * `checkWarnings` reads the warnings of a statement that reported some (MySQL's data-loss warnings).
   */
  constructor(
    dialect: Dialect,
    control: TransactionControl,
    host: ExecutorHost,
    begin: () => Promise<void>,
    hooks: { readonly beforeStatement?: StatementHook | null; readonly checkWarnings?: WarningCheck | null } = {},
  ) {
    super(dialect, host);
    this.#control = control;
    this.#begin = begin;
    this.#beforeStatement = hooks.beforeStatement ?? null;
    this.#checkWarnings = hooks.checkWarnings ?? null;
    this.#yieldFirst = control.connection.cancelStatement === null;
  }

  async execute(element: Executable, params?: Record<string, unknown>): Promise<void> {
    const statement = typeof element === 'string' ? text(element) : element;
    if (statement instanceof DdlElement && params !== undefined) {
      throw new ArgumentError('op.execute(): a DDL element takes no parameters');
    }
    await stopIfInterrupted(this.#yieldFirst);
    if (this.#beforeStatement !== null && mayCommit(element)) {
      await this.#beforeStatement(this.statements + 1, this.describe(element, params), this.lastStatementSql());
    }
    const result = await this.#control.execute(statement, params);
    if (result.warnings > 0 && this.#checkWarnings !== null) await this.#checkWarnings(this.describe(element, params));
    this.ran(element, params);
  }

  async executeDdl(element: DdlElement, statements: readonly string[]): Promise<void> {
    await stopIfInterrupted(this.#yieldFirst);
    const sql = this.#beforeStatement !== null || this.#checkWarnings !== null ? statements.join('; ') : '';
    if (this.#beforeStatement !== null) await this.#beforeStatement(this.statements + 1, sql, this.lastStatementSql());
    const result = await this.#control.executeDdl(statements);
    if (result.warnings > 0 && this.#checkWarnings !== null) await this.#checkWarnings(sql);
    this.ran(element, undefined, statements);
  }

  connection(): Connection {
    return this.#control.connection;
  }

  async autocommitBlock<T>(work: () => Promise<T>): Promise<T> {
    const wasOpen = this.#control.inTransaction;
    if (wasOpen) {
      await this.#control.commit();
      this.leftTransaction = true;
    }
    try {
      return await work();
    } finally {
      if (wasOpen) await this.#begin();
    }
  }
}

/** The SQL script's transaction state, shared by the runtime and the executor of each migration. */
export interface ScriptTransaction {
  /** A BEGIN has been written and not yet its COMMIT. */
  open: boolean;
}

/**
 * Writes a migration's statements to the SQL script, values inline.
 *
 * @internal created by the runtime for each migration in offline mode.
 */
export class OfflineExecutor extends BaseExecutor {
  readonly offline = true;
  readonly #sink: SqlSink;
  readonly #transaction: ScriptTransaction;

  constructor(dialect: Dialect, sink: SqlSink, transaction: ScriptTransaction, host: ExecutorHost) {
    super(dialect, host);
    this.#sink = sink;
    this.#transaction = transaction;
  }

  async execute(element: Executable, params?: Record<string, unknown>): Promise<void> {
    for (const sql of this.compileLiteral(element, params)) this.#sink.statement(sql);
    this.ran(element, params);
  }

  async executeDdl(element: DdlElement, statements: readonly string[]): Promise<void> {
    for (const sql of statements) this.#sink.statement(sql);
    this.ran(element, undefined, statements);
  }

  connection(): Connection {
    throw new OfflineModeError(
      'No database connection in offline (--sql) mode: this migration reads from the database (op.getBind() or a data query). Run it online, or skip that part when the migration runs offline.',
    );
  }

  async autocommitBlock<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#transaction.open) return work();
    this.#sink.comment('tsmig: autocommit block: the statements below run outside a transaction');
    this.#sink.statement('COMMIT');
    this.#transaction.open = false;
    this.leftTransaction = true;
    try {
      return await work();
    } finally {
      this.#sink.comment('tsmig: end of autocommit block');
      this.#sink.statement('BEGIN');
      this.#transaction.open = true;
    }
  }
}
