/**
 * The commands that run env.ts against a database: upgrade, downgrade, stamp, current, ensure-version.
 * Each is a function callable from code and tests (`await upgrade(config, 'head')`); the CLI only parses
 * arguments and prints what these report. Revision files are found through the script directory and
 * loaded only when their migration runs.
 */
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { type DatabaseOutcome, type EnvironmentInvocation, runEnvironment } from '../runtime/environment.js';
import type { Connection } from '../../engine/connection.js';
import type { InspectedDatabase, RunAction, RunReporter } from '../runtime/migration-context.js';
import { SqlSink } from '../runtime/sql-sink.js';
import { RevisionGraphError } from '../script/errors.js';
import { parseRange } from '../script/identifier.js';
import type { RevisionMap } from '../script/revision-map.js';
import type { ScriptDirectory } from '../script/script-directory.js';
import { revisionLedger } from '../script/revision-ledger.js';
import { openScriptDirectory } from './graph.js';

/** Options every run command takes. */
export interface RunOptions {
  /** Where progress goes (the CLI prints `Running upgrade a -> b, message` on stderr). */
  readonly reporter?: RunReporter;
  /** Where an offline script goes (the CLI's stdout); required with `sql`. */
  readonly output?: (text: string) => void;
  /** The script directory, when the caller has one open already. */
  readonly scripts?: ScriptDirectory;
  /**
   * Go on (with a warning) when an applied revision's file changed since it ran; by default that stops
   * the command with a `ModifiedRevisionError`.
   */
  readonly allowModified?: boolean;
}

/** Options of {@link upgrade} and {@link downgrade}. */
export interface MigrateOptions extends RunOptions {
  /** Offline: write the SQL instead of running it. The target may then be a range `from:to`. */
  readonly sql?: boolean;
  /** A free string for env.ts (`ctx.tag`). */
  readonly tag?: string;
  /** Seconds to wait for another run's lock (default: `lockTimeout` of the config, 60). */
  readonly lockTimeout?: number;
}

/** Options of {@link stamp}. */
export interface StampOptions extends RunOptions {
  readonly sql?: boolean;
  /** Empty the version table first (it may name revisions that no longer exist). */
  readonly purge?: boolean;
  readonly tag?: string;
  readonly lockTimeout?: number;
}

/** What {@link current} found in one database. */
export interface CurrentRevisions {
  /** The multidb database name, or null. */
  readonly database: string | null;
  /** The revisions the version table names, sorted (empty: base, or no version table yet). */
  readonly heads: readonly string[];
}

/**
 * Upgrades the database to `target` (`head`, `heads`, a revision, `+2`, `label@head`, ...). With `sql`,
 * writes the script instead; the target may then be `from:to` (default from: base).
 *
 * @example
 * ```ts
 * await upgrade(config, 'head', { reporter: { step: (e) => console.error(stepLine(e)) } });
 * await upgrade(config, 'ae10:head', { sql: true, output: (text) => process.stdout.write(text) });
 * ```
 */
export async function upgrade(config: ResolvedConfig, target: string, options: MigrateOptions = {}): Promise<readonly DatabaseOutcome[]> {
  const scripts = options.scripts ?? openScriptDirectory(config);
  const map = scripts.revisionMap();
  const { start, end } = splitTarget(map, target, options.sql === true, 'upgrade');
  return runEnvironment(
    config,
    invocation(config, options, start, map, {
      kind: 'migrate',
      plan: (heads) => map.upgradePlan(heads, end),
      loadModules: (revisions) => scripts.loadModules(revisions),
    }),
  );
}

/**
 * Downgrades the database to `target` (`-1`, `base`, a revision, `label@base`, ...). With `sql` the target
 * must be a range `from:to`, since the script cannot ask the database where it is.
 */
export async function downgrade(config: ResolvedConfig, target: string, options: MigrateOptions = {}): Promise<readonly DatabaseOutcome[]> {
  const scripts = options.scripts ?? openScriptDirectory(config);
  const map = scripts.revisionMap();
  if (options.sql === true && !target.includes(':')) {
    throw new RevisionGraphError(
      `downgrade --sql needs a range from:to (the revision the database is at, and the target), e.g. ${target === 'base' ? 'head:base' : `head:${target}`}.`,
    );
  }
  const { start, end } = splitTarget(map, target, options.sql === true, 'downgrade');
  return runEnvironment(
    config,
    invocation(config, options, start, map, {
      kind: 'migrate',
      plan: (heads) => map.downgradePlan(heads, end),
      loadModules: (revisions) => scripts.loadModules(revisions),
    }),
  );
}

/**
 * Writes `targets` into the version table without running any migration (`stamp head` after creating
 * the schema by other means, `stamp base` to forget). `purge` empties the table first.
 */
export async function stamp(config: ResolvedConfig, targets: string | readonly string[], options: StampOptions = {}): Promise<readonly DatabaseOutcome[]> {
  const scripts = options.scripts ?? openScriptDirectory(config);
  const map = scripts.revisionMap();
  const list = typeof targets === 'string' ? [targets] : [...targets];
  if (list.length === 0) throw new RevisionGraphError('stamp needs at least one revision (head, base, a revision id, ...).');
  // Offline, each target may be a range from:to; as in Alembic they must all start from the same revision.
  let start: readonly string[] = [];
  let startText: string | null = null;
  for (const [index, t] of list.entries()) {
    if (!t.includes(':')) continue;
    const split = splitTarget(map, t, options.sql === true, 'stamp');
    const from = parseRange(t).lower ?? 'base';
    if (startText !== null && from !== startText) {
      throw new RevisionGraphError(`stamp --sql ${[targets].flat().join(' ')}: the ranges start from ${startText} and ${from}; a script has one starting point, so give them one start.`);
    }
    startText = from;
    start = split.start;
    list[index] = split.end;
  }
  return runEnvironment(
    config,
    invocation(config, options, start, map, { kind: 'stamp', plan: (heads) => map.stampHeads(heads, list), purge: options.purge === true }),
  );
}

/**
 * Hands each database's connection to `work` through env.ts, with the revisions it is at, and rolls back
 * whatever `work` did: no lock taken, nothing created. Autogenerate, `check`, `status`, `pull` and `squash`
 * read the database this way.
 */
export async function inspectDatabases(
  config: ResolvedConfig,
  work: (connection: Connection, found: InspectedDatabase) => Promise<void>,
  options: { readonly reporter?: RunReporter; readonly allowModified?: boolean; readonly scripts?: ScriptDirectory } = {},
): Promise<void> {
  // The scripts are opened only if the database has a history table to compare them with (`pull` may
  // run in a project that has none yet).
  const map = () => (options.scripts ?? openScriptDirectory(config)).revisionMap();
  await runEnvironment(config, invocation(config, options, [], map, { kind: 'inspect', run: work }));
}

/**
 * The revisions each database is at (`tsmig current`). Reads the version table without creating it or
 * taking the migration lock.
 */
export async function current(config: ResolvedConfig, options: Omit<RunOptions, 'output'> = {}): Promise<readonly CurrentRevisions[]> {
  const outcomes = await runEnvironment(config, invocation(config, options, [], null, { kind: 'read' }));
  return outcomes.map((o) => ({ database: o.database, heads: o.headsAfter }));
}

/**
 * The revisions of the database the config selects (the only one, or `--name`'s); for the graph
 * commands that mark the current revision (`history -i`).
 */
export async function currentHeads(config: ResolvedConfig, options: Omit<RunOptions, 'output'> = {}): Promise<readonly string[]> {
  if (config.database === null) {
    throw new ConfigError(`This project has several databases (${Object.keys(config.databases).join(', ')}); pass --name to pick one.`);
  }
  const found = await current(config, options);
  return found[0]?.heads ?? [];
}

/** Creates the version table where it is missing (`tsmig ensure-version`); with `sql`, writes its CREATE TABLE. */
export async function ensureVersion(config: ResolvedConfig, options: RunOptions & { readonly sql?: boolean } = {}): Promise<readonly DatabaseOutcome[]> {
  const scripts = options.scripts ?? openScriptDirectory(config);
  return runEnvironment(config, invocation(config, options, [], scripts.revisionMap(), { kind: 'ensure' }));
}

/** `revisions` feeds the history table of checksums (null: the action keeps none). */
function invocation(
  config: ResolvedConfig,
  options: RunOptions & { readonly sql?: boolean; readonly tag?: string; readonly lockTimeout?: number },
  startingHeads: readonly string[],
  revisions: RevisionMap | (() => RevisionMap) | null,
  action: RunAction,
): EnvironmentInvocation {
  const offline = options.sql === true;
  if (offline && options.output === undefined) throw new ConfigError('Offline (sql) mode needs an output function for the script.');
  return {
    offline,
    tag: options.tag ?? null,
    action,
    startingHeads,
    lockTimeout: options.lockTimeout ?? config.lockTimeout,
    reporter: options.reporter ?? {},
    sink: offline ? new SqlSink(options.output!) : null,
    ledger: revisions === null ? null : revisionLedger(revisions),
    allowModified: options.allowModified === true,
  };
}

/**
 * `from:to` into the starting heads of an offline script and the target. Online, a range is an error:
 * the database says where it starts.
 */
function splitTarget(map: RevisionMap, target: string, offline: boolean, command: string): { start: readonly string[]; end: string } {
  if (!target.includes(':')) return { start: [], end: target };
  if (!offline) {
    throw new RevisionGraphError(`${command} ${target}: a range from:to is for --sql only; online, the database says where it starts.`);
  }
  const { lower, upper } = parseRange(target);
  const start = lower === null ? [] : map.resolve(lower).map((r) => r.revision);
  return { start, end: upper ?? 'heads' };
}
