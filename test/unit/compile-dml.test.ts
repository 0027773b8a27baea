/**
 * The SQL of INSERT, UPDATE and DELETE on every dialect: single and multi-row VALUES, executemany
 * batches, client-side defaults, expressions as values, RETURNING (and where it is refused), and
 * subqueries in DML.
 */
import { expect } from 'chai';
import {
  MetaData,
  Table,
  column,
  delete_,
  exists,
  func,
  getDialect,
  insert,
  not_,
  select,
  t,
  update,
} from '../../src/index.js';
import { movieTables } from '../fixtures/movies.js';
import { compileFor, expectSql, expectString, fails } from '../helpers/compiled.js';

const { movies, directors } = movieTables();
const m = movies.c;
const d = directors.c;

const metadata = new MetaData();
const notes = new Table('notes', metadata, {
  id: column(t.Integer(), { primaryKey: true }),
  body: column(t.Text(), { nullable: false }),
  status: column(t.String(10), { default: 'new' }),
  createdAt: column(t.DateTime(), { name: 'created_at', default: () => new Date(0) }),
  updatedAt: column(t.DateTime(), { name: 'updated_at', onupdate: () => new Date(0) }),
});

const alien = {
  id: 35,
  title: 'Alien',
  director: 'Ridley Scott',
  releaseDate: '1979-05-25',
  duration: 117,
  genre: 'Horror',
  rating: 8.5,
};

describe('compile: INSERT, UPDATE, DELETE', () => {
  describe('INSERT', () => {
    it('insert(table) is one shared statement per table, which values() and returning() leave bare', () => {
      const bare = insert(notes);
      expect(insert(notes)).to.equal(bare);
      expect(insert(movies)).to.not.equal(bare);
      const one = bare.values({ body: 'x' });
      const returning = bare.returning(notes.c.id);
      expect(one).to.not.equal(bare);
      expect(returning).to.not.equal(bare);
      expect([bare.rows.length, bare.returningItems.length]).to.deep.equal([0, 0]);
      // The dialects cache compiled batches per statement object: the same object, the same compiled batch.
      const sqlite = getDialect('sqlite');
      expect(sqlite.compileInsertBatch(insert(notes), ['body'], 3)).to.equal(sqlite.compileInsertBatch(insert(notes), ['body'], 3));
    });

    it('inserts one row in the table\'s column order, with real column names', () => {
      expectSql(
        insert(movies).values({ title: 'Alien', id: 35, releaseDate: '1979-05-25', director: 'Ridley Scott', duration: 117, genre: 'Horror', rating: 8.5 }),
        {
          sqlite: 'INSERT INTO movies (id, title, director, release_date, duration, genre, rating) VALUES (?, ?, ?, ?, ?, ?, ?)',
          postgresql: 'INSERT INTO movies (id, title, director, release_date, duration, genre, rating) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          mysql: 'INSERT INTO movies (id, title, director, release_date, duration, genre, rating) VALUES (?, ?, ?, ?, ?, ?, ?)',
        },
        [35, 'Alien', 'Ridley Scott', '1979-05-25', 117, 'Horror', 8.5],
      );
      expectString(
        insert(directors).values({ id: 1, name: 'Ridley Scott' }),
        'INSERT INTO directors (id, name) VALUES (:id_1, :name_1)',
      );
    });

    it('inserts several rows as a multi-row VALUES', () => {
      const stmt = insert(directors).values([
        { id: 1, name: 'Ridley Scott', born: null },
        { id: 2, name: 'Sergio Leone', born: '1929-01-03' },
      ]);
      expectSql(stmt, {
        sqlite: 'INSERT INTO directors (id, name, born) VALUES (?, ?, ?), (?, ?, ?)',
        postgresql: 'INSERT INTO directors (id, name, born) VALUES ($1, $2, $3), ($4, $5, $6)',
        mysql: 'INSERT INTO directors (id, name, born) VALUES (?, ?, ?), (?, ?, ?)',
      }, [1, 'Ridley Scott', null, 2, 'Sergio Leone', '1929-01-03']);
    });

    it('leaves out a key whose value is undefined, but binds an explicit null', () => {
      expectString(insert(directors).values({ id: 1, name: 'x', born: undefined }), 'INSERT INTO directors (id, name) VALUES (:id_1, :name_1)');
      expectString(insert(directors).values({ id: 1, name: 'x', born: null }), 'INSERT INTO directors (id, name, born) VALUES (:id_1, :name_1, :born_1)');
    });

    it('takes a SQL expression as a value', () => {
      expectSql(insert(directors).values({ id: 1, name: func.upper('leone') }), {
        sqlite: 'INSERT INTO directors (id, name) VALUES (?, upper(?))',
        postgresql: 'INSERT INTO directors (id, name) VALUES ($1, upper($2))',
        mysql: 'INSERT INTO directors (id, name) VALUES (?, upper(?))',
      }, [1, 'leone']);
    });

    it('adds client-side defaults: a value bound now, a function called per execution', () => {
      expectSql(insert(notes).values({ body: 'hello' }), {
        sqlite: 'INSERT INTO notes (body, status, created_at) VALUES (?, ?, ?)',
        postgresql: 'INSERT INTO notes (body, status, created_at) VALUES ($1, $2, $3)',
        mysql: 'INSERT INTO notes (body, status, created_at) VALUES (?, ?, ?)',
      });
      const binds = compileFor(insert(notes).values({ body: 'hello', status: 'draft' }), 'sqlite').binds;
      expect(binds.map((b) => [b.key, b.value, typeof b.generate])).to.deep.equal([
        ['body_1', 'hello', 'undefined'],
        ['status_1', 'draft', 'undefined'],
        ['createdAt_1', undefined, 'function'],
      ]);
    });

    it('inserts default values when no column is given', () => {
      expectSql(insert(directors), {
        sqlite: 'INSERT INTO directors DEFAULT VALUES',
        postgresql: 'INSERT INTO directors DEFAULT VALUES',
        mysql: 'INSERT INTO directors () VALUES ()',
      });
    });

    it('compiles an executemany batch as one multi-row VALUES reading each row by key', () => {
      const compiled = getDialect('postgresql').compileInsertBatch(insert(directors), ['id', 'name'], 3);
      expect(compiled.sql).to.equal('INSERT INTO directors (id, name) VALUES ($1, $2), ($3, $4), ($5, $6)');
      expect(compiled.binds.map((b) => [b.key, b.row, b.late])).to.deep.equal([
        ['id', 0, true],
        ['name', 0, true],
        ['id', 1, true],
        ['name', 1, true],
        ['id', 2, true],
        ['name', 2, true],
      ]);
      expect(getDialect('mysql').compileInsertBatch(insert(directors), ['name'], 2).sql).to.equal('INSERT INTO directors (name) VALUES (?), (?)');
    });

    it('rejects an unknown key, an empty list and rows that set different columns', () => {
      expect(() => insert(directors).values({ id: 1, name: 'x', nope: 1 } as never)).to.throw(/table "directors" has no column "nope"/);
      expect(() => insert(directors).values([])).to.throw(/has no rows/);
      expect(() => insert(directors).values([{ id: 1, name: 'a' }, { id: 2, name: 'b', born: null }])).to.throw(/must set the same columns/);
    });
  });

  describe('INSERT ... RETURNING', () => {
    it('returns bare column names, labelled by key; refused by MySQL, allowed by MariaDB', () => {
      const stmt = insert(movies).values(alien).returning(m.id, m.releaseDate);
      expectSql(stmt, {
        sqlite: 'INSERT INTO movies (id, title, director, release_date, duration, genre, rating) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id, release_date AS "releaseDate"',
        postgresql:
          'INSERT INTO movies (id, title, director, release_date, duration, genre, rating) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, release_date AS "releaseDate"',
        mysql: fails(/INSERT \.\.\. RETURNING is not supported/),
        mariadb: 'INSERT INTO movies (id, title, director, release_date, duration, genre, rating) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id, release_date AS `releaseDate`',
      });
    });

    it('returns a whole table and expressions', () => {
      const stmt = insert(directors).values({ id: 1, name: 'x' }).returning(directors, func.upper(d.name).label('shout'));
      expectSql(stmt, {
        sqlite: 'INSERT INTO directors (id, name) VALUES (?, ?) RETURNING id, name, born, upper(name) AS shout',
        postgresql: 'INSERT INTO directors (id, name) VALUES ($1, $2) RETURNING id, name, born, upper(name) AS shout',
        mysql: fails(/RETURNING is not supported/),
        mariadb: 'INSERT INTO directors (id, name) VALUES (?, ?) RETURNING id, name, born, upper(name) AS shout',
      });
      expect(compileFor(stmt, 'postgresql').returnsRows).to.equal(true);
      expect(compileFor(insert(directors).values({ id: 1, name: 'x' }), 'postgresql').returnsRows).to.equal(false);
    });
  });

  describe('UPDATE', () => {
    it('sets values by key with bare column names and a qualified WHERE', () => {
      expectSql(update(movies).where(m.id.eq(35)).values({ title: 'Alien (1979)', releaseDate: '1979-05-25' }), {
        sqlite: 'UPDATE movies SET title=?, release_date=? WHERE movies.id = ?',
        postgresql: 'UPDATE movies SET title=$1, release_date=$2 WHERE movies.id = $3',
        mysql: 'UPDATE movies SET title=?, release_date=? WHERE movies.id = ?',
      }, ['Alien (1979)', '1979-05-25', 35]);
      expectString(update(movies).values({ rating: 9 }), 'UPDATE movies SET rating=:rating_1');
    });

    it('sets a column from an expression on the row, naming the target\'s columns bare', () => {
      expectSql(update(movies).values({ rating: m.rating.add(0.1), title: m.title.concat('!') }).where(m.genre.eq('War')), {
        sqlite: 'UPDATE movies SET title=title || ?, rating=rating + ? WHERE movies.genre = ?',
        postgresql: 'UPDATE movies SET title=title || $1, rating=rating + $2 WHERE movies.genre = $3',
        mysql: 'UPDATE movies SET title=concat(title, ?), rating=rating + ? WHERE movies.genre = ?',
      }, ['!', 0.1, 'War']);
    });

    it('adds onupdate values of columns it does not set', () => {
      expectString(update(notes).values({ body: 'x' }).where(notes.c.id.eq(1)), 'UPDATE notes SET body=:body_1, updated_at=:updatedAt_1 WHERE notes.id = :id_1');
    });

    it('filters with a subquery on another table', () => {
      expectSql(update(movies).values({ rating: 0 }).where(m.director.in(select(d.name).where(d.born.isNull()))), {
        sqlite: 'UPDATE movies SET rating=? WHERE movies.director IN (SELECT directors.name FROM directors WHERE directors.born IS NULL)',
        postgresql: 'UPDATE movies SET rating=$1 WHERE movies.director IN (SELECT directors.name FROM directors WHERE directors.born IS NULL)',
        mysql: 'UPDATE movies SET rating=? WHERE movies.director IN (SELECT directors.name FROM directors WHERE directors.born IS NULL)',
      });
    });

    it('sets a column from a scalar subquery correlated with the updated row', () => {
      // Inside the subquery a bare `name` would resolve to the wrong table, and listing `directors` in its
      // FROM would detach it from the row being updated (MySQL: error 1093, can't reuse the target table).
      const firstFilm = select(func.min(m.releaseDate)).where(m.director.eq(d.name)).scalarSubquery();
      expectSql(update(directors).values({ born: firstFilm }).where(d.born.isNull()), {
        sqlite:
          'UPDATE directors SET born=(SELECT min(movies.release_date) AS min FROM movies WHERE movies.director = directors.name) WHERE directors.born IS NULL',
        postgresql:
          'UPDATE directors SET born=(SELECT min(movies.release_date) AS min FROM movies WHERE movies.director = directors.name) WHERE directors.born IS NULL',
        mysql:
          'UPDATE directors SET born=(SELECT min(movies.release_date) AS min FROM movies WHERE movies.director = directors.name) WHERE directors.born IS NULL',
      });
    });

    it('UPDATE ... RETURNING: SQLite and PostgreSQL; neither MySQL nor MariaDB', () => {
      const stmt = update(movies).values({ rating: m.rating.mul(2) }).where(m.id.eq(1)).returning(m.id, m.rating.label('new_rating'));
      expectSql(stmt, {
        sqlite: 'UPDATE movies SET rating=rating * ? WHERE movies.id = ? RETURNING id, rating AS new_rating',
        postgresql: 'UPDATE movies SET rating=rating * $1 WHERE movies.id = $2 RETURNING id, rating AS new_rating',
        mysql: fails(/UPDATE \.\.\. RETURNING is not supported/),
        mariadb: fails(/UPDATE \.\.\. RETURNING is not supported/),
      });
    });

    it('rejects values() that set nothing and unknown keys', () => {
      expect(() => update(movies).values({})).to.throw(/values\(\) sets no column/);
      expect(() => update(movies).values({ nope: 1 } as never)).to.throw(/has no column "nope"/);
    });
  });

  describe('DELETE', () => {
    it('deletes with and without WHERE', () => {
      expectSql(delete_(movies).where(m.id.eq(35), m.title.eq('Alien')), {
        sqlite: 'DELETE FROM movies WHERE movies.id = ? AND movies.title = ?',
        postgresql: 'DELETE FROM movies WHERE movies.id = $1 AND movies.title = $2',
        mysql: 'DELETE FROM movies WHERE movies.id = ? AND movies.title = ?',
      }, [35, 'Alien']);
      expectSql(delete_(movies), { sqlite: 'DELETE FROM movies', postgresql: 'DELETE FROM movies', mysql: 'DELETE FROM movies' });
    });

    it('DELETE ... RETURNING: refused by MySQL, allowed by MariaDB', () => {
      expectSql(delete_(directors).where(d.born.isNull()).returning(d.name), {
        sqlite: 'DELETE FROM directors WHERE directors.born IS NULL RETURNING name',
        postgresql: 'DELETE FROM directors WHERE directors.born IS NULL RETURNING name',
        mysql: fails(/DELETE \.\.\. RETURNING is not supported/),
        mariadb: 'DELETE FROM directors WHERE directors.born IS NULL RETURNING name',
      });
    });

    it('correlates an EXISTS with the deleted row', () => {
      const stmt = delete_(directors).where(not_(exists(select(m.id).where(m.director.eq(d.name)))));
      expectSql(stmt, {
        sqlite: 'DELETE FROM directors WHERE NOT EXISTS (SELECT movies.id FROM movies WHERE movies.director = directors.name)',
        postgresql: 'DELETE FROM directors WHERE NOT EXISTS (SELECT movies.id FROM movies WHERE movies.director = directors.name)',
        mysql: 'DELETE FROM directors WHERE NOT EXISTS (SELECT movies.id FROM movies WHERE movies.director = directors.name)',
      });
    });
  });
});
