/** `tsmig show REV`: a revision in full (`heads` shows each head). */
import { show } from '../../migrate/commands/graph.js';
import { formatRevision } from '../../migrate/script/revision-format.js';
import type { CommandDefinition } from '../context.js';
import { loadGraphProject, printEntries } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

export const showCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('show'), program)
    .description('Show a revision in full.')
    .argument('<revision>', 'a revision id (or unique prefix), head, heads or label@head')
    .action(async (identifier: string, _flags: unknown, command) => {
      const { scripts } = await loadGraphProject(ctx, command);
      const map = scripts.revisionMap();
      printEntries(ctx, show(scripts, identifier).map((info) => formatRevision(map, info, { verbose: true })), true);
    });
