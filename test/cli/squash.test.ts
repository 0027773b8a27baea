/**
 * `tsmig squash` through the real CLI on each dialect, with the movie revisions (a table rebuild, data
 * steps, an association table): the squashed range keeps the end's id, its data steps are listed, a
 * database upgraded through the old range and one upgraded through the new revision have the same
 * catalog, the database already at the end stays up to date, the new revision downgrades, the scratch
 * database is left at base, SQLite needs none; ranges with a branch point or a single revision are refused.
 */
import { expect } from 'chai';
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/engine.js';
import type { ReflectedSchema } from '../../src/schema/reflected.js';
import { forEachDialect, tsmigTables } from '../helpers/dialects.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/movie-revisions/', import.meta.url));
const R1 = '1975ea83b712';
const R2 = '2b1ae634e5cd';
const R3 = '3c4d5e6f7a8b';

async function reflect(url: string): Promise<ReflectedSchema> {
  const engine = createEngine(url);
  try {
    return await engine.reflectSchema();
  } finally {
    await engine.dispose();
  }
}

/**
 * The catalog to compare, without the names of the indexes the database made by itself: MySQL names the
 * index behind a foreign key after the constraint or the column depending on how the key was created.
 */
function catalog(schema: ReflectedSchema): unknown {
  return { ...schema, tables: schema.tables.map((t) => ({ ...t, indexes: t.indexes.map((ix) => (ix.implicit ? { ...ix, name: '(implicit)' } : ix)) })) };
}

forEachDialect('cli: tsmig squash', function (dialect) {
  this.timeout(300_000);
  let project: TempProject;
  let old: ThrowawayDatabase;
  let fresh: ThrowawayDatabase;
  let scratch: ThrowawayDatabase;
  const tsmig = (db: ThrowawayDatabase, args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url } });
  const versions = () => readdirSync(project.path('migrations/versions')).filter((f) => f.endsWith('.ts')).sort();

  before(async () => {
    project = createTempProject();
    old = await createThrowawayDatabase(dialect, 'squash_old');
    fresh = await createThrowawayDatabase(dialect, 'squash_new');
    scratch = await createThrowawayDatabase(dialect, 'squash_scratch');
    ok(await runTsmig(['init', 'migrations'], { cwd: project.dir }));
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'))) copyFileSync(path.join(FIXTURES, file), project.path(`migrations/versions/${file}`));
  });
  after(async () => {
    project.remove();
    for (const db of [old, fresh, scratch]) await db.drop();
  });

  it('squashes R2..R3 into one revision with R3 id, listing the data steps it leaves out', async () => {
    ok(await tsmig(old, ['upgrade', 'head']));
    const r = ok(await tsmig(old, ['squash', `${R1}:${R3}`, '--scratch-url', scratch.url, '-m', 'ratings and genres']));
    expect(r.stderr).to.match(new RegExp(`Squashed ${R2}, ${R3} into .*/${R3}_ratings_and_genres\\.ts\\n`));
    expect(r.stderr).to.include('warning: data steps of the old revisions are not in the new one (1); carry them over by hand:\n');
    expect(r.stderr).to.include(`  - ${R2}_rate_movies.ts:42: await op.execute('UPDATE movies SET rating = :rating WHERE id = :id', { rating: 8.5, id: 1 });\n`);
    expect(versions()).to.deep.equal([`${R1}_create_directors_and_movies.ts`, `${R3}_ratings_and_genres.ts`]);
    const source = project.read(`migrations/versions/${R3}_ratings_and_genres.ts`);
    expect(source).to.include(`export const downRevision: string | readonly string[] | null = '${R1}';`);
    expect(source).to.include('// Data steps of the squashed revisions, not carried over');
    expect((await reflect(scratch.url)).tables.map((t) => t.name)).to.deep.equal(tsmigTables(dialect.name));
  });

  it('a database upgraded through the squashed range has the catalog of one upgraded through the old range', async () => {
    ok(await tsmig(fresh, ['upgrade', 'head']));
    expect(catalog(await reflect(fresh.url))).to.deep.equal(catalog(await reflect(old.url)));
  });

  it('the database at the old end is up to date, and the new revision downgrades to its start', async () => {
    expect(ok(await tsmig(old, ['status'])).stdout).to.equal(`Head: ${R3}\nCurrent: ${R3}\nUp to date.\n`);
    ok(await tsmig(fresh, ['downgrade', R1]));
    expect((await reflect(fresh.url)).tables.map((t) => t.name).sort()).to.deep.equal([...tsmigTables(dialect.name), 'directors', 'movies']);
  });

  it('from base without --scratch-url: a temporary database on SQLite; the other dialects ask for one', async () => {
    const r = await tsmig(old, ['squash', `base:${R3}`]);
    if (dialect.name !== 'sqlite') {
      expect(r.code).to.equal(1);
      expect(r.stderr).to.equal('error: squash runs the revisions on an empty scratch database; give one of the same dialect with --scratch-url.\n');
      ok(await tsmig(old, ['squash', `base:${R3}`, '--scratch-url', scratch.url]));
    } else ok(r);
    expect(versions()).to.have.length(1);
    expect(project.read(versions()[0]!.replace(/^/, 'migrations/versions/'))).to.include('export const downRevision: string | readonly string[] | null = null;');
    expect(ok(await tsmig(old, ['status'])).stdout).to.equal(`Head: ${R3}\nCurrent: ${R3}\nUp to date.\n`);
  });

  it('refuses a range with a branch point, or of one revision', async () => {
    ok(await tsmig(old, ['revision', '-m', 'left', '--rev-id', 'aaaaaaaaaaa1']));
    ok(await tsmig(old, ['revision', '-m', 'right', '--head', R3, '--splice', '--rev-id', 'aaaaaaaaaaa2']));
    const branch = await tsmig(old, ['squash', 'base:aaaaaaaaaaa2', '--scratch-url', scratch.url]);
    expect(branch.code).to.equal(1);
    expect(branch.stderr).to.equal(`error: squash base:aaaaaaaaaaa2: ${R3} is a branch point; squash a linear range only.\n`);
    const single = await tsmig(old, ['squash', `${R3}:aaaaaaaaaaa1`, '--scratch-url', scratch.url]);
    expect(single.code).to.equal(1);
    expect(single.stderr).to.equal(`error: squash ${R3}:aaaaaaaaaaa1: the range holds 1 revision; squash two or more.\n`);
    expect(versions()).to.have.length(3);
  });
});
