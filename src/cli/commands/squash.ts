/**
 * `tsmig squash <start:end> [--scratch-url URL] [-m MESSAGE]`: one revision in place of a linear range,
 * keeping the end's id; prints the file written and the data steps to carry over by hand.
 */
import type { CommandDefinition } from '../context.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

export const squashCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('squash'))
    .description('Replace a linear range of revisions (start:end, start may be base) by one revision with the end\'s id.')
    .argument('<range>', 'the revisions after start up to end, e.g. base:3c4d5e or 1975ea:3c4d5e')
    .option('--scratch-url <url>', 'an empty database of the same dialect to run the revisions on (default for SQLite: a temporary file)')
    .option('-m, --message <message>', 'the message of the new revision (default: the messages of the range)')
    .action(async (range: string, flags: { scratchUrl?: string; message?: string }, command) => {
      const config = await loadRunConfig(ctx, command);
      const { squash } = await import('../../migrate/commands/squash.js');
      const result = await squash(config, range, {
        ...(flags.scratchUrl === undefined ? {} : { scratchUrl: flags.scratchUrl }),
        ...(flags.message === undefined ? {} : { message: flags.message }),
        reporter: { info: runReporter(ctx).info },
      });
      ctx.output.status(`Squashed ${result.replaced.map((r) => r.revision).join(', ')} into ${result.revision.path}`);
      if (result.dataSteps.length > 0) {
        ctx.output.warn(`data steps of the old revisions are not in the new one (${result.dataSteps.length}); carry them over by hand:`);
        for (const step of result.dataSteps) ctx.output.status(`  - ${step}`);
      }
    });
