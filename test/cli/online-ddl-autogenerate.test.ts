/**
 * `onlineDdl: true` in alembic.config.ts, through the real CLI on each dialect: `revision --autogenerate`
 * writes the online form of each change to a table that exists (PostgreSQL: indexes `concurrently`,
 * foreign keys and checks `notValid` then `op.validateConstraint()`; MySQL: `algorithm`/`lock`), the
 * plain form for a table the revision creates, and `upgrade head` runs the file: CREATE INDEX
 * CONCURRENTLY outside the run's transaction, MariaDB's INSTANT and INPLACE without copying the table.
 * The models and the database then agree (`check`), and the revision goes down again.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { forEachDialect } from '../helpers/dialects.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = `import { defineConfig } from 'tsmig';
import { metadata } from './models.js';

export default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata, onlineDdl: true });
`;

/** The models before (1) and after (2): the second adds a column, an index, a foreign key and a check to `onl_movies`, and a new table. */
function models(version: 1 | 2): string {
  const second = version === 2;
  return `import { CheckConstraint, ForeignKeyConstraint, MetaData, Table, column, index, t } from 'tsmig';

export const metadata = new MetaData();

export const directors = new Table('onl_directors', metadata, { id: column(t.Integer(), { primaryKey: true }) });

export const movies = new Table(
  'onl_movies',
  metadata,
  {
    id: column(t.Integer(), { primaryKey: true }),
    year: column(t.Integer()),
    director_id: column(t.Integer()),
${second ? '    rating: column(t.Integer()),\n' : ''}  },
  {
    constraints: (c) => [${
      second
        ? "index('ix_onl_movies_year', [c.year]), new ForeignKeyConstraint([c.director_id], ['onl_directors.id'], { name: 'fk_onl_movies_director' }), new CheckConstraint('year > 1800', { name: 'ck_onl_movies_year' })"
        : ''
    }],
  },
);
${second ? "\nexport const studios = new Table('onl_studios', metadata, { id: column(t.Integer(), { primaryKey: true }), name: column(t.String(40)) }, { constraints: (c) => [index('ix_onl_studios_name', [c.name])] });\n" : ''}`;
}

/** The awaited `op.` calls of a function of the revision file, one line each (calls over several lines joined). */
function calls(source: string, fn: 'upgrade' | 'downgrade'): string[] {
  const start = source.indexOf(`export async function ${fn}()`);
  const text = source.slice(start, source.indexOf('\n}\n', start));
  return text
    .replace(/\/\/.*$/gm, '')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/,? \)/g, ')')
    .split(/(?=await )/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('await'));
}

forEachDialect('cli: autogenerate with onlineDdl: true', function (dialect) {
  this.timeout(120_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url, CI: 'true' } });

  before(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'i18_online');
    ok(await runTsmig(['init', 'migrations'], { cwd: project.dir }));
    project.write('alembic.config.ts', CONFIG);
    project.write('models.ts', models(1));
  });
  after(async () => {
    project.remove();
    await db.drop();
  });

  it('writes the online form of each change to a table that exists, and upgrade head runs it', async () => {
    ok(await tsmig(['revision', '--autogenerate', '-m', 'tables', '--rev-id', 'onl1']));
    ok(await tsmig(['upgrade', 'head']));
    project.write('models.ts', models(2));
    const generated = ok(await tsmig(['revision', '--autogenerate', '-m', 'online', '--rev-id', 'onl2']));
    const file = /Generating (.+\.ts) \.\.\. done/.exec(generated.stderr)![1]!;
    const up = calls(readFileSync(file, 'utf8'), 'upgrade');
    // The new table and its index are nobody's yet: plain, on every dialect.
    expect(up.filter((l) => l.includes('onl_studios')).join(' ')).to.not.match(/concurrently|notValid|algorithm|lock:/);
    // The changes to onl_movies, in whichever calls the renderer groups them (batches a SQLite rebuild would need).
    const movies = up.filter((l) => l.includes("'onl_movies'")).join(' ');
    const expected = {
      postgresql: [
        "batch.createIndex('ix_onl_movies_year', ['year'], { concurrently: true })",
        "batch.addColumn('rating', column(t.Integer()))",
        "batch.createForeignKey('fk_onl_movies_director', 'onl_directors', ['director_id'], ['id'], { notValid: true })",
        "batch.createCheckConstraint('ck_onl_movies_year', 'year > 1800', { notValid: true })",
        "await op.validateConstraint('fk_onl_movies_director', 'onl_movies');",
        "await op.validateConstraint('ck_onl_movies_year', 'onl_movies');",
      ],
      mysql: [
        "batch.createIndex('ix_onl_movies_year', ['year'], { algorithm: 'INPLACE', lock: 'NONE' })",
        "batch.addColumn('rating', column(t.Integer()), { algorithm: 'INSTANT' })",
        "batch.createForeignKey('fk_onl_movies_director', 'onl_directors', ['director_id'], ['id']);",
        "batch.createCheckConstraint('ck_onl_movies_year', 'year > 1800');",
      ],
      // SQLite has no online forms: the plan as it is (the constraints come by a table rebuild).
      sqlite: null,
    }[dialect.name];
    if (expected === null) expect(movies).to.not.match(/concurrently|notValid|validateConstraint|algorithm/);
    else for (const call of expected) expect(movies).to.include(call);
    if (dialect.name === 'mysql') expect(movies).to.not.match(/notValid|validateConstraint|concurrently/);

    const upgraded = ok(await tsmig(['upgrade', 'head']));
    expect(upgraded.stderr).to.include('Running upgrade onl1 -> onl2, online');
    ok(await tsmig(['check']));
    expect((await tsmig(['current'])).stdout).to.equal('onl2 (head)\n');
    ok(await tsmig(['downgrade', '-1']));
    expect((await tsmig(['current'])).stdout).to.equal('onl1\n');
  });
});
