/** `tsmig current [-v] [--json]`: the revision(s) the database is at. */
import type { CommandDefinition } from '../context.js';
import { fullForm, printJson } from './graph-common.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

export const currentCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('current'), program)
    .description('Show the revision(s) the database is at.')
    .option('-v, --verbose', 'show each revision in full')
    .option('--json', 'print the revision(s) of each database as JSON on stdout')
    .action(async (flags: { verbose?: boolean; json?: boolean }, command) => {
      const { openScriptDirectory } = await import('../../migrate/commands/graph.js');
      const { current } = await import('../../migrate/commands/run.js');
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
    });
