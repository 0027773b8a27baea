/**
 * A flush of many new objects takes their keys from the id the driver reports per INSERT instead of
 * RETURNING, where the dialect's check allows it (`Dialect.insertIds`): SQLite's last_insert_rowid()
 * when the key is the rowid, no trigger is declared on the table and the keys stay exact
 * (`dialects/sqlite/insert-ids.ts`); MariaDB's LAST_INSERT_ID() when InnoDB gives the INSERT one block
 * of keys, `auto_increment_increment` apart (`dialects/mysql/insert-ids.ts`). Elsewhere RETURNING tells them. Each case flushes enough objects
 * for the check to be asked, and compares every object's key with the row stored under it.
 */
import { expect } from 'chai';
import { DeclarativeBase, type Engine, Session, createEngine, getDialect, mapped, select, t, text } from '../../src/index.js';
import { catalogQuery } from '../../src/engine/catalog-query.js';
import { findDialect } from '../helpers/dialects.js';

const sqlite = findDialect('sqlite');
const mysql = findDialect('mysql');
const ROWS = 300;

class IdsBase extends DeclarativeBase {}

class Note extends IdsBase.model('orm_ids_notes', {
  id: mapped(t.Integer(), { primaryKey: true }),
  body: mapped(t.String(40)),
}) {}

/** An engine that echoes its statements into `lines`, which each flush of `flushAndCheck` empties first. */
function echoingEngine(url: string, lines: string[]): Engine {
  return createEngine(url, { echo: true, logger: (line) => lines.push(line), poolSize: 1, maxOverflow: 0 });
}

/** Runs statements in one transaction. */
async function sql(engine: Engine, ...statements: string[]): Promise<void> {
  await engine.begin(async (conn) => {
    for (const statement of statements) await conn.execute(text(statement));
  });
}

/**
 * Flushes `count` new notes (after `prepare` on the session's connection) and checks every key against
 * its row; `lines` then holds the flush's statements only.
 */
async function flushAndCheck(engine: Engine, lines: string[], count: number, prepare?: string): Promise<Note[]> {
  await using session = new Session(engine, { expireOnCommit: false });
  if (prepare !== undefined) await (await session.connection()).execute(text(prepare));
  lines.length = 0;
  const notes = Array.from({ length: count }, (_, i) => new Note({ body: `note ${i}` }));
  session.addAll(notes);
  await session.commit();
  const stored = new Map((await engine.connect((conn) => conn.execute(select(Note.c.id, Note.c.body)))).all().map((r) => [r[0], r[1]]));
  expect(notes.map((n) => stored.get(n.id))).to.deep.equal(notes.map((_, i) => `note ${i}`));
  return notes;
}

const insertsIn = (lines: readonly string[]) => lines.filter((line) => line.startsWith('INSERT'));

(sqlite === undefined ? describe.skip : describe)('sqlite: flush keys from last_insert_rowid()', () => {
  const lines: string[] = [];
  let engine: Engine;

  before(() => {
    engine = echoingEngine(sqlite!.url, lines);
  });

  after(async () => {
    await engine.dispose();
  });

  beforeEach(async () => {
    await sql(engine, 'DROP TABLE IF EXISTS orm_ids_notes', 'DROP TABLE IF EXISTS orm_ids_log');
  });

  const inserts = () => insertsIn(lines);

  it('a rowid table: keys from the reported id, no RETURNING, consecutive from the largest key', async () => {
    await sql(engine, 'CREATE TABLE orm_ids_notes (id INTEGER NOT NULL PRIMARY KEY, body VARCHAR(40) NOT NULL)', "INSERT INTO orm_ids_notes VALUES (41, 'old')");
    const notes = await flushAndCheck(engine, lines, 2500);
    expect(notes.map((n) => n.id)).to.deep.equal(notes.map((_, i) => 42 + i));
    expect(inserts()).to.have.length(3);
    expect(inserts().some((line) => line.includes('RETURNING'))).to.equal(false);
  });

  it('AUTOINCREMENT: keys go on above the largest ever given (sqlite_sequence), not the largest left', async () => {
    await sql(engine, 'CREATE TABLE orm_ids_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body VARCHAR(40) NOT NULL)');
    await flushAndCheck(engine, lines, ROWS);
    await sql(engine, 'DELETE FROM orm_ids_notes WHERE id > 100');
    const notes = await flushAndCheck(engine, lines, ROWS);
    expect(notes[0]!.id).to.equal(ROWS + 1);
    expect(inserts().some((line) => line.includes('RETURNING'))).to.equal(false);
  });

  it('a trigger that inserts into the same table: RETURNING tells the keys (the rowids interleave)', async () => {
    await sql(
      engine,
      'CREATE TABLE orm_ids_notes (id INTEGER NOT NULL PRIMARY KEY, body VARCHAR(40) NOT NULL)',
      "CREATE TRIGGER orm_ids_echo AFTER INSERT ON orm_ids_notes WHEN NEW.body NOT LIKE 'echo%' BEGIN INSERT INTO orm_ids_notes (body) VALUES ('echo ' || NEW.body); END",
    );
    const notes = await flushAndCheck(engine, lines, ROWS);
    expect(notes[1]!.id).to.equal(notes[0]!.id + 2);
    expect(inserts().every((line) => line.includes('RETURNING'))).to.equal(true);
  });

  it('a TEMP trigger on the table counts too', async () => {
    await sql(engine, 'CREATE TABLE orm_ids_notes (id INTEGER NOT NULL PRIMARY KEY, body VARCHAR(40) NOT NULL)', 'CREATE TABLE orm_ids_log (note_id INTEGER)');
    // A temp trigger lives on one connection: create it on the one the session will use (the pool's only idle one).
    await engine.connect(async (conn) => {
      await conn.execute(text('CREATE TEMP TRIGGER orm_ids_log AFTER INSERT ON orm_ids_notes BEGIN INSERT INTO orm_ids_log VALUES (NEW.id); END'));
      await conn.commit();
    });
    await flushAndCheck(engine, lines, ROWS);
    expect(inserts().every((line) => line.includes('RETURNING'))).to.equal(true);
  });

  it('below the check threshold a flush keeps RETURNING', async () => {
    await sql(engine, 'CREATE TABLE orm_ids_notes (id INTEGER NOT NULL PRIMARY KEY, body VARCHAR(40) NOT NULL)');
    await flushAndCheck(engine, lines, 3);
    expect(inserts()).to.have.length(1);
    expect(inserts()[0]).to.include('RETURNING');
  });

  describe('the check of a table', () => {
    const consecutive = (rows = ROWS) =>
      engine.connect((conn) => getDialect('sqlite').insertIds!.consecutive!(catalogQuery(conn), Note.table, rows));

    for (const [ddl, expected] of [
      ['id INTEGER NOT NULL PRIMARY KEY, body TEXT', true],
      ['id integer, body TEXT, PRIMARY KEY (id DESC)', true],
      ['id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT', true],
      ['id INT PRIMARY KEY, body TEXT', false],
      ['id INTEGER PRIMARY KEY DESC, body TEXT', false],
      ['id INTEGER PRIMARY KEY, body TEXT) WITHOUT ROWID --', false],
      ['id INTEGER, body TEXT, PRIMARY KEY (id, body)', false],
      ['body INTEGER PRIMARY KEY, id INTEGER', false],
    ] as const) {
      it(`${expected ? 'allows' : 'refuses'} (${ddl})`, async () => {
        await sql(engine, `CREATE TABLE orm_ids_notes (${ddl})`);
        expect(await consecutive()).to.equal(expected);
      });
    }

    it('refuses keys that would pass 2^53 (exact numbers, and far from the random rowids at 2^63 - 1)', async () => {
      await sql(engine, 'CREATE TABLE orm_ids_notes (id INTEGER PRIMARY KEY, body TEXT)', `INSERT INTO orm_ids_notes VALUES (${Number.MAX_SAFE_INTEGER - ROWS}, 'x')`);
      expect(await consecutive(ROWS)).to.equal(true);
      expect(await consecutive(ROWS + 1)).to.equal(false);
    });

    it('refuses an AUTOINCREMENT sequence near 2^53 even when the rows are gone', async () => {
      await sql(
      engine,
        'CREATE TABLE orm_ids_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT)',
        `INSERT INTO orm_ids_notes VALUES (${Number.MAX_SAFE_INTEGER - 1}, 'x')`,
        'DELETE FROM orm_ids_notes',
      );
      expect(await consecutive()).to.equal(false);
    });
  });
});

(mysql === undefined ? describe.skip : describe)('mysql: flush keys from LAST_INSERT_ID() on MariaDB', () => {
  const lines: string[] = [];
  let engine: Engine;

  before(async function () {
    engine = echoingEngine(mysql!.url, lines);
    // MySQL has no RETURNING: its flush always takes the reported id (orm-hot-paths covers it). The
    // first connection tells MariaDB from MySQL.
    const returning = await engine.connect(async (conn) => conn.dialect.capabilities.insertReturning);
    if (!returning) this.skip();
  });

  after(async () => {
    await engine.dispose();
  });

  beforeEach(async () => {
    await sql(engine, 'DROP TABLE IF EXISTS orm_ids_notes');
  });

  const inserts = () => insertsIn(lines);

  it('an InnoDB AUTO_INCREMENT key: keys from the reported id, no RETURNING', async () => {
    await sql(engine, 'CREATE TABLE orm_ids_notes (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, body VARCHAR(40) NOT NULL) ENGINE=InnoDB AUTO_INCREMENT=501');
    const notes = await flushAndCheck(engine, lines, 2500);
    expect(notes.map((n) => n.id)).to.deep.equal(notes.map((_, i) => 501 + i));
    expect(inserts()).to.have.length(3);
    expect(inserts().some((line) => line.includes('RETURNING'))).to.equal(false);
  });

  it('keys spaced out by auto_increment_increment (Galera, multi-primary): from the reported id, that far apart', async () => {
    await sql(engine, 'CREATE TABLE orm_ids_notes (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, body VARCHAR(40) NOT NULL) ENGINE=InnoDB');
    try {
      const notes = await flushAndCheck(engine, lines, 1500, 'SET SESSION auto_increment_increment = 3');
      expect(notes.map((n) => n.id - notes[0]!.id)).to.deep.equal(notes.map((_, i) => 3 * i));
      expect(inserts().some((line) => line.includes('RETURNING'))).to.equal(false);
    } finally {
      await engine.connect((conn) => conn.execute(text('SET SESSION auto_increment_increment = 1')));
    }
  });

  it('a table that is not InnoDB, or a flush under a full batch: RETURNING', async () => {
    await sql(engine, 'CREATE TABLE orm_ids_notes (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, body VARCHAR(40) NOT NULL) ENGINE=MyISAM');
    await flushAndCheck(engine, lines, 1500);
    expect(inserts().every((line) => line.includes('RETURNING'))).to.equal(true);
    await sql(engine, 'ALTER TABLE orm_ids_notes ENGINE=InnoDB');
    await flushAndCheck(engine, lines, 999);
    expect(inserts()).to.have.length(1);
    expect(inserts()[0]).to.include('RETURNING');
  });
});
