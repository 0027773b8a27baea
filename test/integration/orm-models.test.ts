/**
 * Declarative models on every dialect: the MetaData a base collects, the DDL mapped columns produce
 * (NOT NULL unless `nullable: true`), column expressions under `Model.c` in select/where/orderBy,
 * models' own methods on loaded objects, construction rules, and models whose columns are named like
 * a class's own properties (`name`, `length`). The inferred types are checked in test/types/orm-*.ts.
 */
import { expect } from 'chai';
import {
  ArgumentError,
  DeclarativeBase,
  type Engine,
  MetaData,
  Session,
  createEngine,
  declarativeBase,
  mapped,
  select,
  t,
} from '../../src/index.js';
import { forEachDialect } from '../helpers/dialects.js';

class ModelsBase extends DeclarativeBase {}

let constructed = 0;

class Gadget extends ModelsBase.model('orm_m_gadgets', {
  id: mapped(t.Integer(), { primaryKey: true }),
  // Columns named like a class's own statics: they live under `Gadget.c`.
  name: mapped(t.String(40)),
  length: mapped(t.Integer(), { nullable: true }),
  price: mapped(t.Numeric(8, 2), { nullable: true }),
}) {
  constructor(init: Pick<Gadget, 'name'> & Partial<Pick<Gadget, 'length' | 'price'>>) {
    super(init);
    constructed++;
  }
  /** A model's own method, used on loaded objects too. */
  describe(): string {
    return this.length === null ? this.name : `${this.name} (${this.length} cm)`;
  }
}

forEachDialect('orm: declarative models', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.dropAll(ModelsBase.metadata);
    await engine.createAll(ModelsBase.metadata);
  });

  after(async () => {
    await engine.dropAll(ModelsBase.metadata);
    await engine.dispose();
  });

  it('Base.metadata holds every model table of the base; each base has its own', () => {
    expect(ModelsBase.metadata).to.be.instanceOf(MetaData);
    expect([...ModelsBase.metadata.tables.keys()]).to.deep.equal(['orm_m_gadgets']);
    expect(Gadget.table.metadata).to.equal(ModelsBase.metadata);
    class OtherBase extends DeclarativeBase {}
    expect(OtherBase.metadata).not.to.equal(ModelsBase.metadata);
    const Named = declarativeBase({ namingConvention: { uq: 'uq_%(table_name)s_%(column_0_name)s' } });
    expect(Named.metadata).not.to.equal(ModelsBase.metadata);
  });

  it('mapped columns are NOT NULL unless nullable: true (Mapped[str] vs Mapped[Optional[str]])', async () => {
    const reflected = await engine.reflectSchema();
    const table = reflected.tables.find((t) => t.name === 'orm_m_gadgets')!;
    expect(table.columns.map((c) => [c.name, c.nullable])).to.deep.equal([
      ['id', false],
      ['name', false],
      ['length', true],
      ['price', true],
    ]);
  });

  it('Model.c columns work in select, where and orderBy; name and length are columns, not the class\'s', async () => {
    await using session = new Session(engine);
    session.addAll([new Gadget({ name: 'ruler', length: 30 }), new Gadget({ name: 'tape', length: 500 }), new Gadget({ name: 'pen' })]);
    await session.commit();
    const rows = (await session.execute(select(Gadget.c.name, Gadget.c.length).where(Gadget.c.length.isNotNull()).orderBy(Gadget.c.length.desc()))).all();
    // `row.length` is the row's own (an array's) length: a column named so is read by position.
    expect(rows.map((r) => [r.name, r[1]])).to.deep.equal([
      ['tape', 500],
      ['ruler', 30],
    ]);
    expect(Gadget.name).to.equal('Gadget');
    expect(Gadget.c.name.naturalName).to.equal('name');
  });

  it('loaded objects are instances of the model with its methods, made without calling its constructor', async () => {
    await using session = new Session(engine);
    const before = constructed;
    const gadgets = (await session.scalars(select(Gadget).orderBy(Gadget.c.name))).all();
    expect(constructed).to.equal(before);
    expect(gadgets.every((g) => g instanceof Gadget)).to.equal(true);
    expect(gadgets.map((g) => g.describe())).to.deep.equal(['pen', 'ruler (30 cm)', 'tape (500 cm)']);
  });

  it('after commit an object shows what the database stored (a NUMERIC at its declared scale)', async () => {
    await using session = new Session(engine);
    const gadget = new Gadget({ name: 'priced', price: '12.5' });
    session.add(gadget);
    await session.commit();
    expect(gadget.price).to.equal('12.50');
  });

  it('constructing with an unknown attribute is an error naming the model and the key', () => {
    expect(() => new Gadget({ nmae: 'typo' } as never)).to.throw(ArgumentError, 'Gadget has no attribute "nmae"');
  });

  it('a model without a primary key is refused when first used', () => {
    class KeylessBase extends DeclarativeBase {}
    class Keyless extends KeylessBase.model('orm_m_keyless', { label: mapped(t.String(10)) }) {}
    expect(() => new Keyless()).to.throw(ArgumentError, 'model Keyless (table "orm_m_keyless") has no primary key; the ORM needs one to identify rows');
  });
});
