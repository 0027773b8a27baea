/**
 * SQLite catalog reflection: every mapped type, rowid aliases, composite and WITHOUT ROWID keys, named
 * and unnamed UNIQUE / FOREIGN KEY / CHECK constraints recovered from the DDL text, expression and
 * partial indexes, odd identifiers, views and attached databases; the reflected shapes are asserted
 * exactly. The suite uses its own in-memory database (and private temporary ones attached with
 * `ATTACH ''`) so other suites' tables cannot show up.
 */
import { expect } from 'chai';
import type { QueryFn, ReflectedColumn, ReflectedSchema, ReflectedTable } from '../../src/dialects/reflection.js';
import { getDialect } from '../../src/dialects/index.js';
import { parseCreateIndex, parseCreateTable } from '../../src/dialects/sqlite/reflection-parse.js';
import { reflectedType, sqliteReflection } from '../../src/dialects/sqlite/reflection.js';
import { type Connection, type Engine, createEngine } from '../../src/engine/index.js';
import { catalogQuery } from '../../src/engine/catalog-query.js';
import { column } from '../../src/schema/column.js';
import { CheckConstraint } from '../../src/schema/constraints.js';
import { CreateTable } from '../../src/schema/ddl.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { text } from '../../src/sql/elements/text.js';
import { DialectSpecificType, t } from '../../src/types/index.js';

const OTHER = 'other db';

const FIXTURE = [
  `CREATE TABLE every_type (
    id INTEGER PRIMARY KEY,
    big BIGINT,
    small SMALLINT,
    name VARCHAR(50) NOT NULL DEFAULT 'abc',
    unbounded VARCHAR,
    body TEXT,
    flag BOOLEAN DEFAULT 0,
    born DATE,
    seen DATETIME DEFAULT CURRENT_TIMESTAMP,
    at_time TIME,
    ratio FLOAT,
    ratio_p FLOAT(24),
    ratio_r REAL,
    ratio_d DOUBLE,
    ratio_dp double precision,
    price NUMERIC(10, 2) DEFAULT 0,
    amount DECIMAL,
    doc JSON,
    uid CHAR(36),
    data BLOB,
    code CHAR(3),
    plain_int INT,
    stamp TIMESTAMP,
    yes BOOL,
    cash MONEY,
    spaced varchar ( 20 ),
    anything,
    doubled INTEGER GENERATED ALWAYS AS (small * 2) STORED
  )`,
  'CREATE TABLE counters (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER)',
  'CREATE TABLE not_alias (id INT PRIMARY KEY, note TEXT)',
  'CREATE TABLE desc_key (id INTEGER PRIMARY KEY DESC)',
  'CREATE TABLE pairs (a INTEGER NOT NULL, b TEXT NOT NULL, v BLOB, CONSTRAINT pairs_pk PRIMARY KEY (b, a)) WITHOUT ROWID',
  `CREATE TABLE parents (
    region TEXT NOT NULL,
    code INTEGER NOT NULL,
    label TEXT UNIQUE,
    tag TEXT,
    slug TEXT,
    CONSTRAINT parents_pk PRIMARY KEY (code, region),
    CONSTRAINT parents_tag_slug_uq UNIQUE (tag, slug),
    UNIQUE (slug)
  )`,
  // UNIQUE (b) twice: SQLite keeps one index, and the named spelling is the one reported.
  'CREATE TABLE dupes (a INTEGER PRIMARY KEY, b TEXT UNIQUE, UNIQUE (a), CONSTRAINT dupes_b_uq UNIQUE (b))',
  'CREATE TABLE owners (id INTEGER PRIMARY KEY, "name with ""quotes""" TEXT)',
  `CREATE TABLE IF NOT EXISTS "order" (
    "id" INTEGER CONSTRAINT order_pk PRIMARY KEY,
    parent_id INTEGER CONSTRAINT order_parent_fk REFERENCES "order" ("id") DEFERRABLE INITIALLY DEFERRED,
    p_code INTEGER,
    p_region TEXT,
    "select" TEXT,
    [odd col] TEXT CONSTRAINT "odd ""check""" CHECK ([odd col] <> 'x, )'),
    qty INTEGER NOT NULL DEFAULT -1 CHECK (qty > 0),
    \`owner\` INTEGER REFERENCES owners ON DELETE SET NULL,
    ghost INTEGER REFERENCES missing_table,
    -- a comment, with a comma and a ( parenthesis
    CONSTRAINT order_parent_fk2 FOREIGN KEY (p_code, p_region) REFERENCES parents (code, region)
      ON DELETE CASCADE ON UPDATE SET NULL,
    FOREIGN KEY (p_region, p_code) REFERENCES Parents ON DELETE SET DEFAULT NOT DEFERRABLE,
    CONSTRAINT order_checks CHECK ("select" IS NOT NULL AND qty < 100) /* trailing, comment ) */
  )`,
  'CREATE INDEX order_qty_idx ON "order" (qty)',
  'CREATE UNIQUE INDEX "order select lower" ON "order" (lower("select"))',
  'CREATE INDEX order_mixed_idx ON "order" (qty DESC, (p_code + 1), "select" COLLATE NOCASE, lower([odd col]) ASC)',
  'CREATE INDEX order_partial_idx ON "order" (p_code) WHERE qty > 10',
  'CREATE VIEW order_view AS SELECT "id" FROM "order"',
  'CREATE VIEW "a view" AS SELECT 1 AS one',
  `ATTACH DATABASE '' AS "${OTHER}"`,
  `CREATE TABLE "${OTHER}".owners (id INTEGER PRIMARY KEY)`,
  `CREATE TABLE "${OTHER}".pets (id INTEGER PRIMARY KEY, owner_id INTEGER CONSTRAINT pets_owner_fk REFERENCES owners (id))`,
  `CREATE INDEX "${OTHER}".pets_owner_idx ON pets (owner_id)`,
];

/** A column as asserted: the type by its renderer spelling, which names its class and parameters. */
type ColumnView = Omit<ReflectedColumn, 'type'> & { type: string };

const col = (name: string, type: string, extra: Partial<ColumnView> = {}): ColumnView => ({
  name,
  type,
  nullable: true,
  default: null,
  autoincrement: false,
  comment: null,
  ...extra,
});

const viewColumns = (table: ReflectedTable | undefined): ColumnView[] =>
  (table?.columns ?? []).map((c) => ({ ...c, type: c.type.toString() }));

const tableNamed = (schema: ReflectedSchema, name: string) => schema.tables.find((table) => table.name === name);

const fk = (extra: Record<string, unknown>) => ({
  name: null,
  referredSchema: null,
  onDelete: null,
  onUpdate: null,
  deferrable: false,
  initially: null,
  ...extra,
});

describe('sqlite: reflection', function () {
  let engine: Engine;
  /** One connection for the suite: the in-memory database and its attachments live as long as it does. */
  let conn: Connection;
  /** Every statement the reflection issues, in order. */
  const issued: string[] = [];
  let query: QueryFn;
  let reflected: ReflectedSchema;
  const run = (sql: string) => conn.execute(text(sql));

  before(async () => {
    engine = createEngine('sqlite://');
    conn = await engine.connect();
    query = catalogQuery(conn, (sql) => issued.push(sql));
    for (const statement of FIXTURE) await run(statement);
    reflected = await sqliteReflection.reflect(query, null);
  });

  after(async () => {
    await conn.close();
    await engine.dispose();
  });

  it('has no default schema and lists tables without views or sqlite_ tables', async () => {
    expect(await sqliteReflection.defaultSchema(query)).to.equal(null);
    const names = ['counters', 'desc_key', 'dupes', 'every_type', 'not_alias', 'order', 'owners', 'pairs', 'parents'];
    expect(await sqliteReflection.tableNames(query, null)).to.deep.equal(names);
    expect(reflected.tables.map((table) => table.name)).to.deep.equal(names);
    expect(reflected.tables.every((table) => table.schema === null && table.comment === null)).to.equal(true);
    expect(reflected.views).to.deep.equal(['a view', 'order_view']);
    expect(reflected.enums).to.deep.equal([]);
  });

  it('maps every declared type, with defaults as SQLite stores them', () => {
    const table = tableNamed(reflected, 'every_type');
    expect(viewColumns(table)).to.deep.equal([
      col('id', 'Integer()', { nullable: false, autoincrement: true }),
      col('big', 'BigInteger()'),
      col('small', 'SmallInteger()'),
      col('name', 'String(50)', { nullable: false, default: "'abc'" }),
      col('unbounded', 'String()'),
      col('body', 'Text()'),
      col('flag', 'Boolean()', { default: '0' }),
      col('born', 'Date()'),
      col('seen', 'DateTime()', { default: 'CURRENT_TIMESTAMP' }),
      col('at_time', 'Time()'),
      col('ratio', 'Float()'),
      col('ratio_p', 'Float(24)'),
      // Synonyms keep their spelling, so a table rebuilt from reflection declares what it did.
      col('ratio_r', "dialectType('sqlite', 'REAL', t.Float())"),
      col('ratio_d', "dialectType('sqlite', 'DOUBLE', t.Float())"),
      col('ratio_dp', "dialectType('sqlite', 'DOUBLE PRECISION', t.Float())"),
      col('price', 'Numeric(10, 2)', { default: '0' }),
      col('amount', "dialectType('sqlite', 'DECIMAL', t.Numeric())"),
      col('doc', 'JSON()'),
      col('uid', 'Uuid()'),
      col('data', 'LargeBinary()'),
      col('code', "dialectType('sqlite', 'CHAR(3)', t.String(3))"),
      col('plain_int', "dialectType('sqlite', 'INT', t.Integer())"),
      col('stamp', "dialectType('sqlite', 'TIMESTAMP', t.DateTime())"),
      col('yes', "dialectType('sqlite', 'BOOL', t.Boolean())"),
      col('cash', "dialectType('sqlite', 'MONEY', t.Numeric())"),
      col('spaced', 'String(20)'),
      col('anything', "dialectType('sqlite', '', t.Text())"),
      // A generated column's expression is not a default: it is the column's `computed` clause.
      col('doubled', 'Integer()', { computed: { sqltext: 'small * 2', persisted: true } }),
    ]);
    const types = new Map(table?.columns.map((c) => [c.name, c.type]));
    expect(types.get('plain_int')).to.be.instanceOf(DialectSpecificType).and.include({ dialect: 'sqlite', sqlName: 'INT' });
  });

  it('reports only a lone INTEGER PRIMARY KEY (the rowid alias) as autoincrement', () => {
    const first = (name: string) => viewColumns(tableNamed(reflected, name))[0];
    // AUTOINCREMENT is an identity, which starts where sqlite_sequence's counter goes on (1 for a new table).
    expect(first('counters')).to.deep.equal(col('id', 'Integer()', { nullable: false, autoincrement: true, identity: { start: 1 } }));
    // INT is not INTEGER, and INTEGER PRIMARY KEY DESC is a documented exception: both get an index instead.
    expect(first('not_alias')).to.deep.equal(col('id', "dialectType('sqlite', 'INT', t.Integer())"));
    expect(first('desc_key')).to.deep.equal(col('id', 'Integer()'));
    expect(viewColumns(tableNamed(reflected, 'pairs'))).to.deep.equal([
      col('a', 'Integer()', { nullable: false }),
      col('b', 'Text()', { nullable: false }),
      col('v', 'LargeBinary()'),
    ]);
  });

  it('reads primary keys in key order, with their names', () => {
    const keys = Object.fromEntries(reflected.tables.map((table) => [table.name, table.primaryKey]));
    expect(keys).to.deep.equal({
      counters: { name: null, columns: ['id'] },
      desc_key: { name: null, columns: ['id'] },
      dupes: { name: null, columns: ['a'] },
      every_type: { name: null, columns: ['id'] },
      not_alias: { name: null, columns: ['id'] },
      order: { name: 'order_pk', columns: ['id'] },
      owners: { name: null, columns: ['id'] },
      pairs: { name: 'pairs_pk', columns: ['b', 'a'] },
      parents: { name: 'parents_pk', columns: ['code', 'region'] },
    });
  });

  it('reads named and unnamed UNIQUE constraints in the order written, not as indexes', () => {
    const parents = tableNamed(reflected, 'parents');
    expect(parents?.uniqueConstraints).to.deep.equal([
      { name: null, columns: ['label'] },
      { name: 'parents_tag_slug_uq', columns: ['tag', 'slug'] },
      { name: null, columns: ['slug'] },
    ]);
    expect(parents?.indexes).to.deep.equal([]);
    expect(tableNamed(reflected, 'dupes')?.uniqueConstraints).to.deep.equal([
      { name: 'dupes_b_uq', columns: ['b'] },
      { name: null, columns: ['a'] },
    ]);
  });

  it('reads foreign keys in the order written, named from the DDL, resolving REFERENCES parent to its key', () => {
    expect(tableNamed(reflected, 'order')?.foreignKeys).to.deep.equal([
      fk({
        name: 'order_parent_fk',
        columns: ['parent_id'],
        referredTable: 'order',
        referredColumns: ['id'],
        deferrable: true,
        initially: 'DEFERRED',
      }),
      fk({ columns: ['owner'], referredTable: 'owners', referredColumns: ['id'], onDelete: 'SET NULL' }),
      // SQLite accepts a missing parent; without it there is no key to resolve to.
      fk({ columns: ['ghost'], referredTable: 'missing_table', referredColumns: [] }),
      fk({
        name: 'order_parent_fk2',
        columns: ['p_code', 'p_region'],
        referredTable: 'parents',
        referredColumns: ['code', 'region'],
        onDelete: 'CASCADE',
        onUpdate: 'SET NULL',
      }),
      fk({ columns: ['p_region', 'p_code'], referredTable: 'Parents', referredColumns: ['code', 'region'], onDelete: 'SET DEFAULT' }),
    ]);
    expect(tableNamed(reflected, 'parents')?.foreignKeys).to.deep.equal([]);
  });

  it('reads CHECK constraints as written, through quotes, strings and comments', () => {
    expect(tableNamed(reflected, 'order')?.checkConstraints).to.deep.equal([
      { name: 'odd "check"', sqltext: "[odd col] <> 'x, )'" },
      { name: null, sqltext: 'qty > 0' },
      { name: 'order_checks', sqltext: '"select" IS NOT NULL AND qty < 100' },
    ]);
  });

  it('reads CREATE INDEX indexes with expression items, and odd column names', () => {
    const order = tableNamed(reflected, 'order');
    expect(order?.indexes).to.deep.equal([
      { name: 'order select lower', columns: [null], expressions: ['lower("select")'], unique: true, implicit: false },
      {
        name: 'order_mixed_idx',
        columns: ['qty', null, 'select', null],
        expressions: [null, 'p_code + 1', null, 'lower([odd col])'],
        unique: false,
        // A column's DESC is its order; an expression item's is not kept.
        order: { qty: 'DESC' },
        implicit: false,
      },
      // The WHERE of a partial index has no generic slot in the contract yet.
      { name: 'order_partial_idx', columns: ['p_code'], expressions: [null], unique: false, implicit: false },
      { name: 'order_qty_idx', columns: ['qty'], expressions: [null], unique: false, implicit: false },
    ]);
    expect(viewColumns(order).map((c) => c.name)).to.deep.equal([
      'id', 'parent_id', 'p_code', 'p_region', 'select', 'odd col', 'qty', 'owner', 'ghost',
    ]);
    expect(viewColumns(order)[6]).to.deep.equal(col('qty', 'Integer()', { nullable: false, default: '-1' }));
    expect(viewColumns(tableNamed(reflected, 'owners'))[1]).to.deep.equal(col('name with "quotes"', 'Text()'));
  });

  it('reads an attached database by its schema name', async () => {
    expect(await sqliteReflection.tableNames(query, OTHER)).to.deep.equal(['owners', 'pets']);
    const other = await sqliteReflection.reflect(query, OTHER);
    expect(other.tables.map((table) => [table.name, table.schema])).to.deep.equal([
      ['owners', OTHER],
      ['pets', OTHER],
    ]);
    const pets = tableNamed(other, 'pets');
    expect(pets?.foreignKeys).to.deep.equal([
      fk({ name: 'pets_owner_fk', columns: ['owner_id'], referredTable: 'owners', referredColumns: ['id'] }),
    ]);
    expect(pets?.indexes).to.deep.equal([
      { name: 'pets_owner_idx', columns: ['owner_id'], expressions: [null], unique: false, implicit: false },
    ]);
    expect(other.views).to.deep.equal([]);
  });

  it('reflects only the tables asked for, and nothing for an empty attached database', async () => {
    const some = await sqliteReflection.reflect(query, null, { tables: ['parents', 'owners', 'missing'] });
    expect(some.tables.map((table) => table.name)).to.deep.equal(['owners', 'parents']);
    expect(tableNamed(some, 'parents')).to.deep.equal(tableNamed(reflected, 'parents'));
    await run(`ATTACH DATABASE '' AS empty`);
    expect(await sqliteReflection.reflect(query, 'empty')).to.deep.equal({ tables: [], views: [], enums: [], sequences: [] });
  });

  it('issues the same number of queries for 1 table as for 30', async () => {
    await run(`ATTACH DATABASE '' AS counting`);
    const countFor = async (options = {}): Promise<number> => {
      issued.length = 0;
      await sqliteReflection.reflect(query, 'counting', options);
      return issued.length;
    };
    await run('CREATE TABLE counting.t0 (id INTEGER PRIMARY KEY, name TEXT UNIQUE)');
    const one = await countFor();
    for (let i = 1; i < 30; i++) {
      await run(`CREATE TABLE counting.t${i} (id INTEGER PRIMARY KEY, up INTEGER REFERENCES t${i - 1} (id), CHECK (up > 0))`);
      await run(`CREATE INDEX counting.t${i}_up ON t${i} (up)`);
    }
    const thirty = await countFor();
    const filtered = await countFor({ tables: ['t3', 't7'] });
    expect([one, thirty, filtered]).to.deep.equal([4, 4, 4]);
    const all = await sqliteReflection.reflect(query, 'counting');
    expect(all.tables).to.have.length(30);
    expect(tableNamed(all, 't29')?.foreignKeys.map((key) => [key.referredTable, key.referredColumns])).to.deep.equal([
      ['t28', ['id']],
    ]);
  });

  it("reads back the types of a table created by tsmig's own DDL", async () => {
    await run(`ATTACH DATABASE '' AS round_trip`);
    const table = new Table(
      'typed',
      new MetaData(),
      {
        id: column(t.Integer(), { primaryKey: true }),
        big: column(t.BigInteger()),
        small: column(t.SmallInteger()),
        name: column(t.String(40)),
        unbounded: column(t.String()),
        body: column(t.Text()),
        flag: column(t.Boolean()),
        born: column(t.Date()),
        seen: column(t.DateTime()),
        at: column(t.Time()),
        ratio: column(t.Float()),
        ratioP: column(t.Float(10)),
        price: column(t.Numeric(12, 3)),
        amount: column(t.Numeric()),
        doc: column(t.JSON()),
        uid: column(t.Uuid()),
        data: column(t.LargeBinary()),
        sized: column(t.LargeBinary(16)),
        plain: column(t.dialectType('sqlite', 'INT', t.Integer())),
        code: column(t.dialectType('sqlite', 'CHAR(3)', t.String(3))),
        mood: column(t.Enum(['sad', "it's"], { name: 'mood' })),
        level: column(t.Enum(['lo', 'hi'])),
        // A CHECK like an enum's on a column wider than its values was written by hand: it stays a check.
        grade: column(t.String(9)),
      },
      { schema: 'round_trip', constraints: () => [new CheckConstraint("grade IN ('a', 'b')")] },
    );
    for (const statement of getDialect('sqlite').compileDdl(new CreateTable(table))) await run(statement);
    const [typed] = (await sqliteReflection.reflect(query, 'round_trip')).tables;
    expect(typed?.columns.map((c) => [c.name, c.type.toString()])).to.deep.equal(
      table.columns.map((c) => [c.name, c.type.toString()]),
    );
    expect(typed?.columns[0]).to.include({ autoincrement: true, default: null, nullable: false });
    // An enum is read back from its CHECK, which is no check of its own.
    expect(typed?.checkConstraints).to.deep.equal([{ name: null, sqltext: "grade IN ('a', 'b')" }]);
    let refused: unknown = null;
    await run("INSERT INTO round_trip.typed (id, mood) VALUES (1, 'happy')").catch((e: unknown) => (refused = e));
    expect(String(refused)).to.match(/CHECK constraint failed: mood/);
  });
});

describe('sqlite: reflection DDL parsing', function () {
  it('maps declared types by name, then by SQLite affinity', () => {
    const spell = (declared: string) => reflectedType(declared).toString();
    expect(spell('integer')).to.equal('Integer()');
    expect(spell('NUMERIC( 8 ,3 )')).to.equal('Numeric(8, 3)');
    expect(spell('INTEGER(11)')).to.equal("dialectType('sqlite', 'INTEGER(11)', t.Integer())");
    expect(spell('NVARCHAR(10)')).to.equal("dialectType('sqlite', 'NVARCHAR(10)', t.String(10))");
    expect(spell('CLOB')).to.equal("dialectType('sqlite', 'CLOB', t.Text())");
    expect(spell('BLOBBY')).to.equal("dialectType('sqlite', 'BLOBBY', t.LargeBinary())");
    expect(spell('DOUBLE(8)')).to.equal("dialectType('sqlite', 'DOUBLE(8)', t.Float())");
    // SQLite's own documented surprise: "INT" inside the name wins, so FLOATING POINT is an integer type.
    expect(spell('FLOATING POINT')).to.equal("dialectType('sqlite', 'FLOATING POINT', t.Integer())");
    expect(spell('VARCHAR(max)')).to.equal("dialectType('sqlite', 'VARCHAR(max)', t.Text())");
  });

  it('finds constraints through every quoting style and without separating commas', () => {
    const parsed = parseCreateTable(
      'CREATE TABLE "t(" ("a""b" INT CONSTRAINT [c,k] CHECK (`a"b` > 0) CONSTRAINT u UNIQUE, ' +
        "b TEXT DEFAULT 'UNIQUE (x)' COLLATE NOCASE REFERENCES p ON UPDATE NO ACTION MATCH FULL DEFERRABLE, " +
        'UNIQUE (b) CHECK (b <> \'\'), CONSTRAINT \'fk\' FOREIGN KEY ([a"b]) REFERENCES "p" (x))',
    );
    expect(parsed).to.deep.equal({
      primaryKeyName: null,
      uniques: [
        { name: 'u', columns: ['a"b'] },
        { name: null, columns: ['b'] },
      ],
      foreignKeys: [
        { name: null, columns: ['b'], referredTable: 'p', referredColumns: [], deferrable: true, initially: null },
        { name: 'fk', columns: ['a"b'], referredTable: 'p', referredColumns: ['x'], deferrable: false, initially: null },
      ],
      checks: [
        { name: 'c,k', sqltext: '`a"b` > 0' },
        { name: null, sqltext: "b <> ''" },
      ],
      generated: new Map(),
    });
    // `[GENERATED ALWAYS] AS (...)`: the expression as written, a parenthesised group inside it included.
    expect(parseCreateTable('CREATE TABLE g (a INT, b INT AS ((a + 1) * 2) STORED, "c d" TEXT GENERATED ALWAYS AS (lower(\'X\')) NOT NULL)').generated).to.deep.equal(
      new Map([
        ['b', '(a + 1) * 2'],
        ['c d', "lower('X')"],
      ]),
    );
    expect(parseCreateTable('CREATE VIRTUAL TABLE docs USING fts5(title, body, UNIQUE)')).to.deep.equal({
      primaryKeyName: null,
      uniques: [],
      foreignKeys: [],
      checks: [],
      generated: new Map(),
    });
  });

  it('splits index items and keeps the partial index condition', () => {
    expect(parseCreateIndex('CREATE INDEX "i (" ON t ((a), b DESC, f(c, \',\') COLLATE x) WHERE a > 0 -- note')).to.deep.equal({
      items: ['a', 'b', "f(c, ',') COLLATE x"],
      where: 'a > 0',
    });
  });
});
