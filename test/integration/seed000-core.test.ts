/**
 * TypeScript twins of the 2.0-style query examples of the seed manual (000: SQLAlchemy 2.0 + Alembic,
 * section "Запросы"), written as Core queries over the manual's `movies` table and run on every
 * dialect. Each test is named after the Python example it twins. Films are shown as the manual's
 * `Movie.__repr__` prints them (`Movie(35, "Alien")`); where the manual prints output, the fixture's
 * films reproduce it (ids, order, the min/max release dates).
 */
import { expect } from 'chai';
import { type Engine, type Executable, createEngine } from '../../src/engine/index.js';
import { MultipleResultsFoundError, NoResultFoundError, and_, func, not_, or_, select } from '../../src/index.js';
import { CORE_PREFIX, MOVIES, createCoreTables, dropCoreTables, movieTables } from '../fixtures/movies.js';
import { forEachDialect } from '../helpers/dialects.js';

const { movies } = movieTables(CORE_PREFIX);
/** The manual's `Movie`: its attributes are this table's columns. */
const Movie = movies.c;

/** `Movie.__repr__` of the manual: `Movie(1, "The Shawshank Redemption")`. */
function repr(row: { readonly id: unknown; readonly title: unknown }): string {
  return `Movie(${String(row.id)}, "${String(row.title)}")`;
}

forEachDialect('seed 000: 2.0-style queries as Core', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.begin((conn) => createCoreTables(conn, dialect.name));
  });

  after(async () => {
    await engine.begin((conn) => dropCoreTables(conn, dialect.name));
    await engine.dispose();
  });

  /** `session.scalars(query).all()` for a `select(Movie)`: the films, as the manual prints them. */
  async function scalarsAll(query: ReturnType<typeof selectMovie>): Promise<string[]> {
    return (await engine.connect((conn) => conn.execute(query))).all().map(repr);
  }

  /** `session.execute(query).all()`: rows as plain tuples. */
  async function executeAll(query: Executable): Promise<unknown[][]> {
    return (await engine.connect((conn) => conn.execute(query))).all().map((row) => [...(row as readonly unknown[])]);
  }

  /** `session.scalar(query)`. */
  function scalar<S extends Executable>(query: S) {
    return engine.connect((conn) => conn.scalar(query));
  }

  /** `select(Movie)`. */
  function selectMovie() {
    return select(movies);
  }

  describe('Определение запросов', () => {
    it('query = select(Movie); print(query)', () => {
      // The manual prints: SELECT movies.id, movies.title, movies.director, movies.release_date, ... FROM movies
      // (the release date's attribute is `releaseDate` here, so it is labelled with that key).
      expect(String(selectMovie())).to.equal(
        `SELECT ${CORE_PREFIX}movies.id, ${CORE_PREFIX}movies.title, ${CORE_PREFIX}movies.director, ${CORE_PREFIX}movies.release_date AS "releaseDate", ${CORE_PREFIX}movies.duration, ${CORE_PREFIX}movies.genre, ${CORE_PREFIX}movies.rating FROM ${CORE_PREFIX}movies`,
      );
    });
  });

  describe('Выполнение запросов', () => {
    it('session.execute(query).all() / session.scalars(query).all()', async () => {
      const films = await scalarsAll(selectMovie().orderBy(Movie.id));
      expect(films).to.have.length(MOVIES.length);
      expect(films[0]).to.equal('Movie(1, "The Shawshank Redemption")');
      expect(films[1]).to.equal('Movie(2, "The Godfather")');
      expect(films.at(-1)).to.equal('Movie(46, "Avengers: Infinity War")');
    });

    it('first(), one(), one_or_none()', async () => {
      await engine.connect(async (conn) => {
        const all = await conn.execute(selectMovie().orderBy(Movie.id));
        expect(repr(all.first()!)).to.equal('Movie(1, "The Shawshank Redemption")');
        expect(() => all.one()).to.throw(MultipleResultsFoundError);
        expect(() => all.oneOrNone()).to.throw(MultipleResultsFoundError);
        const none = await conn.execute(selectMovie().where(Movie.id.eq(23)));
        expect(none.first()).to.equal(null);
        expect(none.oneOrNone()).to.equal(null);
        expect(() => none.one()).to.throw(NoResultFoundError);
        const alien = await conn.execute(selectMovie().where(Movie.id.eq(35)));
        expect(repr(alien.one())).to.equal('Movie(35, "Alien")');
      });
    });

    it('session.scalar(query), scalar_one(query), scalar_one_or_none(query)', async () => {
      expect(await scalar(selectMovie().orderBy(Movie.id))).to.equal(1);
      await engine.connect(async (conn) => {
        expect((await conn.execute(select(Movie.title).where(Movie.id.eq(35)))).scalarOne()).to.equal('Alien');
        expect((await conn.execute(select(Movie.title).where(Movie.id.eq(23)))).scalarOneOrNone()).to.equal(null);
      });
    });
  });

  describe('Фильтры', () => {
    it('select(Movie).where(Movie.director == "Ridley Scott")', async () => {
      expect(await scalarsAll(selectMovie().where(Movie.director.eq('Ridley Scott')).orderBy(Movie.id))).to.deep.equal([
        'Movie(27, "Gladiator")',
        'Movie(35, "Alien")',
      ]);
    });

    it('select(Movie).where(Movie.release_date >= "2010-01-01")', async () => {
      expect(await scalarsAll(selectMovie().where(Movie.releaseDate.ge('2010-01-01')).orderBy(Movie.id))).to.deep.equal([
        'Movie(29, "Interstellar")',
        'Movie(31, "Whiplash")',
        'Movie(46, "Avengers: Infinity War")',
      ]);
    });

    it('select(Movie).where(Movie.director == "Ridley Scott").where(Movie.release_date >= "2000-01-01")', async () => {
      const query = selectMovie().where(Movie.director.eq('Ridley Scott')).where(Movie.releaseDate.ge('2000-01-01'));
      expect(await scalarsAll(query)).to.deep.equal(['Movie(27, "Gladiator")']);
    });

    it('select(Movie).where(Movie.director == "Ridley Scott", Movie.release_date >= "2000-01-01")', async () => {
      const query = selectMovie().where(Movie.director.eq('Ridley Scott'), Movie.releaseDate.ge('2000-01-01'));
      expect(await scalarsAll(query)).to.deep.equal(['Movie(27, "Gladiator")']);
    });

    it('select(Movie).where(or_(Movie.release_date < "1969-12-31", Movie.release_date > "2010-01-01"))', async () => {
      const query = selectMovie().where(or_(Movie.releaseDate.lt('1969-12-31'), Movie.releaseDate.gt('2010-01-01'))).orderBy(Movie.id);
      expect(await scalarsAll(query)).to.deep.equal([
        'Movie(5, "12 Angry Men")',
        'Movie(29, "Interstellar")',
        'Movie(31, "Whiplash")',
        'Movie(40, "Modern Times")',
        'Movie(46, "Avengers: Infinity War")',
      ]);
    });

    it('and_() and not_()', async () => {
      const query = selectMovie()
        .where(and_(Movie.genre.eq('Drama'), not_(Movie.releaseDate.lt('1990-01-01'))))
        .orderBy(Movie.id);
      expect(await scalarsAll(query)).to.deep.equal([
        'Movie(1, "The Shawshank Redemption")',
        'Movie(10, "Fight Club")',
        'Movie(22, "American History X")',
        'Movie(31, "Whiplash")',
      ]);
    });

    it("select(Movie).where(Movie.director.like('%David%'))", async () => {
      expect(await scalarsAll(selectMovie().where(Movie.director.like('%David%')))).to.deep.equal(['Movie(10, "Fight Club")']);
    });

    it("like() patterns: 'Pattern%', '%Pattern', '% Pattern', 'P__%', '_'", async () => {
      const titles = async (pattern: string) =>
        (await executeAll(select(Movie.title).where(Movie.title.like(pattern)).orderBy(Movie.title))).map((row) => row[0]);
      expect(await titles('The%')).to.deep.equal(['The Godfather', 'The Shawshank Redemption', 'The Usual Suspects']);
      expect(await titles('%Club')).to.deep.equal(['Fight Club']);
      expect(await titles('% Now')).to.deep.equal(['Apocalypse Now']);
      expect(await titles('A__%')).to.deep.equal(['Alien', 'American History X', 'Apocalypse Now', 'Avengers: Infinity War']);
      expect(await titles('_')).to.deep.equal([]);
      expect(await titles('_____')).to.deep.equal(['Alien']);
    });

    it('like() is case sensitive (on PostgreSQL); ilike() is not', async () => {
      const ids = async (query: Executable) => (await executeAll(query)).map((row) => row[0]);
      expect(await ids(select(Movie.id).where(Movie.director.ilike('%david%')))).to.deep.equal([10]);
      // SQLite (for ASCII) and MySQL's default collations compare case-insensitively even with LIKE.
      expect(await ids(select(Movie.id).where(Movie.director.like('%david%')))).to.deep.equal(
        { sqlite: [10], postgresql: [], mysql: [10] }[dialect.name],
      );
    });

    it('select(Movie).where(Movie.rating.between(9, 10))', async () => {
      const query = selectMovie().where(Movie.rating.between(9, 10)).orderBy(Movie.id);
      expect(String(query)).to.contain(`WHERE ${CORE_PREFIX}movies.rating BETWEEN :rating_1 AND :rating_2`);
      expect(await scalarsAll(query)).to.deep.equal(['Movie(1, "The Shawshank Redemption")', 'Movie(2, "The Godfather")', 'Movie(5, "12 Angry Men")']);
      // The same range with two conditions, as the manual describes first.
      const twoConditions = selectMovie().where(Movie.rating.ge(9), Movie.rating.le(10)).orderBy(Movie.id);
      expect(await scalarsAll(twoConditions)).to.deep.equal(await scalarsAll(query));
    });
  });

  describe('Сортировка результатов', () => {
    it('select(Movie).order_by(Movie.title)', async () => {
      const films = await scalarsAll(selectMovie().orderBy(Movie.title));
      expect(films.slice(0, 2)).to.deep.equal(['Movie(5, "12 Angry Men")', 'Movie(35, "Alien")']);
      expect(films.at(-1)).to.equal('Movie(31, "Whiplash")');
    });

    it('select(Movie).order_by(Movie.title.desc())', async () => {
      const films = await scalarsAll(selectMovie().orderBy(Movie.title.desc()));
      expect(films.slice(0, 2)).to.deep.equal(['Movie(31, "Whiplash")', 'Movie(20, "The Usual Suspects")']);
      expect(films.at(-1)).to.equal('Movie(5, "12 Angry Men")');
    });

    it('select(Movie).order_by(Movie.release_date.desc(), Movie.title.asc())', async () => {
      const films = await scalarsAll(selectMovie().orderBy(Movie.releaseDate.desc(), Movie.title.asc()));
      expect(films.slice(0, 3)).to.deep.equal(['Movie(46, "Avengers: Infinity War")', 'Movie(29, "Interstellar")', 'Movie(31, "Whiplash")']);
      expect(films.at(-1)).to.equal('Movie(40, "Modern Times")');
    });
  });

  describe('Доступ к отдельным столбцам', () => {
    it('select(Movie.title)', async () => {
      const titles = await engine.connect(async (conn) => (await conn.scalars(select(Movie.title).orderBy(Movie.id))).all());
      expect(titles.slice(0, 2)).to.deep.equal(['The Shawshank Redemption', 'The Godfather']);
      expect(titles.at(-1)).to.equal('Avengers: Infinity War');
    });

    it('select(Movie.title, Movie.director)', async () => {
      const rows = await executeAll(select(Movie.title, Movie.director).orderBy(Movie.id));
      expect(rows.slice(0, 2)).to.deep.equal([
        ['The Shawshank Redemption', 'Frank Darabont'],
        ['The Godfather', 'Francis Ford Coppola'],
      ]);
      expect(rows.at(-1)).to.deep.equal(['Avengers: Infinity War', 'Anthony Russo']);
    });
  });

  describe('Функции агрегирования', () => {
    it('select(func.count(Movie.id))', async () => {
      expect(await scalar(select(func.count(Movie.id)))).to.equal(MOVIES.length);
    });

    it('select(func.count()).select_from(Movie)', async () => {
      expect(await scalar(select(func.count()).selectFrom(movies))).to.equal(MOVIES.length);
    });

    it('select(func.min(Movie.release_date), func.max(Movie.release_date))', async () => {
      // The manual: (datetime.date(1936, 2, 25), datetime.date(2018, 4, 27)).
      const first = await engine.connect(async (conn) => (await conn.execute(select(func.min(Movie.releaseDate), func.max(Movie.releaseDate)))).first());
      expect([...first!]).to.deep.equal(['1936-02-25', '2018-04-27']);
    });
  });

  describe('Группировка результатов', () => {
    const directors = [...new Set(MOVIES.map((f) => f.director))].sort();

    it('select(Movie.director).order_by(Movie.director)', async () => {
      const rows = await executeAll(select(Movie.director).orderBy(Movie.director));
      expect(rows).to.have.length(MOVIES.length);
      expect(rows.slice(6, 8)).to.deep.equal([['Francis Ford Coppola'], ['Francis Ford Coppola']]);
    });

    it('select(Movie.director).order_by(Movie.director).distinct()', async () => {
      expect((await executeAll(select(Movie.director).orderBy(Movie.director).distinct())).map((r) => r[0])).to.deep.equal(directors);
    });

    it('select(func.count(Movie.director.distinct()))', async () => {
      expect(await scalar(select(func.count(Movie.director.distinct())))).to.equal(12);
    });

    it('select(Movie.director).group_by(Movie.director).order_by(Movie.director)', async () => {
      expect((await executeAll(select(Movie.director).groupBy(Movie.director).orderBy(Movie.director))).map((r) => r[0])).to.deep.equal(directors);
    });

    it('select(Movie.director, func.min(Movie.release_date), func.max(Movie.release_date), func.count()).group_by(Movie.director).order_by(Movie.director)', async () => {
      const query = select(Movie.director, func.min(Movie.releaseDate), func.max(Movie.releaseDate), func.count()).groupBy(Movie.director).orderBy(Movie.director);
      const rows = await executeAll(query);
      expect(rows).to.have.length(12);
      expect(rows.filter((row) => row[3] === 2)).to.deep.equal([
        ['Francis Ford Coppola', '1972-03-24', '1979-08-15', 2],
        ['Ridley Scott', '1979-05-25', '2000-05-05', 2],
      ]);
      expect(rows[0]).to.deep.equal(['Anthony Russo', '2018-04-27', '2018-04-27', 1]);
    });

    it('select(Movie.director, func.count()).group_by(Movie.director).having(func.count() >= 2).order_by(Movie.director)', async () => {
      const query = select(Movie.director, func.count()).groupBy(Movie.director).having(func.count().ge(2)).orderBy(Movie.director);
      expect(await executeAll(query)).to.deep.equal([
        ['Francis Ford Coppola', 2],
        ['Ridley Scott', 2],
      ]);
    });

    it('num_movies = func.count().label(None); select(Movie.director, num_movies).group_by(Movie.director).having(num_movies >= 2)', async () => {
      const numMovies = func.count().label(null);
      const query = select(Movie.director, numMovies).groupBy(Movie.director).having(numMovies.ge(2)).orderBy(Movie.director);
      expect(String(query)).to.contain('count(*) AS anon_1').and.contain('HAVING count(*) >= :param_1');
      expect(await executeAll(query)).to.deep.equal([
        ['Francis Ford Coppola', 2],
        ['Ridley Scott', 2],
      ]);
    });

    it("num_movies = func.count().label('num_movies')", async () => {
      const numMovies = func.count().label('num_movies');
      const query = select(Movie.director, numMovies).groupBy(Movie.director).having(numMovies.ge(2)).orderBy(Movie.director);
      const rows = (await engine.connect((conn) => conn.execute(query))).all();
      expect(rows.map((row) => [row.director, row.num_movies])).to.deep.equal([
        ['Francis Ford Coppola', 2],
        ['Ridley Scott', 2],
      ]);
    });
  });

  describe('Пагинация', () => {
    it('select(Movie).order_by(Movie.title).limit(3)', async () => {
      expect(await scalarsAll(selectMovie().orderBy(Movie.title).limit(3))).to.deep.equal([
        'Movie(5, "12 Angry Men")',
        'Movie(35, "Alien")',
        'Movie(22, "American History X")',
      ]);
    });

    it('select(Movie).order_by(Movie.title).limit(3).offset(3)', async () => {
      expect(await scalarsAll(selectMovie().orderBy(Movie.title).limit(3).offset(3))).to.deep.equal([
        'Movie(36, "Apocalypse Now")',
        'Movie(46, "Avengers: Infinity War")',
        'Movie(24, "Back to the Future")',
      ]);
    });

    it('select(Movie).order_by(Movie.title).where(Movie.title > "American History X").limit(3)', async () => {
      const page2 = selectMovie().orderBy(Movie.title).where(Movie.title.gt('American History X')).limit(3);
      expect(await scalarsAll(page2)).to.deep.equal(await scalarsAll(selectMovie().orderBy(Movie.title).limit(3).offset(3)));
    });

    it('select(Movie).order_by(Movie.title.desc()).where(Movie.title < "Apocalypse Now").limit(3)', async () => {
      const page1Backwards = selectMovie().orderBy(Movie.title.desc()).where(Movie.title.lt('Apocalypse Now')).limit(3);
      expect(await scalarsAll(page1Backwards)).to.deep.equal([
        'Movie(22, "American History X")',
        'Movie(35, "Alien")',
        'Movie(5, "12 Angry Men")',
      ]);
    });
  });

  describe('Получение элемента по его первичному ключу', () => {
    it('session.scalar(select(Movie).where(Movie.id == 23))', async () => {
      // No film has id 23 here: the manual's "or no result at all" case.
      expect(await engine.connect(async (conn) => (await conn.execute(selectMovie().where(Movie.id.eq(23)))).first())).to.equal(null);
      const found = await engine.connect(async (conn) => (await conn.execute(selectMovie().where(Movie.id.eq(24)))).oneOrNone());
      expect(repr(found!)).to.equal('Movie(24, "Back to the Future")');
    });

    it('session.scalar(select(Movie).where(Movie.title == "Interstellar"))', async () => {
      const row = await engine.connect(async (conn) => (await conn.execute(selectMovie().where(Movie.title.eq('Interstellar')))).one());
      expect([...row]).to.deep.equal([29, 'Interstellar', 'Christopher Nolan', '2014-11-07', 169, 'Sci-Fi', 8.7]);
    });
  });
});
