/**
 * `tsmig status`: what `upgrade head` would do and whether anything is wrong, in one answer per database
 * (Prisma's `migrate status`). Reads the version table through env.ts without the migration lock and
 * without creating anything; with `checkModels`, also compares a database at head with its models.
 */
import type { ResolvedConfig } from '../config/load-config.js';
import type { RunReporter } from '../runtime/migration-context.js';
import type { ModifiedRevision } from '../runtime/revision-history.js';
import type { ScriptDirectory } from '../script/script-directory.js';
import { compareWithModels } from './autogenerate.js';
import { type CheckDifference, differencesOf } from './check.js';
import { openScriptDirectory } from './graph.js';
import { inspectDatabases } from './run.js';

/**
 * The state of a database (or of the whole project: the worst of its databases), from best to worst:
 * - `up-to-date`: at the scripts' head (and, with `checkModels`, the models agree);
 * - `models-differ`: at head, but the models differ from it (a revision is missing);
 * - `pending`: revisions to apply;
 * - `multiple-heads`: the scripts have several heads (`upgrade head` refuses; merge them);
 * - `unknown-revisions`: the version table names revisions no script has.
 */
export type StatusState = 'up-to-date' | 'models-differ' | 'pending' | 'multiple-heads' | 'unknown-revisions';

/** Every state, from best to worst. */
export const STATUS_STATES: readonly StatusState[] = ['up-to-date', 'models-differ', 'pending', 'multiple-heads', 'unknown-revisions'];

/** A revision `upgrade` would run. */
export interface PendingRevision {
  readonly revision: string;
  readonly message: string;
}

/** The models compared with a database: done (with the differences), or why not. */
export type ModelsStatus =
  | { readonly checked: true; readonly differences: readonly CheckDifference[] }
  | { readonly checked: false; readonly reason: string };

/** One database's status. */
export interface DatabaseStatus {
  /** The multidb database name, or null. */
  readonly database: string | null;
  readonly state: StatusState;
  /** The revisions the version table names, sorted (empty: base, or no version table yet). */
  readonly current: readonly string[];
  /** The revisions `upgrade heads` would run, in order (empty when `unknown` is not). */
  readonly pending: readonly PendingRevision[];
  /** Revisions the version table names that no script has (a deleted file, another project's database). */
  readonly unknown: readonly string[];
  /** Null unless `checkModels` was asked. */
  readonly models: ModelsStatus | null;
  /** Applied revisions whose file changed since they ran (listed with `allowModified`; an error without). */
  readonly modified: readonly ModifiedRevision[];
}

/** What {@link status} found. */
export interface StatusResult {
  /** The worst state of the databases (and `multiple-heads` when the scripts have several). */
  readonly state: StatusState;
  /** The scripts' heads, sorted. */
  readonly heads: readonly string[];
  readonly databases: readonly DatabaseStatus[];
}

/** Options of {@link status}. */
export interface StatusOptions {
  /** Also compare each database at head with its models (as `tsmig check`). */
  readonly checkModels?: boolean;
  /** List applied revisions whose file changed since they ran, instead of failing with a `ModifiedRevisionError`. */
  readonly allowModified?: boolean;
  readonly reporter?: RunReporter;
  readonly scripts?: ScriptDirectory;
}

/**
 * The status of each database the config covers.
 *
 * @example
 * ```ts
 * const result = await status(await loadConfig(), { checkModels: true });
 * if (result.state === 'pending') console.log(result.databases[0]!.pending.map((p) => p.revision));
 * ```
 */
export async function status(config: ResolvedConfig, options: StatusOptions = {}): Promise<StatusResult> {
  const scripts = options.scripts ?? openScriptDirectory(config);
  const map = scripts.revisionMap();
  const heads = [...map.heads].sort();
  const databases: DatabaseStatus[] = [];
  await inspectDatabases(
    config,
    async (connection, found) => {
    const current = [...found.heads].sort();
    const unknown = current.filter((id) => !map.has(id));
    // A plan from rows the graph does not know cannot be computed: the revisions in between are unknown.
    const pending = unknown.length > 0 ? [] : map.upgradePlan(current, 'heads').map(({ revision: r }) => ({ revision: r.revision, message: r.message }));
    let models: ModelsStatus | null = null;
    if (options.checkModels === true) {
      if (unknown.length > 0 || pending.length > 0) models = { checked: false, reason: 'the database is not at head' };
      else models = { checked: true, differences: differencesOf(found.database, await compareWithModels(config, connection, found)) };
    }
    const state = worst([
      unknown.length > 0 ? 'unknown-revisions' : 'up-to-date',
      heads.length > 1 ? 'multiple-heads' : 'up-to-date',
      pending.length > 0 ? 'pending' : 'up-to-date',
      models?.checked === true && models.differences.length > 0 ? 'models-differ' : 'up-to-date',
    ]);
    databases.push({ database: found.database, state, current, pending, unknown, models, modified: found.modified });
  },
    { reporter: options.reporter ?? {}, allowModified: options.allowModified === true, scripts },
  );
  return { state: worst([heads.length > 1 ? 'multiple-heads' : 'up-to-date', ...databases.map((d) => d.state)]), heads, databases };
}

function worst(states: readonly StatusState[]): StatusState {
  return states.reduce((a, b) => (STATUS_STATES.indexOf(b) > STATUS_STATES.indexOf(a) ? b : a), 'up-to-date');
}
