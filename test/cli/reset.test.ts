/**
 * `tsmig reset` on the repository's movies project, on every dialect: back to a fresh head through every
 * downgrade, or by dropping the models' tables with `--drop`; refused on a database that is not SQLite or
 * on this machine unless `--yes`, without showing the password and before connecting.
 */
import { expect } from 'chai';
import { createEngine, text } from '../../src/index.js';
import { parseDatabaseUrl } from '../../src/engine/url.js';
import { forEachDialect } from '../helpers/dialects.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { REPO_ROOT } from '../helpers/temp-project.js';
import { type ThrowawayDatabase, createThrowawayDatabase } from '../helpers/throwaway-database.js';

const UPGRADES =
  'Running upgrade base -> 6ee29ad111e3, add movies\n' +
  'Running upgrade 6ee29ad111e3 -> 17b07b35716f, add directors\n' +
  'Running upgrade 17b07b35716f -> 501d663d5106, add genres\n';

forEachDialect('cli: reset', function (dialect) {
  this.timeout(120_000);
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[], url = db.url) => runTsmig(args, { cwd: REPO_ROOT, env: { DATABASE_URL: url, NO_COLOR: '1' } });
  const directors = async () => {
    const engine = createEngine(db.url);
    try {
      return await engine.connect(async (conn) => (await conn.execute(text('SELECT name FROM directors'))).all().map((row) => row[0]));
    } finally {
      await engine.dispose();
    }
  };
  const addDirector = async () => {
    const engine = createEngine(db.url);
    try {
      await engine.begin(async (conn) => {
        await conn.execute(text("INSERT INTO directors (name) VALUES ('Agnès Varda')"));
      });
    } finally {
      await engine.dispose();
    }
  };

  before(async () => {
    db = await createThrowawayDatabase(dialect, 'reset');
    ok(await tsmig(['upgrade', 'head']));
  });
  after(() => db.drop());

  it('runs every downgrade to base, then upgrades to head: the data is gone, the schema is back', async () => {
    await addDirector();
    expect(await directors()).to.deep.equal(['Agnès Varda']);
    const run = ok(await tsmig(['reset']));
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.equal(
      'Running downgrade 501d663d5106 -> 17b07b35716f, add genres\n' +
        'Running downgrade 17b07b35716f -> 6ee29ad111e3, add directors\n' +
        'Running downgrade 6ee29ad111e3 -> base, add movies\n' +
        UPGRADES,
    );
    expect(await directors()).to.deep.equal([]);
    expect((await tsmig(['check'])).code).to.equal(0);
  });

  it('--drop drops the tables and the version table instead, then upgrades', async () => {
    await addDirector();
    expect(ok(await tsmig(['reset', '--drop'])).stderr).to.equal(UPGRADES);
    expect(await directors()).to.deep.equal([]);
    expect(ok(await tsmig(['current'])).stdout).to.equal('501d663d5106 (head)\n');
  });

  if (dialect.name !== 'sqlite') {
    it('refuses a database on another machine unless --yes, before connecting and without the password', async () => {
      const remote = parseDatabaseUrl(db.url).with({ host: 'db.example.invalid', password: 's3cret' });
      const refused = await tsmig(['reset'], remote.render({ hidePassword: false }));
      expect(refused).to.deep.equal({
        code: 1,
        stdout: '',
        stderr: `error: Refusing to reset ${remote.render()}: reset wipes the database, and this one is neither SQLite nor on this machine. Pass --yes if it really is a development database.\n`,
      });
      expect(refused.stderr).to.not.include('s3cret');
      // With --yes it goes ahead, and fails only because that host does not exist.
      const tried = await tsmig(['reset', '--yes'], remote.render({ hidePassword: false }));
      expect(tried.code).to.equal(1);
      expect(tried.stderr).to.not.include('Refusing').and.not.include('s3cret');
    });
  }
});
