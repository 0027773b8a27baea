/** `tsmig stamp REV... [--purge] [--sql]`: set the version table without running migrations. */
import type { CommandDefinition } from '../context.js';
import { isFleetRun, refuseStrayTargetOptions, runFleetCommand, type TargetFlags, withTargetOptions } from './fleet.js';
import { loadRunConfig, parseSeconds, runReporter, withConfigOptions } from './run-common.js';
import { migrateVerb } from './fleet-verbs.js';

export const stampCommand: CommandDefinition = (program, ctx) =>
  withTargetOptions(withConfigOptions(program.command('stamp')))
    .description("Set the version table to the given revision(s) without running any migration.")
    .argument('<revisions...>', 'head, heads, base, revision ids; from:to with --sql')
    .option('--purge', 'empty the version table first (it may name revisions that no longer exist)')
    .option('--sql', 'write the SQL script to stdout instead of running it (offline mode)')
    .option('--tag <tag>', 'a free string for env.ts (ctx.tag)')
    .option('--lock-timeout <seconds>', 'wait at most this long for another tsmig run on this database', parseSeconds)
    .option('--json', 'with --all: print the report as JSON on stdout')
    .action(async (revisions: string[], flags: TargetFlags & { purge?: boolean; sql?: boolean; tag?: string; lockTimeout?: number }, command) => {
      const { stamp } = await import('../../migrate/commands/run.js');
      if (isFleetRun(flags)) {
        const options = {
          purge: flags.purge === true,
          ...(flags.tag === undefined ? {} : { tag: flags.tag }),
          ...(flags.lockTimeout === undefined ? {} : { lockTimeout: flags.lockTimeout }),
        };
        await runFleetCommand(ctx, command, flags, migrateVerb('stamp', (config, scripts, reporter) => stamp(config, revisions, { ...options, scripts, reporter })));
        return;
      }
      refuseStrayTargetOptions(command, flags, true);
      const config = await loadRunConfig(ctx, command);
      await stamp(config, revisions, {
        purge: flags.purge === true,
        sql: flags.sql === true,
        ...(flags.tag === undefined ? {} : { tag: flags.tag }),
        ...(flags.lockTimeout === undefined ? {} : { lockTimeout: flags.lockTimeout }),
        reporter: runReporter(ctx),
        output: (text) => ctx.output.writeOut(text),
      });
    });
