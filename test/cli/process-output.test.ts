/**
 * How the real CLI process writes (src/cli/output.ts `processIo`): straight to a file or a pipe, a closed
 * pipe (`tsmig --help | head -1`) ending the output quietly with the command's own exit code, and the
 * order of the lines kept.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runTsmig } from '../helpers/run-cli.js';
import { TSMIG_BIN } from '../helpers/temp-project.js';

describe('cli: output of the real process', () => {
  it('writes to a file as to a pipe', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsmig-output-'));
    try {
      const file = path.join(dir, 'help.txt');
      const fd = openSync(file, 'w');
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [TSMIG_BIN, '--help'], { stdio: ['ignore', fd, 'ignore'] });
        child.on('error', reject).on('close', resolve);
      });
      closeSync(fd);
      const piped = await runTsmig(['--help'], { cwd: dir });
      expect(code).to.equal(0);
      expect(readFileSync(file, 'utf8')).to.equal(piped.stdout).and.to.contain('Usage: tsmig');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops quietly when the reader closes the pipe', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [TSMIG_BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
      // Closed before the child can write: its first write meets EPIPE.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject).on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
  });
});
