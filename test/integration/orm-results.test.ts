/**
 * The rest of SQLAlchemy 2.0's Result / ScalarResult / MappingResult API on every dialect:
 * `unique()` on scalars (after a joined eager load), `columns()`, `partitions()`, `fetchone()` /
 * `fetchmany()` / `fetchall()`, and the one/first/scalar family on each kind of result.
 */
import { expect } from 'chai';
import { MultipleResultsFoundError, NoResultFoundError, joinedload, select } from '../../src/index.js';
import { Address, User, usePortingSession } from '../fixtures/orm-porting.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('orm: Result and ScalarResult', (dialect) => {
  const db = usePortingSession(dialect.url);

  it('(await session.scalars(stmt)).unique() after a joined eager load yields each parent once', async () => {
    const stmt = select(User).options(joinedload(User.addresses)).orderBy(User.c.id);
    const users = (await db.session.scalars(stmt)).unique().all();
    expect(users.map((u) => u.username)).to.deep.equal(['ed', 'wendy', 'mary']);
    expect(users[0]!.addresses.map((a) => a.email)).to.deep.equal(['ed@home.example', 'ed@work.example']);
  });

  it('ScalarResult.unique(key) compares what the key returns', async () => {
    const emails = (await db.session.scalars(select(Address.c.email).orderBy(Address.c.id))).unique((e) => e.split('@')[0]).all();
    expect(emails).to.deep.equal(['ed@home.example', 'wendy@home.example']);
  });

  it('Result.columns() picks columns by name or position, in the order given', async () => {
    const result = await db.session.execute(select(User.c.id, User.c.username, User.c.karma).orderBy(User.c.id));
    const picked = result.columns('karma', 'id');
    expect(picked.keys()).to.deep.equal(['karma', 'id']);
    expect(picked.all().map((r) => [...r])).to.deep.equal([
      [10, 1],
      [5, 2],
      [0, 3],
    ]);
    expect(picked.first()!['karma']).to.equal(10);
    expect(result.columns(1).scalars().all()).to.deep.equal(['ed', 'wendy', 'mary']);
    expect(() => result.columns('nope' as never)).to.throw(/columns\(\): no column named "nope"; the columns are id, username, karma/);
  });

  it('MappingResult: columns(), unique(), one(), first()', async () => {
    const result = await db.session.execute(select(User.c.username, User.c.karma).where(User.c.id.eq(1)));
    expect(result.mappings().one()).to.deep.equal({ username: 'ed', karma: 10 });
    expect(result.mappings().columns('karma').first()).to.deep.equal({ karma: 10 });
    const all = await db.session.execute(select(Address.c.userId).orderBy(Address.c.id));
    expect(all.mappings().unique((m) => m.userId).all()).to.deep.equal([{ userId: 1 }, { userId: 2 }]);
  });

  it('partitions(size) yields lists of at most size items from rows, scalars and mappings', async () => {
    const result = await db.session.execute(select(Address.c.id).orderBy(Address.c.id));
    expect([...result.scalars().partitions(2)]).to.deep.equal([[11, 12], [13]]);
    expect([...result.partitions(5)].map((part) => part.map((r) => r[0]))).to.deep.equal([[11, 12, 13]]);
    expect([...result.mappings().partitions()].map((part) => part.length)).to.deep.equal([3]);
    expect(() => [...result.partitions(0)]).to.throw(/partitions\(\) needs a positive integer size, got 0/);
  });

  it('fetchone(), fetchmany() and fetchall() advance a cursor; the other accessors see every row', async () => {
    const scalars = await db.session.scalars(select(Address.c.id).orderBy(Address.c.id));
    expect(scalars.fetchone()).to.equal(11);
    expect(scalars.fetchmany(5)).to.deep.equal([12, 13]);
    expect(scalars.fetchone()).to.equal(null);
    expect(scalars.fetchall()).to.deep.equal([]);
    expect(scalars.all()).to.deep.equal([11, 12, 13]);
    const rows = await db.session.execute(select(Address.c.id).orderBy(Address.c.id));
    expect(rows.fetchmany(2).map((r) => r[0])).to.deep.equal([11, 12]);
    expect(rows.fetchall().map((r) => r[0])).to.deep.equal([13]);
  });

  it('one(), oneOrNone(), first(), scalarOne(), scalarOneOrNone() on rows and scalars', async () => {
    const none = select(User).where(User.c.id.eq(99));
    const many = select(User);
    expect((await db.session.scalars(none)).first()).to.equal(null);
    expect((await db.session.scalars(none)).oneOrNone()).to.equal(null);
    expect((await db.session.execute(select(User).where(User.c.id.eq(2)))).scalarOne().username).to.equal('wendy');
    expect((await db.session.execute(none)).scalarOneOrNone()).to.equal(null);
    const noneResult = await db.session.scalars(none);
    expect(() => noneResult.one()).to.throw(NoResultFoundError);
    const manyResult = await db.session.scalars(many);
    expect(() => manyResult.one()).to.throw(MultipleResultsFoundError);
    expect(() => manyResult.oneOrNone()).to.throw(MultipleResultsFoundError);
  });
});
