/**
 * `--shadow` through the real CLI: `check` and `revision --autogenerate` replay the revisions on a shadow
 * database and answer exactly as they do against the configured database at head, which is never touched
 * (nor even reachable). SQLite projects replay on a temporary file, PostgreSQL projects on PGlite; MySQL
 * projects get one line saying why not.
 */
import { expect } from 'chai';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestDialectName, findDialect } from '../helpers/dialects.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
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

/** A configured database the shadow must not touch: a SQLite file that must not appear, a server that does not answer. */
interface Unused {
  readonly url: string;
  untouched(): boolean;
  drop(): Promise<void>;
}

async function unusedDatabase(name: TestDialectName): Promise<Unused> {
  if (name === 'postgresql') return { url: 'postgresql://nobody@127.0.0.1:9/nowhere', untouched: () => true, drop: async () => undefined };
  const db = await createThrowawayDatabase(findDialect('sqlite')!, 'shadow_unused');
  return { url: db.url, untouched: () => !existsSync(db.name), drop: () => db.drop() };
}

for (const name of ['sqlite', 'postgresql'] as const) {
  const dialect = findDialect(name);
  (dialect === undefined ? describe.skip : describe)(`${name}: cli: --shadow`, function () {
    this.timeout(name === 'postgresql' ? 900_000 : 180_000);
    let live: ThrowawayDatabase;
    let unused: Unused;
    before(async () => {
      live = await createThrowawayDatabase(dialect!, 'shadow_live');
      unused = await unusedDatabase(name);
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
      expect(unused.untouched()).to.equal(true);
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
        db = await createThrowawayDatabase(dialect!, 'shadow_drift');
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
        expect(unused.untouched()).to.equal(true);
      });

      it('says in one line that MySQL has no embedded form, and writes nothing', async () => {
        for (const args of [['check', '--shadow'], ['revision', '--autogenerate', '--shadow', '-m', 'x']]) {
          const my = await tsmig('mysql://nobody@127.0.0.1:9/nowhere', args);
          expect(my.code).to.equal(1);
          expect(my.stderr).to.equal(
            'error: --shadow is not available for MySQL projects: MySQL has no embedded form. Run the command against a MySQL server (a local or CI service).\n',
          );
        }
        expect(readdirSync(project.path('migrations/versions')).filter((f) => f.endsWith('_x.ts'))).to.deep.equal([]);
      });
    });
  });
}
