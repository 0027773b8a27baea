/**
 * The engine layer: `createEngine(url)` gives a pool of connections to one database, and the only code
 * in tsmig that touches knex and the drivers. It compiles statements through the dialect, runs the SQL
 * directly on the raw driver connections knex pools (knex's query builder is never used: it would cost
 * 3-10x per statement), and converts values with the dialect's adapters. It knows no ORM and no
 * migrations.
 */
import type { Knex } from 'knex';
import type { CompiledSql } from '../dialects/compiled.js';
import type { Dialect } from '../dialects/dialect.js';
import { getDialect } from '../dialects/index.js';
import { ArgumentError } from '../errors.js';
import { ClauseElement } from '../sql/elements/element.js';
import type { MetaData, SchemaRunOptions } from '../schema/metadata.js';
import type { ReflectedSchema } from '../schema/reflected.js';
import { catalogQuery } from './catalog-query.js';
import { Connection, type EngineContext, type Executable } from './connection.js';
import { type Driver, type RawConnection, driverFor } from './drivers/index.js';
import { connectionError, poolTimeoutError } from './errors.js';
import { type ExecutionPlan, makePlan } from './execution-plan.js';
import { createAll, dropAll } from './schema-runner.js';
import { DatabaseUrl, parseDatabaseUrl } from './url.js';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Log every statement and its parameters (never the URL's password). */
  readonly echo?: boolean;
  /** Where echo lines go; `console.log` by default. */
  readonly logger?: (line: string) => void;
  /** Connections the pool keeps for reuse (default 5). */
  readonly poolSize?: number;
  /** Connections allowed beyond `poolSize` under load (default 10). */
  readonly maxOverflow?: number;
  /** Seconds to wait for a connection before a ConnectionError (default 30); also the connect timeout. */
  readonly poolTimeout?: number;
}

/** Statement kinds whose SQL is generated, stable and worth a server-side prepared statement. */
const REUSABLE_KINDS = new Set(['Select', 'CompoundSelect', 'Insert', 'Update', 'Delete']);

/** A driver connection knex will destroy instead of pooling (knex's own convention). */
type DisposableConnection = RawConnection & { __knex__disposed?: unknown };

function usedConnections(pool: Knex): number {
  return (pool.client as { pool?: { numUsed(): number } }).pool?.numUsed() ?? 0;
}

/** Returns a connection to the pool it came from, even after dispose() replaced that pool. */
async function release(pool: Knex, raw: RawConnection, broken: unknown): Promise<void> {
  // knex validates connections on checkout and destroys those marked disposed.
  if (broken !== null && broken !== undefined) (raw as DisposableConnection).__knex__disposed ??= broken;
  await pool.client.releaseConnection(raw);
}

function positiveNumber(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ArgumentError(`createEngine option ${name} must be a number >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * A pool of connections to one database plus the dialect that speaks to it.
 *
 * @example
 * const engine = createEngine('postgresql://app:secret@localhost:5432/shop', { echo: true });
 * await engine.begin(async (conn) => {
 *   await conn.execute(insert(orders).values({ total: '12.50' }));
 * });
 * await engine.dispose();
 */
export class Engine {
  /** The database URL; printing it hides the password. */
  readonly url: DatabaseUrl;
  /** Log statements through `logger`; may be switched at any time. */
  echo: boolean;
  readonly #logger: (line: string) => void;
  readonly #driver: Driver;
  readonly #knexConfig: Knex.Config;
  readonly #poolMax: number;
  readonly #poolTimeout: number;
  #dialect: Dialect;
  #mariadbChecked: boolean;
  readonly #transactionPooled: boolean;
  #knex: Knex | null = null;
  #plans = new WeakMap<CompiledSql, ExecutionPlan>();
  readonly #context: EngineContext;

  /** @internal use {@link createEngine}. */
  constructor(url: DatabaseUrl, options: EngineOptions = {}) {
    this.url = url;
    this.echo = options.echo ?? false;
    this.#logger = options.logger ?? ((line) => console.log(line));
    const poolSize = positiveNumber('poolSize', options.poolSize, 5, 1);
    const maxOverflow = positiveNumber('maxOverflow', options.maxOverflow, 10, 0);
    this.#poolTimeout = positiveNumber('poolTimeout', options.poolTimeout, 30, 0.001);
    this.#dialect = getDialect(url.dialect, { mariadb: url.mariadb });
    // mysql:// may point at MariaDB: the first connection tells (see #onConnect).
    this.#mariadbChecked = url.dialect !== 'mysql' || url.mariadb;
    this.#driver = driverFor(url, this.#dialect);
    this.#transactionPooled = this.#driver.transactionPooled?.(url) ?? false;
    // Built now so that a bad URL option fails in createEngine(), not at the first query.
    const driverConfig = this.#driver.knexConfig(url, { connectTimeoutSeconds: this.#poolTimeout });
    const pool = driverConfig.pool ?? { min: 0, max: Math.floor(poolSize + maxOverflow) };
    this.#poolMax = pool.max;
    this.#knexConfig = {
      client: this.#driver.knexClient,
      connection: driverConfig.connection,
      ...(driverConfig.knexVersion === undefined ? {} : { version: driverConfig.knexVersion }),
      useNullAsDefault: true,
      acquireConnectionTimeout: Math.max(this.#poolTimeout, driverConfig.minimumConnectSeconds ?? 0) * 1000,
      pool: {
        ...pool,
        afterCreate: (raw: RawConnection, done: (error: unknown, raw: RawConnection) => void) => {
          this.#driver.setupConnection(raw).then(
            (info) => {
              this.#onConnect(info.serverVersion);
              done(null, raw);
            },
            (error: unknown) => {
              // knex does not close a connection whose setup failed; close it here.
              const client = this.#knex?.client as { destroyRawConnection?(raw: RawConnection): Promise<void> } | undefined;
              void client?.destroyRawConnection?.(raw)?.catch(() => undefined);
              done(error, raw);
            },
          );
        },
      },
      log: {
        // Failed acquisitions become ConnectionErrors and evicted broken connections need no notice;
        // anything else knex has to say is worth a warning.
        warn: (message: string) => {
          if (!/^(Acquire connection error|Connection Error)/.test(message)) console.warn(`tsmig (knex): ${message}`);
        },
        error: (message: string) => console.error(`tsmig (knex): ${message}`),
        deprecate: () => undefined,
        debug: () => undefined,
      },
    };
    const engine = this;
    this.#context = {
      driver: this.#driver,
      transactionPooled: this.#transactionPooled,
      get dialect() {
        return engine.#dialect;
      },
      get log() {
        return engine.echo ? engine.#logger : null;
      },
      plan: (statement) => this.#plan(statement),
      planCompiled: (compiled, reusable) => this.#planCompiled(compiled, reusable, false),
    };
  }

  /** The dialect in use (for `mysql://` URLs it becomes MariaDB's after the first connect if need be). */
  get dialect(): Dialect {
    return this.#dialect;
  }

  /**
   * Checks a connection out of the pool. Without a callback, close it yourself (`await using` does);
   * with one, it is closed (rolling back anything uncommitted) when the callback settles.
   *
   * @example
   * await using conn = await engine.connect();
   * const n = await engine.connect(async (conn) => (await conn.execute(stmt)).rowCount);
   */
  connect(): Promise<Connection>;
  connect<T>(work: (conn: Connection) => Promise<T>): Promise<T>;
  async connect<T>(work?: (conn: Connection) => Promise<T>): Promise<Connection | T> {
    const pool = await this.#pool();
    const raw = await this.#acquire(pool);
    const conn = new Connection(this.#context, raw, (broken) => release(pool, raw, broken));
    if (work === undefined) return conn;
    try {
      return await work(conn);
    } finally {
      await conn.close();
    }
  }

  /**
   * Runs `work` in a transaction on a fresh connection: COMMIT when it resolves, ROLLBACK and rethrow
   * when it throws (so a failed statement leaves nothing committed).
   *
   * @example
   * await engine.begin(async (conn) => {
   *   await conn.execute(update(accounts).values({ balance: '0.00' }).where(accounts.c.id.eq(1)));
   * });
   */
  async begin<T>(work: (conn: Connection) => Promise<T>): Promise<T> {
    return this.connect((conn) => conn.begin(() => work(conn)));
  }

  /**
   * Reads a whole schema (null: the default one) in a constant number of catalog queries; what
   * `metadata.reflect(engine)`, the Inspector and autogenerate work from. `onQuery` sees each query.
   */
  reflectSchema(schema: string | null = null, options: { onQuery?: (sql: string) => void } = {}): Promise<ReflectedSchema> {
    return this.connect(async (conn) => {
      try {
        return await this.#dialect.reflection.reflect(catalogQuery(conn, options.onQuery), schema);
      } finally {
        await conn.rollback();
      }
    });
  }

  /** `metadata.createAll(engine)`: creates what is missing, in one transaction where DDL is transactional. */
  createAll(metadata: MetaData, options: SchemaRunOptions = {}): Promise<void> {
    return this.begin((conn) => createAll(conn, this.#dialect, metadata, options));
  }

  /** `metadata.dropAll(engine)`: drops what exists, children first. */
  dropAll(metadata: MetaData, options: SchemaRunOptions = {}): Promise<void> {
    return this.begin((conn) => dropAll(conn, this.#dialect, metadata, options));
  }

  /**
   * Closes every pooled connection; connections still checked out are closed when they are returned.
   * The engine stays usable: the next `connect()` opens a new pool (an in-memory SQLite database is lost
   * with its connection).
   */
  async dispose(): Promise<void> {
    const current = this.#knex;
    this.#knex = null;
    if (current === null) return;
    const destroyed = current.destroy();
    // knex waits for checked-out connections to come back; waiting here would hang a caller that
    // still holds one, so only wait when none is out.
    if (usedConnections(current) === 0) await destroyed;
    else destroyed.catch(() => undefined);
  }

  toString(): string {
    return `Engine(${this.url})`;
  }

  /**
   * knex (and through it the driver) is loaded on the first connection: it costs a third of a second
   * to load, which commands that never connect (`history`, `heads`, offline `--sql`) should not pay.
   */
  async #pool(): Promise<Knex> {
    if (this.#knex === null) {
      this.#driver.loadLibrary?.();
      const { default: knex } = await import('knex');
      const custom = this.#driver.knexClientClass?.(knex.Client);
      this.#knex ??= knex(custom === undefined ? this.#knexConfig : { ...this.#knexConfig, client: custom });
    }
    return this.#knex;
  }

  async #acquire(pool: Knex): Promise<RawConnection> {
    try {
      return (await pool.client.acquireConnection()) as RawConnection;
    } catch (error) {
      if ((error as Error).name === 'KnexTimeoutError' && usedConnections(pool) >= this.#poolMax) {
        throw poolTimeoutError(this.url, this.#poolMax, this.#poolTimeout);
      }
      throw connectionError(this.url, (error as { cause?: unknown }).cause ?? error, this.#poolTimeout);
    }
  }

  #onConnect(serverVersion: string | null): void {
    if (this.#mariadbChecked) return;
    this.#mariadbChecked = true;
    if (serverVersion !== null && /mariadb/i.test(serverVersion)) {
      this.#dialect = getDialect('mysql', { mariadb: true });
      this.#plans = new WeakMap();
    }
  }

  #plan(statement: Executable): ExecutionPlan {
    if (statement instanceof ClauseElement) {
      const compiled = this.#dialect.compile(statement);
      return this.#planCompiled(compiled, REUSABLE_KINDS.has(statement.kind), statement.kind === 'TextClause');
    }
    if (typeof (statement as CompiledSql | null)?.sql !== 'string' || !Array.isArray((statement as CompiledSql).binds)) {
      throw new ArgumentError(
        `execute() takes a statement (select(), insert(), text(), ...) or a compiled statement, got ${String(statement)}`,
      );
    }
    return this.#planCompiled(statement as CompiledSql, false, false);
  }

  #planCompiled(compiled: CompiledSql, reusable: boolean, byName: boolean): ExecutionPlan {
    let plan = this.#plans.get(compiled);
    if (plan === undefined) {
      plan = makePlan(compiled, this.#dialect.values, {
        // A pooler lends each transaction any server connection, where a statement prepared on another
        // does not exist: behind one, every statement is unnamed.
        reusable: reusable && !this.#transactionPooled,
        byName,
        exactIntegersOnRequest: this.#driver.exactIntegersOnRequest,
      });
      this.#plans.set(compiled, plan);
    }
    return plan;
  }
}

/**
 * Creates an engine for a database URL. Nothing connects until the first `connect()`; a malformed URL
 * or an unknown dialect, driver or option is a UrlError right away.
 *
 * | URL | database |
 * | --- | --- |
 * | `sqlite://`, `sqlite:///:memory:` | in memory (one shared connection) |
 * | `sqlite:///app.db`, `sqlite:////var/data/app.db` | a file, relative or absolute |
 * | `postgresql://user:pass@host:5432/db` (`postgres://`, `postgresql+pg://`) | PostgreSQL via pg |
 * | `mysql://user:pass@host:3306/db` (`mysql+mysql2://`) | MySQL, or MariaDB when the server says so |
 * | `mariadb://user:pass@host:3306/db` | MariaDB via mysql2 |
 *
 * Query-string options go to the driver (`?ssl=true`, `?sslmode=require`, `?charset=utf8mb4`,
 * `?connect_timeout=5`, `?application_name=x`), except `?pgbouncer=true` (PostgreSQL): the server is
 * reached through PgBouncer in transaction pooling mode, so statements are not prepared under a name and
 * migrations lock per transaction.
 *
 * @example
 * const engine = createEngine('sqlite:///app.db', { echo: true });
 */
export function createEngine(url: string | DatabaseUrl, options: EngineOptions = {}): Engine {
  return new Engine(parseDatabaseUrl(url), options);
}
