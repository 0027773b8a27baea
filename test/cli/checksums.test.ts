/**
 * Checksums of applied revisions through the real CLI on each dialect: `upgrade` records one row per
 * revision in the history table beside the version table (which keeps Alembic's shape); reformatting a
 * file or its comments changes nothing, changing an operation makes `upgrade`, `status` and `check` stop
 * with one line unless `--allow-modified`; `downgrade` and `stamp` keep the table right, `stamp --purge`
 * accepts the files as they are, a database without the table gets it on the next run, and offline
 * scripts write the same rows.
 */
import { expect } from 'chai';
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect } from '../helpers/dialects.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/movie-revisions/', import.meta.url));
const R1 = '1975ea83b712';
const R2 = '2b1ae634e5cd';
const R3 = '3c4d5e6f7a8b';
const R2_FILE = 'migrations/versions/2b1ae634e5cd_rate_movies.ts';

/** The history table's rows, by revision: whether each has a run time, and its checksum. */
async function historyRows(url: string): Promise<Record<string, { ran: boolean; checksum: string }>> {
  const engine = createEngine(url);
  try {
    const rows = await engine.connect(async (conn) => (await conn.execute(text('SELECT revision, checksum, applied_at FROM alembic_version_history'))).all());
    return Object.fromEntries(rows.map((r) => [String(r[0]), { ran: r[2] !== null, checksum: String(r[1]) }]));
  } finally {
    await engine.dispose();
  }
}

async function run(url: string, sql: string): Promise<void> {
  const engine = createEngine(url);
  try {
    await engine.begin((conn) => conn.execute(text(sql)));
  } finally {
    await engine.dispose();
  }
}

forEachDialect('cli: checksums of applied revisions', function (dialect) {
  this.timeout(180_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  let original: string;
  const tsmig = (args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url } });

  before(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'checksums');
    ok(await tsmig(['init', 'migrations']));
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'))) copyFileSync(path.join(FIXTURES, file), project.path(`migrations/versions/${file}`));
    original = project.read(R2_FILE);
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('upgrade records each revision it runs with its checksum and run time; reformatting a file is no change', async () => {
    ok(await tsmig(['upgrade', R2]));
    const rows = await historyRows(db.url);
    expect(Object.keys(rows).sort()).to.deep.equal([R1, R2]);
    expect(rows[R1]!.ran && rows[R2]!.ran).to.equal(true);
    expect(rows[R1]!.checksum).to.match(/^[0-9a-f]{64}$/);
    // The doc comment, a new comment and the indentation change; the operations do not.
    project.write(R2_FILE, `// reviewed\n${original.replace('rate movies', 'rate the movies').replace(/^ {2}/gm, '    ')}`);
    const status = await tsmig(['status']);
    expect([status.code, status.stderr]).to.deep.equal([3, 'error: The database is behind the head (1 pending revision). Run `tsmig upgrade head`.\n']);
  });

  it('an operation changed after it ran stops upgrade, status and check with one line, and nothing runs', async () => {
    project.write(R2_FILE, original.replace(/'rating'/, "'stars'"));
    expect(project.read(R2_FILE)).not.to.equal(original);
    const expected = `error: Revision ${R2} (${R2_FILE}) was changed after it was applied to this database (alembic_version_history): restore the file (it is what the database ran), or pass --allow-modified to go on anyway.\n`;
    for (const args of [['upgrade', 'head'], ['status'], ['check']]) {
      const r = await tsmig(args);
      expect([args[0], r.code, r.stderr]).to.deep.equal([args[0], 1, expected]);
    }
    expect(Object.keys(await historyRows(db.url)).sort()).to.deep.equal([R1, R2]);
    expect(ok(await tsmig(['current'])).stdout).to.include(R2);
  });

  it('--allow-modified goes on with a warning; status lists the revision', async () => {
    const s = await tsmig(['status', '--allow-modified']);
    expect(s.code).to.equal(3);
    expect(s.stdout).to.include(`Changed since applied: ${R2} (${R2_FILE})`);
    const r = ok(await tsmig(['upgrade', 'head', '--allow-modified']));
    expect(r.stderr).to.include(`warning: Revision ${R2} (${R2_FILE}) was changed after it was applied`);
    expect(Object.keys(await historyRows(db.url)).sort()).to.deep.equal([R1, R2, R3]);
  });

  it('stamp --purge accepts the files as they are; downgrade and stamp keep the rows in step', async () => {
    const before = (await historyRows(db.url))[R2]!.checksum;
    ok(await tsmig(['stamp', '--purge', 'head']));
    const accepted = await historyRows(db.url);
    expect(accepted[R2]!.checksum).not.to.equal(before);
    expect(Object.values(accepted).map((r) => r.ran)).to.deep.equal([false, false, false]);
    ok(await tsmig(['status']));
    project.write(R2_FILE, original);
    ok(await tsmig(['stamp', '--purge', 'head']));
    ok(await tsmig(['downgrade', R1]));
    expect(Object.keys(await historyRows(db.url))).to.deep.equal([R1]);
    ok(await tsmig(['stamp', R3]));
    expect(Object.keys(await historyRows(db.url)).sort()).to.deep.equal([R1, R2, R3]);
    ok(await tsmig(['stamp', R1]));
    expect(Object.keys(await historyRows(db.url))).to.deep.equal([R1]);
    ok(await tsmig(['upgrade', 'head']));
  });

  it('a database without the history table gets it, with rows for what it had applied, on the next run', async () => {
    await run(db.url, 'DROP TABLE alembic_version_history');
    ok(await tsmig(['status']));
    ok(await tsmig(['downgrade', R2]));
    const rows = await historyRows(db.url);
    expect(Object.keys(rows).sort()).to.deep.equal([R1, R2]);
    expect([rows[R1]!.ran, rows[R2]!.ran]).to.deep.equal([false, false]);
    ok(await tsmig(['upgrade', 'head']));
    expect((await historyRows(db.url))[R3]!.ran).to.equal(true);
  });

  it('offline scripts create the table and write the same rows', async () => {
    const up = ok(await tsmig(['upgrade', `base:${R1}`, '--sql'])).stdout;
    expect(up).to.match(/CREATE TABLE [`"]?alembic_version_history[`"]? \(/);
    expect(up).to.match(new RegExp(`INSERT INTO [\`"]?alembic_version_history[\`"]? \\(revision, checksum, applied_at\\) VALUES \\('${R1}', '[0-9a-f]{64}', CURRENT_TIMESTAMP\\);`));
    const later = ok(await tsmig(['upgrade', `${R1}:${R2}`, '--sql'])).stdout;
    expect(later).to.match(/CREATE TABLE IF NOT EXISTS [`"]?alembic_version_history/);
    const down = ok(await tsmig(['downgrade', `${R3}:${R2}`, '--sql'])).stdout;
    expect(down).to.match(new RegExp(`DELETE FROM [\`"]?alembic_version_history[\`"]? WHERE [\`"]?alembic_version_history[\`"]?\\.revision IN \\('${R3}'\\);`));
    const stamped = ok(await tsmig(['stamp', `${R1}:${R3}`, '--sql'])).stdout;
    expect(stamped).to.match(new RegExp(`VALUES \\('(${R3}|${R2})', '[0-9a-f]{64}', NULL\\), \\('(${R3}|${R2})', '[0-9a-f]{64}', NULL\\);`));
  });

  it('with a transaction per migration each step writes its own row, and a downgrade takes them back one by one', async () => {
    const config = project.read('alembic.config.ts');
    const recorded = await historyRows(db.url);
    project.write('alembic.config.ts', "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', transactionPerMigration: true });\n");
    try {
      ok(await tsmig(['downgrade', 'base']));
      expect(await historyRows(db.url)).to.deep.equal({});
      ok(await tsmig(['upgrade', 'head']));
      const rows = await historyRows(db.url);
      expect(Object.keys(rows).sort()).to.deep.equal([R1, R2, R3]);
      for (const revision of [R1, R2, R3]) expect(rows[revision]).to.deep.equal({ ran: true, checksum: recorded[revision]!.checksum });
      ok(await tsmig(['downgrade', R1]));
      expect(Object.keys(await historyRows(db.url))).to.deep.equal([R1]);
    } finally {
      project.write('alembic.config.ts', config);
    }
    ok(await tsmig(['upgrade', 'head']));
  });
});
