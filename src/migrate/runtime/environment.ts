/**
 * The environment a project's `env.ts` receives, as Alembic's env.py receives `context`: the resolved
 * config, offline or online, the `-x` arguments, and `runMigrations()`, which does the command's work on
 * a connection it opens from the URL or on one env.ts provides. Every command that touches a database
 * (upgrade, downgrade, stamp, current, ensure-version) runs env.ts, so a project sets its connection up
 * in one place.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { getDialect } from '../../dialects/index.js';
import type { Connection } from '../../engine/connection.js';
import { createEngine, type EngineOptions } from '../../engine/engine.js';
import type { DatabaseUrl } from '../../engine/url.js';
import { TsmigError } from '../../errors.js';
import type { MetaData } from '../../schema/metadata.js';
import { ConfigError } from '../config/config-error.js';
import { type ResolvedConfig, type ResolvedDatabase, requireUrl, targetDatabases } from '../config/load-config.js';
import { importUserModule } from '../config/user-modules.js';
import { EnvironmentError } from './errors.js';
import { MigrationContext, type RunAction, type RunOutcome, type RunReporter } from './migration-context.js';
import { RevisionHistory, type RevisionLedger } from './revision-history.js';
import type { SqlSink } from './sql-sink.js';
import { VersionTable } from './version-table.js';

/** The names env.ts may have, in the order they are looked for. */
export const ENV_FILE_NAMES: readonly string[] = ['env.ts', 'env.mts', 'env.js', 'env.mjs'];

/** Options of {@link Environment.runMigrations}. */
export interface RunMigrationsOptions {
  /**
   * Run on this connection (after your own setup, e.g. `SET search_path`). Default: a connection the
   * runtime opens from the URL and closes after.
   */
  readonly connection?: Connection;
  /** The database of a multidb project (one of {@link Environment.databaseNames}); default: the only one. */
  readonly database?: string;
  /** Override `transactionPerMigration` of alembic.config.ts for this run. */
  readonly transactionPerMigration?: boolean;
  /** Override `dataLossWarnings` of alembic.config.ts for this run (MySQL). */
  readonly dataLossWarnings?: 'error' | 'warn';
}

/** The work a command asks of env.ts. @internal built by `migrate/commands`. */
export interface EnvironmentInvocation {
  readonly offline: boolean;
  /** `--tag`: a free string for env.ts. */
  readonly tag: string | null;
  readonly action: RunAction;
  /** Offline: where the script starts (empty: base). */
  readonly startingHeads: readonly string[];
  readonly lockTimeout: number;
  readonly reporter: RunReporter;
  /** Offline: where the SQL goes. */
  readonly sink: SqlSink | null;
  /** The revision files, for the history table of checksums; null: keep no history. */
  readonly ledger: RevisionLedger | null;
  /** `--allow-modified`: go on when an applied revision's file changed since it ran. */
  readonly allowModified: boolean;
}

/** One database's result of a run. */
export interface DatabaseOutcome extends RunOutcome {
  /** The multidb database name, or null. */
  readonly database: string | null;
}

/** The signature of env.ts's default export. */
export type EnvironmentFunction = (ctx: Environment) => Promise<void> | void;

/**
 * What env.ts receives.
 *
 * @example
 * ```ts
 * // migrations/env.ts
 * import type { Environment } from 'tsmig';
 *
 * export default async function env(ctx: Environment): Promise<void> {
 *   await ctx.runMigrations();
 * }
 * ```
 */
export class Environment {
  /** alembic.config.ts, resolved: absolute paths, defaults, the URL (printing it hides the password). */
  readonly config: ResolvedConfig;
  /** `-x key=value` arguments (`tsmig upgrade head -x tenant=acme`). */
  readonly xArgs: Readonly<Record<string, string>>;
  /** `--tag` of upgrade/downgrade, or null. */
  readonly tag: string | null;
  readonly #invocation: EnvironmentInvocation;
  /** How to open another connection like each one this environment lent (for the lock, cancelling). */
  readonly #openers = new WeakMap<Connection, () => Promise<Connection>>();
  readonly #outcomes: DatabaseOutcome[] = [];

  /** @internal created by the runtime for each command. */
  constructor(config: ResolvedConfig, invocation: EnvironmentInvocation) {
    this.config = config;
    this.xArgs = config.xArgs;
    this.tag = invocation.tag;
    this.#invocation = invocation;
  }

  /** True under `--sql`: nothing connects, the SQL script goes to stdout. */
  isOfflineMode(): boolean {
    return this.#invocation.offline;
  }

  /** The models' MetaData of the database (the only one, or `--name`'s), from alembic.config.ts. */
  get targetMetadata(): MetaData | null {
    return this.config.database?.targetMetadata ?? null;
  }

  /**
   * The databases of a multidb project this command covers: `--name`'s, or all of them. Empty in a
   * project with one database.
   */
  get databaseNames(): readonly string[] {
    return targetDatabases(this.config).flatMap((db) => (db.name === null ? [] : [db.name]));
  }

  /** The URL of a database (default: the only one); a ConfigError when none is set. */
  url(database?: string): DatabaseUrl {
    return requireUrl(this.#database(database));
  }

  /** Prints a status line on stderr (`Migrating database engine1`). */
  status(line: string): void {
    this.#invocation.reporter.info?.(line);
  }

  /**
   * Opens a connection to a database (default: the only one), passes it to `work`, and closes it and
   * its engine after; `runMigrations({ connection })` then runs on it. In a fleet run over PostgreSQL
   * schemas the connection comes from the server's shared pool, in the tenant's schema (`engineOptions`
   * do not apply there).
   *
   * @example
   * ```ts
   * await ctx.withConnection(async (connection) => {
   *   await connection.execute(text('SET search_path TO shop'));
   *   await ctx.runMigrations({ connection });
   * });
   * ```
   */
  async withConnection<T>(
    work: (connection: Connection) => Promise<T>,
    options: { readonly database?: string; readonly engineOptions?: EngineOptions } = {},
  ): Promise<T> {
    this.#refuseOffline('withConnection()');
    return this.#connected(this.#database(options.database), options.engineOptions ?? {}, async (connection, open) => {
      this.#openers.set(connection, open);
      return work(connection);
    });
  }

  /**
   * Does the command's work on one database: upgrades, downgrades, stamps or reads the version table;
   * under `--sql`, writes the SQL script instead.
   */
  async runMigrations(options: RunMigrationsOptions = {}): Promise<void> {
    const database = this.#database(options.database);
    const invocation = this.#invocation;
    const versionTable = new VersionTable(this.config.versionTable, this.config.versionTableSchema);
    const request = {
      action: invocation.action,
      versionTable,
      transactionPerMigration: options.transactionPerMigration ?? this.config.transactionPerMigration,
      lockTimeout: invocation.lockTimeout,
      dataLossWarnings: options.dataLossWarnings ?? this.config.dataLossWarnings,
      databaseName: database.name,
      targetMetadata: database.targetMetadata,
      startingHeads: invocation.startingHeads,
      reporter: invocation.reporter,
      ...(invocation.ledger === null
        ? {}
        : { history: { table: new RevisionHistory(versionTable.name, versionTable.schema), ledger: invocation.ledger, allowModified: invocation.allowModified } }),
    };
    let outcome: RunOutcome;
    if (invocation.offline) {
      if (options.connection !== undefined) throw new EnvironmentError('runMigrations({ connection }) in offline (--sql) mode: check ctx.isOfflineMode() first.');
      const url = requireUrl(database);
      const context = new MigrationContext(getDialect(url.dialect, { mariadb: url.mariadb }), request);
      outcome = await context.runOffline(invocation.sink!);
    } else if (options.connection !== undefined) {
      const connection = options.connection;
      const url = database.url;
      outcome = await new MigrationContext(connection.dialect, request).runOnline({
        connection,
        openConnection: this.#openers.get(connection) ?? null,
        lockKey: lockKey(url, versionTable),
        private: url?.isMemory ?? false,
      });
    } else {
      const url = requireUrl(database);
      outcome = await this.#connected(database, {}, (connection, open) =>
        new MigrationContext(connection.dialect, request).runOnline({ connection, openConnection: open, lockKey: lockKey(url, versionTable), private: url.isMemory }),
      );
    }
    this.#outcomes.push({ ...outcome, database: database.name });
  }

  /** @internal the results of each `runMigrations()` so far. */
  outcomes(): readonly DatabaseOutcome[] {
    return this.#outcomes;
  }

  /**
   * Runs `work` on a connection of the database and closes it after: one of the database's shared pool
   * when it has one (a fleet run), else of an engine opened on its URL and closed after. `open` opens
   * another connection of the same kind.
   */
  async #connected<T>(
    database: ResolvedDatabase,
    engineOptions: EngineOptions,
    work: (connection: Connection, open: () => Promise<Connection>) => Promise<T>,
  ): Promise<T> {
    const shared = database.connections;
    if (shared !== undefined) {
      const connection = await shared.connect();
      try {
        return await work(connection, () => shared.connect());
      } finally {
        await connection.close();
      }
    }
    const engine = createEngine(requireUrl(database), { poolSize: 2, ...engineOptions });
    try {
      return await engine.connect((connection) => work(connection, () => engine.connect()));
    } finally {
      await engine.dispose();
    }
  }

  #database(name: string | undefined): ResolvedDatabase {
    if (name === undefined) {
      if (this.config.database !== null) return this.config.database;
      throw new ConfigError(
        `This project has several databases (${Object.keys(this.config.databases).join(', ')}): pass { database: name } to runMigrations() in env.ts, or --name on the command line.`,
      );
    }
    const selected = this.config.database;
    if (selected !== null && selected.name === name) return selected;
    const db = this.config.databases[name];
    if (db === undefined) {
      throw new ConfigError(`env.ts asked for database "${name}", which ${this.config.configFile} does not declare in \`databases\`.`);
    }
    return db;
  }

  #refuseOffline(what: string): void {
    if (this.#invocation.offline) {
      throw new EnvironmentError(`${what} needs a database, but the command runs offline (--sql): check ctx.isOfflineMode() first.`);
    }
  }
}

/** The lock's name: the database (file or name) and the version table. */
function lockKey(url: DatabaseUrl | null, versionTable: VersionTable): string {
  return `${url?.database ?? 'database'}:${versionTable.fullName}`;
}

/** env.ts of the script location, or an error saying where it should be. */
export function findEnvironmentFile(config: ResolvedConfig): string {
  for (const name of ENV_FILE_NAMES) {
    const file = path.join(config.scriptLocation, name);
    if (existsSync(file)) return file;
  }
  throw new EnvironmentError(
    `No env.ts in ${config.scriptLocation} (scriptLocation of ${config.configFile}). Run \`tsmig init\` to create the folder, or fix scriptLocation.`,
  );
}

/**
 * Imports env.ts, runs it for one command and returns what each `runMigrations()` did.
 *
 * @internal for `migrate/commands`.
 */
export async function runEnvironment(config: ResolvedConfig, invocation: EnvironmentInvocation): Promise<readonly DatabaseOutcome[]> {
  const file = findEnvironmentFile(config);
  let module: { default?: unknown };
  try {
    module = await importUserModule(file);
  } catch (error) {
    throw new EnvironmentError(`Could not load ${file}: ${firstLine(error)}`, { cause: error });
  }
  if (typeof module.default !== 'function') {
    throw new EnvironmentError(`${file} must \`export default async function env(ctx: Environment) { ... }\`.`);
  }
  const env = new Environment(config, invocation);
  try {
    await (module.default as EnvironmentFunction)(env);
  } catch (error) {
    if (error instanceof TsmigError) throw error;
    throw new EnvironmentError(`${file} failed: ${firstLine(error)}`, { cause: error });
  }
  if (env.outcomes().length === 0) {
    throw new EnvironmentError(`${file} finished without calling ctx.runMigrations(), so the command did nothing.`);
  }
  return env.outcomes();
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
