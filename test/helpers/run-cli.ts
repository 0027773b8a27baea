/**
 * Runs the real `bin/tsmig` as a child process, as a user's shell would: in a project folder, with its
 * own environment, stdout and stderr captured separately (neither is a terminal).
 *
 * @example
 * ```ts
 * const r = await runTsmig(['upgrade', 'head'], { cwd: project.dir, env: { DATABASE_URL: url } });
 * expect(r.code).to.equal(0);
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { TSMIG_BIN } from './temp-project.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunTsmigOptions {
  readonly cwd: string;
  /** Added to the environment; `undefined` removes a variable. DATABASE_URL* and colour variables start unset. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Text for stdin. */
  readonly input?: string;
  /** Called with the child process once spawned (to watch its output or send it a signal). */
  readonly onStart?: (child: ChildProcess) => void;
}

/** The parent's environment without what would change tsmig's behaviour behind a test's back. */
function baseEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('DATABASE_URL') || key === 'FORCE_COLOR' || key === 'NO_COLOR') delete env[key];
  }
  return env;
}

export function runTsmig(args: readonly string[], options: RunTsmigOptions): Promise<CliResult> {
  return runCommand(process.execPath, [TSMIG_BIN, ...args], options);
}

/** Runs any program the same way (a database's own client, to apply an offline script). */
export function runCommand(command: string, args: readonly string[], options: RunTsmigOptions): Promise<CliResult> {
  const env = { ...baseEnv(), ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
    options.onStart?.(child);
  });
}

/** `result` when the process exited 0; otherwise an error with its exit code and output, for the test's failure. */
export function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

/** The text of the revision file a `tsmig revision` run reports it wrote (`Generating <file> ... done`). */
export function written(result: CliResult): string {
  const match = /Generating (.+\.ts) \.\.\. done/.exec(result.stderr);
  if (match === null) throw new Error(`no file written:\n${result.stderr}`);
  return readFileSync(match[1]!, 'utf8');
}
