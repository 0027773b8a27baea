/**
 * Two `tsmig upgrade head` processes started together on one database, and a migration that fails, through
 * the real CLI on each dialect: every revision is applied once and both processes succeed; a failure
 * leaves nothing of the failed migration where DDL is transactional, and on MySQL the error names the
 * failed migration and the version table names the last good one.
 */
import { expect } from 'chai';
import { createEngine } from '../../src/engine/engine.js';
import { inspect } from '../../src/inspect/inspector.js';
import { forEachDialect, tsmigTables } from '../helpers/dialects.js';
import { runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

/** A revision file creating table `t_<id>`, after `delayMs` (so that two runs overlap), then `extra` statements. */
function revisionFile(id: string, down: string | null, options: { delayMs?: number; extra?: string } = {}): string {
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
  await new Promise((resolve) => setTimeout(resolve, ${options.delayMs ?? 0}));
  await op.createTable('t_${id}', { id: column(t.Integer(), { primaryKey: true }) });
  ${options.extra ?? ''}
}

export async function downgrade(): Promise<void> {
  await op.dropTable('t_${id}');
}
`;
}

const ENV = `import type { Environment } from 'tsmig';
export default async function env(ctx: Environment): Promise<void> {
  await ctx.runMigrations();
}
`;

forEachDialect('cli: concurrent upgrades and failing migrations', function (dialect) {
  this.timeout(60_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[], env: Record<string, string> = {}) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url, ...env } });

  beforeEach(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'cli_concurrency');
    project.write(
      'alembic.config.ts',
      "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', transactionPerMigration: process.env['PER_MIGRATION'] === '1' });\n",
    );
    project.write('migrations/env.ts', ENV);
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  it('two processes upgrading at once apply each revision once, and both succeed', async () => {
    const ids = ['c1', 'c2', 'c3', 'c4'];
    ids.forEach((id, i) => project.write(`migrations/versions/${id}.ts`, revisionFile(id, i === 0 ? null : ids[i - 1]!, { delayMs: 300 })));
    const [a, b] = await Promise.all([tsmig(['upgrade', 'head']), tsmig(['upgrade', 'head'])]);
    expect(a.code, a.stderr).to.equal(0);
    expect(b.code, b.stderr).to.equal(0);
    const steps = [...a.stderr.split('\n'), ...b.stderr.split('\n')].filter((l) => l.startsWith('Running upgrade'));
    expect(steps.sort()).to.deep.equal(['Running upgrade base -> c1, table c1', 'Running upgrade c1 -> c2, table c2', 'Running upgrade c2 -> c3, table c3', 'Running upgrade c3 -> c4, table c4']);
    expect(a.stderr + b.stderr).to.match(/Waiting for the migration lock on \S+alembic_version, held by /);
    expect((await tsmig(['current'])).stdout).to.equal('c4 (head)\n');
  });

  for (const perMigration of [false, true]) {
    const mode = perMigration ? 'one transaction per migration' : 'one transaction for the run (the default)';
    it(`a failing migration, ${mode}: nothing of it remains where DDL is transactional; MySQL names it and the last good one`, async () => {
      project.write('migrations/versions/f1.ts', revisionFile('f1', null));
      project.write('migrations/versions/f2.ts', revisionFile('f2', 'f1', { extra: "await op.execute('INSERT INTO no_such_table VALUES (1)');" }));
      project.write('migrations/versions/f3.ts', revisionFile('f3', 'f2'));
      const env = { PER_MIGRATION: perMigration ? '1' : '0' };
      const r = await tsmig(['upgrade', 'head'], env);
      expect(r.code).to.equal(1);
      expect(r.stderr.split('\n')[0]).to.equal('Running upgrade base -> f1, table f1');
      const error = r.stderr.split('\n').find((l) => l.startsWith('error: '))!;
      expect(error).to.match(/^error: Upgrade f1 -> f2 \(table f2\) failed/).and.include('INSERT INTO no_such_table');
      const engine = createEngine(db.url);
      const tables = (await inspect(engine).getTableNames()).sort();
      await engine.dispose();
      if (dialect.name === 'mysql') {
        // MySQL commits each DDL statement, so f1 and the version row naming it are in whatever the mode.
        expect(error).to.match(/[Tt]he version table names f1\./);
        expect((await tsmig(['current'], env)).stdout).to.equal('f1\n');
        expect(error).to.include('mysql commits DDL as it runs, the statements of f2 before the failing one stay applied (the last: CREATE TABLE t_f2');
        expect(tables).to.deep.equal([...tsmigTables('mysql'), 't_f1', 't_f2']);
      } else if (perMigration) {
        expect(error).to.include('failed and was rolled back').and.match(/[Tt]he version table names f1\./);
        expect((await tsmig(['current'], env)).stdout).to.equal('f1\n');
        expect(tables).to.deep.equal(['alembic_version', 'alembic_version_history', 't_f1']);
      } else {
        expect(error).to.include('failed and the whole run was rolled back').and.include('Nothing of this run remains');
        expect((await tsmig(['current'], env)).stdout).to.equal('');
        expect(tables.filter((t) => t !== 'alembic_version')).to.deep.equal([]);
      }
    });
  }
});
