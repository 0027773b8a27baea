/**
 * The SQL of SELECT and its clauses on every dialect: columns, FROM inference, WHERE, ORDER BY,
 * GROUP BY / HAVING with labels, LIMIT / OFFSET, DISTINCT, joins, aliases, subqueries (scalar,
 * correlated, EXISTS, in FROM) and UNION.
 */
import { expect } from 'chai';
import { type ColumnElement, exists, func, literal, not_, or_, select, union, unionAll } from '../../src/index.js';
import { movieTables } from '../fixtures/movies.js';
import { bindKeys, compileFor, expectSql, expectString, fails } from '../helpers/compiled.js';

const { movies, directors } = movieTables();
const m = movies.c;
const d = directors.c;

/** The column list of `select(movies)`: `release_date` is labelled with its key so rows answer `row.releaseDate`. */
const ALL_PG =
  'movies.id, movies.title, movies.director, movies.release_date AS "releaseDate", movies.duration, movies.genre, movies.rating';
const ALL_MY =
  'movies.id, movies.title, movies.director, movies.release_date AS `releaseDate`, movies.duration, movies.genre, movies.rating';

describe('compile: SELECT', () => {
  describe('columns and FROM', () => {
    it('selects a whole table, labelling a column whose key differs from its name', () => {
      expectSql(select(movies), {
        sqlite: `SELECT ${ALL_PG} FROM movies`,
        postgresql: `SELECT ${ALL_PG} FROM movies`,
        mysql: `SELECT ${ALL_MY} FROM movies`,
      });
    });

    it('selects columns of two tables and lists both in FROM', () => {
      expectSql(select(m.title, d.name), {
        sqlite: 'SELECT movies.title, directors.name FROM movies, directors',
        postgresql: 'SELECT movies.title, directors.name FROM movies, directors',
        mysql: 'SELECT movies.title, directors.name FROM movies, directors',
      });
    });

    it('infers FROM from the WHERE clause too', () => {
      expectSql(select(literal(1).label('one')).where(m.id.eq(5)), {
        sqlite: 'SELECT ? AS one FROM movies WHERE movies.id = ?',
        postgresql: 'SELECT $1 AS one FROM movies WHERE movies.id = $2',
        mysql: 'SELECT ? AS one FROM movies WHERE movies.id = ?',
      }, [1, 5]);
    });

    it('selects without FROM when nothing refers to a table', () => {
      expectSql(select(literal(1).label('one'), literal('x').label('two')), {
        sqlite: 'SELECT ? AS one, ? AS two',
        postgresql: 'SELECT $1 AS one, $2 AS two',
        mysql: 'SELECT ? AS one, ? AS two',
      }, [1, 'x']);
    });

    it('selectFrom() gives count(*) its table, as the seed\'s select(func.count()).select_from(Movie)', () => {
      expectSql(select(func.count()).selectFrom(movies), {
        sqlite: 'SELECT count(*) AS count FROM movies',
        postgresql: 'SELECT count(*) AS count FROM movies',
        mysql: 'SELECT count(*) AS count FROM movies',
      });
    });

    it('addColumns() appends columns and their tables', () => {
      expectSql(select(m.title).addColumns(d.name.label('director_name')), {
        sqlite: 'SELECT movies.title, directors.name AS director_name FROM movies, directors',
        postgresql: 'SELECT movies.title, directors.name AS director_name FROM movies, directors',
        mysql: 'SELECT movies.title, directors.name AS director_name FROM movies, directors',
      });
    });

    it('is generative: extending a select leaves the original unchanged', () => {
      const base = select(m.title);
      const filtered = base.where(m.id.eq(1)).orderBy(m.title).limit(1);
      expectString(base, 'SELECT movies.title FROM movies');
      expectString(filtered, 'SELECT movies.title FROM movies WHERE movies.id = :id_1 ORDER BY movies.title LIMIT :param_1');
    });
  });

  describe('WHERE', () => {
    it('joins several where() calls and arguments with AND; filter() is a synonym', () => {
      const stmt = select(m.title).where(m.director.eq('Ridley Scott'), m.releaseDate.ge('2000-01-01')).filter(m.rating.gt(8));
      expectSql(stmt, {
        sqlite: 'SELECT movies.title FROM movies WHERE movies.director = ? AND movies.release_date >= ? AND movies.rating > ?',
        postgresql: 'SELECT movies.title FROM movies WHERE movies.director = $1 AND movies.release_date >= $2 AND movies.rating > $3',
        mysql: 'SELECT movies.title FROM movies WHERE movies.director = ? AND movies.release_date >= ? AND movies.rating > ?',
      }, ['Ridley Scott', '2000-01-01', 8]);
    });

    it('names bound values after the column in String(stmt), as the seed prints BETWEEN', () => {
      // The seed: "WHERE movies.rating BETWEEN :rating_1 AND :rating_2".
      expectString(
        select(m.id).where(m.rating.between(9, 10)),
        'SELECT movies.id FROM movies WHERE movies.rating BETWEEN :rating_1 AND :rating_2',
      );
      expect(bindKeys(select(m.id).where(m.rating.between(9, 10), m.title.eq('x')))).to.deep.equal(['rating_1', 'rating_2', 'title_1']);
    });
  });

  describe('ORDER BY', () => {
    it('orders by several keys with ASC and DESC', () => {
      expectSql(select(m.title).orderBy(m.releaseDate.desc(), m.title.asc(), m.id), {
        sqlite: 'SELECT movies.title FROM movies ORDER BY movies.release_date DESC, movies.title ASC, movies.id',
        postgresql: 'SELECT movies.title FROM movies ORDER BY movies.release_date DESC, movies.title ASC, movies.id',
        mysql: 'SELECT movies.title FROM movies ORDER BY movies.release_date DESC, movies.title ASC, movies.id',
      });
    });

    it('spells NULLS FIRST / LAST, and emulates them on MySQL with an IS NULL sort key', () => {
      expectSql(select(d.name).orderBy(d.born.desc().nullsFirst(), d.born.asc().nullsLast()), {
        sqlite: 'SELECT directors.name FROM directors ORDER BY directors.born DESC NULLS FIRST, directors.born ASC NULLS LAST',
        postgresql: 'SELECT directors.name FROM directors ORDER BY directors.born DESC NULLS FIRST, directors.born ASC NULLS LAST',
        mysql:
          'SELECT directors.name FROM directors ORDER BY directors.born IS NULL DESC, directors.born DESC, directors.born IS NULL, directors.born ASC',
      });
    });

    it('orders by a selected label by its name', () => {
      const n = func.count().label('n');
      expectSql(select(m.director, n).groupBy(m.director).orderBy(n), {
        sqlite: 'SELECT movies.director, count(*) AS n FROM movies GROUP BY movies.director ORDER BY n',
        postgresql: 'SELECT movies.director, count(*) AS n FROM movies GROUP BY movies.director ORDER BY n',
        mysql: 'SELECT movies.director, count(*) AS n FROM movies GROUP BY movies.director ORDER BY n',
      });
      expectString(
        select(m.director, n).groupBy(m.director).orderBy(n.desc()),
        'SELECT movies.director, count(*) AS n FROM movies GROUP BY movies.director ORDER BY n DESC',
      );
    });

    it('orders by the expression of a label that is not selected (there is no such output column)', () => {
      expectSql(select(m.director).groupBy(m.director).orderBy(func.count().label('n').desc()), {
        sqlite: 'SELECT movies.director FROM movies GROUP BY movies.director ORDER BY count(*) DESC',
        postgresql: 'SELECT movies.director FROM movies GROUP BY movies.director ORDER BY count(*) DESC',
        mysql: 'SELECT movies.director FROM movies GROUP BY movies.director ORDER BY count(*) DESC',
      });
    });
  });

  describe('GROUP BY and HAVING', () => {
    it('groups with aggregates, as the seed\'s directors with first and last release and count', () => {
      const stmt = select(m.director, func.min(m.releaseDate), func.max(m.releaseDate), func.count())
        .groupBy(m.director)
        .orderBy(m.director);
      expectSql(stmt, {
        sqlite:
          'SELECT movies.director, min(movies.release_date) AS min, max(movies.release_date) AS max, count(*) AS count FROM movies GROUP BY movies.director ORDER BY movies.director',
        postgresql:
          'SELECT movies.director, min(movies.release_date) AS min, max(movies.release_date) AS max, count(*) AS count FROM movies GROUP BY movies.director ORDER BY movies.director',
        mysql:
          'SELECT movies.director, min(movies.release_date) AS min, max(movies.release_date) AS max, count(*) AS count FROM movies GROUP BY movies.director ORDER BY movies.director',
      });
    });

    it('filters groups with HAVING on the labelled aggregate; label(null) gets an anonymous name', () => {
      const numMovies = func.count().label(null);
      const stmt = select(m.director, numMovies).groupBy(m.director).having(numMovies.ge(2)).orderBy(m.director);
      expectSql(stmt, {
        sqlite: 'SELECT movies.director, count(*) AS anon_1 FROM movies GROUP BY movies.director HAVING count(*) >= ? ORDER BY movies.director',
        postgresql:
          'SELECT movies.director, count(*) AS anon_1 FROM movies GROUP BY movies.director HAVING count(*) >= $1 ORDER BY movies.director',
        mysql: 'SELECT movies.director, count(*) AS anon_1 FROM movies GROUP BY movies.director HAVING count(*) >= ? ORDER BY movies.director',
      }, [2]);
      expectString(stmt, 'SELECT movies.director, count(*) AS anon_1 FROM movies GROUP BY movies.director HAVING count(*) >= :param_1 ORDER BY movies.director');
    });

    it('uses a named label in the select list and HAVING', () => {
      const numMovies = func.count().label('num_movies');
      expectString(
        select(m.director, numMovies).groupBy(m.director).having(numMovies.ge(2)),
        'SELECT movies.director, count(*) AS num_movies FROM movies GROUP BY movies.director HAVING count(*) >= :param_1',
      );
    });

    it('parenthesises an OR among several HAVING criteria', () => {
      const stmt = select(m.director).groupBy(m.director).having(or_(func.count().gt(1), func.max(m.rating).gt(9)), func.min(m.rating).gt(8));
      expectString(
        stmt,
        'SELECT movies.director FROM movies GROUP BY movies.director HAVING (count(*) > :param_1 OR max(movies.rating) > :param_2) AND min(movies.rating) > :param_3',
      );
    });

    it('groups by a label\'s expression, so an output name equal to a column name cannot change the grouping', () => {
      // PostgreSQL and MySQL resolve a GROUP BY name to the input column first: `GROUP BY title` would
      // group by movies.title, not by lower(movies.title) AS title.
      const lowered = func.lower(m.title).label('title');
      expectSql(select(lowered, func.count()).groupBy(lowered), {
        sqlite: 'SELECT lower(movies.title) AS title, count(*) AS count FROM movies GROUP BY lower(movies.title)',
        postgresql: 'SELECT lower(movies.title) AS title, count(*) AS count FROM movies GROUP BY lower(movies.title)',
        mysql: 'SELECT lower(movies.title) AS title, count(*) AS count FROM movies GROUP BY lower(movies.title)',
      });
    });
  });

  describe('LIMIT and OFFSET', () => {
    it('binds LIMIT and OFFSET as parameters', () => {
      expectSql(select(m.title).orderBy(m.title).limit(3).offset(3), {
        sqlite: 'SELECT movies.title FROM movies ORDER BY movies.title LIMIT ? OFFSET ?',
        postgresql: 'SELECT movies.title FROM movies ORDER BY movies.title LIMIT $1 OFFSET $2',
        mysql: 'SELECT movies.title FROM movies ORDER BY movies.title LIMIT ? OFFSET ?',
      }, [3, 3]);
    });

    it('writes "no limit" before an OFFSET alone on SQLite (-1) and MySQL (the largest LIMIT)', () => {
      expectSql(select(m.title).offset(10), {
        sqlite: 'SELECT movies.title FROM movies LIMIT -1 OFFSET ?',
        postgresql: 'SELECT movies.title FROM movies OFFSET $1',
        mysql: 'SELECT movies.title FROM movies LIMIT 18446744073709551615 OFFSET ?',
      }, [10]);
    });

    it('keeps limit(0) and drops a limit reset to null', () => {
      expectString(select(m.title).limit(0), 'SELECT movies.title FROM movies LIMIT :param_1');
      expectString(select(m.title).limit(5).limit(null).offset(2).offset(null), 'SELECT movies.title FROM movies');
    });

    it('rejects a negative or fractional count', () => {
      expect(() => select(m.title).limit(-1)).to.throw(/limit\(\) needs a non-negative integer/);
      expect(() => select(m.title).offset(1.5)).to.throw(/offset\(\) needs a non-negative integer/);
    });
  });

  describe('DISTINCT', () => {
    it('SELECT DISTINCT', () => {
      expectSql(select(m.director).orderBy(m.director).distinct(), {
        sqlite: 'SELECT DISTINCT movies.director FROM movies ORDER BY movies.director',
        postgresql: 'SELECT DISTINCT movies.director FROM movies ORDER BY movies.director',
        mysql: 'SELECT DISTINCT movies.director FROM movies ORDER BY movies.director',
      });
    });

    it('count(DISTINCT x)', () => {
      expectSql(select(func.count(m.director.distinct())), {
        sqlite: 'SELECT count(DISTINCT movies.director) AS count FROM movies',
        postgresql: 'SELECT count(DISTINCT movies.director) AS count FROM movies',
        mysql: 'SELECT count(DISTINCT movies.director) AS count FROM movies',
      });
    });
  });

  describe('joins', () => {
    const on = m.director.eq(d.name);

    it('join() joins onto the table of the first selected column', () => {
      expectSql(select(m.title, d.born).join(directors, on), {
        sqlite: 'SELECT movies.title, directors.born FROM movies JOIN directors ON movies.director = directors.name',
        postgresql: 'SELECT movies.title, directors.born FROM movies JOIN directors ON movies.director = directors.name',
        mysql: 'SELECT movies.title, directors.born FROM movies JOIN directors ON movies.director = directors.name',
      });
    });

    it('outerJoin() after selectFrom() is a LEFT OUTER JOIN', () => {
      expectSql(select(d.name, m.title).selectFrom(directors).outerJoin(movies, on), {
        sqlite: 'SELECT directors.name, movies.title FROM directors LEFT OUTER JOIN movies ON movies.director = directors.name',
        postgresql: 'SELECT directors.name, movies.title FROM directors LEFT OUTER JOIN movies ON movies.director = directors.name',
        mysql: 'SELECT directors.name, movies.title FROM directors LEFT OUTER JOIN movies ON movies.director = directors.name',
      });
    });

    it('fullJoin() is FULL OUTER JOIN, a compile error on MySQL and MariaDB', () => {
      expectSql(select(m.title, d.name).fullJoin(directors, on), {
        sqlite: 'SELECT movies.title, directors.name FROM movies FULL OUTER JOIN directors ON movies.director = directors.name',
        postgresql: 'SELECT movies.title, directors.name FROM movies FULL OUTER JOIN directors ON movies.director = directors.name',
        mysql: fails(/FULL OUTER JOIN/),
      });
    });

    it('a Join built from the table is a FROM object; joins chain left to right', () => {
      const other = movies.alias('other');
      const from = movies.join(directors, on).outerJoin(other, other.c.director.eq(d.name));
      expectSql(select(m.title, other.c.title.label('other_title')).selectFrom(from), {
        sqlite:
          'SELECT movies.title, other.title AS other_title FROM movies JOIN directors ON movies.director = directors.name LEFT OUTER JOIN movies AS other ON other.director = directors.name',
        postgresql:
          'SELECT movies.title, other.title AS other_title FROM movies JOIN directors ON movies.director = directors.name LEFT OUTER JOIN movies AS other ON other.director = directors.name',
        mysql:
          'SELECT movies.title, other.title AS other_title FROM movies JOIN directors ON movies.director = directors.name LEFT OUTER JOIN movies AS other ON other.director = directors.name',
      });
    });

    it('a join without a left side is an error that says what to do', () => {
      expect(() => select(func.count()).join(directors, on)).to.throw(/selectFrom\(\)/);
    });
  });

  describe('aliases', () => {
    it('self-joins through an alias, using the real column name behind a key', () => {
      const later = movies.alias('later');
      const stmt = select(m.title, later.c.title.label('later_title'), later.c.releaseDate)
        .join(later, later.c.director.eq(m.director))
        .where(later.c.releaseDate.gt(m.releaseDate));
      expectSql(stmt, {
        sqlite:
          'SELECT movies.title, later.title AS later_title, later.release_date AS "releaseDate" FROM movies JOIN movies AS later ON later.director = movies.director WHERE later.release_date > movies.release_date',
        postgresql:
          'SELECT movies.title, later.title AS later_title, later.release_date AS "releaseDate" FROM movies JOIN movies AS later ON later.director = movies.director WHERE later.release_date > movies.release_date',
        mysql:
          'SELECT movies.title, later.title AS later_title, later.release_date AS `releaseDate` FROM movies JOIN movies AS later ON later.director = movies.director WHERE later.release_date > movies.release_date',
      });
    });

    it('numbers anonymous aliases', () => {
      const a = movies.alias();
      const b = movies.alias();
      expectString(select(a.c.id, b.c.id.label('b_id')).where(a.c.id.lt(b.c.id)), 'SELECT anon_1.id, anon_2.id AS b_id FROM movies AS anon_1, movies AS anon_2 WHERE anon_1.id < anon_2.id');
    });
  });

  describe('subqueries', () => {
    it('joins a named subquery in FROM and reads its columns by name', () => {
      const counts = select(m.director, func.count().label('n')).groupBy(m.director).subquery('counts');
      expectSql(select(d.name, counts.c.n).join(counts, counts.c.director.eq(d.name)).where(counts.c.n.gt(1)), {
        sqlite:
          'SELECT directors.name, counts.n FROM directors JOIN (SELECT movies.director, count(*) AS n FROM movies GROUP BY movies.director) AS counts ON counts.director = directors.name WHERE counts.n > ?',
        postgresql:
          'SELECT directors.name, counts.n FROM directors JOIN (SELECT movies.director, count(*) AS n FROM movies GROUP BY movies.director) AS counts ON counts.director = directors.name WHERE counts.n > $1',
        mysql:
          'SELECT directors.name, counts.n FROM directors JOIN (SELECT movies.director, count(*) AS n FROM movies GROUP BY movies.director) AS counts ON counts.director = directors.name WHERE counts.n > ?',
      }, [1]);
    });

    it('keeps a key-named column of a subquery under its key', () => {
      const recent = select(m.id, m.releaseDate).where(m.releaseDate.gt('2000-01-01')).subquery('recent');
      expectString(
        select(recent.c.releaseDate),
        'SELECT recent."releaseDate" FROM (SELECT movies.id, movies.release_date AS "releaseDate" FROM movies WHERE movies.release_date > :releaseDate_1) AS recent',
      );
    });

    it('names an anonymous subquery and labels its unnamed columns', () => {
      const sub = select(m.director, m.rating.mul(10)).subquery();
      expectString(
        select(sub.c.director),
        'SELECT anon_1.director FROM (SELECT movies.director, movies.rating * :rating_1 AS anon_2 FROM movies) AS anon_1',
      );
    });

    it('exposes every column of a subquery, under the unique names the compiler gives them', () => {
      const sub = select(func.count(), func.count(m.id)).subquery('x');
      expect(Object.keys(sub.c)).to.deep.equal(['count', 'count_1']);
      expectString(select(sub), 'SELECT x.count, x.count_1 FROM (SELECT count(*) AS count, count(movies.id) AS count_1 FROM movies) AS x');
    });

    it('does not correlate a subquery in FROM with the enclosing query', () => {
      // The FROM subquery cannot see `movies` of the outer query (no LATERAL); it needs its own.
      const credited = select(d.name, d.born).where(d.name.eq(m.director)).subquery('credited');
      expectSql(select(m.title, credited.c.born).join(credited, credited.c.name.eq(m.director)), {
        sqlite:
          'SELECT movies.title, credited.born FROM movies JOIN (SELECT directors.name, directors.born FROM directors, movies WHERE directors.name = movies.director) AS credited ON credited.name = movies.director',
        postgresql:
          'SELECT movies.title, credited.born FROM movies JOIN (SELECT directors.name, directors.born FROM directors, movies WHERE directors.name = movies.director) AS credited ON credited.name = movies.director',
        mysql:
          'SELECT movies.title, credited.born FROM movies JOIN (SELECT directors.name, directors.born FROM directors, movies WHERE directors.name = movies.director) AS credited ON credited.name = movies.director',
      });
    });
  });

  describe('scalar subqueries and EXISTS', () => {
    it('correlates a scalar subquery in the select list with the enclosing FROM', () => {
      const filmCount = select(func.count()).where(m.director.eq(d.name)).scalarSubquery().label('films');
      expectSql(select(d.name, filmCount), {
        sqlite: 'SELECT directors.name, (SELECT count(*) AS count FROM movies WHERE movies.director = directors.name) AS films FROM directors',
        postgresql: 'SELECT directors.name, (SELECT count(*) AS count FROM movies WHERE movies.director = directors.name) AS films FROM directors',
        mysql: 'SELECT directors.name, (SELECT count(*) AS count FROM movies WHERE movies.director = directors.name) AS films FROM directors',
      });
      // select.label() is the same as scalarSubquery().label().
      expectString(
        select(d.name, select(func.count()).where(m.director.eq(d.name)).label('films')),
        'SELECT directors.name, (SELECT count(*) AS count FROM movies WHERE movies.director = directors.name) AS films FROM directors',
      );
    });

    it('compares with an uncorrelated scalar subquery in WHERE', () => {
      // The cast: a comparison does not accept a nullable expression yet (see test/types/select-rows.ts).
      const average = select(func.avg(m.rating)).scalarSubquery() as ColumnElement<number>;
      expectSql(select(m.title).where(m.rating.gt(average)), {
        sqlite: 'SELECT movies.title FROM movies WHERE movies.rating > (SELECT avg(movies.rating) AS avg FROM movies)',
        postgresql: 'SELECT movies.title FROM movies WHERE movies.rating > (SELECT avg(movies.rating) AS avg FROM movies)',
        mysql: 'SELECT movies.title FROM movies WHERE movies.rating > (SELECT avg(movies.rating) AS avg FROM movies)',
      });
    });

    it('correlates a scalar subquery over an alias of the same table', () => {
      const peer = movies.alias('peer');
      const best = select(func.max(peer.c.rating)).where(peer.c.director.eq(m.director)).scalarSubquery() as ColumnElement<number>;
      expectString(
        select(m.title).where(m.rating.eq(best)),
        'SELECT movies.title FROM movies WHERE movies.rating = (SELECT max(peer.rating) AS max FROM movies AS peer WHERE peer.director = movies.director)',
      );
    });

    it('EXISTS and NOT EXISTS correlate too', () => {
      const hasFilms = select(m.id).where(m.director.eq(d.name)).exists();
      expectSql(select(d.name).where(hasFilms), {
        sqlite: 'SELECT directors.name FROM directors WHERE EXISTS (SELECT movies.id FROM movies WHERE movies.director = directors.name)',
        postgresql: 'SELECT directors.name FROM directors WHERE EXISTS (SELECT movies.id FROM movies WHERE movies.director = directors.name)',
        mysql: 'SELECT directors.name FROM directors WHERE EXISTS (SELECT movies.id FROM movies WHERE movies.director = directors.name)',
      });
      expectString(
        select(d.name).where(not_(exists(select(m.id).where(m.director.eq(d.name), m.rating.gt(9))))),
        'SELECT directors.name FROM directors WHERE NOT EXISTS (SELECT movies.id FROM movies WHERE movies.director = directors.name AND movies.rating > :rating_1)',
      );
    });

    it('selects an EXISTS as a boolean column', () => {
      expectString(select(select(m.id).where(m.rating.gt(9)).exists().label('any_great')), 'SELECT EXISTS (SELECT movies.id FROM movies WHERE movies.rating > :rating_1) AS any_great');
    });

    it('a scalar subquery must select one column', () => {
      expect(() => select(m.id, m.title).scalarSubquery()).to.throw(/exactly one column/);
    });
  });

  describe('UNION', () => {
    it('union() with its own ORDER BY and LIMIT names the output column', () => {
      const stmt = union(select(m.director).where(m.rating.gt(9)), select(d.name).where(d.born.isNull()))
        .orderBy(m.director)
        .limit(5);
      expectSql(stmt, {
        sqlite:
          'SELECT movies.director FROM movies WHERE movies.rating > ? UNION SELECT directors.name FROM directors WHERE directors.born IS NULL ORDER BY director LIMIT ?',
        postgresql:
          'SELECT movies.director FROM movies WHERE movies.rating > $1 UNION SELECT directors.name FROM directors WHERE directors.born IS NULL ORDER BY director LIMIT $2',
        mysql:
          'SELECT movies.director FROM movies WHERE movies.rating > ? UNION SELECT directors.name FROM directors WHERE directors.born IS NULL ORDER BY director LIMIT ?',
      }, [9, 5]);
    });

    it('unionAll() of three, ordered DESC with an OFFSET alone', () => {
      const stmt = unionAll(select(m.title), select(d.name), select(m.genre)).orderBy(m.title.desc()).offset(2);
      expectSql(stmt, {
        sqlite:
          'SELECT movies.title FROM movies UNION ALL SELECT directors.name FROM directors UNION ALL SELECT movies.genre FROM movies ORDER BY title DESC LIMIT -1 OFFSET ?',
        postgresql:
          'SELECT movies.title FROM movies UNION ALL SELECT directors.name FROM directors UNION ALL SELECT movies.genre FROM movies ORDER BY title DESC OFFSET $1',
        mysql:
          'SELECT movies.title FROM movies UNION ALL SELECT directors.name FROM directors UNION ALL SELECT movies.genre FROM movies ORDER BY title DESC LIMIT 18446744073709551615 OFFSET ?',
      }, [2]);
    });

    it('orders a union by a label of the first select, with NULLS LAST emulated on MySQL', () => {
      const born = d.born.label('day');
      const stmt = select(d.name, born).union(select(m.title, m.releaseDate)).orderBy(born.asc().nullsLast());
      expectSql(stmt, {
        sqlite: 'SELECT directors.name, directors.born AS day FROM directors UNION SELECT movies.title, movies.release_date AS "releaseDate" FROM movies ORDER BY day ASC NULLS LAST',
        postgresql:
          'SELECT directors.name, directors.born AS day FROM directors UNION SELECT movies.title, movies.release_date AS "releaseDate" FROM movies ORDER BY day ASC NULLS LAST',
        mysql:
          'SELECT directors.name, directors.born AS day FROM directors UNION SELECT movies.title, movies.release_date AS `releaseDate` FROM movies ORDER BY day IS NULL, day ASC',
      });
    });

    it('wraps a union as a subquery', () => {
      const names = union(select(m.director.label('name')), select(d.name)).subquery('names');
      expectString(
        select(func.count()).selectFrom(names),
        'SELECT count(*) AS count FROM (SELECT movies.director AS name FROM movies UNION SELECT directors.name FROM directors) AS names',
      );
      expectString(select(names.c.name).where(names.c.name.like('R%')), 'SELECT names.name FROM (SELECT movies.director AS name FROM movies UNION SELECT directors.name FROM directors) AS names WHERE names.name LIKE :name_1');
    });

    it('groups a member that has its own ORDER BY / LIMIT (SQLite allows only a subquery there)', () => {
      const best = select(m.title).orderBy(m.rating.desc()).limit(1);
      expectSql(union(best, select(d.name).where(d.born.lt('1925-01-01'))).orderBy(m.title), {
        sqlite:
          'SELECT * FROM (SELECT movies.title FROM movies ORDER BY movies.rating DESC LIMIT ?) UNION SELECT directors.name FROM directors WHERE directors.born < ? ORDER BY title',
        postgresql:
          '(SELECT movies.title FROM movies ORDER BY movies.rating DESC LIMIT $1) UNION SELECT directors.name FROM directors WHERE directors.born < $2 ORDER BY title',
        mysql:
          '(SELECT movies.title FROM movies ORDER BY movies.rating DESC LIMIT ?) UNION SELECT directors.name FROM directors WHERE directors.born < ? ORDER BY title',
      }, [1, '1925-01-01']);
    });

    it('needs two selects', () => {
      expect(() => union(select(m.id))).to.throw(/at least two selects/);
    });
  });

  describe('result columns', () => {
    it('describes the result columns of a select by their row keys', () => {
      const compiled = compileFor(select(m.id, m.releaseDate, func.count().label(null), func.max(m.rating)).groupBy(m.id, m.releaseDate), 'sqlite');
      expect(compiled.returnsRows).to.equal(true);
      expect(compiled.columns?.map((c) => [c.name, String(c.type)])).to.deep.equal([
        ['id', 'Integer()'],
        ['releaseDate', 'Date()'],
        ['anon_1', 'Integer()'],
        ['max', 'Float()'],
      ]);
    });
  });
});
