/** `tsmig ensure-version [--sql]`: create the version table if it does not exist. */
import type { CommandDefinition } from '../context.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

export const ensureVersionCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('ensure-version'))
    .description('Create the version table if it does not exist.')
    .option('--sql', 'write its CREATE TABLE to stdout instead (offline mode)')
    .action(async (flags: { sql?: boolean }, command) => {
      const { ensureVersion } = await import('../../migrate/commands/run.js');
      const config = await loadRunConfig(ctx, command);
      await ensureVersion(config, { sql: flags.sql === true, reporter: runReporter(ctx), output: (text) => ctx.output.writeOut(text) });
    });
