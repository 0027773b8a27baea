/**
 * Every SELECT construct of the expression language, run against each real database: the rows that
 * come back and their JS types. The data is the seed's films (test/fixtures/movies.ts), directors joined
 * by name, and a few strings with LIKE wildcards in them.
 */
import { expect } from 'chai';
import { type Engine, type Executable, createEngine } from '../../src/engine/index.js';
import {
  type ClauseElement,
  and_,
  bindparam,
  case_,
  cast,
  exists,
  false_,
  func,
  insert,
  literal,
  not_,
  null_,
  or_,
  select,
  t,
  text,
  true_,
  union,
  unionAll,
} from '../../src/index.js';
import { CORE_PREFIX, MOVIES, createCoreTables, dropCoreTables, movieTables, valuesTable } from '../fixtures/movies.js';
import { forEachDialect } from '../helpers/dialects.js';

const { movies, directors } = movieTables(CORE_PREFIX);
const values = valuesTable(CORE_PREFIX);
const m = movies.c;
const d = directors.c;
const v = values.c;

/** Strings for LIKE tests: wildcards and the escape character as data, Cyrillic, case variants. */
const NAMES = ['50% off', '50 percent off', 'snake_case', 'snakeXcase', 'and/or', 'and or', 'Кино', 'Alien', 'ALIEN'];

forEachDialect('core: select', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.begin(async (conn) => {
      await createCoreTables(conn, dialect.name);
      await conn.execute(insert(values), NAMES.map((name, i) => ({ label: `n${i}`, name })));
    });
  });

  after(async () => {
    await engine.begin((conn) => dropCoreTables(conn, dialect.name));
    await engine.dispose();
  });

  /** Every row as a plain array. */
  async function rows(stmt: Executable, params?: Record<string, unknown>): Promise<unknown[][]> {
    const result = await engine.connect((conn) => conn.execute(stmt, params));
    return result.all().map((row) => [...(row as readonly unknown[])]);
  }

  /** The first column of every row. */
  async function column(stmt: Executable, params?: Record<string, unknown>): Promise<unknown[]> {
    return (await rows(stmt, params)).map((row) => row[0]);
  }

  /** The ids of the films matching `where`, in id order. */
  function filmIds(...where: Parameters<ReturnType<typeof select>['where']>): Promise<unknown[]> {
    return column(select(m.id).where(...where).orderBy(m.id));
  }

  /** The names in `values` matching `where`, in insertion order. */
  function names(...where: Parameters<ReturnType<typeof select>['where']>): Promise<unknown[]> {
    return column(select(v.name).where(...where).orderBy(v.id));
  }

  describe('columns', () => {
    it('selects a whole table: every column by key, with JS values', async () => {
      const result = await engine.connect((conn) => conn.execute(select(movies).where(m.id.eq(35))));
      expect(result.keys()).to.deep.equal(['id', 'title', 'director', 'releaseDate', 'duration', 'genre', 'rating']);
      const row = result.one();
      expect([...row]).to.deep.equal([35, 'Alien', 'Ridley Scott', '1979-05-25', 117, 'Horror', 8.5]);
      expect(row.releaseDate).to.equal('1979-05-25');
      expect(row.title).to.equal('Alien');
    });

    it('selects columns of a table and reads them by position and by name', async () => {
      const row = await engine.connect(async (conn) => (await conn.execute(select(m.title, m.rating).where(m.id.eq(1)))).one());
      const [title, rating] = row;
      expect([title, rating, row.title, row.rating]).to.deep.equal(['The Shawshank Redemption', 9.3, 'The Shawshank Redemption', 9.3]);
    });

    it('selects without FROM', async () => {
      expect(await rows(select(literal(1, t.Integer()).label('one'), literal('x', t.String()).label('x')))).to.deep.equal([[1, 'x']]);
    });

    it('gives an untyped literal back as the JS value it was', async () => {
      expect(await rows(select(literal(7).label('n'), literal('seven').label('s')))).to.deep.equal([[7, 'seven']]);
    });
  });

  describe('WHERE operators', () => {
    it('eq, ne, lt, le, gt, ge', async () => {
      expect(await filmIds(m.title.eq('Alien'))).to.deep.equal([35]);
      expect(await filmIds(m.genre.ne('Drama'))).to.have.length(9);
      expect(await filmIds(m.rating.ge(9))).to.deep.equal([1, 2, 5]);
      expect(await filmIds(m.rating.gt(8.5))).to.deep.equal([1, 2, 5, 10, 29]);
      expect(await filmIds(m.rating.lt(8.5))).to.deep.equal([36, 46]);
      expect(await filmIds(m.duration.le(96))).to.deep.equal([5, 40]);
      expect(await filmIds(m.releaseDate.le('1957-04-10'))).to.deep.equal([5, 40]);
      expect(await filmIds(m.title.eq("it's"))).to.deep.equal([]);
    });

    it('IS NULL / IS NOT NULL, also as eq(null) / ne(null)', async () => {
      expect(await column(select(d.id).where(d.born.isNull()).orderBy(d.id))).to.deep.equal([5, 8]);
      expect(await column(select(d.id).where(d.born.eq(null)).orderBy(d.id))).to.deep.equal([5, 8]);
      expect(await column(select(d.id).where(d.born.ne(null)))).to.have.length(8);
    });

    it('IS DISTINCT FROM treats NULL as a value', async () => {
      expect(await column(select(d.id).where(d.born.isDistinctFrom('1970-07-30')).orderBy(d.id))).to.deep.equal([1, 2, 3, 4, 5, 6, 8, 9, 10]);
      expect(await column(select(d.id).where(d.born.isNotDistinctFrom(null)).orderBy(d.id))).to.deep.equal([5, 8]);
      expect(await column(select(d.id).where(d.born.isNotDistinctFrom('1970-07-30')))).to.deep.equal([7]);
    });

    it('LIKE follows the database\'s case rules; ILIKE ignores case everywhere', async () => {
      expect(await filmIds(m.director.like('%David%'))).to.deep.equal([10]);
      expect(await filmIds(m.title.like('The %'))).to.deep.equal([1, 2, 20]);
      expect(await filmIds(m.title.notLike('%e%'))).to.deep.equal([10, 27, 31]);
      const lowerCase = await filmIds(m.title.like('the %'));
      // PostgreSQL's LIKE is case-sensitive; SQLite's (for ASCII) and MySQL's default collation are not.
      expect(lowerCase).to.deep.equal({ sqlite: [1, 2, 20], postgresql: [], mysql: [1, 2, 20] }[dialect.name]);
      expect(await filmIds(m.director.ilike('%david%'))).to.deep.equal([10]);
      expect(await filmIds(m.title.notIlike('the %'))).to.have.length(11);
    });

    it('startsWith / endsWith / contains match %, _ and / literally', async () => {
      expect(await names(v.name.like('50%'))).to.deep.equal(['50% off', '50 percent off']);
      expect(await names(v.name.startsWith('50%'))).to.deep.equal(['50% off']);
      expect(await names(v.name.contains('% o'))).to.deep.equal(['50% off']);
      expect(await names(v.name.startsWith('snake_'))).to.deep.equal(['snake_case']);
      expect(await names(v.name.endsWith('_case'))).to.deep.equal(['snake_case']);
      expect(await names(v.name.contains('/'))).to.deep.equal(['and/or']);
      expect(await names(v.name.endsWith('d/or'))).to.deep.equal(['and/or']);
    });

    it('LIKE with an ESCAPE character of the user\'s choice', async () => {
      expect(await names(v.name.like('snake!_%', { escape: '!' }))).to.deep.equal(['snake_case']);
    });

    it('IN and NOT IN a list; an empty list matches nothing (NOT IN: everything)', async () => {
      expect(await filmIds(m.id.in([1, 2, 3]))).to.deep.equal([1, 2]);
      expect(await filmIds(m.genre.notIn(['Drama', 'Crime']))).to.have.length(7);
      expect(await filmIds(m.id.in([]))).to.deep.equal([]);
      expect(await filmIds(m.id.notIn([]))).to.have.length(14);
    });

    it('inList(): a list bound as one value matches as in() does, for integers, text, bigints and dates', async () => {
      const ids = Array.from({ length: 3000 }, (_, i) => i + 1);
      expect(await filmIds(m.id.inList(ids))).to.have.length(14);
      expect(await filmIds(m.id.inList([1, 2, 3]))).to.deep.equal([1, 2]);
      // Keys as a BIGINT column reads them back.
      expect(await filmIds(m.id.inList([1n, 10n] as never[]))).to.deep.equal([1, 10]);
      expect(await filmIds(m.genre.inList(['War', "O'Brien \\ \"x\"", 'Кино']))).to.deep.equal(await filmIds(m.genre.eq('War')));
      expect(await filmIds(m.releaseDate.inList(['1994-09-23', '1972-03-24']))).to.deep.equal([1, 2]);
      expect(await filmIds(m.id.inList([]))).to.deep.equal([]);
    });

    it('IN a select', async () => {
      expect(await filmIds(m.director.in(select(d.name).where(d.born.lt('1930-01-01'))))).to.deep.equal([5, 40]);
      expect(await filmIds(m.director.notIn(select(d.name)))).to.deep.equal([20, 22, 46]);
    });

    it('IN a scalar subquery of several rows', async () => {
      expect(await filmIds(m.director.in(select(d.name).where(d.born.lt('1930-01-01')).scalarSubquery()))).to.deep.equal([5, 40]);
    });

    it('BETWEEN and NOT BETWEEN, inclusive', async () => {
      expect(await filmIds(m.rating.between(9, 10))).to.deep.equal([1, 2, 5]);
      expect(await filmIds(m.releaseDate.between('1970-01-01', '1979-12-31'))).to.deep.equal([2, 35, 36]);
      expect(await filmIds(m.duration.between(96, 106))).to.deep.equal([5, 20, 31]);
      expect(await filmIds(m.rating.notBetween(8.45, 9.05))).to.deep.equal([1, 2, 36, 46]);
    });

    it('AND, OR, NOT group as the tree says', async () => {
      const drama = m.genre.eq('Drama');
      expect(await filmIds(or_(and_(drama, m.rating.gt(9)), m.genre.eq('War')))).to.deep.equal([1, 36]);
      expect(await filmIds(and_(or_(drama, m.genre.eq('Crime')), m.rating.ge(9)))).to.deep.equal([1, 2, 5]);
      expect(await filmIds(or_(drama, m.genre.eq('Crime')), m.rating.ge(9))).to.deep.equal([1, 2, 5]);
      expect(await filmIds(not_(or_(drama, m.genre.eq('Crime'))))).to.have.length(7);
      expect(await filmIds(not_(m.title.like('%e%')))).to.deep.equal([10, 27, 31]);
    });

    it('true_() and false_() as conditions', async () => {
      expect(await filmIds(true_())).to.have.length(14);
      expect(await filmIds(false_())).to.deep.equal([]);
      expect(await filmIds(or_(false_(), m.id.eq(35)))).to.deep.equal([35]);
    });

    it('a bindparam supplied at execution', async () => {
      const stmt = select(m.title).where(m.id.eq(bindparam('id', { type: t.Integer() })));
      expect(await column(stmt, { id: 35 })).to.deep.equal(['Alien']);
      expect(await column(stmt, { id: 27 })).to.deep.equal(['Gladiator']);
    });
  });

  describe('ORDER BY, LIMIT, OFFSET, DISTINCT', () => {
    const byTitle = ['12 Angry Men', 'Alien', 'American History X', 'Apocalypse Now', 'Avengers: Infinity War', 'Back to the Future'];

    it('orders ascending and descending on several keys', async () => {
      expect((await column(select(m.title).orderBy(m.title))).slice(0, 6)).to.deep.equal(byTitle);
      expect(await column(select(m.id).orderBy(m.rating.desc(), m.duration.asc()).limit(4))).to.deep.equal([1, 2, 5, 10]);
      expect(await column(select(m.id).where(m.rating.eq(8.5)).orderBy(m.duration.desc(), m.title))).to.deep.equal([27, 22, 35, 24, 20, 31, 40]);
    });

    it('puts NULLs first or last as asked (emulated on MySQL)', async () => {
      expect(await column(select(d.id).orderBy(d.born.asc().nullsFirst(), d.id))).to.deep.equal([5, 8, 9, 3, 10, 6, 2, 1, 4, 7]);
      expect(await column(select(d.id).orderBy(d.born.desc().nullsLast(), d.id))).to.deep.equal([7, 4, 1, 2, 6, 10, 3, 9, 5, 8]);
      expect(await column(select(d.id).orderBy(d.born.desc().nullsFirst(), d.id))).to.deep.equal([5, 8, 7, 4, 1, 2, 6, 10, 3, 9]);
      expect(await column(select(d.id).orderBy(d.born.asc().nullsLast(), d.id))).to.deep.equal([9, 3, 10, 6, 2, 1, 4, 7, 5, 8]);
    });

    it('LIMIT, LIMIT with OFFSET, OFFSET alone and LIMIT 0', async () => {
      expect(await column(select(m.title).orderBy(m.title).limit(3))).to.deep.equal(byTitle.slice(0, 3));
      expect(await column(select(m.title).orderBy(m.title).limit(3).offset(3))).to.deep.equal(byTitle.slice(3, 6));
      expect(await column(select(m.title).orderBy(m.title).offset(12))).to.deep.equal(['The Usual Suspects', 'Whiplash']);
      expect(await column(select(m.title).limit(0))).to.deep.equal([]);
    });

    it('SELECT DISTINCT and count(DISTINCT x)', async () => {
      expect(await column(select(m.genre).distinct().orderBy(m.genre))).to.deep.equal(['Action', 'Adventure', 'Comedy', 'Crime', 'Drama', 'Horror', 'Sci-Fi', 'War']);
      expect(await column(select(func.count(m.director.distinct())))).to.deep.equal([12]);
    });
  });

  describe('GROUP BY, HAVING, labels', () => {
    it('groups with aggregates of each type', async () => {
      const stmt = select(m.genre, func.count().label('n'), func.min(m.releaseDate).label('first'), func.max(m.rating).label('best'), func.sum(m.duration).label('minutes'))
        .groupBy(m.genre)
        .orderBy(m.genre)
        .limit(3);
      expect(await rows(stmt)).to.deep.equal([
        ['Action', 2, '2000-05-05', 8.5, 304],
        ['Adventure', 1, '1985-07-03', 8.5, 116],
        ['Comedy', 1, '1936-02-25', 8.5, 87],
      ]);
    });

    it('filters groups with HAVING on an anonymous label and orders by a named one', async () => {
      const n = func.count().label(null);
      expect(await rows(select(m.director, n).groupBy(m.director).having(n.ge(2)).orderBy(m.director))).to.deep.equal([
        ['Francis Ford Coppola', 2],
        ['Ridley Scott', 2],
      ]);
      const films = func.count().label('films');
      const result = await engine.connect((conn) => conn.execute(select(m.genre, films).groupBy(m.genre).orderBy(films.desc(), m.genre).limit(2)));
      expect(result.all().map((r) => [r.genre, r.films])).to.deep.equal([
        ['Drama', 5],
        ['Action', 2],
      ]);
    });

    it('groups by a labelled expression even when the label is also a column name', async () => {
      const lowered = func.lower(v.name).label('name');
      const stmt = select(lowered, func.count().label('n')).where(v.name.ilike('alien')).groupBy(lowered);
      expect(await rows(stmt)).to.deep.equal([['alien', 2]]);
    });
  });

  describe('expressions', () => {
    it('arithmetic on integers and floats', async () => {
      const stmt = select(m.duration.add(10), m.duration.sub(10), m.duration.mul(60), m.duration.mod(60), m.duration.neg(), m.rating.mul(2), m.rating.div(2), m.rating.sub(0.5).mul(2)).where(m.id.eq(35));
      expect(await rows(stmt)).to.deep.equal([[127, 107, 7020, 57, -117, 17, 4.25, 16]]);
    });

    it('div is true division and floorDiv integer division, the same on every database', async () => {
      // 117 / 60: SQLite and PostgreSQL would truncate integer division, MySQL's / never does.
      expect(await rows(select(m.duration.div(60), m.duration.floorDiv(60), m.rating.floorDiv(2), m.duration.div(m.duration.sub(109))).where(m.id.eq(35)))).to.deep.equal([
        [1.95, 1, 4, 14.625],
      ]);
    });

    it('mod of a float keeps the fraction, as on MySQL', async () => {
      // 8.5 % 2: SQLite's % truncates its operands to integers (0); PostgreSQL has no % for double precision.
      expect(await column(select(m.rating.mod(2)).where(m.id.eq(35)))).to.deep.equal([0.5]);
    });

    it('double negation is the value itself', async () => {
      expect(await column(select(m.duration.neg().neg().label('same')).where(m.id.eq(35)))).to.deep.equal([117]);
    });

    it('concatenates strings, and the text of arithmetic', async () => {
      expect(await column(select(m.title.concat(' (').concat(m.genre).concat(')')).where(m.id.eq(35)))).to.deep.equal(['Alien (Horror)']);
      expect(await column(select(m.duration.add(1).concat(' min')).where(m.id.eq(35)))).to.deep.equal(['118 min']);
    });

    it('CASE with bound results', async () => {
      const grade = case_([[m.rating.ge(9), 'masterpiece'], [m.rating.ge(8.5), 'great']], { else: 'good' });
      expect(await rows(select(m.id, grade.label('grade')).where(m.id.in([1, 10, 36])).orderBy(m.id))).to.deep.equal([
        [1, 'masterpiece'],
        [10, 'great'],
        [36, 'good'],
      ]);
      expect(await column(select(case_([[m.genre.eq('War'), m.title]]).label('war')).where(m.id.in([35, 36])).orderBy(m.id))).to.deep.equal([null, 'Apocalypse Now']);
    });

    it('CAST converts and types the result', async () => {
      const stmt = select(
        cast(m.duration, t.String(10)),
        cast(m.rating, t.Integer()),
        cast('2.50', t.Numeric(10, 2)),
        cast(m.duration, t.Float()),
        cast('1979-05-25', t.Date()),
      ).where(m.id.eq(1));
      expect(await rows(stmt)).to.deep.equal([['142', 9, '2.50', 142, '1979-05-25']]);
    });

    it('functions: count, min, max, sum, avg, lower, upper, length, coalesce, now', async () => {
      const [row] = await rows(select(func.count(), func.count(m.id).label('ids'), func.min(m.releaseDate), func.max(m.releaseDate), func.sum(m.duration), func.avg(m.rating)));
      expect(row!.slice(0, 5)).to.deep.equal([14, 14, '1936-02-25', '2018-04-27', 1823]);
      expect(row![5]).to.be.closeTo(121.3 / 14, 1e-9);
      expect(await rows(select(func.lower(m.title), func.upper(m.title), func.length(m.title)).where(m.id.eq(35)))).to.deep.equal([['alien', 'ALIEN', 5]]);
      expect(await column(select(func.length(v.name)).where(v.name.eq('Кино')))).to.deep.equal([4]);
      expect(await column(select(func.coalesce(d.born, '1900-01-01')).where(d.id.in([5, 7])).orderBy(d.id))).to.deep.equal(['1900-01-01', '1970-07-30']);
      const [now] = await column(select(func.now()));
      expect(now).to.be.instanceOf(Date);
      expect(Math.abs((now as Date).getTime() - Date.now())).to.be.lessThan(5 * 60 * 1000);
    });

    it('compares the result of a comparison', async () => {
      // Alien: 8.5 > 8.6 is false, so `= false` is true; 'Alien' LIKE 'A%' is true, so `!=` is true.
      const stmt = select(m.rating.gt(8.6).eq(false).label('a'), m.rating.gt(8.6).ne(m.title.like('A%')).label('b')).where(m.id.eq(35));
      expect(await rows(stmt)).to.deep.equal([[true, true]]);
    });

    it('keywords and comparisons as values are booleans; NULL is null', async () => {
      expect(await rows(select(true_().label('t'), false_().label('f'), null_().label('n')))).to.deep.equal([[true, false, null]]);
      expect(await column(select(m.rating.gt(9).label('great')).where(m.id.in([1, 35])).orderBy(m.id))).to.deep.equal([true, false]);
    });
  });

  describe('joins and aliases', () => {
    const on = m.director.eq(d.name);

    it('inner join', async () => {
      const result = await rows(select(m.title, d.born).join(directors, on).where(d.name.eq('Ridley Scott')).orderBy(m.title));
      expect(result).to.deep.equal([
        ['Alien', '1937-11-30'],
        ['Gladiator', '1937-11-30'],
      ]);
      expect(await column(select(func.count()).selectFrom(movies.join(directors, on)))).to.deep.equal([11]);
    });

    it('left outer join keeps unmatched rows with NULLs', async () => {
      const result = await rows(select(d.name, m.title).selectFrom(directors).outerJoin(movies, on).where(d.id.in([2, 10])).orderBy(d.id, m.title));
      expect(result).to.deep.equal([
        ['Francis Ford Coppola', 'Apocalypse Now'],
        ['Francis Ford Coppola', 'The Godfather'],
        ['Sergio Leone', null],
      ]);
    });

    it('full outer join keeps both sides (a CompileError on MySQL)', async () => {
      const stmt = select(m.title, d.name).fullJoin(directors, on).where(or_(m.title.isNull(), d.name.isNull()));
      if (!engine.dialect.capabilities.fullOuterJoin) {
        let error: unknown;
        await engine.connect((conn) => conn.execute(stmt)).catch((e: unknown) => (error = e));
        expect(error).to.have.property('name', 'CompileError');
        return;
      }
      const result = await rows(stmt);
      expect(result.map((r) => r[0] ?? r[1]).sort()).to.deep.equal(['American History X', 'Avengers: Infinity War', 'Sergio Leone', 'The Usual Suspects']);
    });

    it('self-join through an alias', async () => {
      const later = movies.alias('later');
      const stmt = select(m.title, later.c.title.label('next'))
        .join(later, and_(later.c.director.eq(m.director), later.c.releaseDate.gt(m.releaseDate)))
        .orderBy(m.title);
      expect(await rows(stmt)).to.deep.equal([
        ['Alien', 'Gladiator'],
        ['The Godfather', 'Apocalypse Now'],
      ]);
    });
  });

  describe('subqueries', () => {
    it('joins a grouped subquery in FROM', async () => {
      const counts = select(m.director, func.count().label('n')).groupBy(m.director).subquery('counts');
      const stmt = select(d.name, counts.c.n).join(counts, counts.c.director.eq(d.name)).where(counts.c.n.gt(1)).orderBy(d.name);
      expect(await rows(stmt)).to.deep.equal([
        ['Francis Ford Coppola', 2],
        ['Ridley Scott', 2],
      ]);
    });

    it('reads a key-named column and an anonymous subquery', async () => {
      const recent = select(m.id, m.releaseDate).where(m.releaseDate.gt('2010-01-01')).subquery();
      expect(await column(select(recent.c.releaseDate).orderBy(recent.c.releaseDate))).to.deep.equal(['2014-10-10', '2014-11-07', '2018-04-27']);
    });

    it('a subquery in FROM keeps its own tables even when the outer query has them too', async () => {
      const credited = select(d.name, d.born).where(d.name.eq(m.director), m.genre.eq('War')).subquery('credited');
      const stmt = select(m.title, credited.c.born).join(credited, credited.c.name.eq(m.director)).orderBy(m.title);
      expect(await rows(stmt)).to.deep.equal([
        ['Apocalypse Now', '1939-04-07'],
        ['The Godfather', '1939-04-07'],
      ]);
    });

    it('a correlated scalar subquery per row', async () => {
      const films = select(func.count()).where(m.director.eq(d.name)).scalarSubquery().label('films');
      expect(await rows(select(d.name, films).where(d.id.in([2, 3, 10])).orderBy(d.id))).to.deep.equal([
        ['Francis Ford Coppola', 2],
        ['Sidney Lumet', 1],
        ['Sergio Leone', 0],
      ]);
    });

    it('compares with an aggregate scalar subquery', async () => {
      expect(await filmIds(m.rating.gt(select(func.avg(m.rating)).scalarSubquery() as never))).to.deep.equal([1, 2, 5, 10, 29]);
    });

    it('EXISTS and NOT EXISTS, correlated; EXISTS as a boolean column', async () => {
      const hasFilms = exists(select(m.id).where(m.director.eq(d.name)));
      expect(await column(select(d.name).where(not_(hasFilms)))).to.deep.equal(['Sergio Leone']);
      expect(await column(select(func.count()).selectFrom(directors).where(hasFilms))).to.deep.equal([9]);
      expect(await rows(select(select(m.id).where(m.rating.gt(9)).exists().label('yes'), select(m.id).where(m.rating.gt(10)).exists().label('no')))).to.deep.equal([[true, false]]);
    });
  });

  describe('UNION', () => {
    it('UNION removes duplicates, UNION ALL keeps them', async () => {
      expect(await column(select(func.count()).selectFrom(union(select(m.director), select(d.name)).subquery('u')))).to.deep.equal([13]);
      expect(await column(select(func.count()).selectFrom(unionAll(select(m.director), select(d.name)).subquery('u')))).to.deep.equal([24]);
    });

    it('orders and limits the union as a whole', async () => {
      const stmt = union(select(m.director), select(d.name)).orderBy(m.director.desc()).limit(3);
      expect(await column(stmt)).to.deep.equal(['Tony Kaye', 'Sidney Lumet', 'Sergio Leone']);
      expect(await column(unionAll(select(m.title), select(d.name)).orderBy(m.title).offset(22))).to.deep.equal(['The Usual Suspects', 'Whiplash']);
    });

    it('a member select keeps its own ORDER BY and LIMIT', async () => {
      const best = select(m.title).orderBy(m.rating.desc()).limit(1);
      const old = select(d.name).where(d.born.lt('1925-01-01'));
      expect((await column(union(best, old))).sort()).to.deep.equal(['Charles Chaplin', 'Sidney Lumet', 'The Shawshank Redemption']);
    });
  });

  describe('text()', () => {
    it('runs textual SQL with fixed and late parameters, typed by .columns()', async () => {
      const stmt = text(`SELECT title, release_date, rating FROM ${CORE_PREFIX}movies WHERE id = :id OR title = :title ORDER BY id`)
        .bindparams({ id: 1 })
        .columns({ title: t.String(), release_date: t.Date(), rating: t.Float() });
      const result = await engine.connect((conn) => conn.execute(stmt, { title: 'Alien' }));
      expect(result.all().map((r) => [r.title, r.release_date, r.rating])).to.deep.equal([
        ['The Shawshank Redemption', '1994-09-23', 9.3],
        ['Alien', '1979-05-25', 8.5],
      ]);
    });

    it('mixes into a select as a condition', async () => {
      const condition = text(`${CORE_PREFIX}movies.duration < :max`).bindparams({ max: 100 }) as ClauseElement as never;
      expect(await filmIds(and_(m.rating.gt(8), condition))).to.deep.equal([5, 40]);
    });
  });

  it('the fixture holds the films it says', async () => {
    expect(await column(select(m.id).orderBy(m.id))).to.deep.equal(MOVIES.map((f) => f.id));
  });
});
