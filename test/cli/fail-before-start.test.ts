/**
 * A run fails before it starts, never halfway: a revision of the plan that does not compile stops the
 * upgrade before its first step (the database is left as it was), and concurrent `tsmig revision` runs
 * never read each other's half-written files. Through the real CLI; the upgrade on each dialect.
 */
import { expect } from 'chai';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../src/engine/engine.js';
import { inspect } from '../../src/inspect/inspector.js';
import { forEachDialect } from '../helpers/dialects.js';
import { type CliResult, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n";
const ENV = "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n";

function revision(id: string, down: string | null, body = `await op.createTable('t_${id}', { id: column(t.Integer(), { primaryKey: true }) });`): string {
  return [
    "import { column, op, t } from 'tsmig';",
    '/**',
    ` * rev ${id}`,
    ' */',
    `export const revision = '${id}';`,
    `export const downRevision = ${down === null ? 'null' : `'${down}'`};`,
    `export async function upgrade(): Promise<void> {\n  ${body}\n}`,
    `export async function downgrade(): Promise<void> { await op.dropTable('t_${id}'); }`,
    '',
  ].join('\n');
}

function setUp(project: TempProject): void {
  project.write('alembic.config.ts', CONFIG);
  project.write('migrations/env.ts', ENV);
  copyFileSync(path.join(REPO_ROOT, 'templates', 'generic', 'script.ts.tmpl'), project.path('migrations/script.ts.tmpl'));
}

forEachDialect('cli: a plan that cannot start', function (dialect) {
  this.timeout(120_000);
  let project: TempProject;
  let db: ThrowawayDatabase;

  before(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'fail_before_start');
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('a revision with a syntax error stops upgrade head before the first step, naming the file and line', async () => {
    setUp(project);
    project.write('migrations/versions/aaaa0001.ts', revision('aaaa0001', null));
    project.write('migrations/versions/bbbb0001.ts', revision('bbbb0001', 'aaaa0001'));
    const broken = project.write('migrations/versions/cccc0001.ts', revision('cccc0001', 'bbbb0001', "await op.execute('SELECT 1'"));
    const r: CliResult = await runTsmig(['upgrade', 'head'], { cwd: project.dir, env: { DATABASE_URL: db.url } });
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).not.to.include('Running upgrade');
    expect(r.stderr).to.match(new RegExp(`^error: Revision file ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} failed to load: .*cccc0001\\.ts:9:1: Expected "\\)" but found "}"\\n$`));
    const engine = createEngine(db.url);
    try {
      expect(await inspect(engine).getTableNames()).to.deep.equal([]);
    } finally {
      await engine.dispose();
    }
  });
});

describe('cli: concurrent tsmig revision runs', function () {
  this.timeout(180_000);

  it('eight runs at once each write a whole file that the others can read', async () => {
    const project = createTempProject();
    try {
      setUp(project);
      project.write('migrations/versions/aaaa0001.ts', revision('aaaa0001', null));
      const runs = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          runTsmig(['revision', '-m', `branch ${i}`, '--head', 'aaaa0001', '--splice', '--rev-id', `b${i}b${i}0001`], { cwd: project.dir, env: {} }),
        ),
      );
      for (const r of runs) expect(r.code, r.stderr).to.equal(0);
      const heads = await runTsmig(['heads'], { cwd: project.dir, env: {} });
      expect(heads.stdout.trim().split('\n')).to.have.length(8);
    } finally {
      project.remove();
    }
  });
});
