/**
 * TypeScript twins of the ORM examples of the 1.x tutorial (seed 001) up to "Построение взаимоотношений":
 * the mapping, the session, adding and updating, rollback, `session.query()` with its filters, lists and
 * scalars, textual SQL and counting. Relationships are twinned in `orm-relationships*`.
 *
 * The tutorial is one doctest session, each example building on the one before, so each describe
 * keeps one session and its tests run in the tutorial's order. Each test is named after the Python it
 * twins and asserts the output the tutorial prints. Where the tutorial relies on SQLite returning rows
 * in insertion order, an ORDER BY on the id is added: PostgreSQL returns an updated row last.
 */
import { expect } from 'chai';
import {
  type Engine,
  MultipleResultsFoundError,
  NoResultFoundError,
  type Session,
  aliased,
  and_,
  createEngine,
  func,
  not_,
  or_,
  sessionmaker,
  text,
  t,
} from '../../src/index.js';
import type { Criterion } from '../../src/sql/elements/conjunctions.js';
import { FAKE_USER, ORM_USERS_TABLE, USERS, User, UsersBase } from '../fixtures/orm-users.js';
import { forEachDialect } from '../helpers/dialects.js';

const users = ORM_USERS_TABLE;

/** `print(obj)` of the tutorial: the objects' `__repr__`. */
function reprs(objects: readonly object[]): string[] {
  return objects.map(String);
}

const ED = "<User(name='ed', fullname='Ed Jones', nickname='eddie')>";
const WENDY = "<User(name='wendy', fullname='Wendy Williams', nickname='windy')>";
const MARY = "<User(name='mary', fullname='Mary Contrary', nickname='mary')>";
const FRED = "<User(name='fred', fullname='Fred Flintstone', nickname='freddy')>";

forEachDialect('seed 001: ORM tutorial (1.x API)', (dialect) => {
  let engine: Engine;
  let session: Session;
  let edUser: User;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.dropAll(UsersBase.metadata);
  });

  after(async () => {
    await session?.close();
    await engine.dropAll(UsersBase.metadata);
    await engine.dispose();
  });

  describe('Объявление отображения / Создайте схему', () => {
    it('User.__table__', () => {
      expect(User.table.name).to.equal(users);
      expect(User.table.columns.map((c) => [c.name, c.nullable, c.primaryKey])).to.deep.equal([
        ['id', false, true],
        ['name', true, false],
        ['fullname', true, false],
        ['nickname', true, false],
      ]);
      expect([...UsersBase.metadata.tables.keys()]).to.deep.equal([users]);
    });

    it('Base.metadata.create_all(engine)', async () => {
      await engine.createAll(UsersBase.metadata);
      const reflected = await engine.reflectSchema();
      expect(reflected.tables.map((table) => table.name)).to.include(users);
    });
  });

  describe('Создание экземпляра сопоставленного класса', () => {
    it('ed_user = User(name="ed", fullname="Ed Jones", nickname="edsnickname")', () => {
      const ed = new User({ name: 'ed', fullname: 'Ed Jones', nickname: 'edsnickname' });
      expect(ed.name).to.equal('ed');
      expect(ed.nickname).to.equal('edsnickname');
      // str(ed_user.id) -> 'None': an unset column attribute reads as null, not undefined.
      expect(String(ed.id)).to.equal('null');
    });
  });

  describe('Создание сессии / Добавление и обновление объектов', () => {
    it('Session = sessionmaker(bind=engine); session = Session()', () => {
      const Session = sessionmaker(engine);
      session = Session();
      // No connection until first use.
      expect(session.inTransaction()).to.equal(false);
    });

    it('session.add(ed_user)', () => {
      edUser = new User(USERS[0]);
      session.add(edUser);
      expect(session.statusOf(edUser)).to.equal('pending');
      expect(session.inTransaction()).to.equal(false);
    });

    it('our_user = session.query(User).filter_by(name="ed").first(); ed_user is our_user', async () => {
      const ourUser = await session.query(User).filterBy({ name: 'ed' }).first();
      expect(String(ourUser)).to.equal("<User(name='ed', fullname='Ed Jones', nickname='edsnickname')>");
      expect(ourUser).to.equal(edUser);
      expect(session.statusOf(edUser)).to.equal('persistent');
    });

    it('session.add_all([...]); ed_user.nickname = "eddie"; session.dirty; session.new', () => {
      session.addAll(USERS.slice(1).map((data) => new User(data)));
      edUser.nickname = 'eddie';
      expect(reprs(session.dirty)).to.deep.equal([ED]);
      expect(reprs(session.new)).to.deep.equal([WENDY, MARY, FRED]);
    });

    it('session.commit(); ed_user.id', async () => {
      await session.commit();
      expect(session.dirty).to.deep.equal([]);
      expect(session.new).to.deep.equal([]);
      expect(edUser.id).to.equal(1);
      expect(session.inTransaction()).to.equal(false);
    });
  });

  describe('Откат', () => {
    let fakeUser: User;

    it('ed_user.name = "Edwardo"; session.add(fake_user); query(User).filter(User.name.in_(["Edwardo", "fakeuser"])).all()', async () => {
      edUser.name = 'Edwardo';
      fakeUser = new User(FAKE_USER);
      session.add(fakeUser);
      const found = await session.query(User).filter(User.c.name.in(['Edwardo', 'fakeuser'])).orderBy(User.c.id).all();
      expect(reprs(found)).to.deep.equal([
        "<User(name='Edwardo', fullname='Ed Jones', nickname='eddie')>",
        "<User(name='fakeuser', fullname='Invalid', nickname='12345')>",
      ]);
    });

    it('session.rollback(); ed_user.name; fake_user in session', async () => {
      await session.rollback();
      expect(edUser.name).to.equal('ed');
      expect(session.contains(fakeUser)).to.equal(false);
      expect(session.statusOf(fakeUser)).to.equal('transient');
    });

    it('session.query(User).filter(User.name.in_(["ed", "fakeuser"])).all()', async () => {
      expect(reprs(await session.query(User).filter(User.c.name.in(['ed', 'fakeuser'])).all())).to.deep.equal([ED]);
    });
  });

  describe('Запрос', () => {
    it('for instance in session.query(User).order_by(User.id): print(instance.name, instance.fullname)', async () => {
      const lines: string[] = [];
      for await (const instance of session.query(User).orderBy(User.c.id)) lines.push(`${instance.name} ${instance.fullname}`);
      expect(lines).to.deep.equal(['ed Ed Jones', 'wendy Wendy Williams', 'mary Mary Contrary', 'fred Fred Flintstone']);
    });

    it('for name, fullname in session.query(User.name, User.fullname)', async () => {
      const lines: string[] = [];
      for (const [name, fullname] of await session.query(User.c.name, User.c.fullname).orderBy(User.c.id).all()) lines.push(`${name} ${fullname}`);
      expect(lines).to.deep.equal(['ed Ed Jones', 'wendy Wendy Williams', 'mary Mary Contrary', 'fred Fred Flintstone']);
    });

    it('for row in session.query(User, User.name).all(): print(row.User, row.name)', async () => {
      const rows = await session.query(User, User.c.name).orderBy(User.c.id).all();
      // Rows name an entity after its class, as SQLAlchemy's Row does.
      expect(rows.map((row) => `${String((row as unknown as { User: User }).User)} ${row.name}`)).to.deep.equal([
        `${ED} ed`,
        `${WENDY} wendy`,
        `${MARY} mary`,
        `${FRED} fred`,
      ]);
      expect(rows[0]![0]).to.equal(edUser);
    });

    it('for row in session.query(User.name.label("name_label")).all(): print(row.name_label)', async () => {
      const rows = await session.query(User.c.name.label('name_label')).orderBy(User.c.id).all();
      expect(rows.map((row) => row.name_label)).to.deep.equal(['ed', 'wendy', 'mary', 'fred']);
    });

    it('user_alias = aliased(User, name="user_alias"); for row in session.query(user_alias, user_alias.name).all()', async () => {
      const userAlias = aliased(User, { name: 'user_alias' });
      const rows = await session.query(userAlias, userAlias.c.name).orderBy(userAlias.c.id).all();
      expect(rows.map((row) => String((row as unknown as { user_alias: User }).user_alias))).to.deep.equal([ED, WENDY, MARY, FRED]);
      // The alias loads the session's own objects.
      expect(rows[0]![0]).to.equal(edUser);
      expect(rows.map((row) => row.name)).to.deep.equal(['ed', 'wendy', 'mary', 'fred']);
    });

    it('for u in session.query(User).order_by(User.id)[1:3]', async () => {
      expect(reprs(await session.query(User).orderBy(User.c.id).slice(1, 3).all())).to.deep.equal([WENDY, MARY]);
    });

    it('for (name,) in session.query(User.name).filter_by(fullname="Ed Jones")', async () => {
      const names = (await session.query(User.c.name).filterBy({ fullname: 'Ed Jones' }).all()).map(([name]) => name);
      expect(names).to.deep.equal(['ed']);
    });

    it('for (name,) in session.query(User.name).filter(User.fullname == "Ed Jones")', async () => {
      const names = (await session.query(User.c.name).filter(User.c.fullname.eq('Ed Jones')).all()).map(([name]) => name);
      expect(names).to.deep.equal(['ed']);
    });

    it('session.query(User).filter(User.name == "ed").filter(User.fullname == "Ed Jones")', async () => {
      const found = await session.query(User).filter(User.c.name.eq('ed')).filter(User.c.fullname.eq('Ed Jones')).all();
      expect(reprs(found)).to.deep.equal([ED]);
    });
  });

  describe('Общие операторы фильтрации', () => {
    /** Names of the users a filter keeps, in id order. */
    async function names(criterion: Criterion): Promise<string[]> {
      const found = await session.query(User.c.name).filter(criterion).orderBy(User.c.id).all();
      return found.map(([name]) => String(name));
    }

    it('query.filter(User.name == "ed")', async () => {
      expect(await names(User.c.name.eq('ed'))).to.deep.equal(['ed']);
    });

    it('query.filter(User.name != "ed")', async () => {
      expect(await names(User.c.name.ne('ed'))).to.deep.equal(['wendy', 'mary', 'fred']);
    });

    it("query.filter(User.name.like('%ed%'))", async () => {
      expect(await names(User.c.name.like('%ed%'))).to.deep.equal(['ed', 'fred']);
    });

    it("query.filter(User.name.ilike('%ed%'))", async () => {
      expect(await names(User.c.name.ilike('%ED%'))).to.deep.equal(['ed', 'fred']);
    });

    it('query.filter(User.name.in_(["ed", "wendy", "jack"]))', async () => {
      expect(await names(User.c.name.in(['ed', 'wendy', 'jack']))).to.deep.equal(['ed', 'wendy']);
    });

    it('query.filter(User.name.in_(session.query(User.name).filter(User.name.like("%ed%"))))', async () => {
      const sub = session.query(User.c.name).filter(User.c.name.like('%ed%'));
      expect(await names(User.c.name.in(sub.statement))).to.deep.equal(['ed', 'fred']);
    });

    it('query.filter(~User.name.in_(["ed", "wendy", "jack"]))', async () => {
      expect(await names(not_(User.c.name.in(['ed', 'wendy', 'jack'])))).to.deep.equal(['mary', 'fred']);
      expect(await names(User.c.name.notIn(['ed', 'wendy', 'jack']))).to.deep.equal(['mary', 'fred']);
    });

    it('query.filter(User.name == None) / User.name.is_(None)', async () => {
      expect(await names(User.c.name.eq(null))).to.deep.equal([]);
      expect(await names(User.c.name.isNull())).to.deep.equal([]);
    });

    it('query.filter(User.name != None) / User.name.is_not(None)', async () => {
      expect(await names(User.c.name.ne(null))).to.deep.equal(['ed', 'wendy', 'mary', 'fred']);
      expect(await names(User.c.name.isNotNull())).to.deep.equal(['ed', 'wendy', 'mary', 'fred']);
    });

    it("AND: and_(User.name == 'ed', User.fullname == 'Ed Jones'), several filter() arguments, chained calls", async () => {
      expect(await names(and_(User.c.name.eq('ed'), User.c.fullname.eq('Ed Jones')))).to.deep.equal(['ed']);
      const several = await session.query(User.c.name).filter(User.c.name.eq('ed'), User.c.fullname.eq('Ed Jones')).all();
      const chained = await session.query(User.c.name).filter(User.c.name.eq('ed')).filter(User.c.fullname.eq('Ed Jones')).all();
      expect(several.map(([n]) => n)).to.deep.equal(['ed']);
      expect(chained.map(([n]) => n)).to.deep.equal(['ed']);
    });

    it("OR: or_(User.name == 'ed', User.name == 'wendy')", async () => {
      expect(await names(or_(User.c.name.eq('ed'), User.c.name.eq('wendy')))).to.deep.equal(['ed', 'wendy']);
    });
  });

  describe('Возвращение списков и скаляров', () => {
    const query = () => session.query(User).filter(User.c.name.like('%ed')).orderBy(User.c.id);

    it('query.all()', async () => {
      expect(reprs(await query().all())).to.deep.equal([ED, FRED]);
    });

    it('query.first()', async () => {
      expect(String(await query().first())).to.equal(ED);
    });

    it('user = query.one() -> MultipleResultsFound', async () => {
      const error = await query().one().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(MultipleResultsFoundError);
      expect((error as Error).message).to.equal('Multiple rows were found for one()');
    });

    it('user = query.filter(User.id == 99).one() -> NoResultFound', async () => {
      const error = await query().filter(User.c.id.eq(99)).one().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(NoResultFoundError);
      expect((error as Error).message).to.equal('No row was found for one()');
    });

    it('query.one_or_none()', async () => {
      expect(await query().filter(User.c.id.eq(99)).oneOrNone()).to.equal(null);
      expect(await query().filter(User.c.name.eq('ed')).oneOrNone()).to.equal(edUser);
      expect(await query().oneOrNone().catch((e: unknown) => e)).to.be.instanceOf(MultipleResultsFoundError);
    });

    it('query = session.query(User.id).filter(User.name == "ed").order_by(User.id); query.scalar()', async () => {
      expect(await session.query(User.c.id).filter(User.c.name.eq('ed')).orderBy(User.c.id).scalar()).to.equal(1);
    });
  });

  describe('Использование текстового SQL', () => {
    it('session.query(User).filter(text("id<224")).order_by(text("id")).all()', async () => {
      const found = await session.query(User).filter(text('id<224')).orderBy(text('id')).all();
      expect(found.map((user) => user.name)).to.deep.equal(['ed', 'wendy', 'mary', 'fred']);
    });

    it('session.query(User).filter(text("id<:value and name=:name")).params(value=224, name="fred").order_by(User.id).one()', async () => {
      const fred = await session.query(User).filter(text('id<:value and name=:name')).params({ value: 224, name: 'fred' }).orderBy(User.c.id).one();
      expect(String(fred)).to.equal(FRED);
    });

    it('session.query(User).from_statement(text("SELECT * FROM users where name=:name")).params(name="ed").all()', async () => {
      const found = await session.query(User).fromStatement(text(`SELECT * FROM ${users} where name=:name`)).params({ name: 'ed' }).all();
      expect(reprs(found)).to.deep.equal([ED]);
      expect(found[0]).to.equal(edUser);
    });

    it('stmt = text("SELECT name, id, fullname, nickname FROM users where name=:name").columns(...); query(User).from_statement(stmt)', async () => {
      const stmt = text(`SELECT name, id, fullname, nickname FROM ${users} where name=:name`).columns({
        name: t.String(),
        id: t.Integer(),
        fullname: t.String(),
        nickname: t.String(),
      });
      expect(reprs(await session.query(User).fromStatement(stmt).params({ name: 'ed' }).all())).to.deep.equal([ED]);
    });

    it('stmt = text("SELECT name, id FROM users where name=:name"); session.query(User.id, User.name).from_statement(stmt)', async () => {
      const stmt = text(`SELECT name, id FROM ${users} where name=:name`).columns({ name: t.String(), id: t.Integer() });
      const rows = await session.query(User.c.id, User.c.name).fromStatement(stmt).params({ name: 'ed' }).all();
      expect(rows.map((row) => [...row])).to.deep.equal([[1, 'ed']]);
    });
  });

  describe('Подсчет', () => {
    it('session.query(User).filter(User.name.like("%ed")).count()', async () => {
      expect(await session.query(User).filter(User.c.name.like('%ed')).count()).to.equal(2);
    });

    it('session.query(func.count(User.name), User.name).group_by(User.name).all()', async () => {
      const rows = await session.query(func.count(User.c.name), User.c.name).groupBy(User.c.name).orderBy(User.c.name).all();
      expect(rows.map((row) => [...row])).to.deep.equal([
        [1, 'ed'],
        [1, 'fred'],
        [1, 'mary'],
        [1, 'wendy'],
      ]);
    });

    it('session.query(func.count("*")).select_from(User).scalar()', async () => {
      expect(await session.query(func.count()).selectFrom(User).scalar()).to.equal(4);
    });

    it('session.query(func.count(User.id)).scalar()', async () => {
      expect(await session.query(func.count(User.c.id)).scalar()).to.equal(4);
    });
  });
});
