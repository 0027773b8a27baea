/**
 * Ctrl-C (SIGINT) during `tsmig upgrade` through the real CLI on each dialect: the server stops the
 * running statement too (PostgreSQL and MySQL cancel it from another connection; SQLite's runs in the
 * process and ends first), the run rolls back, prints where the version table stands and exits 130.
 */
import { expect } from 'chai';
import { createEngine } from '../../src/engine/engine.js';
import { inspect } from '../../src/inspect/inspector.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect, type TestDialectName } from '../helpers/dialects.js';
import { runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', transactionPerMigration: true });\n";
const ENV = "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n";

/** A statement that runs long enough to be interrupted (SQLite: a counting CTE, minutes of work). */
const SLOW: Record<TestDialectName, string> = {
  postgresql: 'SELECT pg_sleep(600)',
  mysql: 'SELECT SLEEP(600)',
  sqlite: 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000000) SELECT count(*) FROM n',
};

/** Whether the server still runs the slow statement (SQLite: nothing runs outside the process). */
const RUNNING: Record<TestDialectName, string | null> = {
  postgresql: "SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600)%' AND state = 'active'",
  mysql: "SELECT count(*) AS n FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(600)%'",
  sqlite: null,
};

function revision(id: string, down: string | null, body: string): string {
  return [
    "import { column, op, t } from 'tsmig';",
    '/**',
    ` * rev ${id}`,
    ' */',
    `export const revision = '${id}';`,
    `export const downRevision = ${down === null ? 'null' : `'${down}'`};`,
    `export async function upgrade(): Promise<void> {\n  ${body}\n}`,
    'export async function downgrade(): Promise<void> {}',
    '',
  ].join('\n');
}

forEachDialect('cli: Ctrl-C during a run', function (dialect) {
  this.timeout(180_000);
  let project: TempProject;
  let db: ThrowawayDatabase;

  before(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'interrupt');
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  async function query(sql: string): Promise<number> {
    const engine = createEngine(db.url);
    try {
      return Number(await engine.connect(async (c) => (await c.execute(text(sql))).scalar()));
    } finally {
      await engine.dispose();
    }
  }

  it('cancels the statement on the server, rolls back, says where the version table is, exits 130', async () => {
    project.write('alembic.config.ts', CONFIG);
    project.write('migrations/env.ts', ENV);
    project.write('migrations/versions/aaaa0001.ts', revision('aaaa0001', null, "await op.createTable('first', { id: column(t.Integer(), { primaryKey: true }) });"));
    project.write(
      'migrations/versions/bbbb0001.ts',
      revision('bbbb0001', 'aaaa0001', `await op.createTable('second', { id: column(t.Integer(), { primaryKey: true }) });\n  await op.execute(${JSON.stringify(SLOW[dialect.name])});\n  await op.createTable('third', { id: column(t.Integer(), { primaryKey: true }) });`),
    );
    const running = RUNNING[dialect.name];
    const result = await runTsmig(['upgrade', 'head'], {
      cwd: project.dir,
      env: { DATABASE_URL: db.url },
      onStart: (child) => {
        let sent = false;
        child.stderr!.on('data', (chunk: Buffer | string) => {
          if (sent || !String(chunk).includes('Running upgrade aaaa0001 -> bbbb0001')) return;
          sent = true;
          // Once the slow statement is on the server (SQLite: once the step began), Ctrl-C.
          void (async () => {
            if (running !== null) while ((await query(running)) === 0) await new Promise((r) => setTimeout(r, 100));
            child.kill('SIGINT');
          })();
        });
      },
    });
    expect(result.code, result.stderr).to.equal(130);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).to.equal(
      `error: Interrupted by SIGINT: the run stopped ${running === null ? 'after its running statement' : '(the server cancelled its statement)'} and rolled back, the lock released; alembic_version is at aaaa0001.`,
    );
    if (running !== null) expect(await query(running)).to.equal(0);
    const engine = createEngine(db.url);
    try {
      const tables = (await inspect(engine).getTableNames()).sort();
      expect(tables).to.include('first').and.not.include('third');
      // MySQL cannot roll back DDL: the step's first table stays, as after any failed MySQL migration.
      if (dialect.name === 'mysql') expect(tables).to.include('second');
      else expect(tables).not.to.include('second');
    } finally {
      await engine.dispose();
    }
    const current = await runTsmig(['current'], { cwd: project.dir, env: { DATABASE_URL: db.url } });
    expect(current.stdout).to.equal('aaaa0001\n');
  });
});
