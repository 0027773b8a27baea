/**
 * The migration lock on each dialect: runs started together apply each revision once and both succeed;
 * a waiting run says who holds the lock and gives up after its timeout; the lock is gone once its run
 * ends, even when the run failed.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEngine } from '../../src/engine/engine.js';
import { MigrationFailedError, MigrationLockTimeoutError } from '../../src/migrate/runtime/errors.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect } from '../helpers/dialects.js';
import { type MemoryRevision, memoryRevisions, runOnline } from '../helpers/memory-revisions.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

function slowTable(id: string, ms: number): MemoryRevision {
  return {
    id,
    up: async (x) => {
      await sleep(ms);
      await x.execute(`CREATE TABLE t_${id} (id INTEGER NOT NULL PRIMARY KEY)`);
    },
  };
}

forEachDialect('runtime: migration lock', (dialect) => {
  let db: ThrowawayDatabase;

  beforeEach(async () => {
    db = await createThrowawayDatabase(dialect, 'lock');
  });
  afterEach(() => db.drop());

  it('two runs started together apply each revision once and both succeed', async () => {
    const revs = memoryRevisions([slowTable('l1', 40), slowTable('l2', 40), slowTable('l3', 40), slowTable('l4', 40)]);
    const info: string[] = [];
    const [a, b] = await Promise.all([runOnline(db.url, revs.migrate('head'), { info }), runOnline(db.url, revs.migrate('head'), { info })]);
    expect([...revs.calls.entries()].sort()).to.deep.equal([
      ['upgrade:l1', 1],
      ['upgrade:l2', 1],
      ['upgrade:l3', 1],
      ['upgrade:l4', 1],
    ]);
    expect(a.steps + b.steps).to.equal(4);
    expect(a.headsAfter).to.deep.equal(['l4']);
    expect(b.headsAfter).to.deep.equal(['l4']);
    expect(info.some((line) => line.startsWith('Waiting for the migration lock'))).to.equal(true);
  });

  it('says who holds the lock while waiting, and gives up after the lock timeout', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = memoryRevisions([{ id: 'h1', up: async () => (started(), held) }]);
    const holder = runOnline(db.url, slow.migrate('head'));
    await running;
    const info: string[] = [];
    const error = await runOnline(db.url, slow.migrate('head'), { lockTimeout: 0.3, info }).then(
      () => null,
      (e: unknown) => e,
    );
    release();
    await holder;
    expect(error).to.be.instanceOf(MigrationLockTimeoutError);
    expect((error as Error).message).to.match(/^Gave up after 0\.3 s waiting for the migration lock on .*alembic_version, held by .*raise --lock-timeout\.$/);
    const who = { sqlite: /another connection/, postgresql: /PostgreSQL backend \d+ \(user \w+, application 'tsmig pid \d+ on [^']+'/, mysql: /connection \d+ \(user / }[dialect.name];
    expect(info).to.have.length(1);
    expect(info[0]).to.match(who);
  });

  it('leaves no lock behind when a run fails', async () => {
    const failing = memoryRevisions([{ id: 'f1', up: (x) => x.execute('INSERT INTO no_such_table VALUES (1)') }]);
    const error = await runOnline(db.url, failing.migrate('head')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(MigrationFailedError);
    const ok = memoryRevisions([slowTable('f1', 0)]);
    expect((await runOnline(db.url, ok.migrate('head'), { lockTimeout: 0 })).headsAfter).to.deep.equal(['f1']);
  });

  if (dialect.name !== 'sqlite') {
    it('is released by the server when the holding connection dies', async () => {
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const engine = createEngine(db.url);
      // While the first run's migration sleeps, its lock connection is killed from another connection.
      const revs = memoryRevisions([
        {
          id: 'k1',
          up: async () => {
            started();
            await sleep(1500);
          },
        },
      ]);
      const holder = runOnline(db.url, revs.migrate('head')).catch((e: unknown) => e);
      await running;
      await engine.connect(async (conn) => {
        const sql =
          dialect.name === 'postgresql'
            ? "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            : "SELECT ID FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK(CONCAT('tsmig:', DATABASE(), '\\:alembic_version'))";
        const rows = (await conn.execute(text(sql))).scalars().all();
        if (dialect.name === 'mysql') for (const id of rows) await conn.execute(text(`KILL ${Number(id)}`));
        await conn.commit();
      });
      const other = memoryRevisions([slowTable('k1', 0)]);
      expect((await runOnline(db.url, other.migrate('head'), { lockTimeout: 2 })).headsAfter).to.deep.equal(['k1']);
      await engine.dispose();
      // The first run lost its lock with its session; it finishes (or fails) on its own.
      await holder;
    });
  }
});
