/** `tsmig reset [--drop] [--yes]`: a development database back to a fresh head. */
import type { CommandDefinition } from '../context.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

export const resetCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('reset'))
    .description('Reset a development database: downgrade to base (or drop the tables with --drop), then upgrade to head.')
    .option('--drop', "drop the models' tables and the version table instead of running every downgrade")
    .option('-y, --yes', 'reset a database that is neither SQLite nor on localhost')
    .action(async (flags: { drop?: boolean; yes?: boolean }, command) => {
      const { reset } = await import('../../migrate/commands/reset.js');
      const config = await loadRunConfig(ctx, command);
      await reset(config, { drop: flags.drop === true, yes: flags.yes === true, reporter: runReporter(ctx) });
    });
