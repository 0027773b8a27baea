/**
 * `tsmig status` through the real CLI on each dialect, in a fresh project with a database of its own:
 * every state and its exit code (0 up to date, 3 pending, 4 models differ, 5 multiple heads, 6 a revision
 * applied but missing from the scripts), human output and the JSON shape the README documents, and
 * `--check-models` at head and behind it. Status never creates the version table.
 */
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { createEngine } from '../../src/engine/engine.js';
import { moviesModelSource } from '../fixtures/autogenerate-movies.js';
import { forEachDialect } from '../helpers/dialects.js';
import { type CliResult, ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = `import { defineConfig } from 'tsmig';
import { metadata } from './models.js';

export default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });
`;
const R1 = 'a1a1a1a1a1a1';
const R2 = 'b2b2b2b2b2b2';
const BRANCH = 'c3c3c3c3c3c3';
const GONE = 'd4d4d4d4d4d4';

function json(result: CliResult): Record<string, unknown> {
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function tableNames(url: string): Promise<string[]> {
  const engine = createEngine(url);
  try {
    return (await engine.reflectSchema()).tables.map((t) => t.name);
  } finally {
    await engine.dispose();
  }
}

forEachDialect('cli: tsmig status', function (dialect) {
  this.timeout(120_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url } });

  before(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'status_cli');
    ok(await tsmig(['init', 'migrations']));
    project.write('alembic.config.ts', CONFIG);
    project.write('models.ts', moviesModelSource(1));
    ok(await tsmig(['revision', '--autogenerate', '-m', 'add movies', '--rev-id', R1]));
    ok(await tsmig(['revision', '-m', 'nothing yet', '--rev-id', R2]));
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('an empty database: every revision pending, in upgrade order, exit 3; nothing created', async () => {
    const r = await tsmig(['status']);
    expect(r.code).to.equal(3);
    expect(r.stdout).to.equal(
      [`Head: ${R2}`, 'Current: base (no revision applied)', 'Pending (2, in upgrade order):', `  ${R1}  add movies`, `  ${R2}  nothing yet`, ''].join('\n'),
    );
    expect(r.stderr).to.equal('error: The database is behind the head (2 pending revisions). Run `tsmig upgrade head`.\n');
    expect(await tableNames(db.url)).to.deep.equal([]);
  });

  it('--json: the documented shape; --check-models behind head says why it did not compare', async () => {
    ok(await tsmig(['upgrade', '+1']));
    const r = await tsmig(['status', '--json', '--check-models']);
    expect(r.code).to.equal(3);
    expect(json(r)).to.deep.equal({
      state: 'pending',
      heads: [R2],
      databases: [
        {
          database: null,
          state: 'pending',
          current: [R1],
          pending: [{ revision: R2, message: 'nothing yet' }],
          unknown: [],
          models: { checked: false, reason: 'the database is not at head' },
          modified: [],
        },
      ],
    });
  });

  it('at head: exit 0, and --check-models compares the models', async () => {
    ok(await tsmig(['upgrade', 'head']));
    expect(ok(await tsmig(['status'])).stdout).to.equal(`Head: ${R2}\nCurrent: ${R2}\nUp to date.\n`);
    const r = ok(await tsmig(['status', '--check-models']));
    expect(r.stdout).to.equal(`Head: ${R2}\nCurrent: ${R2}\nModels: match the database\nUp to date.\n`);
    expect(r.stderr).to.equal('');
  });

  it('models ahead of the head: exit 4 with --check-models only, listing the differences', async () => {
    project.write('models.ts', moviesModelSource(2));
    ok(await tsmig(['status']));
    const r = await tsmig(['status', '--check-models']);
    expect(r.code).to.equal(4);
    expect(r.stdout).to.include('Models: differ from the database (');
    expect(r.stdout).to.include("  - Added table 'directors'");
    expect(r.stderr).to.match(/^error: The models differ from the database at head \(\d+ changes\)\. Run `tsmig revision --autogenerate -m "\.\.\."` to write a revision\.\n$/);
    const shape = json(await tsmig(['status', '--check-models', '--json'])) as { state: string; databases: { models: { differences: { code: string }[] } }[] };
    expect(shape.state).to.equal('models-differ');
    expect(shape.databases[0]!.models.differences.map((d) => d.code)).to.include('add_table');
    project.write('models.ts', moviesModelSource(1));
  });

  it('two heads: exit 5, the other head pending, and the next step is a merge', async () => {
    ok(await tsmig(['revision', '-m', 'a branch', '--head', R1, '--splice', '--rev-id', BRANCH]));
    const r = await tsmig(['status']);
    expect(r.code).to.equal(5);
    expect(r.stdout).to.equal([`Heads: ${[R2, BRANCH].sort().join(', ')}`, `Current: ${R2}`, 'Pending (1, in upgrade order):', `  ${BRANCH}  a branch`, ''].join('\n'));
    expect(r.stderr).to.equal(`error: The scripts have multiple heads: ${[R2, BRANCH].sort().join(', ')}. Run \`tsmig merge heads -m "..."\` to join them.\n`);
    rmSync(project.path(`migrations/versions/${BRANCH}_a_branch.ts`));
    ok(await tsmig(['status']));
  });

  it('a revision applied but missing from the scripts: exit 6, named, nothing pending', async () => {
    ok(await tsmig(['revision', '-m', 'soon gone', '--rev-id', GONE]));
    ok(await tsmig(['upgrade', 'head']));
    rmSync(project.path(`migrations/versions/${GONE}_soon_gone.ts`));
    const r = await tsmig(['status', '--json']);
    expect(r.code).to.equal(6);
    const shape = json(r) as { state: string; databases: { current: string[]; unknown: string[]; pending: unknown[] }[] };
    expect(shape.state).to.equal('unknown-revisions');
    expect(shape.databases[0]).to.deep.include({ current: [GONE], unknown: [GONE], pending: [] });
    const human = await tsmig(['status']);
    expect(human.stdout).to.include(`Not in the scripts: ${GONE}\n`);
    expect(human.stderr).to.include(`error: The database is at revision(s) no script has: ${GONE}.`);
  });

  it('a database it cannot reach: exit 1, one line, no password', async () => {
    const r = await runTsmig(['status'], { cwd: project.dir, env: { DATABASE_URL: unreachable(dialect.name) } });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).not.to.include('s3cret');
  });
});

function unreachable(dialect: string): string {
  if (dialect === 'sqlite') return 'sqlite:////nonexistent-dir-for-tsmig/app.db';
  if (dialect === 'postgresql') return 'postgresql://me:s3cret@127.0.0.1:1/nowhere';
  return 'mysql://me:s3cret@127.0.0.1:1/nowhere';
}
