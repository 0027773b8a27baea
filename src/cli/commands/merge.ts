/** `tsmig merge -m MSG REVS...`: writes a revision that merges several heads (`heads` names them all). */
import type { CommandDefinition } from '../context.js';
import { loadGraphProject } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

/** The `tsmig merge` verb. */
export const mergeCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('merge'))
    .description('Create a revision that merges two or more heads.')
    .argument('<revisions...>', 'the revisions to merge, or `heads`')
    .option('-m, --message <message>', 'the message of the merge revision')
    .option('--branch-label <label>', 'a branch label for the merge revision')
    .option('--rev-id <id>', 'the revision id to use instead of a random one')
    .action(async (revisions: string[], flags: { message?: string; branchLabel?: string; revId?: string }, command) => {
      const { merge } = await import('../../migrate/commands/graph.js');
      const { scripts } = await loadGraphProject(ctx, command);
      const created = await merge(scripts, revisions, { message: flags.message, branchLabel: flags.branchLabel, revId: flags.revId });
      ctx.output.status(`Generating ${created.path} ... done`);
    });
