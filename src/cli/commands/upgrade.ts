/** `tsmig upgrade REV [--sql] [--tag TAG] [--lock-timeout SECONDS]`: run migrations up to a revision. */
import type { CommandDefinition } from '../context.js';
import { isFleetRun, refuseStrayTargetOptions, runFleetCommand, type TargetFlags, withTargetOptions } from './fleet.js';
import { loadRunConfig, parseSeconds, runReporter, withConfigOptions } from './run-common.js';
import { migrateVerb } from './fleet-verbs.js';

export const upgradeCommand: CommandDefinition = (program, ctx) =>
  withTargetOptions(withConfigOptions(program.command('upgrade')))
    .description('Upgrade the database to a later revision.')
    .argument('<revision>', 'head, heads, a revision id (or a unique prefix), +N, label@head; from:to with --sql')
    .option('--sql', 'write the SQL script to stdout instead of running it (offline mode)')
    .option('--tag <tag>', 'a free string for env.ts (ctx.tag)')
    .option('--allow-modified', 'go on when an applied revision\'s file changed since it ran (default: stop with an error)')
    .option('--lock-timeout <seconds>', 'wait at most this long for another tsmig run on this database (default: lockTimeout of the config, 60)', parseSeconds)
    .option('--json', 'with --all: print the report as JSON on stdout')
    .action(async (revision: string, flags: TargetFlags & { sql?: boolean; tag?: string; lockTimeout?: number; allowModified?: boolean }, command) => {
      const { upgrade } = await import('../../migrate/commands/run.js');
      const options = {
        allowModified: flags.allowModified === true,
        ...(flags.tag === undefined ? {} : { tag: flags.tag }),
        ...(flags.lockTimeout === undefined ? {} : { lockTimeout: flags.lockTimeout }),
      };
      if (isFleetRun(flags)) {
        await runFleetCommand(ctx, command, flags, migrateVerb('upgrade', (config, scripts, reporter) => upgrade(config, revision, { ...options, scripts, reporter })));
        return;
      }
      refuseStrayTargetOptions(command, flags, true);
      const config = await loadRunConfig(ctx, command);
      await upgrade(config, revision, {
        sql: flags.sql === true,
        ...options,
        reporter: runReporter(ctx),
        output: (text) => ctx.output.writeOut(text),
      });
    });
