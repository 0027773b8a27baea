/**
 * MariaDB's flush of many new objects takes their keys from LAST_INSERT_ID() instead of RETURNING
 * where the check of the session and the table allows it (`dialects/mysql/insert-ids.ts`), and keeps
 * RETURNING where it does not (keys spaced out by auto_increment_increment, a table not InnoDB, a
 * flush too small to be worth the check). Every object's key is compared with the row stored under it.
 */
import { expect } from 'chai';
import { DeclarativeBase, type Engine, Session, createEngine, mapped, select, t, text } from '../../src/index.js';
import { findDialect } from '../helpers/dialects.js';

const mysql = findDialect('mysql');

class IdsBase extends DeclarativeBase {}

class Note extends IdsBase.model('orm_mariadb_ids_notes', {
  id: mapped(t.Integer(), { primaryKey: true }),
  body: mapped(t.String(40)),
}) {}

(mysql === undefined ? describe.skip : describe)('mysql: flush keys from LAST_INSERT_ID() on MariaDB', () => {
  let engine: Engine;
  let lines: string[];

  before(async function () {
    engine = createEngine(mysql!.url, { echo: true, logger: (line) => lines.push(line), poolSize: 1, maxOverflow: 0 });
    // MySQL has no RETURNING: its flush always takes the reported id (orm-hot-paths covers it). The
    // first connection tells MariaDB from MySQL.
    const returning = await engine.connect(async (conn) => conn.dialect.capabilities.insertReturning);
    if (!returning) this.skip();
  });

  after(async () => {
    await engine.dispose();
  });

  beforeEach(async () => {
    lines = [];
    await engine.begin((conn) => conn.execute(text('DROP TABLE IF EXISTS orm_mariadb_ids_notes')));
  });

  /** Flushes `count` new notes (after `prepare` on the session's connection) and checks every key against its row. */
  async function flushAndCheck(count: number, prepare?: string): Promise<Note[]> {
    await using session = new Session(engine, { expireOnCommit: false });
    if (prepare !== undefined) await (await session.connection()).execute(text(prepare));
    lines = [];
    const notes = Array.from({ length: count }, (_, i) => new Note({ body: `note ${i}` }));
    session.addAll(notes);
    await session.commit();
    const stored = new Map((await engine.connect((conn) => conn.execute(select(Note.c.id, Note.c.body)))).all().map((r) => [r[0], r[1]]));
    expect(notes.map((n) => stored.get(n.id))).to.deep.equal(notes.map((_, i) => `note ${i}`));
    return notes;
  }

  const inserts = () => lines.filter((line) => line.startsWith('INSERT'));

  it('an InnoDB AUTO_INCREMENT key: keys from the reported id, no RETURNING', async () => {
    await engine.begin((conn) => conn.execute(text('CREATE TABLE orm_mariadb_ids_notes (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, body VARCHAR(40) NOT NULL) ENGINE=InnoDB AUTO_INCREMENT=501')));
    const notes = await flushAndCheck(2500);
    expect(notes.map((n) => n.id)).to.deep.equal(notes.map((_, i) => 501 + i));
    expect(inserts()).to.have.length(3);
    expect(inserts().some((line) => line.includes('RETURNING'))).to.equal(false);
  });

  it('keys spaced out by auto_increment_increment: RETURNING tells them', async () => {
    await engine.begin((conn) => conn.execute(text('CREATE TABLE orm_mariadb_ids_notes (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, body VARCHAR(40) NOT NULL) ENGINE=InnoDB')));
    try {
      const notes = await flushAndCheck(1500, 'SET SESSION auto_increment_increment = 3');
      expect(notes[1]!.id - notes[0]!.id).to.equal(3);
      expect(inserts().every((line) => line.includes('RETURNING'))).to.equal(true);
    } finally {
      await engine.connect((conn) => conn.execute(text('SET SESSION auto_increment_increment = 1')));
    }
  });

  it('a table that is not InnoDB, or a flush under a full batch: RETURNING', async () => {
    await engine.begin((conn) => conn.execute(text('CREATE TABLE orm_mariadb_ids_notes (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, body VARCHAR(40) NOT NULL) ENGINE=MyISAM')));
    await flushAndCheck(1500);
    expect(inserts().every((line) => line.includes('RETURNING'))).to.equal(true);
    await engine.begin((conn) => conn.execute(text('ALTER TABLE orm_mariadb_ids_notes ENGINE=InnoDB')));
    await flushAndCheck(999);
    expect(inserts()).to.have.length(1);
    expect(inserts()[0]).to.include('RETURNING');
  });
});
