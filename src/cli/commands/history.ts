/**
 * `tsmig history [-r A:B] [-v] [-i] [--json] [--graph [--format text|mermaid|dot]]`: the revisions, newest
 * first, one line each (or in full with -v, as JSON, or as a picture of the graph). Only `-i` and a range
 * that says `current` read the database (through env.ts); the rest reads files.
 */
import { Option } from 'commander';
import { REVISION_GRAPH_FORMATS, type RevisionGraphFormat } from '../../migrate/script/revision-picture.js';
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

interface HistoryFlags {
  readonly revRange?: string;
  readonly verbose?: boolean;
  readonly indicateCurrent?: boolean;
  readonly json?: boolean;
  readonly graph?: boolean;
  readonly format?: RevisionGraphFormat;
}

/** The `tsmig history` verb. */
export const historyCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('history'))
    .description('List revisions in chronological order, newest first.')
    .option('-r, --rev-range <range>', 'a range A:B, A: or :B (e.g. 1975ea:head, -3:, current:, shop@base:shop@head)')
    .option('-v, --verbose', 'show each revision in full')
    .option('-i, --indicate-current', "mark the database's current revision(s) (connects through env.ts)")
    .option('--json', 'print the revisions as JSON on stdout')
    .option('--graph', 'draw the revision graph: branch points, merges, labels, dependsOn edges (-i marks the current revisions)')
    .addOption(new Option('--format <format>', 'the picture for --graph: text (lanes like git log --graph), mermaid or dot (Graphviz)').choices(REVISION_GRAPH_FORMATS))
    .action(async (flags: HistoryFlags, command) => {
      const { history } = await import('../../migrate/commands/graph.js');
      const { formatRevision, revisionJson } = await import('../../migrate/script/revision-format.js');
      const project = await loadGraphProject(ctx, command);
      const { scripts } = project;
      const map = scripts.revisionMap();
      const currentHeads = await currentHeadsIf(flags.indicateCurrent === true || rangeMentionsCurrent(flags.revRange), ctx, project);
      const verbose = fullForm(flags, command);
      const current = flags.indicateCurrent === true ? currentHeads : undefined;
      const revisions = history(scripts, { range: flags.revRange, currentHeads });
      if (flags.format !== undefined && flags.graph !== true) {
        command.error('error: --format goes with --graph (tsmig history --graph --format mermaid)');
      }
      if (flags.graph === true) {
        const { revisionPicture } = await import('../../migrate/script/revision-picture.js');
        ctx.output.result(revisionPicture(map, revisions, { format: flags.format ?? 'text', current }));
        return;
      }
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
