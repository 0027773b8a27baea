/** `tsmig heads [-v] [--resolve-dependencies] [--json]`: the revisions nothing revises yet. */
import type { CommandDefinition } from '../context.js';
import { fullForm, loadGraphProject, printEntries, printJson } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

/** The `tsmig heads` verb. */
export const headsCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('heads'))
    .description('Show the current head revisions of the script directory.')
    .option('-v, --verbose', 'show each head in full')
    .option('--resolve-dependencies', 'leave out heads that another head depends on')
    .option('--json', 'print the heads as JSON on stdout')
    .action(async (flags: { verbose?: boolean; resolveDependencies?: boolean; json?: boolean }, command) => {
      const { heads } = await import('../../migrate/commands/graph.js');
      const { formatRevision, revisionJson } = await import('../../migrate/script/revision-format.js');
      const { scripts } = await loadGraphProject(ctx, command);
      const map = scripts.revisionMap();
      const verbose = fullForm(flags, command);
      const found = heads(scripts, { resolveDependencies: flags.resolveDependencies === true });
      if (flags.json === true) printJson(ctx, found.map((info) => revisionJson(map, info)));
      else printEntries(ctx, found.map((info) => formatRevision(map, info, { verbose, includeBranches: true, treeIndicators: false })), verbose);
    });
