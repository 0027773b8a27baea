/**
 * `tsmig squash start:end`: replaces a linear range of revisions by one that keeps the end's id (so a
 * database already at the end stays valid) and builds the same schema. The schema is learnt by running
 * the old revisions on a scratch database, never the project's: upgraded to the end, its catalog becomes
 * the target; downgraded to the start, autogenerate compares it with that target, and the plan is the new
 * revision's upgrade and downgrade. Data steps of the old files (op.execute, bulkInsert, getBind) cannot be
 * derived from a catalog: they are listed for the user to carry over.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl } from '../../engine/url.js';
import { TsmigError } from '../../errors.js';
import { tablesFromReflected } from '../../schema/from-reflected.js';
import { MetaData } from '../../schema/metadata.js';
import { produceMigration, reflectSchemas } from '../autogenerate/api.js';
import type { MigrationPlan } from '../autogenerate/plan.js';
import { renderMigration } from '../autogenerate/render/render.js';
import { ConfigError } from '../config/config-error.js';
import { requireUrl, type ResolvedConfig } from '../config/load-config.js';
import type { RunReporter } from '../runtime/migration-context.js';
import { isTsmigTable } from '../runtime/version-table.js';
import type { Connection } from '../../engine/connection.js';
import { RevisionGraphError } from '../script/errors.js';
import { parseRange } from '../script/identifier.js';
import { replacedChecksumLine, replacedChecksums as previouslyReplaced, revisionChecksum } from '../script/revision-checksum.js';
import type { RevisionMap } from '../script/revision-map.js';
import type { RevisionInfo } from '../script/revision.js';
import { openScriptDirectory } from './graph.js';
import { downgrade, inspectDatabases, upgrade } from './run.js';

/** Options of {@link squash}. */
export interface SquashOptions {
  /**
   * An empty database of the project's dialect to run the old revisions on; it is left at base.
   * Default for SQLite: a temporary file. Required for the other dialects.
   */
  readonly scratchUrl?: string;
  /** The new revision's message (default: the messages of the range). */
  readonly message?: string;
  readonly reporter?: RunReporter;
}

/** What {@link squash} did. */
export interface SquashResult {
  /** The new revision (the end's id). */
  readonly revision: RevisionInfo;
  /** The revisions it replaces, oldest first; their files are gone. */
  readonly replaced: readonly RevisionInfo[];
  /** Data steps of the old files, `file:line: text`, to carry over by hand. */
  readonly dataSteps: readonly string[];
}

/**
 * Squashes the revisions after `start` up to `end` (`start` may be `base`) into one.
 *
 * @example
 * ```ts
 * await squash(config, 'base:3c4d5e6f7a8b', { scratchUrl: 'postgresql://localhost/scratch' });
 * ```
 */
export async function squash(config: ResolvedConfig, range: string, options: SquashOptions): Promise<SquashResult> {
  if (config.database === null) {
    throw new ConfigError(`This project has several databases (${Object.keys(config.databases).join(', ')}); squash with --name to pick the one whose dialect the revision is for.`);
  }
  const scripts = openScriptDirectory(config);
  const { start, chain } = linearRange(scripts.revisionMap(), range);
  if (options.scratchUrl !== undefined) return squashOn(config, options.scratchUrl, start, chain, options);
  if (requireUrl(config.database).dialect !== 'sqlite') {
    throw new ConfigError('squash runs the revisions on an empty scratch database; give one of the same dialect with --scratch-url.');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tsmig-squash-'));
  try {
    return await squashOn(config, `sqlite:///${path.join(dir, 'scratch.db')}`, start, chain, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function squashOn(config: ResolvedConfig, scratchUrl: string, start: string | null, chain: readonly RevisionInfo[], options: SquashOptions): Promise<SquashResult> {
  const scripts = openScriptDirectory(config);
  const scratch: ResolvedConfig = {
    ...config,
    database: { ...config.database!, url: parseDatabaseUrl(scratchUrl), urlSource: 'config' },
  };
  const end = chain[chain.length - 1]!;
  const startTarget = start ?? 'base';
  const run = { scripts, ...(options.reporter === undefined ? {} : { reporter: options.reporter }) };

  await inspectDatabases(scratch, async (connection, found) => {
    const tables = (await reflectSchemas(connection)).get(null)!.tables.filter((t) => !isVersionTable(config, t.name, t.schema));
    if (found.heads.length > 0 || tables.length > 0) {
      throw new TsmigError(`The scratch database is not empty (${tables.length} table(s), revision(s) ${found.heads.join(', ') || 'none'}); give an empty one with --scratch-url.`);
    }
  });
  await upgrade(scratch, end.revision, run);
  const target = new MetaData();
  await inspectDatabases(scratch, async (connection) => {
    const reflected = (await reflectSchemas(connection)).get(null)!;
    tablesFromReflected(target, { ...reflected, tables: reflected.tables.filter((t) => !isVersionTable(config, t.name, t.schema)) });
  });
  await downgrade(scratch, startTarget, run);
  let plan: MigrationPlan | null = null;
  let dialect: Connection['dialect']['name'] = 'sqlite';
  await inspectDatabases(scratch, async (connection) => {
    dialect = connection.dialect.name;
    plan = await produceMigration(connection, target, { versionTable: { name: config.versionTable, schema: config.versionTableSchema } });
  });
  await downgrade(scratch, 'base', run);

  // A database that ran the old end keeps its history row: the new file names that file's checksum.
  const endSource = readFileSync(end.path, 'utf8');
  const replacedChecksums = [revisionChecksum(endSource), ...previouslyReplaced(endSource)];
  const rendered = renderMigration(plan!, dialect);
  const dataSteps = chain.flatMap(dataStepsOf);
  const notes = dataSteps.length === 0 ? [] : ['// Data steps of the squashed revisions, not carried over (copy what a new database needs):', ...dataSteps.map((d) => `//   ${d}`)];
  const revision = await scripts.generateRevision({
    message: options.message ?? `squash ${chain.map((r) => r.message).join('; ')}`,
    head: startTarget,
    splice: true,
    revId: end.revision,
    branchLabel: end.branchLabels,
    upgradeBody: [...notes, rendered.upgradeBody].join('\n'),
    downgradeBody: rendered.downgradeBody,
    imports: rendered.imports,
    replaces: chain,
  });
  const written = readFileSync(revision.path, 'utf8');
  const lines = replacedChecksums.map(replacedChecksumLine);
  // Into the doc comment after "Create Date" when the template has one, else as comments at the top.
  writeFileSync(
    revision.path,
    /^ \* Create Date: .*$/m.test(written)
      ? written.replace(/^ \* Create Date: .*$/m, (line) => [line, ...lines].join('\n'))
      : `${lines.map((l) => `//${l.slice(2)}`).join('\n')}\n${written}`,
  );
  return { revision, replaced: chain, dataSteps };
}

/**
 * The revisions of `range`, oldest first, and its start (null: base). Refused: a range of fewer than two
 * revisions, a branch or merge point inside it, a dependency from or into it, an end that is not above
 * the start.
 */
function linearRange(map: RevisionMap, range: string): { start: string | null; chain: RevisionInfo[] } {
  const { lower, upper } = parseRange(range);
  if (upper === null) throw new RevisionGraphError(`squash ${range}: name the end of the range (start:end).`);
  const end = map.resolveOne(upper);
  if (end === null) throw new RevisionGraphError(`squash ${range}: the end is base; name a revision.`);
  const start = lower === null || lower === 'base' ? null : (map.resolveOne(lower)?.revision ?? null);
  const chain: RevisionInfo[] = [];
  for (let at: RevisionInfo | null = end; at !== null && at.revision !== start; ) {
    const id = at.revision;
    if (at.downRevisions.length > 1) throw new RevisionGraphError(`squash ${range}: ${id} is a merge point; squash a linear range only.`);
    if (at.dependsOn.length > 0 || map.dependents(id).length > 0) throw new RevisionGraphError(`squash ${range}: ${id} takes part in a cross-branch dependency; squash a range without any.`);
    if (at !== end && map.children(id).length > 1) throw new RevisionGraphError(`squash ${range}: ${id} is a branch point; squash a linear range only.`);
    chain.unshift(at);
    const down: string | undefined = at.downRevisions[0];
    if (down === undefined && start !== null) throw new RevisionGraphError(`squash ${range}: ${end.revision} does not descend from ${start}.`);
    at = down === undefined ? null : map.get(down);
  }
  if (chain.length < 2) throw new RevisionGraphError(`squash ${range}: the range holds ${chain.length} revision; squash two or more.`);
  return { start, chain };
}

function isVersionTable(config: ResolvedConfig, name: string, schema: string | null): boolean {
  return isTsmigTable({ name: config.versionTable, schema: config.versionTableSchema }, name, schema);
}

/** The lines of a revision's upgrade() that move data rather than schema. */
function dataStepsOf(info: RevisionInfo): string[] {
  const text = readFileSync(info.path, 'utf8');
  const body = text.slice(text.indexOf('function upgrade'), text.indexOf('function downgrade') === -1 ? undefined : text.indexOf('function downgrade'));
  const offset = text.slice(0, text.indexOf('function upgrade')).split('\n').length;
  return body
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: offset + i }))
    .filter(({ line }) => /\bop\.(execute|bulkInsert|getBind)\(/.test(line))
    .map(({ line, n }) => `${path.basename(info.path)}:${n}: ${line}`);
}
