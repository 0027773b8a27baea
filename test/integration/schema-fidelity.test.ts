/**
 * What real schemas use, through the one schema model on each dialect: the model option -> DDL ->
 * reflection -> autogenerate (nothing to do when the database has it, one operation when it changes) ->
 * the rendered revision, which runs both ways. MySQL's own clauses (ON UPDATE, character set and
 * collation, ENGINE, FULLTEXT, DATETIME's precision) are ignored by the other databases, where the same
 * model still creates and compares clean.
 */
import { expect } from 'chai';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { renderMigration } from '../../src/migrate/autogenerate/render/render.js';
import { column } from '../../src/schema/column.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Sequence } from '../../src/schema/sequence.js';
import { op } from '../../src/migrate/operations/operations.js';
import { runOnline } from '../helpers/migration-executors.js';
import { Table } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { literalColumn, text } from '../../src/sql/elements/text.js';
import { t } from '../../src/types/index.js';
import { autogenerate, emptyDatabase, runRevision, summarize, writeRevision } from '../helpers/autogenerate.js';
import { forEachDialect } from '../helpers/dialects.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

/** A table with every MySQL clause; `onUpdate` and `collation` vary to show a change. */
function mysqlModel(options: { onUpdate?: string; collation?: string } = {}): MetaData {
  const metadata = new MetaData();
  new Table(
    'articles',
    metadata,
    {
      id: column(t.Integer(), { primaryKey: true }),
      title: column(t.String(200), { nullable: false }),
      body: column(t.Text()),
      code: column(t.String(40), { mysqlCollation: options.collation ?? 'latin1_bin', mysqlCharset: 'latin1' }),
      published: column(t.mysql.DATETIME()),
      changed: column(t.mysql.TIMESTAMP(), {
        nullable: false,
        serverDefault: literalColumn('CURRENT_TIMESTAMP'),
        ...(options.onUpdate === undefined ? {} : { mysqlOnUpdate: options.onUpdate }),
      }),
    },
    {
      mysqlEngine: 'InnoDB',
      mysqlCharset: 'utf8mb3',
      mysqlCollation: 'utf8mb3_general_ci',
      constraints: (c) => [index('ix_articles_text', [c.title, c.body], { mysqlPrefix: 'FULLTEXT' })],
    },
  );
  return metadata;
}

forEachDialect('schema fidelity', function (dialect) {
  this.timeout(120_000);
  let db: ThrowawayDatabase;
  let engine: Engine;
  let project: TempProject;
  const mysql = dialect.name === 'mysql';
  /** Runs the statements in one transaction and returns the rows of the last. */
  const sql = (...statements: string[]) =>
    engine.connect(async (conn) => {
      let rows: Record<string, unknown>[] = [];
      for (const statement of statements) rows = (await conn.execute(text(statement))).mappings().all() as Record<string, unknown>[];
      return rows;
    });

  before(async () => {
    db = await createThrowawayDatabase(dialect, 'fidelity');
    engine = createEngine(db.url);
    project = createTempProject();
  });
  after(async () => {
    await engine.dispose();
    await db.drop();
    project.remove();
  });
  beforeEach(() => emptyDatabase(engine));

  it('MySQL ON UPDATE, character set, collation, ENGINE, FULLTEXT and DATETIME are created, reflected and compared', async () => {
    const model = mysqlModel({ onUpdate: 'CURRENT_TIMESTAMP' });
    await model.createAll(engine);
    expect(summarize(await autogenerate(engine, model)), 'the database has what the model says').to.deep.equal([]);
    const reflected = (await engine.reflectSchema()).tables[0]!;
    const col = (name: string) => reflected.columns.find((c) => c.name === name)!;
    if (!mysql) {
      // The other databases have none of these clauses: the same model creates the plain table.
      expect(reflected.mysqlEngine).to.equal(undefined);
      expect(col('changed').mysqlOnUpdate).to.equal(undefined);
      return;
    }
    expect([reflected.mysqlEngine, reflected.mysqlCharset, reflected.mysqlCollation]).to.deep.equal(['InnoDB', 'utf8mb3', 'utf8mb3_general_ci']);
    expect(col('changed').mysqlOnUpdate).to.match(/^current_timestamp(\(\))?$/i);
    expect([col('code').mysqlCharset, col('code').mysqlCollation]).to.deep.equal(['latin1', 'latin1_bin']);
    expect(col('title').mysqlCollation, 'a column with its table collation says nothing').to.equal(undefined);
    expect(String(col('published').type)).to.equal('mysql.DATETIME()');
    expect(reflected.indexes.map((ix) => [ix.name, ix.mysqlPrefix])).to.deep.equal([['ix_articles_text', 'FULLTEXT']]);
    // Observable behaviour: the ON UPDATE clause sets the column, the _bin collation compares case-sensitively.
    const insert = "INSERT INTO articles (id, title, code, changed) VALUES (1, 'a', 'Abc', '2001-01-01 00:00:00')";
    const year = await sql(insert, "UPDATE articles SET title = 'b' WHERE id = 1", 'SELECT YEAR(changed) AS y FROM articles');
    expect(String(year[0]!['y'])).to.not.equal('2001');
    expect(await sql(insert, "SELECT id FROM articles WHERE code = 'abc'")).to.deep.equal([]);
  });

  it('a changed ON UPDATE or collation is one alterColumn that keeps the rest of the column, both ways', async function () {
    await mysqlModel({ onUpdate: 'CURRENT_TIMESTAMP' }).createAll(engine);
    const after = mysqlModel({ collation: 'latin1_general_ci' });
    const plan = await autogenerate(engine, after);
    if (!mysql) {
      expect(summarize(plan)).to.deep.equal([]);
      this.skip();
    }
    expect(plan.upgradeOps().map((op) => op.kind)).to.deep.equal(['AlterColumnOp', 'AlterColumnOp']);
    const source = renderMigration(plan, dialect.name);
    expect(source.upgradeBody).to.include("mysqlOnUpdate: null").and.include("mysqlCollation: 'latin1_general_ci'");
    expect(source.downgradeBody).to.include("mysqlOnUpdate: 'current_timestamp()'").and.include("mysqlCollation: 'latin1_bin'");
    const revision = await writeRevision(project, plan, dialect.name);
    await runRevision(db.url, revision, 'upgrade', after);
    expect(summarize(await autogenerate(engine, after)), 'after the upgrade').to.deep.equal([]);
    const changed = (await engine.reflectSchema()).tables[0]!.columns.find((c) => c.name === 'changed')!;
    expect([changed.nullable, changed.default, changed.mysqlOnUpdate]).to.deep.equal([false, 'current_timestamp()', undefined]);
    await runRevision(db.url, revision, 'downgrade', after);
    expect(summarize(await autogenerate(engine, mysqlModel({ onUpdate: 'CURRENT_TIMESTAMP' }))), 'after the downgrade').to.deep.equal([]);
  });

  it('a free-standing sequence: createAll before the tables that call nextval() on it, autogenerate both ways; skipped where there are none', async () => {
    const model = new MetaData();
    new Sequence('ticket_seq', model, { start: 100, increment: 5, dataType: 'integer' });
    const sequences = dialect.name === 'postgresql';
    new Table('tickets', model, {
      id: column(t.Integer(), { primaryKey: true, autoincrement: false, ...(sequences ? { serverDefault: literalColumn("nextval('ticket_seq')") } : {}) }),
      label: column(t.String(20)),
    });
    const plan = await autogenerate(engine, model);
    expect(summarize(plan)).to.deep.equal(sequences ? ['CreateSequenceOp', 'createTable tickets(id, label)'] : ['createTable tickets(id, label)']);
    const revision = await writeRevision(project, plan, dialect.name);
    if (sequences) expect(revision.source).to.include("await op.createSequence('ticket_seq', { dataType: 'integer', increment: 5, start: 100 });");
    await runRevision(db.url, revision, 'upgrade', model);
    expect(summarize(await autogenerate(engine, model)), 'after the upgrade').to.deep.equal([]);
    if (sequences) {
      const ids = await sql("INSERT INTO tickets (label) VALUES ('a')", "INSERT INTO tickets (label) VALUES ('b')", 'SELECT id FROM tickets ORDER BY id');
      expect(ids.map((r) => Number(r['id']))).to.deep.equal([100, 105]);
      const reflected = (await engine.reflectSchema()).sequences;
      expect(reflected).to.deep.equal([{ name: 'ticket_seq', schema: null, dataType: 'integer', increment: 5, start: 100 }]);
    }
    await runRevision(db.url, revision, 'downgrade', model);
    expect((await engine.reflectSchema()).sequences).to.deep.equal([]);
    // createAll and dropAll take the sequence along where there are sequences, and skip it elsewhere.
    await model.createAll(engine);
    expect((await engine.reflectSchema()).sequences.map((s) => s.name)).to.deep.equal(sequences ? ['ticket_seq'] : []);
    await model.dropAll(engine);
    expect((await engine.reflectSchema()).sequences).to.deep.equal([]);
    if (!sequences) {
      let error: unknown;
      await runOnline(engine, () => op.createSequence('s'), null).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/this database has no sequences \(sequence "s"\): use an autoincrement key instead/);
    }
  });

  it('index column order (asc/desc, NULLS on PostgreSQL) is created, reflected, compared and rendered, both ways', async () => {
    const events = (order: 'desc' | 'asc') => {
      const metadata = new MetaData();
      new Table(
        'events',
        metadata,
        { id: column(t.Integer(), { primaryKey: true }), kind: column(t.String(20)), at: column(t.Integer()) },
        { constraints: (c) => [index('ix_events_kind_at', [c.kind, order === 'desc' ? c.at.desc().nullsLast() : c.at.asc()])] },
      );
      return metadata;
    };
    const postgresql = dialect.name === 'postgresql';
    const model = events('desc');
    const plan = await autogenerate(engine, model);
    const revision = await writeRevision(project, plan, dialect.name);
    expect(revision.source).to.include("order: { at: 'DESC NULLS LAST' }");
    await runRevision(db.url, revision, 'upgrade', model);
    const reflected = (await engine.reflectSchema()).tables[0]!.indexes.find((ix) => ix.name === 'ix_events_kind_at')!;
    expect(reflected.order).to.deep.equal({ at: postgresql ? 'DESC NULLS LAST' : 'DESC' });
    expect(summarize(await autogenerate(engine, model)), 'the database has the order').to.deep.equal([]);
    // The other direction is a changed index: dropped and created again, and back in the downgrade.
    const ascending = events('asc');
    const change = await autogenerate(engine, ascending);
    expect(change.changes.map((c) => c.description)).to.deep.include(
      `Changed index 'ix_events_kind_at' on 'events': order at ${postgresql ? 'DESC NULLS LAST' : 'DESC'} -> ascending (dropped and created again)`,
    );
    const second = await writeRevision(project, change, dialect.name);
    await runRevision(db.url, second, 'upgrade', ascending);
    expect(summarize(await autogenerate(engine, ascending))).to.deep.equal([]);
    await runRevision(db.url, second, 'downgrade', ascending);
    expect(summarize(await autogenerate(engine, model)), 'after the downgrade').to.deep.equal([]);
    await runRevision(db.url, revision, 'downgrade', model);
  });

  it('a sequence whose parameters change is altered (ALTER SEQUENCE sets what differs), both ways', async function () {
    if (dialect.name !== 'postgresql') this.skip();
    const sequenceModel = (options: { increment?: number; cycle?: boolean; maxValue?: number }) => {
      const metadata = new MetaData();
      new Sequence('ticket_seq', metadata, { start: 100, dataType: 'integer', ...options });
      return metadata;
    };
    const before = sequenceModel({ increment: 5 });
    await before.createAll(engine);
    expect(summarize(await autogenerate(engine, before))).to.deep.equal([]);
    const after = sequenceModel({ cycle: true, maxValue: 1000 });
    const plan = await autogenerate(engine, after);
    expect(plan.changes.map((c) => c.description)).to.deep.equal([
      "Changed sequence 'ticket_seq': dataType integer, increment 5, start 100 -> dataType integer, maxValue 1000, start 100, cycle true",
    ]);
    const revision = await writeRevision(project, plan, dialect.name);
    expect(revision.source).to.include("await op.alterSequence(\n    'ticket_seq',\n    { dataType: 'integer', maxValue: 1000, start: 100, cycle: true },");
    expect(revision.source).to.include("{ existing: { dataType: 'integer', increment: 5, start: 100 } },");
    await runRevision(db.url, revision, 'upgrade', after);
    expect(summarize(await autogenerate(engine, after)), 'after the upgrade').to.deep.equal([]);
    expect((await engine.reflectSchema()).sequences).to.deep.equal([{ name: 'ticket_seq', schema: null, dataType: 'integer', maxValue: 1000, start: 100, cycle: true }]);
    await runRevision(db.url, revision, 'downgrade', after);
    expect(summarize(await autogenerate(engine, before)), 'after the downgrade').to.deep.equal([]);
    await before.dropAll(engine);
  });

  it('a table created by a revision keeps its MySQL options, FULLTEXT index and DATETIME', async () => {
    const model = mysqlModel({ onUpdate: 'CURRENT_TIMESTAMP' });
    const plan = await autogenerate(engine, model);
    const revision = await writeRevision(project, plan, dialect.name);
    expect(revision.source).to.include("mysqlEngine: 'InnoDB'").and.include("mysqlPrefix: 'FULLTEXT'").and.include("mysqlOnUpdate: 'CURRENT_TIMESTAMP'");
    expect(revision.source).to.include('t.mysql.DATETIME()');
    await runRevision(db.url, revision, 'upgrade', model);
    expect(summarize(await autogenerate(engine, model))).to.deep.equal([]);
    await runRevision(db.url, revision, 'downgrade', model);
    expect((await engine.reflectSchema()).tables).to.deep.equal([]);
  });
});
