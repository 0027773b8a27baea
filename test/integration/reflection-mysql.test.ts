/**
 * MySQL/MariaDB catalog reflection against a real server: every type tsmig maps, defaults as each server
 * spells them, keys, indexes, checks and views read back in exact shapes, and a query count that does not
 * grow with the number of tables. Tables are prefixed `refl_my_` and dropped afterwards.
 */
import { expect } from 'chai';
import { mysqlReflection } from '../../src/dialects/mysql/reflection.js';
import { mysqlColumnDefault, mysqlColumnType } from '../../src/dialects/mysql/reflection-types.js';
import type { ReflectedTable, ReflectOptions } from '../../src/dialects/reflection.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { catalogQuery } from '../../src/engine/catalog-query.js';
import { text } from '../../src/sql/elements/text.js';
import { t } from '../../src/types/index.js';
import type { TypeEngine } from '../../src/types/type-engine.js';
import { findDialect } from '../helpers/dialects.js';

const mysql = findDialect('mysql');

const MANY = Array.from({ length: 30 }, (_, i) => `refl_my_many_${String(i + 1).padStart(2, '0')}`);

/** In dependency order: children first, so each DROP succeeds. */
const DROPS = [
  'DROP VIEW IF EXISTS refl_my_view',
  ...[...MANY].reverse().map((name) => `DROP TABLE IF EXISTS ${name}`),
  'DROP TABLE IF EXISTS refl_my_link',
  'DROP TABLE IF EXISTS refl_my_child',
  'DROP TABLE IF EXISTS refl_my_parent',
  'DROP TABLE IF EXISTS refl_my_types',
  'DROP TABLE IF EXISTS refl_my_defaults',
];

const CREATES = [
  `CREATE TABLE refl_my_parent (
    a INT NOT NULL,
    b VARCHAR(20) NOT NULL,
    label VARCHAR(50) NOT NULL,
    PRIMARY KEY (b, a),
    CONSTRAINT uq_refl_my_parent_label UNIQUE (label)
  ) COMMENT = 'parent rows'`,
  `CREATE TABLE refl_my_child (
    id INT NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
    parent_b VARCHAR(20),
    parent_a INT,
    qty INT NOT NULL,
    body TEXT,
    PRIMARY KEY (id),
    CONSTRAINT uq_refl_my_child_pair UNIQUE (qty, parent_a),
    UNIQUE KEY uq_refl_my_child_body (body(8)),
    INDEX ix_refl_my_child_qty (qty),
    INDEX ix_refl_my_child_body (body(10), qty),
    CONSTRAINT fk_refl_my_child_parent FOREIGN KEY (parent_b, parent_a) REFERENCES refl_my_parent (b, a)
      ON DELETE CASCADE ON UPDATE SET NULL,
    CONSTRAINT ck_refl_my_child_qty CHECK (qty >= 0)
  )`,
  // An unnamed foreign key (InnoDB names it refl_my_link_ibfk_1 and its index after the column) and a
  // named one whose columns a user index already covers, so InnoDB adds none.
  `CREATE TABLE refl_my_link (
    child_id INT NOT NULL,
    parent_b VARCHAR(20),
    parent_a INT,
    FOREIGN KEY (child_id) REFERENCES refl_my_child (id),
    INDEX ix_refl_my_link_parent (parent_b, parent_a),
    CONSTRAINT fk_refl_my_link_parent FOREIGN KEY (parent_b, parent_a) REFERENCES refl_my_parent (b, a)
      ON DELETE RESTRICT ON UPDATE NO ACTION
  )`,
  `CREATE TABLE refl_my_types (
    c_int INT, c_int11 INT(11), c_bigint BIGINT, c_smallint SMALLINT, c_bool BOOL, c_tinyint TINYINT,
    c_mediumint MEDIUMINT, c_uint INT UNSIGNED, c_ubigint BIGINT UNSIGNED, c_usmallint SMALLINT UNSIGNED,
    c_varchar VARCHAR(50), c_char CHAR(10), c_uuid CHAR(36),
    c_text TEXT, c_tinytext TINYTEXT, c_mediumtext MEDIUMTEXT, c_longtext LONGTEXT,
    c_double DOUBLE, c_float FLOAT, c_decimal DECIMAL(10,2),
    c_date DATE, c_datetime DATETIME, c_datetime6 DATETIME(6),
    c_timestamp TIMESTAMP NULL DEFAULT NULL, c_timestamp6 TIMESTAMP(6) NULL DEFAULT NULL, c_time TIME,
    c_year YEAR, c_json JSON, c_blob BLOB, c_mediumblob MEDIUMBLOB, c_longblob LONGBLOB, c_varbinary VARBINARY(16),
    c_enum ENUM('a', 'it''s', 'back\\\\slash', ''), c_set SET('x', 'y')
  ) COMMENT 'every type'`,
  `CREATE TABLE refl_my_defaults (
    d_str VARCHAR(10) DEFAULT 'abc',
    d_quote VARCHAR(10) DEFAULT 'it''s',
    d_nullstr VARCHAR(10) DEFAULT 'NULL',
    d_empty VARCHAR(10) DEFAULT '',
    d_zero_str VARCHAR(10) DEFAULT '0',
    d_int INT NOT NULL DEFAULT 0,
    d_neg INT DEFAULT -5,
    d_dec DECIMAL(5,2) DEFAULT 1.5,
    d_null VARCHAR(10) DEFAULT NULL,
    d_none VARCHAR(10),
    d_required INT NOT NULL,
    d_bool BOOL DEFAULT TRUE,
    d_enum ENUM('a', 'b') DEFAULT 'b',
    d_date DATE DEFAULT '2020-01-02',
    d_now DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),
    d_expr DOUBLE DEFAULT (RAND())
  )`,
  'CREATE VIEW refl_my_view AS SELECT id, qty FROM refl_my_child',
];

/** A table with its column types spelled as the revision renderer writes them, for deep comparison. */
function plain(table: ReflectedTable | undefined) {
  expect(table, 'table reflected').to.not.equal(undefined);
  return { ...table!, columns: table!.columns.map((c) => ({ ...c, type: String(c.type) })) };
}

const column = (name: string, type: TypeEngine, rest: { nullable?: boolean; default?: string | null; autoincrement?: boolean; comment?: string | null } = {}) => ({
  name,
  type: String(type),
  nullable: rest.nullable ?? true,
  default: rest.default ?? null,
  autoincrement: rest.autoincrement ?? false,
  comment: rest.comment ?? null,
});

(mysql === undefined ? describe.skip : describe)('mysql: reflection', function () {
  let engine: Engine;
  let mariadb = false;
  /** What every table of the test database has: InnoDB and the database's character set and collation. */
  let tableOptions: { mysqlEngine: string; mysqlCharset: string; mysqlCollation: string };

  const run = (sql: string) => engine.connect(async (conn) => void (await conn.execute(text(sql))));
  /** Reflects the default schema; `queries` collects each catalog statement. */
  const reflect = (options: ReflectOptions = {}, queries: string[] = []) =>
    engine.connect((conn) => mysqlReflection.reflect(catalogQuery(conn, (sql) => queries.push(sql)), null, options));
  const table = async (name: string) => plain((await reflect({ tables: [name] })).tables[0]);

  before(async function () {
    this.timeout(120_000);
    engine = createEngine(mysql!.url);
    const version = await engine.connect(async (conn) => (await conn.execute(text('SELECT VERSION() AS v'))).scalar());
    mariadb = /mariadb/i.test(String(version));
    const [charset, collation] = await engine.connect(async (conn) =>
      (await conn.execute(text('SELECT @@character_set_database AS c, @@collation_database AS l'))).mappings().all().map((r) => [r['c'], r['l']])[0]!,
    );
    tableOptions = { mysqlEngine: 'InnoDB', mysqlCharset: String(charset), mysqlCollation: String(collation) };
    for (const sql of DROPS) await run(sql);
    for (const sql of CREATES) await run(sql);
  });

  after(async function () {
    this.timeout(120_000);
    if (engine === undefined) return;
    for (const sql of DROPS) await run(sql);
    await engine.dispose();
  });

  it('reads every type tsmig maps, with MariaDB JSON and no phantom json_valid check', async () => {
    const types = await table('refl_my_types');
    const expected: Record<string, TypeEngine> = {
      c_int: t.Integer(),
      c_int11: t.Integer(),
      c_bigint: t.BigInteger(),
      c_smallint: t.SmallInteger(),
      c_bool: t.Boolean(),
      c_tinyint: t.mysql.TINYINT(),
      c_mediumint: t.mysql.MEDIUMINT(),
      c_uint: t.mysql.UNSIGNED_INTEGER(),
      c_ubigint: t.mysql.UNSIGNED_BIGINT(),
      c_usmallint: t.dialectType('mysql', 'SMALLINT UNSIGNED', t.Integer()),
      c_varchar: t.String(50),
      c_char: t.dialectType('mysql', 'CHAR(10)', t.String(10)),
      c_uuid: t.dialectType('mysql', 'CHAR(36)', t.String(36)),
      c_text: t.Text(),
      c_tinytext: t.mysql.TINYTEXT(),
      c_mediumtext: t.mysql.MEDIUMTEXT(),
      c_longtext: t.mysql.LONGTEXT(),
      c_double: t.Float(),
      c_float: t.dialectType('mysql', 'FLOAT', t.Float()),
      c_decimal: t.Numeric(10, 2),
      c_date: t.Date(),
      // DATETIME keeps its whole seconds; DATETIME(6) is what tsmig writes for t.DateTime().
      c_datetime: t.mysql.DATETIME(),
      c_datetime6: t.DateTime(),
      c_timestamp: t.mysql.TIMESTAMP(),
      c_timestamp6: t.mysql.TIMESTAMP(6),
      c_time: t.Time(),
      c_year: t.mysql.YEAR(),
      c_json: t.JSON(),
      c_blob: t.LargeBinary(),
      c_mediumblob: t.mysql.MEDIUMBLOB(),
      c_longblob: t.mysql.LONGBLOB(),
      c_varbinary: t.dialectType('mysql', 'VARBINARY(16)', t.LargeBinary(16)),
      c_enum: t.Enum(['a', "it's", 'back\\slash', '']),
      c_set: t.dialectType('mysql', "SET('x','y')", t.Text()),
    };
    expect(types.columns).to.deep.equal(Object.entries(expected).map(([name, type]) => column(name, type)));
    expect(types.comment).to.equal('every type');
    expect(types.checkConstraints).to.deep.equal([]);
    expect(types.primaryKey).to.equal(null);
  });

  it('normalises defaults: null for none, quoted strings, bare numbers, expressions as reported', async () => {
    const defaults = await table('refl_my_defaults');
    expect(defaults.columns).to.deep.equal([
      column('d_str', t.String(10), { default: "'abc'" }),
      column('d_quote', t.String(10), { default: "'it''s'" }),
      column('d_nullstr', t.String(10), { default: "'NULL'" }),
      column('d_empty', t.String(10), { default: "''" }),
      column('d_zero_str', t.String(10), { default: "'0'" }),
      column('d_int', t.Integer(), { nullable: false, default: '0' }),
      column('d_neg', t.Integer(), { default: '-5' }),
      column('d_dec', t.Numeric(5, 2), { default: '1.50' }),
      column('d_null', t.String(10)),
      column('d_none', t.String(10)),
      column('d_required', t.Integer(), { nullable: false }),
      column('d_bool', t.Boolean(), { default: '1' }),
      column('d_enum', t.Enum(['a', 'b']), { default: "'b'" }),
      column('d_date', t.Date(), { default: "'2020-01-02'" }),
      column('d_now', t.DateTime(), { default: mariadb ? 'current_timestamp(6)' : 'CURRENT_TIMESTAMP(6)' }),
      column('d_expr', t.Float(), { default: 'rand()' }),
    ]);
  });

  it('reads a composite primary key in key order, unnamed, and a unique constraint', async () => {
    expect(await table('refl_my_parent')).to.deep.equal({
      name: 'refl_my_parent',
      schema: null,
      comment: 'parent rows',
      ...tableOptions,
      columns: [
        column('a', t.Integer(), { nullable: false }),
        column('b', t.String(20), { nullable: false }),
        column('label', t.String(50), { nullable: false }),
      ],
      primaryKey: { name: null, columns: ['b', 'a'] },
      foreignKeys: [],
      indexes: [],
      uniqueConstraints: [{ name: 'uq_refl_my_parent_label', columns: ['label'] }],
      checkConstraints: [],
    });
  });

  it('reads auto_increment, comments, a composite cascading foreign key and its implicit index, prefix indexes and a check', async () => {
    expect(await table('refl_my_child')).to.deep.equal({
      name: 'refl_my_child',
      schema: null,
      comment: null,
      ...tableOptions,
      columns: [
        column('id', t.Integer(), { nullable: false, autoincrement: true, comment: 'surrogate key' }),
        column('parent_b', t.String(20)),
        column('parent_a', t.Integer()),
        column('qty', t.Integer(), { nullable: false }),
        column('body', t.Text()),
      ],
      primaryKey: { name: null, columns: ['id'] },
      foreignKeys: [
        {
          name: 'fk_refl_my_child_parent',
          columns: ['parent_b', 'parent_a'],
          referredSchema: null,
          referredTable: 'refl_my_parent',
          referredColumns: ['b', 'a'],
          onDelete: 'CASCADE',
          onUpdate: 'SET NULL',
          deferrable: false,
          initially: null,
        },
      ],
      indexes: [
        { name: 'fk_refl_my_child_parent', columns: ['parent_b', 'parent_a'], expressions: [null, null], unique: false, implicit: true },
        {
          name: 'ix_refl_my_child_body',
          columns: ['body', 'qty'],
          expressions: [null, null],
          unique: false,
          mysqlLength: { body: 10 },
          implicit: false,
        },
        { name: 'ix_refl_my_child_qty', columns: ['qty'], expressions: [null], unique: false, implicit: false },
        // A unique prefix index cannot be a unique constraint in the reflected model: it stays an index.
        { name: 'uq_refl_my_child_body', columns: ['body'], expressions: [null], unique: true, mysqlLength: { body: 8 }, implicit: false },
      ],
      uniqueConstraints: [{ name: 'uq_refl_my_child_pair', columns: ['qty', 'parent_a'] }],
      // MySQL 8 keeps the outer parentheses of a check clause; MariaDB drops them.
      checkConstraints: [{ name: 'ck_refl_my_child_qty', sqltext: mariadb ? '`qty` >= 0' : '(`qty` >= 0)' }],
    });
  });

  it('reads unnamed foreign keys, the default action as null (MariaDB keeps a NO ACTION written out), and tells implicit indexes from user ones', async () => {
    const link = await table('refl_my_link');
    expect(link.primaryKey).to.equal(null);
    expect(link.foreignKeys).to.deep.equal([
      {
        name: 'fk_refl_my_link_parent',
        columns: ['parent_b', 'parent_a'],
        referredSchema: null,
        referredTable: 'refl_my_parent',
        referredColumns: ['b', 'a'],
        onDelete: null,
        onUpdate: mariadb ? 'NO ACTION' : null,
        deferrable: false,
        initially: null,
      },
      {
        name: 'refl_my_link_ibfk_1',
        columns: ['child_id'],
        referredSchema: null,
        referredTable: 'refl_my_child',
        referredColumns: ['id'],
        onDelete: null,
        onUpdate: null,
        deferrable: false,
        initially: null,
      },
    ]);
    expect(link.indexes).to.deep.equal([
      { name: 'child_id', columns: ['child_id'], expressions: [null], unique: false, implicit: true },
      { name: 'ix_refl_my_link_parent', columns: ['parent_b', 'parent_a'], expressions: [null, null], unique: false, implicit: false },
    ]);
  });

  it('lists views apart from tables, sorts tables by name and has no enums', async () => {
    const schema = await reflect();
    const names = schema.tables.map((t) => t.name).filter((n) => n.startsWith('refl_my_'));
    expect(names).to.deep.equal(['refl_my_child', 'refl_my_defaults', 'refl_my_link', 'refl_my_parent', 'refl_my_types']);
    expect(schema.tables.map((t) => t.name)).to.deep.equal([...schema.tables.map((t) => t.name)].sort());
    expect(schema.views).to.include('refl_my_view');
    expect(schema.enums).to.deep.equal([]);
    // A table filter narrows the tables, not the views.
    const one = await reflect({ tables: ['refl_my_parent', 'refl_my_view', 'refl_my_missing'] });
    expect(one.tables.map((t) => t.name)).to.deep.equal(['refl_my_parent']);
    expect(one.views).to.include('refl_my_view');
  });

  it('answers defaultSchema and tableNames, without views', async () => {
    await engine.connect(async (conn) => {
      const query = catalogQuery(conn);
      const database = String(await conn.execute(text('SELECT DATABASE() AS d')).then((r) => r.scalar()));
      expect(await mysqlReflection.defaultSchema(query)).to.equal(database);
      const names = await mysqlReflection.tableNames(query, null);
      expect(names.filter((n) => n.startsWith('refl_my_'))).to.deep.equal([
        'refl_my_child',
        'refl_my_defaults',
        'refl_my_link',
        'refl_my_parent',
        'refl_my_types',
      ]);
      expect(await mysqlReflection.tableNames(query, database)).to.deep.equal(names);
      // An explicit schema is reported as given; a referred table in the default schema stays unqualified.
      const explicit = await mysqlReflection.reflect(query, database, { tables: ['refl_my_child'] });
      expect(explicit.tables[0]?.schema).to.equal(database);
      expect(explicit.tables[0]?.foreignKeys[0]?.referredSchema).to.equal(null);
    });
  });

  describe('query count', function () {
    before(async function () {
      this.timeout(120_000);
      for (const [i, name] of MANY.entries()) {
        await run(`CREATE TABLE ${name} (
          id INT NOT NULL PRIMARY KEY,
          parent_id INT,
          note VARCHAR(20) DEFAULT 'x' COMMENT 'a note',
          CONSTRAINT uq_${name}_note UNIQUE (note),
          CONSTRAINT ck_${name}_id CHECK (id > 0),
          CONSTRAINT fk_${name}_parent FOREIGN KEY (parent_id) REFERENCES ${i === 0 ? name : MANY[0]} (id)
        )`);
      }
    });

    it('is the same for 1 table and for 30', async () => {
      const forOne: string[] = [];
      const forThirty: string[] = [];
      const forAll: string[] = [];
      const one = await reflect({ tables: MANY.slice(0, 1) }, forOne);
      const thirty = await reflect({ tables: MANY }, forThirty);
      await reflect({}, forAll);
      expect(one.tables).to.have.length(1);
      expect(thirty.tables).to.have.length(30);
      expect(thirty.tables[29]?.foreignKeys.map((fk) => fk.name)).to.deep.equal(['fk_refl_my_many_30_parent']);
      expect(thirty.tables[29]?.checkConstraints).to.deep.equal([
        { name: 'ck_refl_my_many_30_id', sqltext: mariadb ? '`id` > 0' : '(`id` > 0)' },
      ]);
      expect(forThirty.length).to.equal(forOne.length);
      expect(forAll.length).to.equal(forOne.length);
      // Server, tables, columns, key constraints, referential rules, index columns, checks.
      expect(forOne.length).to.equal(7);
    });
  });
});

// The server here may be MariaDB only; these pin down how MySQL 8 spells the same catalog facts.
describe('mysql: reflection of catalog spellings (no server)', function () {
  it('maps MySQL 8 and MariaDB COLUMN_TYPE spellings', () => {
    const cases: [string, TypeEngine][] = [
      ['int', t.Integer()],
      ['int(11)', t.Integer()],
      ['int unsigned', t.mysql.UNSIGNED_INTEGER()],
      ['bigint(20) unsigned', t.mysql.UNSIGNED_BIGINT()],
      ['tinyint(1)', t.Boolean()],
      ['tinyint', t.mysql.TINYINT()],
      ['tinyint(4)', t.mysql.TINYINT()],
      ['tinyint unsigned', t.dialectType('mysql', 'TINYINT UNSIGNED', t.SmallInteger())],
      ['mediumint unsigned', t.dialectType('mysql', 'MEDIUMINT UNSIGNED', t.Integer())],
      ['int(5) unsigned zerofill', t.dialectType('mysql', 'INT(5) UNSIGNED ZEROFILL', t.Integer())],
      ['double(10,2)', t.dialectType('mysql', 'DOUBLE(10,2)', t.Float())],
      ['decimal(10,0)', t.Numeric(10, 0)],
      ['decimal(10,2) unsigned', t.dialectType('mysql', 'DECIMAL(10,2) UNSIGNED', t.Numeric(10, 2))],
      ['json', t.JSON()],
      ['year', t.mysql.YEAR()],
      ['year(4)', t.mysql.YEAR()],
      ['datetime /* mariadb-5.3 */', t.mysql.DATETIME()],
      ['datetime(6)', t.DateTime()],
      ['datetime(3)', t.mysql.DATETIME(3)],
      ['timestamp(3)', t.mysql.TIMESTAMP(3)],
      ['time(6)', t.Time()],
      ['tinyblob', t.dialectType('mysql', 'TINYBLOB', t.LargeBinary())],
      ['binary(16)', t.dialectType('mysql', 'BINARY(16)', t.LargeBinary(16))],
      ['bit(1)', t.dialectType('mysql', 'BIT(1)', t.Text())],
      ['geometry', t.dialectType('mysql', 'GEOMETRY', t.Text())],
      ['uuid', t.dialectType('mysql', 'UUID', t.Uuid())],
      ["enum('a\\\\b','it''s','p) q','')", t.Enum(['a\\b', "it's", 'p) q', ''])],
    ];
    for (const [columnType, expected] of cases) expect(String(mysqlColumnType(columnType)), columnType).to.equal(String(expected));
  });

  it('normalises MySQL raw defaults and MariaDB SQL defaults to the same spelling', () => {
    const mysqlDefault = (raw: string | null, dataType: string, extra = '') => mysqlColumnDefault(raw, { dataType, extra, mariadb: false });
    expect(mysqlDefault(null, 'varchar')).to.equal(null);
    expect(mysqlDefault('abc', 'varchar')).to.equal("'abc'");
    expect(mysqlDefault("it's", 'varchar')).to.equal("'it''s'");
    expect(mysqlDefault('', 'varchar')).to.equal("''");
    expect(mysqlDefault('NULL', 'varchar')).to.equal("'NULL'");
    expect(mysqlDefault('0', 'varchar')).to.equal("'0'");
    expect(mysqlDefault('0', 'int')).to.equal('0');
    expect(mysqlDefault('1.50', 'decimal')).to.equal('1.50');
    expect(mysqlDefault('b', 'enum')).to.equal("'b'");
    expect(mysqlDefault('2020-01-02', 'date')).to.equal("'2020-01-02'");
    expect(mysqlDefault('CURRENT_TIMESTAMP', 'timestamp', 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP')).to.equal('CURRENT_TIMESTAMP');
    expect(mysqlDefault('CURRENT_TIMESTAMP(6)', 'datetime')).to.equal('CURRENT_TIMESTAMP(6)');
    expect(mysqlDefault('CURRENT_TIMESTAMP', 'varchar')).to.equal("'CURRENT_TIMESTAMP'");
    expect(mysqlDefault('curdate()', 'date', 'DEFAULT_GENERATED')).to.equal('curdate()');
    expect(mysqlDefault("b'101'", 'bit')).to.equal("b'101'");
    expect(mysqlDefault('0x6162', 'varbinary')).to.equal('0x6162');

    const mariadbDefault = (raw: string | null) => mysqlColumnDefault(raw, { dataType: 'varchar', extra: '', mariadb: true });
    expect(mariadbDefault(null)).to.equal(null);
    expect(mariadbDefault('NULL')).to.equal(null);
    expect(mariadbDefault("'NULL'")).to.equal("'NULL'");
    expect(mariadbDefault("'it''s'")).to.equal("'it''s'");
    expect(mariadbDefault('current_timestamp()')).to.equal('current_timestamp()');
  });
});
