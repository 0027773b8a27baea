/**
 * The SQL of column operators and standalone expressions on every dialect: comparisons and NULL,
 * null-safe comparison, LIKE and its escaping helpers, IN, BETWEEN, arithmetic and concatenation,
 * precedence and parentheses, boolean combinators and keywords, literals and bind parameters, CAST,
 * CASE and functions. Also: a value never appears in the SQL text.
 */
import { expect } from 'chai';
import {
  and_,
  bindparam,
  case_,
  cast,
  delete_,
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
  update,
} from '../../src/index.js';
import { getDialect } from '../../src/dialects/index.js';
import { BindParameter, InExpression } from '../../src/sql/elements/column-element.js';
import { movieTables } from '../fixtures/movies.js';
import { COMPILE_TARGETS, compileFor, expectSql, expectString } from '../helpers/compiled.js';

const { movies, directors } = movieTables();
const m = movies.c;
const d = directors.c;

/** `SELECT movies.id FROM movies WHERE <condition>` on each dialect, with `?` / `$n` placeholders. */
function where(sqlite: string, postgresql: string, mysql: string = sqlite) {
  const head = 'SELECT movies.id FROM movies WHERE ';
  return { sqlite: head + sqlite, postgresql: head + postgresql, mysql: head + mysql };
}

describe('compile: operators and expressions', () => {
  describe('comparisons', () => {
    it('eq, ne, lt, le, gt, ge', () => {
      const stmt = select(m.id).where(m.title.eq('a'), m.title.ne('b'), m.rating.lt(1), m.rating.le(2), m.rating.gt(3), m.rating.ge(4));
      expectSql(
        stmt,
        where(
          'movies.title = ? AND movies.title != ? AND movies.rating < ? AND movies.rating <= ? AND movies.rating > ? AND movies.rating >= ?',
          'movies.title = $1 AND movies.title != $2 AND movies.rating < $3 AND movies.rating <= $4 AND movies.rating > $5 AND movies.rating >= $6',
        ),
        ['a', 'b', 1, 2, 3, 4],
      );
    });

    it('compares two columns without binding anything', () => {
      expectSql(select(m.id).where(m.duration.gt(m.rating)), where('movies.duration > movies.rating', 'movies.duration > movies.rating'), []);
    });

    it('isNull / isNotNull, and eq(null) / ne(null) as IS NULL / IS NOT NULL', () => {
      expectSql(
        select(d.id).where(d.born.isNull(), d.born.isNotNull(), d.born.eq(null), d.born.ne(null)),
        {
          sqlite: 'SELECT directors.id FROM directors WHERE directors.born IS NULL AND directors.born IS NOT NULL AND directors.born IS NULL AND directors.born IS NOT NULL',
          postgresql:
            'SELECT directors.id FROM directors WHERE directors.born IS NULL AND directors.born IS NOT NULL AND directors.born IS NULL AND directors.born IS NOT NULL',
          mysql: 'SELECT directors.id FROM directors WHERE directors.born IS NULL AND directors.born IS NOT NULL AND directors.born IS NULL AND directors.born IS NOT NULL',
        },
        [],
      );
    });

    it('isDistinctFrom / isNotDistinctFrom: IS [NOT] DISTINCT FROM, IS NOT / IS on SQLite, <=> on MySQL', () => {
      expectSql(
        select(d.id).where(d.born.isDistinctFrom('1970-07-30'), d.born.isNotDistinctFrom(null)),
        {
          sqlite: 'SELECT directors.id FROM directors WHERE directors.born IS NOT ? AND directors.born IS NULL',
          postgresql: 'SELECT directors.id FROM directors WHERE directors.born IS DISTINCT FROM $1 AND directors.born IS NOT DISTINCT FROM NULL',
          mysql: 'SELECT directors.id FROM directors WHERE NOT (directors.born <=> ?) AND directors.born <=> NULL',
        },
        ['1970-07-30'],
      );
    });

    it('parenthesises a comparison that is compared again: PostgreSQL\'s comparisons do not associate', () => {
      expectSql(select(m.id).where(m.rating.gt(8).eq(false), m.rating.gt(8).ne(m.title.like('A%'))), where(
        '(movies.rating > ?) = ? AND (movies.rating > ?) != (movies.title LIKE ?)',
        '(movies.rating > $1) = $2::BOOLEAN AND (movies.rating > $3) != (movies.title LIKE $4)',
      ), [8, false, 8, 'A%']);
    });
  });

  describe('LIKE', () => {
    it('like / notLike, with an ESCAPE character', () => {
      expectSql(
        select(m.id).where(m.director.like('%David%'), m.title.notLike('A!%%', { escape: '!' })),
        where("movies.director LIKE ? AND movies.title NOT LIKE ? ESCAPE '!'", "movies.director LIKE $1 AND movies.title NOT LIKE $2 ESCAPE '!'"),
        ['%David%', 'A!%%'],
      );
    });

    it('ilike / notIlike: ILIKE on PostgreSQL, lower() on both sides elsewhere', () => {
      expectSql(
        select(m.id).where(m.director.ilike('%david%'), m.title.notIlike('the %')),
        {
          sqlite: 'SELECT movies.id FROM movies WHERE lower(movies.director) LIKE lower(?) AND lower(movies.title) NOT LIKE lower(?)',
          postgresql: 'SELECT movies.id FROM movies WHERE movies.director ILIKE $1 AND movies.title NOT ILIKE $2',
          mysql: 'SELECT movies.id FROM movies WHERE lower(movies.director) LIKE lower(?) AND lower(movies.title) NOT LIKE lower(?)',
        },
        ['%david%', 'the %'],
      );
    });

    it('startsWith / endsWith / contains escape %, _ and the escape character "/" in the value', () => {
      const stmt = select(m.id).where(m.title.startsWith('50% off_'), m.title.endsWith('a/b'), m.title.contains('_%/'));
      expectSql(
        stmt,
        where(
          "movies.title LIKE ? ESCAPE '/' AND movies.title LIKE ? ESCAPE '/' AND movies.title LIKE ? ESCAPE '/'",
          "movies.title LIKE $1 ESCAPE '/' AND movies.title LIKE $2 ESCAPE '/' AND movies.title LIKE $3 ESCAPE '/'",
        ),
        ['50/% off/_%', '%a//b', '%/_/%//%'],
      );
    });

    it('startsWith of a plain value is a plain prefix pattern', () => {
      expectSql(select(m.id).where(m.title.startsWith('The ')), where("movies.title LIKE ? ESCAPE '/'", "movies.title LIKE $1 ESCAPE '/'"), ['The %']);
    });

    it('renders an escape character that is a quote or a backslash as a valid string literal', () => {
      // MySQL reads a backslash in a string literal as an escape, so it is doubled there.
      expectSql(
        select(m.id).where(m.title.like("a''%", { escape: "'" }), m.title.like('a\\%', { escape: '\\' })),
        {
          sqlite: "SELECT movies.id FROM movies WHERE movies.title LIKE ? ESCAPE '''' AND movies.title LIKE ? ESCAPE '\\'",
          postgresql: "SELECT movies.id FROM movies WHERE movies.title LIKE $1 ESCAPE '''' AND movies.title LIKE $2 ESCAPE '\\'",
          mysql: "SELECT movies.id FROM movies WHERE movies.title LIKE ? ESCAPE '''' AND movies.title LIKE ? ESCAPE '\\\\'",
        },
      );
    });

    it('rejects an escape that is not one character', () => {
      expect(() => m.title.like('x', { escape: '!!' })).to.throw(/single character/);
    });
  });

  describe('IN and BETWEEN', () => {
    it('in / notIn with a list bind one parameter per value', () => {
      expectSql(
        select(m.id).where(m.id.in([1, 2, 3]), m.genre.notIn(['War'])),
        where('movies.id IN (?, ?, ?) AND movies.genre NOT IN (?)', 'movies.id IN ($1, $2, $3) AND movies.genre NOT IN ($4)'),
        [1, 2, 3, 'War'],
      );
    });

    it('an empty IN is always false and an empty NOT IN always true', () => {
      expectSql(select(m.id).where(m.id.in([])), where('1 != 1', '1 != 1'), []);
      expectSql(select(m.id).where(m.id.notIn([])), where('1 = 1', '1 = 1'), []);
    });

    it('inList binds the whole list as one value where the dialect takes one: json_each on SQLite, an array on PostgreSQL', () => {
      expectSql(
        select(m.id).where(m.id.inList([1, 2, 3]), m.genre.inList(['War', 'a"b'])),
        where(
          'movies.id IN (SELECT value FROM json_each(?)) AND movies.genre IN (SELECT value FROM json_each(?))',
          'movies.id = ANY ($1) AND movies.genre = ANY ($2)',
          'movies.id IN (?, ?, ?) AND movies.genre IN (?, ?)',
        ),
        { sqlite: ['[1,2,3]', '["War","a\\"b"]'], postgresql: [[1, 2, 3], ['War', 'a"b']], mysql: [1, 2, 3, 'War', 'a"b'] },
      );
    });

    it('inList on SQLite writes integers as JSON numbers, safe or not, negative or zero', () => {
      const json = (values: number[]) => compileFor(select(m.id).where(m.id.inList(values)), 'sqlite').binds.map((b) => b.value);
      expect(json([0, -5, 2 ** 53 - 1])).to.deep.equal(['[0,-5,9007199254740991]']);
      // 2^53 is no safe integer: each value is adapted as its own parameter would be, then written.
      expect(json([0, -5, 2 ** 53])).to.deep.equal(['[0,-5,9007199254740992]']);
    });

    it('inList writes one parameter per value for values an array or JSON would not carry exactly, and when empty or offline', () => {
      // PostgreSQL: bigints stay separate parameters; SQLite binds integers as bigints anyway.
      expectSql(
        select(m.id).where(m.id.inList([1n, 2n] as never[])),
        where('movies.id IN (SELECT value FROM json_each(?))', 'movies.id IN ($1, $2)', 'movies.id IN (?, ?)'),
        { sqlite: ['[1,2]'], postgresql: [1n, 2n], mysql: [1n, 2n] },
      );
      expectSql(select(m.id).where(m.id.inList([])), where('1 != 1', '1 != 1'), []);
      const negated = new InExpression(m.id, new BindParameter(null, [1, 2], m.id.type, false, true), true);
      expectSql(
        select(m.id).where(negated),
        where('movies.id NOT IN (SELECT value FROM json_each(?))', 'movies.id <> ALL ($1)', 'movies.id NOT IN (?, ?)'),
      );
      for (const target of ['sqlite', 'postgresql', 'mysql'] as const) {
        expect(getDialect(target).compile(select(m.id).where(m.id.inList([1, 2])), { literalBinds: true }).sql).to.equal('SELECT movies.id FROM movies WHERE movies.id IN (1, 2)');
      }
    });

    it('IN a select', () => {
      expectSql(
        select(m.id).where(m.director.in(select(d.name).where(d.born.lt('1940-01-01')))),
        where(
          'movies.director IN (SELECT directors.name FROM directors WHERE directors.born < ?)',
          'movies.director IN (SELECT directors.name FROM directors WHERE directors.born < $1)',
        ),
        ['1940-01-01'],
      );
      expectString(select(m.id).where(m.director.notIn(select(d.name))), 'SELECT movies.id FROM movies WHERE movies.director NOT IN (SELECT directors.name FROM directors)');
    });

    it('IN a scalar subquery is IN the select, not IN a one-element list holding it', () => {
      expectString(
        select(m.id).where(m.director.in(select(d.name).scalarSubquery())),
        'SELECT movies.id FROM movies WHERE movies.director IN (SELECT directors.name FROM directors)',
      );
    });

    it('IN a textual select', () => {
      expectString(select(m.id).where(m.id.in(text('SELECT 1 UNION SELECT 2'))), 'SELECT movies.id FROM movies WHERE movies.id IN (SELECT 1 UNION SELECT 2)');
    });

    it('between / notBetween', () => {
      expectSql(
        select(m.id).where(m.rating.between(9, 10), m.releaseDate.notBetween('1970-01-01', '1979-12-31')),
        where(
          'movies.rating BETWEEN ? AND ? AND movies.release_date NOT BETWEEN ? AND ?',
          'movies.rating BETWEEN $1 AND $2 AND movies.release_date NOT BETWEEN $3 AND $4',
        ),
        [9, 10, '1970-01-01', '1979-12-31'],
      );
    });
  });

  describe('arithmetic and concatenation', () => {
    it('add, sub, mul, mod and neg', () => {
      const stmt = select(
        m.duration.add(10).label('a'),
        m.duration.sub(10).label('b'),
        m.duration.mul(60).label('c'),
        m.duration.mod(60).label('f'),
        m.duration.neg().label('g'),
      );
      expectSql(
        stmt,
        {
          sqlite: 'SELECT movies.duration + ? AS a, movies.duration - ? AS b, movies.duration * ? AS c, movies.duration % ? AS f, -movies.duration AS g FROM movies',
          postgresql:
            'SELECT movies.duration + $1 AS a, movies.duration - $2 AS b, movies.duration * $3 AS c, movies.duration % $4 AS f, -movies.duration AS g FROM movies',
          mysql: 'SELECT movies.duration + ? AS a, movies.duration - ? AS b, movies.duration * ? AS c, movies.duration % ? AS f, -movies.duration AS g FROM movies',
        },
        [10, 10, 60, 60],
      );
    });

    it('div is true division: integers are cast so SQLite and PostgreSQL keep the fraction', () => {
      expectSql(select(m.duration.div(60).label('hours'), m.rating.div(2).label('half')), {
        sqlite: 'SELECT movies.duration / CAST(? AS REAL) AS hours, movies.rating / ? AS half FROM movies',
        postgresql: 'SELECT movies.duration / CAST($1 AS NUMERIC) AS hours, movies.rating / $2 AS half FROM movies',
        mysql: 'SELECT movies.duration / ? AS hours, movies.rating / ? AS half FROM movies',
      }, [60, 2]);
      expect(compileFor(select(m.duration.div(60)), 'sqlite').columns?.map((c) => String(c.type))).to.deep.equal(['Float()']);
      expectString(select(m.duration.div(m.duration.sub(1)).label('r')), 'SELECT movies.duration / CAST(movies.duration - :duration_1 AS NUMERIC) AS r FROM movies');
    });

    it('floorDiv is integer division: / on integers, DIV on MySQL, FLOOR() of other numbers', () => {
      expectSql(select(m.duration.floorDiv(60).label('hours'), m.rating.floorDiv(2).label('halves')), {
        sqlite: 'SELECT movies.duration / ? AS hours, FLOOR(movies.rating / ?) AS halves FROM movies',
        postgresql: 'SELECT movies.duration / $1 AS hours, FLOOR(movies.rating / $2) AS halves FROM movies',
        mysql: 'SELECT movies.duration DIV ? AS hours, FLOOR(movies.rating / ?) AS halves FROM movies',
      }, [60, 2]);
    });

    it('concat: || on SQLite and PostgreSQL, concat() on MySQL', () => {
      const stmt = select(m.title.concat(' (').concat(m.genre).concat(')').label('display'));
      expectSql(stmt, {
        sqlite: 'SELECT movies.title || ? || movies.genre || ? AS display FROM movies',
        postgresql: 'SELECT movies.title || $1 || movies.genre || $2 AS display FROM movies',
        mysql: 'SELECT concat(concat(concat(movies.title, ?), movies.genre), ?) AS display FROM movies',
      }, [' (', ')']);
    });

    it('parenthesises by precedence: only where the tree differs from the reading order', () => {
      expectString(
        select(m.duration.add(1).mul(2).label('a'), m.duration.mul(2).add(1).label('b'), m.duration.sub(m.duration.sub(1)).label('c'), m.duration.add(m.duration.add(1)).label('e'), m.rating.div(m.rating.mul(2)).label('f')),
        'SELECT (movies.duration + :duration_1) * :param_1 AS a, movies.duration * :duration_2 + :param_2 AS b, movies.duration - (movies.duration - :duration_3) AS c, movies.duration + movies.duration + :duration_4 AS e, movies.rating / (movies.rating * :rating_1) AS f FROM movies',
      );
    });

    it('parenthesises a negated expression', () => {
      expectString(select(m.duration.add(1).neg().label('a'), m.duration.neg().add(1).label('b')), 'SELECT -(movies.duration + :duration_1) AS a, -movies.duration + :param_1 AS b FROM movies');
    });

    it('never writes "--", which starts a comment, for a double negation', () => {
      const stmt = select(m.duration.neg().neg().label('same'), m.id);
      for (const target of COMPILE_TARGETS) {
        expect(compileFor(stmt, target).sql, target).not.to.include('--');
      }
      expectString(stmt, 'SELECT -(-movies.duration) AS same, movies.id FROM movies');
    });

    it('parenthesises arithmetic inside ||, which binds tighter than + on SQLite', () => {
      const stmt = select(m.duration.add(1).concat(' min').label('next'));
      expectSql(stmt, {
        sqlite: 'SELECT (movies.duration + ?) || ? AS next FROM movies',
        postgresql: 'SELECT (movies.duration + $1) || $2 AS next FROM movies',
        mysql: 'SELECT concat(movies.duration + ?, ?) AS next FROM movies',
      });
    });

    it('compares a concatenation without parentheses (|| binds tighter than =)', () => {
      expectString(select(m.id).where(m.title.concat('!').eq('Alien!')), 'SELECT movies.id FROM movies WHERE movies.title || :title_1 = :param_1');
    });
  });

  describe('AND, OR, NOT', () => {
    it('parenthesises OR inside AND and AND inside NOT, not the reverse', () => {
      const a = m.id.eq(1);
      const b = m.id.eq(2);
      const c = m.id.eq(3);
      expectString(select(m.id).where(or_(and_(a, b), c)), 'SELECT movies.id FROM movies WHERE movies.id = :id_1 AND movies.id = :id_2 OR movies.id = :id_3');
      expectString(select(m.id).where(and_(or_(a, b), c)), 'SELECT movies.id FROM movies WHERE (movies.id = :id_1 OR movies.id = :id_2) AND movies.id = :id_3');
      expectString(select(m.id).where(or_(a, b), c), 'SELECT movies.id FROM movies WHERE (movies.id = :id_1 OR movies.id = :id_2) AND movies.id = :id_3');
      expectString(select(m.id).where(not_(and_(a, b))), 'SELECT movies.id FROM movies WHERE NOT (movies.id = :id_1 AND movies.id = :id_2)');
      expectString(select(m.id).where(not_(a), not_(m.title.like('A%'))), 'SELECT movies.id FROM movies WHERE NOT movies.id = :id_1 AND NOT movies.title LIKE :title_1');
    });

    it('the seed\'s or_() of two date bounds', () => {
      expectSql(
        select(m.id).where(or_(m.releaseDate.lt('1969-12-31'), m.releaseDate.gt('2010-01-01'))),
        where('movies.release_date < ? OR movies.release_date > ?', 'movies.release_date < $1 OR movies.release_date > $2'),
        ['1969-12-31', '2010-01-01'],
      );
    });

    it('and_ / or_ of one clause is the clause; of none is an error', () => {
      expectString(select(m.id).where(and_(m.id.eq(1))), 'SELECT movies.id FROM movies WHERE movies.id = :id_1');
      expect(() => or_()).to.throw(/at least one clause/);
    });

    it('true_(), false_() and null_(): 1 and 0 on SQLite', () => {
      expectSql(select(true_().label('t'), false_().label('f'), null_().label('n')), {
        sqlite: 'SELECT 1 AS t, 0 AS f, NULL AS n',
        postgresql: 'SELECT true AS t, false AS f, NULL AS n',
        mysql: 'SELECT true AS t, false AS f, NULL AS n',
      }, []);
      expectSql(select(m.id).where(or_(false_(), m.id.eq(1))), where('0 OR movies.id = ?', 'false OR movies.id = $1', 'false OR movies.id = ?'));
    });
  });

  describe('values and parameters', () => {
    it('literal() binds a value, typed or not', () => {
      expectSql(select(literal(1).label('one'), literal('x', t.String()).label('x')), {
        sqlite: 'SELECT ? AS one, ? AS x',
        postgresql: 'SELECT $1 AS one, $2 AS x',
        mysql: 'SELECT ? AS one, ? AS x',
      }, [1, 'x']);
    });

    it('bindparam() keeps its name and is supplied at execution unless it has a value', () => {
      const stmt = select(m.id).where(m.title.eq(bindparam('title', { type: t.String() })), m.id.eq(bindparam('id', { value: 5, type: t.Integer() })));
      expectString(stmt, 'SELECT movies.id FROM movies WHERE movies.title = :title AND movies.id = :id');
      const binds = compileFor(stmt, 'postgresql').binds;
      expect(binds.map((b) => [b.key, b.value, b.late])).to.deep.equal([
        ['title', undefined, true],
        ['id', 5, false],
      ]);
      expect(compileFor(stmt, 'postgresql').sql).to.equal('SELECT movies.id FROM movies WHERE movies.title = $1 AND movies.id = $2');
    });

    it('a bind parameter takes the type of the column it is compared with', () => {
      const binds = compileFor(select(m.id).where(m.releaseDate.gt('2000-01-01'), m.rating.gt(8)), 'sqlite').binds;
      expect(binds.map((b) => String(b.type))).to.deep.equal(['Date()', 'Float()']);
    });

    it('never puts a value into the SQL text, whatever it contains', () => {
      const evil = "Robert'); DROP TABLE movies; -- \\' \" `";
      const statements = [
        select(m.id).where(m.title.eq(evil)),
        select(m.id).where(m.title.like(evil), m.title.contains(evil), m.title.in([evil, evil])),
        select(literal(evil).label('x')),
        select(case_([[m.title.eq(evil), evil]], { else: evil })),
        select(func.coalesce(m.title, evil)),
        insert(movies).values({ id: 1, title: evil, director: evil, releaseDate: '2000-01-01', duration: 1, genre: evil, rating: 1 }),
        update(movies).values({ title: evil }).where(m.director.eq(evil)),
        delete_(movies).where(m.title.ne(evil)),
        text('SELECT :x AS x').bindparams({ x: evil }),
      ];
      for (const stmt of statements) {
        for (const target of COMPILE_TARGETS) {
          const compiled = compileFor(stmt, target);
          expect(compiled.sql, `${target}: ${compiled.sql}`).not.to.include('Robert');
          expect(compiled.binds.some((b) => b.value === evil), `${target}: the value is bound`).to.equal(true);
        }
      }
    });
  });

  describe('CAST and CASE', () => {
    it('spells CAST targets per dialect', () => {
      const stmt = select(
        cast(m.rating, t.Integer()).label('a'),
        cast(m.duration, t.String(10)).label('b'),
        cast(m.duration, t.Float()).label('c'),
        cast(m.releaseDate, t.Date()).label('e'),
        cast('2.50', t.Numeric(10, 2)).label('f'),
      );
      expectSql(stmt, {
        sqlite:
          'SELECT CAST(movies.rating AS INTEGER) AS a, CAST(movies.duration AS TEXT) AS b, CAST(movies.duration AS REAL) AS c, CAST(movies.release_date AS TEXT) AS e, CAST(? AS NUMERIC(10, 2)) AS f FROM movies',
        postgresql:
          'SELECT CAST(movies.rating AS INTEGER) AS a, CAST(movies.duration AS VARCHAR(10)) AS b, CAST(movies.duration AS FLOAT) AS c, CAST(movies.release_date AS DATE) AS e, CAST($1 AS NUMERIC(10, 2)) AS f FROM movies',
        mysql:
          'SELECT CAST(movies.rating AS SIGNED) AS a, CAST(movies.duration AS CHAR(10)) AS b, CAST(movies.duration AS DOUBLE) AS c, CAST(movies.release_date AS DATE) AS e, CAST(? AS DECIMAL(10, 2)) AS f FROM movies',
      }, ['2.50']);
    });

    it('CASE WHEN ... THEN ... ELSE ... END with bound results', () => {
      const grade = case_([[m.rating.ge(9), 'masterpiece'], [m.rating.ge(8.5), 'great']], { else: 'good' }).label('grade');
      expectSql(select(m.title, grade), {
        sqlite: 'SELECT movies.title, CASE WHEN movies.rating >= ? THEN ? WHEN movies.rating >= ? THEN ? ELSE ? END AS grade FROM movies',
        postgresql: 'SELECT movies.title, CASE WHEN movies.rating >= $1 THEN $2 WHEN movies.rating >= $3 THEN $4 ELSE $5 END AS grade FROM movies',
        mysql: 'SELECT movies.title, CASE WHEN movies.rating >= ? THEN ? WHEN movies.rating >= ? THEN ? ELSE ? END AS grade FROM movies',
      }, [9, 'masterpiece', 8.5, 'great', 'good']);
    });

    it('CASE without ELSE, with column results', () => {
      expectString(select(case_([[m.genre.eq('Drama'), m.title]]).label('drama')), 'SELECT CASE WHEN movies.genre = :genre_1 THEN movies.title END AS drama FROM movies');
    });
  });

  describe('functions', () => {
    it('names an unlabelled function column after the function', () => {
      const stmt = select(
        func.count(),
        func.min(m.releaseDate),
        func.max(m.releaseDate),
        func.sum(m.duration),
        func.avg(m.rating),
      );
      expectSql(stmt, {
        sqlite:
          'SELECT count(*) AS count, min(movies.release_date) AS min, max(movies.release_date) AS max, sum(movies.duration) AS sum, avg(movies.rating) AS avg FROM movies',
        postgresql:
          'SELECT count(*) AS count, min(movies.release_date) AS min, max(movies.release_date) AS max, sum(movies.duration) AS sum, avg(movies.rating) AS avg FROM movies',
        mysql:
          'SELECT count(*) AS count, min(movies.release_date) AS min, max(movies.release_date) AS max, sum(movies.duration) AS sum, avg(movies.rating) AS avg FROM movies',
      });
    });

    it('count(x), lower, upper, coalesce; length() counts characters (char_length on MySQL)', () => {
      const stmt = select(func.count(m.id).label('n'), func.lower(m.title).label('lo'), func.upper(m.title).label('up'), func.length(m.title).label('len'), func.coalesce(d.born, '?').label('born'));
      expectSql(stmt, {
        sqlite:
          'SELECT count(movies.id) AS n, lower(movies.title) AS lo, upper(movies.title) AS up, length(movies.title) AS len, coalesce(directors.born, ?) AS born FROM movies, directors',
        postgresql:
          'SELECT count(movies.id) AS n, lower(movies.title) AS lo, upper(movies.title) AS up, length(movies.title) AS len, coalesce(directors.born, $1) AS born FROM movies, directors',
        mysql:
          'SELECT count(movies.id) AS n, lower(movies.title) AS lo, upper(movies.title) AS up, char_length(movies.title) AS len, coalesce(directors.born, ?) AS born FROM movies, directors',
      }, ['?']);
    });

    it('now() is CURRENT_TIMESTAMP on SQLite', () => {
      expectSql(select(func.now().label('at')), {
        sqlite: 'SELECT CURRENT_TIMESTAMP AS at',
        postgresql: 'SELECT now() AS at',
        mysql: 'SELECT now() AS at',
      });
    });

    it('any other name is a generic function; its column name is quoted when reserved', () => {
      expectSql(select(func.round(m.rating, 0), func.left(m.title, 3)), {
        sqlite: 'SELECT round(movies.rating, ?) AS round, left(movies.title, ?) AS "left" FROM movies',
        postgresql: 'SELECT round(movies.rating, $1) AS round, left(movies.title, $2) AS "left" FROM movies',
        mysql: 'SELECT round(movies.rating, ?) AS round, left(movies.title, ?) AS `left` FROM movies',
      }, [0, 3]);
    });

    it('numbers anonymous labels in order of appearance', () => {
      expectString(
        select(func.min(m.rating).label(null), func.max(m.rating).label(null), m.title.label(null)),
        'SELECT min(movies.rating) AS anon_1, max(movies.rating) AS anon_2, movies.title AS anon_3 FROM movies',
      );
    });

    it('keeps an explicit label\'s name and numbers a computed name that would collide with it', () => {
      const compiled = compileFor(select(func.count(), func.count(m.id), func.count(m.title).label('count')), 'postgresql');
      const names = compiled.columns?.map((c) => c.name) ?? [];
      expect(names[2], 'the label').to.equal('count');
      expect(new Set(names).size, `result names ${names.join(', ')}`).to.equal(3);
    });

    it('gives two unlabelled functions of the same name distinct result names', () => {
      // Duplicate names make a subquery invalid (MySQL: "Duplicate column name") and hide one column from rows.
      const compiled = compileFor(select(func.count(), func.count(m.id)), 'postgresql');
      const names = compiled.columns?.map((c) => c.name) ?? [];
      expect(new Set(names).size, `result names ${names.join(', ')}`).to.equal(2);
    });
  });
});
