/**
 * `tsmig check [--json] [--shadow]`: exit 0 when the models and the database at head agree, 1 with the list of
 * differences otherwise (the CI guard against a forgotten revision). `--json` prints
 * `{ "ok": bool, "differences": [...] }` on stdout for machines.
 */
import type { CommandDefinition } from '../context.js';
import { isFleetRun, refuseStrayTargetOptions, runFleetCommand, type TargetFlags, withTargetOptions } from './fleet.js';
import { checkVerb } from './fleet-verbs.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

export const checkCommand: CommandDefinition = (program, ctx) =>
  withTargetOptions(withConfigOptions(program.command('check')))
    .description('Check that the models and the database (at head) agree; exit 1 listing the differences if not.')
    .option('--json', 'print the result as JSON on stdout')
    .option('--shadow', 'compare with a shadow database that replays every revision, instead of the configured one (SQLite: a temporary file; PostgreSQL: PGlite in process)')
    .option('--allow-modified', 'go on when an applied revision\'s file changed since it ran (default: stop with an error)')
    .action(async (flags: TargetFlags & { shadow?: boolean; allowModified?: boolean }, command) => {
      const { SchemaDriftError, check } = await import('../../migrate/commands/check.js');
      if (isFleetRun(flags)) {
        if (flags.shadow === true) command.error('error: --shadow compares with a scratch database, --all with each target; leave one of them out.');
        await runFleetCommand(ctx, command, flags, checkVerb((config, scripts, reporter) => check(config, { scripts, reporter, allowModified: flags.allowModified === true })));
        return;
      }
      refuseStrayTargetOptions(command, flags, false);
      const config = await loadRunConfig(ctx, command);
      let result;
      if (flags.shadow === true) {
        const { withShadowDatabase } = await import('../../migrate/commands/shadow.js');
        result = await withShadowDatabase(config, (shadow) => check(shadow));
      } else {
        result = await check(config, { reporter: runReporter(ctx), allowModified: flags.allowModified === true });
      }
      if (flags.json === true) ctx.output.result(JSON.stringify(result, null, 2));
      if (result.ok) {
        if (flags.json !== true) ctx.output.result('No new upgrade operations detected.');
        return;
      }
      if (flags.json !== true) {
        const lines = result.differences.map((d) => `- ${d.database === null ? '' : `[${d.database}] `}${d.description}`);
        ctx.output.result(['New upgrade operations detected:', ...lines].join('\n'));
      }
      const count = result.differences.length;
      throw new SchemaDriftError(
        `The models and the database differ (${count} change${count === 1 ? '' : 's'}). Run \`tsmig revision --autogenerate -m "..."\` to write a revision.`,
      );
    });
