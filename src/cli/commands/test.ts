/**
 * `tsmig test [RANGE] [--url URL] [--json]`: the stairway test on a scratch database (created on the
 * configured server and dropped after, or the empty database `--url` names). Progress goes to stderr; the
 * differences that stopped it go to stdout, and the exit code is 1.
 */
import type { CommandDefinition } from '../context.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

export const testCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('test'))
    .description('Upgrade, downgrade and upgrade each revision on a scratch database, checking that every downgrade restores the schema and that the head matches the models.')
    .argument('[range]', 'the revisions to test: A:B, A: or :B (default: all)')
    .option('--url <url>', 'an empty database to run on, instead of a scratch one created next to the configured database and dropped after')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (range: string | undefined, flags: { url?: string; json?: boolean }, command) => {
      const config = await loadRunConfig(ctx, command);
      const { StairwayFailedError, stairway } = await import('../../migrate/commands/stairway.js');
      const result = await stairway(config, {
        ...(range === undefined ? {} : { range }),
        ...(flags.url === undefined ? {} : { url: flags.url }),
        reporter: runReporter(ctx),
      });
      if (flags.json === true) ctx.output.result(JSON.stringify(result, null, 2));
      const { failure } = result;
      const count = `${result.passed.length} revision${result.passed.length === 1 ? '' : 's'}`;
      if (failure === null) {
        ctx.output.status(`Stairway test passed: ${count} upgraded, downgraded and upgraded again with the schema restored.`);
        return;
      }
      if (flags.json !== true) ctx.output.result(failure.differences.map((d) => `- ${d}`).join('\n'));
      throw new StairwayFailedError(
        failure.kind === 'downgrade'
          ? `The downgrade of ${failure.revision} does not restore the schema its upgrade started from (${failure.differences.length} difference${failure.differences.length === 1 ? '' : 's'} above); fix its downgrade().`
          : `At the head (${failure.revision}) the models and the schema differ (${failure.differences.length} listed above); run \`tsmig revision --autogenerate -m "..."\`.`,
      );
    });
