/**
 * How autogenerate reads the models, through the real CLI on each dialect: several MetaData in
 * `targetMetadata` (Alembic's list) compared as one; a model naming the default schema explicitly
 * (`schema: 'public'` on PostgreSQL, the database's name on MySQL, `main` on SQLite) is the default
 * schema, so nothing is dropped and `check` passes; a model declaring the version table itself is left
 * alone.
 */
import { expect } from 'chai';
import { forEachDialect } from '../helpers/dialects.js';
import { ok, runTsmig, written } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = `import { defineConfig } from 'tsmig';
import { metadata as users } from './users.js';
import { metadata as billing } from './billing.js';

export default defineConfig({ scriptLocation: 'migrations', targetMetadata: [users, billing] });
`;

/** The users models; `schema` names the default schema explicitly when given. */
function usersModels(schema: string | null, withVersionTable = false): string {
  const option = schema === null ? '' : `, { schema: '${schema}' }`;
  return `import { column, MetaData, Table, t } from 'tsmig';
export const metadata = new MetaData();
export const users = new Table('users', metadata, {
  id: column(t.Integer(), { primaryKey: true }),
  email: column(t.String(120), { nullable: false, unique: true }),
}${option});
${withVersionTable ? "new Table('alembic_version', metadata, { version_num: column(t.String(32), { primaryKey: true }) });\n" : ''}`;
}

const BILLING = `import { column, MetaData, Table, t } from 'tsmig';
export const metadata = new MetaData();
export const invoices = new Table('invoices', metadata, {
  id: column(t.Integer(), { primaryKey: true }),
  total: column(t.Numeric(10, 2), { nullable: false, serverDefault: '0' }),
});
`;

forEachDialect('cli: autogenerate reads the models', function (dialect) {
  this.timeout(120_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url, CI: 'true' } });

  before(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'ag_models');
    ok(await tsmig(['init', 'migrations']));
    project.write('alembic.config.ts', CONFIG);
    project.write('users.ts', usersModels(null));
    project.write('billing.ts', BILLING);
  });

  after(async () => {
    project.remove();
    await db.drop();
  });

  it('several MetaData in targetMetadata are compared as one', async () => {
    const source = written(ok(await tsmig(['revision', '--autogenerate', '-m', 'users and billing'])));
    expect(source).to.include("await op.createTable('users'").and.include("await op.createTable('invoices'");
    ok(await tsmig(['upgrade', 'head']));
    ok(await tsmig(['check']));
  });

  it('a model naming the default schema explicitly is in the default schema: nothing to drop, check passes', async () => {
    const schema = dialect.name === 'postgresql' ? 'public' : dialect.name === 'mysql' ? db.name : 'main';
    project.write('users.ts', usersModels(schema));
    const result = ok(await tsmig(['check']));
    expect(result.stdout + result.stderr).not.to.match(/Removed table|dropTable/);
  });

  it('a model declaring the version table itself: the version table is not reported', async () => {
    project.write('users.ts', usersModels(null, true));
    ok(await tsmig(['check']));
    ok(await tsmig(['downgrade', 'base']));
  });
});
