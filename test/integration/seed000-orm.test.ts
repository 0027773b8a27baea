/**
 * TypeScript twins of the ORM examples of the seed manual (000: SQLAlchemy 2.0 + Alembic) for its first
 * models: the `Movie` model, metadata, sessions (add/commit/rollback, `sessionmaker`, `session.begin()`),
 * the import script, every 2.0-style query run through `session.execute/scalars/scalar`, `get`,
 * constraints (the failed-flush rule of its IntegrityError example) and delete. Each test is named after
 * the Python it twins; where the manual prints output it is asserted as printed (films as their
 * `__repr__`), elsewhere the expected films are computed from the fixture (test/fixtures/orm-movies.ts).
 *
 * Where the manual's query has no ORDER BY and relies on rows coming back in id order, one is added:
 * PostgreSQL and MariaDB promise no order without it.
 */
import { expect } from 'chai';
import {
  type Engine,
  IntegrityError,
  InvalidRequestError,
  MultipleResultsFoundError,
  NoResultFoundError,
  type Select,
  Session,
  and_,
  createEngine,
  func,
  not_,
  or_,
  select,
  sessionmaker,
} from '../../src/index.js';
import { FILMS, type FilmData, Movie, MoviesBase, ORM_MOVIES_TABLE, newMovies, reprOf } from '../fixtures/orm-movies.js';
import { forEachDialect } from '../helpers/dialects.js';

const M = Movie.c;
const table = ORM_MOVIES_TABLE;

/** The fixture's films a filter keeps, as `__repr__` strings, in id order (or the order given). */
function expected(keep: (film: FilmData) => boolean, order?: (a: FilmData, b: FilmData) => number): string[] {
  const films = FILMS.filter(keep);
  if (order !== undefined) films.sort(order);
  return films.map(reprOf);
}

/** `print(list_of_movies)`. */
function reprs(movies: readonly object[]): string[] {
  return movies.map(String);
}

const byTitle = (a: FilmData, b: FilmData) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0);

/** The manual's new film for the session examples: `Movie(title="Blade Runner", director="Ridley Scott")`, completed. */
function bladeRunner(): Movie {
  return new Movie({ title: 'Blade Runner', director: 'Ridley Scott', releaseDate: '1982-06-25', duration: 117, genre: 'Sci-Fi', rating: 8.1 });
}

forEachDialect('seed 000: ORM (movies v1)', (dialect) => {
  let engine: Engine;
  /** `Session = sessionmaker(engine)` of the manual's db.py. */
  let SessionLocal: ReturnType<typeof sessionmaker>;
  let session: Session;

  before(async () => {
    engine = createEngine(dialect.url);
    SessionLocal = sessionmaker(engine);
    await engine.dropAll(MoviesBase.metadata);
    await engine.createAll(MoviesBase.metadata);
    // "Скрипт импорта № 1": with Session() as session: with session.begin(): session.add(Movie(**row)) ...
    await SessionLocal.begin(async (s) => {
      s.addAll(newMovies());
    });
  });

  after(async () => {
    await session?.close();
    await engine.dropAll(MoviesBase.metadata);
    await engine.dispose();
  });

  beforeEach(() => {
    session = SessionLocal();
  });

  afterEach(async () => {
    await session.close();
  });

  describe('Модели', () => {
    it('movie = Movie(title="Blade Runner", director="Ridley Scott")', () => {
      // @ts-expect-error Mapped[...] columns are required by the constructor's type; the seed leaves them out
      const movie = new Movie({ title: 'Blade Runner', director: 'Ridley Scott' });
      expect(movie.title).to.equal('Blade Runner');
      expect(movie.director).to.equal('Ridley Scott');
      // "all attributes except title and director are set to None"
      expect([movie.id, movie.releaseDate, movie.duration, movie.genre, movie.rating]).to.deep.equal([null, null, null, null, null]);
      // a plain object, bound to no database
      expect(session.statusOf(movie)).to.equal('transient');
    });

    it('def __repr__(self): return f\'Movie({self.id}, "{self.title}")\'', () => {
      // @ts-expect-error as above: the seed builds a Movie from its title alone
      expect(String(new Movie({ title: 'Alien' }))).to.equal('Movie(null, "Alien")');
    });
  });

  describe('Метаданные', () => {
    it('Base.metadata', () => {
      expect([...MoviesBase.metadata.tables.keys()]).to.deep.equal([table]);
      expect(MoviesBase.metadata.tables.get(table)).to.equal(Movie.table);
    });

    it('Base.metadata.create_all(engine) creates only missing tables', async () => {
      await engine.createAll(MoviesBase.metadata);
      expect(await session.scalar(select(func.count()).selectFrom(Movie))).to.equal(46);
    });
  });

  describe('Скрипт импорта № 1', () => {
    it('the forty-six films got ids 1..46 in insertion order', async () => {
      const rows = (await session.execute(select(M.id, M.title).orderBy(M.id))).all();
      expect(rows.map((row) => [...row])).to.deep.equal(FILMS.map((film) => [film.id, film.title]));
    });
  });

  describe('Определение запросов', () => {
    it('query = select(Movie); print(query)', () => {
      expect(String(select(Movie))).to.equal(
        `SELECT ${table}.id, ${table}.title, ${table}.director, ${table}.release_date AS "releaseDate", ${table}.duration, ${table}.genre, ${table}.rating FROM ${table}`,
      );
    });
  });

  describe('Выполнение запросов', () => {
    const query = () => select(Movie).orderBy(M.id);

    it('result = session.execute(query); list(result)', async () => {
      const result = await session.execute(query());
      const rows = [...result];
      expect(rows).to.have.length(46);
      expect(rows.map((row) => row.length)).to.satisfy((lengths: number[]) => lengths.every((n) => n === 1));
      expect(String(rows[0]![0])).to.equal('Movie(1, "The Shawshank Redemption")');
      expect(String(rows[1]![0])).to.equal('Movie(2, "The Godfather")');
      expect(String(rows.at(-1)![0])).to.equal('Movie(46, "Avengers: Infinity War")');
      expect(rows[0]![0]).to.be.instanceOf(Movie);
    });

    it('session.execute(query).all()', async () => {
      const rows = (await session.execute(query())).all();
      expect(rows.map((row) => String(row[0]))).to.deep.equal(FILMS.map(reprOf));
    });

    it('first(), one(), one_or_none()', async () => {
      const result = await session.execute(query());
      expect(String(result.first()![0])).to.equal('Movie(1, "The Shawshank Redemption")');
      expect(() => result.one()).to.throw(MultipleResultsFoundError);
      expect(() => result.oneOrNone()).to.throw(MultipleResultsFoundError);
      const none = await session.execute(select(Movie).where(M.id.eq(99)));
      expect(none.first()).to.equal(null);
      expect(none.oneOrNone()).to.equal(null);
      expect(() => none.one()).to.throw(NoResultFoundError);
    });

    it('session.scalars(query).all()', async () => {
      const movies = (await session.scalars(query())).all();
      expect(reprs(movies)).to.deep.equal(FILMS.map(reprOf));
      expect(movies[0]!.title).to.equal('The Shawshank Redemption');
    });

    it('scalar(query), scalar_one(query), scalar_one_or_none(query)', async () => {
      expect(String(await session.scalar(query()))).to.equal('Movie(1, "The Shawshank Redemption")');
      expect(String((await session.execute(select(Movie).where(M.id.eq(35)))).scalarOne())).to.equal('Movie(35, "Alien")');
      expect((await session.execute(select(Movie).where(M.id.eq(99)))).scalarOneOrNone()).to.equal(null);
      const many = await session.execute(query());
      expect(() => many.scalarOne()).to.throw(MultipleResultsFoundError);
      expect((await session.scalars(query())).first()).to.equal(await session.scalar(query()));
    });

    it('result = session.scalar(query); print(result)', async () => {
      expect(String(await session.scalar(query()))).to.equal('Movie(1, "The Shawshank Redemption")');
    });
  });

  describe('Фильтры', () => {
    const films = async (stmt: Select<[Movie], any>) => reprs((await session.scalars(stmt.orderBy(M.id))).all());

    it('select(Movie).where(Movie.director == "Ridley Scott")', async () => {
      expect(await films(select(Movie).where(M.director.eq('Ridley Scott')))).to.deep.equal(['Movie(27, "Gladiator")', 'Movie(35, "Alien")']);
    });

    it('select(Movie).where(Movie.release_date >= "2010-01-01")', async () => {
      expect(await films(select(Movie).where(M.releaseDate.ge('2010-01-01')))).to.deep.equal(expected((f) => f.releaseDate >= '2010-01-01'));
    });

    it('select(Movie).where(Movie.director == "Ridley Scott").where(Movie.release_date >= "2000-01-01")', async () => {
      const stmt = select(Movie).where(M.director.eq('Ridley Scott')).where(M.releaseDate.ge('2000-01-01'));
      expect(await films(stmt)).to.deep.equal(['Movie(27, "Gladiator")']);
    });

    it('select(Movie).where(Movie.director == "Ridley Scott", Movie.release_date >= "2000-01-01")', async () => {
      expect(await films(select(Movie).where(M.director.eq('Ridley Scott'), M.releaseDate.ge('2000-01-01')))).to.deep.equal(['Movie(27, "Gladiator")']);
    });

    it('select(Movie).where(or_(Movie.release_date < "1969-12-31", Movie.release_date > "2010-01-01"))', async () => {
      const stmt = select(Movie).where(or_(M.releaseDate.lt('1969-12-31'), M.releaseDate.gt('2010-01-01')));
      expect(await films(stmt)).to.deep.equal(expected((f) => f.releaseDate < '1969-12-31' || f.releaseDate > '2010-01-01'));
    });

    it('and_() and not_()', async () => {
      const stmt = select(Movie).where(and_(M.genre.eq('Drama'), not_(M.releaseDate.lt('1990-01-01'))));
      expect(await films(stmt)).to.deep.equal(expected((f) => f.genre === 'Drama' && !(f.releaseDate < '1990-01-01')));
    });

    it("select(Movie).where(Movie.director.like('%David%'))", async () => {
      expect(await films(select(Movie).where(M.director.like('%David%')))).to.deep.equal(['Movie(11, "Fight Club")']);
    });

    it('ilike() ignores case', async () => {
      expect(await films(select(Movie).where(M.director.ilike('%david%')))).to.deep.equal(['Movie(11, "Fight Club")']);
    });

    it('select(Movie).where(Movie.rating.between(9, 10))', async () => {
      const stmt = select(Movie).where(M.rating.between(9, 10));
      expect(String(stmt)).to.contain(`WHERE ${table}.rating BETWEEN :rating_1 AND :rating_2`);
      expect(await films(stmt)).to.deep.equal(expected((f) => f.rating >= 9 && f.rating <= 10));
    });
  });

  describe('Сортировка результатов', () => {
    it('select(Movie).order_by(Movie.title)', async () => {
      const movies = reprs((await session.scalars(select(Movie).orderBy(M.title))).all());
      expect(movies.slice(0, 2)).to.deep.equal(['Movie(5, "12 Angry Men")', 'Movie(35, "Alien")']);
      expect(movies.at(-1)).to.equal('Movie(31, "Whiplash")');
      expect(movies).to.deep.equal(expected(() => true, byTitle));
    });

    it('select(Movie).order_by(Movie.title.desc())', async () => {
      const movies = reprs((await session.scalars(select(Movie).orderBy(M.title.desc()))).all());
      expect(movies.slice(0, 2)).to.deep.equal(['Movie(31, "Whiplash")', 'Movie(20, "The Usual Suspects")']);
      expect(movies.at(-1)).to.equal('Movie(5, "12 Angry Men")');
    });

    it('select(Movie).order_by(Movie.release_date.desc(), Movie.title.asc())', async () => {
      const movies = reprs((await session.scalars(select(Movie).orderBy(M.releaseDate.desc(), M.title.asc()))).all());
      expect(movies).to.deep.equal(expected(() => true, (a, b) => (a.releaseDate === b.releaseDate ? byTitle(a, b) : a.releaseDate < b.releaseDate ? 1 : -1)));
    });
  });

  describe('Доступ к отдельным столбцам', () => {
    it('query = select(Movie.title); session.scalars(query).all()', async () => {
      const titles = (await session.scalars(select(M.title).orderBy(M.id))).all();
      expect(titles[0]).to.equal('The Shawshank Redemption');
      expect(titles[1]).to.equal('The Godfather');
      expect(titles.at(-1)).to.equal('Avengers: Infinity War');
      expect(titles).to.have.length(46);
    });

    it('query = select(Movie.title, Movie.director); session.execute(query).all()', async () => {
      const rows = (await session.execute(select(M.title, M.director).orderBy(M.id))).all();
      expect([...rows[0]!]).to.deep.equal(['The Shawshank Redemption', 'Frank Darabont']);
      expect([...rows[1]!]).to.deep.equal(['The Godfather', 'Francis Ford Coppola']);
      expect([...rows.at(-1)!]).to.deep.equal(['Avengers: Infinity War', 'Anthony Russo']);
      expect(rows[0]!.title).to.equal('The Shawshank Redemption');
    });
  });

  describe('Функции агрегирования', () => {
    it('query = select(func.count(Movie.id)); session.scalar(query)', async () => {
      expect(await session.scalar(select(func.count(M.id)))).to.equal(46);
    });

    it('query = select(func.count()).select_from(Movie); session.scalar(query)', async () => {
      expect(await session.scalar(select(func.count()).selectFrom(Movie))).to.equal(46);
    });

    it('query = select(func.min(Movie.release_date), func.max(Movie.release_date)); result.first()', async () => {
      const result = await session.execute(select(func.min(M.releaseDate), func.max(M.releaseDate)));
      expect([...result.first()!]).to.deep.equal(['1936-02-25', '2018-04-27']);
    });
  });

  describe('Группировка результатов', () => {
    const directors = [...new Set(FILMS.map((f) => f.director))].sort();
    const filmsBy = (director: string) => FILMS.filter((f) => f.director === director);

    it('select(Movie.director).order_by(Movie.director)', async () => {
      const all = (await session.scalars(select(M.director).orderBy(M.director))).all();
      expect(all).to.have.length(46);
      expect([...new Set(all)]).to.deep.equal(directors);
    });

    it('select(Movie.director).order_by(Movie.director).distinct()', async () => {
      expect((await session.scalars(select(M.director).orderBy(M.director).distinct())).all()).to.deep.equal(directors);
    });

    it('select(func.count(Movie.director.distinct()))', async () => {
      expect(await session.scalar(select(func.count(M.director.distinct())))).to.equal(directors.length);
    });

    it('select(Movie.director).group_by(Movie.director).order_by(Movie.director)', async () => {
      expect((await session.scalars(select(M.director).groupBy(M.director).orderBy(M.director))).all()).to.deep.equal(directors);
    });

    it('select(Movie.director, func.min(Movie.release_date), func.max(Movie.release_date), func.count()).group_by(...)', async () => {
      const stmt = select(M.director, func.min(M.releaseDate), func.max(M.releaseDate), func.count()).groupBy(M.director).orderBy(M.director);
      const rows = (await session.execute(stmt)).all();
      expect(rows.map((row) => [...row])).to.deep.equal(
        directors.map((d) => {
          const dates = filmsBy(d).map((f) => f.releaseDate).sort();
          return [d, dates[0], dates.at(-1), dates.length];
        }),
      );
    });

    const twoOrMore = [
      ['Charles Chaplin', 2],
      ['Christopher Nolan', 5],
      ['Francis Ford Coppola', 2],
      ['Frank Darabont', 2],
      ['Martin Scorsese', 2],
      ['Quentin Tarantino', 2],
      ['Ridley Scott', 2],
      ['Robert Zemeckis', 2],
      ['Stanley Kubrick', 2],
      ['Steven Spielberg', 2],
    ];

    it('select(Movie.director, func.count()).group_by(Movie.director).having(func.count() >= 2).order_by(Movie.director)', async () => {
      const stmt = select(M.director, func.count()).groupBy(M.director).having(func.count().ge(2)).orderBy(M.director);
      expect((await session.execute(stmt)).all().map((row) => [...row])).to.deep.equal(twoOrMore);
    });

    it('num_movies = func.count().label(None) ... having(num_movies >= 2)', async () => {
      const numMovies = func.count().label(null);
      const stmt = select(M.director, numMovies).groupBy(M.director).having(numMovies.ge(2)).orderBy(M.director);
      expect((await session.execute(stmt)).all().map((row) => [...row])).to.deep.equal(twoOrMore);
    });

    it("num_movies = func.count().label('num_movies')", async () => {
      const numMovies = func.count().label('num_movies');
      const stmt = select(M.director, numMovies).groupBy(M.director).having(numMovies.ge(2)).orderBy(M.director);
      const rows = (await session.execute(stmt)).all();
      expect(rows.map((row) => [row.director, row.num_movies])).to.deep.equal(twoOrMore);
    });
  });

  describe('Пагинация', () => {
    it('select(Movie).order_by(Movie.title).limit(3)', async () => {
      expect(reprs((await session.scalars(select(Movie).orderBy(M.title).limit(3))).all())).to.deep.equal([
        'Movie(5, "12 Angry Men")',
        'Movie(35, "Alien")',
        'Movie(22, "American History X")',
      ]);
    });

    it('select(Movie).order_by(Movie.title).limit(3).offset(3)', async () => {
      expect(reprs((await session.scalars(select(Movie).orderBy(M.title).limit(3).offset(3))).all())).to.deep.equal([
        'Movie(36, "Apocalypse Now")',
        'Movie(46, "Avengers: Infinity War")',
        'Movie(24, "Back to the Future")',
      ]);
    });

    it('select(Movie).order_by(Movie.title).where(Movie.title > "American History X").limit(3)', async () => {
      const stmt = select(Movie).orderBy(M.title).where(M.title.gt('American History X')).limit(3);
      expect(reprs((await session.scalars(stmt)).all())).to.deep.equal([
        'Movie(36, "Apocalypse Now")',
        'Movie(46, "Avengers: Infinity War")',
        'Movie(24, "Back to the Future")',
      ]);
    });

    it('select(Movie).order_by(Movie.title.desc()).where(Movie.title < "Apocalypse Now").limit(3)', async () => {
      const stmt = select(Movie).orderBy(M.title.desc()).where(M.title.lt('Apocalypse Now')).limit(3);
      expect(reprs((await session.scalars(stmt)).all())).to.deep.equal([
        'Movie(22, "American History X")',
        'Movie(35, "Alien")',
        'Movie(5, "12 Angry Men")',
      ]);
    });
  });

  describe('Получение элемента по его первичному ключу', () => {
    it('query = select(Movie).where(Movie.id == 23); session.scalar(query)', async () => {
      expect(String(await session.scalar(select(Movie).where(M.id.eq(23))))).to.equal('Movie(23, "Terminator 2: Judgment Day")');
    });

    it('session.get(Movie, 23)', async () => {
      const lines: string[] = [];
      const echoing = createEngine(dialect.url, { echo: true, logger: (line) => lines.push(line) });
      try {
        await using s = new Session(echoing);
        const queried = await s.scalar(select(Movie).where(M.id.eq(23)));
        const statements = lines.length;
        const got = await s.get(Movie, 23);
        // The same object, from the identity map, without a query.
        expect(got).to.equal(queried);
        expect(lines.length).to.equal(statements);
        expect(String(got)).to.equal('Movie(23, "Terminator 2: Judgment Day")');
      } finally {
        await echoing.dispose();
      }
    });

    it('session.get(Movie, 99) is None', async () => {
      expect(await session.get(Movie, 99)).to.equal(null);
    });
  });

  describe('Сессии', () => {
    it('with Session(engine) as session: try: session.add(movie); session.commit() except: session.rollback(); raise', async () => {
      const movie = bladeRunner();
      {
        await using s = new Session(engine);
        try {
          s.add(movie);
          await s.commit();
        } catch (error) {
          await s.rollback();
          throw error;
        }
        // "the database assigns the next available number to id"
        expect(String(movie)).to.equal('Movie(47, "Blade Runner")');
      }
      // closed by `await using`: the object is detached, its values kept
      expect(session.statusOf(movie)).to.equal('detached');
      expect(movie.title).to.equal('Blade Runner');
    });

    it('Session = sessionmaker(engine); with Session() as session: with session.begin(): session.add(movie)', async () => {
      const movie = bladeRunner();
      movie.title = 'Blade Runner 2049';
      movie.releaseDate = '2017-10-06';
      await SessionLocal.run(async (s) => {
        await s.begin(async () => {
          s.add(movie);
        });
      });
      expect(String(movie)).to.equal('Movie(48, "Blade Runner 2049")');
    });

    it('session.begin() rolls back when the block raises', async () => {
      const movie = bladeRunner();
      movie.title = 'Never Saved';
      const error = await SessionLocal.begin(async (s) => {
        s.add(movie);
        await s.flush();
        throw new Error('boom');
      }).catch((e: unknown) => e);
      expect((error as Error).message).to.equal('boom');
      expect(await session.scalar(select(func.count()).selectFrom(Movie).where(M.title.eq('Never Saved')))).to.equal(0);
    });

    after(async () => {
      // Leave the 46 films for the tests below.
      await SessionLocal.begin(async (s) => {
        for (const movie of (await s.scalars(select(Movie).where(M.id.gt(46)))).all()) await s.delete(movie);
      });
    });
  });

  describe('Ограничения', () => {
    it('unique=True: a second "Alien" fails at commit with IntegrityError', async () => {
      session.add(new Movie({ title: 'Alien', director: 'Ridley Scott', releaseDate: '1979-05-25', duration: 117, genre: 'Horror', rating: 8.5 }));
      const error = await session.commit().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(IntegrityError);
      await session.rollback();
    });

    it('Mapped[type] columns are NOT NULL: a film without a rating fails with IntegrityError', async () => {
      // @ts-expect-error the type already says rating is required; the database says it too
      session.add(new Movie({ title: 'Unrated', director: 'Nobody', releaseDate: '2000-01-01', duration: 90, genre: 'Drama' }));
      const error = await session.flush().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(IntegrityError);
      await session.rollback();
    });

    it('after a failed commit the session refuses work until session.rollback()', async () => {
      const duplicate = new Movie({ title: 'Gladiator', director: 'Ridley Scott', releaseDate: '2000-05-05', duration: 155, genre: 'Action', rating: 8.5 });
      session.add(duplicate);
      expect(await session.commit().catch((e: unknown) => e)).to.be.instanceOf(IntegrityError);
      const refused = await session.scalar(select(func.count()).selectFrom(Movie)).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(InvalidRequestError);
      expect((refused as Error).message).to.match(/^This session's transaction has been rolled back due to a previous exception during flush; call session\.rollback\(\)/);
      expect(() => session.add(bladeRunner())).to.throw(InvalidRequestError);
      await session.rollback();
      // the pending film was discarded; the session works again
      expect(session.statusOf(duplicate)).to.equal('transient');
      expect(await session.scalar(select(func.count()).selectFrom(Movie))).to.equal(46);
    });
  });

  describe('Удаление', () => {
    it('movie = session.get(Movie, 23); session.delete(movie); session.commit(); session.get(Movie, 23) is None', async () => {
      const movie = await session.get(Movie, 23);
      expect(String(movie)).to.equal('Movie(23, "Terminator 2: Judgment Day")');
      await session.delete(movie!);
      expect(session.statusOf(movie!)).to.equal('persistent');
      await session.commit();
      expect(session.statusOf(movie!)).to.equal('detached');
      expect(await session.get(Movie, 23)).to.equal(null);
      expect(await session.scalar(select(func.count()).selectFrom(Movie))).to.equal(45);
    });
  });
});
