/**
 * Terminal output of the CLI: the only module that writes to the terminal. Results (offline SQL, command
 * answers) go to stdout and status lines, warnings and errors to stderr, so `tsmig ... > out.sql` captures
 * a clean result. Colour is decided here, once per stream; nothing else imports chalk.
 */
import { fstatSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Chalk, type ChalkInstance, type ColorSupportLevel } from 'chalk';
import type { HelpConfiguration, OutputConfiguration } from 'commander';

/** The two output streams of a CLI run. */
export type StreamName = 'stdout' | 'stderr';

/**
 * Where a CLI run writes and what it knows about its terminal. `bin/tsmig` passes {@link processIo};
 * tests pass functions that collect the text.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * const code = await main(['--help'], { stdout: (s) => out.push(s), stderr: (s) => out.push(s) });
 * ```
 */
export interface CliIo {
  /** Writes text to standard output, as is (no newline added). */
  readonly stdout: (text: string) => void;
  /** Writes text to standard error, as is (no newline added). */
  readonly stderr: (text: string) => void;
  /** Whether each stream is a terminal. Colour is used on terminals only, unless `FORCE_COLOR` says so. Default: neither. */
  readonly isTTY?: { readonly stdout: boolean; readonly stderr: boolean };
  /** Terminal width per stream, for wrapping help text. Default: commander's 80 columns. */
  readonly columns?: { readonly stdout?: number | undefined; readonly stderr?: number | undefined };
  /** The environment read for `NO_COLOR`, `FORCE_COLOR`, `TERM` and `COLORTERM`. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Asks a question on the terminal and resolves with the answer; absent when stdin or stderr is not a
   * terminal, so nothing can wait for an answer that never comes.
   */
  readonly ask?: (question: string) => Promise<string>;
}

/**
 * The {@link CliIo} of the running process: real stdout/stderr and their TTY state. The TTY state comes
 * from the descriptors, and `process.stdout`/`stderr`/`stdin` are only built where a terminal needs them:
 * building them loads Node's net and stream modules, a tenth of what `tsmig heads` costs.
 */
export function processIo(): CliIo {
  const tty = { stdout: isTerminal(1), stderr: isTerminal(2) };
  return {
    stdout: descriptorWriter(1, tty.stdout, () => process.stdout),
    stderr: descriptorWriter(2, tty.stderr, () => process.stderr),
    isTTY: { stdout: tty.stdout, stderr: tty.stderr },
    columns: { stdout: tty.stdout ? process.stdout.columns : undefined, stderr: tty.stderr ? process.stderr.columns : undefined },
    env: process.env,
    // stdin is often /dev/null, a character device: asked about only when stderr can show a question.
    ...(tty.stderr && isTerminal(0) ? { ask: askOnTerminal } : {}),
  };
}

/**
 * Whether `fd` is a terminal. Files and pipes are not character devices, so `fstat` answers for them
 * without loading node:tty, and net with it.
 */
function isTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice() && isatty(fd);
  } catch {
    return false;
  }
}

/**
 * Writes to a file or pipe with `writeSync`, as Node's own stream does for them on POSIX (synchronously, so
 * the order with `console.log` from user code is kept). A terminal, Windows, or a descriptor left
 * non-blocking (EAGAIN) goes through the stream, which handles those. A closed pipe (`tsmig history |
 * head`) stops the writing quietly instead of crashing, like other Unix tools.
 */
function descriptorWriter(fd: 1 | 2, terminal: boolean, stream: () => NodeJS.WriteStream): (text: string) => void {
  let viaStream = terminal || process.platform === 'win32';
  let closed = false;
  return (text) => {
    if (closed) return;
    let rest = Buffer.from(text);
    while (!viaStream && rest.length > 0) {
      try {
        rest = rest.subarray(writeSync(fd, rest));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        if (code !== 'EAGAIN') throw error;
        viaStream = true;
      }
    }
    if (rest.length === 0) return;
    const target = stream();
    ignoreClosedPipe(target);
    target.write(rest);
  };
}

/** One question on stderr, one line of answer from stdin. */
async function askOnTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

const guarded = new WeakSet<NodeJS.WriteStream>();

/** A closed pipe stops a stream's writing quietly (see {@link descriptorWriter}); any other error is thrown. */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/**
 * The colour level for one stream. In order: `--no-color` and a non-empty `NO_COLOR` (https://no-color.org)
 * turn colour off; `FORCE_COLOR` sets it (chalk's convention: `0`/`false` off, `1`-`3` a level); otherwise
 * colour is used only on a terminal that is not `TERM=dumb`. Chalk alone would ignore `NO_COLOR` and look at
 * the real process streams rather than `io`, hence this function.
 */
export function colorLevel(io: CliIo, stream: StreamName, noColorFlag: boolean): ColorSupportLevel {
  const env = io.env ?? process.env;
  if (noColorFlag) return 0;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === 'false') return 0;
    const n = Number(force);
    return n === 0 || n === 1 || n === 2 || n === 3 ? n : 1;
  }
  if (io.isTTY?.[stream] !== true || env['TERM'] === 'dumb') return 0;
  if (env['COLORTERM'] === 'truecolor' || env['COLORTERM'] === '24bit') return 3;
  if (env['TERM']?.includes('256') === true) return 2;
  return 1;
}

/** Settings of an {@link Output} that come from the global options, read on every write. */
export interface OutputSettings {
  /** False when `--no-color` was given. */
  readonly color: boolean;
  /** True when `--verbose` was given: debug lines and stack traces are printed. */
  readonly verbose: boolean;
}

/**
 * Everything the CLI prints goes through one `Output`. The settings are a function because commander parses
 * the global options while output (usage errors, help) may already be under way.
 *
 * @example
 * ```ts
 * const output = new Output(processIo(), () => ({ color: true, verbose: false }));
 * output.status('Running upgrade a1b2c3 -> d4e5f6, add movies');   // stderr
 * output.result('CREATE TABLE movies (...);');                    // stdout
 * ```
 */
export class Output {
  readonly #io: CliIo;
  readonly #settings: () => OutputSettings;
  readonly #chalks = new Map<ColorSupportLevel, ChalkInstance>();
  #resultWritten = false;
  /** The progress line drawn last at the bottom of stderr, or ''. */
  #progress = '';

  constructor(io: CliIo, settings: () => OutputSettings) {
    this.#io = io;
    this.#settings = settings;
  }

  /** Whether `--verbose` is on. */
  get verbose(): boolean {
    return this.#settings().verbose;
  }

  /** Whether text written to `stream` keeps its colour. */
  hasColors(stream: StreamName): boolean {
    return this.#level(stream) > 0;
  }

  /** The chalk instance for text bound to `stream`; it adds no escape codes where colour is off. */
  styles(stream: StreamName): ChalkInstance {
    const level = this.#level(stream);
    let chalk = this.#chalks.get(level);
    if (chalk === undefined) {
      chalk = new Chalk({ level });
      this.#chalks.set(level, chalk);
    }
    return chalk;
  }

  /**
   * Whether a line on `stream` may be redrawn in place (a progress line): the stream is a terminal that
   * is not `TERM=dumb`, and `CI` is not set. Pipes, files and CI logs get whole lines only.
   */
  isLiveTerminal(stream: StreamName): boolean {
    const env = this.#io.env ?? process.env;
    const ci = env['CI'];
    const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
    return this.#io.isTTY?.[stream] === true && env['TERM'] !== 'dumb' && !inCi;
  }

  /** Terminal width of `stream`, when known. */
  columns(stream: StreamName): number | undefined {
    return this.#io.columns?.[stream];
  }

  /**
   * Draws `text` as the progress line at the bottom of stderr, in place of the previous one, on a live
   * terminal only ({@link Output.isLiveTerminal}): pipes, files and CI logs never get it. Status lines,
   * warnings and debug lines are printed above it; a result or an error erases it, as
   * {@link Output.endProgress} does. `cli/progress-line.ts` composes the text.
   */
  progress(text: string): void {
    if (!this.isLiveTerminal('stderr')) return;
    // A pseudo-terminal without a size reports 0 columns.
    const columns = this.columns('stderr') || 80;
    this.#progress = text.slice(0, Math.max(columns - 1, 10));
    this.#io.stderr(`\r\u001b[K${this.#progress}`);
  }

  /** Erases the progress line, if one is drawn. */
  endProgress(): void {
    if (this.#progress === '') return;
    this.#progress = '';
    this.#io.stderr('\r\u001b[K');
  }

  /** Writes a whole line on stderr above the progress line, which is erased and drawn again under it. */
  #lineAbove(line: string): void {
    if (this.#progress === '') {
      this.#io.stderr(withNewline(line));
      return;
    }
    this.#io.stderr(`\r\u001b[K${withNewline(line)}${this.#progress}`);
  }

  /** Prints a command's result on stdout: the part a script may capture or redirect. */
  result(text: string): void {
    this.endProgress();
    this.#resultWritten = true;
    this.#io.stdout(withNewline(text));
  }

  /** Whether {@link Output.result} has printed anything in this run. */
  get resultWritten(): boolean {
    return this.#resultWritten;
  }

  /** Prints a status line on stderr (`Running upgrade a1b2c3 -> d4e5f6, add movies`). */
  status(line: string): void {
    this.#lineAbove(line);
  }

  /** Prints a warning on stderr, prefixed `warning: `. */
  warn(line: string): void {
    this.#lineAbove(`${this.styles('stderr').yellow('warning:')} ${line}`);
  }

  /** Prints an error on stderr, prefixed `error: `. */
  error(line: string): void {
    this.endProgress();
    this.#io.stderr(withNewline(`${this.styles('stderr').red('error:')} ${line}`));
  }

  /** Prints a line on stderr only with `--verbose`. */
  debug(line: string): void {
    if (!this.verbose) return;
    this.#lineAbove(this.styles('stderr').dim(line));
  }

  /**
   * Asks a yes/no question on the terminal; null when no one can answer: stdin or stderr is not a
   * terminal, or `CI` is set (a prompt must never hang a pipeline).
   */
  async confirm(question: string): Promise<boolean | null> {
    const ci = (this.#io.env ?? process.env)['CI'];
    if (this.#io.ask === undefined || (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false')) return null;
    const answer = await this.#io.ask(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  }

  /** Writes text to stdout as is; for commander's help and version output. */
  writeOut(text: string): void {
    this.endProgress();
    this.#io.stdout(text);
  }

  /** Writes text to stderr as is; for commander's usage errors. */
  writeErr(text: string): void {
    this.#io.stderr(text);
  }

  /**
   * Routes commander's output here: help and `--version` to stdout, usage errors to stderr in red, help
   * colour stripped where the stream has none, help wrapped to the terminal width.
   */
  commanderOutput(): OutputConfiguration {
    return {
      writeOut: (text) => this.writeOut(text),
      writeErr: (text) => this.writeErr(text),
      outputError: (text, write) => write(this.styles('stderr').red(text)),
      getOutHelpWidth: () => this.columns('stdout') ?? 80,
      getErrHelpWidth: () => this.columns('stderr') ?? 80,
      getOutHasColors: () => this.hasColors('stdout'),
      getErrHasColors: () => this.hasColors('stderr'),
    };
  }

  /**
   * Styles of `tsmig --help`. Commander styles first and strips the escape codes afterwards when the target
   * stream has no colour (see {@link Output.commanderOutput}), so a fixed colour level is right here.
   */
  helpStyle(): HelpConfiguration {
    const c = new Chalk({ level: 1 });
    return {
      styleTitle: (text) => c.bold(text),
      styleCommandText: (text) => c.cyan(text),
      styleSubcommandText: (text) => c.cyan(text),
      styleOptionText: (text) => c.green(text),
      styleArgumentText: (text) => c.yellow(text),
    };
  }

  #level(stream: StreamName): ColorSupportLevel {
    return colorLevel(this.#io, stream, !this.#settings().color);
  }
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
