/**
 * Every cascade option, checked by the rows in the database after commit (read back with Core, not
 * through the session that wrote them): save-update (the default), merge, delete, all, delete-orphan,
 * passive deletes (the database's ON DELETE doing the work), the default of setting children's foreign
 * keys to NULL, and association rows of many-to-many relationships.
 */
import { expect } from 'chai';
import { type Engine, Session, createEngine, func, select } from '../../src/index.js';
import { type MovieModelOptions, type MovieModels, defineMovieModels, importFilms, resetMovieTables } from '../fixtures/relationships-movies.js';
import { forEachDialect } from '../helpers/dialects.js';

function statements(lines: readonly string[]): string[] {
  return lines.filter((line) => !line.startsWith('[parameters') && !/^(BEGIN|COMMIT|ROLLBACK)\b/.test(line));
}

forEachDialect('relationship cascades', (dialect) => {
  let engine: Engine;
  const log: string[] = [];
  before(() => {
    engine = createEngine(dialect.url, { logger: (line) => log.push(line) });
  });
  after(async () => {
    await engine.dropAll(defineMovieModels().Base.metadata);
    await engine.dispose();
  });

  /** Fresh tables with the films, and models with these options. */
  async function fresh(options: MovieModelOptions = {}): Promise<MovieModels> {
    const models = defineMovieModels(options);
    await resetMovieTables(engine, models);
    await importFilms(engine, models);
    return models;
  }

  async function withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = new Session(engine);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  /** Rows of the database, read with Core on a connection of its own. */
  async function rows(models: MovieModels) {
    const { Director, Movie, moviesGenres } = models;
    return engine.connect(async (conn) => ({
      movies: (await conn.execute(select(Movie.c.id, Movie.c.title, Movie.c.directorId).selectFrom(Movie.table).orderBy(Movie.c.id))).all().map((r) => [...r]),
      directors: (await conn.execute(select(Director.c.id, Director.c.name).selectFrom(Director.table).orderBy(Director.c.id))).all().map((r) => [...r]),
      links: (await conn.execute(select(moviesGenres.c.movieId, moviesGenres.c.genreId).orderBy(moviesGenres.c.movieId, moviesGenres.c.genreId))).all().map((r) => [...r]),
    }));
  }

  const film = (models: MovieModels, title: string) => new models.Movie({ title, releaseDate: '2020-01-01', duration: 100, rating: 7.5 });

  describe('save-update (the default)', () => {
    it('adding a director adds the new movies in its collection, and their genres', async () => {
      const models = await fresh();
      await withSession(async (session) => {
        const villeneuve = new models.Director({ name: 'Denis Villeneuve' });
        const dune = film(models, 'Dune');
        villeneuve.movies.push(dune, film(models, 'Arrival'));
        dune.genres.push(new models.Genre({ name: 'Epic' }));
        session.add(villeneuve);
        expect(session.new).to.have.length(4);
        await session.commit();
      });
      const db = await rows(models);
      expect(db.directors.at(-1)).to.deep.equal([34, 'Denis Villeneuve']);
      expect(db.movies.slice(-2)).to.deep.equal([
        [47, 'Dune', 34],
        [48, 'Arrival', 34],
      ]);
      expect(db.links.at(-1)).to.deep.equal([47, 16]);
    });

    it("appending to a persistent director's movies, or setting a movie's director, adds the new object", async () => {
      const models = await fresh();
      await withSession(async (session) => {
        const nolan = (await session.get(models.Director, 4))!;
        await session.load(nolan, 'movies');
        nolan.movies.push(film(models, 'Tenet'));
        const oppenheimer = (await session.get(models.Movie, 37))!;
        oppenheimer.director = new models.Director({ name: 'Someone Else' });
        await session.commit();
      });
      const db = await rows(models);
      expect(db.movies.at(-1)).to.deep.equal([47, 'Tenet', 4]);
      expect(db.directors.at(-1)).to.deep.equal([34, 'Someone Else']);
      expect(db.movies.find((m) => m[0] === 37)).to.deep.equal([37, 'Memento', 34]);
    });

    it('without save-update, an appended new movie stays out of the session and the database', async () => {
      const models = await fresh({ directorMovies: { cascade: 'merge' } });
      await withSession(async (session) => {
        const nolan = (await session.get(models.Director, 4))!;
        await session.load(nolan, 'movies');
        const tenet = film(models, 'Tenet');
        nolan.movies.push(tenet);
        expect(session.contains(tenet)).to.equal(false);
        await session.commit();
      });
      expect((await rows(models)).movies).to.have.length(46);
    });
  });

  describe('merge', () => {
    it('merging a detached director merges the changes of its loaded movies', async () => {
      const models = await fresh();
      const detached = await withSession(async (session) => {
        const nolan = (await session.get(models.Director, 4))!;
        await session.load(nolan, 'movies');
        return nolan;
      });
      detached.movies[0]!.title = 'The Dark Knight (2008)';
      detached.movies.push(film(models, 'Tenet'));
      await withSession(async (session) => {
        const merged = await session.merge(detached);
        expect(merged).not.to.equal(detached);
        expect(merged.movies.map((m) => m.title)).to.include('The Dark Knight (2008)');
        await session.commit();
      });
      const db = await rows(models);
      expect(db.movies.find((m) => m[0] === 4)).to.deep.equal([4, 'The Dark Knight (2008)', 4]);
      expect(db.movies.at(-1)).to.deep.equal([47, 'Tenet', 4]);
    });

    it('without merge in the cascade, only the director itself is merged', async () => {
      const models = await fresh({ directorMovies: { cascade: 'save-update' } });
      const detached = await withSession(async (session) => {
        const nolan = (await session.get(models.Director, 4))!;
        await session.load(nolan, 'movies');
        return nolan;
      });
      detached.name = 'C. Nolan';
      detached.movies[0]!.title = 'Changed';
      await withSession(async (session) => {
        await session.merge(detached);
        await session.commit();
      });
      const db = await rows(models);
      expect(db.directors[3]).to.deep.equal([4, 'C. Nolan']);
      expect(db.movies.find((m) => m[0] === 4)![1]).to.equal('The Dark Knight');
    });
  });

  describe('delete and all', () => {
    for (const cascade of ['save-update, merge, delete', 'all']) {
      it(`'${cascade}': deleting a director deletes its movies (loaded first) and their association rows`, async () => {
        const models = await fresh({ directorMovies: { cascade } });
        log.length = 0;
        engine.echo = true;
        await withSession(async (session) => {
          await session.delete((await session.get(models.Director, 4))!);
          await session.commit();
        });
        engine.echo = false;
        expect(statements(log).some((s) => /^SELECT .* FROM rel_movies WHERE rel_movies\.director_id = /.test(s))).to.equal(true);
        const db = await rows(models);
        expect(db.directors.map((d) => d[0])).not.to.include(4);
        expect(db.movies.filter((m) => m[2] === 4)).to.deep.equal([]);
        expect(db.movies).to.have.length(41);
        expect(db.links.filter((l) => [4, 9, 18, 29, 37].includes(l[0] as number))).to.deep.equal([]);
      });
    }
  });

  describe('delete-orphan', () => {
    it('a movie removed from its director is deleted; one moved to another director is not', async () => {
      const models = await fresh({ directorMovies: { cascade: 'all, delete-orphan' } });
      await withSession(async (session) => {
        const nolan = (await session.get(models.Director, 4))!;
        const darabont = (await session.get(models.Director, 1))!;
        await session.load([nolan, darabont], 'movies');
        const memento = nolan.movies.find((m) => m.id === 37)!;
        nolan.movies.remove(nolan.movies.find((m) => m.id === 29)!);
        nolan.movies.remove(memento);
        darabont.movies.push(memento);
        await session.commit();
      });
      const db = await rows(models);
      expect(db.movies.find((m) => m[0] === 29)).to.equal(undefined);
      expect(db.movies.find((m) => m[0] === 37)).to.deep.equal([37, 'Memento', 1]);
      expect(db.links.filter((l) => l[0] === 29)).to.deep.equal([]);
    });

    it('a new movie orphaned before the flush is never inserted', async () => {
      const models = await fresh({ directorMovies: { cascade: 'all, delete-orphan' } });
      await withSession(async (session) => {
        const nolan = (await session.get(models.Director, 4))!;
        await session.load(nolan, 'movies');
        const tenet = film(models, 'Tenet');
        nolan.movies.push(tenet);
        nolan.movies.remove(tenet);
        await session.commit();
      });
      expect((await rows(models)).movies).to.have.length(46);
    });
  });

  describe('passive deletes and the default of NULL foreign keys', () => {
    it('passiveDeletes: the database deletes the unloaded movies (ON DELETE CASCADE), the ORM does not load them', async () => {
      const models = await fresh({ directorMovies: { cascade: 'all', passiveDeletes: true }, onDelete: 'CASCADE' });
      log.length = 0;
      engine.echo = true;
      await withSession(async (session) => {
        await session.delete((await session.get(models.Director, 4))!);
        await session.commit();
      });
      engine.echo = false;
      const ran = statements(log);
      expect(ran.filter((s) => s.includes('FROM rel_movies'))).to.deep.equal([]);
      const db = await rows(models);
      expect(db.movies).to.have.length(41);
      expect(db.links.filter((l) => l[0] === 18)).to.deep.equal([]);
    });

    it("passiveDeletes: 'all' leaves even loaded movies to the database (ON DELETE SET NULL)", async () => {
      const models = await fresh({ directorMovies: { passiveDeletes: 'all' }, onDelete: 'SET NULL', nullableDirector: true });
      await withSession(async (session) => {
        const nolan = (await session.get(models.Director, 4))!;
        await session.load(nolan, 'movies');
        log.length = 0;
        engine.echo = true;
        await session.delete(nolan);
        await session.commit();
        engine.echo = false;
        expect(statements(log).filter((s) => s.startsWith('UPDATE'))).to.deep.equal([]);
      });
      const db = await rows(models);
      expect(db.movies.filter((m) => [4, 9, 18, 29, 37].includes(m[0] as number)).map((m) => m[2])).to.deep.equal([null, null, null, null, null]);
    });

    it('by default the children of a deleted director get a NULL director_id, loaded or not', async () => {
      const models = await fresh({ nullableDirector: true });
      await withSession(async (session) => {
        const nolan = (await session.get(models.Director, 4))!;
        const darabont = (await session.get(models.Director, 1))!;
        const movies = await session.load(nolan, 'movies');
        const shawshank = (await session.get(models.Movie, 1))!;
        await session.delete(nolan);
        await session.delete(darabont);
        await session.commit();
        expect(movies.every((m) => m.directorId === null && m.director === null)).to.equal(true);
        expect(shawshank.directorId).to.equal(null);
      });
      const db = await rows(models);
      expect(db.movies.filter((m) => m[2] === null).map((m) => m[0])).to.deep.equal([1, 4, 9, 18, 28, 29, 37]);
      expect(db.movies).to.have.length(46);
    });
  });

  describe('many-to-many association rows', () => {
    it('are inserted for new links, deleted for removed ones, and for a deleted movie or genre', async () => {
      const models = await fresh();
      const count = async () => engine.connect(async (conn) => Number(await conn.scalar(select(func.count()).selectFrom(models.moviesGenres))));
      const before = await count();
      await withSession(async (session) => {
        const alien = (await session.get(models.Movie, 35))!;
        const drama = (await session.get(models.Genre, 1))!;
        const genres = await session.load(alien, 'genres');
        genres.push(drama);
        genres.remove(genres.find((g) => g.name === 'Horror')!);
        await session.commit();
        expect((await rows(models)).links.filter((l) => l[0] === 35)).to.deep.equal([
          [35, 1],
          [35, 8],
        ]);
        await session.delete(alien);
        await session.delete((await session.get(models.Genre, 11))!);
        await session.commit();
      });
      const db = await rows(models);
      expect(db.links.filter((l) => l[0] === 35 || l[1] === 11)).to.deep.equal([]);
      expect(await count()).to.equal(before - 2 - 7);
    });
  });
});
