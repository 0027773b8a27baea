/**
 * A three-node MariaDB Galera cluster (.ci/galera.sh): eight `tsmig upgrade head` processes started
 * together, spread over the three nodes, apply each revision exactly once, and every node ends at head
 * with the same tables. The lock is a leased row (GET_LOCK holds on one node only); a row whose lease ran
 * out is taken over, and a live one names its holder.
 */
import { expect } from 'chai';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { describeWithServers, onDatabase } from '../helpers/clusters.js';
import { runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const REVISIONS = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'];

/** Revision `id` creates table `t_<id>` and a row in it, after a pause that lets the runs overlap. */
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
  await op.execute("INSERT INTO t_${id} (id, note) VALUES (1, '${id}')");
}

export async function downgrade(): Promise<void> {
  await op.dropTable('t_${id}');
}
`;
}

describeWithServers('galera', 'migrations on a three-node cluster', function (servers) {
  this.timeout(180_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const nodeUrl = (node: number) => onDatabase(servers.urls[node]!, db.name);
  const tsmig = (node: number, args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: nodeUrl(node) } });
  /** Runs SQL on one node and returns the rows. */
  const query = async (node: number, sql: string): Promise<unknown[][]> => {
    const engine = createEngine(nodeUrl(node));
    try {
      return await engine.connect(async (conn) => {
        const rows = (await conn.execute(text(sql))).all() as unknown as unknown[][];
        await conn.commit();
        return rows;
      });
    } finally {
      await engine.dispose();
    }
  };

  beforeEach(async () => {
    db = await createThrowawayDatabase({ name: 'mysql', url: servers.urls[0]! }, 'galera');
    project = createTempProject();
    project.write('alembic.config.ts', "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n");
    project.write('migrations/env.ts', "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n");
    REVISIONS.forEach((id, i) => project.write(`migrations/versions/${id}.ts`, revisionFile(id, i === 0 ? null : REVISIONS[i - 1]!)));
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  it('eight concurrent upgrades over three nodes apply each revision once; every node ends at head with the same tables', async () => {
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => tsmig(i % 3, ['upgrade', 'head'])));
    for (const r of runs) expect(r.code, r.stderr).to.equal(0);
    const steps = runs.flatMap((r) => r.stderr.split('\n').filter((l) => l.startsWith('Running upgrade')));
    expect(steps.sort()).to.deep.equal(
      REVISIONS.map((id, i) => `Running upgrade ${i === 0 ? 'base' : REVISIONS[i - 1]} -> ${id}, table ${id}`).sort(),
    );
    expect(runs.map((r) => r.stderr).join('')).to.match(/Waiting for the migration lock on \S+, held by tsmig pid \d+ on \S+ run \w+ \(lease until /);
    const catalogs: string[] = [];
    for (const node of [0, 1, 2]) {
      expect((await tsmig(node, ['current'])).stdout).to.equal('g6 (head)\n');
      const rows = await query(
        node,
        `SELECT table_name, column_name, column_type FROM information_schema.columns WHERE table_schema = '${db.name}' ORDER BY table_name, ordinal_position`,
      );
      catalogs.push(JSON.stringify(rows));
      expect(await query(node, `SELECT note FROM t_g6`)).to.deep.equal([['g6']]);
      // Released: no lock row is left behind.
      expect(await query(node, 'SELECT COUNT(*) FROM alembic_version_lock')).to.deep.equal([[0n]]);
    }
    expect(catalogs[1]).to.equal(catalogs[0]);
    expect(catalogs[2]).to.equal(catalogs[0]);
    expect(catalogs[0]).to.include('"t_g1"').and.include('"alembic_version"');
  });

  it('takes over a lock row whose lease ran out, and waits for a live one, naming its holder', async () => {
    expect((await tsmig(0, ['upgrade', 'g1'])).code).to.equal(0);
    const key = `${db.name}:alembic_version`;
    await query(
      1,
      `INSERT INTO alembic_version_lock VALUES ('${key}', 'tsmig pid 4242 on gone-host run 0badc0de', UTC_TIMESTAMP(6) - INTERVAL 2 MINUTE, UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE)`,
    );
    const taken = await tsmig(2, ['upgrade', 'g2']);
    expect(taken.code, taken.stderr).to.equal(0);
    expect(taken.stderr).to.match(/^Took over the migration lock on \S+ from tsmig pid 4242 on gone-host run 0badc0de, whose lease ran out at \S+ \S+ UTC$/m);

    await query(0, `INSERT INTO alembic_version_lock VALUES ('${key}', 'tsmig pid 4343 on busy-host run 0c0ffee0', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 10 MINUTE)`);
    const waited = await tsmig(1, ['upgrade', 'head', '--lock-timeout', '1']);
    expect(waited.code).to.equal(1);
    expect(waited.stderr).to.match(/^error: Gave up after 1 s waiting for the migration lock on \S+, held by tsmig pid 4343 on busy-host run 0c0ffee0 \(lease until .* UTC\)\. /m);
    expect((await tsmig(2, ['current'])).stdout).to.equal('g2\n');
  });
});
