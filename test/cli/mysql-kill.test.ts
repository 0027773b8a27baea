/**
 * kill -9 of `tsmig upgrade` on MariaDB/MySQL while the server runs one of its statements, through the
 * real CLI. The server goes on with the statement after the process is gone, and DDL commits as it
 * runs, so the database is left between two revisions. A second run started at once must wait until
 * the dead run's statement has ended (the lock lives on the migration connection), and then stop with
 * what to repair instead of applying the revision again; `stamp` settles it. (SQLite and PostgreSQL
 * roll a killed run back with its transaction: fail-before-start and the concurrency tests cover them.)
 */
import { expect } from 'chai';
import { hostname } from 'node:os';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { findDialect } from '../helpers/dialects.js';
import { type CliResult, ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n";
const ENV = "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n";

const FIRST = `import { column, op, t } from 'tsmig';
export const revision = 'aaaa0001';
export const downRevision = null;
export async function upgrade(): Promise<void> {
  await op.createTable('pets', { id: column(t.Integer(), { primaryKey: true }) });
}
export async function downgrade(): Promise<void> {
  await op.dropTable('pets');
}
`;

/** Three statements; the second runs for eight seconds on the server. */
const SECOND = `import { column, op, t } from 'tsmig';
export const revision = 'bbbb0001';
export const downRevision = 'aaaa0001';
export async function upgrade(): Promise<void> {
  await op.addColumn('pets', 'name', column(t.String(50)));
  await op.execute('DO SLEEP(8)');
  await op.addColumn('pets', 'age', column(t.Integer()));
}
export async function downgrade(): Promise<void> {
  await op.dropColumn('pets', 'age');
  await op.dropColumn('pets', 'name');
}
`;

const SLEEPING = "SELECT count(*) FROM information_schema.processlist WHERE info = 'DO SLEEP(8)'";

const mysql = findDialect('mysql');
(mysql === undefined ? describe.skip : describe)('mysql: kill -9 during a migration', function () {
  this.timeout(120_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[], onStart?: Parameters<typeof runTsmig>[1]['onStart']) =>
    runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url }, ...(onStart === undefined ? {} : { onStart }) });

  async function query(sql: string): Promise<unknown[][]> {
    const engine = createEngine(db.url);
    try {
      return await engine.connect(async (c) => (await c.execute(text(sql))).all() as unknown as unknown[][]);
    } finally {
      await engine.dispose();
    }
  }
  const columns = async () => (await query('SHOW COLUMNS FROM pets')).map((r) => r[0]);

  before(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(mysql!, 'mysql_kill');
    project.write('alembic.config.ts', CONFIG);
    project.write('migrations/env.ts', ENV);
    project.write('migrations/versions/aaaa0001.ts', FIRST);
    project.write('migrations/versions/bbbb0001.ts', SECOND);
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('a run started at once waits for the dead run’s statement, then names what to repair and the stamps', async () => {
    ok(await tsmig(['upgrade', 'aaaa0001']));
    let killedPid = 0;
    let second: Promise<CliResult> | null = null;
    let stillSleeping = -1;
    const first = await tsmig(['upgrade', 'head'], (child) => {
      void (async () => {
        // Once the server runs the slow statement: kill -9, and start the next run at once.
        while (Number((await query(SLEEPING))[0]![0]) === 0) await new Promise((r) => setTimeout(r, 50));
        killedPid = child.pid!;
        child.kill('SIGKILL');
        second = tsmig(['upgrade', 'head']);
      })();
    });
    expect(first.code).to.not.equal(0);
    while (second === null) await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const result: CliResult = await second;
    stillSleeping = Number((await query(SLEEPING))[0]![0]);
    // It waited for the dead connection's statement instead of starting beside it.
    expect(stillSleeping).to.equal(0);
    expect(Date.now() - started).to.be.greaterThan(1000);
    expect(result.code, result.stderr).to.equal(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).to.match(/^Waiting for the migration lock on .+, held by connection \d+ \(.*; running DO SLEEP\(8\)\) \(timeout \d+ s\)$/);
    const message = new RegExp(
      `^error: A previous run \\(tsmig pid ${killedPid} on ${hostname()} run [0-9a-f]{8}, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\) stopped during Upgrade aaaa0001 -> bbbb0001: ` +
        'its statement 1 \\(ALTER TABLE pets ADD COLUMN name VARCHAR\\(50\\)\\) was applied \\(DDL commits as it runs here\\), and statement 2 \\(DO SLEEP\\(8\\)\\) may have run or not\\. ' +
        "alembic_version still names aaaa0001\\. Compare the database with bbbb0001's upgrade\\(\\): finish it by hand and run `tsmig stamp bbbb0001`, " +
        'or undo what it did and run `tsmig stamp aaaa0001`; either clears the record \\(alembic_version_journal\\)\\.$',
    );
    expect(lines.at(-1)).to.match(message);
    expect(lines).to.have.length.lessThan(4);
    // Nothing ran twice: the first statement's column is there once, the third's not at all.
    expect(await columns()).to.deep.equal(['id', 'name']);

    // A later run says the same until the database is settled.
    const again = await tsmig(['upgrade', 'head']);
    expect(again.code).to.equal(1);
    expect(again.stderr.trimEnd().split('\n').at(-1)).to.match(message);

    // Finish it by hand, stamp, and go on.
    await query('ALTER TABLE pets ADD COLUMN age INTEGER');
    const stamped = ok(await tsmig(['stamp', 'bbbb0001']));
    expect(stamped.stderr).to.include('Cleared the record of the run that stopped during Upgrade aaaa0001 -> bbbb0001 (alembic_version_journal)');
    expect(ok(await tsmig(['current'])).stdout).to.equal('bbbb0001 (head)\n');
    expect(await query('SELECT count(*) FROM alembic_version_journal')).to.deep.equal([[0n]]);
    ok(await tsmig(['downgrade', 'base']));
    ok(await tsmig(['upgrade', 'head']));
    expect(await columns()).to.deep.equal(['id', 'name', 'age']);
  });

  it('a failure the run reports itself leaves no record behind', async () => {
    ok(await tsmig(['downgrade', 'base']));
    project.write(
      'migrations/versions/cccc0001.ts',
      `import { op } from 'tsmig';
export const revision = 'cccc0001';
export const downRevision = 'bbbb0001';
export async function upgrade(): Promise<void> {
  await op.execute("INSERT INTO pets (id, name, age) VALUES (1, 'Rex', 3)");
  await op.execute('ALTER TABLE no_such_table ADD COLUMN x INTEGER');
}
export async function downgrade(): Promise<void> {}
`,
    );
    const failed = await tsmig(['upgrade', 'head']);
    expect(failed.code).to.equal(1);
    expect(failed.stderr).to.include("Upgrade bbbb0001 -> cccc0001 failed: Table 'tsmig_");
    expect(await query('SELECT count(*) FROM alembic_version_journal')).to.deep.equal([[0n]]);
    expect(ok(await tsmig(['current'])).stdout).to.equal('bbbb0001\n');
  });
});
