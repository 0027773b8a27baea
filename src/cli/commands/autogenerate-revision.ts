/**
 * `tsmig revision --autogenerate [--rename old:new] [--skip-empty]`: the part of the revision verb that
 * compares the models with the database. It prints each detected change on stderr (as Alembic's
 * "Detected ..." lines), a warning for each change that can lose data and each possible rename, and
 * asks whether a possible rename is one on an interactive terminal only (never in CI). Loaded only with
 * --autogenerate, so the plain revision verb starts without the database drivers.
 */
import { type DatabaseComparison, autogenerateRevision } from '../../migrate/commands/autogenerate.js';
import type { RevisionOptions } from '../../migrate/commands/graph.js';
import { withShadowDatabase } from '../../migrate/commands/shadow.js';
import type { ResolvedConfig } from '../../migrate/config/load-config.js';
import type { RenameCandidate } from '../../migrate/autogenerate/plan.js';
import { renameArg } from '../../migrate/autogenerate/renames.js';
import type { CliContext } from '../context.js';
import { PROGRESS_MIN_STEPS, ProgressLine } from '../progress-line.js';
import type { GraphProject } from './graph-common.js';
import { runReporter } from './run-common.js';

/** Compares, writes the revision (unless `skipEmpty` and nothing changed) and reports. */
export async function runAutogenerate(
  ctx: CliContext,
  project: GraphProject,
  options: RevisionOptions,
  flags: { readonly renames: readonly string[]; readonly skipEmpty: boolean; readonly shadow: boolean },
): Promise<void> {
  const compareWith = (config: ResolvedConfig) =>
    autogenerateRevision(config, options, {
      scripts: project.scripts,
      renames: flags.renames,
      skipEmpty: flags.skipEmpty,
      confirmRename: confirmRenameOnTerminal(ctx),
      reporter: runReporter(ctx),
      onTableCompared: tableProgress(ctx),
    });
  const { revision, comparison } = flags.shadow ? await withShadowDatabase(project.config, compareWith) : await compareWith(project.config);
  reportComparison(ctx, comparison);
  if (revision === null) ctx.output.status('Nothing written (--skip-empty).');
  else ctx.output.status(`Generating ${revision.path} ... done`);
}

/**
 * A progress line over the tables compared, when there are {@link PROGRESS_MIN_STEPS} or more, on a live
 * terminal only (`compare 120/1000 tables · 41.3/s · ETA 21 s`); erased once the last one is done, before
 * the detected changes are listed.
 */
function tableProgress(ctx: CliContext): (database: string | null, done: number, total: number) => void {
  let progress: ProgressLine | null = null;
  return (database, done, total) => {
    if (total < PROGRESS_MIN_STEPS) return;
    if (done === 0 || progress === null) progress = new ProgressLine(ctx.output, `compare${database === null ? '' : ` [${database}]`}`, total);
    progress.update(done, { detail: ' tables' });
    if (done === total) progress.end();
  };
}

/** Asks about a possible rename on the terminal; no terminal (or CI) means no. */
export function confirmRenameOnTerminal(ctx: CliContext): (candidate: RenameCandidate) => Promise<boolean> {
  return async (candidate) => {
    const what = candidate.kind === 'table' ? `table '${candidate.from}'` : `column '${candidate.table}.${candidate.from}'`;
    return (await ctx.output.confirm(`Was ${what} renamed to '${candidate.to}'?`)) === true;
  };
}

/** The detected changes, destructive changes and possible renames of one comparison, on stderr. */
export function reportComparison(ctx: CliContext, { database, plan }: DatabaseComparison): void {
  const where = database === null ? '' : ` [${database}]`;
  if (plan.isEmpty) {
    ctx.output.status(`No changes in schema detected${where}.`);
    return;
  }
  for (const change of plan.changes) ctx.output.status(`Detected${where}: ${change.description}`);
  for (const change of plan.destructive) ctx.output.warn(`destructive: ${change.destructive}; check the revision before upgrading`);
  for (const candidate of plan.renameCandidates) {
    const what = candidate.kind === 'table' ? `table '${candidate.from}' -> '${candidate.to}'` : `column '${candidate.table}.${candidate.from}' -> '${candidate.to}'`;
    ctx.output.warn(
      `possible rename: ${what} is written as a drop and an add, which loses the data; if it is a rename, state it with --rename ${renameArg(candidate)} (or renamedFrom: '${candidate.from}' in the model) and generate again`,
    );
  }
}
