/**
 * The built package compiles its one script with V8's code cache (src/package/loader.ts), one cache per
 * profile (each CLI command, the library): the first run of a profile with no cache writes it unless it
 * failed (exit 1, 2, or a signal), later runs use it without writing, and a cache V8 refuses (corrupt, or
 * made for other code) is compiled around and replaced, never an error.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runTsmig } from '../helpers/run-cli.js';
import { REPO_ROOT, createTempProject } from '../helpers/temp-project.js';

const cacheOf = (profile: string): string => path.join(REPO_ROOT, 'dist', '.v8-cache', `${profile}-${process.version}-${process.arch}.bin`);
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function version(): Promise<void> {
  const run = await runTsmig(['--version'], { cwd: tmpdir() });
  expect(run.code, run.stderr).to.equal(0);
  expect(run.stdout.trim()).to.equal(VERSION);
  expect(run.stderr).to.equal('');
}

describe('cli: the code cache of the built package', () => {
  const CLI = cacheOf('cli');

  it('is written by a run that had none and reused, unchanged, by the next', async () => {
    rmSync(CLI, { force: true });
    await version();
    expect(existsSync(CLI), CLI).to.equal(true);
    const written = statSync(CLI).mtimeMs;
    await version();
    expect(statSync(CLI).mtimeMs).to.equal(written);
  });

  it('a cache V8 refuses is compiled around and replaced', async () => {
    writeFileSync(CLI, Buffer.from('not a code cache'));
    await version();
    expect(statSync(CLI).size).to.be.greaterThan(100_000);
    await version();
  });

  it('each command has its own cache, and a failed run writes none', async () => {
    const listing = cacheOf('cli-list-templates');
    rmSync(listing, { force: true });
    const run = await runTsmig(['list-templates'], { cwd: tmpdir() });
    expect(run.code, run.stderr).to.equal(0);
    expect(existsSync(listing), listing).to.equal(true);

    const unknown = cacheOf('cli-no-such-command');
    rmSync(unknown, { force: true });
    const failed = await runTsmig(['no-such-command'], { cwd: tmpdir() });
    expect(failed.code).to.equal(2);
    expect(existsSync(unknown), unknown).to.equal(false);
  });

  it('a run that answers with an exit code of its own (status: 3, pending) writes its cache', async () => {
    const project = createTempProject();
    try {
      const status = cacheOf('cli-status');
      rmSync(status, { force: true });
      expect((await runTsmig(['init', 'migrations'], { cwd: project.dir })).code).to.equal(0);
      expect((await runTsmig(['revision', '-m', 'first'], { cwd: project.dir })).code).to.equal(0);
      const run = await runTsmig(['status'], { cwd: project.dir });
      expect(run.code, run.stderr).to.equal(3);
      expect(existsSync(status), status).to.equal(true);
    } finally {
      project.remove();
    }
  });
});
