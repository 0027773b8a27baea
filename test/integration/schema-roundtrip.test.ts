/**
 * The schema round trip on each database: a MetaData using every type and every column, constraint and
 * index option -> createAll -> reflect -> compareTable gives no difference. Each database's own spellings
 * (MySQL's BOOL as TINYINT(1), SQLite's affinities and rowid key, PostgreSQL's SERIAL without a reported
 * default, MySQL's implicit index behind a foreign key) are the comparison's business, not the test's. A
 * changed copy of the model then shows each change, so the comparison is not vacuous.
 */
import { expect } from 'chai';
import type { DialectName } from '../../src/dialects/dialect.js';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { CompileError } from '../../src/errors.js';
import { compareTable } from '../../src/migrate/autogenerate/compare-table.js';
import { implFor } from '../../src/migrate/impl/index.js';
import { type Column, column, type ColumnSpec } from '../../src/schema/column.js';
import { CheckConstraint, ForeignKeyConstraint, UniqueConstraint, foreignKey } from '../../src/schema/constraints.js';
import { MetaData } from '../../src/schema/metadata.js';
import type {
  ReflectedColumn,
  ReflectedForeignKey,
  ReflectedIndex,
  ReflectedSchema,
  ReflectedTable,
} from '../../src/schema/reflected.js';
import { Table } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { false_ } from '../../src/sql/elements/column-element.js';
import { func } from '../../src/sql/elements/functions.js';
import { literalColumn } from '../../src/sql/elements/text.js';
import { t } from '../../src/types/index.js';
import { forEachDialect } from '../helpers/dialects.js';

const NAMING_CONVENTION = {
  ix: 'ix_%(column_0_label)s',
  uq: 'uq_%(table_name)s_%(column_0_N_name)s',
  ck: 'ck_%(table_name)s_%(constraint_name)s',
  fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
  pk: 'pk_%(table_name)s',
} as const;

interface Variant {
  readonly dialect: DialectName;
  /** Indexes on expressions exist (not on MariaDB). */
  readonly expressionIndexes: boolean;
  /** The changed copy of the model, to check that differences are found. */
  readonly changed: boolean;
}

/** A column type only this dialect has; the others fall back to its generic base. */
function dialectSpecific(dialect: DialectName) {
  switch (dialect) {
    case 'postgresql':
      return t.postgresql.JSONB();
    case 'mysql':
      return t.mysql.MEDIUMTEXT();
    case 'sqlite':
      return t.dialectType('sqlite', 'NVARCHAR(40)', t.String(40));
  }
}

/** Every type and option, as the database is to have it (or, `changed`, as a later model wants it). */
function buildMetadata({ dialect, expressionIndexes, changed }: Variant): MetaData {
  const metadata = new MetaData({ namingConvention: NAMING_CONVENTION });
  new Table(
    'rt_owners',
    metadata,
    { id: column(t.Integer(), { primaryKey: true }), label: column(t.String(20), { unique: true }) },
    { comment: changed ? 'people who own things' : 'who owns what' },
  );
  new Table('rt_parents', metadata, {
    region: column(t.String(10), { primaryKey: true }),
    code: column(t.Integer(), { primaryKey: true }),
  });
  // MySQL needs the fractional precision of the column in its CURRENT_TIMESTAMP; MariaDB and the others take now().
  const now = dialect === 'mysql' ? literalColumn('CURRENT_TIMESTAMP(6)') : func.now();
  const specs: Record<string, ColumnSpec> = {
    id: column(t.BigInteger(), { primaryKey: true }),
    count: column(t.Integer(), { nullable: false, serverDefault: changed ? '1' : '0' }),
    small: column(t.SmallInteger(), { serverDefault: literalColumn('7') }),
    name: column(t.String(changed ? 60 : 50), { nullable: false, comment: changed ? 'a name' : 'the name' }),
    body: column(t.Text(), { nullable: !changed }),
    flag: column(changed ? t.Integer() : t.Boolean(), { nullable: false, serverDefault: false_() }),
    born: column(t.Date()),
    created: column(t.DateTime(), { serverDefault: now }),
    createdTz: column(t.DateTime({ timezone: true }), { name: 'created_tz' }),
    ...(changed ? {} : { at: column(t.Time()) }),
    ratio: column(t.Float()),
    price: column(changed ? t.Numeric(12, 2) : t.Numeric(10, 2), { serverDefault: '9.99' }),
    whole: column(t.Numeric(12)),
    doc: column(t.JSON()),
    uid: column(t.Uuid(), { unique: true, index: true }),
    data: column(t.LargeBinary()),
    mood: column(t.Enum(changed ? ['sad', 'ok', 'happy', 'meh'] : ['sad', 'ok', 'happy'], { name: 'rt_mood' }), {
      nullable: false,
      serverDefault: 'ok',
    }),
    extra: column(t.postgresql.JSONB()),
    specific: column(dialectSpecific(dialect)),
    lowered: column(t.String(30), { serverDefault: func.lower('ABC') }),
    qty: column(t.Integer()),
    parentRegion: column(t.String(10), { name: 'parent_region' }),
    parentCode: column(t.Integer(), { name: 'parent_code' }),
    ownerId: column(t.Integer(), {
      name: 'owner_id',
      index: true,
      foreignKey: foreignKey('rt_owners.id', {
        onDelete: changed ? 'CASCADE' : 'SET NULL',
        // DEFERRABLE exists on PostgreSQL and SQLite; MySQL has no such clause.
        ...(dialect === 'mysql' ? {} : { deferrable: true, initially: 'DEFERRED' as const }),
      }),
    }),
    clientDefault: column(t.String(10), { name: 'client_default', default: 'x', onupdate: () => 'y' }),
    ...(changed ? { added: column(t.Integer()) } : {}),
  };
  new Table('rt_items', metadata, specs, {
    comment: changed ? 'all the items' : 'items of every kind',
    constraints: (c) => [
      new CheckConstraint(changed ? 'qty > 0' : 'qty >= 0', { name: 'qty_positive' }),
      ...(changed ? [] : [new UniqueConstraint([c.name, c.born])]),
      new ForeignKeyConstraint([c.parentRegion, c.parentCode], ['rt_parents.region', 'rt_parents.code'], {
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      }),
      ...(changed ? [] : [index(null, [c.createdTz, c.ratio])]),
      ...(expressionIndexes ? [index('ix_rt_items_lower_name', [func.lower(c.name as Column<string>)])] : []),
      // PostgreSQL keeps WHERE and USING; elsewhere these are plain indexes and the options are ignored.
      index('ix_rt_items_qty_partial', [c.qty], { postgresqlWhere: 'qty > 0' }),
      index('ix_rt_items_ratio_hash', [c.ratio], { postgresqlUsing: 'hash' }),
      index('ix_rt_items_body_prefix', [c.body], { mysqlLength: { body: 20 } }),
      ...(dialect === 'postgresql' ? [index('ix_rt_items_specific_gin', [c.specific], { postgresqlUsing: 'gin' })] : []),
    ],
  });
  return metadata;
}

function compareAll(metadata: MetaData, reflected: ReflectedSchema, dialect: DialectName): string[] {
  return [...metadata.tables.values()].flatMap((table) => {
    const found = reflected.tables.find((r) => r.name === table.name);
    if (found === undefined) return [`${table.name}: not in the database`];
    return compareTable(table, found, implFor(dialect));
  });
}

/** What the database reports for the `count` default of '0', as compareTable quotes it. */
const COUNT_DEFAULT: Readonly<Record<DialectName, string>> = { sqlite: "'0'", postgresql: '0', mysql: '0' };

forEachDialect('schema round trip', (dialect) => {
  let engine: Engine;
  let expressionIndexes: boolean;
  let original: MetaData;

  before(async () => {
    engine = createEngine(dialect.url);
    // The first connection tells MySQL from MariaDB, and with it whether expression indexes exist.
    await engine.connect(async () => undefined);
    expressionIndexes = engine.dialect.capabilities.expressionIndexes;
    original = buildMetadata({ dialect: dialect.name, expressionIndexes, changed: false });
    await original.dropAll(engine);
  });

  after(async () => {
    await original.dropAll(engine);
    await engine.dispose();
  });

  it('createAll -> reflect compares equal to the model', async () => {
    await original.createAll(engine);
    const reflected = await engine.reflectSchema();
    expect(compareAll(original, reflected, dialect.name)).to.deep.equal([]);
  });

  it('a changed model shows each change, and only those', async () => {
    const changed = buildMetadata({ dialect: dialect.name, expressionIndexes, changed: true });
    const reflected = await engine.reflectSchema();
    const comments = dialect.name !== 'sqlite';
    const expected = [
      ...(comments ? ['rt_owners: table comment "people who own things" in the model, "who owns what" in the database'] : []),
      ...(comments ? ['rt_items: table comment "all the items" in the model, "items of every kind" in the database'] : []),
      `rt_items.count: server default '1' in the model, ${COUNT_DEFAULT[dialect.name]} in the database`,
      'rt_items.name: type String(60) in the model, String(50) in the database',
      ...(comments ? ['rt_items.name: comment "a name" in the model, "the name" in the database'] : []),
      'rt_items.body: NOT NULL in the model, nullable in the database',
      `rt_items.flag: type Integer() in the model, Boolean() in the database`,
      'rt_items.price: type Numeric(12, 2) in the model, Numeric(10, 2) in the database',
      // MySQL keeps no enum names; SQLite keeps the name and values in the enum's CHECK.
      `rt_items.mood: type Enum(['sad', 'ok', 'happy', 'meh'], { name: 'rt_mood' }) in the model, ${
        dialect.name === 'mysql' ? "Enum(['sad', 'ok', 'happy'])" : "Enum(['sad', 'ok', 'happy'], { name: 'rt_mood' })"
      } in the database`,
      'rt_items: column "added" is in the model, not in the database',
      'rt_items: column "at" is in the database, not in the model',
      'rt_items: foreign key (owner_id) -> rt_owners (id): ON DELETE CASCADE in the model, SET NULL in the database',
      'rt_items: unique constraint (name, born) is in the database, not in the model',
      'rt_items: index "ix_rt_items_created_tz" is in the database, not in the model',
      'rt_items: check constraint "ck_rt_items_qty_positive": condition qty > 0 in the model, ' +
        `${dialect.name === 'mysql' ? '`qty` >= 0' : 'qty >= 0'} in the database`,
    ];
    expect(compareAll(changed, reflected, dialect.name)).to.deep.equal(expected);
  });

  it('every reflected fact takes part: changing one in the reflected table shows that change', async () => {
    const reflected = (await engine.reflectSchema()).tables.find((r) => r.name === 'rt_items')!;
    const items = original.tables.get('rt_items')!;
    const name = dialect.name;
    const pg = name === 'postgresql';
    const deferrable = name !== 'mysql';
    const withColumn = (col: string, change: Partial<ReflectedColumn>): ReflectedTable => ({
      ...reflected,
      columns: reflected.columns.map((c) => (c.name === col ? { ...c, ...change } : c)),
    });
    const withIndex = (ix: string, change: Partial<ReflectedIndex>): ReflectedTable => ({
      ...reflected,
      indexes: reflected.indexes.map((i) => (i.name === ix ? { ...i, ...change } : i)),
    });
    const withForeignKey = (col: string, change: Partial<ReflectedForeignKey>): ReflectedTable => ({
      ...reflected,
      foreignKeys: reflected.foreignKeys.map((fk) => (fk.columns[0] === col ? { ...fk, ...change } : fk)),
    });
    const ownerFk = 'rt_items: foreign key (owner_id) -> rt_owners (id)';
    const specificType: Readonly<Record<DialectName, string>> = {
      sqlite: "dialectType('sqlite', 'NVARCHAR(40)', t.String(40))",
      postgresql: 'postgresql.JSONB()',
      mysql: 'mysql.MEDIUMTEXT()',
    };
    const cases: [string, ReflectedTable, string[]][] = [
      ['type', withColumn('specific', { type: t.Text() }), [`rt_items.specific: type ${specificType[name]} in the model, Text() in the database`]],
      ['nullable', withColumn('born', { nullable: false }), ['rt_items.born: nullable in the model, NOT NULL in the database']],
      [
        'server default',
        withColumn('lowered', { default: "upper('ABC')" }),
        [`rt_items.lowered: server default lower('ABC') in the model, upper('ABC') in the database`],
      ],
      ['autoincrement', withColumn('id', { autoincrement: false }), ['rt_items.id: autoincrement in the model, not autoincrement in the database']],
      [
        'primary key columns',
        { ...reflected, primaryKey: { name: reflected.primaryKey!.name, columns: ['id', 'count'] } },
        ['rt_items: primary key (id) in the model, (id, count) in the database'],
      ],
      [
        'primary key name (MySQL has none)',
        { ...reflected, primaryKey: { name: 'other_pk', columns: ['id'] } },
        name === 'mysql' ? [] : ['rt_items: primary key named "pk_rt_items" in the model, "other_pk" in the database'],
      ],
      [
        'foreign key action',
        withForeignKey('owner_id', { onDelete: 'CASCADE' }),
        [`${ownerFk}: ON DELETE SET NULL in the model, CASCADE in the database`],
      ],
      [
        'foreign key name',
        withForeignKey('owner_id', { name: 'other_fk' }),
        [`${ownerFk}: name fk_rt_items_owner_id_rt_owners in the model, other_fk in the database`],
      ],
      [
        'foreign key deferrable (not on MySQL)',
        withForeignKey('owner_id', { deferrable: !deferrable, initially: deferrable ? null : 'DEFERRED' }),
        deferrable
          ? [`${ownerFk}: DEFERRABLE true in the model, false in the database`, `${ownerFk}: INITIALLY DEFERRED in the model, default in the database`]
          : [],
      ],
      [
        'foreign key target',
        withForeignKey('owner_id', { referredColumns: ['label'] }),
        [`${ownerFk} is in the model, not in the database`, 'rt_items: foreign key (owner_id) -> rt_owners (label) is in the database, not in the model'],
      ],
      ['index uniqueness', withIndex('ix_rt_items_owner_id', { unique: true }), ['rt_items: index "ix_rt_items_owner_id": not unique in the model, unique in the database']],
      [
        'index columns',
        withIndex('ix_rt_items_owner_id', { columns: ['owner_id', 'qty'], expressions: [null, null] }),
        ['rt_items: index "ix_rt_items_owner_id": items (owner_id) in the model, (owner_id, qty) in the database'],
      ],
      [
        'index WHERE (PostgreSQL only)',
        withIndex('ix_rt_items_qty_partial', { postgresqlWhere: 'qty > 1' }),
        pg ? ['rt_items: index "ix_rt_items_qty_partial": WHERE qty>0 in the model, qty>1 in the database'] : [],
      ],
      [
        'index USING (PostgreSQL only)',
        withIndex('ix_rt_items_ratio_hash', { postgresqlUsing: 'btree' }),
        pg ? ['rt_items: index "ix_rt_items_ratio_hash": USING hash in the model, btree in the database'] : [],
      ],
      [
        'index prefix length (MySQL only)',
        withIndex('ix_rt_items_body_prefix', { mysqlLength: { body: 30 } }),
        name === 'mysql' ? ['rt_items: index "ix_rt_items_body_prefix": prefix lengths body(20) in the model, body(30) in the database'] : [],
      ],
      [
        'unique constraint name',
        { ...reflected, uniqueConstraints: reflected.uniqueConstraints.map((u) => (u.columns[0] === 'name' ? { ...u, name: 'other_uq' } : u)) },
        ['rt_items: unique constraint (name, born) named "uq_rt_items_name_born" in the model, "other_uq" in the database'],
      ],
      [
        'check constraint in the database only',
        { ...reflected, checkConstraints: [...reflected.checkConstraints, { name: 'ck_other', sqltext: 'qty < 100' }] },
        ['rt_items: check constraint "ck_other" is in the database, not in the model'],
      ],
    ];
    if (expressionIndexes) {
      cases.push([
        'index expression',
        withIndex('ix_rt_items_lower_name', { expressions: ['upper(name)'] }),
        ['rt_items: index "ix_rt_items_lower_name": items (lower(name)) in the model, (upper(name)) in the database'],
      ]);
    }
    const implicit = reflected.indexes.filter((ix) => ix.implicit);
    // MySQL indexes a foreign key's columns by itself; the comparison leaves that index alone, unless it is not one.
    expect(implicit.map((ix) => ix.name)).to.deep.equal(name === 'mysql' ? ['fk_rt_items_parent_region_rt_parents'] : []);
    for (const ix of implicit) {
      cases.push([
        'an implicit index that is not',
        withIndex(ix.name, { implicit: false }),
        [`rt_items: index "${ix.name}" is in the database, not in the model`],
      ]);
    }
    for (const [what, changed, expected] of cases) {
      expect(compareTable(items, changed, implFor(name)), what).to.deep.equal(expected);
    }
  });

  it('an expression index where the database has none fails with nothing created', async function () {
    if (expressionIndexes) this.skip();
    const metadata = new MetaData();
    new Table('rt_expr', metadata, { id: column(t.Integer(), { primaryKey: true }), email: column(t.String(50)) }, {
      constraints: (c) => [index('ix_rt_expr_lower_email', [func.lower(c.email)])],
    });
    let error: unknown;
    await metadata.createAll(engine).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(CompileError);
    expect((error as Error).message).to.equal(
      'index "ix_rt_expr_lower_email" on "rt_expr" indexes an expression, which this database cannot; index a generated column instead',
    );
    const reflected = await engine.reflectSchema();
    expect(reflected.tables.map((r) => r.name)).not.to.include('rt_expr');
  });
});
