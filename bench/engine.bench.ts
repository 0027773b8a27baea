/**
 * Issue "Foundation": the engine's cost over the raw driver for the two bulk paths every application
 * hits, a batched INSERT and a large SELECT. Aim: tsmig within 1.2x of the driver for both (issue 12; the
 * first aim, in issue "Foundation", was 1.3x).
 *
 * - insert: 10,000 rows in one transaction. tsmig: `conn.execute(insert(table), rows)` (executemany,
 *   which batches multi-row VALUES). Baseline: the driver with 500-row multi-row VALUES batches run as
 *   prepared statements (better-sqlite3 `prepare().run()`, pg `client.query({ name })`, mysql2
 *   `execute`), BEGIN and COMMIT around them.
 * - select: 100,000 rows. tsmig: `conn.execute(select(table))` then `.all()`, on a connection checked out
 *   of the pool for the purpose (the path an application takes). Baselines: the driver's plain SELECT on
 *   an open connection, once with its default object rows and once with array rows.
 *
 * Both sides get the same values: `created` is a `Date`, `flag` a boolean. Where the driver cannot
 * bind them itself (better-sqlite3) the baseline converts them in its loop, as its users must.
 */
import BetterSqlite3 from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import {
  type Engine,
  MetaData,
  Table,
  column,
  createEngine,
  insert,
  select,
  t,
  type DatabaseUrl,
} from '../src/index.js';
import { type MovieData, TRUNCATE, check, forEachBatch, makeMovieData, rawConnectionOptions } from './fixtures.js';
import { type Bench, type BenchTarget, type ResultRow, type RepeatOptions, compare, formatCount, benchName } from './harness.js';

const INSERT_ROWS = 10_000;
const READ_ROWS = 100_000;
const BASELINE_BATCH = 500;
const AIM = 1.2;
const OPTIONS: RepeatOptions = { warmup: 2, reps: 7 };

const INSERT_TABLE = benchName('insert');
const READ_TABLE = benchName('read');
const COLUMNS = ['id', 'title', 'rating', 'year', 'created', 'flag'] as const;

/** The bench table's columns: id integer PK, title varchar(100), rating float, year integer, created timestamp, flag boolean. */
function benchTable(name: string, metadata: MetaData) {
  return new Table(name, metadata, {
    id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
    title: column(t.String(100)),
    rating: column(t.Float()),
    year: column(t.Integer()),
    created: column(t.DateTime()),
    flag: column(t.Boolean()),
  });
}

function benchTables() {
  const metadata = new MetaData();
  return { metadata, inserts: benchTable(INSERT_TABLE, metadata), reads: benchTable(READ_TABLE, metadata) };
}

/** A type alias, not an interface: execute() parameters are records, which interfaces are not assignable to. */
export type BenchRow = { readonly id: number } & Readonly<MovieData>;

/** The bench movies with their keys, 1 to `count`. */
export function makeRows(count: number): BenchRow[] {
  return makeMovieData(count).map((data, i) => ({ id: i + 1, ...data }));
}

/** What the baseline does on one driver: its own connection, its own SQL. */
interface RawDriver {
  /** Runs a parameterless statement (BEGIN, COMMIT, TRUNCATE). */
  exec(sql: string): Promise<void>;
  /** Inserts every row in `BASELINE_BATCH`-row prepared multi-row INSERTs, inside BEGIN ... COMMIT. */
  insertBatches(table: string, rows: readonly BenchRow[]): Promise<void>;
  /** The plain SELECT with the driver's default rows (objects). */
  readObjects(table: string): Promise<unknown[]>;
  /** The plain SELECT with array rows. */
  readArrays(table: string): Promise<unknown[]>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

function selectSql(table: string): string {
  return `SELECT ${COLUMNS.join(', ')} FROM ${table}`;
}

function insertSql(table: string, rows: number, placeholder: (n: number) => string): string {
  const tuples: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const slots = COLUMNS.map(() => placeholder(++n));
    tuples.push(`(${slots.join(', ')})`);
  }
  return `INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
}

function sqliteDriver(url: DatabaseUrl): RawDriver {
  const db = new BetterSqlite3(url.database!);
  const inserts = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let statement = inserts.get(sql);
    if (statement === undefined) inserts.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    async exec(sql) {
      db.exec(sql);
    },
    async insertBatches(table, rows) {
      db.exec('BEGIN');
      // better-sqlite3 binds neither Date nor boolean: the conversion is part of the baseline's work.
      await forEachBatch(
        rows,
        BASELINE_BATCH,
        (out, r) => out.push(r.id, r.title, r.rating, r.year, r.created.toISOString(), r.flag ? 1 : 0),
        (values, count) => {
          prepared(insertSql(table, count, () => '?')).run(values);
        },
      );
      db.exec('COMMIT');
    },
    async readObjects(table) {
      return prepared(selectSql(table)).all();
    },
    async readArrays(table) {
      const sql = selectSql(table);
      let statement = inserts.get(`raw:${sql}`);
      if (statement === undefined) inserts.set(`raw:${sql}`, (statement = db.prepare(sql).raw(true)));
      return statement.all();
    },
    async count(table) {
      return (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) ?? 0;
    },
    async close() {
      db.close();
    },
  };
}

async function postgresqlDriver(url: DatabaseUrl): Promise<RawDriver> {
  const client = new pg.Client(rawConnectionOptions(url));
  await client.connect();
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async insertBatches(table, rows) {
      await client.query('BEGIN');
      await forEachBatch(
        rows,
        BASELINE_BATCH,
        (out, r) => out.push(r.id, r.title, r.rating, r.year, r.created, r.flag),
        async (values, count) => {
          // A named query is prepared once per connection and then only bound and executed.
          await client.query({ name: `bench_insert_${table}_${count}`, text: insertSql(table, count, (n) => `$${n}`), values });
        },
      );
      await client.query('COMMIT');
    },
    async readObjects(table) {
      return (await client.query(selectSql(table))).rows;
    },
    async readArrays(table) {
      return (await client.query({ text: selectSql(table), rowMode: 'array' })).rows;
    },
    async count(table) {
      return Number((await client.query({ text: `SELECT count(*) FROM ${table}`, rowMode: 'array' })).rows[0][0]);
    },
    async close() {
      await client.end();
    },
  };
}

async function mysqlDriver(url: DatabaseUrl): Promise<RawDriver> {
  const conn = await mysql.createConnection(rawConnectionOptions(url));
  return {
    async exec(sql) {
      await conn.query(sql);
    },
    async insertBatches(table, rows) {
      await conn.query('BEGIN');
      await forEachBatch(
        rows,
        BASELINE_BATCH,
        (out, r) => out.push(r.id, r.title, r.rating, r.year, r.created, r.flag),
        async (values, count) => {
          // execute() prepares once per connection (mysql2 caches by SQL) and binds in the binary protocol.
          await conn.execute(insertSql(table, count, () => '?'), values as mysql.ExecuteValues[]);
        },
      );
      await conn.query('COMMIT');
    },
    async readObjects(table) {
      return (await conn.query(selectSql(table)))[0] as unknown[];
    },
    async readArrays(table) {
      return (await conn.query({ sql: selectSql(table), rowsAsArray: true }))[0] as unknown[];
    },
    async count(table) {
      const [rows] = await conn.query({ sql: `SELECT count(*) FROM ${table}`, rowsAsArray: true });
      return Number((rows as unknown[][])[0]![0]);
    },
    async close() {
      await conn.end();
    },
  };
}

function openDriver(target: BenchTarget): Promise<RawDriver> | RawDriver {
  switch (target.dialect) {
    case 'sqlite':
      return sqliteDriver(target.url);
    case 'postgresql':
      return postgresqlDriver(target.url);
    case 'mysql':
      return mysqlDriver(target.url);
  }
}

async function runEngineBench(target: BenchTarget, log: (line: string) => void, options: RepeatOptions): Promise<ResultRow[]> {
  const engine: Engine = createEngine(target.url);
  const { metadata, inserts, reads } = benchTables();
  let opened: RawDriver | null = null;
  const rows: ResultRow[] = [];
  try {
    const driver = (opened = await openDriver(target));
    // A previous run that died may have left the tables behind.
    await metadata.dropAll(engine);
    await metadata.createAll(engine);

    // --- insert ------------------------------------------------------------------------------------
    const insertRows = makeRows(INSERT_ROWS);
    const empty = () => driver.exec(TRUNCATE[target.dialect](INSERT_TABLE));
    let inserted = 0;
    log(`${target.dialect}: insert ${formatCount(INSERT_ROWS)} rows`);
    const insertTiming = await compare(
      {
        setup: empty,
        run: async () => {
          inserted = (await engine.begin((conn) => conn.execute(insert(inserts), insertRows))).rowCount;
        },
      },
      { setup: empty, run: () => driver.insertBatches(INSERT_TABLE, insertRows) },
      options,
    );
    check(inserted === INSERT_ROWS, `tsmig reported ${inserted} inserted rows, expected ${INSERT_ROWS}`);
    check((await driver.count(INSERT_TABLE)) === INSERT_ROWS, `the baseline left a wrong row count in ${INSERT_TABLE}`);
    rows.push({
      dialect: target.dialect,
      case: `insert ${formatCount(INSERT_ROWS)} rows`,
      work: { count: INSERT_ROWS, unit: 'rows' },
      ...insertTiming,
      aim: AIM,
      notes: { 'baseline rows': `batches of ${BASELINE_BATCH}, prepared` },
    });

    // --- select ------------------------------------------------------------------------------------
    log(`${target.dialect}: filling ${READ_TABLE} with ${formatCount(READ_ROWS)} rows`);
    await engine.begin((conn) => conn.execute(insert(reads), makeRows(READ_ROWS)));
    let readCount = 0;
    const tsmigRead = {
      run: async () => {
        const all = await engine.connect(async (conn) => (await conn.execute(select(reads))).all());
        readCount = all.length;
        check(all[0]!.created instanceof Date && typeof all[0]!.flag === 'boolean', 'tsmig row values are not converted');
      },
    };
    for (const shape of ['objects', 'arrays'] as const) {
      log(`${target.dialect}: select ${formatCount(READ_ROWS)} rows (baseline: ${shape})`);
      let baselineCount = 0;
      const timing = await compare(
        tsmigRead,
        {
          run: async () => {
            baselineCount = (shape === 'objects' ? await driver.readObjects(READ_TABLE) : await driver.readArrays(READ_TABLE)).length;
          },
        },
        options,
      );
      check(readCount === READ_ROWS && baselineCount === READ_ROWS, `read ${readCount} / ${baselineCount} rows, expected ${READ_ROWS}`);
      rows.push({
        dialect: target.dialect,
        case: `select ${formatCount(READ_ROWS)} rows`,
        work: { count: READ_ROWS, unit: 'rows' },
        ...timing,
        aim: AIM,
        notes: { 'baseline rows': shape === 'objects' ? 'objects (driver default)' : 'arrays' },
      });
    }
  } finally {
    await metadata.dropAll(engine).catch(() => undefined);
    await opened?.close();
    await engine.dispose();
  }
  return rows;
}

export const engineBench: Bench = {
  name: 'engine',
  title: `Foundation: executemany INSERT of ${formatCount(INSERT_ROWS)} rows in one transaction, SELECT of ${formatCount(READ_ROWS)} rows (aim: tsmig within ${AIM}x of the driver)`,
  baseline:
    `the raw driver on its own connection: ${BASELINE_BATCH}-row multi-row INSERTs as prepared statements ` +
    '(better-sqlite3 prepare().run(), pg named client.query(), mysql2 execute()); a plain SELECT returning the ' +
    "driver's default object rows, and array rows (raw(true), rowMode 'array', rowsAsArray). " +
    'The drivers parse what they parse by default (pg and mysql2 build Dates, better-sqlite3 leaves text and 0/1); ' +
    'tsmig returns Date and boolean on every dialect.',
  options: OPTIONS,
  run: runEngineBench,
};
