/**
 * `tsmig pull [--out FILE|DIR/] [--dry-run] [--force] [--tables GLOBS] [--exclude GLOBS] [--schema S]
 * [--core] [--casing camel|snake|preserve]`: writes declarative models (or Core Tables) of the live database, then lists on stderr
 * what the models do not hold (views, foreign keys to tables left out).
 */
import { InvalidArgumentError } from 'commander';
import path from 'node:path';
import type { Casing } from '../../migrate/pull/casing.js';
import type { CommandDefinition } from '../context.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

// Listed here, where the option is parsed, so that `tsmig --help` loads nothing of migrate/.
const CASINGS = ['camel', 'snake', 'preserve'] as const satisfies readonly Casing[];

interface PullFlags {
  readonly out: string;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly tables?: readonly string[];
  readonly exclude?: readonly string[];
  readonly schema?: string;
  readonly casing: Casing;
  readonly core?: boolean;
}

/** Comma-separated and repeatable. */
function globs(value: string, all: readonly string[] = []): string[] {
  return [...all, ...value.split(',').map((g) => g.trim()).filter((g) => g !== '')];
}

function casing(value: string): Casing {
  if (!(CASINGS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${CASINGS.join(', ')}.`);
  return value as Casing;
}

export const pullCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('pull'))
    .description('Write TypeScript models (declarative classes, or Core Tables) of the live database, for adopting an existing schema.')
    .option('-o, --out <path>', 'the file to write, or a folder (ending in /) for one file per table plus index.ts', 'models.ts')
    .option('--dry-run', 'print the models on stdout instead of writing them')
    .option('--force', 'overwrite the file if it exists')
    .option('--tables <globs>', 'only tables matching these globs (comma-separated, repeatable)', globs)
    .option('--exclude <globs>', 'leave out tables matching these globs (comma-separated, repeatable)', globs)
    .option('--schema <schema>', 'the schema to read (default: the default schema)')
    .option('--core', 'write Core Tables on a metadata instead of model classes')
    .option('--casing <casing>', 'attribute and constant names: camel, snake or preserve (column names are kept)', casing, 'camel')
    .action(async (flags: PullFlags, command) => {
      const config = await loadRunConfig(ctx, command);
      const { pull, writePulledModels } = await import('../../migrate/commands/pull.js');
      const result = await pull(config, {
        ...(flags.tables === undefined ? {} : { tables: flags.tables }),
        ...(flags.exclude === undefined ? {} : { exclude: flags.exclude }),
        schema: flags.schema ?? null,
        casing: flags.casing,
        core: flags.core === true,
        reporter: runReporter(ctx),
      });
      if (flags.dryRun === true) ctx.output.result(result.source);
      else {
        // resolve() drops a trailing slash, which asks for a folder.
        const out = path.resolve(ctx.cwd, flags.out) + (/[\\/]$/.test(flags.out) ? path.sep : '');
        const written = writePulledModels(out, result, { force: flags.force === true });
        const where = written.length === 1 ? written[0]! : `${written.length} files in ${path.dirname(written[0]!)}`;
        ctx.output.status(`Wrote ${result.tables.length} table${result.tables.length === 1 ? '' : 's'} to ${where}`);
      }
      if (result.notExpressed.length > 0) {
        ctx.output.warn(`not in the models (${result.notExpressed.length}); keep them in hand-written revisions (op.execute):`);
        for (const line of result.notExpressed) ctx.output.status(`  - ${line}`);
      }
    });
