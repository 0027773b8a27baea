/**
 * `withoutForeignKeys` on SQLite: `PRAGMA foreign_keys=OFF` is ignored inside a transaction, and a table
 * rebuild's DROP TABLE then deletes the rows of ON DELETE CASCADE children. The runtime switches the
 * pragma off outside the migration's transaction (running the migration again from its start, so it
 * stays one transaction), checks `PRAGMA foreign_key_check` before COMMIT and switches it back on. On
 * the other dialects the wrapper only runs its work.
 */
import { expect } from 'chai';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { ForeignKeyViolationError, MigrationFailedError } from '../../src/migrate/runtime/errors.js';
import type { MigrationExecutor } from '../../src/migrate/operations/migration-executor.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect } from '../helpers/dialects.js';
import { memoryRevisions, runOffline, runOnline } from '../helpers/memory-revisions.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

/** Recreates `parent` with an extra column, as a batch rebuild does: new table, copy, drop, rename. */
async function rebuildParent(x: MigrationExecutor): Promise<void> {
  await x.execute("CREATE TABLE _tmp_parent (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'p')");
  await x.execute('INSERT INTO _tmp_parent (id) SELECT id FROM parent');
  await x.execute('DROP TABLE parent');
  await x.execute('ALTER TABLE _tmp_parent RENAME TO parent');
}

async function count(engine: Engine, table: string): Promise<number> {
  return engine.connect(async (conn) => Number(await conn.scalar(text(`SELECT count(*) FROM ${table}`))));
}

forEachDialect('runtime: withoutForeignKeys', (dialect) => {
  let db: ThrowawayDatabase;
  let engine: Engine;

  beforeEach(async () => {
    db = await createThrowawayDatabase(dialect, 'fk');
    engine = createEngine(db.url);
    await engine.connect(async (conn) => {
      await conn.execute(text('CREATE TABLE parent (id INTEGER NOT NULL PRIMARY KEY)'));
      await conn.execute(
        text('CREATE TABLE child (id INTEGER NOT NULL PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE)'),
      );
      await conn.execute(text('INSERT INTO parent (id) VALUES (1), (2), (3)'));
      for (let i = 1; i <= 10; i++) await conn.execute(text('INSERT INTO child (id, parent_id) VALUES (:i, :p)'), { i, p: (i % 3) + 1 });
      await conn.commit();
    });
  });
  afterEach(async () => {
    await engine.dispose();
    await db.drop();
  });

  if (dialect.name === 'sqlite') {
    it('rebuilds a parent table without losing a child row, running the migration again with foreign keys off', async () => {
      const revs = memoryRevisions([
        {
          id: 'fk1',
          up: async (x) => {
            await x.execute('CREATE TABLE audit (id INTEGER NOT NULL PRIMARY KEY)');
            await x.withoutForeignKeys(() => rebuildParent(x));
          },
        },
        {
          id: 'fk2',
          up: async (x) => {
            const on = await x.connection().scalar(text('PRAGMA foreign_keys'));
            await x.execute(`CREATE TABLE fk_was_${String(on)} (id INTEGER)`);
          },
        },
      ]);
      expect(await count(engine, 'child')).to.equal(10);
      await runOnline(db.url, revs.migrate('head'));
      expect(await count(engine, 'child')).to.equal(10);
      expect(await count(engine, 'parent')).to.equal(3);
      // The first attempt was rolled back when it asked for foreign keys off; the second ran in full.
      expect(revs.calls.get('upgrade:fk1')).to.equal(2);
      expect(await count(engine, 'audit')).to.equal(0);
      // Enforcement is back on for the next migration.
      expect(await count(engine, 'fk_was_1')).to.equal(0);
    });

    it('the same rebuild inside a plain transaction would cascade: the bug it prevents', async () => {
      const revs = memoryRevisions([{ id: 'bug', up: (x) => rebuildParent(x) }]);
      await runOnline(db.url, revs.migrate('head'));
      expect(await count(engine, 'child')).to.equal(0);
    });

    it('fails with the violations and rolls the migration back when rows break a foreign key', async () => {
      const revs = memoryRevisions([
        { id: 'ok1', up: (x) => x.execute('CREATE TABLE before_fk (id INTEGER)') },
        { id: 'bad', up: (x) => x.withoutForeignKeys(() => x.execute('DELETE FROM parent WHERE id = 2')) },
      ]);
      const error = await runOnline(db.url, revs.migrate('head')).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(MigrationFailedError);
      expect((error as Error).cause).to.be.instanceOf(ForeignKeyViolationError);
      expect((error as Error).message).to.match(/Revision bad leaves rows that break foreign keys: child rowid \d+ -> parent/);
      expect(await count(engine, 'parent')).to.equal(3);
      expect(await engine.connect(async (c) => (await c.execute(text('SELECT version_num FROM alembic_version'))).scalars().all())).to.deep.equal(['ok1']);
    });

    it('with one transaction for the run, only the migration that asks is run again', async () => {
      const revs = memoryRevisions([
        { id: 'w1', up: (x) => x.execute('CREATE TABLE w1 (id INTEGER)') },
        { id: 'w2', up: async (x) => (await x.execute('CREATE TABLE w2 (id INTEGER)'), x.withoutForeignKeys(() => rebuildParent(x))) },
        { id: 'w3', up: (x) => x.execute('CREATE TABLE w3 (id INTEGER)') },
      ]);
      await runOnline(db.url, revs.migrate('head'), { transactionPerMigration: false });
      expect([...revs.calls.entries()].sort()).to.deep.equal([
        ['upgrade:w1', 1],
        ['upgrade:w2', 2],
        ['upgrade:w3', 1],
      ]);
      expect(await count(engine, 'child')).to.equal(10);
      for (const table of ['w1', 'w2', 'w3']) expect(await count(engine, table)).to.equal(0);
    });

    it('offline, writes the pragma around the migration\'s transaction and the check before its COMMIT', async () => {
      const revs = memoryRevisions([
        { id: 'of1', up: async (x) => (await x.execute('CREATE TABLE audit (id INTEGER)'), x.withoutForeignKeys(() => rebuildParent(x))) },
      ]);
      const script = await runOffline(db.url, revs.migrate('head'), { startingHeads: [] });
      const body = script.slice(script.indexOf('PRAGMA foreign_keys = OFF'));
      expect(body.split('\n\n').filter((s) => s.trim() !== '')).to.deep.equal([
        'PRAGMA foreign_keys = OFF;',
        'BEGIN;',
        '-- Running upgrade base -> of1, step of1',
        'CREATE TABLE audit (id INTEGER);',
        "CREATE TABLE _tmp_parent (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'p');",
        'INSERT INTO _tmp_parent (id) SELECT id FROM parent;',
        'DROP TABLE parent;',
        'ALTER TABLE _tmp_parent RENAME TO parent;',
        '-- tsmig: must return no rows (rows that break a foreign key after the table rebuild)',
        'PRAGMA foreign_key_check;',
        "INSERT INTO alembic_version (version_num) VALUES ('of1');",
        'COMMIT;',
        'PRAGMA foreign_keys = ON;',
      ]);
    });
  } else {
    it('only runs the work: no pragma, no second run', async () => {
      const revs = memoryRevisions([{ id: 'p1', up: (x) => x.withoutForeignKeys(() => x.execute('CREATE TABLE inside (id INTEGER)')) }]);
      await runOnline(db.url, revs.migrate('head'));
      expect(revs.calls.get('upgrade:p1')).to.equal(1);
      expect(await count(engine, 'inside')).to.equal(0);
    });
  }
});
