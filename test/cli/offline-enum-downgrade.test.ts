/**
 * PostgreSQL: `downgrade --sql` of a table with a named enum ends where the online downgrade ends,
 * through the real CLI and the script applied with psql. `op.dropTable(name)` (what autogenerate writes)
 * keeps the type in both modes, as Alembic's `op.drop_table` does; given the table's definition as
 * `existing`, both drop the type no other column uses.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { findDialect } from '../helpers/dialects.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n";
const ENV = "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n";

const revision = (downgrade: string) => `import { DropTableOp, column, op, t } from 'tsmig';
export const revision = 'aaaa0001';
export const downRevision = null;
export async function upgrade(): Promise<void> {
  await op.createTable('pets', { id: column(t.Integer(), { primaryKey: true }), mood: column(t.Enum(['sad', 'ok'], { name: 'mood' })) });
}
export async function downgrade(): Promise<void> {
  void DropTableOp;
  ${downgrade}
}
`;

const PLAIN = "await op.dropTable('pets');";
const WITH_DEFINITION = `await op.invoke(new DropTableOp({ tableName: 'pets', schema: null, existing: {
    name: 'pets', schema: null, comment: null, constraints: [], indexes: [],
    columns: [{ name: 'id', type: t.Integer(), nullable: false }, { name: 'mood', type: t.Enum(['sad', 'ok'], { name: 'mood' }), nullable: true }],
  } }));`;

const postgresql = findDialect('postgresql');
(postgresql === undefined ? describe.skip : describe)('postgresql: downgrade --sql of a table with a named enum', function () {
  this.timeout(120_000);
  let project: TempProject;
  let online: ThrowawayDatabase;
  let offline: ThrowawayDatabase;
  const tsmig = (args: readonly string[], url: string) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: url } });

  async function enums(url: string): Promise<unknown[]> {
    const engine = createEngine(url);
    try {
      return await engine.connect(async (c) => (await c.execute(text("SELECT typname FROM pg_type WHERE typtype = 'e' ORDER BY typname"))).scalars().all());
    } finally {
      await engine.dispose();
    }
  }

  beforeEach(async () => {
    project = createTempProject();
    online = await createThrowawayDatabase(postgresql!, 'enum_online');
    offline = await createThrowawayDatabase(postgresql!, 'enum_offline');
    project.write('alembic.config.ts', CONFIG);
    project.write('migrations/env.ts', ENV);
  });
  afterEach(async () => {
    project.remove();
    await online.drop();
    await offline.drop();
  });

  for (const [title, downgrade, left] of [
    ['op.dropTable(name) keeps the type in both modes', PLAIN, ['mood']],
    ['with the definition as existing, both drop it', WITH_DEFINITION, []],
  ] as const) {
    it(title, async () => {
      project.write('migrations/versions/aaaa0001.ts', revision(downgrade));
      for (const db of [online, offline]) {
        ok(await tsmig(['upgrade', 'head'], db.url));
        expect(await enums(db.url)).to.deep.equal(['mood']);
      }
      ok(await tsmig(['downgrade', 'base'], online.url));
      const script = ok(await tsmig(['downgrade', '--sql', 'aaaa0001:base'], offline.url)).stdout;
      execFileSync('psql', [offline.url, '-q', '-v', 'ON_ERROR_STOP=1'], { input: script, stdio: ['pipe', 'ignore', 'pipe'] });
      expect(await enums(online.url)).to.deep.equal(left);
      expect(await enums(offline.url)).to.deep.equal(left);
      expect(ok(await tsmig(['current'], offline.url)).stdout).to.equal('');
    });
  }
});
