/** `tsmig branches [-v] [--json]`: every branch point and the revisions it branches into. */
import type { CommandDefinition } from '../context.js';
import { fullForm, loadGraphProject, printBlocks, printJson } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

/** The `tsmig branches` verb. */
export const branchesCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('branches'))
    .description('Show the branch points of the revision graph.')
    .option('-v, --verbose', 'show each branch point in full')
    .option('--json', 'print the branch points as JSON on stdout')
    .action(async (flags: { verbose?: boolean; json?: boolean }, command) => {
      const { branches } = await import('../../migrate/commands/graph.js');
      const { formatRevision, revisionJson } = await import('../../migrate/script/revision-format.js');
      const { scripts } = await loadGraphProject(ctx, command);
      const map = scripts.revisionMap();
      const verbose = fullForm(flags, command);
      const found = branches(scripts);
      if (flags.json === true) {
        printJson(
          ctx,
          found.map(({ revision, branches: starts }) => ({ ...revisionJson(map, revision), branches: starts.map((start) => revisionJson(map, start)) })),
        );
        return;
      }
      const blocks = found.map(({ revision, branches: starts }) => {
        const indent = ' '.repeat(revision.revision.length);
        const lines = starts.map((start) => `${indent} -> ${formatRevision(map, start, { includeBranches: true, includeDoc: verbose })}`);
        return `${formatRevision(map, revision, { verbose, includeBranches: true })}\n${lines.join('\n')}`;
      });
      printBlocks(ctx, blocks);
    });
