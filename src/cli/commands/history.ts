/**
 * `tsmig history [-r A:B] [-v] [-i] [--json]`: the revisions, newest first, one line each (or in full with
 * -v, or as JSON). Only `-i` and a range that says `current` read the database (through env.ts); the rest
 * reads files.
 */
import { parseRange } from '../../migrate/script/identifier.js';
import type { CommandDefinition } from '../context.js';
import { currentHeadsIf, fullForm, loadGraphProject, mentionsCurrent, printEntries, printJson } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

/** Whether a range end names the database's revisions. */
function rangeMentionsCurrent(range: string | undefined): boolean {
  if (range === undefined) return false;
  const { lower, upper } = parseRange(range);
  return mentionsCurrent(lower) || mentionsCurrent(upper);
}

/** The `tsmig history` verb. */
export const historyCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('history'), program)
    .description('List revisions in chronological order, newest first.')
    .option('-r, --rev-range <range>', 'a range A:B, A: or :B (e.g. 1975ea:head, -3:, current:, shop@base:shop@head)')
    .option('-v, --verbose', 'show each revision in full')
    .option('-i, --indicate-current', "mark the database's current revision(s) (connects through env.ts)")
    .option('--json', 'print the revisions as JSON on stdout')
    .action(async (flags: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean; json?: boolean }, command) => {
      const { history } = await import('../../migrate/commands/graph.js');
      const { formatRevision, revisionJson } = await import('../../migrate/script/revision-format.js');
      const project = await loadGraphProject(ctx, command);
      const { scripts } = project;
      const map = scripts.revisionMap();
      const currentHeads = await currentHeadsIf(flags.indicateCurrent === true || rangeMentionsCurrent(flags.revRange), ctx, project);
      const verbose = fullForm(flags, command);
      const current = flags.indicateCurrent === true ? currentHeads : undefined;
      const revisions = history(scripts, { range: flags.revRange, currentHeads });
      if (flags.json === true) {
        printJson(ctx, revisions.map((info) => revisionJson(map, info, current)));
        return;
      }
      printEntries(
        ctx,
        revisions.map((info) => formatRevision(map, info, { verbose, includeBranches: true, includeDoc: true, includeParents: true, current })),
        verbose,
      );
    });
