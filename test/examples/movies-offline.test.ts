/**
 * The repository's movies migrations offline: the scripts `upgrade --sql` and `downgrade --sql` write,
 * fed to the database's own client (sqlite3, psql, mysql) as a DBA would, leave the same schema, data and
 * version as the same commands run online. Two throw-away databases per dialect go through the same
 * steps side by side, with the films of examples/movies/movies.csv loaded into the first revision's
 * table, so the data steps (directors, and genre strings split into rows) have rows to carry.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEngine, text } from '../../src/index.js';
import { diffSchemas } from '../../src/migrate/stairway/schema-diff.js';
import { readCsv } from '../../examples/movies/csv.js';
import { forEachDialect, type TestDialect } from '../helpers/dialects.js';
import { applyWithClient } from '../helpers/native-client.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { REPO_ROOT } from '../helpers/temp-project.js';
import { type ThrowawayDatabase, createThrowawayDatabase } from '../helpers/throwaway-database.js';

const FIRST = '6ee29ad111e3';
/** The films of the CSV that are valid, as rows of the first revision's movies table. */
const FILMS = readCsv(readFileSync(path.join(REPO_ROOT, 'examples/movies/movies.csv'), 'utf8'))
  .map((row) => row.record)
  .filter((film) => !['Metropolis', 'Sunset Boulevard'].includes(film.title!))
  .map((film, i) => ({
    id: i + 1,
    title: film.title!,
    director: film.director!,
    release_date: film.release_date!,
    duration: Number(film.duration),
    genre: film.genre!,
    rating: Number(film.rating),
  }));

/** What the databases must agree on: every table's rows in key order (what the data steps touch) and the version. */
async function contents(url: string): Promise<Record<string, unknown[][]>> {
  const engine = createEngine(url);
  try {
    const schema = await engine.reflectSchema();
    const names = schema.tables.map((table) => table.name).filter((name) => !name.startsWith('alembic_version_'));
    return await engine.connect(async (conn) => {
      const result: Record<string, unknown[][]> = {};
      for (const name of names.sort()) {
        const table = schema.tables.find((t) => t.name === name)!;
        const columns = table.columns.map((c) => c.name).sort();
        const rows = await conn.execute(text(`SELECT ${columns.join(', ')} FROM ${name} ORDER BY ${columns.join(', ')}`));
        result[name] = rows.all().map((row) => [...row]);
      }
      return result;
    });
  } finally {
    await engine.dispose();
  }
}

async function schemaDiff(online: string, offline: string): Promise<string[]> {
  const [a, b] = [createEngine(online), createEngine(offline)];
  try {
    // MySQL's journal of statements that may have committed is kept by online runs only: a script has none.
    return diffSchemas(await a.reflectSchema(), await b.reflectSchema(), ['alembic_version_journal']);
  } finally {
    await Promise.all([a.dispose(), b.dispose()]);
  }
}

async function loadFilms(url: string): Promise<void> {
  const engine = createEngine(url);
  try {
    await engine.begin(async (conn) => {
      await conn.execute(
        text('INSERT INTO movies (id, title, director, release_date, duration, genre, rating) VALUES (:id, :title, :director, :release_date, :duration, :genre, :rating)'),
        FILMS,
      );
    });
  } finally {
    await engine.dispose();
  }
}

forEachDialect('examples: the movies migrations offline (--sql scripts through the native client)', function (dialect: TestDialect) {
  this.timeout(120_000);
  let online: ThrowawayDatabase;
  let offline: ThrowawayDatabase;
  const tsmig = (db: ThrowawayDatabase, ...args: string[]) => runTsmig(args, { cwd: REPO_ROOT, env: { DATABASE_URL: db.url, NO_COLOR: '1' } });
  /** Writes the script of `args` (which include --sql) for the offline database and applies it there. */
  const script = async (...args: string[]) => {
    const sql = ok(await tsmig(offline, ...args)).stdout;
    ok(await applyWithClient(dialect, offline.url, sql, REPO_ROOT));
    return sql;
  };
  const expectSame = async () => {
    expect(await schemaDiff(online.url, offline.url)).to.deep.equal([]);
    expect(await contents(offline.url)).to.deep.equal(await contents(online.url));
  };

  before(async () => {
    [online, offline] = await Promise.all([createThrowawayDatabase(dialect, 'movies_online'), createThrowawayDatabase(dialect, 'movies_offline')]);
  });
  after(() => Promise.all([online.drop(), offline.drop()]));

  it('upgrade head --sql builds the schema upgrade head builds', async () => {
    ok(await tsmig(online, 'upgrade', 'head'));
    await script('upgrade', 'head', '--sql');
    await expectSame();
  });

  it('downgrade --sql to the first revision, then upgrade --sql with films loaded, carry the same rows as online', async () => {
    ok(await tsmig(online, 'downgrade', FIRST));
    await script('downgrade', `head:${FIRST}`, '--sql');
    await expectSame();

    await Promise.all([loadFilms(online.url), loadFilms(offline.url)]);
    ok(await tsmig(online, 'upgrade', 'head'));
    const sql = await script('upgrade', `${FIRST}:head`, '--sql');
    expect(sql).to.include('INSERT INTO genres (name)\nWITH RECURSIVE words');
    await expectSame();
    const rows = await contents(offline.url);
    expect(rows.directors).to.have.length(36);
    expect(rows.genres).to.have.length(15);
    expect(rows.movies).to.have.length(FILMS.length);
  });

  it('downgrade --sql with films puts their directors and genres back into strings, as online', async () => {
    ok(await tsmig(online, 'downgrade', FIRST));
    await script('downgrade', `head:${FIRST}`, '--sql');
    await expectSame();
    const engine = createEngine(offline.url);
    try {
      const movies = await engine.connect(async (conn) => (await conn.execute(text('SELECT id, title, director, genre FROM movies ORDER BY id'))).all());
      expect(movies.map(([id, title, director, genre]) => [id, title, director, (genre as string).split(' ').sort()])).to.deep.equal(
        FILMS.map((film) => [film.id, film.title, film.director, film.genre.split(' ').sort()]),
      );
    } finally {
      await engine.dispose();
    }
  });
});
