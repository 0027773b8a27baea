/**
 * `Connection.executeRead` (the ORM's way to load one entity): each row, its values converted, handed
 * to a reader, as the driver receives it where the driver can (mysql2's row events) and once the result
 * is in elsewhere. Every type and NULL through it: test/integration/types-roundtrip.test.ts. Here:
 * text() results read once they are in; many reads at once; a reader's error, a server's error and a
 * lost connection end the read with the error and leave the connection or the engine usable.
 */
import { expect } from 'chai';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { DatabaseError, ProgrammingError } from '../../src/errors.js';
import { MetaData, Table, column, insert, select, t, text } from '../../src/index.js';
import { forEachDialect } from '../helpers/dialects.js';

const metadata = new MetaData();
const notes = new Table('eng_read_notes', metadata, {
  id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
  done: column(t.Boolean()),
  price: column(t.Numeric(12, 2)),
});
/** A table nothing creates: selecting from it is the server's error. */
const missing = new Table('eng_read_missing', new MetaData(), { id: column(t.Integer(), { primaryKey: true }) });

forEachDialect('engine: executeRead', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.dropAll(metadata);
    await engine.createAll(metadata);
    await engine.begin((conn) =>
      conn.execute(insert(notes), [
        { id: 1, done: true, price: '12.30' },
        { id: 2, done: null, price: null },
        { id: 3, done: false, price: '0.50' },
      ]),
    );
  });

  after(async () => {
    await engine.dropAll(metadata);
    await engine.dispose();
  });

  it('reads a text() result typed by name, once it is in', async () => {
    await using conn = await engine.connect();
    const statement = text('SELECT id, done, price FROM eng_read_notes WHERE id <= :last ORDER BY id').columns({ done: t.Boolean(), price: t.Numeric(12, 2) });
    expect(await conn.executeRead(statement, { last: 2 }, (row) => [...row])).to.deep.equal([
      [1, true, '12.30'],
      [2, null, null],
    ]);
  });

  it("a reader's error ends the read with it; the connection runs the next statement", async () => {
    await using conn = await engine.connect();
    const failure = new Error('unreadable row');
    let calls = 0;
    const error = await conn
      .executeRead(select(notes).orderBy(notes.c.id), undefined, (row) => {
        if (++calls === 2) throw failure;
        return row[0];
      })
      .catch((e: unknown) => e);
    expect(error).to.equal(failure);
    // The rest of the result was read off the connection: the next answer is the next statement's.
    expect(calls).to.equal(2);
    expect(await conn.scalar(select(notes.c.price).where(notes.c.id.eq(3)))).to.equal('0.50');
  });

  it("a server's error is execute()'s DatabaseError", async () => {
    await using conn = await engine.connect();
    const error = await conn.executeRead(select(missing), undefined, (row) => row).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ProgrammingError);
    expect((error as DatabaseError).statement).to.match(/eng_read_missing/);
  });

  it('many reads at once on one connection: each gets its own rows, and no listener limit is passed', async function () {
    // mysql2 reads rows through events and hears a lost connection on the connection; node-postgres
    // warns of queries sent while one runs (deprecated in pg 9), SQLite answers each at once.
    if (dialect.name !== 'mysql') this.skip();
    await using conn = await engine.connect();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const reads = Array.from({ length: 15 }, (_, i) =>
        conn.executeRead(select(notes.c.id).where(notes.c.id.le((i % 3) + 1)).orderBy(notes.c.id), undefined, (row) => row[0]),
      );
      expect(await Promise.all(reads)).to.deep.equal(Array.from({ length: 15 }, (_, i) => [1, 2, 3].slice(0, (i % 3) + 1)));
      // A warning is emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).to.deep.equal([]);
  });

  it('a connection lost before the read ends it with an error, not a wait; the engine connects again', async function () {
    if (dialect.name === 'sqlite') this.skip(); // no server to lose
    await using conn = await engine.connect();
    const id = await conn.scalar(text(dialect.name === 'mysql' ? 'SELECT CONNECTION_ID()' : 'SELECT pg_backend_pid()'));
    await engine.connect(async (other) => {
      await other.execute(text(dialect.name === 'mysql' ? `KILL ${Number(id)}` : `SELECT pg_terminate_backend(${Number(id)})`));
    });
    const error = await conn.executeRead(select(notes), undefined, (row) => row).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DatabaseError);
    await engine.connect(async (again) => {
      expect(await again.executeRead(select(notes.c.id).orderBy(notes.c.id), undefined, (row) => row[0])).to.deep.equal([1, 2, 3]);
    });
  });
});
