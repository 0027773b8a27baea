/**
 * What the verbs that run env.ts (`upgrade`, `downgrade`, `stamp`, `current`, `ensure-version`) share:
 * the config options, loading the configuration, and printing progress (`Running upgrade a -> b, msg`)
 * on stderr while offline SQL goes to stdout.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { ResolvedConfig } from '../../migrate/config/load-config.js';
import type { RunReporter } from '../../migrate/runtime/migration-context.js';
import { stepLine } from '../../migrate/runtime/steps.js';
import type { CliContext } from '../context.js';

/** The options that say which project and database a command works on. */
interface ConfigOptions {
  readonly config?: string;
  readonly name?: string;
  readonly x?: readonly string[];
}

/**
 * Adds `-c/--config`, `-n/--name` and `-x key=value` to a verb, unless the program declares them as
 * global options already (they are read with `optsWithGlobals()` either way).
 */
export function withConfigOptions(command: Command, program: Command): Command {
  const declared = (flag: string) => program.options.some((o) => o.long === flag || o.short === flag);
  if (!declared('--config')) command.option('-c, --config <file>', 'the config file (default: alembic.config.ts here or in a parent folder)');
  if (!declared('--name')) command.option('-n, --name <database>', 'the database of a multidb project to work on');
  if (!declared('-x')) {
    command.option('-x <key=value>', 'an argument for env.ts (ctx.xArgs); repeatable', (value: string, all: string[] = []) => [...all, value]);
  }
  return command;
}

/** Loads alembic.config.ts as the options of `command` say. */
export async function loadRunConfig(ctx: CliContext, command: Command): Promise<ResolvedConfig> {
  const { loadConfig } = await import('../../migrate/config/load-config.js');
  const options = command.optsWithGlobals<ConfigOptions>();
  return loadConfig({ cwd: ctx.cwd, configFile: options.config, name: options.name, xArgs: options.x ?? [] });
}

/** Progress on stderr: step lines (the verb coloured on a terminal) and waiting notices. */
export function runReporter(ctx: CliContext): RunReporter {
  const c = ctx.output.styles('stderr');
  return {
    step: (event) => {
      const line = stepLine(event);
      const verb = `Running ${event.kind}`;
      const where = event.database === null ? '' : c.dim(` [${event.database}]`);
      ctx.output.status(`${c.green(verb)}${line.slice(verb.length)}${where}`);
    },
    info: (line) => ctx.output.status(line),
  };
}

/** `--lock-timeout SECONDS`: a number >= 0, else a usage error. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds >= 0.');
  return n;
}
