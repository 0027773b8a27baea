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
import { PROGRESS_MIN_STEPS, ProgressLine } from '../progress-line.js';

/** The options that say which project and database a command works on. */
interface ConfigOptions {
  readonly config?: string;
  readonly name?: string;
  readonly x?: readonly string[];
}

/** The values a once-only option keeps: a second `-c` (or `-n`) is a usage error, not a silent override. */
function once(flag: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError(`${flag} was given twice (${previous} and ${value}); give it once.`);
    return value;
  };
}

function collect(value: string, all: string[] = []): string[] {
  return [...all, value];
}

/** `-c`, `-n` and `-x` on a command; the same definitions serve the program and each verb's help. */
function addConfigOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'the config file (default: TSMIG_CONFIG, else alembic.config.ts here or in a parent folder)', once('-c/--config'))
    .option('-n, --name <database>', 'the database of a multidb project to work on', once('-n/--name'))
    .option('-x <key=value>', 'an argument for env.ts (ctx.xArgs); repeatable', collect);
}

/**
 * Declares `-c/--config`, `-n/--name` and `-x key=value` on the program, so they may come before the verb
 * as Alembic users write them (`tsmig -c ci.config.ts upgrade head`). The program parses them wherever
 * they appear; verbs read them with `optsWithGlobals()`.
 */
export function withGlobalConfigOptions(program: Command): Command {
  return addConfigOptions(program);
}

/**
 * Lists `-c/--config`, `-n/--name` and `-x key=value` in a verb's help and accepts them there when the
 * program does not declare them; under `main` the program parses them wherever they appear.
 */
export function withConfigOptions(command: Command): Command {
  return addConfigOptions(command);
}

/** Loads alembic.config.ts as the options of `command` say. */
export async function loadRunConfig(ctx: CliContext, command: Command): Promise<ResolvedConfig> {
  const { loadConfig } = await import('../../migrate/config/load-config.js');
  const options = command.optsWithGlobals<ConfigOptions>();
  return loadConfig({ cwd: ctx.cwd, configFile: options.config, name: options.name, xArgs: options.x ?? [] });
}

/**
 * Progress on stderr: step lines (the verb coloured on a terminal) and waiting notices. A run of
 * {@link PROGRESS_MIN_STEPS} migrations or more also keeps a progress line under them on a live terminal
 * (`upgrade 37/1000 · 12.3/s · ETA 78 s`); pipes, files and CI logs get the step lines only.
 */
export function runReporter(ctx: CliContext): RunReporter {
  const c = ctx.output.styles('stderr');
  let progress: ProgressLine | null = null;
  return {
    step: (event) => {
      const line = stepLine(event);
      const verb = `Running ${event.kind}`;
      const where = event.database === null ? '' : c.dim(` [${event.database}]`);
      ctx.output.status(`${c.green(verb)}${line.slice(verb.length)}${where}`);
      const position = event.position;
      if (position === undefined || position.total < PROGRESS_MIN_STEPS) return;
      const label = `${event.kind}${event.database === null ? '' : ` [${event.database}]`}`;
      // Each database of a multidb run is a run of its own, with its own count and clock.
      if (progress?.label !== label) progress = new ProgressLine(ctx.output, label, position.total);
      progress.update(position.index, { finished: position.index - 1 });
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
