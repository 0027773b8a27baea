/**
 * The migration runtime on each dialect, driven through MigrationContext with revisions built in memory:
 * the version table (Alembic's shape, the one-row UPDATE check), one transaction per migration or one for
 * the run, what a failing migration leaves behind (nothing of it where DDL is transactional; on MySQL an
 * error naming it and a version table naming the last good one), autocommit blocks, stamp, multidb names
 * and the offline script.
 */
import { expect } from 'chai';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { inspect } from '../../src/inspect/inspector.js';
import { MigrationFailedError, VersionTableError } from '../../src/migrate/runtime/errors.js';
import type { StepEvent } from '../../src/migrate/runtime/migration-context.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect } from '../helpers/dialects.js';
import { type MemoryRevision, memoryRevisions, runOffline, runOnline } from '../helpers/memory-revisions.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

/** A revision that creates table `t_<id>` and drops it again. */
function tableRevision(id: string, extra: Partial<MemoryRevision> = {}): MemoryRevision {
  return {
    id,
    up: (x) => x.execute(`CREATE TABLE t_${id} (id INTEGER NOT NULL PRIMARY KEY)`),
    downgrade: (x) => x.execute(`DROP TABLE t_${id}`),
    ...extra,
  };
}

/** The tables, without MySQL's run journal of any version table (test/cli/mysql-kill.test.ts is about it). */
async function tableNames(engine: Engine): Promise<string[]> {
  return (await inspect(engine).getTableNames()).filter((n) => !n.endsWith('_version_journal')).sort();
}

async function versions(engine: Engine, table = 'alembic_version'): Promise<string[]> {
  return engine.connect(async (conn) => ((await conn.execute(text(`SELECT version_num FROM ${table}`))).scalars().all() as string[]).sort());
}

forEachDialect('runtime: upgrade, downgrade and the version table', (dialect) => {
  let db: ThrowawayDatabase;
  let engine: Engine;
  const transactional = dialect.name !== 'mysql';

  before(async () => {
    db = await createThrowawayDatabase(dialect, 'runtime');
    engine = createEngine(db.url);
  });
  after(async () => {
    await engine.dispose();
    await db.drop();
  });
  afterEach(async () => {
    // Each test starts from an empty database.
    await engine.connect(async (conn) => {
      for (const name of await inspect(engine).getTableNames()) await conn.execute(text(`DROP TABLE ${name}`));
      await conn.commit();
    });
  });

  it('creates the version table in Alembic\'s shape and runs each migration once, in order', async () => {
    const revs = memoryRevisions([tableRevision('r1'), tableRevision('r2'), tableRevision('r3')]);
    const steps: StepEvent[] = [];
    const outcome = await runOnline(db.url, revs.migrate('head'), { steps });
    expect(outcome).to.deep.include({ headsBefore: [], headsAfter: ['r3'], steps: 3 });
    expect(steps.map((s) => `${s.kind} ${s.from.join(',') || 'base'}->${s.to.join(',')}`)).to.deep.equal(['upgrade base->r1', 'upgrade r1->r2', 'upgrade r2->r3']);
    expect(await tableNames(engine)).to.deep.equal(['alembic_version', 't_r1', 't_r2', 't_r3']);
    expect(await versions(engine)).to.deep.equal(['r3']);
    const [column] = await inspect(engine).getColumns('alembic_version');
    expect(column).to.include({ name: 'version_num', nullable: false });
    expect(column!.type.typeName).to.equal('String');
    expect((column!.type as unknown as { length?: number }).length).to.equal(32);
    const pk = await inspect(engine).getPkConstraint('alembic_version');
    expect(pk?.columns).to.deep.equal(['version_num']);
    if (dialect.name !== 'mysql') expect(pk?.name).to.equal('alembic_version_pkc');
    expect([...revs.calls.values()]).to.deep.equal([1, 1, 1]);

    // Nothing left to do: no step, no statement.
    expect((await runOnline(db.url, revs.migrate('head'))).steps).to.equal(0);
  });

  it('with a transaction per migration, each commit begins the next migration\'s transaction where the database can chain them', async () => {
    const revs = memoryRevisions([tableRevision('c1'), tableRevision('c2'), tableRevision('c3')]);
    const sql: string[] = [];
    await runOnline(db.url, revs.migrate('head'), { sql });
    // The first transaction creates the version table; then one per migration.
    const control = sql.filter((line) => /^(BEGIN|COMMIT)/.test(line));
    const perMigration = dialect.name !== 'sqlite' ? ['BEGIN', 'COMMIT AND CHAIN', 'COMMIT AND CHAIN', 'COMMIT'] : Array(3).fill(['BEGIN IMMEDIATE', 'COMMIT']).flat();
    expect(control.slice(2)).to.deep.equal(perMigration);
    expect(await versions(engine)).to.deep.equal(['c3']);
    expect(await tableNames(engine)).to.include.members(['t_c1', 't_c2', 't_c3']);
  });

  it('downgrades one step and to base, leaving the version table empty', async () => {
    const revs = memoryRevisions([tableRevision('r1'), tableRevision('r2')]);
    await runOnline(db.url, revs.migrate('head'));
    expect((await runOnline(db.url, revs.migrate('-1', 'down'))).headsAfter).to.deep.equal(['r1']);
    expect(await tableNames(engine)).to.deep.equal(['alembic_version', 't_r1']);
    expect((await runOnline(db.url, revs.migrate('base', 'down'))).headsAfter).to.deep.equal([]);
    expect(await tableNames(engine)).to.deep.equal(['alembic_version']);
    expect(await versions(engine)).to.deep.equal([]);
  });

  it('a failure at the 7th of 10 migrations leaves 6 applied and the version table at the 6th', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `m${i + 1}`);
    const revs = memoryRevisions(
      ids.map((id) =>
        id === 'm7'
          ? tableRevision(id, {
              up: async (x) => {
                await x.execute('CREATE TABLE t_m7 (id INTEGER NOT NULL PRIMARY KEY)');
                await x.execute('INSERT INTO no_such_table VALUES (1)');
              },
            })
          : tableRevision(id),
      ),
    );
    let error: unknown;
    try {
      await runOnline(db.url, revs.migrate('head'));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(MigrationFailedError);
    const failure = error as MigrationFailedError;
    expect(failure.revision).to.equal('m7');
    expect(failure.currentHeads).to.deep.equal(['m6']);
    expect(failure.message).to.match(/^Upgrade m6 -> m7 \(step m7\) failed/).and.include('version table names m6');
    expect(await versions(engine)).to.deep.equal(['m6']);
    const expected = ['alembic_version', ...ids.slice(0, 6).map((id) => `t_${id}`)];
    if (transactional) {
      expect(failure.message).to.include('was rolled back');
      expect(await tableNames(engine)).to.deep.equal(expected.sort());
    } else {
      // MySQL committed the CREATE TABLE of m7 before its INSERT failed: the message says so.
      expect(failure.message).to.include('mysql commits DDL as it runs').and.include('the last: CREATE TABLE t_m7');
      expect(await tableNames(engine)).to.deep.equal([...expected, 't_m7'].sort());
    }
  });

  it('a migration whose first statement fails says that none of it ran (no empty "the last:")', async () => {
    const revs = memoryRevisions([tableRevision('f1'), tableRevision('f2', { up: (x) => x.execute('INSERT INTO no_such_table VALUES (1)') })]);
    let error: unknown;
    try {
      await runOnline(db.url, revs.migrate('head'));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(MigrationFailedError);
    const message = (error as MigrationFailedError).message;
    expect(message).not.to.include('the last:');
    if (dialect.name === 'mysql') expect(message).to.include('mysql commits DDL as it runs, no statement of f2 had run before the failing one; the version table names f1');
    else expect(message).to.include('rolled back');
  });

  it('with transactionPerMigration false, a failure undoes the whole run where DDL is transactional', async () => {
    const revs = memoryRevisions([
      tableRevision('a1'),
      tableRevision('a2'),
      tableRevision('a3', { up: (x) => x.execute('INSERT INTO no_such_table VALUES (1)') }),
    ]);
    const error = await runOnline(db.url, revs.migrate('head'), { transactionPerMigration: false }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(MigrationFailedError);
    if (transactional) {
      expect((error as Error).message).to.include('the whole run was rolled back');
      expect(await tableNames(engine)).to.deep.equal([]);
    } else {
      // MySQL keeps what its DDL committed, and the version table says where that is.
      expect(await versions(engine)).to.deep.equal(['a2']);
      expect(await tableNames(engine)).to.deep.equal(['alembic_version', 't_a1', 't_a2']);
    }
  });

  it('refuses a version-table UPDATE that does not match exactly one row', async () => {
    const revs = memoryRevisions([tableRevision('v1'), tableRevision('v2')]);
    await runOnline(db.url, revs.migrate('v1'));
    // Someone edited the table by hand: the plan (from v1) no longer matches what the table says.
    await engine.connect(async (conn) => {
      await conn.execute(text("UPDATE alembic_version SET version_num = 'zz'"));
      await conn.commit();
    });
    const action = revs.migrate('head');
    const forged = { ...action, plan: () => revs.map.upgradePlan(['v1'], 'head') } as typeof action;
    const error = await runOnline(db.url, forged).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(MigrationFailedError);
    expect((error as Error).cause).to.be.instanceOf(VersionTableError);
    expect((error as Error).message).to.include("Expected to match one row when updating 'v1' to 'v2' in alembic_version, but 0 matched");
    expect(await versions(engine)).to.deep.equal(['zz']);
    if (transactional) expect(await tableNames(engine)).to.deep.equal(['alembic_version', 't_v1']);
  });

  it('runs an autocommit block outside the migration transaction', async () => {
    const revs = memoryRevisions([
      {
        id: 'ac1',
        up: async (x) => {
          await x.execute('CREATE TABLE t_ac (id INTEGER NOT NULL PRIMARY KEY, code INTEGER)');
          // PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction block.
          const concurrently = x.dialect.name === 'postgresql' ? 'CONCURRENTLY ' : '';
          await x.autocommitBlock(() => x.execute(`CREATE INDEX ${concurrently}ix_t_ac_code ON t_ac (code)`));
          await x.execute('INSERT INTO t_ac (id, code) VALUES (1, 2)');
        },
      },
    ]);
    await runOnline(db.url, revs.migrate('head'));
    expect((await inspect(engine).getIndexes('t_ac')).map((i) => i.name)).to.deep.equal(['ix_t_ac_code']);
    expect(await versions(engine)).to.deep.equal(['ac1']);
  });

  it('stamps without running migrations, and purges an unknown revision', async () => {
    const revs = memoryRevisions([tableRevision('s1'), tableRevision('s2')]);
    expect((await runOnline(db.url, revs.stamp('head'))).headsAfter).to.deep.equal(['s2']);
    expect(revs.calls.size).to.equal(0);
    expect(await versions(engine)).to.deep.equal(['s2']);
    await engine.connect(async (conn) => {
      await conn.execute(text("UPDATE alembic_version SET version_num = 'gone'"));
      await conn.commit();
    });
    expect((await runOnline(db.url, revs.stamp('s1', true))).headsAfter).to.deep.equal(['s1']);
    expect(await versions(engine)).to.deep.equal(['s1']);
    expect((await runOnline(db.url, revs.stamp('base'))).headsAfter).to.deep.equal([]);
    expect(await versions(engine)).to.deep.equal([]);
  });

  it('reads the heads without creating the version table', async () => {
    const revs = memoryRevisions([tableRevision('c1')]);
    expect((await runOnline(db.url, { kind: 'read' })).headsAfter).to.deep.equal([]);
    expect(await tableNames(engine)).to.deep.equal([]);
    await runOnline(db.url, revs.migrate('head'), { versionTable: 'other_version' });
    expect((await runOnline(db.url, { kind: 'read' }, { versionTable: 'other_version' })).headsAfter).to.deep.equal(['c1']);
    expect(await tableNames(engine)).to.deep.equal(['other_version', 't_c1']);
  });

  it('passes the database name to upgrade() in a multidb run', async () => {
    const seen: (string | undefined)[] = [];
    const revs = memoryRevisions([{ id: 'md1', up: async (_x, database) => void seen.push(database) }]);
    await runOnline(db.url, revs.migrate('head'), { databaseName: 'engine1' });
    expect(seen).to.deep.equal(['engine1']);
  });

  it('writes an offline script: version table, literal values, BEGIN/COMMIT where DDL is transactional', async () => {
    const revs = memoryRevisions([
      tableRevision('o1'),
      {
        id: 'o2',
        up: async (x) => {
          await x.execute(text('INSERT INTO t_o1 (id) VALUES (:id)'), { id: 7 });
          await x.autocommitBlock(() => x.execute('CREATE INDEX ix_o ON t_o1 (id)'));
        },
      },
    ]);
    const script = await runOffline(db.url, revs.migrate('head'));
    const create = 'CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL,\n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);';
    expect(script).to.include(create);
    expect(script).to.include('-- Running upgrade base -> o1, step o1\n\nCREATE TABLE t_o1 (id INTEGER NOT NULL PRIMARY KEY);');
    expect(script).to.include("INSERT INTO alembic_version (version_num) VALUES ('o1');");
    expect(script).to.include('INSERT INTO t_o1 (id) VALUES (7);');
    expect(script).to.include("UPDATE alembic_version SET version_num='o2' WHERE alembic_version.version_num = 'o1';");
    if (transactional) {
      expect(script.match(/^BEGIN;$/gm)?.length).to.equal(4);
      expect(script.match(/^COMMIT;$/gm)?.length).to.equal(4);
      expect(script).to.include(
        '-- tsmig: autocommit block: the statements below run outside a transaction\n\nCOMMIT;\n\nCREATE INDEX ix_o ON t_o1 (id);\n\n-- tsmig: end of autocommit block\n\nBEGIN;',
      );
    } else {
      expect(script).not.to.match(/^(BEGIN|COMMIT);$/m);
    }
    // Offline never touches the database.
    expect(await tableNames(engine)).to.deep.equal([]);

    const down = await runOffline(db.url, revs.migrate('base', 'down'), { startingHeads: ['o2'] });
    expect(down).to.include("DELETE FROM alembic_version WHERE alembic_version.version_num = 'o1';");
    expect(down).not.to.include('CREATE TABLE alembic_version');
  });
});
