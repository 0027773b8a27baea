/**
 * `bin/tsmig` as a user runs it: a real child process, its exit code and its two output streams.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const BIN = fileURLToPath(new URL('../../bin/tsmig', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bin/tsmig args` from a directory outside the repository, with colour settings removed from the environment. */
function tsmig(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
  const base = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'NODE_OPTIONS']) delete base[name];
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: tmpdir(), env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cli: tsmig --help, --version and usage errors', () => {
  it('every command of the list, help included, is described in the same style: a capital and a full stop', async () => {
    const run = await tsmig(['--help']);
    const list = run.stdout.slice(run.stdout.indexOf('Commands:\n') + 'Commands:\n'.length);
    const entries = list.split(/\n(?= {2}[a-z])/).filter((entry) => /^ {2}[a-z]/.test(entry));
    expect(entries.length).to.be.greaterThan(20);
    for (const entry of entries) {
      const description = entry.replace(/^ {2}\S+(?: [[<]\S+[\]>])*\s+/, '').replace(/\s+/g, ' ').trim();
      expect(description, entry).to.match(/^[A-Z].*\.$/);
    }
    expect(run.stdout).to.match(/\n {2}help \[command\] +Show the help of a command\.\n/);
  });

  it('--help prints usage and the global options on stdout and exits 0', async () => {
    const run = await tsmig(['--help']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/^Usage: tsmig \[options\]/);
    expect(run.stdout).to.include('--verbose').and.include('--no-color').and.include('--version');
    expect(run.stdout).to.include('Exit codes: 0 success, 1 the command failed, 2 usage error, 130 interrupted by Ctrl-C (143 by SIGTERM).');
    expect(run.stderr).to.equal('');
  });

  it('--version prints the package version and exits 0', async () => {
    const run = await tsmig(['--version']);
    expect(run).to.deep.equal({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('an unknown option is a usage error: exit 2, message on stderr, nothing on stdout', async () => {
    const run = await tsmig(['--frobnicate']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("error: unknown option '--frobnicate'");
    expect(run.stdout).to.equal('');
  });

  it('an unknown command is a usage error', async () => {
    const run = await tsmig(['frobnicate']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("error: unknown command 'frobnicate'");
    expect(run.stdout).to.equal('');
  });

  it('no command at all prints the help on stderr and exits 2', async () => {
    const run = await tsmig([]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/^Usage: tsmig/);
    expect(run.stdout).to.equal('');
  });

  it('colours help when forced, and NO_COLOR=1 or --no-color removes every escape code', async () => {
    const forced = await tsmig(['--help'], { FORCE_COLOR: '1' });
    expect(forced.stdout, 'FORCE_COLOR=1 should colour the help').to.match(ANSI);

    for (const [args, env] of [
      [['--help'], { NO_COLOR: '1', FORCE_COLOR: '1' }],
      [['--frobnicate'], { NO_COLOR: '1', FORCE_COLOR: '1' }],
      [['--no-color', '--help'], { FORCE_COLOR: '1' }],
      [['--no-color', '--frobnicate'], { FORCE_COLOR: '1' }],
    ] as const) {
      const run = await tsmig(args, env);
      expect(run.stdout + run.stderr, `${args.join(' ')} ${JSON.stringify(env)}`).not.to.match(ANSI);
    }
  });

  it('is not coloured when the output is not a terminal', async () => {
    const run = await tsmig(['--frobnicate']);
    expect(run.stdout + run.stderr).not.to.match(ANSI);
  });
});
