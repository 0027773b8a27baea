/**
 * SQLite's table rebuild (move and copy), online: what `op.batchAlterTable()` and the operations that
 * rebuild on their own do to a real database. The point of most tests is that no row is lost: a parent
 * table with ON DELETE CASCADE children is rebuilt and every child row is counted before and after.
 * Each test gets its own database file, so suites cannot see each other's tables.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { op } from '../../src/migrate/operations/operations.js';
import { column } from '../../src/schema/column.js';
import { MetaData } from '../../src/schema/metadata.js';
import type { ReflectedTable } from '../../src/schema/reflected.js';
import { Table } from '../../src/schema/table.js';
import { text } from '../../src/sql/elements/text.js';
import { t } from '../../src/types/index.js';
import { findDialect } from '../helpers/dialects.js';
import { runOnline } from '../helpers/migration-executors.js';

const sqlite = findDialect('sqlite');

(sqlite === undefined ? describe.skip : describe)('sqlite: batch rebuild', () => {
  let dir: string;
  let engine: Engine;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tsmig-batch-'));
    engine = createEngine(`sqlite:///${path.join(dir, 'batch.db')}`);
  });

  afterEach(async () => {
    await engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sql(...statements: string[]): Promise<void> {
    await engine.begin(async (conn) => {
      for (const statement of statements) await conn.execute(text(statement));
    });
  }

  async function rows(query: string): Promise<Record<string, unknown>[]> {
    return engine.connect(async (conn) => (await conn.execute(text(query))).mappings().all() as Record<string, unknown>[]);
  }

  async function count(table: string): Promise<number> {
    const [row] = await rows(`SELECT count(*) AS n FROM ${table}`);
    return Number(row!.n);
  }

  async function reflected(name: string): Promise<ReflectedTable> {
    const table = (await engine.reflectSchema()).tables.find((t) => t.name === name);
    expect(table, `table ${name}`).to.not.equal(undefined);
    return table!;
  }

  /** A parent with two levels of ON DELETE CASCADE children and a RESTRICT child: any DROP with enforcement on would show. */
  async function family(): Promise<void> {
    await sql(
      'CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(20), code INTEGER)',
      'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE)',
      'CREATE TABLE grandchild (id INTEGER PRIMARY KEY, child_id INTEGER REFERENCES child (id) ON DELETE CASCADE)',
      'CREATE TABLE pinned (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE RESTRICT)',
      "INSERT INTO parent (id, name, code) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)",
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60) INSERT INTO child (id, parent_id) SELECT i, 1 + i % 3 FROM n',
      'INSERT INTO grandchild (id, child_id) SELECT id, id FROM child',
      'INSERT INTO pinned (id, parent_id) VALUES (1, 2)',
    );
  }

  async function familyCounts(): Promise<Record<string, number>> {
    return { parent: await count('parent'), child: await count('child'), grandchild: await count('grandchild'), pinned: await count('pinned') };
  }

  it('rebuilds a parent table with ON DELETE CASCADE children without losing a child row', async () => {
    await family();
    const before = await familyCounts();
    expect(before).to.deep.equal({ parent: 3, child: 60, grandchild: 60, pinned: 1 });

    const log = await runOnline(engine, async (executor) => {
      await op.alterColumn('parent', 'name', { nullable: false, type: t.String(50) });
      return executor.log;
    });

    expect(await familyCounts()).to.deep.equal(before);
    expect(await rows('PRAGMA foreign_key_check')).to.deep.equal([]);
    expect(await rows('PRAGMA foreign_keys')).to.deep.equal([{ foreign_keys: 1 }]);
    // Switched off outside the transaction, where the PRAGMA takes effect, and checked before COMMIT.
    const off = log.indexOf('PRAGMA foreign_keys = OFF');
    expect(off).to.be.greaterThan(log.indexOf('COMMIT'));
    expect(log.indexOf('COMMIT')).to.be.greaterThan(-1);
    expect(log[off + 1]).to.equal('BEGIN');
    expect(log.indexOf('PRAGMA foreign_key_check')).to.be.greaterThan(log.indexOf('DROP TABLE parent'));
    const parent = await reflected('parent');
    expect(parent.columns.map((c) => [c.name, c.nullable, String(c.type)])).to.deep.equal([
      ['id', false, 'Integer()'],
      ['name', false, 'String(50)'],
      ['code', true, 'Integer()'],
    ]);
    expect((await reflected('child')).foreignKeys.map((fk) => [fk.referredTable, fk.onDelete])).to.deep.equal([['parent', 'CASCADE']]);
  });

  it('shows why: with the PRAGMA set inside the transaction, the same DROP deletes the children', async () => {
    await family();
    await sql('DELETE FROM pinned');
    await engine.connect(async (conn) => {
      // The engine turns enforcement on for every connection.
      await conn.begin(async () => {
        // Ignored: a transaction is open.
        await conn.execute(text('PRAGMA foreign_keys = OFF'));
        await conn.execute(text('CREATE TABLE _naive_parent (id INTEGER PRIMARY KEY, name VARCHAR(20), code INTEGER)'));
        await conn.execute(text('INSERT INTO _naive_parent SELECT * FROM parent'));
        await conn.execute(text('DROP TABLE parent'));
        await conn.execute(text('ALTER TABLE _naive_parent RENAME TO parent'));
      });
    });
    expect(await count('child')).to.equal(0);
    expect(await count('grandchild')).to.equal(0);
  });

  it('applies a whole batch in one rebuild and keeps the data of kept and renamed columns', async () => {
    await family();
    const before = await familyCounts();
    const log = await runOnline(engine, async (executor) => {
      await op.batchAlterTable('parent', async (batch) => {
        batch.addColumn('note', column(t.Text(), { serverDefault: 'none', nullable: false }));
        batch.alterColumn('name', { newName: 'label' });
        batch.alterColumn('code', { type: t.BigInteger(), nullable: false, serverDefault: '0' });
        batch.createUniqueConstraint('uq_parent_label', ['label']);
        batch.createCheckConstraint('ck_parent_code', 'code >= 0');
        batch.createIndex('ix_parent_code', ['code']);
      });
      return executor.log;
    });
    expect(log.filter((line) => line.startsWith('CREATE TABLE'))).to.have.length(1);
    expect(await familyCounts()).to.deep.equal(before);
    expect(await rows('SELECT id, label, code, note FROM parent ORDER BY id')).to.deep.equal([
      { id: 1, label: 'a', code: 10, note: 'none' },
      { id: 2, label: 'b', code: 20, note: 'none' },
      { id: 3, label: 'c', code: 30, note: 'none' },
    ]);
    const parent = await reflected('parent');
    expect(parent.columns.map((c) => [c.name, String(c.type), c.nullable, c.default])).to.deep.equal([
      ['id', 'Integer()', false, null],
      ['label', 'String(20)', true, null],
      ['code', 'BigInteger()', false, "'0'"],
      ['note', 'Text()', false, "'none'"],
    ]);
    expect(parent.uniqueConstraints).to.deep.equal([{ name: 'uq_parent_label', columns: ['label'] }]);
    expect(parent.checkConstraints).to.deep.equal([{ name: 'ck_parent_code', sqltext: 'code >= 0' }]);
    expect(parent.indexes.filter((ix) => !ix.implicit).map((ix) => [ix.name, ix.columns])).to.deep.equal([['ix_parent_code', ['code']]]);
  });

  it('a type change CASTs the copied values, as an ALTER would convert them (text and reals into INTEGER become integers)', async () => {
    await sql('CREATE TABLE items (id INTEGER PRIMARY KEY, qty VARCHAR(10), price REAL, born DATE)', "INSERT INTO items VALUES (1, '12', 2.5, '2024-01-02'), (2, '3.7', 3, NULL)");
    const log = await runOnline(engine, async (executor) => {
      await op.alterColumn('items', 'qty', { type: t.Integer(), existingType: t.String(10) });
      await op.batchAlterTable('items', async (batch) => {
        batch.alterColumn('price', { type: t.String(20) });
        batch.alterColumn('born', { type: t.DateTime() });
      });
      return executor.log;
    });
    expect(log.filter((line) => line.startsWith('INSERT INTO'))).to.deep.equal([
      'INSERT INTO _tsmig_tmp_items (id, qty, price, born) SELECT id, CAST(qty AS INTEGER), price, born FROM items',
      'INSERT INTO _tsmig_tmp_items (id, qty, price, born) SELECT id, qty, CAST(price AS VARCHAR(20)), born FROM items',
    ]);
    expect(await rows('SELECT id, qty, typeof(qty) AS q, price, typeof(price) AS p, born FROM items ORDER BY id')).to.deep.equal([
      { id: 1, qty: 12, q: 'integer', price: '2.5', p: 'text', born: '2024-01-02' },
      { id: 2, qty: 3, q: 'integer', price: '3.0', p: 'text', born: null },
    ]);
  });

  it('recreates indexes and triggers, and leaves views working', async () => {
    await sql(
      'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER, obsolete TEXT)',
      'CREATE INDEX ix_items_name ON items (name)',
      'CREATE UNIQUE INDEX ux_items_lower ON items (lower(name))',
      'CREATE TABLE audit (item_id INTEGER, what TEXT)',
      "CREATE TRIGGER items_audit AFTER INSERT ON items BEGIN INSERT INTO audit VALUES (new.id, 'insert \\:ok'); END",
      'CREATE TABLE feed (x INTEGER)',
      "CREATE TRIGGER feed_items AFTER INSERT ON feed BEGIN INSERT INTO items (name, qty) VALUES ('fed', new.x); END",
      'CREATE VIEW item_names AS SELECT id, name FROM items',
      "INSERT INTO items (id, name, qty, obsolete) VALUES (1, 'bolt', 5, 'x')",
    );
    await runOnline(engine, async () => {
      await op.batchAlterTable('items', async (batch) => {
        batch.alterColumn('qty', { nullable: false, serverDefault: '0' });
        batch.dropColumn('obsolete');
      });
    });
    const items = await reflected('items');
    expect(items.indexes.map((ix) => [ix.name, ix.columns, ix.expressions, ix.unique])).to.deep.equal([
      ['ix_items_name', ['name'], [null], false],
      ['ux_items_lower', [null], ['lower(name)'], true],
    ]);
    await sql('INSERT INTO feed VALUES (7)');
    expect(await rows('SELECT id, name, qty FROM items ORDER BY id')).to.deep.equal([
      { id: 1, name: 'bolt', qty: 5 },
      { id: 2, name: 'fed', qty: 7 },
    ]);
    expect(await rows('SELECT * FROM audit')).to.deep.equal([
      { item_id: 1, what: 'insert :ok' },
      { item_id: 2, what: 'insert :ok' },
    ]);
    expect(await rows('SELECT * FROM item_names ORDER BY id')).to.deep.equal([
      { id: 1, name: 'bolt' },
      { id: 2, name: 'fed' },
    ]);
  });

  it('rolls back, table untouched, when the rebuild would break a view', async () => {
    await sql(
      'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)',
      'CREATE VIEW item_qty AS SELECT id, qty FROM items',
      "INSERT INTO items VALUES (1, 'bolt', 5)",
    );
    let error: unknown;
    try {
      await runOnline(engine, async () => {
        await op.batchAlterTable('items', async (batch) => {
          batch.dropColumn('qty');
          batch.alterColumn('name', { nullable: false });
        });
      });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/rebuilding table "items" breaks view "item_qty"/);
    expect((await reflected('items')).columns.map((c) => c.name)).to.deep.equal(['id', 'name', 'qty']);
    expect(await rows('SELECT * FROM item_qty')).to.deep.equal([{ id: 1, qty: 5 }]);
    expect(await rows('PRAGMA foreign_keys')).to.deep.equal([{ foreign_keys: 1 }]);
  });

  it('fails loudly and changes nothing when the new definition does not fit the rows', async () => {
    await family();
    await sql("UPDATE parent SET name = NULL WHERE id = 2");
    const before = await familyCounts();
    let error: unknown;
    try {
      await runOnline(engine, () => op.alterColumn('parent', 'name', { nullable: false }));
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).to.equal('IntegrityError');
    expect(await familyCounts()).to.deep.equal(before);
    expect((await reflected('parent')).columns.find((c) => c.name === 'name')!.nullable).to.equal(true);
  });

  it('rolls back a rebuild that leaves rows breaking a foreign key (PRAGMA foreign_key_check)', async () => {
    await sql(
      'CREATE TABLE owners (id INTEGER PRIMARY KEY)',
      'CREATE TABLE pets (id INTEGER PRIMARY KEY, owner_id INTEGER)',
      'INSERT INTO owners VALUES (1)',
      'INSERT INTO pets VALUES (1, 1), (2, 99)',
    );
    let error: unknown;
    try {
      await runOnline(engine, () => op.createForeignKey('fk_pets_owner', 'pets', 'owners', ['owner_id'], ['id']));
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/foreign key violations/);
    expect((await reflected('pets')).foreignKeys).to.deep.equal([]);
    expect(await count('pets')).to.equal(2);
  });

  it('adds and drops constraints by rebuilding, and drops a column natively unless something uses it', async () => {
    await family();
    const before = await familyCounts();
    const log = await runOnline(engine, async (executor) => {
      await op.createUniqueConstraint('uq_parent_name', 'parent', ['name']);
      await op.createIndex('ix_parent_code', 'parent', ['code']);
      await op.dropColumn('parent', 'code');
      await op.dropConstraint('uq_parent_name', 'parent', { type: 'unique' });
      await op.addColumn('parent', 'extra', column(t.Integer()));
      await op.dropColumn('parent', 'extra');
      return executor.log;
    });
    expect(log.filter((line) => line.startsWith('DROP TABLE parent'))).to.have.length(3);
    expect(log).to.include('ALTER TABLE parent ADD COLUMN extra INTEGER');
    expect(log).to.include('ALTER TABLE parent DROP COLUMN extra');
    expect(await familyCounts()).to.deep.equal(before);
    const parent = await reflected('parent');
    expect(parent.columns.map((c) => c.name)).to.deep.equal(['id', 'name']);
    expect(parent.uniqueConstraints).to.deep.equal([]);
    expect(parent.indexes).to.deep.equal([]);
  });

  it('rebuilds a self-referencing table and keeps its rows and key', async () => {
    await sql(
      'CREATE TABLE nodes (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES nodes (id) ON DELETE CASCADE, label TEXT)',
      "INSERT INTO nodes VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'b')",
    );
    await runOnline(engine, () => op.alterColumn('nodes', 'label', { nullable: false }));
    expect(await count('nodes')).to.equal(3);
    expect((await reflected('nodes')).foreignKeys.map((fk) => [fk.columns, fk.referredTable, fk.onDelete])).to.deep.equal([
      [['parent_id'], 'nodes', 'CASCADE'],
    ]);
  });

  it("honours recreate: 'always' and 'never', and copyFrom online", async () => {
    await sql('CREATE TABLE things (id INTEGER PRIMARY KEY, a TEXT)', "INSERT INTO things VALUES (1, 'x')");
    const log = await runOnline(engine, async (executor) => {
      await op.batchAlterTable('things', (batch) => batch.addColumn('b', column(t.Integer())), { recreate: 'always' });
      return executor.log;
    });
    expect(log.some((line) => line.startsWith('CREATE TABLE _tsmig_tmp_things'))).to.equal(true);

    let error: unknown;
    try {
      await runOnline(engine, () => op.batchAlterTable('things', (batch) => batch.alterColumn('a', { nullable: false }), { recreate: 'never' }));
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/recreate: 'never'.*cannot run AlterColumnOp without rebuilding/);

    const copyFrom = new Table('things', new MetaData(), {
      id: column(t.Integer(), { primaryKey: true }),
      a: column(t.Text()),
      b: column(t.Integer()),
    });
    await runOnline(engine, () => op.batchAlterTable('things', (batch) => batch.alterColumn('a', { nullable: false }), { copyFrom }));
    expect(await rows('SELECT * FROM things')).to.deep.equal([{ id: 1, a: 'x', b: null }]);
    expect((await reflected('things')).columns.map((c) => [c.name, c.nullable])).to.deep.equal([
      ['id', false],
      ['a', false],
      ['b', true],
    ]);
  });

  it('keeps an AUTOINCREMENT key and its counter through a rebuild: a deleted id is not given again', async () => {
    await sql(
      'CREATE TABLE counters (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER)',
      'INSERT INTO counters (n) VALUES (1), (2), (3)',
      'DELETE FROM counters WHERE id = 3',
    );
    await runOnline(engine, () => op.alterColumn('counters', 'n', { nullable: false, existingType: t.Integer() }));
    expect(String((await rows("SELECT sql FROM sqlite_master WHERE name = 'counters'"))[0]!.sql)).to.match(/PRIMARY KEY AUTOINCREMENT/);
    await sql('INSERT INTO counters (n) VALUES (4)');
    expect((await rows('SELECT id FROM counters ORDER BY id')).map((r) => Number(r.id))).to.deep.equal([1, 2, 4]);
  });

  it('refuses a WITHOUT ROWID table, which the rebuilt table would lose', async () => {
    await sql(
      'CREATE TABLE pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID',
      'CREATE TABLE sums (a INTEGER, b INTEGER, total INTEGER GENERATED ALWAYS AS (a + b))',
    );
    let error: unknown;
    await runOnline(engine, () => op.alterColumn('pairs', 'a', { nullable: false })).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/cannot rebuild table "pairs": it is WITHOUT ROWID/);
  });

  it('keeps generated columns through a rebuild: reflected with their expression, computed again, never copied', async () => {
    await sql(
      'CREATE TABLE sums (a INTEGER, b INTEGER, total INTEGER GENERATED ALWAYS AS (a + b), kept INTEGER AS (a * 2) STORED)',
      'INSERT INTO sums (a, b) VALUES (1, 2)',
    );
    await runOnline(engine, () => op.alterColumn('sums', 'a', { nullable: false }));
    expect(await rows('SELECT a, b, total, kept FROM sums')).to.deep.equal([{ a: 1, b: 2, total: 3, kept: 2 }]);
    const columns = (await reflected('sums')).columns;
    expect(columns.map((c) => [c.name, c.computed ?? null])).to.deep.equal([
      ['a', null],
      ['b', null],
      ['total', { sqltext: 'a + b', persisted: false }],
      ['kept', { sqltext: 'a * 2', persisted: true }],
    ]);
  });
});
