/** `tsmig init [--template NAME] DIR`: create a script directory and the config that points at it. */
import path from 'node:path';
import type { Command } from 'commander';
import type { CommandDefinition } from '../context.js';

export const initCommand: CommandDefinition = (program, ctx) =>
  program
    .command('init')
    .description('Create a migration environment (env.ts, script.ts.tmpl, versions/) and alembic.config.ts.')
    .argument('<directory>', 'the folder to create, e.g. migrations')
    .option('-t, --template <name>', 'the template to use (see `tsmig list-templates`)', 'generic')
    .option('-c, --config <file>', 'the config file to write when absent (default: alembic.config.ts here)')
    .action(async (directory: string, _flags: unknown, command: Command) => {
      const { init } = await import('../../migrate/commands/init.js');
      // The program parses -c wherever it appears (before or after the verb).
      const flags = command.optsWithGlobals<{ template: string; config?: string }>();
      const result = init(directory, {
        template: flags.template,
        cwd: ctx.cwd,
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
        onCreate: (line) => ctx.output.status(line),
      });
      const config = path.relative(ctx.cwd, result.configFile) || result.configFile;
      if (result.configWritten) {
        ctx.output.status(`Please edit the database URL in ${config} (or set DATABASE_URL) before running \`tsmig upgrade head\`.`);
      } else {
        const location = path.relative(path.dirname(result.configFile), result.directory) || '.';
        ctx.output.warn(`${config} exists and was left as it is: check that its scriptLocation is '${location}'.`);
      }
    });
