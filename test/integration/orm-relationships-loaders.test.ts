/**
 * Every loader strategy, by the statements it runs (counted from the engine's echo log): an eager
 * loader never degrades into N+1, `select` never loads by itself, `raise` raises. The data is seed
 * 000's films (33 directors, 46 movies, 15 genres), plus 1,200 generated directors for "2 statements
 * whatever N".
 */
import { expect } from 'chai';
import {
  type DynamicCollection,
  type Engine,
  type LoaderOption,
  NotLoadedError,
  Session,
  type WriteOnlyCollection,
  containsEager,
  createEngine,
  func,
  immediateload,
  joinedload,
  lazyload,
  noload,
  raiseload,
  select,
  selectinload,
  subqueryload,
} from '../../src/index.js';
import { FILMS3, type MovieModelOptions, type MovieModels, defineMovieModels, filmsOf, importFilms, movieRepr, resetMovieTables } from '../fixtures/relationships-movies.js';
import { forEachDialect } from '../helpers/dialects.js';

function statements(lines: readonly string[]): string[] {
  return lines.filter((line) => !line.startsWith('[parameters') && !/^(BEGIN|COMMIT|ROLLBACK)\b/.test(line));
}

const NOLAN = filmsOf('Christopher Nolan').map(movieRepr);

forEachDialect('relationship loaders: statements per strategy', (dialect) => {
  let engine: Engine;
  const log: string[] = [];
  const base = defineMovieModels();

  before(async () => {
    engine = createEngine(dialect.url, { logger: (line) => log.push(line) });
    await resetMovieTables(engine, base);
    await importFilms(engine, base);
  });
  after(async () => {
    await engine.dropAll(base.Base.metadata);
    await engine.dispose();
  });

  /** Runs `work` in a fresh session; returns the statements it ran and its result. */
  async function run<T>(work: (session: Session) => Promise<T>): Promise<{ sql: string[]; value: T }> {
    const session = new Session(engine);
    log.length = 0;
    engine.echo = true;
    try {
      const value = await work(session);
      return { sql: statements(log), value };
    } finally {
      engine.echo = false;
      await session.close();
    }
  }

  /** Loads every director with `option`; returns the statements and the directors by id. */
  async function directors(models: MovieModels, ...options: LoaderOption[]) {
    return run(async (session) => {
      const list = (await session.scalars(select(models.Director).options(...options).orderBy(models.Director.c.id))).all();
      return list;
    });
  }

  const models = (options: MovieModelOptions = {}) => defineMovieModels(options);

  it("'select', the default: one statement, nothing loaded; session.load loads all parents in one more", async () => {
    const { Director } = base;
    const { sql, value } = await run(async (session) => {
      const list = (await session.scalars(select(Director))).all();
      expect(() => list[0]!.movies).to.throw(NotLoadedError);
      await session.load(list, 'movies');
      return list.reduce((n, d) => n + d.movies.length, 0);
    });
    expect(value).to.equal(46);
    expect(sql).to.have.length(2);
    // The parents' keys as a list: IN (...), or one array parameter on PostgreSQL.
    expect(sql[1]).to.match(dialect.name === 'postgresql' ? / = ANY \(/ : / IN \(/);
  });

  it("'selectin': two statements for 33 directors, three with their movies' genres", async () => {
    const { Director, Movie } = base;
    const one = await directors(base, selectinload(Director.movies));
    expect(one.sql).to.have.length(2);
    expect(one.value.map((d) => d.movies.length).reduce((a, b) => a + b)).to.equal(46);
    expect(one.value[3]!.movies.map(String)).to.deep.equal(NOLAN);
    const two = await directors(base, selectinload(Director.movies).selectinload(Movie.genres));
    expect(two.sql).to.have.length(3);
    expect(two.value[3]!.movies.find((m) => m.id === 18)!.genres.map(String)).to.deep.equal(['Genre(5, "Adventure")', 'Genre(8, "Sci-Fi")']);
    const configured = models({ directorMovies: { lazy: 'selectin' }, movieGenres: { lazy: 'selectin' } });
    const byDefault = await directors(configured);
    expect(byDefault.sql).to.have.length(3);
  });

  it("'selectin': still two statements for 1,200 directors", async () => {
    const many = defineMovieModels();
    await resetMovieTables(engine, many);
    try {
      const setup = new Session(engine);
      for (let i = 0; i < 1200; i++) {
        const d = new many.Director({ name: `Director ${i}` });
        d.movies.push(new many.Movie({ title: `Film ${i}a`, releaseDate: '2000-01-01', duration: 90, rating: 7 }));
        d.movies.push(new many.Movie({ title: `Film ${i}b`, releaseDate: '2000-01-01', duration: 90, rating: 7 }));
        setup.add(d);
      }
      await setup.commit();
      await setup.close();
      const { sql, value } = await run(async (session) => {
        const list = (await session.scalars(select(many.Director).options(selectinload(many.Director.movies)))).all();
        return list.reduce((n, d) => n + d.movies.length, 0);
      });
      expect(value).to.equal(2400);
      expect(sql).to.have.length(2);
    } finally {
      await resetMovieTables(engine, base);
      await importFilms(engine, base);
    }
  });

  it("'joined': one statement (LEFT OUTER JOIN, parents once), nested, and around a LIMIT", async () => {
    const { Director, Movie } = base;
    const one = await directors(base, joinedload(Director.movies));
    expect(one.sql).to.have.length(1);
    expect(one.sql[0]).to.match(/LEFT OUTER JOIN rel_movies AS anon_1/);
    expect(one.value).to.have.length(33);
    expect(one.value[3]!.movies.map(String)).to.deep.equal(NOLAN);
    const nested = await directors(base, joinedload(Director.movies).joinedload(Movie.genres));
    expect(nested.sql).to.have.length(1);
    expect(nested.value[3]!.movies.find((m) => m.id === 37)!.genres.map(String)).to.deep.equal(['Genre(9, "Thriller")', 'Genre(11, "Mystery")']);
    // LIMIT counts directors, not director-movie rows: the query is wrapped as a subquery.
    const limited = await run(async (session) =>
      (await session.scalars(select(Director).options(joinedload(Director.movies)).orderBy(Director.c.id).limit(5))).all(),
    );
    expect(limited.sql).to.have.length(1);
    expect(limited.value.map((d) => d.id)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(limited.value[3]!.movies.map(String)).to.deep.equal(NOLAN);
    const first = await run(async (session) => (await session.execute(select(Director).where(Director.c.name.eq('Christopher Nolan')).options(joinedload(Director.movies)))).scalarOne());
    expect(first.value.movies).to.have.length(5);
  });

  it("'joined' collections hold what 'selectin' loads, in key order whatever order the rows came in", async () => {
    const { Director, Movie } = base;
    const shape = (list: readonly InstanceType<typeof Director>[]) => list.map((d) => [d.id, d.movies.map((m) => [m.id, m.genres.map((g) => g.id)])]);
    const joined = await directors(base, joinedload(Director.movies).joinedload(Movie.genres));
    const selectin = await directors(base, selectinload(Director.movies).selectinload(Movie.genres));
    expect(shape(joined.value)).to.deep.equal(shape(selectin.value));
    // The Matrix is "Sci-Fi Action": its genres were filed Sci-Fi (8), then Action (4).
    expect(joined.value.flatMap((d) => d.movies.find((m) => m.id === 10)?.genres.map((g) => g.id) ?? [])).to.deep.equal([4, 8]);
  });

  it("'joined' collections around GROUP BY and DISTINCT: the query is wrapped, its rows and names kept", async () => {
    const { Director, Movie, Genre } = base;
    const n = func.count(Movie.c.id).label('n');
    const grouped = await run(async (session) =>
      (
        await session.execute(
          select(Director, n).join(Director.movies).groupBy(Director).having(n.ge(3)).orderBy(Director.c.name).options(joinedload(Director.movies)),
        )
      ).all(),
    );
    expect(grouped.sql).to.have.length(1);
    expect(grouped.sql[0]).to.match(/^SELECT .* FROM \(SELECT .* GROUP BY .*\) AS anon_1 LEFT OUTER JOIN rel_movies AS anon_2/);
    expect(grouped.value.map((row) => [row[0].name, Number(row.n), row[0].movies.length])).to.deep.equal([['Christopher Nolan', 5, 5]]);
    const distinct = await run(async (session) =>
      (
        await session.scalars(
          select(Director).join(Director.movies).join(Movie.genres).where(Genre.c.name.eq('Sci-Fi')).distinct().orderBy(Director.c.name).options(joinedload(Director.movies)),
        )
      ).all(),
    );
    expect(distinct.sql).to.have.length(1);
    expect(distinct.value.map((d) => `${d.name}: ${d.movies.length}`)).to.deep.equal([
      'Christopher Nolan: 5',
      'James Cameron: 1',
      'Lana Wachowski: 1',
      'Ridley Scott: 2',
      'Robert Zemeckis: 2',
    ]);
  });

  it("'joined' with innerJoin: INNER JOIN for a many-to-one", async () => {
    const { Movie } = base;
    const { sql, value } = await run(async (session) => (await session.scalars(select(Movie).options(joinedload(Movie.director, { innerJoin: true })))).all());
    expect(sql).to.have.length(1);
    expect(sql[0]).to.match(/ JOIN rel_directors AS anon_1 ON/).and.not.to.match(/OUTER/);
    expect(value.every((m) => m.director !== null)).to.equal(true);
    // Grouped: the joined many-to-one joins the GROUP BY, so each group still yields one row.
    const grouped = await run(async (session) =>
      (await session.execute(select(Movie, func.count()).join(Movie.genres).groupBy(Movie).options(joinedload(Movie.director)))).all(),
    );
    expect(grouped.sql).to.have.length(1);
    expect(grouped.value).to.have.length(46);
  });

  it("'subquery': two statements, three nested", async () => {
    const { Director, Movie } = base;
    const one = await directors(base, subqueryload(Director.movies));
    expect(one.sql).to.have.length(2);
    expect(one.sql[1]).to.match(/JOIN \(SELECT DISTINCT rel_directors\.id AS key_0 FROM rel_directors\) AS anon_1/);
    expect(one.value[3]!.movies.map(String)).to.deep.equal(NOLAN);
    const nested = await run(async (session) =>
      (await session.scalars(select(Director).where(Director.c.id.le(4)).options(subqueryload(Director.movies).subqueryload(Movie.genres)))).all(),
    );
    expect(nested.sql).to.have.length(3);
    expect(nested.value.find((d) => d.id === 4)!.movies[0]!.genres.map(String)).to.deep.equal(['Genre(2, "Crime")', 'Genre(4, "Action")']);
  });

  it("'immediate': one statement per parent, right after the query", async () => {
    const { Director } = base;
    const { sql, value } = await directors(base, immediateload(Director.movies));
    expect(sql).to.have.length(1 + 33);
    expect(value[3]!.movies.map(String)).to.deep.equal(NOLAN);
  });

  it("'raise' raises on any unloaded read, even of an object the session holds; raiseload('*') per query", async () => {
    const raising = models({ movieDirector: { lazy: 'raise' }, directorMovies: { lazy: 'raise' } });
    const { sql } = await run(async (session) => {
      const nolan = (await session.get(raising.Director, 4))!;
      const movie = (await session.get(raising.Movie, 18))!;
      expect(() => movie.director).to.throw(NotLoadedError, "Movie.director is not loaded and its loader is lazy: 'raise'");
      expect(() => nolan.movies).to.throw(NotLoadedError, /lazy: 'raise'/);
      // Explicit loading is not lazy loading: it still works (here without SQL: the session holds him).
      expect(String(await session.load(movie, 'director'))).to.equal('Director(4, "Christopher Nolan")');
      expect(movie.director).to.equal(nolan);
    });
    expect(sql).to.have.length(2);
    const { Movie } = base;
    await run(async (session) => {
      const movies = (await session.scalars(select(Movie).options(raiseload('*'), joinedload(Movie.director)))).all();
      expect(movies[0]!.director).not.to.equal(null);
      expect(() => movies[0]!.genres).to.throw(NotLoadedError, /lazy: 'raise'/);
    });
  });

  it("'raise_on_sql' reads a many-to-one the session holds, raises otherwise", async () => {
    const raising = models({ movieDirector: { lazy: 'raise_on_sql' } });
    await run(async (session) => {
      const movie = (await session.get(raising.Movie, 18))!;
      expect(() => movie.director).to.throw(NotLoadedError, /raise_on_sql/);
      const nolan = (await session.get(raising.Director, 4))!;
      expect(movie.director).to.equal(nolan);
    });
  });

  it("'noload': one statement, empty collections", async () => {
    const { Director } = base;
    const { sql, value } = await directors(base, noload(Director.movies));
    expect(sql).to.have.length(1);
    expect(value[3]!.movies).to.deep.equal([]);
  });

  it('containsEager: the join the query wrote fills the collection, filtered', async () => {
    const { Director, Movie } = base;
    const { sql, value } = await run(async (session) =>
      (
        await session.scalars(
          select(Director).join(Director.movies).where(Movie.c.rating.ge(8.8)).options(containsEager(Director.movies)).orderBy(Director.c.id, Movie.c.id),
        )
      ).all(),
    );
    expect(sql).to.have.length(1);
    expect(value.map((d) => [d.id, d.movies.map((m) => m.id)])).to.deep.equal([
      [1, [1]],
      [2, [2]],
      [3, [3]],
      [4, [4, 9]],
      [5, [5]],
      [6, [6]],
      [7, [7]],
      [8, [8]],
      [10, [11]],
      [11, [12]],
    ]);
  });

  it('lazyload() turns an eager default off for one query; defaults never walk back along their path', async () => {
    const eager = models({ directorMovies: { lazy: 'selectin' }, movieDirector: { lazy: 'joined' } });
    const off = await run(async (session) => {
      const list = (await session.scalars(select(eager.Director).options(lazyload(eager.Director.movies)))).all();
      expect(() => list[0]!.movies).to.throw(NotLoadedError);
    });
    expect(off.sql).to.have.length(1);
    // Director.movies (selectin) then Movie.director (joined) would load the directors again: it stops.
    const both = await run(async (session) => {
      const list = (await session.scalars(select(eager.Director).orderBy(eager.Director.c.id))).all();
      expect(list[3]!.movies[0]!.director).to.equal(list[3]);
    });
    expect(both.sql).to.have.length(2);
    expect(both.sql[1]).not.to.match(/JOIN/);
  });

  it('a query does not reload a collection the session already holds', async () => {
    const { Director } = base;
    const { sql } = await run(async (session) => {
      await session.scalars(select(Director).options(selectinload(Director.movies)));
      await session.scalars(select(Director).options(selectinload(Director.movies)));
    });
    expect(sql).to.have.length(3);
  });

  it("'write_only': add, remove and select without ever loading", async () => {
    const writeOnly = models({ directorMovies: { lazy: 'write_only' }, nullableDirector: true });
    await resetMovieTables(engine, writeOnly);
    await importFilms(engine, models({ nullableDirector: true }));
    try {
      const { sql } = await run(async (session) => {
        const nolan = (await session.get(writeOnly.Director, 4))!;
        const movies = nolan.movies as unknown as WriteOnlyCollection<InstanceType<typeof writeOnly.Movie>>;
        expect((await session.scalars(movies.select().orderBy(writeOnly.Movie.c.id))).all().map(String)).to.deep.equal(NOLAN);
        const tenet = new writeOnly.Movie({ title: 'Tenet', releaseDate: '2020-08-26', duration: 150, rating: 7.3 });
        movies.add(tenet);
        movies.remove((await session.get(writeOnly.Movie, 37))!);
        await session.commit();
        const titles = (await session.scalars(movies.select().orderBy(writeOnly.Movie.c.id))).all().map((m) => m.title);
        expect(titles).to.deep.equal(['The Dark Knight', 'Inception', 'Interstellar', 'The Prestige', 'Tenet']);
        expect(() => (nolan as unknown as { movies: unknown }).movies = []).to.throw(/write-only/);
      });
      expect(sql.filter((s) => /FROM rel_movies WHERE rel_movies\.director_id = /.test(s))).to.have.length(2);
      const dynamic = models({ directorMovies: { lazy: 'dynamic' }, nullableDirector: true });
      await run(async (session) => {
        const nolan = (await session.get(dynamic.Director, 4))!;
        const movies = nolan.movies as unknown as DynamicCollection<InstanceType<typeof dynamic.Movie>>;
        expect(await movies.count()).to.equal(5);
        expect((await movies.where(dynamic.Movie.c.rating.ge(8.7)).orderBy(dynamic.Movie.c.id).all()).map((m) => m.title)).to.deep.equal([
          'The Dark Knight',
          'Inception',
          'Interstellar',
        ]);
        expect((await movies.orderBy(dynamic.Movie.c.id).first())!.title).to.equal('The Dark Knight');
      });
    } finally {
      await resetMovieTables(engine, base);
      await importFilms(engine, base);
    }
  });

  it('loads every film exactly once however the strategies combine', async () => {
    const { Director, Movie } = base;
    const { value } = await directors(base, selectinload(Director.movies).options(joinedload(Movie.director), subqueryload(Movie.genres)));
    const films = value.flatMap((d) => d.movies);
    expect(films.map((m) => m.id).sort((a, b) => a - b)).to.deep.equal(FILMS3.map((f) => f.id));
    expect(films.every((m) => m.director!.movies.includes(m))).to.equal(true);
    expect(films.reduce((n, m) => n + m.genres.length, 0)).to.equal(FILMS3.reduce((n, f) => n + f.genre.split(' ').length, 0));
  });
});
