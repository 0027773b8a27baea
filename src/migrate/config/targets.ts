/**
 * The targets of a fleet run (`tsmig upgrade head --all`): the databases named by `targets` in
 * alembic.config.ts or by `--targets-file FILE`, each turned into a {@link ResolvedConfig} of its own, so
 * that every command runs on a target exactly as it runs on the project's one database (env.ts included).
 * Reading the targets may call the config's function (which may query a tenants table); nothing else here
 * connects to a database.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isTrue } from '../../engine/drivers/options.js';
import { type DatabaseUrl, parseDatabaseUrl } from '../../engine/url.js';
import { TsmigError } from '../../errors.js';
import type { ConnectionSource } from '../runtime/server-pools.js';
import { ConfigError } from './config-error.js';
import type { SchemaTargets, TargetEntry, TargetsConfig } from './config.js';
import { type ResolvedConfig, type ResolvedDatabase, absoluteSqlitePath, checkedMetadata, pickFilters } from './load-config.js';

/** One database of a fleet run. */
export interface ResolvedTarget {
  /** Its name in the report: unique among the targets. */
  readonly name: string;
  readonly url: DatabaseUrl;
  /** The tenant's schema (PostgreSQL) or database (MySQL), or null. */
  readonly schema: string | null;
  /** A schema target's server: its URL without the tenant (the pool the tenants share), else null. */
  readonly server: DatabaseUrl | null;
}

/** Where the targets come from: `targets` of the config, or a file given on the command line. */
export interface LoadTargetsOptions {
  /** `--targets-file FILE`: one URL per line (`#` comments and blank lines skipped), relative to `cwd`. */
  readonly targetsFile?: string;
  readonly cwd?: string;
}

/**
 * The targets of `--all`: the file's when one is given, else the config's `targets` (calling its function).
 * A ConfigError when there are none, or when two targets would share a name.
 *
 * @example
 * ```ts
 * const targets = await loadTargets(config);
 * for (const target of targets) await upgrade(configForTarget(config, target), 'head');
 * ```
 */
export async function loadTargets(config: ResolvedConfig, options: LoadTargetsOptions = {}): Promise<readonly ResolvedTarget[]> {
  if (options.targetsFile !== undefined) return checkedNames(readTargetsFile(config, path.resolve(options.cwd ?? process.cwd(), options.targetsFile)));
  const spec = config.source.targets;
  if (spec === undefined) {
    throw new ConfigError(`--all needs targets: add \`targets\` (a list of URLs, a function returning them, or { schemas }) to ${config.configFile}, or pass --targets-file FILE.`);
  }
  return checkedNames(await fromConfig(config, spec));
}

/**
 * The configuration a command uses on one target: the project's, with the target as its only database
 * and, for a PostgreSQL schema, the version table in that schema. `connections`: where the run gets its
 * connections instead of opening its own on the target's URL (a pool the tenants of a server share).
 */
export function configForTarget(config: ResolvedConfig, target: ResolvedTarget, connections: ConnectionSource | null = null): ResolvedConfig {
  const source = config.source;
  const database: ResolvedDatabase = {
    name: target.name,
    url: target.url,
    urlSource: 'config',
    urlEnv: 'DATABASE_URL',
    targetMetadata: checkedMetadata(source.targetMetadata, null, config.configFile),
    filters: pickFilters(source),
    ...(connections === null ? {} : { connections }),
  };
  const versionTableSchema = target.schema !== null && target.url.dialect === 'postgresql' ? target.schema : config.versionTableSchema;
  return { ...config, database, databases: {}, versionTableSchema };
}

async function fromConfig(config: ResolvedConfig, spec: TargetsConfig): Promise<ResolvedTarget[]> {
  if (typeof spec === 'function') {
    let entries: unknown;
    try {
      entries = await spec();
    } catch (error) {
      if (error instanceof TsmigError) throw error;
      throw new ConfigError(`The targets function of ${config.configFile} failed: ${firstLine(error)}`, { cause: error });
    }
    if (!Array.isArray(entries)) throw new ConfigError(`The targets function of ${config.configFile} must return an array of URLs or { url, name?, schema? }.`);
    return entries.map((entry, i) => fromEntry(config, entry as TargetEntry, `targets()[${i}]`));
  }
  if (Array.isArray(spec)) return (spec as readonly TargetEntry[]).map((entry, i) => fromEntry(config, entry, `targets[${i}]`));
  if (typeof spec === 'object' && spec !== null && 'schemas' in spec) return fromSchemas(config, spec);
  throw new ConfigError(`targets in ${config.configFile} must be a list of URLs, a function returning one, or { url?, schemas }.`);
}

async function fromSchemas(config: ResolvedConfig, spec: SchemaTargets): Promise<ResolvedTarget[]> {
  const server = spec.url !== undefined ? parseUrl(config, spec.url, 'targets.url') : config.database?.url ?? null;
  if (server === null) {
    throw new ConfigError(`targets.schemas in ${config.configFile} needs a server: set targets.url, or the project's DATABASE_URL / url.`);
  }
  let schemas: unknown;
  try {
    schemas = typeof spec.schemas === 'function' ? await spec.schemas() : spec.schemas;
  } catch (error) {
    if (error instanceof TsmigError) throw error;
    throw new ConfigError(`The targets.schemas function of ${config.configFile} failed: ${firstLine(error)}`, { cause: error });
  }
  if (!Array.isArray(schemas) || schemas.some((s) => typeof s !== 'string')) {
    throw new ConfigError(`targets.schemas in ${config.configFile} must be (or return) an array of schema names.`);
  }
  return (schemas as string[]).map((schema) => schemaTarget(config, server, schema, schema));
}

function fromEntry(config: ResolvedConfig, entry: TargetEntry, where: string): ResolvedTarget {
  if (typeof entry === 'string') return urlTarget(config, parseUrl(config, entry, where), null);
  if (entry === null || typeof entry !== 'object' || typeof entry.url !== 'string') {
    throw new ConfigError(`${where} in ${config.configFile} must be a URL or { url, name?, schema? }.`);
  }
  const url = parseUrl(config, entry.url, where);
  if (entry.schema !== undefined) return schemaTarget(config, url, entry.schema, entry.name ?? entry.schema);
  return urlTarget(config, url, entry.name ?? null);
}

function urlTarget(config: ResolvedConfig, url: DatabaseUrl, name: string | null): ResolvedTarget {
  return { name: name ?? defaultName(config, url), url, schema: null, server: null };
}

/**
 * A tenant's schema on a server. A fleet run reaches it through the server's shared pool, switching each
 * connection to the schema (server-pools.ts); its URL, for env.ts code that connects by itself, names the
 * schema too. PostgreSQL: `search_path` set at connection start (the startup packet's `options`, so every
 * connection of a pool made from the URL has it before the first statement). MySQL: a schema is a
 * database, so the URL names it.
 */
function schemaTarget(config: ResolvedConfig, server: DatabaseUrl, schema: string, name: string): ResolvedTarget {
  // search_path travels in a libpq options string: no spaces, quotes, commas or backslashes to escape.
  if (!/^[A-Za-z0-9_$-]+$/.test(schema)) {
    throw new ConfigError(`Target schema "${schema}" in ${config.configFile}: use letters, digits, _, $ and - only.`);
  }
  switch (server.dialect) {
    case 'postgresql': {
      if (isTrue(server.query['pgbouncer'])) {
        throw new ConfigError(
          `Target schema "${schema}" in ${config.configFile}: a schema per tenant cannot go through PgBouncer's transaction pooling (?pgbouncer=true), ` +
            'which keeps no search_path from one transaction to the next; point targets.url at the server itself, or give each tenant a database of its own.',
        );
      }
      const previous = server.query['options'];
      const options = `${previous === undefined || previous === '' ? '' : `${previous} `}-c search_path="${schema}"`;
      return { name, url: server.with({ query: { ...server.query, options } }), schema, server };
    }
    case 'mysql':
      return { name, url: server.with({ database: schema }), schema, server };
    default:
      throw new ConfigError(`Target schema "${schema}": schemas per tenant are for PostgreSQL and MySQL; on SQLite give one file per tenant as a URL.`);
  }
}

/** `--targets-file`: one URL per line; a line may start with `name=` to name the target. */
function readTargetsFile(config: ResolvedConfig, file: string): ResolvedTarget[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Could not read the targets file ${file}: ${firstLine(error)}`, { cause: error });
  }
  const targets: ResolvedTarget[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const named = /^([^\s=:/]+)=(.*)$/.exec(line);
    const where = `${file}:${index + 1}`;
    const url = parseUrl(config, named === null ? line : named[2]!.trim(), where);
    targets.push(urlTarget(config, url, named === null ? null : named[1]!));
  }
  if (targets.length === 0) throw new ConfigError(`The targets file ${file} names no database (one URL per line).`);
  return targets;
}

function parseUrl(config: ResolvedConfig, text: string, where: string): DatabaseUrl {
  try {
    return absoluteSqlitePath(parseDatabaseUrl(text.trim()), config.projectDir);
  } catch (error) {
    throw new ConfigError(`Bad database URL in ${where === '' ? config.configFile : where}: ${firstLine(error)}`, { cause: error });
  }
}

/** A SQLite file by its path relative to the project; a server's URL with the password hidden. */
function defaultName(config: ResolvedConfig, url: DatabaseUrl): string {
  if (url.dialect === 'sqlite' && url.database !== null && !url.isMemory) {
    const relative = path.relative(config.projectDir, url.database);
    return relative.startsWith('..') ? url.database : relative;
  }
  return url.render();
}

function checkedNames(targets: ResolvedTarget[]): ResolvedTarget[] {
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.name)) throw new ConfigError(`Two targets are named "${target.name}"; give each a name of its own (or list it once).`);
    seen.add(target.name);
  }
  return targets;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
