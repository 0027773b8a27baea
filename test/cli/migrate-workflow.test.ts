/**
 * The migration workflow through the real CLI (`bin/tsmig` as a child process) on each dialect, in a
 * fresh project with a database of its own: init; three hand-written revisions using most operations;
 * upgrade head; offline `--sql` applied by the database's own client giving the same schema as online;
 * current; history; downgrade -1 and base; a branch and a merge; stamp.
 */
import { expect } from 'chai';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect, type TestDialect, tsmigTables } from '../helpers/dialects.js';
import { applyWithClient } from '../helpers/native-client.js';
import { withTsmigImport } from '../helpers/revision-text.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/movie-revisions/', import.meta.url));
const R1 = '1975ea83b712';
const R2 = '2b1ae634e5cd';
const R3 = '3c4d5e6f7a8b';

async function reflect(url: string): Promise<unknown> {
  const engine = createEngine(url);
  try {
    return await engine.reflectSchema();
  } finally {
    await engine.dispose();
  }
}

forEachDialect('cli: the migration workflow', function (dialect) {
  this.timeout(120_000);
  let project: TempProject;
  let online: ThrowawayDatabase;
  let offline: ThrowawayDatabase;
  const tsmig = (args: readonly string[], env: Record<string, string | undefined> = {}) =>
    runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: online.url, ...env } });

  before(async () => {
    project = createTempProject();
    online = await createThrowawayDatabase(dialect, 'cli_online');
    offline = await createThrowawayDatabase(dialect, 'cli_offline');
  });
  after(async () => {
    project.remove();
    await online.drop();
    await offline.drop();
  });

  it('init creates the script directory and the config', async () => {
    const r = ok(await tsmig(['init', 'migrations']));
    expect(r.stdout).to.equal('');
    expect(readdirSync(project.path('migrations')).sort()).to.deep.equal(['README.md', 'env.ts', 'script.ts.tmpl', 'versions']);
    expect(project.read('alembic.config.ts')).to.include("scriptLocation: 'migrations'");
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'))) {
      copyFileSync(path.join(FIXTURES, file), project.path(`migrations/versions/${file}`));
    }
  });

  it('upgrade head runs the three revisions in order, status on stderr, nothing on stdout', async () => {
    const r = ok(await tsmig(['upgrade', 'head']));
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.equal(
      [
        `Running upgrade base -> ${R1}, create directors and movies`,
        `Running upgrade ${R1} -> ${R2}, rate movies`,
        `Running upgrade ${R2} -> ${R3}, genres`,
        '',
      ].join('\n'),
    );
    expect(ok(await tsmig(['current'])).stdout).to.equal(`${R3} (head)\n`);
    // Already there: nothing to run, nothing printed.
    expect(ok(await tsmig(['upgrade', 'head'])).stderr).to.equal('');
  });

  it('upgrade head --sql, applied with the database\'s own client, gives the same schema as online', async () => {
    const r = ok(await tsmig(['upgrade', 'head', '--sql'], { DATABASE_URL: offline.url }));
    expect(r.stdout).to.include(`-- Running upgrade ${R2} -> ${R3}, genres`);
    expect(r.stdout).to.include(`INSERT INTO alembic_version (version_num) VALUES ('${R1}');`);
    expect(r.stdout).to.include("INSERT INTO directors (id, name) VALUES (1, 'Ridley O''Scott');");
    if (dialect.name === 'mysql') expect(r.stdout).not.to.match(/^BEGIN;$/m);
    else expect(r.stdout).to.match(/^BEGIN;$/m).and.match(/^COMMIT;$/m);
    if (dialect.name === 'postgresql') expect(r.stdout).to.include('-- tsmig: autocommit block: the statements below run outside a transaction\n\nCOMMIT;\n\nCREATE INDEX CONCURRENTLY ix_movies_rating ON movies (rating);');
    if (dialect.name === 'sqlite') expect(r.stdout).to.include('PRAGMA foreign_keys = OFF;\n\nBEGIN;');
    // Offline touched nothing.
    expect(await reflect(offline.url)).to.deep.include({ tables: [] });

    const applied = await applyWithClient(dialect, offline.url, r.stdout, project.dir);
    expect(applied.code, applied.stderr).to.equal(0);
    // An offline script keeps no run journal (MySQL's alembic_version_journal is the online run's record).
    const online_ = (await reflect(online.url)) as { tables: { name: string }[] };
    expect(await reflect(offline.url)).to.deep.equal({ ...online_, tables: online_.tables.filter((t) => t.name !== 'alembic_version_journal') });
    expect(ok(await tsmig(['current'], { DATABASE_URL: offline.url })).stdout).to.equal(`${R3} (head)\n`);
  });

  it('current -v and history show the revisions', async () => {
    const verbose = ok(await tsmig(['current', '-v'])).stdout;
    expect(verbose).to.match(/^Current revision\(s\) for \S+:\nRev: 3c4d5e6f7a8b \(head\)\nParent: 2b1ae634e5cd\nPath: .*3c4d5e6f7a8b_genres\.ts\n/);
    expect(ok(await tsmig(['history'])).stdout).to.equal(
      [`${R2} -> ${R3} (head), genres`, `${R1} -> ${R2}, rate movies`, `<base> -> ${R1}, create directors and movies`, ''].join('\n'),
    );
  });

  it('downgrade -1, then base; upgrade by partial id and by relative step', async () => {
    expect(ok(await tsmig(['downgrade', '-1'])).stderr).to.equal(`Running downgrade ${R3} -> ${R2}, genres\n`);
    expect(ok(await tsmig(['current'])).stdout).to.equal(`${R2}\n`);
    expect(ok(await tsmig(['downgrade', 'base'])).stderr).to.equal(
      `Running downgrade ${R2} -> ${R1}, rate movies\nRunning downgrade ${R1} -> base, create directors and movies\n`,
    );
    expect(ok(await tsmig(['current'])).stdout).to.equal('');
    expect((await reflect(online.url)) as { tables: { name: string }[] }).to.have.nested.property('tables.length', tsmigTables(dialect.name).length);
    expect(ok(await tsmig(['upgrade', '1975'])).stderr).to.equal(`Running upgrade base -> ${R1}, create directors and movies\n`);
    expect(ok(await tsmig(['upgrade', '+2'])).stderr).to.equal(`Running upgrade ${R1} -> ${R2}, rate movies\nRunning upgrade ${R2} -> ${R3}, genres\n`);
  });

  it('a branch needs `heads` or a merge; the merge joins them and downgrades back into two heads', async () => {
    ok(await tsmig(['revision', '-m', 'add studios', '--head', R2, '--splice', '--rev-id', 'b7c8d9e0f1a2']));
    const branchFile = project.path('migrations/versions/b7c8d9e0f1a2_add_studios.ts');
    const text = withTsmigImport(readFileSync(branchFile, 'utf8'), ['column', 'op', 't'])
      .replace(/export async function upgrade\(\): Promise<void> \{\n\}/, "export async function upgrade(): Promise<void> {\n  await op.createTable('studios', { id: column(t.Integer(), { primaryKey: true }) });\n}")
      .replace(/export async function downgrade\(\): Promise<void> \{\n\}/, "export async function downgrade(): Promise<void> {\n  await op.dropTable('studios');\n}");
    writeFileSync(branchFile, text);

    const multiple = await tsmig(['upgrade', 'head']);
    expect(multiple.code).to.equal(1);
    expect(multiple.stderr).to.match(/^error: Multiple heads: .*3c4d5e6f7a8b.*b7c8d9e0f1a2.*merge/);
    expect(ok(await tsmig(['upgrade', 'heads'])).stderr).to.equal(`Running upgrade ${R2} -> b7c8d9e0f1a2, add studios\n`);
    expect(ok(await tsmig(['current'])).stdout).to.equal(`${R3} (head)\nb7c8d9e0f1a2 (head)\n`);

    ok(await tsmig(['merge', '-m', 'join branches', 'heads', '--rev-id', 'c0ffee000001']));
    expect(ok(await tsmig(['upgrade', 'head'])).stderr).to.equal(`Running upgrade ${R3}, b7c8d9e0f1a2 -> c0ffee000001, join branches\n`);
    expect(ok(await tsmig(['current'])).stdout).to.equal('c0ffee000001 (head) (mergepoint)\n');
    // One step down from a merge point undoes the merge, leaving both parents, as naming one parent does.
    const undoMerge = `Running downgrade c0ffee000001 -> ${R3}, b7c8d9e0f1a2, join branches\n`;
    expect(ok(await tsmig(['downgrade', '-1'])).stderr).to.equal(undoMerge);
    expect(ok(await tsmig(['current'])).stdout).to.equal(`${R3}\nb7c8d9e0f1a2\n`);
    ok(await tsmig(['upgrade', 'head']));
    expect(ok(await tsmig(['downgrade', R3])).stderr).to.equal(undoMerge);
    expect(ok(await tsmig(['current'])).stdout).to.equal(`${R3}\nb7c8d9e0f1a2\n`);
    ok(await tsmig(['upgrade', 'head']));
  });

  it('stamp sets the version table without running migrations; --purge clears a stale one', async () => {
    expect(ok(await tsmig(['stamp', R1])).stderr).to.equal(`Running stamp c0ffee000001 -> ${R1}\n`);
    expect(ok(await tsmig(['current'])).stdout).to.equal(`${R1}\n`);
    // Nothing ran: the tables of later revisions are still there.
    expect(JSON.stringify(await reflect(online.url))).to.include('"studios"');
    const engine = createEngine(online.url);
    await engine.connect(async (conn) => {
      await conn.execute(text("UPDATE alembic_version SET version_num = 'deadbeef0000'"));
      await conn.commit();
    });
    await engine.dispose();
    expect(ok(await tsmig(['current'])).stdout).to.match(/^deadbeef0000 \(not in the script directory/);
    expect(ok(await tsmig(['stamp', '--purge', 'head'])).stderr).to.equal('Running stamp base -> c0ffee000001\n');
    expect(ok(await tsmig(['current'])).stdout).to.equal('c0ffee000001 (head) (mergepoint)\n');
    const sql = ok(await tsmig(['stamp', `${R1}:${R2}`, '--sql'])).stdout;
    expect(sql).to.include(`UPDATE alembic_version SET version_num='${R2}' WHERE alembic_version.version_num = '${R1}';`);
  });

  it('colours the step lines only when asked to (FORCE_COLOR), never with NO_COLOR', async () => {
    ok(await tsmig(['downgrade', R3]));
    const coloured = ok(await tsmig(['upgrade', 'head'], { FORCE_COLOR: '1' }));
    expect(coloured.stderr).to.equal(`\u001b[32mRunning upgrade\u001b[39m ${R3}, b7c8d9e0f1a2 -> c0ffee000001, join branches\n`);
    ok(await tsmig(['downgrade', R3]));
    expect(ok(await tsmig(['upgrade', 'head'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stderr).not.to.include('\u001b[');
  });
});
