/** `tsmig current [-v] [--json] [--check-heads]`: the revision(s) the database is at. */
import type { CurrentRevisions } from '../../migrate/commands/run.js';
import type { ResolvedConfig } from '../../migrate/config/load-config.js';
import type { RunReporter } from '../../migrate/runtime/migration-context.js';
import type { ScriptDirectory } from '../../migrate/script/script-directory.js';
import type { CommandDefinition } from '../context.js';
import { ExitCodeError } from '../exit-code-error.js';
import { fullForm, printJson } from './graph-common.js';
import { isFleetRun, refuseStrayTargetOptions, runFleetCommand, type TargetFlags, withTargetOptions } from './fleet.js';
import { currentVerb } from './fleet-verbs.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

export const currentCommand: CommandDefinition = (program, ctx) =>
  withTargetOptions(withConfigOptions(program.command('current')))
    .description('Show the revision(s) the database is at.')
    .option('-v, --verbose', 'show each revision in full')
    .option('--json', 'print the revision(s) of each database as JSON on stdout')
    .option('--check-heads', 'exit 1 unless the database is at every head (after printing where it is)')
    .action(async (flags: TargetFlags & { verbose?: boolean; checkHeads?: boolean }, command) => {
      const { openScriptDirectory } = await import('../../migrate/commands/graph.js');
      const { current } = await import('../../migrate/commands/run.js');
      if (isFleetRun(flags)) {
        // The scripts' heads, known once the first target ran (the fleet opens the scripts once for all).
        let heads: readonly string[] = [];
        const run = (config: ResolvedConfig, scripts: ScriptDirectory, reporter: RunReporter) => {
          heads = [...scripts.revisionMap().realHeads].sort();
          return current(config, { scripts, reporter });
        };
        await runFleetCommand(ctx, command, flags, currentVerb(run, flags.checkHeads === true ? () => heads : null));
        return;
      }
      refuseStrayTargetOptions(command, flags, false);
      const { formatRevision, revisionJson } = await import('../../migrate/script/revision-format.js');
      const config = await loadRunConfig(ctx, command);
      const scripts = openScriptDirectory(config);
      const map = scripts.revisionMap();
      const verbose = fullForm(flags, command);
      const found = await current(config, { scripts, reporter: runReporter(ctx) });
      if (flags.json === true) {
        printJson(
          ctx,
          found.map(({ database, heads }) => ({
            database,
            revisions: heads.filter((head) => map.has(head)).map((head) => revisionJson(map, map.get(head), heads)),
            unknown: heads.filter((head) => !map.has(head)),
          })),
        );
        if (flags.checkHeads === true) checkHeads(found, map.realHeads);
        return;
      }
      const lines: string[] = [];
      for (const { database, heads } of found) {
        const db = database === null ? config.database : config.databases[database];
        if (verbose) lines.push(`Current revision(s) for ${db?.url?.toString() ?? database ?? 'the database'}:`);
        else if (database !== null) lines.push(`${database}:`);
        for (const head of heads) {
          lines.push(
            map.has(head)
              ? formatRevision(map, map.get(head), { verbose, includeBranches: true })
              : `${head} (not in the script directory: a revision file is missing, or the database belongs to another project)`,
          );
        }
      }
      if (lines.length > 0) ctx.output.result(lines.join('\n'));
      if (flags.checkHeads === true) checkHeads(found, map.realHeads);
    });

/** `--check-heads`: Alembic's DatabaseNotAtHead, as one line and exit 1 after the revisions were printed. */
function checkHeads(found: readonly CurrentRevisions[], realHeads: readonly string[]): void {
  const heads = [...realHeads].sort();
  const behind = found.filter((f) => f.heads.join(' ') !== heads.join(' '));
  if (behind.length === 0) return;
  const where = behind.map((f) => `${f.database === null ? '' : `${f.database} `}at ${f.heads.join(', ') || 'base'}`).join('; ');
  throw new ExitCodeError(`The database is not at head: ${where}; the head(s): ${heads.join(', ')}. Run \`tsmig upgrade heads\`.`, 1);
}
