/**
 * `tsmig test`, the stairway test: on a scratch database, every revision in order is upgraded, downgraded
 * and upgraded again, and the schema after each downgrade must equal the schema before that upgrade; at
 * the head the models must match (`check`). The first revision whose downgrade does not give the schema
 * back is reported with the differences, so a broken downgrade is found before production needs it.
 */
import { createEngine } from '../../engine/engine.js';
import { TsmigError } from '../../errors.js';
import { type DatabaseUrl, parseDatabaseUrl } from '../../engine/url.js';
import type { ReflectedSchema } from '../../schema/reflected.js';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { RunReporter } from '../runtime/migration-context.js';
import { tsmigTableNames } from '../runtime/version-table.js';
import { RevisionGraphError } from '../script/errors.js';
import type { RevisionInfo } from '../script/revision.js';
import { diffSchemas } from '../stairway/schema-diff.js';
import { createScratchDatabase, type ScratchDatabase } from '../stairway/scratch-database.js';
import { check } from './check.js';
import { openScriptDirectory } from './graph.js';
import { downgrade, upgrade } from './run.js';

/** The stairway test found a downgrade that does not restore the schema, or models that differ at head. */
export class StairwayFailedError extends TsmigError {
  override readonly name: string = 'StairwayFailedError';
}

/** Options of {@link stairway}. */
export interface StairwayOptions {
  /** `A:B`, `A:`, `:B` (default: every revision). Revisions below A are upgraded once, untested. */
  readonly range?: string;
  /**
   * An empty database to use (and leave as the run left it) instead of a scratch one created next to the
   * configured URL and dropped after.
   */
  readonly url?: string;
  readonly reporter?: RunReporter;
}

/** Where the stairway stopped. */
export interface StairwayFailure {
  readonly revision: string;
  /** `downgrade`: its downgrade did not restore the schema; `models`: at head, the models differ. */
  readonly kind: 'downgrade' | 'models';
  readonly differences: readonly string[];
}

/** What {@link stairway} found. */
export interface StairwayResult {
  /** The revisions that went up, down and up again with the schema restored, oldest first. */
  readonly passed: readonly string[];
  readonly failure: StairwayFailure | null;
}

/**
 * Runs the stairway test. Migration errors (a revision that fails to run) are thrown as `upgrade` and
 * `downgrade` throw them; the scratch database is dropped either way.
 *
 * @example
 * ```ts
 * const result = await stairway(await loadConfig());
 * if (result.failure !== null) console.log(result.failure.revision, result.failure.differences);
 * ```
 */
export async function stairway(config: ResolvedConfig, options: StairwayOptions = {}): Promise<StairwayResult> {
  const database = config.database;
  if (database === null) {
    throw new ConfigError(`This project has several databases (${Object.keys(config.databases).join(', ')}); pass --name to test one.`);
  }
  const scripts = openScriptDirectory(config);
  const revisions = linearChain(
    [...(options.range === undefined ? scripts.revisionMap().history() : scripts.revisionMap().range(options.range))].reverse(),
  );
  let scratch: ScratchDatabase;
  if (options.url !== undefined) {
    scratch = { url: parseDatabaseUrl(options.url), drop: async () => undefined };
  } else {
    if (database.url === null) throw new ConfigError(`tsmig test needs a database server: set ${database.urlEnv}, or pass --url for an empty test database.`);
    scratch = await createScratchDatabase(database.url);
  }
  try {
    const on: ResolvedConfig = { ...config, database: { ...database, url: scratch.url } };
    const run = { scripts, ...(options.reporter === undefined ? {} : { reporter: options.reporter }) };
    const ignore = tsmigTableNames(config.versionTable);
    const first = revisions[0];
    if (first !== undefined && first.downRevisions.length > 0) await upgrade(on, first.downRevisions[0]!, run);
    const passed: string[] = [];
    for (const info of revisions) {
      const before = await reflect(scratch.url);
      await upgrade(on, info.revision, run);
      await downgrade(on, info.downRevisions[0] ?? 'base', run);
      const differences = diffSchemas(before, await reflect(scratch.url), ignore);
      if (differences.length > 0) return { passed, failure: { revision: info.revision, kind: 'downgrade', differences } };
      await upgrade(on, info.revision, run);
      passed.push(info.revision);
    }
    const last = revisions.at(-1);
    if (last !== undefined && database.targetMetadata !== null && scripts.revisionMap().heads.includes(last.revision)) {
      const result = await check(on);
      if (!result.ok) return { passed, failure: { revision: last.revision, kind: 'models', differences: result.differences.map((d) => d.description) } };
    }
    return { passed, failure: null };
  } finally {
    await scratch.drop();
  }
}

/** The revisions must form one chain: each the child of the one before (a merge or a branch cannot be walked as stairs). */
function linearChain(revisions: readonly RevisionInfo[]): readonly RevisionInfo[] {
  revisions.forEach((info, i) => {
    const previous = revisions[i - 1];
    const ok = info.downRevisions.length <= 1 && (previous === undefined || info.downRevisions[0] === previous.revision);
    if (!ok) {
      throw new RevisionGraphError(
        `tsmig test walks one chain of revisions, and ${info.revision} ${info.downRevisions.length > 1 ? 'is a merge point' : 'starts another branch'}; give a range along one branch (A:B).`,
      );
    }
  });
  return revisions;
}

async function reflect(url: DatabaseUrl): Promise<ReflectedSchema> {
  const engine = createEngine(url, { poolSize: 1 });
  try {
    return await engine.reflectSchema();
  } finally {
    await engine.dispose();
  }
}
