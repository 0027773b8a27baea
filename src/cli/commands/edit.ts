/** `tsmig edit REV`: opens a revision file in $VISUAL or $EDITOR. */
import { edit } from '../../migrate/commands/graph.js';
import type { CommandDefinition } from '../context.js';
import { loadGraphProject } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

export const editCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('edit'), program)
    .description('Open a revision file in $VISUAL or $EDITOR.')
    .argument('<revision>', 'a revision id (or unique prefix), head or label@head')
    .action(async (identifier: string, _flags: unknown, command) => {
      const { scripts } = await loadGraphProject(ctx, command);
      edit(scripts, identifier);
    });
