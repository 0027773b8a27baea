/**
 * Twins of seed 000's relationship chapters ("Отношения один ко многим" to "Удаление из отношений
 * многие ко многим"), on every dialect, with the manual's printed results on the same data. Where the
 * manual reads a lazy attribute (`movie.director`), the twin awaits `session.load(movie, 'director')`:
 * JavaScript cannot wait inside a property read, and reading it unloaded raises instead.
 */
import { expect } from 'chai';
import {
  type Engine,
  IntegrityError,
  InvalidRequestError,
  type LoaderOption,
  NotLoadedError,
  Session,
  createEngine,
  func,
  immediateload,
  joinedload,
  select,
  selectinload,
  subqueryload,
} from '../../src/index.js';
import { FILMS3, type MovieModels, defineMovieModels, filmsOf, importFilms, movieRepr, resetMovieTables } from '../fixtures/relationships-movies.js';
import { forEachDialect } from '../helpers/dialects.js';

/** The SQL statements an echo log holds (parameter lines and transaction control left out). */
function statements(lines: readonly string[]): string[] {
  return lines.filter((line) => !line.startsWith('[parameters') && !/^(BEGIN|COMMIT|ROLLBACK)\b/.test(line));
}

const strings = (items: Iterable<unknown>) => [...items].map(String);

forEachDialect('seed 000: relationships', (dialect) => {
  let engine: Engine;
  const log: string[] = [];

  before(() => {
    engine = createEngine(dialect.url, { logger: (line) => log.push(line) });
  });
  after(async () => {
    const { Base } = defineMovieModels();
    await engine.dropAll(Base.metadata);
    await engine.dispose();
  });

  /** Runs `work` with the echo log cleared first; returns the statements it ran. */
  async function counted(work: () => Promise<unknown>): Promise<string[]> {
    log.length = 0;
    engine.echo = true;
    try {
      await work();
    } finally {
      engine.echo = false;
    }
    return statements(log);
  }

  async function withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = new Session(engine);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  describe('loading the data (import script № 3)', () => {
    const models = defineMovieModels();
    before(async () => {
      await resetMovieTables(engine, models);
      await importFilms(engine, models);
    });

    it('gives directors and genres ids in order of first appearance', async () => {
      const { Director, Genre, Movie, moviesGenres } = models;
      await withSession(async (session) => {
        expect(await session.scalar(select(func.count()).selectFrom(Movie.table))).to.equal(46);
        expect(await session.scalar(select(func.count()).selectFrom(Director.table))).to.equal(33);
        expect(await session.scalar(select(func.count()).selectFrom(moviesGenres))).to.equal(FILMS3.reduce((n, f) => n + f.genre.split(' ').length, 0));
        const ids = (names: readonly string[]) => Object.fromEntries(names.map((n, i) => [n, i + 1]));
        const directors = (await session.scalars(select(Director).orderBy(Director.c.id))).all();
        expect(directors.filter((d) => [1, 4, 8, 9, 18, 19, 21, 22, 31, 33].includes(d.id)).map(String)).to.deep.equal([
          'Director(1, "Frank Darabont")',
          'Director(4, "Christopher Nolan")',
          'Director(8, "Robert Zemeckis")',
          'Director(9, "Lana Wachowski")',
          'Director(18, "Tony Kaye")',
          'Director(19, "James Cameron")',
          'Director(21, "Alfred Hitchcock")',
          'Director(22, "Ridley Scott")',
          'Director(31, "Stanley Kubrick")',
          'Director(33, "Anthony Russo")',
        ]);
        const genres = (await session.scalars(select(Genre).orderBy(Genre.c.id))).all();
        expect(Object.fromEntries(genres.map((g) => [g.name, g.id]))).to.include(ids(['Drama']));
        expect(genres.filter((g) => [1, 5, 7, 8, 9, 11].includes(g.id)).map(String)).to.deep.equal([
          'Genre(1, "Drama")',
          'Genre(5, "Adventure")',
          'Genre(7, "Romance")',
          'Genre(8, "Sci-Fi")',
          'Genre(9, "Thriller")',
          'Genre(11, "Mystery")',
        ]);
      });
    });
  });

  describe('one-to-many queries', () => {
    const models = defineMovieModels();
    const { Director, Movie } = models;
    before(async () => {
      await resetMovieTables(engine, models);
      await importFilms(engine, models);
    });

    it('movie.director and director.movies (loaded with session.load)', async () => {
      await withSession(async (session) => {
        const movie = await session.scalar(select(Movie).where(Movie.c.title.eq('Interstellar')));
        expect(String(movie)).to.equal('Movie(18, "Interstellar")');
        expect(() => movie!.director).to.throw(NotLoadedError, /session\.load\(movie, 'director'\)/);
        expect(String(await session.load(movie!, 'director'))).to.equal('Director(4, "Christopher Nolan")');
        expect(movie!.director!.name).to.equal('Christopher Nolan');
        const movies = await session.load(movie!.director!, 'movies');
        expect(strings(movies).slice(0, 3)).to.deep.equal(['Movie(4, "The Dark Knight")', 'Movie(9, "Inception")', 'Movie(18, "Interstellar")']);
        expect(strings(movies)).to.deep.equal(filmsOf('Christopher Nolan').map(movieRepr));
        expect(movies).to.include(movie);
      });
    });

    it('select(Movie.title, Director.name).join(Movie.director)', async () => {
      const query = select(Movie.c.title, Director.c.name).join(Movie.director);
      expect(String(query)).to.equal(
        'SELECT rel_movies.title, rel_directors.name FROM rel_movies JOIN rel_directors ON rel_directors.id = rel_movies.director_id',
      );
      await withSession(async (session) => {
        const rows = (await session.execute(query.orderBy(Movie.c.id))).all();
        expect(rows).to.have.length(46);
        expect(rows.slice(0, 2).map((r) => [...r])).to.deep.equal([
          ['The Shawshank Redemption', 'Frank Darabont'],
          ['The Godfather', 'Francis Ford Coppola'],
        ]);
        // Either side of the back_populates pair joins the same way.
        const other = (await session.execute(select(Movie.c.title, Director.c.name).join(Director.movies).orderBy(Movie.c.id))).all();
        expect(other.map((r) => [...r])).to.deep.equal(rows.map((r) => [...r]));
      });
    });

    it('directors in alphabetical order with their number of movies, grouped by the entity', async () => {
      const query = select(Director, func.count(Movie.c.id)).join(Director.movies).groupBy(Director).orderBy(Director.c.name);
      expect(String(query)).to.equal(
        'SELECT rel_directors.id, rel_directors.name, count(rel_movies.id) AS count FROM rel_directors JOIN rel_movies ON rel_directors.id = rel_movies.director_id GROUP BY rel_directors.id, rel_directors.name ORDER BY rel_directors.name',
      );
      await withSession(async (session) => {
        const rows = (await session.execute(query)).all().map(([director, count]) => [String(director), Number(count)]);
        expect(rows).to.have.length(33);
        expect(rows.slice(0, 2)).to.deep.equal([
          ['Director(21, "Alfred Hitchcock")', 1],
          ['Director(33, "Anthony Russo")', 1],
        ]);
        expect(rows[rows.length - 1]).to.deep.equal(['Director(18, "Tony Kaye")', 1]);
      });
    });
  });

  describe('lazy and eager loading', () => {
    const models = defineMovieModels();
    const { Director, Movie } = models;
    before(async () => {
      await resetMovieTables(engine, models);
      await importFilms(engine, models);
    });

    it('a director comes in one SELECT; its movies only when loaded, in one more', async () => {
      await withSession(async (session) => {
        let director!: InstanceType<typeof Director>;
        const first = await counted(async () => {
          director = (await session.scalar(select(Director).where(Director.c.name.eq('Alfred Hitchcock'))))!;
        });
        expect(first).to.have.length(1);
        expect(first[0]).to.match(/^SELECT rel_directors\.id, rel_directors\.name FROM rel_directors WHERE rel_directors\.name = /);
        expect(await counted(async () => director.name)).to.deep.equal([]);
        expect(() => director.movies).to.throw(NotLoadedError);
        const lazy = await counted(() => session.load(director, 'movies'));
        expect(lazy).to.have.length(1);
        expect(lazy[0]).to.match(/FROM rel_movies WHERE rel_movies\.director_id = /);
        expect(strings(director.movies)).to.deep.equal(['Movie(26, "Psycho")']);
      });
    });

    it('the N+1 loop: one query for the movies plus one per director', async () => {
      await withSession(async (session) => {
        const ran = await counted(async () => {
          for (const movie of await session.scalars(select(Movie))) {
            await session.load(movie, 'director');
            expect(movie.director!.name).to.be.a('string');
          }
        });
        expect(ran).to.have.length(1 + 33);
      });
    });

    it('joinedload(Movie.director) makes it one query', async () => {
      await withSession(async (session) => {
        const titles: string[] = [];
        const ran = await counted(async () => {
          for (const movie of await session.scalars(select(Movie).options(joinedload(Movie.director)))) titles.push(`${movie.title} ${movie.director!.name}`);
        });
        expect(ran).to.have.length(1);
        expect(ran[0]).to.match(/LEFT OUTER JOIN rel_directors AS anon_1 ON anon_1\.id = rel_movies\.director_id/);
        expect(titles).to.have.length(46);
        expect(titles).to.include('Interstellar Christopher Nolan');
      });
    });

    it("lazy: 'joined' on the relationship does the same for every query", async () => {
      const joined = defineMovieModels({ movieDirector: { lazy: 'joined' } });
      await withSession(async (session) => {
        const ran = await counted(async () => {
          const movies = (await session.scalars(select(joined.Movie))).all();
          expect(movies.map((m) => m.director!.name)).to.have.length(46);
        });
        expect(ran).to.have.length(1);
      });
    });

    it('every loader of the list, by the statements it runs for 33 directors and their movies', async () => {
      const load = async (option: LoaderOption | null) =>
        withSession(async (session) => {
          const stmt = option === null ? select(Director) : select(Director).options(option);
          let count = 0;
          const ran = await counted(async () => {
            for (const director of await session.scalars(stmt)) count += director.movies.length;
          });
          expect(count).to.equal(46);
          return ran.length;
        });
      expect(await load(joinedload(Director.movies))).to.equal(1);
      expect(await load(selectinload(Director.movies))).to.equal(2);
      expect(await load(subqueryload(Director.movies))).to.equal(2);
      expect(await load(immediateload(Director.movies))).to.equal(1 + 33);
    });

    it("the async chapter's configuration: joined innerjoin director, selectin movies", async () => {
      const configured = defineMovieModels({
        movieDirector: { lazy: 'joined', innerJoin: true },
        directorMovies: { lazy: 'selectin', cascade: 'all, delete-orphan' },
      });
      await withSession(async (session) => {
        const ran = await counted(async () => {
          const directors = (await session.scalars(select(configured.Director).orderBy(configured.Director.c.id))).all();
          expect(strings(directors[3]!.movies)).to.deep.equal(filmsOf('Christopher Nolan').map(movieRepr));
          // The movies' director is the object already loaded: no query and no join back.
          expect(directors[3]!.movies[0]!.director).to.equal(directors[3]);
        });
        expect(ran).to.have.length(2);
        const movies = await counted(async () => {
          const movie = await session.scalar(select(configured.Movie).where(configured.Movie.c.id.eq(24)));
          expect(String(movie!.director)).to.equal('Director(8, "Robert Zemeckis")');
        });
        expect(movies).to.have.length(1);
        expect(movies[0]).to.match(/ JOIN rel_directors AS anon_1 ON/).and.not.to.match(/LEFT OUTER/);
      });
    });
  });

  describe('deleting with cascades', () => {
    let models: MovieModels;
    beforeEach(async () => {
      models = defineMovieModels();
      await resetMovieTables(engine, models);
      await importFilms(engine, models);
    });

    it('deleting a movie, from the many side', async () => {
      const { Movie } = models;
      await withSession(async (session) => {
        const movie = (await session.get(Movie, 24))!;
        expect(String(movie)).to.equal('Movie(24, "Back to the Future")');
        expect(String(await session.load(movie, 'director'))).to.equal('Director(8, "Robert Zemeckis")');
        await session.delete(movie);
        await session.commit();
        expect(await session.get(Movie, 24)).to.equal(null);
      });
    });

    it('deleting a director with movies fails on the NOT NULL foreign key, and the session needs a rollback', async () => {
      const { Director, Movie } = models;
      await withSession(async (session) => {
        const director = (await session.get(Director, 8))!;
        await session.delete(director);
        let error: unknown;
        try {
          await session.commit();
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(IntegrityError);
        expect(() => session.add(new Movie({ title: 'x', releaseDate: '2000-01-01', duration: 1, rating: 1 }))).to.throw(InvalidRequestError, /rollback/);
        await session.rollback();
        expect(String(await session.get(Director, 8))).to.equal('Director(8, "Robert Zemeckis")');
        expect(await session.scalar(select(func.count()).selectFrom(Movie.table).where(Movie.c.directorId.eq(8)))).to.equal(2);
      });
    });

    it("with cascade 'all, delete-orphan' a director's movies are deleted with it", async () => {
      const cascading = defineMovieModels({ directorMovies: { cascade: 'all, delete-orphan' } });
      const { Director, Movie, moviesGenres } = cascading;
      await withSession(async (session) => {
        await session.delete((await session.get(Director, 8))!);
        await session.commit();
        expect(await session.get(Director, 8)).to.equal(null);
        expect(await session.scalar(select(func.count()).selectFrom(Movie.table).where(Movie.c.directorId.eq(8)))).to.equal(0);
        expect(await session.scalar(select(func.count()).selectFrom(moviesGenres).where(moviesGenres.c.movieId.in([8, 24])))).to.equal(0);
        expect(await session.scalar(select(func.count()).selectFrom(Movie.table))).to.equal(44);
      });
    });
  });

  describe('detaching related objects', () => {
    let models: MovieModels;
    beforeEach(async () => {
      models = defineMovieModels();
      await resetMovieTables(engine, models);
      await importFilms(engine, models);
    });

    it('director.movies.remove(movie) without delete-orphan: the NOT NULL key makes the commit fail', async () => {
      const { Movie } = models;
      await withSession(async (session) => {
        const movie = (await session.get(Movie, 1))!;
        const director = (await session.load(movie, 'director'))!;
        expect(String(director)).to.equal('Director(1, "Frank Darabont")');
        await session.load(director, 'movies');
        expect(director.movies.remove(movie)).to.equal(true);
        expect(movie.director).to.equal(null);
        let error: unknown;
        await session.commit().catch((e: unknown) => (error = e));
        expect(error).to.be.instanceOf(IntegrityError);
        await session.rollback();
      });
    });

    it('director.movies.remove(movie) with delete-orphan deletes the movie', async () => {
      const orphans = defineMovieModels({ directorMovies: { cascade: 'all, delete-orphan' } });
      const { Movie } = orphans;
      await withSession(async (session) => {
        const movie = (await session.get(Movie, 1))!;
        const director = (await session.load(movie, 'director'))!;
        await session.load(director, 'movies');
        director.movies.remove(movie);
        await session.commit();
        expect(await session.get(Movie, 1)).to.equal(null);
        expect(strings(director.movies)).to.deep.equal(['Movie(28, "The Green Mile")']);
      });
    });

    it('movie.director = null, from the many side: fails without delete-orphan, deletes with it', async () => {
      await withSession(async (session) => {
        const movie = (await session.get(models.Movie, 2))!;
        movie.director = null;
        let error: unknown;
        await session.commit().catch((e: unknown) => (error = e));
        expect(error).to.be.instanceOf(IntegrityError);
        await session.rollback();
      });
      const orphans = defineMovieModels({ directorMovies: { cascade: 'all, delete-orphan' } });
      await withSession(async (session) => {
        const movie = (await session.get(orphans.Movie, 2))!;
        expect(String(movie)).to.equal('Movie(2, "The Godfather")');
        movie.director = null;
        await session.commit();
        expect(await session.get(orphans.Movie, 2)).to.equal(null);
      });
    });

    it('with a nullable foreign key, a detached movie stays, without a director', async () => {
      const nullable = defineMovieModels({ nullableDirector: true });
      await resetMovieTables(engine, nullable);
      await importFilms(engine, nullable);
      await withSession(async (session) => {
        const movie = (await session.get(nullable.Movie, 1))!;
        const director = (await session.load(movie, 'director'))!;
        (await session.load(director, 'movies')).remove(movie);
        await session.commit();
        expect(movie.directorId).to.equal(null);
        expect(movie.director).to.equal(null);
        expect(await session.scalar(select(nullable.Movie.c.directorId).where(nullable.Movie.c.id.eq(1)))).to.equal(null);
      });
    });
  });

  describe('many-to-many queries', () => {
    const models = defineMovieModels();
    const { Director, Movie, Genre } = models;
    before(async () => {
      await resetMovieTables(engine, models);
      await importFilms(engine, models);
    });

    it("a movie's genres and a genre's movies", async () => {
      await withSession(async (session) => {
        const movie = (await session.scalar(select(Movie).where(Movie.c.title.eq('Interstellar'))))!;
        expect(String(movie)).to.equal('Movie(18, "Interstellar")');
        // The manual prints them in the order the association rows came; collections load in key order.
        expect(strings(await session.load(movie, 'genres')).sort()).to.deep.equal(['Genre(5, "Adventure")', 'Genre(8, "Sci-Fi")']);
        const genre = (await session.scalar(select(Genre).where(Genre.c.name.eq('Sci-Fi'))))!;
        expect(String(genre)).to.equal('Genre(8, "Sci-Fi")');
        expect(strings(await session.load(genre, 'movies'))).to.deep.equal([
          'Movie(9, "Inception")',
          'Movie(10, "The Matrix")',
          'Movie(18, "Interstellar")',
          'Movie(23, "Terminator 2: Judgment Day")',
          'Movie(24, "Back to the Future")',
          'Movie(35, "Alien")',
        ]);
        expect(genre.movies).to.include(movie);
      });
    });

    it('movies with two genres or more, through the association table', async () => {
      const genreCount = func.count(Genre.c.id).label(null);
      const query = select(Movie, genreCount).join(Movie.genres).groupBy(Movie).having(genreCount.ge(2)).orderBy(Movie.c.title);
      expect(String(query)).to.match(
        /FROM rel_movies JOIN rel_movies_genres AS anon_\d ON rel_movies\.id = anon_\d\.movie_id JOIN rel_genres ON rel_genres\.id = anon_\d\.genre_id GROUP BY rel_movies\.id, rel_movies\.title, .*HAVING count\(rel_genres\.id\) >= :param_1 ORDER BY rel_movies\.title$/,
      );
      await withSession(async (session) => {
        const rows = (await session.execute(query)).all().map(([movie, count]) => [String(movie), Number(count)]);
        expect(rows.slice(0, 2)).to.deep.equal([
          ['Movie(35, "Alien")', 2],
          ['Movie(22, "American History X")', 2],
        ]);
        expect(rows[rows.length - 1]).to.deep.equal(['Movie(31, "Whiplash")', 2]);
        expect(rows.map((r) => r[0])).not.to.include('Movie(5, "12 Angry Men")');
      });
    });

    it('directors working in Sci-Fi: two joins along relationships, distinct', async () => {
      const query = select(Director).join(Director.movies).join(Movie.genres).where(Genre.c.name.eq('Sci-Fi')).orderBy(Director.c.name).distinct();
      await withSession(async (session) => {
        expect(strings(await session.scalars(query))).to.deep.equal([
          'Director(4, "Christopher Nolan")',
          'Director(19, "James Cameron")',
          'Director(9, "Lana Wachowski")',
          'Director(22, "Ridley Scott")',
          'Director(8, "Robert Zemeckis")',
        ]);
      });
    });

    it('directors with three genres or more: count(Genre.id.distinct())', async () => {
      const genreCount = func.count(Genre.c.id.distinct()).label(null);
      const query = select(Director, genreCount).join(Director.movies).join(Movie.genres).groupBy(Director).having(genreCount.ge(3));
      await withSession(async (session) => {
        const rows = (await session.execute(query)).all().map(([d, n]) => [d as InstanceType<typeof Director>, Number(n)] as const);
        rows.sort((a, b) => a[0].id - b[0].id);
        const shown = rows.map(([d, n]) => [String(d), n]);
        expect(shown.slice(0, 2)).to.deep.equal([
          ['Director(2, "Francis Ford Coppola")', 3],
          ['Director(3, "Quentin Tarantino")', 3],
        ]);
        expect(shown[shown.length - 1]).to.deep.equal(['Director(31, "Stanley Kubrick")', 3]);
        expect(rows.every(([, n]) => n >= 3)).to.equal(true);
      });
    });
  });

  describe('deleting from many-to-many relationships', () => {
    let models: MovieModels;
    beforeEach(async () => {
      models = defineMovieModels();
      await resetMovieTables(engine, models);
      await importFilms(engine, models);
    });

    it('deleting a genre removes it from its movies', async () => {
      const { Genre, Movie, moviesGenres } = models;
      await withSession(async (session) => {
        const genre = (await session.get(Genre, 11))!;
        expect(String(genre)).to.equal('Genre(11, "Mystery")');
        const movie = (await session.get(Movie, 37))!;
        expect(String(movie)).to.equal('Movie(37, "Memento")');
        expect(strings(await session.load(movie, 'genres'))).to.deep.equal(['Genre(9, "Thriller")', 'Genre(11, "Mystery")']);
        await session.delete(genre);
        await session.commit();
        expect(strings(movie.genres)).to.deep.equal(['Genre(9, "Thriller")']);
        expect(strings(await session.load(movie, 'genres'))).to.deep.equal(['Genre(9, "Thriller")']);
        expect(await session.scalar(select(func.count()).selectFrom(moviesGenres).where(moviesGenres.c.genreId.eq(11)))).to.equal(0);
      });
    });

    it('detaching a genre from a movie, from either side', async () => {
      const { Genre, Movie } = models;
      await withSession(async (session) => {
        const genre = (await session.get(Genre, 1))!;
        expect(String(genre)).to.equal('Genre(1, "Drama")');
        const movie = (await session.get(Movie, 8))!;
        expect(String(movie)).to.equal('Movie(8, "Forrest Gump")');
        expect(strings(await session.load(movie, 'genres')).sort()).to.deep.equal(['Genre(1, "Drama")', 'Genre(7, "Romance")']);
        expect(movie.genres.includes(genre)).to.equal(true);
        movie.genres.remove(genre);
        await session.commit();
        expect(strings(movie.genres)).to.deep.equal(['Genre(7, "Romance")']);
        expect(movie.genres.includes(genre)).to.equal(false);
        expect(strings(await session.load(movie, 'genres'))).to.deep.equal(['Genre(7, "Romance")']);
        // The same from the genre's side.
        const other = (await session.get(Movie, 2))!;
        await session.load(genre, 'movies');
        expect(genre.movies.remove(other)).to.equal(true);
        await session.commit();
        expect(strings(await session.load(other, 'genres'))).to.deep.equal(['Genre(2, "Crime")']);
      });
    });

    it("removing a movie's only genre leaves it with none", async () => {
      const { Genre, Movie } = models;
      await withSession(async (session) => {
        const genre = (await session.get(Genre, 1))!;
        const movie = (await session.get(Movie, 1))!;
        expect(String(movie)).to.equal('Movie(1, "The Shawshank Redemption")');
        expect(strings(await session.load(movie, 'genres'))).to.deep.equal(['Genre(1, "Drama")']);
        await session.load(genre, 'movies');
        genre.movies.remove(movie);
        await session.commit();
        expect(strings(movie.genres)).to.deep.equal([]);
        expect(strings(await session.load(movie, 'genres'))).to.deep.equal([]);
      });
    });
  });
});
