/** `tsmig downgrade REV [--sql] [--tag TAG] [--lock-timeout SECONDS]`: revert migrations down to a revision. */
import type { CommandDefinition } from '../context.js';
import { isFleetRun, refuseStrayTargetOptions, runFleetCommand, type TargetFlags, withTargetOptions } from './fleet.js';
import { loadRunConfig, parseSeconds, runReporter, withConfigOptions } from './run-common.js';
import { migrateVerb } from './fleet-verbs.js';

export const downgradeCommand: CommandDefinition = (program, ctx) =>
  withTargetOptions(withConfigOptions(program.command('downgrade')))
    .description('Revert the database to an earlier revision.')
    .argument('<revision>', '-1, base, a revision id (or a unique prefix), label@base; from:to with --sql')
    .option('--sql', 'write the SQL script to stdout instead of running it (offline mode; needs from:to)')
    .option('--tag <tag>', 'a free string for env.ts (ctx.tag)')
    .option('--allow-modified', 'go on when an applied revision\'s file changed since it ran (default: stop with an error)')
    .option('--lock-timeout <seconds>', 'wait at most this long for another tsmig run on this database (default: lockTimeout of the config, 60)', parseSeconds)
    .option('--json', 'with --all: print the report as JSON on stdout')
    .action(async (revision: string, flags: TargetFlags & { sql?: boolean; tag?: string; lockTimeout?: number; allowModified?: boolean }, command) => {
      const { downgrade } = await import('../../migrate/commands/run.js');
      const options = {
        allowModified: flags.allowModified === true,
        ...(flags.tag === undefined ? {} : { tag: flags.tag }),
        ...(flags.lockTimeout === undefined ? {} : { lockTimeout: flags.lockTimeout }),
      };
      if (isFleetRun(flags)) {
        await runFleetCommand(ctx, command, flags, migrateVerb('downgrade', (config, scripts, reporter) => downgrade(config, revision, { ...options, scripts, reporter })));
        return;
      }
      refuseStrayTargetOptions(command, flags, true);
      const config = await loadRunConfig(ctx, command);
      await downgrade(config, revision, {
        sql: flags.sql === true,
        ...options,
        reporter: runReporter(ctx),
        output: (text) => ctx.output.writeOut(text),
      });
    });
