/**
 * Every generic type makes the trip JS -> database -> JS unchanged on every dialect, including the edges
 * (64-bit integers, exact decimals, time zones, NULL). The process time zone is set to an unusual one
 * for the whole file, so anything that silently used local time would show.
 */
import { expect } from 'chai';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { ArgumentError } from '../../src/errors.js';
import { Table, column, func, insert, MetaData, select, t, text } from '../../src/index.js';
import { type TestDialectName, forEachDialect } from '../helpers/dialects.js';

const TABLE = 'eng_types';

/** Column types per dialect for the hand-written DDL (the DDL compiler is tested elsewhere). */
const DDL: Record<TestDialectName, string> = {
  sqlite: `CREATE TABLE ${TABLE} (id INTEGER NOT NULL PRIMARY KEY, qty INTEGER, small SMALLINT, big BIGINT,
    score FLOAT, price NUMERIC(20, 2), loose NUMERIC, name VARCHAR(50), notes TEXT, active BOOLEAN, day DATE,
    created DATETIME, created_tz DATETIME, starts TIME, doc JSON, uid CHAR(36), payload BLOB,
    colour VARCHAR(10), tags TEXT)`,
  postgresql: `CREATE TABLE ${TABLE} (id INTEGER NOT NULL PRIMARY KEY, qty INTEGER, small SMALLINT, big BIGINT,
    score DOUBLE PRECISION, price NUMERIC(20, 2), loose NUMERIC, name VARCHAR(50), notes TEXT, active BOOLEAN,
    day DATE, created TIMESTAMP WITHOUT TIME ZONE, created_tz TIMESTAMP WITH TIME ZONE, starts TIME, doc JSON,
    uid UUID, payload BYTEA, colour VARCHAR(10), tags TEXT)`,
  mysql: `CREATE TABLE ${TABLE} (id INTEGER NOT NULL PRIMARY KEY, qty INTEGER, small SMALLINT, big BIGINT,
    score DOUBLE, price DECIMAL(20, 2), loose DECIMAL(30, 10), name VARCHAR(50), notes TEXT, active BOOL, day DATE,
    created DATETIME(6), created_tz DATETIME(6), starts TIME(6), doc JSON, uid CHAR(36), payload BLOB,
    colour ENUM('red', 'green'), tags TEXT)`,
};

const tagList = t.decorate(t.Text(), {
  bindValue: (tags: string[]) => tags.join(','),
  resultValue: (stored) => (stored as string).split(','),
});

const metadata = new MetaData();
const types = new Table(TABLE, metadata, {
  id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
  qty: column(t.Integer()),
  small: column(t.SmallInteger()),
  big: column(t.BigInteger()),
  score: column(t.Float()),
  price: column(t.Numeric(20, 2)),
  loose: column(t.Numeric()),
  name: column(t.String(50)),
  notes: column(t.Text()),
  active: column(t.Boolean()),
  day: column(t.Date()),
  created: column(t.DateTime()),
  createdTz: column(t.DateTime({ timezone: true }), { name: 'created_tz' }),
  starts: column(t.Time()),
  doc: column(t.JSON<unknown>()),
  uid: column(t.Uuid()),
  payload: column(t.LargeBinary()),
  colour: column(t.Enum(['red', 'green'])),
  tags: column(tagList),
});

type Values = Parameters<ReturnType<typeof insert<typeof types>>['values']>[0];

/** A value in every column. */
const EVERY_TYPE: Omit<Values, 'id'> = {
  qty: 7, small: -3, big: 9007199254740993n, score: 0.5, price: '1.25', loose: '3.5', name: 'Zoë', notes: 'n',
  active: true, day: '2024-02-29', created: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
  createdTz: new Date('2024-07-01T23:30:00.125+02:00'), starts: '13:45:00', doc: { a: [1] },
  uid: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', payload: Buffer.from([0, 255]), colour: 'red', tags: ['x', 'y'],
};

forEachDialect('types round-trip', (dialect) => {
  let engine: Engine;
  let originalTz: string | undefined;
  let nextId = 1;

  before(async () => {
    originalTz = process.env.TZ;
    // UTC+13:45 in January: any local-time conversion shows up as a wrong hour and minute.
    process.env.TZ = 'Pacific/Chatham';
    engine = createEngine(dialect.url);
    await engine.begin(async (conn) => {
      await conn.execute(text(`DROP TABLE IF EXISTS ${TABLE}`));
      await conn.execute(text(DDL[dialect.name]));
    });
  });

  after(async () => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
    await engine.begin((conn) => conn.execute(text(`DROP TABLE IF EXISTS ${TABLE}`)));
    await engine.dispose();
  });

  /** Inserts one row and reads it back, through the compiled INSERT and SELECT. */
  async function roundTrip(values: Omit<Values, 'id'>) {
    const id = nextId++;
    return engine.begin(async (conn) => {
      await conn.execute(insert(types).values({ id, ...values } as Values));
      return (await conn.execute(select(types).where(types.c.id.eq(id)))).one();
    });
  }

  /** The stored text of a column, as the database itself renders it. */
  async function storedText(columnName: string, id: number): Promise<string> {
    const cast = dialect.name === 'mysql' ? 'CHAR' : 'TEXT';
    return engine.connect(async (conn) => {
      const value = await conn.scalar(text(`SELECT CAST(${columnName} AS ${cast}) FROM ${TABLE} WHERE id = :id`), { id });
      return String(value);
    });
  }

  it('integers at the edges of their range', async () => {
    const row = await roundTrip({ qty: -2147483648, small: 32767 });
    expect(row.qty).to.equal(-2147483648);
    expect(row.small).to.equal(32767);
    expect((await roundTrip({ qty: 2147483647, small: -32768 })).qty).to.equal(2147483647);
  });

  it('64-bit integers beyond 2^53 as exact bigints', async () => {
    for (const big of [9007199254740993n, 9223372036854775807n, -9223372036854775808n, 0n]) {
      const row = await roundTrip({ big });
      expect(row.big).to.equal(big);
    }
  });

  it('floats exactly, as doubles', async () => {
    for (const score of [0.1 + 0.2, -2.5e10, 1.7976931348623157e308, 5e-324]) {
      expect((await roundTrip({ score })).score).to.equal(score);
    }
  });

  it('decimals as exact strings at the declared scale', async () => {
    expect((await roundTrip({ price: '12345678901234.56' })).price).to.equal('12345678901234.56');
    expect((await roundTrip({ price: '12.5' })).price).to.equal('12.50');
    expect((await roundTrip({ price: '-0.01' })).price).to.equal('-0.01');
    expect((await roundTrip({ price: '7' })).price).to.equal('7.00');
    expect((await roundTrip({ price: 3 as unknown as string })).price).to.equal('3.00');
  });

  it('booleans', async () => {
    expect((await roundTrip({ active: true })).active).to.equal(true);
    expect((await roundTrip({ active: false })).active).to.equal(false);
  });

  it('strings, text and enums, including non-ASCII', async () => {
    const row = await roundTrip({ name: 'Zoë 🎬 “quotes”', notes: 'line 1\nline 2\t\'x\'', colour: 'green' });
    expect(row.name).to.equal('Zoë 🎬 “quotes”');
    expect(row.notes).to.equal("line 1\nline 2\t'x'");
    expect(row.colour).to.equal('green');
  });

  it('dates as YYYY-MM-DD strings', async () => {
    for (const day of ['2024-02-29', '1000-01-01', '9999-12-31']) {
      expect((await roundTrip({ day })).day).to.equal(day);
    }
  });

  it('timestamps without a time zone as UTC wall-clock time', async () => {
    const created = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    const id = nextId;
    const row = await roundTrip({ created });
    expect(row.created).to.be.instanceOf(Date);
    expect(row.created!.toISOString()).to.equal('2024-01-02T03:04:05.678Z');
    expect(await storedText('created', id)).to.match(/^2024-01-02[ T]03:04:05\.678/);
  });

  it('timestamps with a time zone as the same instant', async () => {
    const createdTz = new Date('2024-07-01T23:30:00.125+02:00');
    const row = await roundTrip({ createdTz });
    expect(row.createdTz!.getTime()).to.equal(createdTz.getTime());
  });

  it('times of day as HH:MM:SS strings', async () => {
    expect((await roundTrip({ starts: '13:45:00' })).starts).to.equal('13:45:00');
    expect((await roundTrip({ starts: '23:59:59' })).starts).to.equal('23:59:59');
  });

  it('JSON documents, arrays and scalars', async () => {
    for (const doc of [{ tags: ['a', 'b'], n: 1, nested: { ok: true } }, [1, 2, 3], 'text', 42, true]) {
      expect((await roundTrip({ doc })).doc).to.deep.equal(doc);
    }
  });

  it('UUIDs as lower-case strings', async () => {
    const row = await roundTrip({ uid: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' });
    expect(row.uid).to.equal('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
  });

  it('binary data as Buffers, accepting Uint8Array', async () => {
    const bytes = Buffer.from([0, 1, 127, 128, 255]);
    expect((await roundTrip({ payload: bytes })).payload).to.deep.equal(bytes);
    const row = await roundTrip({ payload: new Uint8Array([9, 8, 7]) as Buffer });
    expect(Buffer.isBuffer(row.payload)).to.equal(true);
    expect([...row.payload!]).to.deep.equal([9, 8, 7]);
  });

  it('a value the type cannot bind is an ArgumentError naming the parameter, before anything runs', async () => {
    await engine.connect(async (conn) => {
      const error = await conn
        .execute(insert(types).values({ id: 9999, created: new Date('not a date') }))
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ArgumentError);
      expect((error as Error).message).to.match(/Cannot bind DateTime\(\) parameter 'created.*Invalid time value/);
      expect(conn.inTransaction()).to.equal(false);
    });
  });

  it('NULL in every column, both ways', async () => {
    const row = await roundTrip({});
    const { id, ...rest } = (await engine.connect(async (conn) =>
      (await conn.execute(select(types).where(types.c.id.eq(row.id)))).mappings().one(),
    )) as Record<string, unknown>;
    expect(id).to.equal(row.id);
    for (const [name, value] of Object.entries(rest)) expect(value, name).to.equal(null);
  });

  it("a TypeDecorator's hooks around the implementation type", async () => {
    const id = nextId;
    expect((await roundTrip({ tags: ['x', 'y', 'z'] })).tags).to.deep.equal(['x', 'y', 'z']);
    expect(await storedText('tags', id)).to.equal('x,y,z');
  });

  it('integer aggregates as numbers (PostgreSQL and MySQL answer them as 64-bit text)', async () => {
    const [count, sum] = await engine.connect(async (conn) =>
      (await conn.execute(select(func.count(), func.sum(types.c.qty)).selectFrom(types))).one(),
    );
    expect(count).to.be.a('number').and.to.be.greaterThan(0);
    expect(sum).to.be.a('number');
  });

  it('text() results typed by name with .columns()', async () => {
    const id = nextId;
    await roundTrip({ active: true, price: '1.5', day: '2020-01-31' });
    const row = await engine.connect(async (conn) =>
      (
        await conn.execute(
          text(`SELECT day, active, price FROM ${TABLE} WHERE id = :id`).columns({ price: t.Numeric(20, 2), active: t.Boolean() }),
          { id },
        )
      ).one(),
    );
    expect(row.active).to.equal(true);
    expect(row.price).to.equal('1.50');
    expect(row[0]).to.equal('2020-01-31'); // undeclared: as the driver gives it
  });

  it("a select's compiled row converter reads every type and NULL as the general one (text() typed by name) does", async () => {
    const full = await roundTrip(EVERY_TYPE);
    const empty = await roundTrip({});
    const declared = Object.fromEntries(types.columns.map((c) => [c.name, c.type]));
    const byName = text(`SELECT ${types.columns.map((c) => c.name).join(', ')} FROM ${TABLE} WHERE id IN (:a, :b) ORDER BY id`).columns(declared);
    const [compiled, general] = await engine.connect(async (conn) => [
      (await conn.execute(select(types).where(types.c.id.in([full.id, empty.id])).orderBy(types.c.id))).all(),
      (await conn.execute(byName, { a: full.id, b: empty.id })).all(),
    ]);
    expect(compiled.map((row) => [...row])).to.deep.equal(general.map((row) => [...row]));
    expect(compiled[0]!.active).to.equal(true);
    expect(compiled[0]!.tags).to.deep.equal(['x', 'y']);
    expect([...compiled[1]!].slice(1).every((value) => value === null)).to.equal(true);
  });

  it('executeRead (the ORM loading one entity) reads every type and NULL as execute() does, with parameters and without', async () => {
    const full = await roundTrip(EVERY_TYPE);
    const empty = await roundTrip({});
    // MySQL sends a statement with parameters as a prepared one (binary rows), one without as text.
    const statements = [select(types).where(types.c.id.in([full.id, empty.id])).orderBy(types.c.id), select(types).orderBy(types.c.id)];
    await engine.connect(async (conn) => {
      for (const statement of statements) {
        const expected = (await conn.execute(statement)).all().map((row) => [...row]);
        expect(await conn.executeRead(statement, undefined, (row) => [...row])).to.deep.equal(expected);
      }
    });
    const [fullRow, emptyRow] = await engine.connect((conn) => conn.executeRead(statements[0]!, undefined, (row) => row));
    expect(fullRow![types.columns.findIndex((c) => c.name === 'tags')]).to.deep.equal(['x', 'y']);
    expect(emptyRow!.slice(1).every((value) => value === null)).to.equal(true);
  });
});
