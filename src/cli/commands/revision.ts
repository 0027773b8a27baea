/**
 * `tsmig revision -m MSG [--head REV] [--splice] [--branch-label L] [--depends-on REV] [--rev-id ID]
 * [--version-path DIR]`: writes a new revision file from the template.
 */
import path from 'node:path';
import { type RevisionOptions, revision } from '../../migrate/commands/graph.js';
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
}

const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];

/** The `tsmig revision` verb. */
export const revisionCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('revision'), program)
    .description('Create a new revision file.')
    .option('-m, --message <message>', 'the message of the revision (its first line and file name)')
    .option('--head <revision>', 'the revision to build on (default: the head)')
    .option('--splice', 'allow --head to be a revision that is not a head, starting a new branch')
    .option('--branch-label <label>', 'a branch label for the new revision')
    .option('--depends-on <revision>', 'a revision or branch label the new revision depends on (repeatable, or comma-separated)', collect)
    .option('--rev-id <id>', 'the revision id to use instead of a random one')
    .option('--version-path <dir>', 'the version location to write into (when there are several)')
    .action(async (flags: RevisionFlags, command) => {
      const { scripts } = await loadGraphProject(ctx, command);
      const options: RevisionOptions = {
        message: flags.message,
        head: flags.head,
        splice: flags.splice,
        branchLabel: flags.branchLabel,
        dependsOn: flags.dependsOn,
        revId: flags.revId,
        versionPath: flags.versionPath === undefined ? undefined : path.resolve(ctx.cwd, flags.versionPath),
        // Autogenerate (a later issue) adds its flag above and fills upgradeBody, downgradeBody and
        // imports here from the comparison of the models with the database.
      };
      const created = await revision(scripts, options);
      ctx.output.status(`Generating ${created.path} ... done`);
    });
