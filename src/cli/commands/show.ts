/** `tsmig show REV`: a revision in full (`heads` shows each head). */
import type { CommandDefinition } from '../context.js';
import { currentHeadsIf, loadGraphProject, mentionsCurrent, printEntries } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

/** The `tsmig show` verb. */
export const showCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('show'), program)
    .description('Show a revision in full.')
    .argument('<revision>', 'a revision id (or unique prefix), head, heads, label@head or current')
    .action(async (identifier: string, _flags: unknown, command) => {
      const { show } = await import('../../migrate/commands/graph.js');
      const { formatRevision } = await import('../../migrate/script/revision-format.js');
      const project = await loadGraphProject(ctx, command);
      const map = project.scripts.revisionMap();
      const currentHeads = await currentHeadsIf(mentionsCurrent(identifier), ctx, project);
      printEntries(ctx, show(project.scripts, identifier, { currentHeads }).map((info) => formatRevision(map, info, { verbose: true })), true);
    });
