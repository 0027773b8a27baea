/**
 * Issue "ORM": the Session's cost over the raw driver for its two bulk paths. Aim: within 1.5x of the
 * driver's batched INSERT and plain SELECT.
 *
 * - flush: 10,000 new objects (built with `new BenchMovie({...})` before the timing; the time to build
 *   them is noted apart), `session.addAll()`, `session.commit()`, `session.close()` (a batched
 *   multi-row INSERT with RETURNING of the generated ids where the dialect has it, the ids written
 *   back, the objects made persistent), with expireOnCommit on and off. Baseline: the driver
 *   inserting the same values in 1,000-row multi-row INSERTs as prepared statements, BEGIN and COMMIT
 *   around them, the generated keys found the cheapest way the driver allows (see `insertBatches`);
 *   with expireOnCommit on, followed by one SELECT of the rows (what the ORM's reload after commit
 *   does, done by hand).
 * - load: 100,000 objects, `(await session.scalars(select(BenchMovie))).all()` in a new session (one
 *   instance per row, registered in the identity map). Baseline: the driver's plain SELECT with its
 *   default object rows.
 * - load + commit: the same inside a transaction that commits; with expireOnCommit on, the commit
 *   reloads every object (here one key-range SELECT), which is what the setting costs. With it on, a
 *   flush's commit also reads the inserted rows back.
 *
 * Both sides bind a Date and a boolean; the better-sqlite3 baseline converts them itself.
 */
import BetterSqlite3 from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { type DatabaseUrl, DeclarativeBase, type Engine, Session, createEngine, insert, mapped, select, t } from '../src/index.js';
import { type MovieData, TRUNCATE, check, forEachBatch, makeMovieData, rawConnectionOptions } from './fixtures.js';
import { type Bench, type BenchTarget, type RepeatOptions, type ResultRow, compare, formatCount, formatMs, measure, benchName } from './harness.js';

const FLUSH_OBJECTS = 10_000;
const LOAD_OBJECTS = 100_000;
const BASELINE_BATCH = 1000;
const AIM = 1.5;
/** A flush with expireOnCommit on, against INSERT plus one SELECT of the rows. */
const AIM_EXPIRE = 2.0;
const OPTIONS: RepeatOptions = { warmup: 2, reps: 7 };
const TABLE = benchName('orm_movies');
const DATA_COLUMNS = ['title', 'rating', 'year', 'created', 'flag'] as const;

class BenchBase extends DeclarativeBase {}

/** The bench model: a generated integer key and the engine bench's columns. */
export class BenchMovie extends BenchBase.model(TABLE, {
  id: mapped(t.Integer(), { primaryKey: true }),
  title: mapped(t.String(100)),
  rating: mapped(t.Float()),
  year: mapped(t.Integer()),
  created: mapped(t.DateTime()),
  flag: mapped(t.Boolean()),
}) {}

/** What the baseline does on one driver, on its own connection. */
interface RawDriver {
  exec(sql: string): Promise<void>;
  /**
   * Every row in `BASELINE_BATCH`-row prepared multi-row INSERTs, inside BEGIN ... COMMIT, with the
   * generated keys found the cheapest way the driver allows (as the ORM must find them): SQLite's
   * lastInsertRowid and MySQL's insertId (the last and the first row's key of each batch, the others
   * consecutive) come with every INSERT; PostgreSQL returns them (`RETURNING id`). Returns the keys.
   */
  insertBatches(rows: readonly MovieData[]): Promise<number[]>;
  /** The plain SELECT of every column, with the driver's default (object) rows. */
  readObjects(): Promise<unknown[]>;
  count(): Promise<number>;
  close(): Promise<void>;
}

const SELECT_SQL = `SELECT id, ${DATA_COLUMNS.join(', ')} FROM ${TABLE}`;

function insertSql(rows: number, placeholder: (n: number) => string, returning = ''): string {
  const tuples: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) tuples.push(`(${DATA_COLUMNS.map(() => placeholder(++n)).join(', ')})`);
  return `INSERT INTO ${TABLE} (${DATA_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}${returning}`;
}

/** `count` consecutive keys from `first`, appended to `ids`. */
function pushKeys(ids: number[], first: number, count: number): void {
  for (let i = 0; i < count; i++) ids.push(first + i);
}

function sqliteDriver(url: DatabaseUrl): RawDriver {
  const db = new BetterSqlite3(url.database!);
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    async exec(sql) {
      db.exec(sql);
    },
    async insertBatches(rows) {
      const ids: number[] = [];
      db.exec('BEGIN');
      await forEachBatch(
        rows,
        BASELINE_BATCH,
        (out, r) => out.push(r.title, r.rating, r.year, r.created.toISOString(), r.flag ? 1 : 0),
        (values, count) => {
          pushKeys(ids, Number(prepared(insertSql(count, () => '?')).run(values).lastInsertRowid) - count + 1, count);
        },
      );
      db.exec('COMMIT');
      return ids;
    },
    async readObjects() {
      return prepared(SELECT_SQL).all();
    },
    async count() {
      return db.prepare(`SELECT count(*) FROM ${TABLE}`).pluck().get() as number;
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
    async insertBatches(rows) {
      const ids: number[] = [];
      await client.query('BEGIN');
      await forEachBatch(
        rows,
        BASELINE_BATCH,
        (out, r) => out.push(r.title, r.rating, r.year, r.created, r.flag),
        async (values, count) => {
          const text = insertSql(count, (n) => `$${n}`, ' RETURNING id');
          const result = await client.query({ name: `bench_orm_insert_${count}`, text, values, rowMode: 'array' });
          for (const row of result.rows) ids.push(row[0]);
        },
      );
      await client.query('COMMIT');
      return ids;
    },
    async readObjects() {
      return (await client.query(SELECT_SQL)).rows;
    },
    async count() {
      return Number((await client.query({ text: `SELECT count(*) FROM ${TABLE}`, rowMode: 'array' })).rows[0][0]);
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
    async insertBatches(rows) {
      const ids: number[] = [];
      await conn.query('BEGIN');
      await forEachBatch(
        rows,
        BASELINE_BATCH,
        (out, r) => out.push(r.title, r.rating, r.year, r.created, r.flag),
        async (values, count) => {
          const [result] = await conn.execute(insertSql(count, () => '?'), values as mysql.ExecuteValues[]);
          pushKeys(ids, (result as mysql.ResultSetHeader).insertId, count);
        },
      );
      await conn.query('COMMIT');
      return ids;
    },
    async readObjects() {
      return (await conn.query(SELECT_SQL))[0] as unknown[];
    },
    async count() {
      const [rows] = await conn.query({ sql: `SELECT count(*) FROM ${TABLE}`, rowsAsArray: true });
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

/** Adds and commits `objects` in a new session. */
async function flushObjects(engine: Engine, objects: readonly BenchMovie[], expireOnCommit: boolean): Promise<void> {
  const session = new Session(engine, { expireOnCommit });
  try {
    session.addAll(objects);
    await session.commit();
  } finally {
    await session.close();
  }
}

async function runOrmBench(target: BenchTarget, log: (line: string) => void, options: RepeatOptions): Promise<ResultRow[]> {
  const engine = createEngine(target.url);
  const driver = await openDriver(target);
  const rows: ResultRow[] = [];
  const empty = () => driver.exec(TRUNCATE[target.dialect](TABLE));
  try {
    await engine.dropAll(BenchBase.metadata);
    await engine.createAll(BenchBase.metadata);

    // --- flush ---------------------------------------------------------------------------------------
    const flushData = makeMovieData(FLUSH_OBJECTS);
    // Building the objects is the application's work, before any flush; timed apart for the record.
    const buildMs = (await measure({ run: () => flushData.map((d) => new BenchMovie(d)) }, options)).medianMs;
    for (const expireOnCommit of [true, false]) {
      log(`${target.dialect}: flush ${formatCount(FLUSH_OBJECTS)} new objects (expireOnCommit ${expireOnCommit ? 'on' : 'off'})`);
      let objects: BenchMovie[] = [];
      const timing = await compare(
        {
          setup: async () => {
            await empty();
            objects = flushData.map((d) => new BenchMovie(d));
          },
          run: () => flushObjects(engine, objects, expireOnCommit),
        },
        {
          setup: empty,
          run: async () => {
            const ids = await driver.insertBatches(flushData);
            check(ids.length === FLUSH_OBJECTS && typeof ids.at(-1) === 'number', 'the baseline has no key for each row');
            // What expireOnCommit costs the ORM, done by hand: read the committed rows back once.
            if (expireOnCommit) check((await driver.readObjects()).length === FLUSH_OBJECTS, 'the baseline read back a wrong row count');
          },
        },
        options,
      );
      check(typeof objects.at(-1)!.id === 'number', 'the last object has no generated id');
      check((await driver.count()) === FLUSH_OBJECTS, 'the baseline left a wrong row count');
      rows.push({
        dialect: target.dialect,
        case: `flush ${formatCount(FLUSH_OBJECTS)} objects, commit, expireOnCommit ${expireOnCommit ? 'on' : 'off'}`,
        work: { count: FLUSH_OBJECTS, unit: 'objects' },
        ...timing,
        aim: expireOnCommit ? AIM_EXPIRE : AIM,
        notes: {
          baseline: `driver INSERT, ${BASELINE_BATCH}-row batches, keys${expireOnCommit ? ', then SELECT of the rows' : ''}`,
          'build objects': formatMs(buildMs),
        },
      });
    }

    // --- load ----------------------------------------------------------------------------------------
    log(`${target.dialect}: filling ${TABLE} with ${formatCount(LOAD_OBJECTS)} rows`);
    await empty();
    await engine.begin((conn) => conn.execute(insert(BenchMovie.table), makeMovieData(LOAD_OBJECTS)));
    let loaded = 0;
    let baselineCount = 0;
    const baseline = {
      run: async () => {
        baselineCount = (await driver.readObjects()).length;
      },
    };
    log(`${target.dialect}: load ${formatCount(LOAD_OBJECTS)} objects`);
    const loadTiming = await compare(
      {
        run: async () => {
          await using session = new Session(engine);
          const movies = (await session.scalars(select(BenchMovie))).all();
          check(movies[0] instanceof BenchMovie && movies[0].created instanceof Date, 'objects are not loaded');
          loaded = movies.length;
        },
      },
      baseline,
      options,
    );
    check(loaded === LOAD_OBJECTS && baselineCount === LOAD_OBJECTS, `loaded ${loaded} / ${baselineCount} rows`);
    rows.push({
      dialect: target.dialect,
      case: `load ${formatCount(LOAD_OBJECTS)} objects`,
      work: { count: LOAD_OBJECTS, unit: 'objects' },
      ...loadTiming,
      aim: AIM,
      notes: { baseline: 'driver SELECT, object rows' },
    });

    for (const expireOnCommit of [true, false]) {
      log(`${target.dialect}: load ${formatCount(LOAD_OBJECTS)} objects, commit (expireOnCommit ${expireOnCommit ? 'on' : 'off'})`);
      const timing = await compare(
        {
          run: async () => {
            await using session = new Session(engine, { expireOnCommit });
            loaded = (await session.scalars(select(BenchMovie))).all().length;
            await session.commit();
          },
        },
        baseline,
        options,
      );
      check(loaded === LOAD_OBJECTS, `loaded ${loaded} rows`);
      rows.push({
        dialect: target.dialect,
        case: `load ${formatCount(LOAD_OBJECTS)} objects, commit, expireOnCommit ${expireOnCommit ? 'on' : 'off'}`,
        work: { count: LOAD_OBJECTS, unit: 'objects' },
        ...timing,
        aim: null,
        notes: { baseline: 'driver SELECT, object rows' },
      });
    }
  } finally {
    await engine.dropAll(BenchBase.metadata).catch(() => undefined);
    await driver.close();
    await engine.dispose();
  }
  return rows;
}

export const ormBench: Bench = {
  name: 'orm',
  title: `ORM: flush ${formatCount(FLUSH_OBJECTS)} new objects in one commit, load ${formatCount(LOAD_OBJECTS)} objects (aim: within ${AIM}x of the driver)`,
  baseline:
    `the raw driver on its own connection: ${BASELINE_BATCH}-row multi-row INSERTs as prepared statements in one transaction ` +
    "(generated keys found the driver's cheapest way: lastInsertRowid, insertId, RETURNING id on PostgreSQL; for expireOnCommit on, then one SELECT of the rows, aim 2x), and a plain SELECT returning the driver's default object rows. " +
    'The ORM side writes the generated keys back onto its objects, which are built before the timed flush (time noted apart).',
  options: OPTIONS,
  run: runOrmBench,
};
