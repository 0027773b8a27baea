/** `tsmig show REV [--json]`: a revision in full (`heads` shows each head). */
import type { CommandDefinition } from '../context.js';
import { currentHeadsIf, loadGraphProject, mentionsCurrent, printEntries, printJson } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

/** The `tsmig show` verb. */
export const showCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('show'))
    .description('Show a revision in full.')
    .argument('<revision>', 'a revision id (or unique prefix), head, heads, label@head or current')
    .option('--json', 'print the revision(s) as JSON on stdout (always a list: `heads` may name several)')
    .action(async (identifier: string, flags: { json?: boolean }, command) => {
      const { show } = await import('../../migrate/commands/graph.js');
      const { formatRevision, revisionJson } = await import('../../migrate/script/revision-format.js');
      const project = await loadGraphProject(ctx, command);
      const map = project.scripts.revisionMap();
      const currentHeads = await currentHeadsIf(mentionsCurrent(identifier), ctx, project);
      const found = show(project.scripts, identifier, { currentHeads });
      if (flags.json === true) printJson(ctx, found.map((info) => revisionJson(map, info, currentHeads)));
      else printEntries(ctx, found.map((info) => formatRevision(map, info, { verbose: true })), true);
    });
