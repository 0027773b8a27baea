/**
 * INSERT, UPDATE and DELETE built with the expression language, run against each real database: row
 * counts, RETURNING where the database has it, client-side defaults, expressions and correlated
 * subqueries as values and conditions, and a table whose every name needs quoting. Each test works in
 * a connection that is never committed, so the shared films stay as the fixture has them.
 */
import { expect } from 'chai';
import { type Connection, type Engine, type Executable, createEngine } from '../../src/engine/index.js';
import {
  CompileError,
  MetaData,
  Table,
  column,
  delete_,
  exists,
  func,
  insert,
  not_,
  select,
  t,
  update,
} from '../../src/index.js';
import { CORE_PREFIX, DIRECTORS, createCoreTables, dropCoreTables, movieTables, quotedTable, valuesTable } from '../fixtures/movies.js';
import { forEachDialect } from '../helpers/dialects.js';

const { movies, directors } = movieTables(CORE_PREFIX);
const values = valuesTable(CORE_PREFIX);
const odd = quotedTable(CORE_PREFIX);
const m = movies.c;
const d = directors.c;
const v = values.c;

/** The same `values` table declared with client-side defaults, as an application might. */
const withDefaults = new Table(`${CORE_PREFIX}values`, new MetaData(), {
  id: column(t.Integer(), { primaryKey: true }),
  label: column(t.String(50), { nullable: false, default: 'unnamed' }),
  qty: column(t.Integer(), { onupdate: () => -1 }),
  created: column(t.DateTime(), { default: () => new Date('2024-01-02T03:04:05.678Z') }),
});

forEachDialect('core: insert, update, delete', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.begin((conn) => createCoreTables(conn, dialect.name));
  });

  after(async () => {
    await engine.begin((conn) => dropCoreTables(conn, dialect.name));
    await engine.dispose();
  });

  /** Runs `work` on a connection whose transaction is rolled back at the end. */
  function scratch<T>(work: (conn: Connection) => Promise<T>): Promise<T> {
    return engine.connect(async (conn) => {
      try {
        return await work(conn);
      } finally {
        await conn.rollback();
      }
    });
  }

  async function all(conn: Connection, stmt: Executable): Promise<unknown[][]> {
    return (await conn.execute(stmt)).all().map((row) => [...(row as readonly unknown[])]);
  }

  /** Whether this database has RETURNING for a statement kind (MariaDB: INSERT and DELETE only). */
  const returning = (kind: 'insertReturning' | 'updateReturning' | 'deleteReturning'): boolean => engine.dialect.capabilities[kind];

  describe('INSERT', () => {
    it('inserts one row and reports one row changed', async () => {
      await scratch(async (conn) => {
        const result = await conn.execute(insert(values).values({ label: 'one', qty: 1, name: "O'Brien" }));
        expect(result.rowCount).to.equal(1);
        expect(await all(conn, select(v.label, v.qty, v.name, v.score).where(v.label.eq('one')))).to.deep.equal([['one', 1, "O'Brien", null]]);
      });
    });

    it('inserts several rows as one multi-row VALUES', async () => {
      await scratch(async (conn) => {
        const result = await conn.execute(
          insert(values).values([
            { label: 'a', qty: 1 },
            { label: 'b', qty: 2 },
            { label: 'c', qty: 3 },
          ]),
        );
        expect(result.rowCount).to.equal(3);
        expect(await all(conn, select(v.label, v.qty).orderBy(v.label))).to.deep.equal([
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ]);
      });
    });

    it('executemany: one statement, a list of parameter records', async () => {
      await scratch(async (conn) => {
        const result = await conn.execute(insert(values), [
          { label: 'x', active: true, day: '2024-02-29' },
          { label: 'y', active: false, day: null },
        ]);
        expect(result.rowCount).to.equal(2);
        expect(await all(conn, select(v.label, v.active, v.day).orderBy(v.label))).to.deep.equal([
          ['x', true, '2024-02-29'],
          ['y', false, null],
        ]);
      });
    });

    it('takes a SQL expression as a value', async () => {
      await scratch(async (conn) => {
        await conn.execute(insert(values).values({ label: func.upper('shout'), qty: select(func.count()).selectFrom(movies).scalarSubquery() }));
        expect(await all(conn, select(v.label, v.qty))).to.deep.equal([['SHOUT', 14]]);
      });
    });

    it('fills client-side defaults: a value, and a function called at execution', async () => {
      await scratch(async (conn) => {
        await conn.execute(insert(withDefaults).values({ qty: 5 }));
        await conn.execute(insert(withDefaults), [{ qty: 6 }, { qty: 7 }]);
        const rows = await all(conn, select(withDefaults.c.label, withDefaults.c.qty, withDefaults.c.created).orderBy(withDefaults.c.qty));
        expect(rows).to.deep.equal([
          ['unnamed', 5, new Date('2024-01-02T03:04:05.678Z')],
          ['unnamed', 6, new Date('2024-01-02T03:04:05.678Z')],
          ['unnamed', 7, new Date('2024-01-02T03:04:05.678Z')],
        ]);
      });
    });

    it('INSERT ... RETURNING gives generated ids and typed values, where the database has it', async () => {
      const stmt = insert(values)
        .values([
          { label: 'r1', day: '2024-01-01', active: true },
          { label: 'r2', day: '2024-12-31', active: false },
        ])
        .returning(v.id, v.label, v.day, v.active);
      await scratch(async (conn) => {
        if (!returning('insertReturning')) {
          let error: unknown;
          await conn.execute(stmt).catch((e: unknown) => (error = e));
          expect(error).to.be.instanceOf(CompileError);
          return;
        }
        const rows = (await conn.execute(stmt)).all();
        expect(rows.map((r) => [r.label, r.day, r.active])).to.deep.equal([
          ['r1', '2024-01-01', true],
          ['r2', '2024-12-31', false],
        ]);
        const [first, second] = rows.map((r) => r.id);
        expect(first).to.be.a('number');
        expect(second).to.equal(first! + 1);
      });
    });
  });

  describe('UPDATE', () => {
    it('updates the rows WHERE selects and reports how many', async () => {
      await scratch(async (conn) => {
        const result = await conn.execute(update(movies).values({ genre: 'Science Fiction' }).where(m.genre.eq('Sci-Fi')));
        expect(result.rowCount).to.equal(1);
        expect(await all(conn, select(m.title).where(m.genre.eq('Science Fiction')))).to.deep.equal([['Interstellar']]);
      });
    });

    it('sets columns from expressions on the row itself', async () => {
      await scratch(async (conn) => {
        await conn.execute(update(movies).values({ rating: m.rating.add(0.5), title: m.title.concat(' (1979)') }).where(m.id.eq(35)));
        expect(await all(conn, select(m.title, m.rating).where(m.id.eq(35)))).to.deep.equal([['Alien (1979)', 9]]);
      });
    });

    it('sets a column to NULL and applies onupdate values', async () => {
      await scratch(async (conn) => {
        await conn.execute(insert(values).values({ label: 'u', qty: 3, score: 1.5 }));
        await conn.execute(update(values).values({ score: null }).where(v.label.eq('u')));
        await conn.execute(update(withDefaults).values({ label: 'u2' }).where(withDefaults.c.label.eq('u')));
        expect(await all(conn, select(v.label, v.qty, v.score))).to.deep.equal([['u2', -1, null]]);
      });
    });

    it('filters with IN a subquery on another table', async () => {
      await scratch(async (conn) => {
        const result = await conn.execute(update(movies).values({ rating: 0 }).where(m.director.in(select(d.name).where(d.born.isNull()))));
        expect(result.rowCount).to.equal(2);
        expect(await all(conn, select(m.title).where(m.rating.eq(0)).orderBy(m.title))).to.deep.equal([['Back to the Future'], ['Whiplash']]);
      });
    });

    it('sets a column from a scalar subquery correlated with each updated row', async () => {
      await scratch(async (conn) => {
        const firstFilm = select(func.min(m.releaseDate)).where(m.director.eq(d.name)).scalarSubquery();
        const result = await conn.execute(update(directors).values({ born: firstFilm }).where(d.born.isNull()));
        expect(result.rowCount).to.equal(2);
        expect(await all(conn, select(d.name, d.born).where(d.id.in([5, 8])).orderBy(d.id))).to.deep.equal([
          ['Robert Zemeckis', '1985-07-03'],
          ['Damien Chazelle', '2014-10-10'],
        ]);
      });
    });

    it('UPDATE ... RETURNING where the database has it (not MySQL, not MariaDB)', async () => {
      const stmt = update(movies).values({ rating: m.rating.mul(2) }).where(m.director.eq('Ridley Scott')).returning(m.id, m.rating.label('doubled'));
      await scratch(async (conn) => {
        if (!returning('updateReturning')) {
          let error: unknown;
          await conn.execute(stmt).catch((e: unknown) => (error = e));
          expect(error).to.be.instanceOf(CompileError);
          return;
        }
        const rows = (await conn.execute(stmt)).all().map((r) => [r.id, r.doubled]);
        expect(rows.sort((a, b) => (a[0] as number) - (b[0] as number))).to.deep.equal([
          [27, 17],
          [35, 17],
        ]);
      });
    });
  });

  describe('DELETE', () => {
    it('deletes the rows WHERE selects and reports how many', async () => {
      await scratch(async (conn) => {
        const result = await conn.execute(delete_(movies).where(m.genre.eq('Drama')));
        expect(result.rowCount).to.equal(5);
        expect(await all(conn, select(func.count()).selectFrom(movies))).to.deep.equal([[9]]);
        expect((await conn.execute(delete_(movies))).rowCount).to.equal(9);
      });
    });

    it('deletes with a NOT EXISTS correlated with each deleted row', async () => {
      await scratch(async (conn) => {
        const result = await conn.execute(delete_(directors).where(not_(exists(select(m.id).where(m.director.eq(d.name))))));
        expect(result.rowCount).to.equal(1);
        expect(await all(conn, select(func.count()).selectFrom(directors))).to.deep.equal([[DIRECTORS.length - 1]]);
      });
    });

    it('DELETE ... RETURNING where the database has it (MariaDB too, not MySQL)', async () => {
      const stmt = delete_(directors).where(d.born.isNull()).returning(d.id, d.name);
      await scratch(async (conn) => {
        if (!returning('deleteReturning')) {
          let error: unknown;
          await conn.execute(stmt).catch((e: unknown) => (error = e));
          expect(error).to.be.instanceOf(CompileError);
          return;
        }
        const rows = (await conn.execute(stmt)).all().map((r) => [r.id, r.name]);
        expect(rows.sort((a, b) => (a[0] as number) - (b[0] as number))).to.deep.equal([
          [5, 'Robert Zemeckis'],
          [8, 'Damien Chazelle'],
        ]);
      });
    });
  });

  describe('quoted names', () => {
    it('inserts, selects, updates and deletes in a table whose names are all quoted', async () => {
      await scratch(async (conn) => {
        await conn.execute(insert(odd).values({ key: 1, user: 'ann', order: 2, Mixed: 'Mm', quotes: 'q"`', title: 'Кино', first: 3 }));
        await conn.execute(insert(odd), [{ key: 2, user: 'bob', order: 1 }]);
        await conn.execute(update(odd).values({ title: 'Фильм', order: odd.c.order.add(10) }).where(odd.c.user.eq('ann')));
        const rows = (await conn.execute(select(odd).orderBy(odd.c.order.desc()))).all();
        expect(rows.map((r) => [r.key, r.user, r.order, r.Mixed, r.quotes, r.title, r.first])).to.deep.equal([
          [1, 'ann', 12, 'Mm', 'q"`', 'Фильм', 3],
          [2, 'bob', 1, null, null, null, null],
        ]);
        const alias = odd.alias('user');
        expect(await all(conn, select(alias.c.key).where(alias.c.quotes.contains('"')))).to.deep.equal([[1]]);
        expect((await conn.execute(delete_(odd).where(odd.c.key.eq(2)))).rowCount).to.equal(1);
      });
    });
  });
});
