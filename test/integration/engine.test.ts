/**
 * The engine's connection and transaction semantics (SQLAlchemy 2.0's "commit as you go"), the Result
 * vocabulary, executemany batching and echo, on every dialect.
 */
import { expect } from 'chai';
import { type Connection, type Engine, Result, createEngine } from '../../src/engine/index.js';
import {
  InvalidRequestError,
  IntegrityError,
  MultipleResultsFoundError,
  NoResultFoundError,
} from '../../src/errors.js';
import { MetaData, Table, bindparam, column, delete_, insert, select, t, text, update } from '../../src/index.js';
import { CreateTable } from '../../src/schema/ddl.js';
import type { CompiledSql } from '../../src/dialects/compiled.js';
import { type TestDialectName, forEachDialect } from '../helpers/dialects.js';

const metadata = new MetaData();
const items = new Table('eng_items', metadata, {
  id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
  name: column(t.String(50), { nullable: false, unique: true }),
  qty: column(t.Integer()),
});

const CREATE_ITEMS =
  'CREATE TABLE eng_items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE, qty INTEGER)';

/** A table with a generated key, per dialect. */
const CREATE_SERIAL: Record<TestDialectName, string> = {
  sqlite: 'CREATE TABLE eng_serial (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(20))',
  postgresql: 'CREATE TABLE eng_serial (id SERIAL PRIMARY KEY, name VARCHAR(20))',
  mysql: 'CREATE TABLE eng_serial (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))',
};

/** A query showing a session setting the URL's query string set, per dialect. */
const URL_OPTION: Record<TestDialectName, { query: string; sql: string; expected: unknown } | null> = {
  sqlite: { query: 'readonly=true', sql: 'SELECT 1', expected: 1 },
  postgresql: { query: 'application_name=tsmig_engine_test', sql: "SELECT current_setting('application_name')", expected: 'tsmig_engine_test' },
  mysql: { query: 'charset=utf8mb4', sql: 'SELECT @@character_set_client', expected: 'utf8mb4' },
};

forEachDialect('engine', (dialect) => {
  let engine: Engine;

  /** Rows of eng_items as [id, name, qty], read on a separate connection (so only committed data). */
  async function committedRows(): Promise<unknown[][]> {
    return engine.connect(async (conn) =>
      (await conn.execute(select(items.c.id, items.c.name, items.c.qty).orderBy(items.c.id))).all().map((r) => [...r]),
    );
  }

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.begin(async (conn) => {
      await conn.execute(text('DROP TABLE IF EXISTS eng_items'));
      await conn.execute(text(CREATE_ITEMS));
    });
  });

  beforeEach(async () => {
    await engine.begin((conn) => conn.execute(delete_(items)));
  });

  after(async () => {
    await engine.begin((conn) => conn.execute(text('DROP TABLE IF EXISTS eng_items')));
    await engine.dispose();
  });

  describe('commit as you go', () => {
    it('begins a transaction on the first execute and ends it on commit', async () => {
      await using conn = await engine.connect();
      expect(conn.inTransaction()).to.equal(false);
      await conn.execute(insert(items).values({ id: 1, name: 'a' }));
      expect(conn.inTransaction()).to.equal(true);
      await conn.commit();
      expect(conn.inTransaction()).to.equal(false);
      expect(await committedRows()).to.deep.equal([[1, 'a', null]]);
    });

    it('rollback() discards the transaction and the connection goes on', async () => {
      await using conn = await engine.connect();
      await conn.execute(insert(items).values({ id: 1, name: 'a' }));
      await conn.rollback();
      expect(conn.inTransaction()).to.equal(false);
      await conn.execute(insert(items).values({ id: 2, name: 'b' }));
      await conn.commit();
      expect(await committedRows()).to.deep.equal([[2, 'b', null]]);
    });

    it('close() rolls back anything uncommitted', async () => {
      const conn = await engine.connect();
      await conn.execute(insert(items).values({ id: 1, name: 'a' }));
      await conn.close();
      expect(conn.closed).to.equal(true);
      expect(await committedRows()).to.deep.equal([]);
    });

    it('await using closes the connection at the end of the block', async () => {
      let kept: Connection;
      {
        await using conn = await engine.connect();
        kept = conn;
        await conn.execute(insert(items).values({ id: 1, name: 'a' }));
      }
      expect(kept.closed).to.equal(true);
      expect(await committedRows()).to.deep.equal([]);
    });

    it('engine.connect(callback) closes the connection even when the callback throws', async () => {
      let kept: Connection | undefined;
      const failure = await engine
        .connect(async (conn) => {
          kept = conn;
          await conn.execute(insert(items).values({ id: 1, name: 'a' }));
          throw new Error('boom');
        })
        .catch((e: unknown) => e);
      expect((failure as Error).message).to.equal('boom');
      expect(kept!.closed).to.equal(true);
      expect(await committedRows()).to.deep.equal([]);
    });

    it('using a closed connection is an InvalidRequestError; closing twice is fine', async () => {
      const conn = await engine.connect();
      await conn.close();
      await conn.close();
      await expectRejected(conn.execute(select(items.c.id)), InvalidRequestError, /connection is closed/);
      await expectRejected(conn.commit(), InvalidRequestError, /connection is closed/);
    });
  });

  describe('engine.begin()', () => {
    it('commits when the callback resolves and returns its value', async () => {
      const value = await engine.begin(async (conn) => {
        await conn.execute(insert(items).values({ id: 1, name: 'a' }));
        return 'done';
      });
      expect(value).to.equal('done');
      expect(await committedRows()).to.deep.equal([[1, 'a', null]]);
    });

    it('rolls back and rethrows when the callback throws', async () => {
      const failure = await engine
        .begin(async (conn) => {
          await conn.execute(insert(items).values({ id: 1, name: 'a' }));
          throw new Error('boom');
        })
        .catch((e: unknown) => e);
      expect((failure as Error).message).to.equal('boom');
      expect(await committedRows()).to.deep.equal([]);
    });

    it('a failed statement leaves nothing committed', async () => {
      const failure = await engine
        .begin(async (conn) => {
          await conn.execute(insert(items).values({ id: 1, name: 'a' }));
          await conn.execute(insert(items).values({ id: 2, name: 'a' })); // duplicate name
        })
        .catch((e: unknown) => e);
      expect(failure).to.be.instanceOf(IntegrityError);
      expect(await committedRows()).to.deep.equal([]);
    });

    it('conn.begin() on a connection with an open transaction is an InvalidRequestError', async () => {
      await using conn = await engine.connect();
      await conn.execute(select(items.c.id));
      await expectRejected(conn.begin(), InvalidRequestError, /already begun/);
    });

    it('conn.begin() returns a handle; a finished handle cannot commit again', async () => {
      await using conn = await engine.connect();
      const tx = await conn.begin();
      await conn.execute(insert(items).values({ id: 1, name: 'a' }));
      await tx.commit();
      expect(tx.isActive).to.equal(false);
      await expectRejected(tx.commit(), InvalidRequestError, /no longer active/);
      expect(await committedRows()).to.deep.equal([[1, 'a', null]]);
    });
  });

  describe('savepoints', () => {
    it('beginNested(callback) rolls back only the savepoint when the callback throws', async () => {
      await engine.begin(async (conn) => {
        await conn.execute(insert(items).values({ id: 1, name: 'a' }));
        const failure = await conn
          .beginNested(async () => {
            await conn.execute(insert(items).values({ id: 2, name: 'b' }));
            await conn.execute(insert(items).values({ id: 3, name: 'a' })); // duplicate name
          })
          .catch((e: unknown) => e);
        expect(failure).to.be.instanceOf(IntegrityError);
        expect(conn.inTransaction()).to.equal(true);
        await conn.execute(insert(items).values({ id: 4, name: 'd' }));
      });
      expect(await committedRows()).to.deep.equal([
        [1, 'a', null],
        [4, 'd', null],
      ]);
    });

    it('beginNested(callback) releases the savepoint when the callback resolves', async () => {
      await engine.begin(async (conn) => {
        const value = await conn.beginNested(async () => {
          await conn.execute(insert(items).values({ id: 1, name: 'a' }));
          return 7;
        });
        expect(value).to.equal(7);
      });
      expect(await committedRows()).to.deep.equal([[1, 'a', null]]);
    });

    it('handles nest; rolling back an outer savepoint ends the inner ones', async () => {
      await using conn = await engine.connect();
      await conn.execute(insert(items).values({ id: 1, name: 'a' }));
      const outer = await conn.beginNested();
      await conn.execute(insert(items).values({ id: 2, name: 'b' }));
      const inner = await conn.beginNested();
      await conn.execute(insert(items).values({ id: 3, name: 'c' }));
      await inner.commit();
      const innermost = await conn.beginNested();
      await outer.rollback();
      expect(innermost.isActive).to.equal(false);
      await innermost.rollback(); // no-op once inactive
      await conn.commit();
      expect(await committedRows()).to.deep.equal([[1, 'a', null]]);
    });

    it('beginNested() without an open transaction begins one first', async () => {
      await using conn = await engine.connect();
      const sp = await conn.beginNested();
      expect(conn.inTransaction()).to.equal(true);
      await conn.execute(insert(items).values({ id: 1, name: 'a' }));
      await sp.commit();
      await conn.commit();
      expect(sp.isActive).to.equal(false);
      expect(await committedRows()).to.deep.equal([[1, 'a', null]]);
    });

    it('commit() of the transaction ends its savepoints', async () => {
      await using conn = await engine.connect();
      const sp = await conn.beginNested();
      await conn.execute(insert(items).values({ id: 1, name: 'a' }));
      await conn.commit();
      expect(sp.isActive).to.equal(false);
      expect(await committedRows()).to.deep.equal([[1, 'a', null]]);
    });
  });

  describe('Result', () => {
    beforeEach(async () => {
      await engine.begin((conn) =>
        conn.execute(insert(items).values([
          { id: 1, name: 'one', qty: 10 },
          { id: 2, name: 'two', qty: 20 },
          { id: 3, name: 'three', qty: null },
        ])),
      );
    });

    const byId = select(items.c.id, items.c.name, items.c.qty).orderBy(items.c.id);

    it('rows are tuples that also answer by column name', async () => {
      const result = await engine.connect((conn) => conn.execute(byId));
      const rows = result.all();
      expect(rows).to.have.length(3);
      const [id, name, qty] = rows[0]!;
      expect([id, name, qty]).to.deep.equal([1, 'one', 10]);
      expect(rows[1]!.name).to.equal('two');
      expect(rows[1]![2]).to.equal(20);
      expect(rows[2]!.qty).to.equal(null);
      expect(Array.isArray(rows[0])).to.equal(true);
      expect(rows[0]).to.have.length(3);
      expect(JSON.stringify(rows[0])).to.equal('[1,"one",10]');
      // Typed from the selected columns.
      const typed: [number, string, number | null] = [rows[0]!.id, rows[0]!.name, rows[0]!.qty];
      expect(typed[0]).to.equal(1);
      expect(result.keys()).to.deep.equal(['id', 'name', 'qty']);
      expect([...result].map((r) => r.id)).to.deep.equal([1, 2, 3]);
    });

    it('rows answer by name whether or not any column of theirs is converted', async () => {
      await engine.connect(async (conn) => {
        // No column converted on any dialect (text), typed columns some dialects convert, a driver-typed
        // text() column (a BIGINT count on MySQL), an untyped text() one.
        const names = (await conn.execute(select(items.c.name).orderBy(items.c.id))).all();
        expect(names.map((row) => row.name)).to.deep.equal(['one', 'two', 'three']);
        const qty = (await conn.execute(select(items.c.qty, items.c.id).orderBy(items.c.id))).all();
        expect(qty.map((row) => [row.qty, row.id])).to.deep.equal([[10, 1], [20, 2], [null, 3]]);
        const count = (await conn.execute(text('SELECT count(*) AS n, max(name) AS top FROM eng_items'))).one();
        expect([Number(count.n), count.top]).to.deep.equal([3, 'two']);
        expect(Array.isArray(count)).to.equal(true);
      });
    });

    it('first, one, oneOrNone', async () => {
      await engine.connect(async (conn) => {
        const all = await conn.execute(byId);
        expect(all.first()!.name).to.equal('one');
        expect(() => all.one()).to.throw(MultipleResultsFoundError);
        expect(() => all.oneOrNone()).to.throw(MultipleResultsFoundError);

        const single = await conn.execute(byId.where(items.c.id.eq(2)));
        expect(single.one().name).to.equal('two');
        expect(single.oneOrNone()!.qty).to.equal(20);

        const none = await conn.execute(byId.where(items.c.id.eq(99)));
        expect(none.first()).to.equal(null);
        expect(none.oneOrNone()).to.equal(null);
        expect(() => none.one()).to.throw(NoResultFoundError);
        expect(none.all()).to.deep.equal([]);
      });
    });

    it('scalar, scalars, scalarOne, scalarOneOrNone', async () => {
      await engine.connect(async (conn) => {
        const all = await conn.execute(byId);
        expect(all.scalar()).to.equal(1);
        expect(all.scalars().all()).to.deep.equal([1, 2, 3]);
        expect(all.scalars<string>(1).all()).to.deep.equal(['one', 'two', 'three']);
        expect([...all.scalars()]).to.deep.equal([1, 2, 3]);
        expect(() => all.scalarOne()).to.throw(MultipleResultsFoundError);
        expect(() => all.scalars().one()).to.throw(MultipleResultsFoundError);
        expect(all.scalars().first()).to.equal(1);

        const one = await conn.execute(select(items.c.name).where(items.c.id.eq(3)));
        const name: string = one.scalarOne();
        expect(name).to.equal('three');
        expect(one.scalarOneOrNone()).to.equal('three');

        const none = await conn.execute(select(items.c.name).where(items.c.id.eq(99)));
        expect(none.scalar()).to.equal(null);
        expect(none.scalarOneOrNone()).to.equal(null);
        expect(() => none.scalarOne()).to.throw(NoResultFoundError);
        expect(none.scalars().oneOrNone()).to.equal(null);

        expect(await conn.scalar(select(items.c.qty).where(items.c.id.eq(2)))).to.equal(20);
        expect((await conn.scalars(byId)).all()).to.deep.equal([1, 2, 3]);
      });
    });

    it('mappings() gives plain objects', async () => {
      const result = await engine.connect((conn) => conn.execute(byId));
      const mappings = result.mappings();
      expect(mappings.all()).to.deep.equal([
        { id: 1, name: 'one', qty: 10 },
        { id: 2, name: 'two', qty: 20 },
        { id: 3, name: 'three', qty: null },
      ]);
      expect(mappings.first()).to.deep.equal({ id: 1, name: 'one', qty: 10 });
      expect(mappings.keys()).to.deep.equal(['id', 'name', 'qty']);
      expect(() => mappings.one()).to.throw(MultipleResultsFoundError);
      const name: string = mappings.all()[1]!.name;
      expect(name).to.equal('two');
    });

    it('rowCount counts the rows UPDATE and DELETE matched', async () => {
      await engine.begin(async (conn) => {
        const updated = await conn.execute(update(items).values({ qty: 10 }).where(items.c.qty.ge(10)));
        // MySQL would count only changed rows without CLIENT_FOUND_ROWS; row 1 already had qty 10.
        expect(updated.rowCount).to.equal(2);
        expect(updated.returnsRows).to.equal(false);
        expect(updated.all()).to.deep.equal([]);
        expect((await conn.execute(delete_(items).where(items.c.id.eq(3)))).rowCount).to.equal(1);
        expect((await conn.execute(delete_(items).where(items.c.id.eq(3)))).rowCount).to.equal(0);
      });
    });

    it('row names for text() come from the driver', async () => {
      const result = await engine.connect((conn) =>
        conn.execute(text('SELECT id AS item_id, name FROM eng_items WHERE qty > :min ORDER BY id'), { min: 15 }),
      );
      expect(result.keys()).to.deep.equal(['item_id', 'name']);
      expect(result.one().name).to.equal('two');
      expect(result.mappings().one()).to.deep.equal({ item_id: 2, name: 'two' });
    });

    it("text('SELECT *') sees a column added since it last ran on the connection", async () => {
      await using conn = await engine.connect();
      const star = text('SELECT * FROM eng_items WHERE id = :id');
      expect((await conn.execute(star, { id: 1 })).keys()).to.deep.equal(['id', 'name', 'qty']);
      await conn.execute(text('ALTER TABLE eng_items ADD COLUMN extra INTEGER'));
      await conn.commit();
      try {
        const row = (await conn.execute(star, { id: 1 })).mappings().one();
        expect(row).to.deep.equal({ id: 1, name: 'one', qty: 10, extra: null });
      } finally {
        await conn.rollback();
        await conn.execute(text('ALTER TABLE eng_items DROP COLUMN extra'));
        await conn.commit();
      }
    });

    it('a missing parameter is an InvalidRequestError naming it', async () => {
      await engine.connect(async (conn) => {
        await expectRejected(conn.execute(text('SELECT id FROM eng_items WHERE id = :wanted')), InvalidRequestError, /'wanted'/);
        await expectRejected(
          conn.execute(select(items.c.name).where(items.c.id.eq(bindparam('pk', { type: t.Integer() })))),
          InvalidRequestError,
          /'pk'/,
        );
        expect(await conn.scalar(select(items.c.name).where(items.c.id.eq(bindparam('pk', { type: t.Integer() }))), { pk: 1 })).to.equal('one');
      });
    });

    it('executes a CompiledSql as it is', async () => {
      const compiled = engine.dialect.compile(select(items.c.name).where(items.c.id.eq(bindparam('pk', { type: t.Integer() }))));
      const copy: CompiledSql = { ...compiled };
      expect(await engine.connect((conn) => conn.scalar(copy, { pk: 3 }))).to.equal('three');
    });

    it('lastInsertId: the generated key of an INSERT where the driver reports it', async () => {
      const serial = new Table('eng_serial', new MetaData(), {
        id: column(t.Integer(), { primaryKey: true }),
        name: column(t.String(20)),
      });
      await engine.begin(async (conn) => {
        await conn.execute(text('DROP TABLE IF EXISTS eng_serial'));
        await conn.execute(text(CREATE_SERIAL[dialect.name]));
      });
      try {
        const [first, second] = await engine.begin(async (conn) => [
          await conn.execute(insert(serial).values({ name: 'a' })),
          await conn.execute(insert(serial).values({ name: 'b' })),
        ]);
        if (dialect.name === 'postgresql') {
          expect(first!.lastInsertId).to.equal(null); // PostgreSQL reports keys through RETURNING only
        } else {
          expect(first!.lastInsertId).to.equal(1);
          expect(second!.lastInsertId).to.equal(2);
        }
        expect(first!.rowCount).to.equal(1);
      } finally {
        await engine.begin((conn) => conn.execute(text('DROP TABLE IF EXISTS eng_serial')));
      }
    });

    it('INSERT ... RETURNING where the dialect has it', async function () {
      if (!engine.dialect.capabilities.insertReturning) this.skip();
      const result = await engine.begin((conn) =>
        conn.execute(insert(items).values({ id: 4, name: 'four', qty: 40 }).returning(items.c.id, items.c.name)),
      );
      expect(result.all().map((r) => [...r])).to.deep.equal([[4, 'four']]);
      expect(result.one().name).to.equal('four');
    });
  });

  describe('executemany', () => {
    const many = Array.from({ length: 2500 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}`, qty: i % 7 }));

    it('batches an INSERT into multi-row VALUES, reusing the full batch statement', async () => {
      const lines: string[] = [];
      const echoing = createEngine(dialect.url, { echo: true, logger: (line) => lines.push(line) });
      try {
        const result = await echoing.begin((conn) => conn.execute(insert(items), many));
        expect(result.rowCount).to.equal(2500);
      } finally {
        await echoing.dispose();
      }
      const inserts = lines.filter((l) => l.startsWith('INSERT'));
      expect(inserts).to.have.length(3);
      expect(inserts[0]).to.equal(inserts[1]);
      expect(inserts[2]!.length).to.be.lessThan(inserts[0]!.length);
      expect(lines.filter((l) => l.startsWith('[executemany'))).to.deep.equal([
        '[executemany batch of 1000 rows, 1000 of 2500]',
        '[executemany batch of 1000 rows, 2000 of 2500]',
        '[executemany batch of 500 rows, 2500 of 2500]',
      ]);
      const rows = await committedRows();
      expect(rows).to.have.length(2500);
      expect(rows[2499]).to.deep.equal([2500, 'item 2500', 2499 % 7]);
    });

    it('returns every RETURNING row across batches', async function () {
      if (!engine.dialect.capabilities.insertReturning) this.skip();
      const result = await engine.begin((conn) => conn.execute(insert(items).returning(items.c.id), many.slice(0, 1200)));
      expect(result.scalars().all()).to.deep.equal(many.slice(0, 1200).map((r) => r.id));
    });

    it('runs other statements once per parameter record and sums rowCount', async () => {
      await engine.begin((conn) => conn.execute(insert(items), many.slice(0, 10)));
      const result = await engine.begin((conn) =>
        conn.execute(text('UPDATE eng_items SET qty = :qty WHERE id = :id'), [
          { id: 1, qty: 100 },
          { id: 2, qty: 200 },
          { id: 99, qty: 0 },
        ]),
      );
      expect(result.rowCount).to.equal(2);
      expect((await committedRows()).slice(0, 2)).to.deep.equal([
        [1, 'item 1', 100],
        [2, 'item 2', 200],
      ]);
    });

    it('an empty list runs nothing', async () => {
      const result = await engine.begin((conn) => conn.execute(insert(items), []));
      expect(result.rowCount).to.equal(0);
      expect(result).to.be.instanceOf(Result);
    });
  });

  describe('echo', () => {
    it('logs transaction control, statements and their parameters', async () => {
      const lines: string[] = [];
      const echoing = createEngine(dialect.url, { echo: true, logger: (line) => lines.push(line) });
      try {
        await echoing.connect(async (conn) => {
          await conn.execute(insert(items).values({ id: 5, name: 'five' }));
          await conn.commit();
          await conn.execute(select(items.c.name).where(items.c.id.eq(5)));
          const sp = await conn.beginNested();
          await sp.rollback();
        });
        expect(lines[0]).to.equal('BEGIN (implicit)');
        expect(lines[1]).to.match(/^INSERT INTO eng_items/);
        expect(lines[2]).to.equal("[parameters: 5, 'five']");
        expect(lines[3]).to.equal('COMMIT');
        expect(lines[4]).to.equal('BEGIN (implicit)');
        expect(lines[5]).to.match(/^SELECT eng_items.name/);
        expect(lines[6]).to.equal('[parameters: 5]');
        expect(lines[7]).to.match(/^SAVEPOINT tsmig_sp_\d+$/);
        expect(lines[8]).to.match(/^ROLLBACK TO SAVEPOINT tsmig_sp_\d+$/);
        expect(lines[9]).to.equal('ROLLBACK');
        expect(lines).to.have.length(10);

        lines.length = 0;
        echoing.echo = false;
        await echoing.connect((conn) => conn.execute(select(items.c.id)));
        expect(lines).to.deep.equal([]);
      } finally {
        await echoing.dispose();
      }
    });
  });

  describe('DDL elements', () => {
    const ddlTable = new Table('eng_ddl', new MetaData(), { id: column(t.Integer(), { primaryKey: true, autoincrement: false }) });

    afterEach(async () => {
      await engine.begin((conn) => conn.execute(text('DROP TABLE IF EXISTS eng_ddl')));
    });

    it('run in the open transaction, echoed, with a result of no rows whatever DML ran before them', async () => {
      const lines: string[] = [];
      const echoing = createEngine(dialect.url, { echo: true, logger: (line) => lines.push(line) });
      try {
        await echoing.connect(async (conn) => {
          await conn.execute(insert(items), [{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
          const result = await conn.execute(new CreateTable(ddlTable));
          expect(result.returnsRows).to.equal(false);
          expect(result.all()).to.deep.equal([]);
          expect(result.rowCount).to.equal(0);
          expect(result.lastInsertId).to.equal(null);
          expect(result.warnings).to.equal(0);
          expect(conn.inTransaction()).to.equal(true);
          await conn.commit();
        });
        expect(lines.filter((line) => line.startsWith('BEGIN'))).to.deep.equal(['BEGIN (implicit)']);
        expect(lines[lines.length - 2]).to.match(/^CREATE TABLE eng_ddl \(/);
        expect(lines[lines.length - 1]).to.equal('COMMIT');
        const n = await engine.connect(async (conn) => (await conn.execute(text('SELECT COUNT(*) FROM eng_ddl'))).scalar());
        expect(Number(n)).to.equal(0);
      } finally {
        await echoing.dispose();
      }
    });

    it('fail naming the statement, and the connection goes on', async () => {
      await engine.begin((conn) => conn.execute(new CreateTable(ddlTable)));
      await engine.connect(async (conn) => {
        let error: unknown = null;
        try {
          await conn.execute(new CreateTable(ddlTable));
        } catch (e) {
          error = e;
        }
        expect(String(error)).to.match(/CREATE TABLE eng_ddl/);
        await conn.rollback();
        expect((await conn.execute(text('SELECT COUNT(*) FROM eng_ddl'))).scalar()).to.satisfy((v: unknown) => Number(v) === 0);
      });
    });
  });

  describe('URL options', () => {
    it('reach the driver', async function () {
      const option = URL_OPTION[dialect.name];
      if (option === null) this.skip();
      const separator = dialect.url.includes('?') ? '&' : '?';
      const other = createEngine(`${dialect.url}${separator}${option.query}`);
      try {
        expect(String(await other.connect((conn) => conn.scalar(text(option.sql))))).to.equal(String(option.expected));
      } finally {
        await other.dispose();
      }
    });
  });

  describe('pool', () => {
    it('returns connections for reuse and can be disposed and used again', async () => {
      for (let i = 0; i < 30; i++) await engine.connect((conn) => conn.execute(select(items.c.id)));
      const [a, b] = await Promise.all([engine.connect(), engine.connect()]).catch(() => [] as Connection[]);
      // A file or server database hands out concurrent connections.
      expect(a).to.not.equal(undefined);
      await a!.close();
      await b!.close();
      await engine.dispose();
      expect(await engine.connect((conn) => conn.scalar(select(items.c.id).limit(1)))).to.equal(null);
    });

    it('dispose() does not wait for a checked-out connection, which stays usable until closed', async () => {
      const other = createEngine(dialect.url);
      const conn = await other.connect();
      await conn.execute(select(items.c.id));
      await other.dispose();
      expect(await conn.scalar(text('SELECT 1'))).to.equal(1);
      await conn.close();
      expect(await other.connect((c) => c.scalar(text('SELECT 2')))).to.equal(2);
      await other.dispose();
    });
  });
});

async function expectRejected(promise: Promise<unknown>, type: new (...args: never[]) => Error, message: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').to.be.instanceOf(type);
  expect((error as Error).message).to.match(message);
}
