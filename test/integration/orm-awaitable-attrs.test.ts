/**
 * `obj.awaitableAttrs.<key>` (SQLAlchemy's `AsyncAttrs`) on every dialect: a relationship not loaded yet
 * is loaded through the object's session, a loaded one comes back without a query, an expired column
 * is refreshed, and an object outside a session says so.
 */
import { expect } from 'chai';
import { InvalidRequestError, NotLoadedError, select } from '../../src/index.js';
import { Address, User, usePortingSession } from '../fixtures/orm-porting.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('orm: awaitableAttrs', (dialect) => {
  const db = usePortingSession(dialect.url);

  it('await obj.awaitableAttrs.collection loads it once, then reads it like the attribute', async () => {
    const ed = (await db.session.scalars(select(User).where(User.c.id.eq(1)))).one();
    expect(() => ed.addresses).to.throw(NotLoadedError);
    const addresses = await ed.awaitableAttrs.addresses;
    expect(addresses.map((a) => a.email)).to.deep.equal(['ed@home.example', 'ed@work.example']);
    expect(ed.addresses).to.equal(addresses);
    expect(await ed.awaitableAttrs.addresses).to.equal(addresses);
    const address = (await db.session.get(Address, 13))!;
    expect((await address.awaitableAttrs.user)!.username).to.equal('wendy');
  });

  it('columns come back as they are; an expired one is refreshed first', async () => {
    const ed = (await db.session.get(User, 1))!;
    expect(await ed.awaitableAttrs.username).to.equal('ed');
    db.session.expire(ed, ['karma']);
    expect(await ed.awaitableAttrs.karma).to.equal(10);
  });

  it('a detached object cannot load what it has not loaded', async () => {
    const ed = (await db.session.get(User, 1))!;
    db.session.expunge(ed);
    try {
      await ed.awaitableAttrs.addresses;
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidRequestError);
      expect((error as Error).message).to.equal('User.addresses cannot be loaded: the object is not in a session (it is detached)');
    }
  });
});
