/**
 * Identity and computed (generated) columns through the one schema model on each dialect: the column
 * options -> DDL -> reflection -> autogenerate (nothing to do when the database has them; an
 * `alterColumn` for a changed identity, a drop and add for a changed generated column) -> the rendered
 * revision, which runs both ways. PostgreSQL has identity columns; on MySQL and SQLite an identity is
 * the autoincrement key, and anything else is refused.
 */
import { expect } from 'chai';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { compareTable } from '../../src/migrate/autogenerate/compare-table.js';
import { renderMigration } from '../../src/migrate/autogenerate/render/render.js';
import { implFor } from '../../src/migrate/impl/index.js';
import { column, type IdentityOptions } from '../../src/schema/column.js';
import { CreateTable } from '../../src/schema/ddl.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { text } from '../../src/sql/elements/text.js';
import { t } from '../../src/types/index.js';
import { autogenerate, emptyDatabase, runRevision, summarize, writeRevision } from '../helpers/autogenerate.js';
import { forEachDialect } from '../helpers/dialects.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

interface Shape {
  readonly identity?: IdentityOptions;
  readonly total?: string;
  readonly totalStored?: boolean;
}

/** An order line whose id is an identity and whose totals the database computes. */
function model(shape: Shape = {}): MetaData {
  const metadata = new MetaData();
  new Table('items', metadata, {
    id: column(t.Integer(), { primaryKey: true, identity: shape.identity ?? { start: 100, increment: 5 } }),
    price: column(t.Integer(), { nullable: false }),
    qty: column(t.Integer(), { nullable: false }),
    total: column(t.Integer(), { computed: { sqltext: shape.total ?? 'price * qty', persisted: shape.totalStored ?? true } }),
    // The database's default kind: STORED on PostgreSQL, VIRTUAL on MySQL, MariaDB and SQLite.
    next: column(t.Integer(), { computed: { sqltext: 'price + 1' } }),
  }, { constraints: (c) => [index('ix_items_total', [c.total])] });
  return metadata;
}

forEachDialect('identity and computed columns', function (dialect) {
  this.timeout(120_000);
  let db: ThrowawayDatabase;
  let engine: Engine;
  let project: TempProject;
  const postgresql = dialect.name === 'postgresql';
  const sql = (...statements: string[]) =>
    engine.begin(async (conn) => {
      let rows: Record<string, unknown>[] = [];
      for (const statement of statements) rows = (await conn.execute(text(statement))).mappings().all() as Record<string, unknown>[];
      return rows;
    });
  const reflectedLines = async () => (await engine.reflectSchema()).tables.find((x) => x.name === 'items')!;
  const values = async () =>
    (await sql('SELECT id, total, next FROM items ORDER BY id')).map((r) => [Number(r['id']), Number(r['total']), Number(r['next'])]);

  before(async () => {
    db = await createThrowawayDatabase(dialect, 'generated');
    engine = createEngine(db.url);
    project = createTempProject();
  });
  after(async () => {
    await engine.dispose();
    await db.drop();
    project.remove();
  });
  beforeEach(() => emptyDatabase(engine));

  it('are created, filled by the database, reflected and compared clean', async () => {
    const metadata = model();
    await metadata.createAll(engine);
    await sql('INSERT INTO items (price, qty) VALUES (2, 3)', 'INSERT INTO items (price, qty) VALUES (4, 5)');
    // PostgreSQL numbers from the identity's START and INCREMENT; MySQL's AUTO_INCREMENT and SQLite's
    // AUTOINCREMENT start at START and count by one.
    const ids = { postgresql: [100, 105], mysql: [100, 101], sqlite: [100, 101] }[dialect.name];
    expect(await values()).to.deep.equal([[ids[0], 6, 3], [ids[1], 20, 5]]);
    const reflected = await reflectedLines();
    const col = (name: string) => reflected.columns.find((c) => c.name === name)!;
    // SQLite's AUTOINCREMENT key reads back as an identity starting where its counter goes on.
    expect(col('id').identity).to.deep.equal({ postgresql: { start: 100, increment: 5 }, mysql: undefined, sqlite: { start: 102 } }[dialect.name]);
    expect(col('id').autoincrement).to.equal(true);
    expect(col('total').computed?.persisted).to.equal(true);
    expect(col('next').computed?.persisted).to.equal(postgresql);
    expect(col('total').computed?.sqltext.replace(/[`()\s]/g, '')).to.equal('price*qty');
    expect(col('price').computed).to.equal(undefined);
    expect(summarize(await autogenerate(engine, metadata)), 'autogenerate finds nothing to do').to.deep.equal([]);
    expect(compareTable(metadata.tables.get('items')!, reflected, implFor(dialect.name))).to.deep.equal([]);
    // The structural comparison sees a different identity or expression.
    const other = model({ identity: { always: true }, total: 'price + qty' }).tables.get('items')!;
    const diffs = compareTable(other, reflected, implFor(dialect.name));
    expect(diffs.some((d) => d.includes('items.total: generated as (price + qty) STORED in the model'))).to.equal(true);
    expect(diffs.some((d) => d.includes('items.id: identity ALWAYS in the model'))).to.equal(postgresql);
  });

  it('an initial revision writes them, and a changed identity or expression is altered both ways', async () => {
    const before = model();
    const initial = await writeRevision(project, await autogenerate(engine, before), dialect.name);
    expect(initial.source).to.include('identity: { start: 100, increment: 5 }');
    expect(initial.source).to.include("computed: { sqltext: 'price * qty', persisted: true }").and.include("computed: { sqltext: 'price + 1' }");
    await runRevision(db.url, initial, 'upgrade', before);
    expect(summarize(await autogenerate(engine, before)), 'after the initial upgrade').to.deep.equal([]);
    await sql('INSERT INTO items (price, qty) VALUES (2, 3)');

    const changed = model({ identity: { always: true, start: 100, increment: 10, cycle: true }, total: 'price * qty * 2' });
    const plan = await autogenerate(engine, changed);
    const kinds = plan.upgradeOps().map((o) => o.kind);
    // The identity is PostgreSQL's; the generated column is dropped and added again everywhere, its index
    // dropped before and created after.
    const recreated = ['DropColumnOp', 'AddColumnOp'];
    expect(kinds).to.deep.equal(['DropIndexOp', ...(postgresql ? ['AlterColumnOp', ...recreated] : recreated), 'CreateIndexOp']);
    const source = renderMigration(plan, dialect.name);
    if (postgresql) {
      expect(source.upgradeBody).to.include('identity: { always: true, start: 100, increment: 10, cycle: true }');
      expect(source.upgradeBody).to.include('existingIdentity: { start: 100, increment: 5 }');
    }
    const revision = await writeRevision(project, plan, dialect.name);
    await runRevision(db.url, revision, 'upgrade', changed);
    expect(summarize(await autogenerate(engine, changed)), 'after the upgrade').to.deep.equal([]);
    expect((await values())[0]).to.deep.equal([100, 12, 3]);
    if (postgresql) {
      await sql('INSERT INTO items (price, qty) VALUES (1, 1)');
      expect((await values()).map((v) => v[0])).to.deep.equal([100, 110]);
      let error: unknown;
      await sql('INSERT INTO items (id, price, qty) VALUES (1, 1, 1)').catch((e: unknown) => (error = e));
      expect(String(error), 'GENERATED ALWAYS refuses a given id').to.match(/cannot insert a non-DEFAULT value into column "id"|GENERATED ALWAYS/);
    }
    await runRevision(db.url, revision, 'downgrade', before);
    expect(summarize(await autogenerate(engine, before)), 'after the downgrade').to.deep.equal([]);
    await runRevision(db.url, initial, 'downgrade', before);
    expect((await engine.reflectSchema()).tables).to.deep.equal([]);
  });

  it('offline SQL spells them in the dialect, and what a database cannot do is refused with the fix', async () => {
    const metadata = model({ identity: { always: true, start: 100 } });
    const ddl = metadata.tables.get('items')!;
    const create = engine.dialect.compileDdl(new CreateTable(ddl)).join('\n');
    const expected = {
      postgresql: ['id INTEGER GENERATED ALWAYS AS IDENTITY (START WITH 100) NOT NULL', 'total INTEGER GENERATED ALWAYS AS (price * qty) STORED', 'next INTEGER GENERATED ALWAYS AS (price + 1) STORED'],
      mysql: ['id INTEGER NOT NULL AUTO_INCREMENT', 'total INTEGER GENERATED ALWAYS AS (price * qty) STORED', 'next INTEGER GENERATED ALWAYS AS (price + 1)'],
      sqlite: ['id INTEGER NOT NULL', 'total INTEGER GENERATED ALWAYS AS (price * qty) STORED', 'next INTEGER GENERATED ALWAYS AS (price + 1)'],
    }[dialect.name];
    for (const line of expected) expect(create).to.include(line);

    const refusal = async (metadata: MetaData): Promise<string> => {
      let error: unknown;
      await metadata.createAll(engine).catch((e: unknown) => (error = e));
      return String(error);
    };
    const stray = new MetaData();
    new Table('stray', stray, { id: column(t.Integer(), { primaryKey: true }), n: column(t.Integer(), { identity: {} }) });
    if (postgresql) {
      expect(await refusal(stray)).to.equal('undefined');
      const virtual = new MetaData();
      new Table('v', virtual, { id: column(t.Integer(), { primaryKey: true }), n: column(t.Integer(), { computed: { sqltext: 'id + 1', persisted: false } }) });
      expect(await refusal(virtual)).to.include('PostgreSQL has only STORED generated columns ("v"."n"): leave persisted out or set it to true');
    } else {
      const name = dialect.name === 'mysql' ? 'MySQL' : 'SQLite';
      expect(await refusal(stray)).to.include(
        `${name} has no identity columns: identity on "stray"."n" becomes its autoincrement key, which only the table's lone integer primary key can be`,
      );
    }
  });
});
