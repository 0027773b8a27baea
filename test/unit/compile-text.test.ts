/**
 * The SQL of `text()`: `:name` parameters become each dialect's placeholders, values stay bound,
 * PostgreSQL casts and escaped colons survive, and `.columns()` declares the result.
 */
import { expect } from 'chai';
import { and_, select, t, text } from '../../src/index.js';
import { movieTables } from '../fixtures/movies.js';
import { compileFor, expectSql, expectString } from '../helpers/compiled.js';

const { movies } = movieTables();
const m = movies.c;

describe('compile: text()', () => {
  it('turns :name parameters into placeholders supplied at execution', () => {
    const stmt = text('SELECT title FROM movies WHERE director = :director AND rating >= :rating');
    expectSql(stmt, {
      sqlite: 'SELECT title FROM movies WHERE director = ? AND rating >= ?',
      postgresql: 'SELECT title FROM movies WHERE director = $1 AND rating >= $2',
      mysql: 'SELECT title FROM movies WHERE director = ? AND rating >= ?',
    }, [undefined, undefined]);
    expect(compileFor(stmt, 'sqlite').binds.map((b) => [b.key, b.late])).to.deep.equal([
      ['director', true],
      ['rating', true],
    ]);
  });

  it('binds values fixed with bindparams(); the others stay late', () => {
    const stmt = text('SELECT * FROM movies WHERE id = :id OR title = :title').bindparams({ id: 5 });
    expect(compileFor(stmt, 'postgresql').binds.map((b) => [b.key, b.value, b.late])).to.deep.equal([
      ['id', 5, false],
      ['title', undefined, true],
    ]);
  });

  it('gives a parameter used twice one slot per use, both read by its name', () => {
    const stmt = text('SELECT :x AS a, :x AS b').bindparams({ x: 1 });
    expectSql(stmt, { sqlite: 'SELECT ? AS a, ? AS b', postgresql: 'SELECT $1 AS a, $2 AS b', mysql: 'SELECT ? AS a, ? AS b' }, [1, 1]);
  });

  it('leaves PostgreSQL :: casts, time literals and \\: escapes alone', () => {
    const stmt = text("SELECT CAST(:n AS INTEGER) AS n, '12:30:00' AS t, x::text AS x, 'a\\:b' AS c FROM y");
    expectSql(stmt, {
      sqlite: "SELECT CAST(? AS INTEGER) AS n, '12:30:00' AS t, x::text AS x, 'a:b' AS c FROM y",
      postgresql: "SELECT CAST($1 AS INTEGER) AS n, '12:30:00' AS t, x::text AS x, 'a:b' AS c FROM y",
      mysql: "SELECT CAST(? AS INTEGER) AS n, '12:30:00' AS t, x::text AS x, 'a:b' AS c FROM y",
    });
  });

  it('keeps its text as written in String(stmt)', () => {
    expectString(text('SELECT 1 WHERE a = :a').bindparams({ a: "it's" }), 'SELECT 1 WHERE a = :a');
  });

  it('combines with expressions in WHERE, numbering placeholders across both', () => {
    const stmt = select(m.title).where(and_(m.rating.gt(8), text('movies.duration < :max').bindparams({ max: 120 })));
    expectSql(stmt, {
      sqlite: 'SELECT movies.title FROM movies WHERE movies.rating > ? AND (movies.duration < ?)',
      postgresql: 'SELECT movies.title FROM movies WHERE movies.rating > $1 AND (movies.duration < $2)',
      mysql: 'SELECT movies.title FROM movies WHERE movies.rating > ? AND (movies.duration < ?)',
    }, [8, 120]);
  });

  it('returns rows; .columns() declares their names and types', () => {
    const plain = compileFor(text('SELECT 1'), 'sqlite');
    expect(plain.returnsRows).to.equal(true);
    expect(plain.columns).to.equal(null);
    const typed = compileFor(text('SELECT id, release_date FROM movies').columns({ id: t.Integer(), release_date: t.Date() }), 'sqlite');
    expect(typed.columns?.map((c) => [c.name, String(c.type)])).to.deep.equal([
      ['id', 'Integer()'],
      ['release_date', 'Date()'],
    ]);
  });
});
