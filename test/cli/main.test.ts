/**
 * The error policy of `main()` (STYLE §6), in process with captured output: a `TsmigError` is one line
 * and exit 1, a bug is "unexpected error" plus its stack and exit 1, a usage error is exit 2.
 */
import { expect } from 'chai';
import { TsmigError } from '../../src/errors.js';
import type { CommandDefinition } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/output.js';

interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A verb for these tests only: `tsmig fail <how>`. */
const failCommand: CommandDefinition = (program, ctx) =>
  program
    .command('fail')
    .argument('<how>', 'tsmig | bug | ok')
    .action((how: string) => {
      if (how === 'tsmig') throw new TsmigError('Multiple heads: a1b2c3, d4e5f6. Run `tsmig merge heads` or target one head.', { cause: new Error('inner cause') });
      if (how === 'bug') throw new TypeError('x is not a function');
      ctx.output.result('result line');
      ctx.output.status('status line');
    });

async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, ...io },
    { commands: [failCommand] },
  );
  return { code, stdout, stderr };
}

describe('cli: main() exit codes and error output', () => {
  it('prints results on stdout and status lines on stderr, exit 0', async () => {
    expect(await run(['fail', 'ok'])).to.deep.equal({ code: 0, stdout: 'result line\n', stderr: 'status line\n' });
  });

  it('prints a TsmigError as its one-line message and exits 1', async () => {
    const r = await run(['fail', 'tsmig']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal('error: Multiple heads: a1b2c3, d4e5f6. Run `tsmig merge heads` or target one head.\n');
    expect(r.stdout).to.equal('');
  });

  it('adds the stack and the causes of a TsmigError with --verbose, before or after the verb', async () => {
    for (const argv of [['--verbose', 'fail', 'tsmig'], ['fail', 'tsmig', '--verbose']]) {
      const r = await run(argv);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^error: Multiple heads/);
      expect(r.stderr).to.include('TsmigError: Multiple heads').and.include('    at ').and.include('Caused by: Error: inner cause');
    }
  });

  it('prints any other exception as "unexpected error" with its stack and exits 1', async () => {
    const r = await run(['fail', 'bug']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^unexpected error \(this is a bug in tsmig, please report it\):\nTypeError: x is not a function\n {4}at /);
  });

  it('treats a missing argument and an unknown command as usage errors (exit 2)', async () => {
    const missing = await run(['fail']);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("error: missing required argument 'how'");
    const unknown = await run(['upgrad']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include("error: unknown command 'upgrad'");
  });

  it('colours errors on a terminal only, and never with NO_COLOR or --no-color', async () => {
    const tty = { isTTY: { stdout: true, stderr: true } };
    expect((await run(['fail', 'tsmig'], tty)).stderr).to.include('\u001b[31merror:\u001b[39m');
    expect((await run(['fail', 'tsmig'], { ...tty, env: { NO_COLOR: '1' } })).stderr).to.match(/^error: /);
    expect((await run(['--no-color', 'fail', 'tsmig'], tty)).stderr).to.match(/^error: /);
    expect((await run(['fail', 'tsmig'])).stderr).to.match(/^error: /);
  });
});
