/**
 * Issue "ORM relationships": loading 1,000 directors with their movies (5 each) and the movies' genres
 * (2 each, out of 20), by `selectin` and by `joined` loading, against the same work written by hand.
 *
 * - selectin: `select(Director).options(selectinload(Director.movies).selectinload(Movie.genres))` in
 *   a new session: 3 statements (directors; movies by director_id IN; genres joined to the association
 *   table by movie_id IN). Baseline: the same three SELECTs written as SQL text, run on a connection of
 *   the same engine, the nested objects assembled with Maps. The keys go in as the ORM sends them on
 *   the dialect (one JSON text on SQLite, one array on PostgreSQL, one parameter each on MySQL), so
 *   the ratio does not count a difference between statements.
 * - joined: `joinedload(Director.movies).joinedload(Movie.genres)`: one statement with two LEFT OUTER
 *   JOINs (10,000 rows). Baseline: that one join written by hand, assembled the same way.
 *
 * The baseline runs through tsmig's engine (raw driver execution, value conversion), so the ratio is the
 * ORM's cost — identity map, instances, collections, change tracking — over hand-written SQL on the
 * same connection. Statement counts come from the engine's echo log of one untimed run of each, and
 * that run's two results must hold the same directors, movies, genres and values.
 */
import {
  DeclarativeBase,
  type Engine,
  type InstrumentedList,
  Session,
  Table,
  column,
  createEngine,
  insert,
  joinedload,
  mapped,
  relationship,
  select,
  selectinload,
  t,
  text,
} from '../src/index.js';
import { check } from './fixtures.js';
import { type Bench, type BenchDialectName, type BenchTarget, type RepeatOptions, type ResultRow, compare, formatCount, benchName } from './harness.js';

const DIRECTORS = 1000;
const MOVIES_PER_DIRECTOR = 5;
const GENRES = 20;
const GENRES_PER_MOVIE = 2;
// More warm-up than the other benches: the loaders are more code for the JIT to settle than one SELECT.
const OPTIONS: RepeatOptions = { warmup: 6, reps: 9 };
const T = { directors: benchName('rel_directors'), movies: benchName('rel_movies'), genres: benchName('rel_genres'), links: benchName('rel_movies_genres') } as const;

class RelBase extends DeclarativeBase {}

const links = new Table(T.links, RelBase.metadata, {
  movieId: column(t.Integer(), { name: 'movie_id', primaryKey: true, foreignKey: `${T.movies}.id` }),
  genreId: column(t.Integer(), { name: 'genre_id', primaryKey: true, foreignKey: `${T.genres}.id` }),
});

class Director extends RelBase.model(T.directors, {
  id: mapped(t.Integer(), { primaryKey: true, autoincrement: false }),
  name: mapped(t.String(64)),
}) {
  declare movies: InstrumentedList<Movie>;
  static movies = relationship(() => Movie, { backPopulates: 'director' });
}

class Movie extends RelBase.model(T.movies, {
  id: mapped(t.Integer(), { primaryKey: true, autoincrement: false }),
  title: mapped(t.String(128)),
  directorId: mapped(t.Integer(), { name: 'director_id', foreignKey: `${T.directors}.id`, index: true }),
  rating: mapped(t.Float()),
}) {
  declare director: Director | null;
  static director = relationship(() => Director, { backPopulates: 'movies' });
  declare genres: InstrumentedList<Genre>;
  static genres = relationship(() => Genre, { secondary: links });
}

class Genre extends RelBase.model(T.genres, {
  id: mapped(t.Integer(), { primaryKey: true, autoincrement: false }),
  name: mapped(t.String(32)),
}) {}

/** What the hand-written side builds: plain nested objects. */
interface PlainDirector {
  id: number;
  name: string;
  movies: { id: number; title: string; directorId: number; rating: number; genres: { id: number; name: string }[] }[];
}

async function fill(engine: Engine): Promise<void> {
  await engine.dropAll(RelBase.metadata);
  await engine.createAll(RelBase.metadata);
  const directors = Array.from({ length: DIRECTORS }, (_, i) => ({ id: i + 1, name: `Director ${i + 1}` }));
  const movies = Array.from({ length: DIRECTORS * MOVIES_PER_DIRECTOR }, (_, i) => ({
    id: i + 1,
    title: `Movie ${i + 1}`,
    directorId: Math.floor(i / MOVIES_PER_DIRECTOR) + 1,
    rating: 5 + (i % 50) / 10,
  }));
  const genres = Array.from({ length: GENRES }, (_, i) => ({ id: i + 1, name: `Genre ${i + 1}` }));
  const pairs = movies.flatMap((m) => Array.from({ length: GENRES_PER_MOVIE }, (_, k) => ({ movieId: m.id, genreId: ((m.id + k * 7) % GENRES) + 1 })));
  await engine.begin(async (conn) => {
    await conn.execute(insert(Director.table), directors);
    await conn.execute(insert(Genre.table), genres);
    await conn.execute(insert(Movie.table), movies);
    await conn.execute(insert(links), pairs);
  });
}

/** Counts what one ORM load built: directors, movies, genre links. */
function tally(directors: readonly Director[]): string {
  let movies = 0;
  let genreLinks = 0;
  for (const d of directors) {
    movies += d.movies.length;
    for (const m of d.movies) genreLinks += m.genres.length;
  }
  return `${directors.length}/${movies}/${genreLinks}`;
}

function tallyPlain(directors: readonly PlainDirector[]): string {
  let movies = 0;
  let genreLinks = 0;
  for (const d of directors) {
    movies += d.movies.length;
    for (const m of d.movies) genreLinks += m.genres.length;
  }
  return `${directors.length}/${movies}/${genreLinks}`;
}

const EXPECTED = `${DIRECTORS}/${DIRECTORS * MOVIES_PER_DIRECTOR}/${DIRECTORS * MOVIES_PER_DIRECTOR * GENRES_PER_MOVIE}`;

/** The shape both sides build, read the same way from either: what the untimed runs compare. */
interface Graph {
  readonly id: number;
  readonly name: string;
  readonly movies: Iterable<{
    readonly id: number;
    readonly title: string;
    readonly directorId: number;
    readonly rating: number;
    readonly genres: Iterable<{ readonly id: number; readonly name: string }>;
  }>;
}

/** Every director, movie and genre link with its values, each list in key order (the hand-written join keeps row order). */
function digest(directors: readonly Graph[]): string {
  const byId = <T extends { readonly id: number }>(items: Iterable<T>): T[] => [...items].sort((a, b) => a.id - b.id);
  return byId(directors)
    .map((d) => `${d.id} ${d.name}: ${byId(d.movies).map((m) => `${m.id} ${m.title} ${m.directorId} ${m.rating} [${byId(m.genres).map((g) => `${g.id} ${g.name}`).join(', ')}]`).join('; ')}`)
    .join('\n');
}

/** `column IN keys` as the ORM writes it on `dialect` (see ColumnElement.inList()), with its parameters. */
function inKeys(dialect: BenchDialectName, column: string, keys: readonly number[]): { sql: string; params: Record<string, unknown> } {
  if (dialect === 'sqlite') return { sql: `${column} IN (SELECT value FROM json_each(:keys))`, params: { keys: JSON.stringify(keys) } };
  if (dialect === 'postgresql') return { sql: `${column} = ANY (:keys)`, params: { keys } };
  const params: Record<string, unknown> = {};
  const names = keys.map((key, i) => {
    params[`k${i}`] = key;
    return `:k${i}`;
  });
  return { sql: `${column} IN (${names.join(', ')})`, params };
}

/** The three SELECTs of selectin loading, by hand. */
async function handSelectin(engine: Engine, dialect: BenchDialectName): Promise<PlainDirector[]> {
  return engine.connect(async (conn) => {
    const directors: PlainDirector[] = (await conn.execute(text(`SELECT id, name FROM ${T.directors}`))).all().map((r) => ({ id: Number(r[0]), name: String(r[1]), movies: [] }));
    const byId = new Map(directors.map((d) => [d.id, d]));
    const byDirector = inKeys(dialect, 'director_id', directors.map((d) => d.id));
    const movies = new Map<number, PlainDirector['movies'][number]>();
    for (const r of (await conn.execute(text(`SELECT id, title, director_id, rating FROM ${T.movies} WHERE ${byDirector.sql} ORDER BY id`), byDirector.params)).all()) {
      const movie = { id: Number(r[0]), title: String(r[1]), directorId: Number(r[2]), rating: Number(r[3]), genres: [] };
      movies.set(movie.id, movie);
      byId.get(Number(r[2]))!.movies.push(movie);
    }
    const byMovie = inKeys(dialect, 'l.movie_id', [...movies.keys()]);
    const genres = new Map<number, { id: number; name: string }>();
    const sql = `SELECT g.id, g.name, l.movie_id FROM ${T.genres} g JOIN ${T.links} l ON g.id = l.genre_id WHERE ${byMovie.sql} ORDER BY g.id`;
    for (const r of (await conn.execute(text(sql), byMovie.params)).all()) {
      const id = Number(r[0]);
      let genre = genres.get(id);
      if (genre === undefined) genres.set(id, (genre = { id, name: String(r[1]) }));
      movies.get(Number(r[2]))!.genres.push(genre);
    }
    return directors;
  });
}

/** The one LEFT OUTER JOIN of joined loading, by hand. */
async function handJoined(engine: Engine): Promise<PlainDirector[]> {
  return engine.connect(async (conn) => {
    const sql =
      `SELECT d.id, d.name, m.id, m.title, m.director_id, m.rating, g.id, g.name FROM ${T.directors} d ` +
      `LEFT OUTER JOIN ${T.movies} m ON d.id = m.director_id LEFT OUTER JOIN ${T.links} l ON m.id = l.movie_id ` +
      `LEFT OUTER JOIN ${T.genres} g ON g.id = l.genre_id`;
    const directors = new Map<number, PlainDirector>();
    const movies = new Map<number, PlainDirector['movies'][number]>();
    const genres = new Map<number, { id: number; name: string }>();
    for (const r of (await conn.execute(text(sql))).all()) {
      const did = Number(r[0]);
      let director = directors.get(did);
      if (director === undefined) directors.set(did, (director = { id: did, name: String(r[1]), movies: [] }));
      if (r[2] === null) continue;
      const mid = Number(r[2]);
      let movie = movies.get(mid);
      if (movie === undefined) {
        movies.set(mid, (movie = { id: mid, title: String(r[3]), directorId: Number(r[4]), rating: Number(r[5]), genres: [] }));
        director.movies.push(movie);
      }
      if (r[6] === null) continue;
      const gid = Number(r[6]);
      let genre = genres.get(gid);
      if (genre === undefined) genres.set(gid, (genre = { id: gid, name: String(r[7]) }));
      movie.genres.push(genre);
    }
    return [...directors.values()];
  });
}

async function runRelationshipsBench(target: BenchTarget, log: (line: string) => void, options: RepeatOptions): Promise<ResultRow[]> {
  let counting = false;
  let statements = 0;
  const engine = createEngine(target.url, {
    echo: true,
    logger: (line) => {
      if (counting && !line.startsWith('[parameters') && !/^(BEGIN|COMMIT|ROLLBACK)/.test(line)) statements++;
    },
  });
  const rows: ResultRow[] = [];
  try {
    log(`${target.dialect}: filling ${formatCount(DIRECTORS)} directors, ${formatCount(DIRECTORS * MOVIES_PER_DIRECTOR)} movies, ${GENRES} genres`);
    await fill(engine);
    const cases = [
      {
        name: 'selectin',
        orm: () => select(Director).options(selectinload(Director.movies).selectinload(Movie.genres)),
        hand: () => handSelectin(engine, target.dialect),
      },
      {
        name: 'joined',
        orm: () => select(Director).options(joinedload(Director.movies).joinedload(Movie.genres)),
        hand: () => handJoined(engine),
      },
    ];
    for (const c of cases) {
      log(`${target.dialect}: load ${formatCount(DIRECTORS)} directors with movies and genres by ${c.name}`);
      const ormLoad = async () => {
        await using session = new Session(engine);
        return tally((await session.scalars(c.orm())).all());
      };
      // One counted, untimed run of each side: statement counts and sanity.
      counting = true;
      statements = 0;
      let ormDigest = '';
      const ormTally = await (async () => {
        await using session = new Session(engine);
        const directors = (await session.scalars(c.orm())).all();
        ormDigest = digest(directors);
        return tally(directors);
      })();
      const ormStatements = statements;
      statements = 0;
      const handDirectors = await c.hand();
      const handTally = tallyPlain(handDirectors);
      const handStatements = statements;
      counting = false;
      check(ormTally === EXPECTED && handTally === EXPECTED, `${c.name}: loaded ${ormTally} / ${handTally}, expected ${EXPECTED}`);
      check(ormDigest === digest(handDirectors), `${c.name}: the ORM's directors, movies and genres differ from the hand-written side's`);
      engine.echo = false;
      // Both sides walk what they built, so the ORM's lists are read as often as the plain arrays.
      const timing = await compare({ run: ormLoad }, { run: async () => tallyPlain(await c.hand()) }, options);
      engine.echo = true;
      rows.push({
        dialect: target.dialect,
        case: `${c.name}: ${formatCount(DIRECTORS)} directors + movies + genres`,
        work: { count: DIRECTORS, unit: 'directors' },
        ...timing,
        aim: null,
        notes: { statements: `${ormStatements} vs ${handStatements}`, objects: ormTally },
      });
    }
  } finally {
    engine.echo = false;
    await engine.dropAll(RelBase.metadata).catch(() => undefined);
    await engine.dispose();
  }
  return rows;
}

export const relationshipsBench: Bench = {
  name: 'relationships',
  title: `ORM relationships: ${formatCount(DIRECTORS)} directors with their movies and genres, by selectin and by joined loading`,
  baseline:
    'the same SELECTs written by hand as text() on a connection of the same engine, the nested objects assembled with Maps ' +
    '(3 statements for selectin, 1 join for joined); statements = tsmig vs hand-written; objects = directors/movies/genre links',
  options: OPTIONS,
  run: runRelationshipsBench,
};
