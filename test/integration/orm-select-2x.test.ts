/**
 * SQLAlchemy 2.0 select() API a porting user reaches for, on every dialect: `filterBy()`,
 * `joinFrom()`, composite `tuple_(...).in()` (with SQLite's `IN (VALUES ...)`), and one clear line for
 * each SQLAlchemy 1.x spelling (`select([..])`, `select(x, { whereclause })`, `join('name')`,
 * `joinedload('name')`, `text().columns(column)`).
 */
import { expect } from 'chai';
import { ArgumentError, joinedload, select, text, tuple_ } from '../../src/index.js';
import { Address, User, usePortingSession } from '../fixtures/orm-porting.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('orm: 2.0 select() API', (dialect) => {
  const db = usePortingSession(dialect.url);

  it('select(Model).filterBy({...}) tests the first entity; null tests IS NULL', async () => {
    expect((await db.session.scalars(select(User).filterBy({ username: 'ed', karma: 10 }))).one().id).to.equal(1);
    expect((await db.session.scalars(select(User).filterBy({ email: null }))).all().map((u) => u.username)).to.deep.equal(['wendy']);
    expect(() => select(User).filterBy({ name: 'ed' })).to.throw(ArgumentError, 'filterBy(): port_users has no column "name" (known: id, username, email, karma)');
  });

  it('filterBy() after a join tests the joined entity', async () => {
    const stmt = select(User).join(User.addresses).filterBy({ email: 'wendy@home.example' });
    expect(String(stmt)).to.match(/WHERE port_addresses\.email = :email_1$/);
    expect((await db.session.scalars(stmt)).one().username).to.equal('wendy');
  });

  it('joinFrom(left, right) joins along the foreign key; joinFrom(left, right, on) with the ON given', async () => {
    const inferred = select(Address.c.email).joinFrom(User, Address).where(User.c.username.eq('ed')).orderBy(Address.c.id);
    expect(String(inferred)).to.equal(
      'SELECT port_addresses.email FROM port_users JOIN port_addresses ON port_users.id = port_addresses.user_id WHERE port_users.username = :username_1 ORDER BY port_addresses.id',
    );
    expect((await db.session.scalars(inferred)).all()).to.deep.equal(['ed@home.example', 'ed@work.example']);
    const explicit = select(User.c.username, Address.c.email)
      .joinFrom(Address, User, Address.c.userId.eq(User.c.id))
      .where(Address.c.id.eq(13));
    expect((await db.session.execute(explicit)).all().map((r) => [...r])).to.deep.equal([['wendy', 'wendy@home.example']]);
    const viaRelationship = select(Address.c.email).joinFrom(User, User.addresses).filterBy({ email: 'ed@work.example' });
    expect((await db.session.scalars(viaRelationship)).all()).to.deep.equal(['ed@work.example']);
  });

  it('tuple_(a, b).in(rows) is a composite IN on every dialect, notIn() too', async () => {
    const pair = tuple_(Address.c.userId, Address.c.email);
    const stmt = select(Address.c.id).where(pair.in([[1, 'ed@work.example'], [2, 'wendy@home.example'], [3, 'nobody']])).orderBy(Address.c.id);
    expect((await db.session.scalars(stmt)).all()).to.deep.equal([12, 13]);
    const sql = db.engine.dialect.compile(stmt).sql;
    if (dialect.name === 'sqlite') expect(sql).to.contain('(port_addresses.user_id, port_addresses.email) IN (VALUES (?, ?), (?, ?), (?, ?))');
    else expect(sql).to.match(/\(port_addresses\.user_id, port_addresses\.email\) IN \(\(\S+, \S+\), \(\S+, \S+\), \(\S+, \S+\)\)/);
    const rest = select(Address.c.id).where(pair.notIn([[1, 'ed@work.example']])).orderBy(Address.c.id);
    expect((await db.session.scalars(rest)).all()).to.deep.equal([11, 13]);
    expect((await db.session.scalars(select(Address.c.id).where(pair.in([])))).all()).to.deep.equal([]);
    expect(() => pair.in([[1]] as never)).to.throw(ArgumentError, 'tuple_(...).in() needs rows of 2 values each, got [1]');
  });

  it('SQLAlchemy 1.x spellings fail at once with one line naming the 2.0 form', () => {
    const cases: [() => unknown, string][] = [
      [() => select([User.c.id, User.c.username] as never), 'select([a, b]) is SQLAlchemy 1.x; pass the columns as arguments: select(a, b)'],
      [
        () => select(User.c.id, { whereclause: User.c.id.eq(1) } as never),
        'select(..., { whereclause }): keyword arguments are SQLAlchemy 1.x; use the methods, e.g. select(a).where(...).orderBy(...)',
      ],
      [() => select('users' as never), "select() item 1 is the string 'users'; pass columns (users.c.name), tables or model classes (text() for SQL)"],
      [() => select(User).join('addresses' as never), "join('addresses'): relationship names as strings are SQLAlchemy 1.x; pass the relationship itself, e.g. join(User.addresses)"],
      [() => db.session.query(User).join('addresses' as never), "join('addresses'): relationship names as strings are SQLAlchemy 1.x; pass the relationship itself, e.g. join(User.addresses)"],
      [
        () => joinedload('addresses' as never),
        "joinedload('addresses'): relationship names as strings are SQLAlchemy 1.x; pass the relationship itself, e.g. joinedload(User.addresses)",
      ],
      [
        () => joinedload(User.addresses).selectinload('user' as never),
        "selectinload('user'): relationship names as strings are SQLAlchemy 1.x; pass the relationship itself, e.g. selectinload(User.user)",
      ],
      [
        () => text('SELECT id FROM port_users').columns(User.c.id as never),
        "text().columns() takes a record of column types, e.g. text(sql).columns({ id: t.Integer(), name: t.String() }); column objects as arguments (columns(users.c.id)) are SQLAlchemy's spelling",
      ],
    ];
    for (const [run, message] of cases) expect(run).to.throw(ArgumentError, message);
  });
});
