/**
 * What the revision-graph verbs (`revision`, `merge`, `heads`, `history`, `branches`, `show`, `edit`)
 * share: loading the configuration named by the global options and opening its script directory, and
 * printing lists of revisions in one write.
 */
import type { Command } from 'commander';
import type { ResolvedConfig } from '../../migrate/config/load-config.js';
import type { ScriptDirectory } from '../../migrate/script/script-directory.js';
import type { CliContext } from '../context.js';
import { loadRunConfig, runReporter } from './run-common.js';

/** The loaded configuration and its script directory. */
export interface GraphProject {
  readonly config: ResolvedConfig;
  readonly scripts: ScriptDirectory;
}

/** Loads `alembic.config.ts` (found from `ctx.cwd`, or `-c`) and opens the script directory. */
export async function loadGraphProject(ctx: CliContext, command: Command): Promise<GraphProject> {
  const { openScriptDirectory } = await import('../../migrate/commands/graph.js');
  const config = await loadRunConfig(ctx, command);
  return { config, scripts: openScriptDirectory(config) };
}

/** Whether an identifier names the database's revisions (`current`, `shop@current`). */
export function mentionsCurrent(identifier: string | null | undefined): boolean {
  return identifier !== null && identifier !== undefined && /(^|@)current$/.test(identifier.trim());
}

/**
 * The database's current revisions, read through env.ts, when `needed`; otherwise undefined. The
 * runtime (engine, drivers) is imported only then, so the graph verbs start without it.
 */
export async function currentHeadsIf(needed: boolean, ctx: CliContext, project: GraphProject): Promise<readonly string[] | undefined> {
  if (!needed) return undefined;
  const { currentHeads } = await import('../../migrate/commands/run.js');
  return currentHeads(project.config, { scripts: project.scripts, reporter: runReporter(ctx) });
}

/**
 * Whether a verb's `-v, --verbose` (the full form) was given. The program's global `--verbose` (stack
 * traces) takes the long spelling wherever it appears on the line, so both spellings mean the full form.
 */
export function fullForm(flags: { readonly verbose?: boolean }, command: Command): boolean {
  return flags.verbose === true || command.optsWithGlobals<{ verbose?: boolean }>().verbose === true;
}

/** Prints a `--json` answer on stdout, indented for people reading it too. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.output.result(JSON.stringify(value, null, 2));
}

/** Prints lines on stdout in one write (a thousand revisions are one write, not a thousand). */
export function printLines(ctx: CliContext, lines: readonly string[]): void {
  if (lines.length > 0) ctx.output.result(lines.join('\n'));
}

/** Prints multi-line blocks, each followed by a blank line, as Alembic prints verbose entries. */
export function printBlocks(ctx: CliContext, blocks: readonly string[]): void {
  if (blocks.length > 0) ctx.output.result(blocks.map((block) => `${block}\n\n`).join(''));
}

/** One-line entries, or verbose (multi-line) ones as blocks. */
export function printEntries(ctx: CliContext, entries: readonly string[], verbose: boolean): void {
  if (verbose) printBlocks(ctx, entries);
  else printLines(ctx, entries);
}
