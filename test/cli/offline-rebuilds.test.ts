/**
 * A generated revision that makes SQLite rebuild tables runs offline: autogenerate writes the changes to
 * each such table as one `op.batchAlterTable()` with the table before them as `copyFrom`, so
 * `upgrade --sql` and `downgrade --sql` need no database. The scripts, applied with sqlite3 to a database
 * holding rows, leave the schema and the rows the online upgrade and downgrade leave; the same files run
 * online on PostgreSQL and MariaDB/MySQL, where `check` is clean after the upgrade.
 */
import { expect } from 'chai';
import { createEngine } from '../../src/engine/engine.js';
import { readdirSync, readFileSync } from 'node:fs';
import { type TestDialect, dialects, findDialect, tsmigTables } from '../helpers/dialects.js';
import { applyWithClient } from '../helpers/native-client.js';
import { type CliResult, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = `import { defineConfig } from 'tsmig';
import { metadata } from './models.js';

export default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });
`;

/**
 * v2 changes a type, nullability and a default, adds a column with a foreign key and an index, a unique
 * constraint and a check, drops a column and a column a unique constraint holds: every one a rebuild on SQLite.
 */
function models(version: 1 | 2): string {
  const books =
    version === 1
      ? `{
  id: column(t.Integer(), { primaryKey: true }),
  title: column(t.String(100), { nullable: false, index: true }),
  isbn: column(t.String(20)),
  pages: column(t.Integer()),
  author_name: column(t.String(50)),
}`
      : `{
  id: column(t.Integer(), { primaryKey: true }),
  title: column(t.String(200), { nullable: false, index: true }),
  isbn: column(t.String(20), { nullable: false }),
  pages: column(t.Integer(), { nullable: false, serverDefault: '0' }),
  author_id: column(t.Integer(), { foreignKey: 'authors.id', index: true }),
}, {
  constraints: (c) => [new UniqueConstraint([c.isbn], { name: 'uq_books_isbn' }), new CheckConstraint('pages >= 0', { name: 'ck_books_pages' })],
}`;
  const code = version === 1 ? "\n  code: column(t.String(10), { unique: true })," : '';
  return `import { CheckConstraint, MetaData, Table, UniqueConstraint, column, t } from 'tsmig';

export const metadata = new MetaData();

new Table('authors', metadata, { id: column(t.Integer(), { primaryKey: true }), name: column(t.String(50), { nullable: false }) });
new Table('books', metadata, ${books});
new Table('tags', metadata, {
  id: column(t.Integer(), { primaryKey: true }),
  label: column(t.String(30)),${code}
});
`;
}

const ROWS = [
  "INSERT INTO authors (id, name) VALUES (1, 'Le Guin');",
  "INSERT INTO books (id, title, isbn, pages, author_name) VALUES (1, 'Earthsea', '978-0', 250, 'Le Guin');",
  "INSERT INTO tags (id, label, code) VALUES (1, 'fantasy', 'F');",
].join('\n');

const FIRST = 'aaaa00000001';
const SECOND = 'aaaa00000002';

function ok(result: CliResult, what = 'tsmig'): CliResult {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

const sqlite = findDialect('sqlite')!;

describe('cli: generated revisions that rebuild SQLite tables, offline and on every dialect', function () {
  this.timeout(180_000);
  let project: TempProject;
  let online: ThrowawayDatabase;
  let offline: ThrowawayDatabase;
  const tsmig = (args: readonly string[], url: string) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: url, CI: 'true' } });
  const sqlite3 = async (db: ThrowawayDatabase, script: string) => ok(await applyWithClient(sqlite, db.url, script, project.dir), 'sqlite3').stdout;
  /** The schema as sqlite3 prints it, and every row of the three tables. */
  const state = async (db: ThrowawayDatabase) =>
    sqlite3(db, '.schema\nSELECT * FROM authors;\nSELECT * FROM books;\nSELECT * FROM tags;');

  before(async () => {
    project = createTempProject();
    online = await createThrowawayDatabase(sqlite, 'rebuild_online');
    offline = await createThrowawayDatabase(sqlite, 'rebuild_offline');
    ok(await runTsmig(['init', 'migrations'], { cwd: project.dir }));
    project.write('alembic.config.ts', CONFIG);
    project.write('models.ts', models(1));
    ok(await tsmig(['revision', '--autogenerate', '-m', 'library', '--rev-id', FIRST], online.url));
    ok(await tsmig(['upgrade', 'head'], online.url));
    project.write('models.ts', models(2));
    ok(await tsmig(['revision', '--autogenerate', '-m', 'rework', '--rev-id', SECOND], online.url));
  });
  after(async () => {
    project.remove();
    await online.drop();
    await offline.drop();
  });

  it('writes the changes of each rebuilt table as one batch with copyFrom, and nothing else as a batch', () => {
    const source = (id: string) => readFileSync(project.path(`migrations/versions/${readdirSync(project.path('migrations/versions')).find((f) => f.startsWith(id))!}`), 'utf8');
    expect(source(FIRST)).not.to.include('batchAlterTable');
    const second = source(SECOND);
    expect(second.match(/await op\.batchAlterTable\(\n {4}'(\w+)'/g)?.map((m) => m.split("'")[1])).to.deep.equal(['books', 'tags', 'tags', 'books']);
    expect(second.match(/copyFrom: \{/g)).to.have.length(4);
    expect(second).not.to.match(/await op\.(alterColumn|addColumn|dropColumn|createForeignKey|dropConstraint)\(/);
  });

  it('upgrade --sql and downgrade --sql, applied with sqlite3, leave the schema and rows the online commands leave', async () => {
    await sqlite3(online, ROWS);
    ok(await tsmig(['upgrade', 'head'], online.url));
    await sqlite3(offline, ok(await tsmig(['upgrade', FIRST, '--sql'], offline.url)).stdout);
    await sqlite3(offline, ROWS);
    await sqlite3(offline, ok(await tsmig(['upgrade', `${FIRST}:head`, '--sql'], offline.url)).stdout);
    const upgraded = await state(online);
    expect(upgraded).to.include('CONSTRAINT uq_books_isbn UNIQUE (isbn)').and.include('1|Earthsea|978-0|250|');
    expect(await state(offline)).to.equal(upgraded);
    expect(ok(await tsmig(['check'], offline.url)).stdout).to.equal('No new upgrade operations detected.\n');

    ok(await tsmig(['downgrade', FIRST], online.url));
    await sqlite3(offline, ok(await tsmig(['downgrade', `${SECOND}:${FIRST}`, '--sql'], offline.url)).stdout);
    const downgraded = await state(online);
    expect(downgraded).to.include('author_name').and.include('code VARCHAR(10)');
    expect(await state(offline)).to.equal(downgraded);
  });

  for (const dialect of dialects.filter((d): d is TestDialect => d.name !== 'sqlite')) {
    it(`${dialect.name}: the same files upgrade with check clean, and downgrade to nothing`, async () => {
      const db = await createThrowawayDatabase(dialect, 'rebuild_elsewhere');
      try {
        ok(await tsmig(['upgrade', FIRST], db.url));
        ok(await applyWithClient(dialect, db.url, ROWS, project.dir), dialect.name);
        ok(await tsmig(['upgrade', 'head'], db.url));
        expect(ok(await tsmig(['check'], db.url)).stdout).to.equal('No new upgrade operations detected.\n');
        ok(await tsmig(['downgrade', 'base'], db.url));
        const engine = createEngine(db.url);
        try {
          expect((await engine.reflectSchema()).tables.map((t) => t.name)).to.have.members(tsmigTables(dialect.name));
        } finally {
          await engine.dispose();
        }
      } finally {
        await db.drop();
      }
    });
  }
});
