/**
 * PgBouncer in transaction pooling mode (.ci/pgbouncer.sh, four server connections per database): with
 * `?pgbouncer=true` in the URL, concurrent `tsmig upgrade head` runs apply each revision once (the lock is
 * taken per transaction, as a session outlives none there), in one transaction or one per migration, and
 * the ORM suites' core scenarios pass through the pooler (no statement is prepared under a name, which
 * another server connection would not know). `--all` reaches a database per tenant through the pooler;
 * a schema per tenant is refused, since no search_path outlives a transaction there.
 */
import { expect } from 'chai';
import { parseDatabaseUrl } from '../../src/engine/url.js';
import { describeWithServers, onDatabase } from '../helpers/clusters.js';
import { findDialect } from '../helpers/dialects.js';
import { runCommand, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const REVISIONS = ['b1', 'b2', 'b3', 'b4', 'b5'];

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
  await new Promise((resolve) => setTimeout(resolve, 150));
  await op.createTable('t_${id}', { id: column(t.Integer(), { primaryKey: true }), note: column(t.String(20)) });
  await op.createIndex('ix_t_${id}_note', 't_${id}', ['note']);
}

export async function downgrade(): Promise<void> {
  await op.dropTable('t_${id}');
}
`;
}

/** The ORM suites run through the pooler, by their `postgresql: ` titles. */
const ORM_SUITES = ['test/integration/seed000-orm.test.ts', 'test/integration/orm-session.test.ts', 'test/integration/orm-unit-of-work.test.ts'];

describeWithServers('pgbouncer', 'transaction pooling', function (servers) {
  this.timeout(180_000);
  const primary = findDialect('postgresql');
  if (primary === undefined) throw new Error('the pgbouncer suite needs TSMIG_TEST_POSTGRESQL_URL (the server PgBouncer pools)');

  describe('concurrent upgrades', () => {
    let project: TempProject;
    let db: ThrowawayDatabase;
    const tsmig = (args: readonly string[], env: Record<string, string> = {}) =>
      runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: onDatabase(servers.urls[0]!, db.name, { pgbouncer: 'true' }), ...env } });

    beforeEach(async () => {
      db = await createThrowawayDatabase(primary, 'pgbouncer');
      project = createTempProject();
      project.write(
        'alembic.config.ts',
        "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', transactionPerMigration: process.env['PER_MIGRATION'] === '1' });\n",
      );
      project.write('migrations/env.ts', "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n");
      REVISIONS.forEach((id, i) => project.write(`migrations/versions/${id}.ts`, revisionFile(id, i === 0 ? null : REVISIONS[i - 1]!)));
    });
    afterEach(async () => {
      project.remove();
      await db.drop();
    });

    for (const perMigration of [false, true]) {
      it(`four runs at once apply each revision once (${perMigration ? 'one transaction per migration' : 'one transaction for the run'})`, async () => {
        const env = { PER_MIGRATION: perMigration ? '1' : '0' };
        const runs = await Promise.all([1, 2, 3, 4].map(() => tsmig(['upgrade', 'head'], env)));
        for (const r of runs) expect(r.code, r.stderr).to.equal(0);
        const steps = runs.flatMap((r) => r.stderr.split('\n').filter((l) => l.startsWith('Running upgrade')));
        expect(steps.sort()).to.deep.equal(REVISIONS.map((id, i) => `Running upgrade ${i === 0 ? 'base' : REVISIONS[i - 1]} -> ${id}, table ${id}`).sort());
        expect(runs.map((r) => r.stderr).join('')).to.match(/Waiting for the migration lock on \S+alembic_version, held by PostgreSQL backend \d+/);
        expect((await tsmig(['current'], env)).stdout).to.equal('b5 (head)\n');
        const check = await tsmig(['status'], env);
        expect(check.code, check.stderr).to.equal(0);
      });
    }
  });

  describe('--all through the pooler', () => {
    let project: TempProject;
    let db: ThrowawayDatabase;

    beforeEach(async () => {
      db = await createThrowawayDatabase(primary, 'pgbouncer_all');
      project = createTempProject();
      project.write('migrations/env.ts', "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n");
      REVISIONS.forEach((id, i) => project.write(`migrations/versions/${id}.ts`, revisionFile(id, i === 0 ? null : REVISIONS[i - 1]!)));
    });
    afterEach(async () => {
      project.remove();
      await db.drop();
    });

    it('a database per tenant works; a schema per tenant is refused in one line before any tenant runs (no search_path outlives a transaction there)', async () => {
      const pooled = onDatabase(servers.urls[0]!, db.name, { pgbouncer: 'true' });
      const config = (targets: string) => `import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', targets: ${targets} });\n`;
      project.write('alembic.config.ts', config(JSON.stringify([{ name: 'one', url: pooled }])));
      const ok = await runTsmig(['upgrade', 'head', '--all'], { cwd: project.dir });
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout).to.match(/^ok {7}one {2}base -> b5 \(5 migrations\)/);

      project.write('alembic.config.ts', config(`{ url: ${JSON.stringify(pooled)}, schemas: ['t1', 't2'] }`));
      const refused = await runTsmig(['upgrade', 'head', '--all'], { cwd: project.dir });
      expect(refused.code).to.equal(1);
      expect(refused.stdout).to.equal('');
      expect(refused.stderr).to.match(/^error: Target schema "t1" in \S+alembic\.config\.ts: a schema per tenant cannot go through PgBouncer's transaction pooling \(\?pgbouncer=true\), which keeps no search_path from one transaction to the next; point targets\.url at the server itself, or give each tenant a database of its own\.\n$/);
    });
  });

  it("the ORM suites' core scenarios pass through the pooler", async () => {
    const database = parseDatabaseUrl(primary.url).database!;
    const r = await runCommand(process.execPath, [`${REPO_ROOT}node_modules/mocha/bin/mocha.js`, '--grep', '^postgresql: ', ...ORM_SUITES], {
      cwd: REPO_ROOT,
      env: {
        TSMIG_TEST_POSTGRESQL_URL: onDatabase(servers.urls[0]!, database, { pgbouncer: 'true' }),
        TSMIG_TEST_MYSQL_URL: undefined,
        TSMIG_TEST_ALL_DIALECTS: undefined,
      },
    });
    expect(r.code, r.stdout.slice(-4000)).to.equal(0);
    expect(r.stdout).to.match(/\b[1-9]\d+ passing\b/).and.not.match(/failing/);
  });
});
