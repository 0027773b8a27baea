/**
 * `tsmig revision -m MSG [--head REV] [--splice] [--branch-label L] [--depends-on REV] [--rev-id ID]
 * [--version-path DIR] [--autogenerate [--rename old:new] [--skip-empty] [--shadow]]`: writes a new revision file
 * from the template; with --autogenerate, filled with the operations that bring the database to the models.
 */
import path from 'node:path';
import type { RevisionOptions } from '../../migrate/commands/graph.js';
import type { CommandDefinition } from '../context.js';
import { loadGraphProject } from './graph-common.js';
import { withConfigOptions } from './run-common.js';

/** The flags of `tsmig revision`, as commander parses them. */
export interface RevisionFlags {
  readonly message?: string;
  readonly head?: string;
  readonly splice?: boolean;
  readonly branchLabel?: string;
  readonly dependsOn?: readonly string[];
  readonly revId?: string;
  readonly versionPath?: string;
  readonly autogenerate?: boolean;
  readonly rename?: readonly string[];
  readonly skipEmpty?: boolean;
  readonly shadow?: boolean;
}

const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];

/** The `tsmig revision` verb. */
export const revisionCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('revision'))
    .description('Create a new revision file.')
    .option('-m, --message <message>', 'the message of the revision (its first line and file name)')
    .option('--head <revision>', 'the revision to build on (default: the head)')
    .option('--splice', 'allow --head to be a revision that is not a head, starting a new branch')
    .option('--branch-label <label>', 'a branch label for the new revision')
    .option('--depends-on <revision>', 'a revision or branch label the new revision depends on (repeatable, or comma-separated)', collect)
    .option('--rev-id <id>', 'the revision id to use instead of a random one')
    .option('--version-path <dir>', 'the version location to write into (when there are several)')
    .option('--autogenerate', 'compare the models (targetMetadata) with the database and write the operations that bring it there')
    .option('--rename <old:new>', 'with --autogenerate: a rename to write instead of a drop and an add, old:new for a table, table.old:new for a column (repeatable)', (value: string, previous: readonly string[] = []) => [...previous, value])
    .option('--skip-empty', 'with --autogenerate: write no file when nothing changed')
    .option('--shadow', 'with --autogenerate: compare with a shadow database that replays every revision, instead of the configured one (SQLite: a temporary file; PostgreSQL: PGlite in process)')
    .action(async (flags: RevisionFlags, command) => {
      const { revision } = await import('../../migrate/commands/graph.js');
      const project = await loadGraphProject(ctx, command);
      const { scripts } = project;
      const options: RevisionOptions = {
        message: flags.message,
        head: flags.head,
        splice: flags.splice,
        branchLabel: flags.branchLabel,
        dependsOn: flags.dependsOn,
        revId: flags.revId,
        versionPath: flags.versionPath === undefined ? undefined : path.resolve(ctx.cwd, flags.versionPath),
      };
      if (flags.autogenerate === true) {
        const { runAutogenerate } = await import('./autogenerate-revision.js');
        await runAutogenerate(ctx, project, options, { renames: flags.rename ?? [], skipEmpty: flags.skipEmpty === true, shadow: flags.shadow === true });
        return;
      }
      if (flags.rename !== undefined || flags.skipEmpty === true || flags.shadow === true) {
        command.error('error: --rename, --skip-empty and --shadow go with --autogenerate');
      }
      const created = await revision(scripts, options);
      ctx.output.status(`Generating ${created.path} ... done`);
    });
