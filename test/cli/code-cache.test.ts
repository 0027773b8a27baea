/**
 * The built package compiles its one script with V8's code cache (src/package/loader.ts): the first run
 * with no cache writes it, later runs use it without writing, and a cache V8 refuses (corrupt, or made for
 * other code) is compiled around and replaced, never an error.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runTsmig } from '../helpers/run-cli.js';
import { REPO_ROOT } from '../helpers/temp-project.js';

const CACHE = path.join(REPO_ROOT, 'dist', '.v8-cache', `tsmig-${process.version}-${process.arch}.bin`);
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function version(): Promise<void> {
  const run = await runTsmig(['--version'], { cwd: tmpdir() });
  expect(run.code, run.stderr).to.equal(0);
  expect(run.stdout.trim()).to.equal(VERSION);
  expect(run.stderr).to.equal('');
}

describe('cli: the code cache of the built package', () => {
  it('is written by a run that had none and reused, unchanged, by the next', async () => {
    rmSync(CACHE, { force: true });
    await version();
    expect(existsSync(CACHE), CACHE).to.equal(true);
    const written = statSync(CACHE).mtimeMs;
    await version();
    expect(statSync(CACHE).mtimeMs).to.equal(written);
  });

  it('a cache V8 refuses is compiled around and replaced', async () => {
    writeFileSync(CACHE, Buffer.from('not a code cache'));
    await version();
    expect(statSync(CACHE).size).to.be.greaterThan(100_000);
    await version();
  });
});
