/**
 * What the revision-graph verbs (`revision`, `merge`, `heads`, `history`, `branches`, `show`, `edit`)
 * share: loading the configuration named by the global options and opening its script directory, and
 * printing lists of revisions in one write.
 */
import type { Command } from 'commander';
import { openScriptDirectory } from '../../migrate/commands/graph.js';
import type { ResolvedConfig } from '../../migrate/config/load-config.js';
import type { ScriptDirectory } from '../../migrate/script/script-directory.js';
import type { CliContext } from '../context.js';
import { loadRunConfig } from './run-common.js';

/** The loaded configuration and its script directory. */
export interface GraphProject {
  readonly config: ResolvedConfig;
  readonly scripts: ScriptDirectory;
}

/** Loads `alembic.config.ts` (found from `ctx.cwd`, or `-c`) and opens the script directory. */
export async function loadGraphProject(ctx: CliContext, command: Command): Promise<GraphProject> {
  const config = await loadRunConfig(ctx, command);
  return { config, scripts: openScriptDirectory(config) };
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
