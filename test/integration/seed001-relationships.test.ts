/**
 * Twins of seed 001's relationship sections (the 1.x ORM tutorial: joins, aliases, subqueries, EXISTS,
 * any/has and the other relationship operators, eager loading, deletion and the delete-orphan cascade,
 * many-to-many and the dynamic relationship), written with 2.0-style `select()`, on every dialect.
 */
import { expect } from 'chai';
import {
  type Engine,
  Session,
  aliased,
  containsEager,
  createEngine,
  exists,
  func,
  joinedload,
  literalColumn,
  not_,
  select,
  selectinload,
  withParent,
} from '../../src/index.js';
import { JACK, JACKS_ADDRESSES, type UserModels, defineUserModels, resetUsers } from '../fixtures/relationships-users.js';
import { forEachDialect } from '../helpers/dialects.js';

const JACK_REPR = "<User(name='jack', fullname='Jack Bean', nickname='gjffdd')>";
const strings = (items: Iterable<unknown>) => [...items].map(String);

function statements(lines: readonly string[]): string[] {
  return lines.filter((line) => !line.startsWith('[parameters') && !/^(BEGIN|COMMIT|ROLLBACK)\b/.test(line));
}

forEachDialect('seed 001: relationships', (dialect) => {
  let engine: Engine;
  const log: string[] = [];

  before(() => {
    engine = createEngine(dialect.url, { logger: (line) => log.push(line) });
  });
  after(async () => {
    await engine.dropAll(defineUserModels().Base.metadata);
    await engine.dispose();
  });

  async function withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = new Session(engine);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  async function counted(work: () => Promise<unknown>): Promise<string[]> {
    log.length = 0;
    engine.echo = true;
    try {
      await work();
    } finally {
      engine.echo = false;
    }
    return statements(log);
  }

  describe('working with related objects', () => {
    const models = defineUserModels();
    before(() => resetUsers(engine, models));

    it('a new user has an empty collection; assigned addresses point back at it and cascade on add', async () => {
      const { User, Address } = models;
      const jack = new User(JACK);
      expect(jack.addresses).to.deep.equal([]);
      jack.addresses = JACKS_ADDRESSES.map((emailAddress) => new Address({ emailAddress }));
      expect(String(jack.addresses[1])).to.equal("<Address(email_address='j25@yahoo.com')>");
      expect(jack.addresses[1]!.user).to.equal(jack);
      // The fixture added this jack already (id 5); this one only checks the cascade.
      await withSession(async (session) => {
        session.add(jack);
        expect(session.new).to.have.length(3);
        session.expunge(jack);
        for (const address of jack.addresses) session.expunge(address);
        const stored = (await session.scalar(select(User).where(User.c.name.eq('jack'))))!;
        expect(stored.id).to.equal(5);
        expect(strings(await session.load(stored, 'addresses'))).to.deep.equal([
          "<Address(email_address='jack@google.com')>",
          "<Address(email_address='j25@yahoo.com')>",
        ]);
      });
    });
  });

  describe('querying with joins, aliases, subqueries and EXISTS', () => {
    const models = defineUserModels();
    const { User, Address } = models;
    before(() => resetUsers(engine, models));

    it('an implicit join in WHERE, loading both entities', async () => {
      await withSession(async (session) => {
        const rows = (
          await session.execute(
            select(User, Address).where(User.c.id.eq(Address.c.userId)).where(Address.c.emailAddress.eq('jack@google.com')),
          )
        ).all();
        expect(rows.map((row) => strings(row))).to.deep.equal([[JACK_REPR, "<Address(email_address='jack@google.com')>"]]);
      });
    });

    it('join(Address) along the one foreign key, and every other way to write the join', async () => {
      const where = Address.c.emailAddress.eq('jack@google.com');
      await withSession(async (session) => {
        for (const stmt of [
          select(User).join(Address),
          select(User).join(Address, User.c.id.eq(Address.c.userId)),
          select(User).join(User.addresses),
          select(User).join(Address, User.addresses),
          select(User).join(User.addresses.and(Address.c.emailAddress.ne('foo'))),
        ]) {
          expect(strings(await session.scalars(stmt.where(where)))).to.deep.equal([JACK_REPR]);
        }
        const outer = (await session.scalars(select(User).outerJoin(User.addresses).orderBy(User.c.id))).all();
        expect(strings(outer).map((u) => u.match(/name='(\w+)'/)![1])).to.deep.equal(['ed', 'wendy', 'mary', 'fred', 'jack', 'jack']);
      });
    });

    it('joining Address twice through aliases (of_type)', async () => {
      const adalias1 = aliased(Address);
      const adalias2 = aliased(Address);
      const expected = [['jack', 'jack@google.com', 'j25@yahoo.com']];
      await withSession(async (session) => {
        const rows = await session.execute(
          select(User.c.name, adalias1.c.emailAddress, adalias2.c.emailAddress)
            .join(User.addresses.ofType(adalias1))
            .join(User.addresses.ofType(adalias2))
            .where(adalias1.c.emailAddress.eq('jack@google.com'))
            .where(adalias2.c.emailAddress.eq('j25@yahoo.com')),
        );
        expect(rows.all().map((r) => [...r])).to.deep.equal(expected);
        // join(adalias1, User.addresses) is the same join.
        const again = await session.execute(
          select(User.c.name, adalias1.c.emailAddress, adalias2.c.emailAddress)
            .join(adalias1, User.addresses)
            .join(adalias2, User.addresses)
            .where(adalias1.c.emailAddress.eq('jack@google.com'), adalias2.c.emailAddress.eq('j25@yahoo.com')),
        );
        expect(again.all().map((r) => [...r])).to.deep.equal(expected);
      });
    });

    it('an entity alias names the entity in rows', async () => {
      const userAlias = aliased(User, { name: 'user_alias' });
      await withSession(async (session) => {
        const rows = (await session.execute(select(userAlias, userAlias.c.name).orderBy(userAlias.c.id))).all();
        expect(rows.map((row) => String((row as unknown as { user_alias: unknown }).user_alias))).to.deep.equal([
          "<User(name='ed', fullname='Ed Jones', nickname='eddie')>",
          "<User(name='wendy', fullname='Wendy Williams', nickname='windy')>",
          "<User(name='mary', fullname='Mary Contrary', nickname='mary')>",
          "<User(name='fred', fullname='Fred Flintstone', nickname='freddy')>",
          JACK_REPR,
        ]);
        // The same row is the same object, through the alias or the model.
        expect(rows[4]![0]).to.equal(await session.get(User, 5));
      });
    });

    it('users with their number of addresses, from a grouped subquery in an outer join', async () => {
      const stmt = select(Address.c.userId, func.count().label('address_count')).groupBy(Address.c.userId).subquery();
      await withSession(async (session) => {
        const rows = (await session.execute(select(User, stmt.c.address_count).outerJoin(stmt, User.c.id.eq(stmt.c.userId)).orderBy(User.c.id))).all();
        expect(rows.map(([user, count]) => [String(user).match(/name='(\w+)'/)![1], count === null ? null : Number(count)])).to.deep.equal([
          ['ed', null],
          ['wendy', null],
          ['mary', null],
          ['fred', null],
          ['jack', 2],
        ]);
      });
    });

    it('an entity selected from a subquery: aliased(Address, subquery)', async () => {
      const stmt = select(Address).where(Address.c.emailAddress.ne('j25@yahoo.com')).subquery();
      const addrAlias = aliased(Address, stmt);
      await withSession(async (session) => {
        const rows = (await session.execute(select(User, addrAlias).join(addrAlias, User.addresses))).all();
        expect(rows.map((row) => strings(row))).to.deep.equal([[JACK_REPR, "<Address(email_address='jack@google.com')>"]]);
      });
    });

    it('EXISTS, explicit and through any() / has()', async () => {
      await withSession(async (session) => {
        const names = async (criterion: Parameters<ReturnType<typeof select>['where']>[0]) =>
          (await session.scalars(select(User.c.name).where(criterion).orderBy(User.c.id))).all();
        expect(await names(exists(select(literalColumn('1')).where(Address.c.userId.eq(User.c.id))))).to.deep.equal(['jack']);
        expect(await names(User.addresses.any())).to.deep.equal(['jack']);
        expect(await names(User.addresses.any(Address.c.emailAddress.like('%google%')))).to.deep.equal(['jack']);
        expect((await session.scalars(select(Address).where(not_(Address.user.has(User.c.name.eq('jack')))))).all()).to.deep.equal([]);
      });
    });

    it('the common relationship operators', async () => {
      await withSession(async (session) => {
        const someuser = (await session.get(User, 5))!;
        const someaddress = (await session.scalar(select(Address).where(Address.c.emailAddress.eq('j25@yahoo.com'))))!;
        const count = async (criterion: Parameters<ReturnType<typeof select>['where']>[0]) =>
          (await session.scalars(select(Address).where(criterion))).all().length;
        expect(await count(Address.user.eq(someuser))).to.equal(2);
        expect(await count(Address.user.ne(someuser))).to.equal(0);
        expect(await count(Address.user.eq(null))).to.equal(0);
        expect(strings(await session.scalars(select(User).where(User.addresses.contains(someaddress))))).to.deep.equal([JACK_REPR]);
        expect((await session.scalars(select(User).where(User.addresses.any({ emailAddress: 'bar' })))).all()).to.deep.equal([]);
        expect((await session.scalars(select(Address).where(Address.user.has({ name: 'ed' })))).all()).to.deep.equal([]);
        expect(strings(await session.scalars(select(Address).where(withParent(someuser, User.addresses)).orderBy(Address.c.id)))).to.deep.equal([
          "<Address(email_address='jack@google.com')>",
          "<Address(email_address='j25@yahoo.com')>",
        ]);
      });
    });
  });

  describe('eager loading', () => {
    const models = defineUserModels();
    const { User, Address } = models;
    before(() => resetUsers(engine, models));
    const addresses = ["<Address(email_address='jack@google.com')>", "<Address(email_address='j25@yahoo.com')>"];

    it('selectinload: a second SELECT with IN', async () => {
      await withSession(async (session) => {
        let jack!: InstanceType<typeof User>;
        const ran = await counted(async () => {
          jack = (await session.execute(select(User).options(selectinload(User.addresses)).where(User.c.name.eq('jack')))).scalarOne();
        });
        expect(String(jack)).to.equal(JACK_REPR);
        expect(ran).to.have.length(2);
        expect(strings(jack.addresses)).to.deep.equal(addresses);
      });
    });

    it('joinedload: one LEFT OUTER JOIN, and jack comes back once', async () => {
      await withSession(async (session) => {
        let jack!: InstanceType<typeof User>;
        const ran = await counted(async () => {
          jack = (await session.execute(select(User).options(joinedload(User.addresses)).where(User.c.name.eq('jack')))).scalarOne();
        });
        expect(ran).to.have.length(1);
        expect(ran[0]).to.match(/LEFT OUTER JOIN rel_addresses AS anon_1 ON rel_users\.id = anon_1\.user_id/);
        expect(ran[0]).to.match(/ORDER BY anon_1\.id$/);
        expect(String(jack)).to.equal(JACK_REPR);
        expect(strings(jack.addresses)).to.deep.equal(addresses);
      });
    });

    it('containsEager: the join written for the filter also fills Address.user', async () => {
      await withSession(async (session) => {
        let jacksAddresses!: InstanceType<typeof Address>[];
        const ran = await counted(async () => {
          jacksAddresses = (
            await session.scalars(select(Address).join(Address.user).where(User.c.name.eq('jack')).options(containsEager(Address.user)).orderBy(Address.c.id))
          ).all();
        });
        expect(ran).to.have.length(1);
        expect(strings(jacksAddresses)).to.deep.equal(addresses);
        expect(String(jacksAddresses[0]!.user)).to.equal(JACK_REPR);
      });
    });
  });

  describe('deleting', () => {
    it('by default, deleting jack sets his addresses\' user_id to NULL', async () => {
      const models = defineUserModels();
      const { User, Address } = models;
      await resetUsers(engine, models);
      await withSession(async (session) => {
        const jack = (await session.scalar(select(User).where(User.c.name.eq('jack'))))!;
        await session.delete(jack);
        expect(await session.scalar(select(func.count()).selectFrom(User.table).where(User.c.name.eq('jack')))).to.equal(0);
        const left = select(func.count()).selectFrom(Address.table).where(Address.c.emailAddress.in([...JACKS_ADDRESSES]));
        expect(await session.scalar(left)).to.equal(2);
        expect(await session.scalar(left.where(Address.c.userId.isNull()))).to.equal(2);
        await session.commit();
      });
    });

    it("with 'all, delete, delete-orphan', a removed address is deleted, and deleting jack deletes the rest", async () => {
      const models = defineUserModels({ addresses: { cascade: 'all, delete, delete-orphan' } });
      const { User, Address } = models;
      await resetUsers(engine, models);
      await withSession(async (session) => {
        const jack = (await session.get(User, 5))!;
        // `del jack.addresses[1]` (the lazy load made explicit).
        (await session.load(jack, 'addresses')).splice(1, 1);
        const left = select(func.count()).selectFrom(Address.table).where(Address.c.emailAddress.in([...JACKS_ADDRESSES]));
        expect(await session.scalar(left)).to.equal(1);
        await session.delete(jack);
        expect(await session.scalar(select(func.count()).selectFrom(User.table).where(User.c.name.eq('jack')))).to.equal(0);
        expect(await session.scalar(left)).to.equal(0);
        await session.commit();
        expect(await session.scalar(select(func.count()).selectFrom(Address.table))).to.equal(0);
      });
    });
  });

  describe('many-to-many and the dynamic relationship', () => {
    let models: UserModels;
    before(async () => {
      models = defineUserModels();
      await resetUsers(engine, models);
    });

    it("wendy's blog post with keywords, found by any(), by author and through wendy.posts", async () => {
      const { User, BlogPost, Keyword, postKeywords } = models;
      const expected = ["BlogPost('Wendy's Blog Post', 'This is a test', <User(name='wendy', fullname='Wendy Williams', nickname='windy')>)"];
      await withSession(async (session) => {
        const wendy = (await session.execute(select(User).where(User.c.name.eq('wendy')))).scalarOne();
        const post = new BlogPost("Wendy's Blog Post", 'This is a test', wendy);
        session.add(post);
        post.keywords.push(new Keyword('wendy'));
        post.keywords.push(new Keyword('firstpost'));
        const firstpost = BlogPost.keywords.any({ keyword: 'firstpost' });
        expect(strings(await session.scalars(select(BlogPost).where(firstpost)))).to.deep.equal(expected);
        expect(await session.scalar(select(func.count()).selectFrom(postKeywords))).to.equal(2);
        expect(strings(await session.scalars(select(BlogPost).where(BlogPost.author.eq(wendy)).where(firstpost)))).to.deep.equal(expected);
        expect(strings(await wendy.posts.where(firstpost).all())).to.deep.equal(expected);
        expect(await wendy.posts.count()).to.equal(1);
        await session.commit();
      });
    });
  });
});
