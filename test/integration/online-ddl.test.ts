/**
 * Online schema changes on the real servers: PostgreSQL foreign keys and checks added `NOT VALID` (new rows
 * checked at once, old ones left until `op.validateConstraint()`, which then fails on a bad row), MySQL's
 * `ALGORITHM=` / `LOCK=` clauses (taken where the server can, refused by the server with its reason where
 * it cannot), SQLite ignoring both; the offline SQL per dialect; and autogenerate with `onlineDdl` writing
 * the online form for existing tables only.
 */
import { expect } from 'chai';
import { getDialect } from '../../src/dialects/index.js';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { preferOnlineDdl } from '../../src/migrate/autogenerate/online-ddl.js';
import { renderMigration } from '../../src/migrate/autogenerate/render/render.js';
import { produceMigration } from '../../src/migrate/autogenerate/api.js';
import { op } from '../../src/migrate/operations/operations.js';
import { column } from '../../src/schema/column.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { ForeignKeyConstraint } from '../../src/schema/constraints.js';
import { text } from '../../src/sql/elements/text.js';
import { t } from '../../src/types/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { runOffline, runOnline } from '../helpers/migration-executors.js';

const TABLES = ['onl_movies', 'onl_directors'];

describe('online schema changes: the SQL per dialect (offline)', () => {
  const sql = (name: 'sqlite' | 'postgresql' | 'mysql', work: () => Promise<unknown>) => runOffline(getDialect(name), work);

  it('NOT VALID and VALIDATE CONSTRAINT on PostgreSQL; MySQL and SQLite add the constraint as usual and validate nothing', async () => {
    const work = async () => {
      await op.createForeignKey('fk_m_d', 'onl_movies', 'onl_directors', ['director_id'], ['id'], { notValid: true });
      await op.createCheckConstraint('ck_m_year', 'onl_movies', 'year > 1888', { notValid: true });
      await op.validateConstraint('fk_m_d', 'onl_movies');
    };
    const pg = await sql('postgresql', work);
    expect(pg.filter((l) => l.startsWith('ALTER'))).to.deep.equal([
      'ALTER TABLE onl_movies ADD CONSTRAINT fk_m_d FOREIGN KEY(director_id) REFERENCES onl_directors (id) NOT VALID',
      'ALTER TABLE onl_movies ADD CONSTRAINT ck_m_year CHECK (year > 1888) NOT VALID',
      'ALTER TABLE onl_movies VALIDATE CONSTRAINT fk_m_d',
    ]);
    const my = await sql('mysql', work);
    expect(my.filter((l) => l.startsWith('ALTER'))).to.deep.equal([
      'ALTER TABLE onl_movies ADD CONSTRAINT fk_m_d FOREIGN KEY(director_id) REFERENCES onl_directors (id)',
      'ALTER TABLE onl_movies ADD CONSTRAINT ck_m_year CHECK (year > 1888)',
    ]);
  });

  it("MySQL's ALGORITHM and LOCK at the end of ALTER TABLE, CREATE INDEX and DROP INDEX; the others ignore them", async () => {
    const work = async () => {
      await op.addColumn('onl_movies', 'rating', column(t.Integer()), { algorithm: 'INSTANT' });
      await op.dropColumn('onl_movies', 'rating', { algorithm: 'INPLACE', lock: 'NONE' });
      await op.alterColumn('onl_movies', 'title', { nullable: true, existingType: t.String(100), lock: 'SHARED' });
      await op.createIndex('ix_m_year', 'onl_movies', ['year'], { algorithm: 'INPLACE', lock: 'NONE' });
      await op.dropIndex('ix_m_year', { table: 'onl_movies', algorithm: 'INPLACE', lock: 'NONE' });
    };
    expect((await sql('mysql', work)).filter((l) => /^(ALTER|CREATE|DROP)/.test(l))).to.deep.equal([
      'ALTER TABLE onl_movies ADD COLUMN rating INTEGER, ALGORITHM=INSTANT',
      'ALTER TABLE onl_movies DROP COLUMN rating, ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE onl_movies MODIFY title VARCHAR(100) NULL, LOCK=SHARED',
      'CREATE INDEX ix_m_year ON onl_movies (year) ALGORITHM=INPLACE LOCK=NONE',
      'ALTER TABLE onl_movies DROP INDEX ix_m_year, ALGORITHM=INPLACE, LOCK=NONE',
    ]);
    expect((await sql('postgresql', work)).filter((l) => /^(ALTER|CREATE|DROP)/.test(l))).to.deep.equal([
      'ALTER TABLE onl_movies ADD COLUMN rating INTEGER',
      'ALTER TABLE onl_movies DROP COLUMN rating',
      'ALTER TABLE onl_movies ALTER COLUMN title DROP NOT NULL',
      'CREATE INDEX ix_m_year ON onl_movies (year)',
      'DROP INDEX ix_m_year',
    ]);
  });
});

forEachDialect('online schema changes', (dialect) => {
  let engine: Engine;

  before(() => {
    engine = createEngine(dialect.url);
  });
  after(async () => {
    await cleanup();
    await engine.dispose();
  });
  beforeEach(cleanup);

  async function cleanup(): Promise<void> {
    await engine.connect(async (conn) => {
      for (const table of TABLES) await conn.execute(text(`DROP TABLE IF EXISTS ${table}${dialect.name === 'postgresql' ? ' CASCADE' : ''}`));
      await conn.commit();
    });
  }

  async function moviesWithAnOrphan(): Promise<void> {
    await runOnline(engine, async () => {
      await op.createTable('onl_directors', { id: column(t.Integer(), { primaryKey: true }) });
      const movies = await op.createTable('onl_movies', {
        id: column(t.Integer(), { primaryKey: true }),
        title: column(t.String(100), { nullable: false }),
        year: column(t.Integer()),
        director_id: column(t.Integer()),
      });
      // A movie whose director does not exist, and one from before cinema.
      await op.bulkInsert(movies, [{ id: 1, title: 'Alien', year: 1800, director_id: 7 }]);
    });
  }

  const insert = (sql: string) => engine.begin((c) => c.execute(text(sql)));

  if (dialect.name === 'postgresql') {
    it('NOT VALID leaves the old rows alone but checks new ones; validateConstraint then fails on the bad row, and passes once it is fixed', async () => {
      await moviesWithAnOrphan();
      await runOnline(engine, async () => {
        await op.createForeignKey('fk_onl_movies_director', 'onl_movies', 'onl_directors', ['director_id'], ['id'], { notValid: true });
        await op.createCheckConstraint('ck_onl_movies_year', 'onl_movies', 'year > 1888', { notValid: true });
      });
      let rows = await engine.connect(async (c) => (await c.execute(text("SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'onl_movies'::regclass AND contype IN ('f', 'c') ORDER BY conname"))).all());
      expect(rows.map((r) => [r[0], r[1]])).to.deep.equal([['ck_onl_movies_year', false], ['fk_onl_movies_director', false]]);
      let error: unknown = null;
      try {
        await insert("INSERT INTO onl_movies VALUES (2, 'Heat', 1995, 99)");
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.match(/fk_onl_movies_director/);

      error = null;
      try {
        await runOnline(engine, () => op.validateConstraint('fk_onl_movies_director', 'onl_movies'));
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.match(/violates foreign key constraint "fk_onl_movies_director"/);

      await insert('INSERT INTO onl_directors VALUES (7)');
      await insert('UPDATE onl_movies SET year = 1979');
      await runOnline(engine, async () => {
        await op.validateConstraint('fk_onl_movies_director', 'onl_movies');
        await op.validateConstraint('ck_onl_movies_year', 'onl_movies');
      });
      rows = await engine.connect(async (c) => (await c.execute(text("SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'onl_movies'::regclass AND contype IN ('f', 'c') ORDER BY conname"))).all());
      expect(rows.map((r) => [r[0], r[1]])).to.deep.equal([['ck_onl_movies_year', true], ['fk_onl_movies_director', true]]);
    });
  } else {
    it('notValid is ignored: the constraint is checked when added (the orphan row refuses it), and validateConstraint does nothing', async () => {
      await moviesWithAnOrphan();
      await insert('INSERT INTO onl_directors VALUES (7)');
      await runOnline(engine, async () => {
        await op.createForeignKey('fk_onl_movies_director', 'onl_movies', 'onl_directors', ['director_id'], ['id'], { notValid: true });
        await op.validateConstraint('fk_onl_movies_director', 'onl_movies');
      });
      const table = (await engine.reflectSchema()).tables.find((x) => x.name === 'onl_movies')!;
      expect(table.foreignKeys.map((fk) => fk.referredTable)).to.deep.equal(['onl_directors']);
    });
  }

  if (dialect.name === 'mysql') {
    it('ALGORITHM=INSTANT / INPLACE, LOCK=NONE run where the server can; where it cannot, the server refuses and names the way it can', async () => {
      await moviesWithAnOrphan();
      await runOnline(engine, async () => {
        await op.addColumn('onl_movies', 'rating', column(t.Integer()), { algorithm: 'INSTANT' });
        await op.createIndex('ix_onl_movies_year', 'onl_movies', ['year'], { algorithm: 'INPLACE', lock: 'NONE' });
        await op.dropIndex('ix_onl_movies_year', { table: 'onl_movies', algorithm: 'INPLACE', lock: 'NONE' });
      });
      const table = (await engine.reflectSchema()).tables.find((x) => x.name === 'onl_movies')!;
      expect(table.columns.map((c) => c.name)).to.include('rating');
      // Changing a column's type rewrites every row: not INSTANT, and not without blocking writes.
      let error: unknown = null;
      try {
        await runOnline(engine, () => op.alterColumn('onl_movies', 'year', { type: t.String(20), existingType: t.Integer(), existingNullable: true, algorithm: 'INPLACE', lock: 'NONE' }));
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.match(/ALGORITHM=INPLACE is not supported|LOCK=NONE is not supported/);
      expect(String(error)).to.match(/Try ALGORITHM=COPY|Try LOCK=SHARED/);
    });
  } else {
    it('algorithm and lock are ignored: the change runs as usual', async () => {
      await moviesWithAnOrphan();
      await runOnline(engine, async () => {
        await op.addColumn('onl_movies', 'rating', column(t.Integer()), { algorithm: 'INSTANT' });
        await op.createIndex('ix_onl_movies_year', 'onl_movies', ['year'], { algorithm: 'INPLACE', lock: 'NONE' });
      });
      const table = (await engine.reflectSchema()).tables.find((x) => x.name === 'onl_movies')!;
      expect(table.columns.map((c) => c.name)).to.include('rating');
      expect(table.indexes.map((ix) => ix.name)).to.include('ix_onl_movies_year');
    });
  }

  it('autogenerate with onlineDdl: the online form for tables that exist, the plain one for a table the revision creates', async () => {
    await moviesWithAnOrphan();
    const metadata = new MetaData();
    new Table('onl_directors', metadata, { id: column(t.Integer(), { primaryKey: true }) });
    new Table(
      'onl_movies',
      metadata,
      {
        id: column(t.Integer(), { primaryKey: true }),
        title: column(t.String(100), { nullable: false }),
        year: column(t.Integer()),
        director_id: column(t.Integer()),
        rating: column(t.Integer()),
      },
      { constraints: (c) => [index('ix_onl_movies_year', [c.year]), new ForeignKeyConstraint([c.director_id], ['onl_directors.id'], { name: 'fk_onl_movies_director' })] },
    );
    const plan = await engine.connect((connection) => produceMigration(connection, metadata, { includeName: (name, type) => type !== 'table' || name === null || name.startsWith('onl_') }));
    const { upgradeBody, downgradeBody } = renderMigration(preferOnlineDdl(plan, dialect.name), dialect.name);
    // The changes to onl_movies come as one batch, as a new foreign key makes SQLite rebuild the table
    // (its copyFrom is left out here); PostgreSQL and MySQL run them one by one, in their online forms.
    const batch = (ops: readonly string[]) => `await op.batchAlterTable('onl_movies', (batch) => { ${ops.map((o) => `batch.${o};`).join(' ')} });`;
    const expected = {
      postgresql: [
        batch([
          "createIndex('ix_onl_movies_year', ['year'], { concurrently: true })",
          "addColumn('rating', column(t.Integer()))",
          "createForeignKey('fk_onl_movies_director', 'onl_directors', ['director_id'], ['id'], { notValid: true })",
        ]),
        "await op.validateConstraint('fk_onl_movies_director', 'onl_movies');",
      ],
      mysql: [
        batch([
          "createIndex('ix_onl_movies_year', ['year'], { algorithm: 'INPLACE', lock: 'NONE' })",
          "addColumn('rating', column(t.Integer()), { algorithm: 'INSTANT' })",
          "createForeignKey('fk_onl_movies_director', 'onl_directors', ['director_id'], ['id'])",
        ]),
      ],
      sqlite: null,
    }[dialect.name];
    // One statement per entry, a call the renderer wrapped over several lines joined back.
    const lines = upgradeBody
      .replace(/\/\/.*$/gm, '')
      .replace(/\s+/g, ' ')
      .replace(/\( /g, '(')
      .replace(/,? \)/g, ')')
      .replace(/\}, \{ copyFrom: .*?\}, \}\);/g, '});')
      .split(/(?=await )/)
      .map((l) => l.trim())
      .filter((l) => l.startsWith('await'));
    if (expected !== null) {
      expect(lines).to.deep.equal(expected);
      expect(downgradeBody).to.not.include('validateConstraint');
      expect(downgradeBody).to.include("batch.dropConstraint('fk_onl_movies_director'");
    } else {
      expect(upgradeBody).to.not.match(/concurrently|notValid|algorithm/);
    }
  });
});
