/**
 * The ORM's compiled fast paths on every dialect, each with every generic column type and with NULLs:
 * the INSERT shapes kept per mapper (RETURNING batches, MySQL's one-statement batches read back through
 * LAST_INSERT_ID()), the row reader compiled per mapper (used by `session.scalars()`'s direct path, by
 * result rows, by joined loads and by the reload after commit), a select of one entity alone (its
 * records read as the rows arrive), and repeated flushes reusing one shape.
 */
import { expect } from 'chai';
import { DeclarativeBase, type Engine, Session, createEngine, delete_, insert, mapped, select, t, update } from '../../src/index.js';
import { forEachDialect } from '../helpers/dialects.js';

class HotBase extends DeclarativeBase {}

class Sample extends HotBase.model('orm_hot_samples', {
  id: mapped(t.Integer(), { primaryKey: true }),
  qty: mapped(t.Integer(), { nullable: true }),
  small: mapped(t.SmallInteger(), { nullable: true }),
  big: mapped(t.BigInteger(), { nullable: true }),
  score: mapped(t.Float(), { nullable: true }),
  price: mapped(t.Numeric(12, 2), { nullable: true }),
  name: mapped(t.String(60), { nullable: true }),
  notes: mapped(t.Text(), { nullable: true }),
  active: mapped(t.Boolean(), { nullable: true }),
  day: mapped(t.Date(), { nullable: true }),
  created: mapped(t.DateTime(), { nullable: true }),
  createdTz: mapped(t.DateTime({ timezone: true }), { nullable: true }),
  starts: mapped(t.Time(), { nullable: true }),
  doc: mapped(t.JSON<unknown>(), { nullable: true }),
  uid: mapped(t.Uuid(), { nullable: true }),
  payload: mapped(t.LargeBinary(), { nullable: true }),
  colour: mapped(t.Enum(['red', 'green']), { nullable: true }),
}) {}

/** A child table for a joined load of Sample through its key. */
class Tag extends HotBase.model('orm_hot_tags', {
  id: mapped(t.Integer(), { primaryKey: true }),
  label: mapped(t.String(20)),
}) {}

/** A two-column key: its objects are filed under both values. */
class Pair extends HotBase.model('orm_hot_pairs', {
  left: mapped(t.Integer(), { primaryKey: true, autoincrement: false }),
  right: mapped(t.String(10), { primaryKey: true }),
  note: mapped(t.String(20), { nullable: true }),
}) {}

const FULL = {
  qty: -2147483648,
  small: 32767,
  big: 9007199254740993n,
  score: 0.1 + 0.2,
  price: '12345.67',
  name: 'Zoë 🎬 “quotes”',
  notes: "line 1\nline 2\t'x'",
  active: true,
  day: '2024-02-29',
  created: new Date(Date.UTC(2024, 0, 31, 23, 59, 58, 123)),
  createdTz: new Date(Date.UTC(1999, 11, 31, 12, 0, 0, 5)),
  starts: '13:45:00',
  doc: { a: [1, 'two', null], b: { c: true } },
  uid: '0f8fad5b-d9cb-469f-a165-70867728950e',
  payload: Buffer.from([0, 1, 2, 255]),
  colour: 'green' as const,
};
const KEYS = Object.keys(FULL) as (keyof typeof FULL)[];

/** Every data attribute of a loaded object (or of FULL), in a form chai compares by value. */
function valuesOf(obj: Sample | typeof FULL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = (obj as Record<string, unknown>)[key];
    out[key] = value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

const EXPECTED_FULL = valuesOf(FULL);
const EXPECTED_NULL = Object.fromEntries(KEYS.map((k) => [k, null]));

forEachDialect('orm: compiled hot paths', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.dropAll(HotBase.metadata);
    await engine.createAll(HotBase.metadata);
  });

  after(async () => {
    await engine.dropAll(HotBase.metadata);
    await engine.dispose();
  });

  beforeEach(async () => {
    await engine.begin(async (conn) => {
      await conn.execute(delete_(Sample.table));
      await conn.execute(delete_(Tag.table));
      await conn.execute(delete_(Pair.table));
    });
  });

  it('flushes every column type and NULLs, and the reload after commit reads them back', async () => {
    await using session = new Session(engine);
    const full = new Sample(FULL);
    const empty = new Sample({});
    session.addAll([full, empty]);
    await session.commit();
    expect(full.id).to.be.a('number');
    expect(empty.id).to.equal(full.id + 1);
    expect(valuesOf(full)).to.deep.equal(EXPECTED_FULL);
    expect(valuesOf(empty)).to.deep.equal(EXPECTED_NULL);
  });

  it('the reload after commit writes every column type into an unchanged object, NULL over a value and a value over NULL', async () => {
    await using session = new Session(engine);
    const full = new Sample(FULL);
    const empty = new Sample({});
    const changed = new Sample({ name: 'mine' });
    session.addAll([full, empty, changed]);
    await session.commit();
    // Another connection swaps the rows' values; the session's objects still hold the old ones.
    await engine.begin(async (conn) => {
      await conn.execute(update(Sample.table).where(Sample.c.id.eq(full.id)).values(EXPECTED_NULL));
      await conn.execute(update(Sample.table).where(Sample.c.id.eq(empty.id)).values(FULL));
      await conn.execute(update(Sample.table).where(Sample.c.id.eq(changed.id)).values({ ...FULL, name: 'theirs' }));
    });
    changed.qty = 7;
    await session.commit();
    expect(valuesOf(full)).to.deep.equal(EXPECTED_NULL);
    expect(valuesOf(empty)).to.deep.equal(EXPECTED_FULL);
    // Flushed before the reload, so the row and the object agree on it; the rest is the row's.
    expect(valuesOf(changed)).to.deep.equal({ ...EXPECTED_FULL, qty: 7, name: 'theirs' });
    // In place or not, the objects hold no change: another commit writes nothing.
    full.name = 'again';
    await session.commit();
    expect((await session.scalars(select(Sample.c.name).where(Sample.c.id.eq(full.id)))).one()).to.equal('again');
  });

  it('loads every column type and NULLs by scalars(), result rows, get() and a joined row', async () => {
    const ids = await engine.connect(async () => {
      await using session = new Session(engine, { expireOnCommit: false });
      const objects = [new Sample(FULL), new Sample({})];
      session.addAll(objects);
      await session.commit();
      return objects.map((o) => o.id);
    });
    {
      await using session = new Session(engine);
      const loaded = (await session.scalars(select(Sample).orderBy(Sample.c.id))).all();
      expect(loaded.map(valuesOf)).to.deep.equal([EXPECTED_FULL, EXPECTED_NULL]);
      expect(loaded[0]).to.be.instanceOf(Sample);
      // The same rows again: the same objects, from the identity map.
      const rows = (await session.execute(select(Sample, Sample.c.id).orderBy(Sample.c.id))).all();
      expect(rows.map((row) => row[0])).to.deep.equal(loaded);
      expect(rows.map((row) => (row as unknown as { Sample: Sample }).Sample)).to.deep.equal(loaded);
      expect(rows.map((row) => row[1])).to.deep.equal(ids);
      expect(await session.get(Sample, ids[1]!)).to.equal(loaded[1]);
    }
    {
      // An entity after other columns: its values start past them in the row.
      await using session = new Session(engine);
      const row = (await session.execute(select(Sample.c.name, Sample).where(Sample.c.id.eq(ids[0]!)))).one();
      expect(row[0]).to.equal(FULL.name);
      expect(valuesOf(row[1])).to.deep.equal(EXPECTED_FULL);
    }
    {
      // Two entities in one row (a join): each reads its own columns.
      await using session = new Session(engine);
      session.add(new Tag({ id: ids[0]!, label: 'first' }));
      await session.flush();
      const [sample, tag] = (await session.execute(select(Sample, Tag).join(Tag, Tag.c.id.eq(Sample.c.id)))).one();
      expect(valuesOf(sample)).to.deep.equal(EXPECTED_FULL);
      expect(tag.label).to.equal('first');
    }
  });

  it('a select of one entity alone (records read as rows arrive): rows, identity, kept changes, refreshed expired objects', async () => {
    const ids = await engine.connect(async () => {
      await using session = new Session(engine, { expireOnCommit: false });
      const objects = [new Sample(FULL), new Sample({}), new Sample({ ...FULL, name: 'third' })];
      session.addAll(objects);
      await session.commit();
      return objects.map((o) => o.id);
    });
    await using session = new Session(engine, { expireOnCommit: false });
    const rows = (await session.execute(select(Sample).orderBy(Sample.c.id))).all();
    expect(rows.map((row) => valuesOf(row[0]))).to.deep.equal([EXPECTED_FULL, EXPECTED_NULL, { ...EXPECTED_FULL, name: 'third' }]);
    expect(rows.map((row) => (row as unknown as { Sample: Sample }).Sample)).to.deep.equal(rows.map((row) => row[0]));
    const [full, empty, third] = rows.map((row) => row[0]);
    // Another connection changes every row; the session, its transaction ended, loads them again over its objects.
    await session.commit();
    await engine.begin((conn) => conn.execute(update(Sample.table).values({ qty: 99, name: 'theirs' })));
    full!.name = 'mine';
    session.expire(empty!);
    const again = (await session.scalars(select(Sample).orderBy(Sample.c.id))).all();
    expect(again).to.deep.equal([full, empty, third]);
    // Not expired: as loaded, the unflushed change kept. Expired: refreshed from its row.
    expect([full!.name, full!.qty]).to.deep.equal(['mine', FULL.qty]);
    expect([empty!.name, empty!.qty]).to.deep.equal(['theirs', 99]);
    expect([third!.name, third!.qty]).to.deep.equal(['third', FULL.qty]);
    expect(await session.get(Sample, ids[2]!)).to.equal(third);
    expect((await session.scalars(select(Sample).where(Sample.c.id.eq(-1)))).all()).to.deep.equal([]);
  });

  it('a select of one entity with a two-column key: objects filed under both values', async () => {
    await engine.begin((conn) => conn.execute(insert(Pair.table).values([{ left: 1, right: 'a', note: 'first' }, { left: 1, right: 'b', note: null }])));
    await using session = new Session(engine);
    const pairs = (await session.scalars(select(Pair).orderBy(Pair.c.right))).all();
    expect(pairs.map((p) => [p.left, p.right, p.note])).to.deep.equal([
      [1, 'a', 'first'],
      [1, 'b', null],
    ]);
    expect(await session.get(Pair, [1, 'b'])).to.equal(pairs[1]);
    expect((await session.scalars(select(Pair).orderBy(Pair.c.right))).all()).to.deep.equal(pairs);
  });

  it('flushes several thousand objects in batches: keys follow the order of add(), repeat flushes reuse the INSERT', async () => {
    for (const round of [1, 2]) {
      await using session = new Session(engine);
      const objects = Array.from({ length: 2500 }, (_, i) => new Sample({ qty: i, name: `round ${round} #${i}` }));
      session.addAll(objects);
      await session.commit();
      const ids = objects.map((o) => o.id);
      expect(ids.every((id, i) => i === 0 || id === ids[i - 1]! + 1)).to.equal(true);
      const stored = (await session.execute(select(Sample.c.id, Sample.c.qty, Sample.c.name).where(Sample.c.id.in(ids)).orderBy(Sample.c.id))).all();
      expect(stored.map((r) => [r[0], r[1], r[2]])).to.deep.equal(objects.map((o, i) => [o.id, i, `round ${round} #${i}`]));
    }
  });

  it('objects with and without an explicit key in one flush: a run of each shape, keys as given or generated', async () => {
    await using session = new Session(engine);
    const first = new Sample({ name: 'generated 1' });
    const explicit = new Sample({ id: 900_000, name: 'explicit' });
    const last = new Sample({ name: 'generated 2' });
    session.addAll([first, explicit, last]);
    await session.commit();
    expect(explicit.id).to.equal(900_000);
    expect(first.id).to.be.a('number');
    expect(last.id).to.be.a('number').and.not.equal(first.id);
    const names = (await session.scalars(select(Sample).orderBy(Sample.c.name))).all().map((s) => [s.name, s.id]);
    expect(names).to.deep.equal([
      ['explicit', 900_000],
      ['generated 1', first.id],
      ['generated 2', last.id],
    ]);
  });
});
