/**
 * The JS types of values that pass through Core constructs on each real database: numbers, bigints,
 * exact decimals, strings, booleans, NULL, dates as 'YYYY-MM-DD', timestamps as Date, times, JSON
 * documents, UUIDs and Buffers, read back through subqueries, unions, aggregates, CASE, CAST and
 * comparisons, and bound in WHERE clauses. (Plain column round trips are engine tests.)
 */
import { expect } from 'chai';
import { type Engine, type Executable, createEngine } from '../../src/engine/index.js';
import { case_, cast, func, insert, literal, select, t, unionAll } from '../../src/index.js';
import { CORE_PREFIX, createCoreTables, dropCoreTables, valuesTable } from '../fixtures/movies.js';
import { forEachDialect } from '../helpers/dialects.js';

const values = valuesTable(CORE_PREFIX);
const v = values.c;

const CREATED = new Date('2024-03-01T12:34:56.789Z');
const LATE = new Date('1999-12-31T23:59:59.999Z');
const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const BYTES = Buffer.from([0, 1, 2, 127, 128, 255]);

/** Row a has a value of every type, row b other values, row c only NULLs. */
const ROWS = [
  {
    label: 'a',
    qty: 42,
    big: 9007199254740993n,
    score: 2.5,
    price: '12.50',
    name: 'Zoë 🎬',
    notes: "it's\na note",
    active: true,
    day: '2024-02-29',
    created: CREATED,
    createdTz: CREATED,
    starts: '13:45:00',
    doc: { tags: ['x', 'y'], n: 1, nested: { ok: true } },
    uid: UUID,
    payload: BYTES,
  },
  {
    label: 'b',
    qty: -1,
    big: -5n,
    score: -0.5,
    price: '0.10',
    name: 'Bob',
    notes: 'b',
    active: false,
    day: '1999-12-31',
    created: LATE,
    createdTz: LATE,
    starts: '00:00:01',
    doc: { tags: [], n: 2 },
    uid: 'c9bf9e57-1685-4c89-bafb-ff5af830be8a',
    payload: Buffer.from('b'),
  },
  { label: 'c' },
];

forEachDialect('core: value types', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.begin(async (conn) => {
      await createCoreTables(conn, dialect.name);
      for (const row of ROWS) await conn.execute(insert(values).values(row));
    });
  });

  after(async () => {
    await engine.begin((conn) => dropCoreTables(conn, dialect.name));
    await engine.dispose();
  });

  async function rows(stmt: Executable): Promise<unknown[][]> {
    return (await engine.connect((conn) => conn.execute(stmt))).all().map((row) => [...(row as readonly unknown[])]);
  }

  async function labels(stmt: Executable): Promise<unknown[]> {
    return (await rows(stmt)).map((row) => row[0]);
  }

  const everyColumn = [v.qty, v.big, v.score, v.price, v.name, v.notes, v.active, v.day, v.created, v.createdTz, v.starts, v.doc, v.uid, v.payload] as const;
  const expectedA = [42, 9007199254740993n, 2.5, '12.50', 'Zoë 🎬', "it's\na note", true, '2024-02-29', CREATED, CREATED, '13:45:00', { tags: ['x', 'y'], n: 1, nested: { ok: true } }, UUID, BYTES];
  const nulls = everyColumn.map(() => null);

  it('reads every type from a table, NULLs as null', async () => {
    expect(await rows(select(...everyColumn).orderBy(v.label))).to.deep.equal([
      expectedA,
      [-1, -5n, -0.5, '0.10', 'Bob', 'b', false, '1999-12-31', LATE, LATE, '00:00:01', { tags: [], n: 2 }, 'c9bf9e57-1685-4c89-bafb-ff5af830be8a', Buffer.from('b')],
      nulls,
    ]);
  });

  it('keeps the types through a subquery and an alias', async () => {
    const sub = select(values).where(v.label.eq('a')).subquery('sub');
    const s = sub.c;
    expect(await rows(select(s.qty, s.big, s.score, s.price, s.name, s.notes, s.active, s.day, s.created, s.createdTz, s.starts, s.doc, s.uid, s.payload))).to.deep.equal([expectedA]);
    const a = values.alias('va');
    expect(await rows(select(a.c.big, a.c.active, a.c.created, a.c.doc).where(a.c.label.eq('a')))).to.deep.equal([[9007199254740993n, true, CREATED, expectedA[11]]]);
  });

  it('keeps the types through UNION ALL', async () => {
    const part = (label: string) => select(v.label, v.big, v.active, v.day, v.created, v.doc, v.payload).where(v.label.eq(label));
    expect(await rows(unionAll(part('a'), part('c')).orderBy(v.label))).to.deep.equal([
      ['a', 9007199254740993n, true, '2024-02-29', CREATED, expectedA[11], BYTES],
      ['c', null, null, null, null, null, null],
    ]);
  });

  it('types aggregates by their argument: bigint sums, decimal sums, date and timestamp extremes', async () => {
    const stmt = select(
      func.count(),
      func.count(v.active),
      func.sum(v.big),
      func.max(v.big),
      func.sum(v.price),
      func.avg(v.qty),
      func.min(v.day),
      func.max(v.created),
      func.min(v.starts),
      func.sum(v.score),
    );
    expect(await rows(stmt)).to.deep.equal([[3, 2, 9007199254740988n, 9007199254740993n, '12.60', 20.5, '1999-12-31', CREATED, '00:00:01', 2]]);
  });

  it('comparisons and EXISTS read back as booleans, or null when unknown', async () => {
    expect(await rows(select(v.qty.gt(0).label('positive'), v.active.eq(false).label('inactive'), v.name.isNull().label('nameless')).orderBy(v.label))).to.deep.equal([
      [true, false, false],
      [false, true, false],
      [null, null, true],
    ]);
  });

  it('binds every type in WHERE and finds the row', async () => {
    const find = (condition: Parameters<ReturnType<typeof select>['where']>[0]) => labels(select(v.label).where(condition).orderBy(v.label));
    expect(await find(v.qty.eq(42))).to.deep.equal(['a']);
    expect(await find(v.big.eq(9007199254740993n))).to.deep.equal(['a']);
    expect(await find(v.big.lt(0n))).to.deep.equal(['b']);
    expect(await find(v.score.eq(2.5))).to.deep.equal(['a']);
    expect(await find(v.price.eq('12.5'))).to.deep.equal(['a']);
    expect(await find(v.price.lt('1'))).to.deep.equal(['b']);
    expect(await find(v.name.eq('Zoë 🎬'))).to.deep.equal(['a']);
    expect(await find(v.active.eq(true))).to.deep.equal(['a']);
    expect(await find(v.active.eq(false))).to.deep.equal(['b']);
    expect(await find(v.day.eq('2024-02-29'))).to.deep.equal(['a']);
    expect(await find(v.day.between('1999-01-01', '2000-01-01'))).to.deep.equal(['b']);
    expect(await find(v.created.eq(CREATED))).to.deep.equal(['a']);
    expect(await find(v.created.lt(new Date('2000-01-01T00:00:00Z')))).to.deep.equal(['b']);
    expect(await find(v.createdTz.eq(CREATED))).to.deep.equal(['a']);
    expect(await find(v.starts.eq('13:45:00'))).to.deep.equal(['a']);
    expect(await find(v.uid.eq(UUID.toUpperCase()))).to.deep.equal(['a']);
    expect(await find(v.payload.eq(BYTES))).to.deep.equal(['a']);
    expect(await find(v.qty.in([42, -1]))).to.deep.equal(['a', 'b']);
  });

  it('CASE, COALESCE and CAST produce values of their type', async () => {
    const stmt = select(
      case_([[v.active.eq(true), v.created]], { else: v.createdTz }).label('when'),
      func.coalesce(v.big, 0n).label('big'),
      func.coalesce(v.active, false).label('active'),
      cast(v.qty, t.BigInteger()).label('qty'),
      cast(v.price, t.Float()).label('price'),
      cast(v.active, t.Integer()).label('flag'),
      cast(v.day, t.String(10)).label('day'),
    ).orderBy(v.label);
    expect(await rows(stmt)).to.deep.equal([
      [CREATED, 9007199254740993n, true, 42n, 12.5, 1, '2024-02-29'],
      [LATE, -5n, false, -1n, 0.1, 0, '1999-12-31'],
      [null, 0n, false, null, null, null, null],
    ]);
  });

  it('literals and scalar subqueries carry their types', async () => {
    const latest = select(func.max(v.created)).scalarSubquery().label('latest');
    const stmt = select(latest, literal(5n).label('five'), literal(CREATED).label('at'), literal(2.5).label('f'), literal('x').label('x'), literal({ a: [1] }, t.JSON()).label('doc'));
    expect(await rows(stmt)).to.deep.equal([[CREATED, 5n, CREATED, 2.5, 'x', { a: [1] }]]);
  });

  it('boolean and binary values bound where nothing else gives the server their type', async () => {
    // PostgreSQL types a bare `$1` as text: a boolean comes back as 'true' and a Buffer is rejected as text.
    expect(await rows(select(literal(true).label('yes'), literal(false, t.Boolean()).label('no')))).to.deep.equal([[true, false]]);
    expect(await rows(select(literal(BYTES).label('bytes')))).to.deep.equal([[BYTES]]);
  });

  it('CASE whose results are all JS values is typed by them', async () => {
    const flag = case_([[v.qty.gt(0), true]], { else: false }).label('flag');
    expect(await rows(select(flag).orderBy(v.label))).to.deep.equal([[true], [false], [false]]);
    const when = case_([[v.label.eq('a'), CREATED]]).label('when');
    expect(await rows(select(when).orderBy(v.label))).to.deep.equal([[CREATED], [null], [null]]);
  });

  it('scalar(), scalars() and mappings() hand out the same converted values', async () => {
    await engine.connect(async (conn) => {
      expect(await conn.scalar(select(v.big).where(v.label.eq('a')))).to.equal(9007199254740993n);
      expect((await conn.scalars(select(v.day).orderBy(v.label))).all()).to.deep.equal(['2024-02-29', '1999-12-31', null]);
      const mapped = (await conn.execute(select(v.label, v.active, v.doc).where(v.label.eq('b')))).mappings().one();
      expect(mapped).to.deep.equal({ label: 'b', active: false, doc: { tags: [], n: 2 } });
    });
  });
});
