/**
 * `--shadow` through the real CLI: `check` and `revision --autogenerate` replay the revisions on a shadow
 * database and answer exactly as they do against the configured database at head, which is never touched.
 * SQLite projects only for now; PostgreSQL (PGlite) and MySQL projects get one line saying why not.
 */
import { expect } from 'chai';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDialect } from '../helpers/dialects.js';
import { type CliResult, runTsmig } from '../helpers/run-cli.js';
import { REPO_ROOT, createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/movie-revisions/', import.meta.url));

/** Models that differ from what the fixture revisions build: one table more, one column more. */
const DRIFTED_CONFIG = `import { MetaData, Table, column, defineConfig, t } from 'tsmig';
const metadata = new MetaData();
new Table('directors', metadata, { id: column(t.Integer(), { primaryKey: true }), name: column(t.String(100), { nullable: false, unique: true }) });
new Table('awards', metadata, { id: column(t.Integer(), { primaryKey: true }), title: column(t.String(80)) });
export default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });
`;

function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`tsmig exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

describe('sqlite: cli: --shadow', function () {
  this.timeout(180_000);
  let live: ThrowawayDatabase;
  let unused: ThrowawayDatabase;
  before(async () => {
    const sqlite = findDialect('sqlite')!;
    live = await createThrowawayDatabase(sqlite, 'shadow_live');
    unused = await createThrowawayDatabase(sqlite, 'shadow_unused');
  });
  after(async () => {
    await live.drop();
    await unused.drop();
  });

  it('check --shadow answers as check does on the movies project at head, without touching the configured database', async () => {
    const at = (url: string, args: readonly string[]) => runTsmig(args, { cwd: REPO_ROOT, env: { DATABASE_URL: url } });
    ok(await at(live.url, ['upgrade', 'head']));
    const liveAnswer = ok(await at(live.url, ['check', '--json']));
    const shadowAnswer = ok(await at(unused.url, ['check', '--json', '--shadow']));
    expect(JSON.parse(shadowAnswer.stdout)).to.deep.equal(JSON.parse(liveAnswer.stdout)).and.to.include({ ok: true });
    expect(existsSync(unused.name)).to.equal(false);
  });

  describe('on models that drifted from the revisions', () => {
    let project: TempProject;
    let db: ThrowawayDatabase;
    const tsmig = (url: string, args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: url } });
    before(async () => {
      project = createTempProject();
      ok(await runTsmig(['init', 'migrations'], { cwd: project.dir }));
      for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'))) copyFileSync(path.join(FIXTURES, file), project.path(`migrations/versions/${file}`));
      project.write('alembic.config.ts', DRIFTED_CONFIG);
      db = await createThrowawayDatabase(findDialect('sqlite')!, 'shadow_drift');
      ok(await tsmig(db.url, ['upgrade', 'head']));
    });
    after(async () => {
      project.remove();
      await db.drop();
    });

    it('check --shadow lists the same differences as check', async () => {
      const liveAnswer = await tsmig(db.url, ['check', '--json']);
      const shadowAnswer = await tsmig(unused.url, ['check', '--json', '--shadow']);
      expect([liveAnswer.code, shadowAnswer.code]).to.deep.equal([1, 1]);
      const differences = (JSON.parse(shadowAnswer.stdout) as { differences: unknown[] }).differences;
      expect(differences.length).to.be.greaterThan(1);
      expect(JSON.parse(shadowAnswer.stdout)).to.deep.equal(JSON.parse(liveAnswer.stdout));
    });

    it('revision --autogenerate --shadow writes the same revision as against the database', async () => {
      const write = async (url: string, extra: readonly string[]): Promise<string> => {
        ok(await tsmig(url, ['revision', '--autogenerate', '-m', 'drift', '--rev-id', 'd1d1d1d1d1d1', ...extra]));
        const file = project.path('migrations/versions/d1d1d1d1d1d1_drift.ts');
        const text = project.read('migrations/versions/d1d1d1d1d1d1_drift.ts').replace(/^ \* Create Date: .*$/m, '');
        rmSync(file);
        return text;
      };
      const fromLive = await write(db.url, []);
      expect(fromLive).to.match(/op\.createTable\(\s*'awards'/);
      expect(await write(unused.url, ['--shadow'])).to.equal(fromLive);
      expect(existsSync(unused.name)).to.equal(false);
    });

    it('says in one line that PostgreSQL needs PGlite and MySQL has no embedded form', async () => {
      const pg = await tsmig('postgresql://nobody@127.0.0.1:9/nowhere', ['check', '--shadow']);
      expect(pg.code).to.equal(1);
      expect(pg.stderr.trim()).to.match(/^error: --shadow for PostgreSQL projects needs PGlite, .*$/);
      const my = await tsmig('mysql://nobody@127.0.0.1:9/nowhere', ['revision', '--autogenerate', '--shadow', '-m', 'x']);
      expect(my.code).to.equal(1);
      expect(my.stderr.trim()).to.match(/^error: --shadow is not available for MySQL projects: MySQL has no embedded form\..*$/);
      expect(readdirSync(project.path('migrations/versions')).filter((f) => f.endsWith('_x.ts'))).to.deep.equal([]);
    });
  });
});
