/**
 * Finding and loading `alembic.config.ts`: the file is looked up from the working directory upwards (or
 * named with `-c`), compiled and imported (user-modules.ts), and resolved into a {@link ResolvedConfig} with absolute paths,
 * a default for every key and the database URL picked from the environment, `.env` and the file, in that
 * order. Nothing here connects to a database.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { type DatabaseUrl, parseDatabaseUrl } from '../../engine/url.js';
import { TsmigError } from '../../errors.js';
import { combinedMetadata, type MetaData, isMetaData } from '../../schema/metadata.js';
import type { ConnectionSource } from '../runtime/server-pools.js';
import { ConfigError } from './config-error.js';
import { importUserModule } from './user-modules.js';
import type { AutogenerateFilters, PostWriteHook, TsmigConfig } from './config.js';

/** The file names looked for, in order; `tsmig init` writes the first. */
export const CONFIG_FILE_NAMES: readonly string[] = ['alembic.config.ts', 'alembic.config.mts', 'alembic.config.js', 'alembic.config.mjs'];

/** The environment variable whose value wins over every other database URL. */
export const DATABASE_URL_ENV = 'DATABASE_URL';

/** Where a database URL came from, for messages. */
export type UrlSource = 'environment' | '.env' | 'config';

/** One database as a command sees it: its URL (if any could be found) and models. */
export interface ResolvedDatabase {
  /** The name in `databases` (multidb), or null for a project with one database. */
  readonly name: string | null;
  /** The URL, or null when none is set anywhere; commands that connect fail then, naming where they looked. */
  readonly url: DatabaseUrl | null;
  readonly urlSource: UrlSource | null;
  /** The variable that was (or would have been) read for the URL. */
  readonly urlEnv: string;
  readonly targetMetadata: MetaData | null;
  /** Autogenerate filters of this database (the database's own keys over the file's). */
  readonly filters: AutogenerateFilters;
  /** Where runs get connections instead of opening an engine on the URL (a fleet run's shared pool). */
  readonly connections?: ConnectionSource;
}

/** The configuration with every default filled in and every path absolute. */
export interface ResolvedConfig {
  /** The config file, absolute. */
  readonly configFile: string;
  /** Its folder: relative paths in the file (and relative SQLite paths) are relative to it. */
  readonly projectDir: string;
  /** The folder with `env.ts` and the revision template, absolute. */
  readonly scriptLocation: string;
  /** Folders of revision files, absolute (default `<scriptLocation>/versions`). */
  readonly versionLocations: readonly string[];
  readonly fileTemplate: string;
  readonly truncateSlugLength: number;
  /** IANA zone for "Create Date"; null: the local zone. */
  readonly timezone: string | null;
  readonly versionTable: string;
  readonly versionTableSchema: string | null;
  readonly transactionPerMigration: boolean;
  /** Seconds to wait for the migration lock. */
  readonly lockTimeout: number;
  readonly dataLossWarnings: 'error' | 'warn';
  readonly postWriteHooks: readonly PostWriteHook[];
  /**
   * The database commands work on: the only one, or the one `--name` picked. In a multidb project
   * without `--name` it is null and commands run over {@link ResolvedConfig.databases}.
   */
  readonly database: ResolvedDatabase | null;
  /** Every database of a multidb project by name (empty for a project with one database). */
  readonly databases: Readonly<Record<string, ResolvedDatabase>>;
  /** `-x key=value` pairs, for env.ts (`ctx.xArgs`). */
  readonly xArgs: Readonly<Record<string, string>>;
  /** The process environment merged over `.env` (the process wins), as env.ts may want other variables. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The file's configuration as written. */
  readonly source: TsmigConfig;
}

/** What {@link loadConfig} needs to know about the invocation. */
export interface LoadConfigOptions {
  /** Where to start looking for the config file (default `process.cwd()`). */
  readonly cwd?: string;
  /** `-c/--config FILE`: the config file, relative to `cwd` (default: `TSMIG_CONFIG` of `env`, else found from `cwd`). */
  readonly configFile?: string;
  /** `--name NAME`: the database of a multidb project to work on. */
  readonly name?: string;
  /** `-x key=value` arguments as given (each `key=value`, or a bare `key`). */
  readonly xArgs?: readonly string[];
  /** The process environment (default `process.env`); tests pass their own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Finds, imports and resolves the project's configuration.
 *
 * @example
 * ```ts
 * const config = await loadConfig({ cwd: process.cwd(), xArgs: ['tenant=acme'] });
 * config.database?.url?.toString(); // 'postgresql://app:***@db:5432/shop' (never the password)
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const fromEnvironment = (options.env ?? process.env)['TSMIG_CONFIG'];
  const configFile =
    options.configFile !== undefined
      ? namedConfigFile(cwd, options.configFile, '-c/--config')
      : fromEnvironment !== undefined && fromEnvironment !== ''
        ? namedConfigFile(cwd, fromEnvironment, 'the TSMIG_CONFIG environment variable')
        : findConfigFile(cwd);
  const source = await importConfig(configFile);
  return resolveConfig(source, configFile, options);
}

/** The config file in `cwd` or the nearest parent folder; a ConfigError saying where it looked if none. */
export function findConfigFile(cwd: string): string {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new ConfigError(
    `No alembic.config.ts found in ${cwd} or any parent folder. Run \`tsmig init migrations\` to create a project, or pass -c FILE.`,
  );
}

function namedConfigFile(cwd: string, file: string, source: string): string {
  const absolute = path.resolve(cwd, file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new ConfigError(`Config file ${absolute} (from ${source}) does not exist.`);
  }
  return absolute;
}

/** Imports the file and returns its default export (an object, or a function that returns one). */
async function importConfig(configFile: string): Promise<TsmigConfig> {
  let module: { default?: unknown };
  try {
    module = await importUserModule(configFile);
  } catch (error) {
    throw new ConfigError(`Could not load ${configFile}: ${firstLine(error)}`, { cause: error });
  }
  let value = module.default;
  if (typeof value === 'function') {
    try {
      value = await (value as () => unknown)();
    } catch (error) {
      if (error instanceof TsmigError) throw error;
      throw new ConfigError(`The config function of ${configFile} failed: ${firstLine(error)}`, { cause: error });
    }
  }
  if (value === null || typeof value !== 'object') {
    throw new ConfigError(`${configFile} must \`export default defineConfig({ scriptLocation: 'migrations', ... })\`.`);
  }
  return value as TsmigConfig;
}

/**
 * Fills in defaults and picks the URL. Exported for tests that build a config in memory.
 *
 * @internal
 */
export function resolveConfig(source: TsmigConfig, configFile: string, options: LoadConfigOptions = {}): ResolvedConfig {
  const projectDir = path.dirname(configFile);
  const processEnv = options.env ?? process.env;
  const dotenv = readDotenv(projectDir);
  const environment: Record<string, string | undefined> = { ...dotenv, ...processEnv };
  if (typeof source.scriptLocation !== 'string' || source.scriptLocation === '') {
    throw new ConfigError(`${configFile} sets no scriptLocation; add \`scriptLocation: 'migrations'\` (the folder with env.ts).`);
  }
  const scriptLocation = path.resolve(projectDir, source.scriptLocation);
  const versionLocations = (source.versionLocations ?? [path.join(scriptLocation, 'versions')]).map((p) =>
    path.resolve(projectDir, p),
  );
  const resolveDb = (name: string | null, db: { url?: string; urlEnv?: string; targetMetadata?: MetaData | readonly MetaData[] }, filters: AutogenerateFilters) =>
    resolveDatabase(name, db, filters, { configFile, projectDir, processEnv, dotenv });

  const databases: Record<string, ResolvedDatabase> = {};
  for (const [name, db] of Object.entries(source.databases ?? {})) {
    databases[name] = resolveDb(name, db, { ...pickFilters(source), ...pickFilters(db) });
  }
  let database: ResolvedDatabase | null;
  if (options.name !== undefined) {
    database = databases[options.name] ?? null;
    if (database === null) {
      const known = Object.keys(databases);
      throw new ConfigError(
        known.length === 0
          ? `--name ${options.name} given, but ${configFile} declares no \`databases\`.`
          : `--name ${options.name} names no database of ${configFile}; the databases are ${known.join(', ')}.`,
      );
    }
  } else {
    database = Object.keys(databases).length > 0 ? null : resolveDb(null, source, pickFilters(source));
  }
  return {
    configFile,
    projectDir,
    scriptLocation,
    versionLocations,
    fileTemplate: source.fileTemplate ?? '%(rev)s_%(slug)s',
    truncateSlugLength: positive(configFile, 'truncateSlugLength', source.truncateSlugLength, 40),
    timezone: source.timezone ?? null,
    versionTable: source.versionTable ?? 'alembic_version',
    versionTableSchema: source.versionTableSchema ?? null,
    transactionPerMigration: source.transactionPerMigration ?? false,
    lockTimeout: positive(configFile, 'lockTimeout', source.lockTimeout, 60),
    dataLossWarnings: dataLossPolicy(configFile, source.dataLossWarnings),
    postWriteHooks: source.hooks?.postWrite ?? [],
    database,
    databases,
    xArgs: parseXArgs(options.xArgs ?? []),
    environment,
    source,
  };
}

/** `-x a=1 -x flag` -> `{ a: '1', flag: '' }`. */
export function parseXArgs(args: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq === 0) throw new ConfigError(`-x ${arg}: expected key=value`);
    if (eq === -1) result[arg] = '';
    else result[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return result;
}

/**
 * The URL of a database, or a ConfigError saying where it was looked for.
 *
 * @example
 * ```ts
 * const url = requireUrl(config.database!);
 * ```
 */
export function requireUrl(database: ResolvedDatabase): DatabaseUrl {
  if (database.url !== null) return database.url;
  const which = database.name === null ? '' : ` for database "${database.name}"`;
  throw new ConfigError(
    `No database URL${which}: set ${database.urlEnv} (in the environment or .env) or \`url\` in alembic.config.ts.`,
  );
}

/** The databases a command runs on: the selected one, or every database of a multidb project. */
export function targetDatabases(config: ResolvedConfig): readonly ResolvedDatabase[] {
  return config.database !== null ? [config.database] : Object.values(config.databases);
}

interface ResolveContext {
  readonly configFile: string;
  readonly projectDir: string;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly dotenv: Readonly<Record<string, string | undefined>>;
}

function resolveDatabase(
  name: string | null,
  db: { url?: string; urlEnv?: string; targetMetadata?: MetaData | readonly MetaData[] },
  filters: AutogenerateFilters,
  ctx: ResolveContext,
): ResolvedDatabase {
  const urlEnv = db.urlEnv ?? (name === null ? DATABASE_URL_ENV : `${DATABASE_URL_ENV}_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`);
  const candidates: [UrlSource, string | undefined][] = [
    ['environment', ctx.processEnv[urlEnv]],
    ['.env', ctx.dotenv[urlEnv]],
    ['config', db.url],
  ];
  let url: DatabaseUrl | null = null;
  let urlSource: UrlSource | null = null;
  for (const [source, value] of candidates) {
    if (value === undefined || value.trim() === '') continue;
    urlSource = source;
    try {
      url = absoluteSqlitePath(parseDatabaseUrl(value.trim()), ctx.projectDir);
    } catch (error) {
      const where = source === 'config' ? `url in ${ctx.configFile}` : `${urlEnv} (${source === '.env' ? '.env' : 'the environment'})`;
      throw new ConfigError(`Bad database URL in ${where}: ${firstLine(error)}`, { cause: error });
    }
    break;
  }
  return { name, url, urlSource, urlEnv, targetMetadata: checkedMetadata(db.targetMetadata, name, ctx.configFile), filters };
}

/**
 * `targetMetadata` must be a MetaData (`Base.metadata`); anything else would fail deep inside autogenerate.
 *
 * @internal shared with targets.ts.
 */
export function checkedMetadata(value: unknown, name: string | null, configFile: string): MetaData | null {
  if (value === undefined || value === null) return null;
  if (isMetaData(value)) return value;
  const where = name === null ? 'targetMetadata' : `databases.${name}.targetMetadata`;
  if (Array.isArray(value) && value.length > 0 && value.every(isMetaData)) {
    try {
      return combinedMetadata(value);
    } catch (error) {
      throw new ConfigError(`${where} in ${configFile}: ${firstLine(error)}; each table must be defined on one MetaData only.`, { cause: error });
    }
  }
  const what = typeof value === 'function' ? `the class ${value.name || '(anonymous)'}` : Array.isArray(value) ? 'an array of something else' : `a ${typeof value}`;
  const hint = typeof value === 'function' && 'metadata' in value ? ` (pass ${value.name}.metadata)` : '';
  throw new ConfigError(`${where} in ${configFile} must be a MetaData or a list of them, e.g. Base.metadata; got ${what}${hint}.`);
}

/**
 * A relative SQLite path is taken relative to the project (the config file's folder), so that a command
 * run from a subfolder finds the same database file instead of creating an empty one there.
 *
 * @internal shared with targets.ts.
 */
export function absoluteSqlitePath(url: DatabaseUrl, projectDir: string): DatabaseUrl {
  if (url.dialect !== 'sqlite' || url.isMemory || url.database === null || path.isAbsolute(url.database)) return url;
  return url.with({ database: path.resolve(projectDir, url.database) });
}

/** The `.env` file next to the config, parsed; empty when there is none. */
function readDotenv(projectDir: string): Record<string, string | undefined> {
  const file = path.join(projectDir, '.env');
  if (!existsSync(file)) return {};
  try {
    return parseEnv(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Could not read ${file}: ${firstLine(error)}`, { cause: error });
  }
}

const FILTER_KEYS = ['includeObject', 'includeName', 'includeSchemas', 'compareType', 'compareServerDefault'] as const;

/** @internal the autogenerate filters among a config's keys. */
export function pickFilters(source: AutogenerateFilters): AutogenerateFilters {
  const picked: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (source[key] !== undefined) picked[key] = source[key];
  return picked as AutogenerateFilters;
}

function dataLossPolicy(configFile: string, value: unknown): 'error' | 'warn' {
  if (value === undefined) return 'error';
  if (value === 'error' || value === 'warn') return value;
  throw new ConfigError(`dataLossWarnings in ${configFile} must be 'error' or 'warn', got ${JSON.stringify(value)}.`);
}

function positive(configFile: string, key: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`${key} in ${configFile} must be a number >= 0, got ${String(value)}.`);
  }
  return value;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
