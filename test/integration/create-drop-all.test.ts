/**
 * `metadata.createAll(engine)` and `dropAll(engine)` on each database: only missing tables are created,
 * parents first; a second run does nothing; foreign keys that form a cycle are created and dropped; tables
 * in a named schema (a PostgreSQL schema, a second MySQL database) round-trip; and a model that cannot be
 * created fails before any DDL runs, with a message naming the table and column.
 */
import { expect } from 'chai';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { ArgumentError } from '../../src/errors.js';
import { compareTable } from '../../src/migrate/autogenerate/compare-table.js';
import { implFor } from '../../src/migrate/impl/index.js';
import { column } from '../../src/schema/column.js';
import { foreignKey } from '../../src/schema/constraints.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { insert } from '../../src/sql/statements/insert.js';
import { update } from '../../src/sql/statements/update.js';
import { text } from '../../src/sql/elements/text.js';
import { t } from '../../src/types/index.js';
import { forEachDialect } from '../helpers/dialects.js';

/** The first line of each DDL statement the engine ran, as echo logs them. */
function ddlLines(lines: readonly string[]): string[] {
  return lines.filter((line) => /^(CREATE|DROP|ALTER|COMMENT)\b/.test(line)).map((line) => line.split('\n')[0]!.replace(/ \($/, ''));
}

async function tableNames(engine: Engine, schema: string | null = null): Promise<string[]> {
  return (await engine.reflectSchema(schema)).tables.map((r) => r.name).filter((name) => name.startsWith('rt_'));
}

/** Children declared before their parents, so the order has to come from the foreign keys. */
function chain(): MetaData {
  const metadata = new MetaData();
  new Table('rt_cd_grandchild', metadata, {
    id: column(t.Integer(), { primaryKey: true }),
    childId: column(t.Integer(), { name: 'child_id', foreignKey: 'rt_cd_child.id' }),
  });
  new Table('rt_cd_child', metadata, {
    id: column(t.Integer(), { primaryKey: true }),
    parentId: column(t.Integer(), { name: 'parent_id', foreignKey: 'rt_cd_parent.id' }),
  });
  new Table('rt_cd_parent', metadata, { id: column(t.Integer(), { primaryKey: true }) });
  return metadata;
}

/** Two tables that refer to each other, and one that refers to itself. */
function cycle() {
  const metadata = new MetaData({ namingConvention: { fk: 'fk_%(table_name)s_%(column_0_name)s' } });
  const a = new Table('rt_cy_a', metadata, {
    id: column(t.Integer(), { primaryKey: true }),
    bId: column(t.Integer(), { name: 'b_id', foreignKey: 'rt_cy_b.id' }),
    parentId: column(t.Integer(), { name: 'parent_id', foreignKey: foreignKey('rt_cy_a.id', { onDelete: 'CASCADE' }) }),
  });
  const b = new Table('rt_cy_b', metadata, {
    id: column(t.Integer(), { primaryKey: true }),
    aId: column(t.Integer(), { name: 'a_id', foreignKey: 'rt_cy_a.id' }),
  });
  return { metadata, a, b };
}

forEachDialect('createAll and dropAll', (dialect) => {
  let engine: Engine;
  const log: string[] = [];

  before(async () => {
    engine = createEngine(dialect.url, { echo: true, logger: (line) => log.push(line) });
    await chain().dropAll(engine);
    await cycle().metadata.dropAll(engine);
  });

  after(async () => {
    await chain().dropAll(engine);
    await cycle().metadata.dropAll(engine);
    await engine.dispose();
  });

  beforeEach(() => {
    log.length = 0;
  });

  it('creates only the missing tables, parents before children', async () => {
    const only = new MetaData();
    new Table('rt_cd_parent', only, { id: column(t.Integer(), { primaryKey: true }) });
    await only.createAll(engine);
    log.length = 0;

    await chain().createAll(engine);
    expect(ddlLines(log)).to.deep.equal(['CREATE TABLE rt_cd_child', 'CREATE TABLE rt_cd_grandchild']);
    expect(await tableNames(engine)).to.include.members(['rt_cd_parent', 'rt_cd_child', 'rt_cd_grandchild']);
  });

  it('a second createAll is a no-op', async () => {
    await chain().createAll(engine);
    expect(ddlLines(log)).to.deep.equal([]);
  });

  it('dropAll drops children before parents, and only what exists', async () => {
    const metadata = chain();
    new Table('rt_cd_never_created', metadata, { id: column(t.Integer(), { primaryKey: true }) });
    await metadata.dropAll(engine);
    expect(ddlLines(log)).to.deep.equal(['DROP TABLE rt_cd_parent', 'DROP TABLE rt_cd_child', 'DROP TABLE rt_cd_grandchild'].reverse());
    expect(await tableNames(engine)).not.to.include.members(['rt_cd_parent']);
  });

  it('creates and drops tables whose foreign keys form a cycle, with rows in them', async () => {
    const { metadata, a, b } = cycle();
    await metadata.createAll(engine);
    const reflected = await engine.reflectSchema();
    for (const table of [a, b]) {
      expect(compareTable(table, reflected.tables.find((r) => r.name === table.name)!, implFor(dialect.name))).to.deep.equal([]);
    }
    await engine.begin(async (conn) => {
      await conn.execute(insert(a).values({ id: 1, bId: null, parentId: null }));
      await conn.execute(insert(b).values({ id: 1, aId: 1 }));
      await conn.execute(update(a).values({ bId: 1 }).where(a.c.id.eq(1)));
    });
    log.length = 0;
    await metadata.dropAll(engine);
    expect(await tableNames(engine)).not.to.include.members(['rt_cy_a', 'rt_cy_b']);
    // Where ALTER TABLE can, the cycle is broken by dropping one of its foreign keys first. SQLite defers
    // the checks instead and drops rt_cy_a first: its self-referencing ON DELETE CASCADE would otherwise
    // look for the rt_cy_b it refers to after that was dropped ("no such table: main.rt_cy_b").
    const first = ddlLines(log)[0];
    if (dialect.name === 'sqlite') expect(first).to.equal('DROP TABLE rt_cy_a');
    else expect(first).to.match(/^ALTER TABLE rt_cy_a DROP (CONSTRAINT|FOREIGN KEY) fk_rt_cy_a_b_id$/);
  });

  it('a foreign key to a table or column that does not exist fails before any DDL runs, naming both', async () => {
    const missingTable = new MetaData();
    new Table('rt_cd_orphan', missingTable, {
      id: column(t.Integer(), { primaryKey: true }),
      ownerId: column(t.Integer(), { name: 'owner_id', foreignKey: 'rt_cd_nowhere.id' }),
    });
    const missingColumn = new MetaData();
    new Table('rt_cd_target', missingColumn, { id: column(t.Integer(), { primaryKey: true }) });
    new Table('rt_cd_orphan', missingColumn, {
      id: column(t.Integer(), { primaryKey: true }),
      targetId: column(t.Integer(), { name: 'target_id', foreignKey: 'rt_cd_target.nope' }),
    });
    const cases: [MetaData, string][] = [
      [missingTable, 'foreign key on rt_cd_orphan.owner_id refers to table "rt_cd_nowhere", which is not defined on this MetaData'],
      [missingColumn, 'foreign key on rt_cd_orphan.target_id refers to column "rt_cd_target.nope", which does not exist'],
    ];
    for (const [metadata, message] of cases) {
      let error: unknown;
      await metadata.createAll(engine).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(ArgumentError);
      expect((error as Error).message).to.equal(message);
    }
    expect(ddlLines(log)).to.deep.equal([]);
    expect(await tableNames(engine)).not.to.include.members(['rt_cd_orphan', 'rt_cd_target']);
  });
});

/** A PostgreSQL schema, or a MySQL database, that the tests create and drop. */
const SCHEMA = { postgresql: 'refl_rt_s', mysql: 'rt_second' } as const;

forEachDialect('createAll and dropAll in a named schema', (dialect) => {
  let engine: Engine;
  const log: string[] = [];
  const schema = dialect.name === 'sqlite' ? null : SCHEMA[dialect.name];
  const create = dialect.name === 'postgresql' ? `CREATE SCHEMA ${schema}` : `CREATE DATABASE ${schema}`;
  const drop = dialect.name === 'postgresql' ? `DROP SCHEMA IF EXISTS ${schema} CASCADE` : `DROP DATABASE IF EXISTS ${schema}`;

  function model() {
    const metadata = new MetaData({ namingConvention: { fk: 'fk_%(table_name)s_%(column_0_name)s', ix: 'ix_%(column_0_label)s' } });
    const parent = new Table('rt_s_parent', metadata, {
      id: column(t.Integer(), { primaryKey: true }),
      kind: column(t.Enum(['a', 'b'], { name: 'rt_s_kind' }), { nullable: false, serverDefault: 'a' }),
    }, { schema: schema!, comment: 'in the named schema' });
    const child = new Table('rt_s_child', metadata, {
      id: column(t.Integer(), { primaryKey: true }),
      parentId: column(t.Integer(), { name: 'parent_id', index: true, foreignKey: foreignKey(`${schema}.rt_s_parent.id`, { onDelete: 'CASCADE' }) }),
    }, { schema: schema! });
    // In the default schema, referring across to the named one.
    const cross = new Table('rt_s_cross', metadata, {
      id: column(t.Integer(), { primaryKey: true }),
      parentId: column(t.Integer(), { name: 'parent_id', foreignKey: `${schema}.rt_s_parent.id` }),
    });
    return { metadata, parent, child, cross };
  }

  before(async function () {
    if (schema === null) this.skip(); // SQLite has no schemas but attached databases, which a pool does not share.
    engine = createEngine(dialect.url, { echo: true, logger: (line) => log.push(line) });
    await engine.connect(async (conn) => {
      await conn.execute(text(drop));
      await conn.execute(text(create));
      await conn.commit();
    });
  });

  after(async () => {
    if (schema === null) return;
    await model().metadata.dropAll(engine);
    await engine.connect(async (conn) => {
      await conn.execute(text(drop));
      await conn.commit();
    });
    await engine.dispose();
  });

  it('creates the tables there, and they reflect as modelled', async () => {
    const { metadata, parent, child, cross } = model();
    await metadata.createAll(engine);
    const inSchema = await engine.reflectSchema(schema);
    expect(inSchema.tables.map((r) => r.name)).to.deep.equal(['rt_s_child', 'rt_s_parent']);
    if (dialect.name === 'postgresql') expect(inSchema.enums.map((e) => e.name)).to.deep.equal(['rt_s_kind']);
    const impl = implFor(dialect.name);
    for (const table of [parent, child]) {
      expect(compareTable(table, inSchema.tables.find((r) => r.name === table.name)!, impl)).to.deep.equal([]);
    }
    const inDefault = (await engine.reflectSchema()).tables.find((r) => r.name === 'rt_s_cross')!;
    expect(inDefault.foreignKeys.map((fk) => fk.referredSchema)).to.deep.equal([schema]);
    expect(compareTable(cross, inDefault, impl)).to.deep.equal([]);
  });

  it('a second createAll is a no-op; dropAll removes the tables and the enum type', async () => {
    const { metadata } = model();
    log.length = 0;
    await metadata.createAll(engine);
    expect(ddlLines(log)).to.deep.equal([]);
    await metadata.dropAll(engine);
    const left = await engine.reflectSchema(schema);
    expect(left.tables).to.deep.equal([]);
    expect(left.enums).to.deep.equal([]);
    expect(await tableNames(engine)).not.to.include('rt_s_cross');
  });
});
