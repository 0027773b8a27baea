/**
 * The built package compiles its one script with V8's code cache (src/package/loader.ts), one cache per
 * profile (each CLI command, the library): the first run of a profile with no cache writes it unless it
 * failed (exit 1, 2, or a signal), later runs use it without writing, and a cache V8 refuses (corrupt, or
 * made for other code) is compiled around and replaced, never an error.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it("a plan's revisions run as a script whose code cache the first successful run writes and the next reuses", async () => {
    const project = createTempProject();
    try {
      const tsmig = (args: string[]) => runTsmig(args, { cwd: project.dir, env: { TSMIG_CACHE_DIR: project.path('cache') } });
      expect((await tsmig(['init', 'migrations'])).code).to.equal(0);
      for (const id of ['a1', 'b2']) {
        const run = await tsmig(['revision', '-m', `table ${id}`, '--rev-id', id]);
        expect(run.code, run.stderr).to.equal(0);
        const file = readdirSync(project.path('migrations/versions')).find((name) => name.startsWith(id))!;
        const text = project.read(`migrations/versions/${file}`);
        project.write(`migrations/versions/${file}`, text.replace(/(upgrade\(\): Promise<void> \{)/, `$1\n  await op.createTable('t_${id}', { id: column(t.Integer(), { primaryKey: true }) });`).replace(/(downgrade\(\): Promise<void> \{)/, `$1\n  await op.dropTable('t_${id}');`).replace(/^import .*\n/gm, '').replace(/^ \*\/\n/m, " */\nimport { column, op, t } from 'tsmig';\n"));
      }
      // Out of the racy window, where a file's key is its content, then its stat: the plan's key stays one.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const caches = () => readdirSync(project.path('cache')).filter((name) => name.startsWith('bundle-')).sort();
      let run = await tsmig(['upgrade', 'head']);
      expect(run.code, run.stderr).to.equal(0);
      const [script, cache] = caches();
      expect([script, cache]).to.satisfy(([s, c]: string[]) => s!.endsWith('.cjs') && c === `${s}.${process.version}-${process.arch}.v8`);
      const written = statSync(project.path(`cache/${cache}`)).mtimeMs;
      expect((await tsmig(['downgrade', 'base'])).code).to.equal(0);
      run = await tsmig(['upgrade', 'head']);
      expect(run.code, run.stderr).to.equal(0);
      expect(statSync(project.path(`cache/${cache}`)).mtimeMs).to.equal(written);
      // A cache V8 refuses is compiled around and replaced.
      writeFileSync(project.path(`cache/${cache}`), 'not a code cache');
      expect((await tsmig(['downgrade', 'base'])).code).to.equal(0);
      run = await tsmig(['upgrade', 'head']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.match(/a1 -> b2/);
      expect(statSync(project.path(`cache/${cache}`)).size).to.be.greaterThan(100);
    } finally {
      project.remove();
    }
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
