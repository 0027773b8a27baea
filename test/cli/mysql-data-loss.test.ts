/**
 * MySQL and MariaDB under a sql_mode that is not strict (env.ts sets `sql_mode = ''` over tsmig's
 * TRADITIONAL): the server truncates a value instead of refusing it and only raises a warning. Through
 * the real CLI: a migration whose statement changed data fails (its DML rolled back), and with
 * `dataLossWarnings: 'warn'` it goes on with a warning line.
 */
import { expect } from 'chai';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { findDialect } from '../helpers/dialects.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const config = (extra: string) => `import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations'${extra} });\n`;

/** env.ts as a project that wants the server's lenient mode would write it. */
const ENV = `import { text, type Environment } from 'tsmig';
export default async function env(ctx: Environment): Promise<void> {
  await ctx.withConnection(async (connection) => {
    await connection.execute(text("SET SESSION sql_mode = ''"));
    await ctx.runMigrations({ connection });
  });
}
`;

const FIRST = `import { column, op, t } from 'tsmig';
export const revision = 'aaaa0001';
export const downRevision = null;
export async function upgrade(): Promise<void> {
  await op.createTable('pets', { id: column(t.Integer(), { primaryKey: true }), name: column(t.String(20)) });
  await op.execute("INSERT INTO pets (id, name) VALUES (1, 'Bartholomew')");
}
export async function downgrade(): Promise<void> {
  await op.dropTable('pets');
}
`;

/** A row too long for its column, then a VARCHAR shortened below the data. */
const INSERT_TOO_LONG = `import { op } from 'tsmig';
export const revision = 'bbbb0001';
export const downRevision = 'aaaa0001';
export async function upgrade(): Promise<void> {
  await op.execute("INSERT INTO pets (id, name) VALUES (2, 'Maximilian the Magnificent')");
}
export async function downgrade(): Promise<void> {
  await op.execute('DELETE FROM pets WHERE id = 2');
}
`;

const SHORTEN = `import { op, t } from 'tsmig';
export const revision = 'bbbb0001';
export const downRevision = 'aaaa0001';
export async function upgrade(): Promise<void> {
  await op.alterColumn('pets', 'name', { type: t.String(5), existingNullable: true });
}
export async function downgrade(): Promise<void> {
  await op.alterColumn('pets', 'name', { type: t.String(20), existingNullable: true });
}
`;

const mysql = findDialect('mysql');
(mysql === undefined ? describe.skip : describe)('mysql: data-loss warnings under a sql_mode that is not strict', function () {
  this.timeout(120_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url } });

  async function names(): Promise<unknown[]> {
    const engine = createEngine(db.url);
    try {
      return await engine.connect(async (c) => (await c.execute(text('SELECT name FROM pets ORDER BY id'))).scalars().all());
    } finally {
      await engine.dispose();
    }
  }

  beforeEach(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(mysql!, 'mysql_data_loss');
    project.write('alembic.config.ts', config(''));
    project.write('migrations/env.ts', ENV);
    project.write('migrations/versions/aaaa0001.ts', FIRST);
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  it('a row cut short by INSERT fails the migration, and the row is rolled back', async () => {
    // On its own run: in one with DDL before it, MySQL would have autocommitted the INSERT.
    ok(await tsmig(['upgrade', 'head']));
    project.write('migrations/versions/bbbb0001.ts', INSERT_TOO_LONG);
    const result = await tsmig(['upgrade', 'head']);
    expect(result.code).to.equal(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).to.match(
      /^error: Upgrade aaaa0001 -> bbbb0001 failed: INSERT INTO pets \(id, name\) VALUES \(2, 'Maximilian the Magnificent'\) changed data instead of failing \(the session's sql_mode is not strict\): Data truncated for column 'name' at row 1\. Fix the data or the migration, or set dataLossWarnings: 'warn' in the config to go on with a warning\./,
    );
    expect(await names()).to.deep.equal(['Bartholomew']);
    expect(ok(await tsmig(['current'])).stdout).to.equal('aaaa0001\n');
  });

  it('a VARCHAR shortened below its data fails the migration by default', async () => {
    project.write('migrations/versions/bbbb0001.ts', SHORTEN);
    const result = await tsmig(['upgrade', 'head']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(
      "failed: ALTER TABLE pets MODIFY name VARCHAR(5) NULL changed data instead of failing (the session's sql_mode is not strict): Data truncated for column 'name' at row 1.",
    );
    expect(ok(await tsmig(['current'])).stdout).to.equal('aaaa0001\n');
  });

  it("with dataLossWarnings: 'warn' the run goes on and prints what changed", async () => {
    project.write('alembic.config.ts', config(", dataLossWarnings: 'warn'"));
    project.write('migrations/versions/bbbb0001.ts', SHORTEN);
    const result = ok(await tsmig(['upgrade', 'head']));
    expect(result.stderr).to.include(
      "warning: ALTER TABLE pets MODIFY name VARCHAR(5) NULL changed data (the session's sql_mode is not strict): Data truncated for column 'name' at row 1; going on (dataLossWarnings: 'warn').",
    );
    expect(await names()).to.deep.equal(['Barth']);
    expect(ok(await tsmig(['current'])).stdout).to.equal('bbbb0001 (head)\n');
  });

  it('a config value other than error or warn is refused in one line', async () => {
    project.write('alembic.config.ts', config(", dataLossWarnings: 'ignore' as never"));
    const result = await tsmig(['current']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(`error: dataLossWarnings in ${project.path('alembic.config.ts')} must be 'error' or 'warn', got "ignore".\n`);
  });
});
