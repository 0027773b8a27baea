/** `tsmig downgrade REV [--sql] [--tag TAG] [--lock-timeout SECONDS]`: revert migrations down to a revision. */
import type { CommandDefinition } from '../context.js';
import { loadRunConfig, parseSeconds, runReporter, withConfigOptions } from './run-common.js';

export const downgradeCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('downgrade'))
    .description('Revert the database to an earlier revision.')
    .argument('<revision>', '-1, base, a revision id (or a unique prefix), label@base; from:to with --sql')
    .option('--sql', 'write the SQL script to stdout instead of running it (offline mode; needs from:to)')
    .option('--tag <tag>', 'a free string for env.ts (ctx.tag)')
    .option('--allow-modified', 'go on when an applied revision\'s file changed since it ran (default: stop with an error)')
    .option('--lock-timeout <seconds>', 'wait at most this long for another tsmig run on this database (default: lockTimeout of the config, 60)', parseSeconds)
    .action(async (revision: string, flags: { sql?: boolean; tag?: string; lockTimeout?: number; allowModified?: boolean }, command) => {
      const { downgrade } = await import('../../migrate/commands/run.js');
      const config = await loadRunConfig(ctx, command);
      await downgrade(config, revision, {
        sql: flags.sql === true,
        allowModified: flags.allowModified === true,
        ...(flags.tag === undefined ? {} : { tag: flags.tag }),
        ...(flags.lockTimeout === undefined ? {} : { lockTimeout: flags.lockTimeout }),
        reporter: runReporter(ctx),
        output: (text) => ctx.output.writeOut(text),
      });
    });
