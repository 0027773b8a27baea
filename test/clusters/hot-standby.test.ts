/**
 * A PostgreSQL hot standby (.ci/pg-standby.sh: a streaming replica of the test server): the commands
 * that only read (current, status, check, history -i) work on it as on the primary, and the ones that
 * write (upgrade, downgrade, stamp) stop with one line saying the server is a read-only replica, before
 * they lock or change anything.
 */
import { expect } from 'chai';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { describeWithServers, onDatabase } from '../helpers/clusters.js';
import { findDialect } from '../helpers/dialects.js';
import { runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const MODELS = `import { MetaData, Table, column, t } from 'tsmig';
export const metadata = new MetaData();
new Table('t_s1', metadata, { id: column(t.Integer(), { primaryKey: true }) });
new Table('t_s2', metadata, { id: column(t.Integer(), { primaryKey: true }) });
`;

function revisionFile(id: string, down: string | null): string {
  return `/**
 * table ${id}
 *
 * Revision ID: ${id}
 * Revises: ${down ?? ''}
 */
import { column, op, t } from 'tsmig';

export const revision = '${id}';
export const downRevision = ${down === null ? 'null' : `'${down}'`};

export async function upgrade(): Promise<void> {
  await op.createTable('t_${id}', { id: column(t.Integer(), { primaryKey: true }) });
}

export async function downgrade(): Promise<void> {
  await op.dropTable('t_${id}');
}
`;
}

/** Waits until the standby has replayed everything the primary had written when called. */
async function caughtUp(primaryUrl: string, standbyUrl: string): Promise<void> {
  const scalar = async (url: string, sql: string) => {
    const engine = createEngine(url);
    try {
      return await engine.connect(async (conn) => (await conn.execute(text(sql))).scalar());
    } finally {
      await engine.dispose();
    }
  };
  const target = String(await scalar(primaryUrl, 'SELECT pg_current_wal_lsn()'));
  for (;;) {
    if ((await scalar(standbyUrl, `SELECT pg_last_wal_replay_lsn() >= '${target}'::pg_lsn`)) === true) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithServers('standby', 'a PostgreSQL hot standby', function (servers) {
  this.timeout(120_000);
  const primary = findDialect('postgresql');
  if (primary === undefined) throw new Error('the standby suite needs TSMIG_TEST_POSTGRESQL_URL (the primary it replicates)');
  let project: TempProject;
  let db: ThrowawayDatabase;
  const standbyUrl = () => onDatabase(servers.urls[0]!, db.name);
  const tsmig = (url: string, args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: url } });

  before(async () => {
    db = await createThrowawayDatabase(primary, 'standby');
    project = createTempProject();
    project.write(
      'alembic.config.ts',
      "import { defineConfig } from 'tsmig';\nimport { metadata } from './models.js';\nexport default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });\n",
    );
    project.write('models.ts', MODELS);
    project.write('migrations/env.ts', "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n");
    project.write('migrations/versions/s1.ts', revisionFile('s1', null));
    project.write('migrations/versions/s2.ts', revisionFile('s2', 's1'));
    const up = await tsmig(db.url, ['upgrade', 'head']);
    expect(up.code, up.stderr).to.equal(0);
    await caughtUp(db.url, standbyUrl());
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('current, status, check and history -i read the replica', async () => {
    const current = await tsmig(standbyUrl(), ['current']);
    expect(current.stdout, current.stderr).to.equal('s2 (head)\n');
    const status = await tsmig(standbyUrl(), ['status']);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.match(/^Head: s2\nCurrent: s2/);
    const check = await tsmig(standbyUrl(), ['check']);
    expect(check.code, check.stderr).to.equal(0);
    expect(check.stdout).to.equal('No new upgrade operations detected.\n');
    const history = await tsmig(standbyUrl(), ['history', '-i']);
    expect(history.code, history.stderr).to.equal(0);
    expect(history.stdout).to.equal('s1 -> s2 (head) (current), table s2\n<base> -> s1, table s1\n');
  });

  for (const args of [['upgrade', 'head'], ['downgrade', 's1'], ['stamp', 's1']]) {
    it(`${args.join(' ')} stops with one line: the server is a read-only replica`, async () => {
      if (args[0] === 'upgrade') project.write('migrations/versions/s3.ts', revisionFile('s3', 's2'));
      const r = await tsmig(standbyUrl(), args);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.equal(
        `error: ${db.name} is a read-only replica, a PostgreSQL hot standby (pg_is_in_recovery() is true): run this command against the primary; current, status, check and history work on the replica.\n`,
      );
      // Still s2 (no longer the head once upgrade's test added s3).
      expect((await tsmig(standbyUrl(), ['current'])).stdout).to.match(/^s2( \(head\))?\n$/);
    });
  }
});
