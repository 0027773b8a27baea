/**
 * The repository as a tsmig project, driven as a user drives it: real `bin/tsmig` and `tsx` processes
 * in the repository root, with DATABASE_URL pointing at a throw-away database per dialect (so the
 * repository's own movies.db is never touched). It runs the main job (upgrade head, import, queries),
 * then the "done when" of the movies issue: history shows the three revisions, check exits 0, a
 * downgrade to the first revision carries every film, director and genre back into the strings of the
 * v1 table and an upgrade brings the same rows (ids included) back, and downgrade base leaves only the
 * version table, after which upgrade head and the import rebuild the same database.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEngine, text } from '../../src/index.js';
import { readCsv } from '../../examples/movies/csv.js';
import { forEachDialect, tsmigTables } from '../helpers/dialects.js';
import { ok, runCommand, runTsmig } from '../helpers/run-cli.js';
import { REPO_ROOT } from '../helpers/temp-project.js';
import { type ThrowawayDatabase, createThrowawayDatabase } from '../helpers/throwaway-database.js';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const REVISIONS = ['6ee29ad111e3', '17b07b35716f', '501d663d5106'] as const;
const EXPECTED_QUERIES = readFileSync(new URL('./movies-queries.expected.txt', import.meta.url), 'utf8');
/** The films of the CSV that import (every row but the two bad ones). */
const FILMS = readCsv(readFileSync(path.join(REPO_ROOT, 'examples/movies/movies.csv'), 'utf8'))
  .map((row) => row.record)
  .filter((film) => !['Metropolis', 'Sunset Boulevard'].includes(film.title!));

/** Every row of the four tables, in key order: what "the data is intact" compares. */
async function snapshot(url: string): Promise<Record<string, unknown[][]>> {
  const engine = createEngine(url);
  try {
    return await engine.connect(async (conn) => {
      const rows = async (sql: string) => (await conn.execute(text(sql))).all().map((row) => [...row]);
      return {
        directors: await rows('SELECT id, name FROM directors ORDER BY id'),
        genres: await rows('SELECT id, name FROM genres ORDER BY id'),
        movies: await rows('SELECT id, title, director_id, release_date, duration, rating FROM movies ORDER BY id'),
        moviesGenres: await rows('SELECT movie_id, genre_id FROM movies_genres ORDER BY movie_id, genre_id'),
      };
    });
  } finally {
    await engine.dispose();
  }
}

async function v1Movies(url: string): Promise<{ title: string; director: string; genres: string[] }[]> {
  const engine = createEngine(url);
  try {
    return await engine.connect(async (conn) =>
      (await conn.execute(text('SELECT title, director, genre FROM movies ORDER BY id'))).all().map(([title, director, genre]) => ({
        title: title as string,
        director: director as string,
        genres: (genre as string).split(' ').sort(),
      })),
    );
  } finally {
    await engine.dispose();
  }
}

forEachDialect('examples: the movies project (main job, history, check, round trips)', function (dialect) {
  this.timeout(120_000);
  let db: ThrowawayDatabase;
  const env = () => ({ DATABASE_URL: db.url, NO_COLOR: '1' });
  const tsmig = (...args: string[]) => runTsmig(args, { cwd: REPO_ROOT, env: env() });
  const tsx = (script: string) => runCommand(TSX, [script], { cwd: REPO_ROOT, env: env() });
  let loaded: Record<string, unknown[][]>;

  before(async () => {
    db = await createThrowawayDatabase(dialect, 'movies_project');
  });
  after(() => db.drop());

  it('the main job: upgrade head creates the schema, the import loads the films and reports the bad rows', async () => {
    const upgrade = ok(await tsmig('upgrade', 'head'));
    expect(upgrade.stderr).to.equal(
      'Running upgrade base -> 6ee29ad111e3, add movies\n' +
        'Running upgrade 6ee29ad111e3 -> 17b07b35716f, add directors\n' +
        'Running upgrade 17b07b35716f -> 501d663d5106, add genres\n',
    );
    const load = ok(await tsx('examples/movies/import.ts'));
    expect(load.stdout).to.include('Error processing row 48: {"title":"Metropolis"');
    expect(load.stdout).to.include("Error message: release_date '1927-02-31' is not a date of the form YYYY-MM-DD");
    expect(load.stdout).to.include("Error message: duration '110 min' is not a whole number of minutes");
    expect(load.stdout).to.include('Imported 50 movies (36 new directors, 15 new genres); skipped 2 bad rows; 0 were already in the database.');
    loaded = await snapshot(db.url);
    expect(loaded.movies).to.have.length(50);
    expect(loaded.movies[22]!.slice(0, 2)).to.deep.equal([23, 'Terminator 2: Judgment Day']);
  });

  it('running the import again adds nothing', async () => {
    const again = ok(await tsx('examples/movies/import.ts'));
    expect(again.stdout).to.include('Imported 0 movies (0 new directors, 0 new genres); skipped 2 bad rows; 50 were already in the database.');
    expect(await snapshot(db.url)).to.deep.equal(loaded);
  });

  it("the query script prints the seed's kinds of results", async () => {
    const queries = ok(await tsx('examples/movies/queries.ts'));
    // LIKE follows the collation: only PostgreSQL's is case-sensitive.
    const expected =
      dialect.name === 'postgresql'
        ? EXPECTED_QUERIES.replace(`director like '%david%': [Movie(11, "Fight Club"), Movie(21, "Se7en")]`, `director like '%david%': []`)
        : EXPECTED_QUERIES;
    expect(queries.stdout).to.equal(expected);
  });

  it('history shows the three revisions, current the head, and check finds nothing to do', async () => {
    expect(ok(await tsmig('history')).stdout).to.equal(
      '17b07b35716f -> 501d663d5106 (head), add genres\n' + '6ee29ad111e3 -> 17b07b35716f, add directors\n' + '<base> -> 6ee29ad111e3, add movies\n',
    );
    expect(ok(await tsmig('current')).stdout).to.equal('501d663d5106 (head)\n');
    expect(await tsmig('check')).to.deep.include({ code: 0, stdout: 'No new upgrade operations detected.\n' });
  });

  it('--json: current and history -i mark the database revision; check behind head prints an error object', async () => {
    const current = JSON.parse(ok(await tsmig('current', '--json')).stdout) as { database: null; revisions: { revision: string; current: boolean }[]; unknown: string[] }[];
    expect(current.map((db) => [db.database, db.revisions.map((r) => [r.revision, r.current]), db.unknown])).to.deep.equal([
      [null, [[REVISIONS[2], true]], []],
    ]);
    ok(await tsmig('downgrade', '-1'));
    const history = JSON.parse(ok(await tsmig('history', '-i', '--json')).stdout) as { revision: string; current: boolean; head: boolean }[];
    expect(history.map((r) => [r.revision, r.current, r.head])).to.deep.equal([
      [REVISIONS[2], false, true],
      [REVISIONS[1], true, false],
      [REVISIONS[0], false, false],
    ]);
    const check = await tsmig('check', '--json');
    expect(check.code).to.equal(1);
    const answer = JSON.parse(check.stdout) as { ok: boolean; error: { type: string; message: string; exitCode: number } };
    expect(answer).to.deep.include({ ok: false });
    expect(answer.error).to.deep.include({ type: 'TsmigError', exitCode: 1 });
    expect(answer.error.message).to.match(/is not up to date: it is at 17b07b35716f, the scripts' head is 501d663d5106\. Run `tsmig upgrade head` first\.$/);
    expect(check.stderr).to.equal(`error: ${answer.error.message}\n`);
    ok(await tsmig('upgrade', 'head'));
    expect(await snapshot(db.url)).to.deep.equal(loaded);
  });

  it('downgrading to the first revision carries directors and genres back into strings; upgrading restores every row', async () => {
    ok(await tsmig('downgrade', REVISIONS[0]));
    expect(await v1Movies(db.url)).to.deep.equal(
      FILMS.map((film) => ({ title: film.title, director: film.director, genres: film.genre!.split(' ').sort() })),
    );
    ok(await tsmig('upgrade', 'head'));
    expect(await snapshot(db.url)).to.deep.equal(loaded);
    expect((await tsmig('check')).code).to.equal(0);
  });

  it('downgrade base leaves only the version and history tables; upgrade head and the import rebuild the same database', async () => {
    ok(await tsmig('downgrade', 'base'));
    const engine = createEngine(db.url);
    try {
      expect((await engine.reflectSchema()).tables.map((table) => table.name)).to.deep.equal(tsmigTables(dialect.name));
    } finally {
      await engine.dispose();
    }
    ok(await tsmig('upgrade', 'head'));
    ok(await tsx('examples/movies/import.ts'));
    expect(await snapshot(db.url)).to.deep.equal(loaded);
  });
});
