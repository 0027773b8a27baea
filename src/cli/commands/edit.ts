/** `tsmig edit REV`: opens a revision file in $VISUAL or $EDITOR. */
import type { CommandDefinition } from '../context.js';
import { currentHeadsIf, loadGraphProject, mentionsCurrent } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

/** The `tsmig edit` verb. */
export const editCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('edit'))
    .description('Open a revision file in $VISUAL or $EDITOR.')
    .argument('<revision>', 'a revision id (or unique prefix), head, label@head or current')
    .action(async (identifier: string, _flags: unknown, command) => {
      const { edit } = await import('../../migrate/commands/graph.js');
      const project = await loadGraphProject(ctx, command);
      const currentHeads = await currentHeadsIf(mentionsCurrent(identifier), ctx, project);
      edit(project.scripts, identifier, { currentHeads });
    });
