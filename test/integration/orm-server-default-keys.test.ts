/**
 * Keys the database fills from a DEFAULT that is not an autoincrement (a sequence's `nextval()` as
 * PostgreSQL's Sakila declares it, a random id): several new rows of one table flushed together each
 * learn their key by RETURNING, so the rows referring to them can be written in the same flush.
 */
import { expect } from 'chai';
import { ArgumentError, createEngine, DeclarativeBase, type Engine, type InstrumentedList, literalColumn, mapped, relationship, select, Session, t } from '../../src/index.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('orm: keys filled by a server default', (dialect) => {
  class Base extends DeclarativeBase {}
  const keyDefault = { sqlite: '(lower(hex(randomblob(16))))', postgresql: 'md5(random()::text)', mysql: '(uuid())' }[dialect.name];
  class Parent extends Base.model('sdk_parents', {
    id: mapped(t.String(36), { primaryKey: true, serverDefault: literalColumn(keyDefault) }),
    name: mapped(t.String(20)),
  }) {
    static children = relationship(() => Child, { backPopulates: 'parent' });
    declare children: InstrumentedList<Child>;
  }
  class Child extends Base.model('sdk_children', {
    id: mapped(t.Integer(), { primaryKey: true }),
    parentId: mapped(t.String(36), { name: 'parent_id', foreignKey: 'sdk_parents.id' }),
    name: mapped(t.String(20)),
  }) {
    static parent = relationship(() => Parent, { backPopulates: 'children' });
    declare parent: Parent | null;
  }
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.dropAll(Base.metadata);
    await engine.createAll(Base.metadata);
  });
  after(async () => {
    await engine.dropAll(Base.metadata);
    await engine.dispose();
  });

  it('new parents whose key a DEFAULT fills get it back before their children are written', async () => {
    const session = new Session(engine);
    const parents = ['a', 'b'].map((name) => new Parent({ name, children: [new Child({ name: `${name}1` }), new Child({ name: `${name}2` })] }));
    session.addAll(parents);
    await session.connection(); // a mysql:// URL may turn out to be MariaDB, which has RETURNING
    if (!engine.dialect.capabilities.insertReturning) {
      // MySQL reports only an AUTO_INCREMENT key (LAST_INSERT_ID()); a DEFAULT-filled one stays unknown.
      const error = await session.commit().then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(ArgumentError);
      expect((error as Error).message).to.match(/Parent has no id yet when its Child is written/);
      await session.close();
      return;
    }
    await session.commit();
    expect(parents.every((p) => typeof p.id === 'string' && p.id.length > 0)).to.equal(true);
    const rows = await session.execute(select(Parent.c.name, Child.c.name).join(Parent.children).orderBy(Child.c.name));
    expect(rows.all().map(([parent, child]) => `${parent}:${child}`)).to.deep.equal(['a:a1', 'a:a2', 'b:b1', 'b:b2']);
    await session.close();
  });
});
