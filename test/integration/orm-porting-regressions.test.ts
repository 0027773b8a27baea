/**
 * Wrong results found by porting a SQLAlchemy 2.0 application (seed 004, the ORM tutorial), each named
 * after what broke, on every dialect.
 */
import { expect } from 'chai';
import {
  ArgumentError,
  type ColumnElement,
  InvalidRequestError,
  IntegrityError,
  aliased,
  insert,
  select,
  update,
} from '../../src/index.js';
import { Address, User, measurements, usePortingSession } from '../fixtures/orm-porting.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('orm: porting regressions', (dialect) => {
  const db = usePortingSession(dialect.url);

  it('aliased(User, subq) and aliased(Address, subq) read their own columns when both tables have an id', async () => {
    const subq = select(User, Address).join(User.addresses).subquery();
    const ua = aliased(User, subq);
    const aa = aliased(Address, subq);
    expect(Object.keys(subq.c)).to.deep.equal(['id', 'username', 'email', 'karma', 'id_1', 'userId', 'email_1']);
    const rows = (await db.session.execute(select(ua, aa).orderBy(aa.c.id))).all();
    expect(rows.map(([u, a]) => [u.username, a.id, a.email])).to.deep.equal([
      ['ed', 11, 'ed@home.example'],
      ['ed', 12, 'ed@work.example'],
      ['wendy', 13, 'wendy@home.example'],
    ]);
    expect(String(select(aa.c.id, ua.c.id))).to.match(/^SELECT anon_1\.id_1, anon_1\.id FROM/);
    expect(rows[0]![1]).to.be.instanceOf(Address);
    expect(rows[0]![0]).to.equal(rows[1]![0]);
  });

  it('a subquery column selected twice under one name gets a numbered label', async () => {
    const subq = select(User.c.id, Address.c.id).join(Address, Address.c.userId.eq(User.c.id)).subquery();
    // The row type of a subquery does not follow the numbering: the second id is reached by its name.
    const c = subq.c as unknown as Record<'id' | 'id_1', ColumnElement<number>>;
    const values = (await db.session.execute(select(c.id, c.id_1).orderBy(c.id_1))).all().map((r) => [...r]);
    expect(values).to.deep.equal([
      [1, 11],
      [1, 12],
      [2, 13],
    ]);
  });

  it('session.begin(work) inside an open transaction raises instead of committing the outer transaction', async () => {
    await db.session.scalar(select(User).where(User.c.id.eq(1)));
    expect(db.session.inTransaction()).to.equal(true);
    let ran = false;
    try {
      await db.session.begin(async () => {
        ran = true;
      });
      expect.fail('begin() should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidRequestError);
      expect((error as Error).message).to.equal(
        'A transaction is already begun on this session; commit() or rollback() it first, or use session.beginNested() for a savepoint',
      );
    }
    expect(ran).to.equal(false);
    expect(db.session.inTransaction()).to.equal(true);
  });

  it('session.beginNested(work) keeps what work did when it resolves', async () => {
    const ed = (await db.session.get(User, 1))!;
    await db.session.beginNested(async (s) => {
      s.add(new User({ id: 4, username: 'jack' }));
      ed.karma = 11;
    });
    await db.session.commit();
    expect((await db.session.scalars(select(User.c.username).orderBy(User.c.id))).all()).to.deep.equal(['ed', 'wendy', 'mary', 'jack']);
    expect(ed.karma).to.equal(11);
  });

  it('session.beginNested(work) undoes what work did when it throws, and the outer transaction goes on', async () => {
    const ed = (await db.session.get(User, 1))!;
    const wendy = (await db.session.get(User, 2))!;
    ed.karma = 20;
    const jack = new User({ id: 4, username: 'jack' });
    const dup = new User({ id: 5, username: 'ed' });
    let caught: unknown = null;
    try {
      await db.session.beginNested(async (s) => {
        s.add(jack);
        wendy.karma = 99;
        await s.flush();
        await s.delete(wendy);
        s.add(dup);
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(IntegrityError);
    expect(db.session.statusOf(jack)).to.equal('transient');
    expect(db.session.statusOf(dup)).to.equal('transient');
    expect(db.session.statusOf(wendy)).to.equal('persistent');
    expect(wendy.karma).to.equal(5);
    expect(ed.karma).to.equal(20);
    await db.session.commit();
    const rows = (await db.session.execute(select(User.c.username, User.c.karma).orderBy(User.c.id))).all().map((r) => [...r]);
    expect(rows).to.deep.equal([
      ['ed', 20],
      ['wendy', 5],
      ['mary', 0],
    ]);
  });

  for (const [what, value] of [
    ['NaN', Number('abc')],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ] as const) {
    it(`${what} bound to an Integer or Float column is refused naming the column (MariaDB stored 0, SQLite reported NOT NULL)`, async () => {
      const conn = await db.engine.connect();
      try {
        for (const [key, run] of [
          ['count', () => conn.execute(insert(measurements).values({ count: value }))],
          ['ratio', () => conn.execute(insert(measurements), [{ ratio: value }])],
          ['karma', () => conn.execute(update(User.table).values({ karma: value }).where(User.c.id.eq(1)))],
        ] as const) {
          try {
            await run();
            expect.fail(`${key}: should have thrown`);
          } catch (error) {
            expect(error).to.be.instanceOf(ArgumentError);
            expect((error as Error).message).to.equal(`Cannot bind ${key === "ratio" ? "Float()" : "Integer()"} parameter '${key}': ${what} is not a finite number; numeric columns take finite numbers only (check for a failed Number() conversion)`);
          }
        }
        expect(await conn.scalar(select(measurements.c.id))).to.equal(null);
      } finally {
        await conn.close();
      }
    });
  }

  it('an ORM flush of a NaN attribute is refused naming the column, and nothing is written', async () => {
    db.session.add(new User({ id: 4, username: 'jack', karma: Number('x') }));
    try {
      await db.session.flush();
      expect.fail('flush should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(ArgumentError);
      expect((error as Error).message).to.match(/parameter 'karma': NaN is not a finite number/);
    }
  });

  it('execute(insert(t), [7, 8]) is refused instead of inserting rows of NULLs', async () => {
    const conn = await db.engine.connect();
    try {
      for (const params of [[7, 8], ['a'], [null], [[1, 2]], 7, 'x']) {
        try {
          await conn.execute(insert(measurements), params as never);
          expect.fail(`${JSON.stringify(params)}: should have thrown`);
        } catch (error) {
          expect(error).to.be.instanceOf(ArgumentError);
          expect((error as Error).message).to.match(/^execute\(\) parameters.*pass (a record|records)/);
        }
      }
      expect(await conn.scalar(select(measurements.c.id))).to.equal(null);
    } finally {
      await conn.close();
    }
  });

  it('execute(insert(t), [{}, {}]) inserts rows of defaults, as insert(t).values({}) does', async () => {
    const conn = await db.engine.connect();
    try {
      await conn.execute(insert(measurements), [{}, {}]);
      await conn.execute(insert(measurements), {});
      const rows = (await conn.execute(select(measurements.c.count, measurements.c.label))).all().map((r) => [...r]);
      expect(rows).to.deep.equal([
        [null, 'none'],
        [null, 'none'],
        [null, 'none'],
      ]);
    } finally {
      await conn.close();
    }
  });

  it('an executemany INSERT record with a key the first lacks is refused instead of dropping the value', async () => {
    const conn = await db.engine.connect();
    try {
      await conn.execute(insert(measurements), [{ count: 1 }, { count: 2, ratio: 0.5 }]);
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(ArgumentError);
      expect((error as Error).message).to.equal(
        'execute() parameters: record 1 sets ratio, which record 0 does not; every record of one INSERT must set the same columns',
      );
    } finally {
      await conn.close();
    }
  });
});
