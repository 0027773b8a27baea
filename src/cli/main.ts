/**
 * The command-line interface: `main(argv, io)` builds the commander program, runs one verb and returns the
 * exit code. It never calls `process.exit` and never writes to `process` streams itself, so `bin/tsmig` and
 * the tests run exactly the same code. Verbs live in `commands/<verb>.ts`; nothing imports `cli/`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { TsmigError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { commands } from './commands/index.js';
import { withGlobalConfigOptions } from './commands/run-common.js';
import { InterruptedError } from '../migrate/runtime/errors.js';
import { interruptRuns, runsInProgress } from '../migrate/runtime/interrupt.js';
import type { CliContext, CommandDefinition } from './context.js';
import { ExitCodeError } from './exit-code-error.js';
import { Output, processIo, type CliIo } from './output.js';

/** The exit codes of `tsmig` (STYLE §6). */
export const ExitCode = {
  /** The command did what was asked. */
  success: 0,
  /** The command could not do what was asked: bad config, unknown revision, failed migration, ... */
  failure: 1,
  /** Usage error: unknown command or option, missing or extra argument. */
  usage: 2,
  /** A run stopped by Ctrl-C (128 + SIGINT; SIGTERM gives 143). */
  interrupted: 130,
} as const;

/** Options that apply to every verb; commander accepts them before or after the verb. */
export interface GlobalOptions {
  readonly verbose?: boolean;
  /** `--no-color` sets this to false. */
  readonly color: boolean;
}

/** Where the program runs; tests may point `cwd` at a temporary project. */
export interface MainOptions {
  readonly cwd?: string;
  /** @internal the verbs to offer; default: every verb of `commands/index.ts`. Tests add verbs that fail. */
  readonly commands?: readonly CommandDefinition[];
}

/**
 * Runs `tsmig` with the given arguments (without `node` and the script path) and returns the exit code:
 * 0 success, 1 the command failed, 2 usage error. A `TsmigError` is printed as its one-line message (with
 * the stack under `--verbose`); any other exception is a bug and is printed with its stack.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), processIo());
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = processIo(), options: MainOptions = {}): Promise<number> {
  let program: Command | undefined;
  const run = { actionStarted: false, json: false };
  const output = new Output(io, () => {
    const opts = program?.opts<GlobalOptions>();
    return { color: opts?.color ?? true, verbose: opts?.verbose ?? false };
  });
  const stopHandlingSignals = handleSignals();
  try {
    program = buildProgram({ output, cwd: options.cwd ?? process.cwd() }, options.commands ?? commands);
    program.hook('preAction', (_program, action) => {
      run.actionStarted = true;
      run.json = action.opts<{ json?: unknown }>().json === true;
    });
    await program.parseAsync([...argv], { from: 'user' });
    // Nothing ran: `tsmig` alone, or only global options. Show help as a usage error (alembic does the same).
    if (!run.actionStarted) program.help({ error: true });
    return ExitCode.success;
  } catch (error) {
    const code = report(error, output);
    // A script reading `--json` from stdout gets one JSON document even when the command fails before
    // printing its own (a command that printed its answer, like `check` listing differences, keeps it).
    if (run.json && !output.resultWritten) output.result(JSON.stringify({ ok: false, error: errorJson(error, code) }, null, 2));
    return code;
  } finally {
    output.endProgress();
    stopHandlingSignals();
  }
}

/**
 * Ctrl-C and SIGTERM while a migration runs stop it cleanly (the server cancels the statement, the run
 * rolls back, releases its lock and says where the version table stands; see `migrate/runtime/
 * interrupt.ts`). With no run in progress, or on a second signal, the signal has its default effect.
 */
function handleSignals(): () => void {
  const signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const s of signals) process.off(s, onSignal);
    if (runsInProgress()) void interruptRuns(signal);
    else process.kill(process.pid, signal);
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}

/** The error object of a failed `--json` command: its kind, its one-line message and the exit code. */
function errorJson(error: unknown, exitCode: number): { type: string; message: string; exitCode: number } {
  if (error instanceof TsmigError) return { type: error.name, message: error.message, exitCode };
  return { type: 'unexpected', message: error instanceof Error ? error.message : String(error), exitCode };
}

/**
 * Builds the commander program with the given verbs (by default every verb of `commands/index.ts`).
 *
 * @internal exported for tests that inspect the command tree.
 */
export function buildProgram(ctx: CliContext, verbs: readonly CommandDefinition[] = commands): Command {
  const program = new Command('tsmig')
    .description('Database migrations and schema tooling for TypeScript, in the manner of Alembic.')
    .version(packageVersion(), '-V, --version', 'print the tsmig version')
    .helpOption('-h, --help', 'print this help')
    .helpCommand('help [command]', 'Show the help of a command.')
    .option('--verbose', 'print stack traces and debug output')
    .option('--no-color', 'print without colour (as does NO_COLOR=1)')
    .exitOverride()
    .configureOutput(ctx.output.commanderOutput())
    .configureHelp(ctx.output.helpStyle())
    .addHelpText('after', '\nExit codes: 0 success, 1 the command failed, 2 usage error, 130 interrupted by Ctrl-C (143 by SIGTERM).');
  withGlobalConfigOptions(program);
  for (const define of verbs) define(program, ctx);
  if (program.commands.length === 0) {
    // Without any verb commander would answer `tsmig foo` with "too many arguments"; with verbs it says
    // "unknown command" (plus a suggestion) by itself, and this branch goes away.
    program.on('command:*', (operands: string[]) => {
      program.error(`error: unknown command '${operands[0] ?? ''}'`, { code: 'commander.unknownCommand' });
    });
  }
  return program;
}

function report(error: unknown, output: Output): number {
  if (error instanceof CommanderError) {
    // Commander has printed the help, the version or the usage error already.
    return error.exitCode === 0 ? ExitCode.success : ExitCode.usage;
  }
  if (error instanceof TsmigError) {
    output.error(error.message);
    if (output.verbose) output.status(stackWithCauses(error));
    return error instanceof ExitCodeError || error instanceof InterruptedError ? error.exitCode : ExitCode.failure;
  }
  output.status(output.styles('stderr').red('unexpected error (this is a bug in tsmig, please report it):'));
  output.status(stackWithCauses(error));
  return ExitCode.failure;
}

/** The stack of `error` followed by those of its `cause` chain. */
function stackWithCauses(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = error; e !== undefined && !seen.has(e); e = e instanceof Error ? e.cause : undefined) {
    seen.add(e);
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    parts.push(parts.length === 0 ? text : `Caused by: ${text}`);
  }
  return parts.join('\n');
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
