/**
 * ORM-enabled UPDATE and DELETE, SQLAlchemy 2.0's `update(User)` / `delete(User)` run by
 * `session.execute()`, with each `synchronizeSession` strategy keeping loaded objects in step, on
 * every dialect; and `update(...).orderedValues(...)`.
 */
import { expect } from 'chai';
import { InvalidRequestError, delete_, func, select, update } from '../../src/index.js';
import { Address, User, usePortingSession } from '../fixtures/orm-porting.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('orm: update(Model) and delete_(Model)', (dialect) => {
  const db = usePortingSession(dialect.url);

  const karmaInDatabase = async () =>
    (await db.session.execute(select(User.c.username, User.c.karma).orderBy(User.c.id))).all().map((r) => [...r]);

  for (const mode of ['auto', 'evaluate', 'fetch'] as const) {
    it(`update(User).where().values() with synchronizeSession '${mode}' updates loaded objects`, async () => {
      const users = (await db.session.scalars(select(User).orderBy(User.c.id))).all();
      const stmt = update(User)
        .where(User.c.karma.ge(5))
        .values({ karma: User.c.karma.add(1), email: 'vip@example.com' })
        .executionOptions({ synchronizeSession: mode });
      const result = await db.session.execute(stmt);
      expect(result.rowCount).to.equal(2);
      expect(users.map((u) => [u.username, u.karma, u.email])).to.deep.equal([
        ['ed', 11, 'vip@example.com'],
        ['wendy', 6, 'vip@example.com'],
        ['mary', 0, 'mary@example.com'],
      ]);
      expect(db.session.dirty).to.deep.equal([]);
      await db.session.commit();
      expect(await karmaInDatabase()).to.deep.equal([
        ['ed', 11],
        ['wendy', 6],
        ['mary', 0],
      ]);
    });
  }

  it("'auto' falls back to fetching when the WHERE cannot be evaluated in JavaScript", async () => {
    const ed = (await db.session.get(User, 1))!;
    const wendy = (await db.session.get(User, 2))!;
    await db.session.execute(update(User).where(func.lower(User.c.username).eq('ed')).values({ karma: 42 }));
    expect(ed.karma).to.equal(42);
    expect(wendy.karma).to.equal(5);
  });

  it("'evaluate' refuses a WHERE it cannot evaluate, naming 'fetch'", async () => {
    await db.session.get(User, 1);
    const stmt = update(User).where(User.c.username.like('e%')).values({ karma: 1 }).executionOptions({ synchronizeSession: 'evaluate' });
    try {
      await db.session.execute(stmt);
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidRequestError);
      expect((error as Error).message).to.equal(
        "synchronizeSession: 'evaluate' cannot evaluate LikeExpression in JavaScript; use synchronizeSession: 'fetch' (or 'auto')",
      );
    }
  });

  it('synchronizeSession: false leaves loaded objects as they were', async () => {
    const ed = (await db.session.get(User, 1))!;
    await db.session.execute(update(User).values({ karma: 7 }).executionOptions({ synchronizeSession: false }));
    expect(ed.karma).to.equal(10);
    await db.session.refresh(ed);
    expect(ed.karma).to.equal(7);
  });

  it('unflushed changes are flushed first, then matched against', async () => {
    const mary = (await db.session.get(User, 3))!;
    mary.karma = 50;
    await db.session.execute(update(User).where(User.c.karma.gt(20)).values({ email: null }));
    expect(mary.email).to.equal(null);
    expect(db.session.dirty).to.deep.equal([]);
  });

  for (const mode of ['auto', 'evaluate', 'fetch'] as const) {
    it(`delete_(User).where() with synchronizeSession '${mode}' removes matched objects from the session`, async () => {
      const addresses = (await db.session.scalars(select(Address).orderBy(Address.c.id))).all();
      const result = await db.session.execute(delete_(Address).where(Address.c.userId.eq(1)).executionOptions({ synchronizeSession: mode }));
      expect(result.rowCount).to.equal(2);
      expect(addresses.map((a) => db.session.statusOf(a))).to.deep.equal(['deleted', 'deleted', 'persistent']);
      expect(await db.session.get(Address, 11)).to.equal(null);
      await db.session.commit();
      expect(addresses.map((a) => db.session.statusOf(a))).to.deep.equal(['detached', 'detached', 'persistent']);
      expect((await db.session.scalars(select(Address.c.id))).all()).to.deep.equal([13]);
    });
  }

  it('a rolled-back ORM delete brings the objects back', async () => {
    const address = (await db.session.get(Address, 11))!;
    await db.session.execute(delete_(Address).where(Address.c.id.eq(11)));
    expect(db.session.statusOf(address)).to.equal('deleted');
    await db.session.rollback();
    expect(db.session.statusOf(address)).to.equal('persistent');
    expect(address.email).to.equal('ed@home.example');
  });

  it('update(User).returning() hands back the updated rows where the dialect has UPDATE ... RETURNING', async function () {
    const stmt = update(User).where(User.c.id.eq(2)).values({ karma: 9 }).returning(User.c.id, User.c.karma);
    if (dialect.name === 'mysql') {
      // MariaDB has DELETE ... RETURNING but no UPDATE ... RETURNING.
      const rows = (await db.session.execute(delete_(Address).where(Address.c.id.eq(13)).returning(Address.c.email))).all();
      expect(rows.map((r) => r.email)).to.deep.equal(['wendy@home.example']);
      return;
    }
    const rows = (await db.session.execute(stmt)).all();
    expect(rows.map((r) => [r.id, r.karma])).to.deep.equal([[2, 9]]);
  });

  it('update(User).returning(User) hands back the session objects, updated', async function () {
    if (dialect.name === 'mysql') this.skip(); // MariaDB has no UPDATE ... RETURNING
    const ed = (await db.session.get(User, 1))!;
    const rows = (await db.session.execute(update(User).where(User.c.karma.gt(1)).values({ karma: 1 }).returning(User))).all();
    const users = rows.map(([u]) => u).sort((a, b) => a.id - b.id);
    expect(users[0]).to.equal(ed);
    expect(users.map((u) => [u.username, u.karma])).to.deep.equal([
      ['ed', 1],
      ['wendy', 1],
    ]);
    expect(db.session.statusOf(users[1]!)).to.equal('persistent');
  });

  it('update(t).orderedValues() renders SET in the order given', async () => {
    const stmt = update(User.table)
      .where(User.c.id.eq(1))
      .orderedValues([User.c.karma, User.c.id.add(100)], [User.c.email, null]);
    expect(String(stmt)).to.equal('UPDATE port_users SET karma=id + :id_1, email=:email_1 WHERE port_users.id = :id_2');
    await db.session.execute(stmt);
    expect(await karmaInDatabase()).to.deep.equal([
      ['ed', 101],
      ['wendy', 5],
      ['mary', 0],
    ]);
    expect(() => update(User.table).orderedValues([Address.c.id, 1])).to.throw(/orderedValues\(\) takes \[column, value\] pairs of that table's columns/);
  });

  it('update() and delete_() refuse what they cannot target with one clear line', () => {
    expect(() => update('users' as never)).to.throw(/update\(\) takes a table or a model class \(not an alias or a string\), e\.g\. update\(User\) or update\(users\)/);
    expect(() => delete_(select(User).subquery() as never)).to.throw(/delete_\(\) takes a table or a model class, got a Subquery/);
  });
});
