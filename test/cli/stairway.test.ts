/**
 * `tsmig test` (the stairway test) through the real CLI on each dialect: a good chain of revisions passes
 * on a scratch database next to the configured one; a chain whose last downgrade forgets part of its
 * upgrade fails naming that revision and what it left behind; the scratch database is gone either way.
 */
import { expect } from 'chai';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect, type TestDialect } from '../helpers/dialects.js';
import { type CliResult, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/movie-revisions/', import.meta.url));
const R3 = '3c4d5e6f7a8b';
const R4 = '4d5e6f7a8b9c';

/** Adds a column and a table; its downgrade drops the table only. */
const FORGETFUL = `/**
 * budgets and awards
 *
 * Revision ID: ${R4}
 * Revises: ${R3}
 * Create Date: 2024-05-04 12:00:00.000000
 */
import { column, op, t } from 'tsmig';

export const revision = '${R4}';
export const downRevision: string | null = '${R3}';

export async function upgrade(): Promise<void> {
  await op.addColumn('movies', 'budget', column(t.Integer()));
  await op.createTable('awards', { id: column(t.Integer(), { primaryKey: true }), name: column(t.String(50)) });
}

export async function downgrade(): Promise<void> {
  await op.dropTable('awards');
}
`;

/** The scratch databases `tsmig test` may have left on the server (none on SQLite, where they are files). */
async function scratchDatabases(dialect: TestDialect): Promise<string[]> {
  if (dialect.name === 'sqlite') return [];
  const engine = createEngine(dialect.url);
  try {
    const sql =
      dialect.name === 'postgresql'
        ? "SELECT datname AS name FROM pg_database WHERE datname LIKE 'tsmig\\_test\\_%'"
        : "SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE 'tsmig\\_test\\_%'";
    return await engine.connect(async (conn) => (await conn.execute(text(sql))).all().map((row) => String((row as unknown as { name: unknown }).name)));
  } finally {
    await engine.dispose();
  }
}

forEachDialect('cli: test (the stairway test)', function (dialect) {
  this.timeout(180_000);
  let project: TempProject;
  let existing: string[];
  const tsmig = (args: readonly string[]): Promise<CliResult> => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: dialect.url } });

  before(async () => {
    project = createTempProject();
    const init = await runTsmig(['init', 'migrations'], { cwd: project.dir });
    expect(init.code, init.stderr).to.equal(0);
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'))) copyFileSync(path.join(FIXTURES, file), project.path(`migrations/versions/${file}`));
    existing = await scratchDatabases(dialect);
  });
  after(() => project.remove());

  it('passes a chain whose every downgrade restores the schema, and drops its scratch database', async () => {
    const r = await tsmig(['test']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include('Running downgrade 2b1ae634e5cd -> 1975ea83b712, rate movies');
    expect(r.stderr).to.include('Stairway test passed: 3 revisions upgraded, downgraded and upgraded again with the schema restored.');
    expect(r.stdout).to.equal('');
    expect(await scratchDatabases(dialect)).to.deep.equal(existing);
  });

  it('names the first revision whose downgrade leaves the schema changed, with the difference, and exits 1', async () => {
    project.write(`migrations/versions/${R4}_budgets.ts`, FORGETFUL);
    const r = await tsmig(['test']);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stdout.trim().split('\n')).to.have.length(1);
    expect(r.stdout).to.match(/^- movies: column budget was not there before \(.*NULL\)\n$/);
    expect(r.stderr).to.include(`error: The downgrade of ${R4} does not restore the schema its upgrade started from (1 difference above); fix its downgrade().`);
    expect(await scratchDatabases(dialect)).to.deep.equal(existing);

    const json = await tsmig(['test', '--json']);
    expect(json.code).to.equal(1);
    const result = JSON.parse(json.stdout) as { passed: string[]; failure: { revision: string; kind: string } };
    expect(result.passed).to.have.length(3);
    expect(result.failure).to.include({ revision: R4, kind: 'downgrade' });
  });

  it('tests a range only, starting from the revision below it', async () => {
    const r = await tsmig(['test', `${R3}:${R3}`]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include('Stairway test passed: 1 revision upgraded');
  });

  it('at the head, compares the schema with the models and names what differs', async () => {
    rmSync(project.path(`migrations/versions/${R4}_budgets.ts`), { force: true });
    project.write(
      'alembic.config.ts',
      `import { MetaData, Table, column, defineConfig, t } from 'tsmig';
const metadata = new MetaData();
new Table('extra', metadata, { id: column(t.Integer(), { primaryKey: true }) });
export default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });
`,
    );
    const r = await tsmig(['test']);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stdout).to.include("- Added table 'extra'");
    expect(r.stderr).to.match(new RegExp(`error: At the head \\(${R3}\\) the models and the schema differ \\(\\d+ listed above\\)`));
    expect(await scratchDatabases(dialect)).to.deep.equal(existing);
  });
});
