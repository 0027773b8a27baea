/**
 * Issue "Schema": reflecting a whole schema must take a constant number of catalog queries, so that a
 * 200-table schema costs little more than a 20-table one in round trips. The schemas are built with
 * tsmig (MetaData, Table, column, t, foreignKey, UniqueConstraint, index) and `createAll`, in a dedicated
 * PostgreSQL schema, MySQL database or SQLite file that the bench creates and drops.
 *
 * tsmig: `engine.reflectSchema(schema, { onQuery })`, which also counts the catalog queries.
 * Baseline: the very same catalog queries (captured once, with their parameters) replayed on the raw
 * driver, returning its plain object rows; the ratio is what tsmig adds on top of the database's own
 * work (connection checkout, value conversion, assembling the reflected shapes).
 */
import { rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { type Engine, MetaData, Table, column, createEngine, parseDatabaseUrl, t, text, type DatabaseUrl } from '../src/index.js';
import type { ReflectedSchema } from '../src/dialects/reflection.js';
import { UniqueConstraint, foreignKey } from '../src/schema/constraints.js';
import { index } from '../src/schema/table-index.js';
import type { ColumnSpecs } from '../src/schema/table.js';
import { rawConnectionOptions } from './fixtures.js';
import { type Bench, type BenchTarget, type RepeatOptions, type ResultRow, compare, formatCount, sqliteFileUrl, benchName } from './harness.js';

const SIZES = [20, 200] as const;
const OPTIONS: RepeatOptions = { warmup: 1, reps: 5 };
const PREFIX = benchName('reflect_');

/** Extra column types, cycled so that tables have 8 to 12 columns of varied types. */
const EXTRA_TYPES = [
  () => t.Integer(),
  () => t.Float(),
  () => t.Boolean(),
  () => t.Numeric(10, 2),
  () => t.Text(),
  () => t.Date(),
  () => t.BigInteger(),
  () => t.String(20),
];

function tableName(i: number): string {
  return `t${String(i).padStart(3, '0')}`;
}

/**
 * `count` tables, each with 8-12 columns, one foreign key (to an earlier table, the first to itself),
 * two indexes (one of them on two columns) and a unique constraint.
 */
export function buildSchema(count: number, schema: string | null): MetaData {
  const metadata = new MetaData(schema === null ? {} : { schema });
  const tables: Table[] = [];
  for (let i = 0; i < count; i++) {
    const parent = i === 0 ? 0 : Math.floor((i - 1) / 2);
    const specs: ColumnSpecs = {
      id: column(t.Integer(), { primaryKey: true }),
      parent_id: column(t.Integer(), { foreignKey: foreignKey(() => tables[parent]!.c.id, { onDelete: 'CASCADE' }) }),
      code: column(t.String(40), { nullable: false }),
      name: column(t.String(100)),
      created: column(t.DateTime()),
    };
    const extras = 3 + (i % 5);
    for (let e = 0; e < extras; e++) specs[`x${e}`] = column(EXTRA_TYPES[(i + e) % EXTRA_TYPES.length]!());
    tables.push(
      new Table(tableName(i), metadata, specs, {
        constraints: (c) => [new UniqueConstraint([c.code!]), index(null, [c.name!]), index(null, [c.created!, c.id!])],
      }),
    );
  }
  return metadata;
}

/** A catalog query as the dialect's reflection ran it. */
interface CatalogCall {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Runs catalog SQL on the raw driver, returning its default object rows. */
interface RawCatalog {
  query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

async function openRawCatalog(url: DatabaseUrl): Promise<RawCatalog> {
  switch (url.dialect) {
    case 'sqlite': {
      const db = new BetterSqlite3(url.database!);
      const statements = new Map<string, BetterSqlite3.Statement>();
      return {
        async query(sql, params) {
          let statement = statements.get(sql);
          if (statement === undefined) statements.set(sql, (statement = db.prepare(sql)));
          return statement.all(...params) as Record<string, unknown>[];
        },
        async close() {
          db.close();
        },
      };
    }
    case 'postgresql': {
      const client = new pg.Client(rawConnectionOptions(url));
      await client.connect();
      return {
        async query(sql, params) {
          return (await client.query(sql, params as unknown[])).rows as Record<string, unknown>[];
        },
        async close() {
          await client.end();
        },
      };
    }
    case 'mysql': {
      const conn = await mysql.createConnection(rawConnectionOptions(url));
      return {
        async query(sql, params) {
          // Prepared when there are parameters, as tsmig's mysql2 driver does.
          const [rows] = params.length === 0 ? await conn.query(sql) : await conn.execute(sql, params as mysql.ExecuteValues[]);
          return rows as Record<string, unknown>[];
        },
        async close() {
          await conn.end();
        },
      };
    }
  }
}

/** Where one schema of the bench lives on a dialect, and how to make and remove it. */
interface Place {
  /** The engine that creates and reflects the schema. */
  readonly engine: Engine;
  /** The `reflectSchema` argument: the schema / database name, or null (SQLite: its own file). */
  readonly schema: string | null;
  readonly url: DatabaseUrl;
  create(): Promise<void>;
  drop(): Promise<void>;
}

function placeFor(target: BenchTarget, size: number): Place {
  const name = `${PREFIX}${size}`;
  if (target.dialect === 'sqlite') {
    const url = parseDatabaseUrl(sqliteFileUrl(`${name}.db`));
    const engine = createEngine(url);
    const remove = async () => {
      await engine.dispose();
      rmSync(url.database!, { force: true });
    };
    return { engine, schema: null, url, create: remove, drop: remove };
  }
  const engine = createEngine(target.url);
  const [create, drop] =
    target.dialect === 'postgresql'
      ? [`CREATE SCHEMA ${name}`, `DROP SCHEMA IF EXISTS ${name} CASCADE`]
      : [`CREATE DATABASE ${name}`, `DROP DATABASE IF EXISTS ${name}`];
  const run = async (sql: string) => {
    await engine.begin((conn) => conn.execute(text(sql)));
  };
  return {
    engine,
    schema: name,
    url: target.url,
    create: async () => {
      await run(drop);
      await run(create);
    },
    drop: () => run(drop),
  };
}

function checkReflected(reflected: ReflectedSchema, size: number): void {
  const problems: string[] = [];
  if (reflected.tables.length !== size) problems.push(`${reflected.tables.length} tables instead of ${size}`);
  for (const table of reflected.tables) {
    const named = table.indexes.filter((i) => !i.implicit && i.name.startsWith('ix_'));
    if (table.foreignKeys.length !== 1 || named.length !== 2 || table.uniqueConstraints.length !== 1) {
      problems.push(
        `${table.name}: ${table.foreignKeys.length} foreign keys, ${named.length} ix_ indexes, ${table.uniqueConstraints.length} unique constraints (expected 1, 2, 1)`,
      );
      break;
    }
    if (table.columns.length < 8 || table.columns.length > 12) problems.push(`${table.name}: ${table.columns.length} columns`);
  }
  if (problems.length > 0) throw new Error(`bench sanity check failed: reflected schema: ${problems.join('; ')}`);
}

async function measureSize(target: BenchTarget, size: number, log: (line: string) => void, options: RepeatOptions): Promise<ResultRow> {
  const place = placeFor(target, size);
  let raw: RawCatalog | null = null;
  try {
    await place.create();
    const built = performance.now();
    await buildSchema(size, place.schema).createAll(place.engine);
    log(`${target.dialect}: built ${size} tables with createAll in ${((performance.now() - built) / 1000).toFixed(1)} s`);

    // The catalog calls, with parameters, as the dialect's reflection makes them (for the baseline).
    raw = await openRawCatalog(place.url);
    const rawCatalog = raw;
    const calls: CatalogCall[] = [];
    await place.engine.dialect.reflection.reflect(async (sql, params = []) => {
      calls.push({ sql, params });
      return rawCatalog.query(sql, params);
    }, place.schema);

    let queries: string[] = [];
    let reflected: ReflectedSchema | null = null;
    const timing = await compare(
      {
        run: async () => {
          const seen: string[] = [];
          reflected = await place.engine.reflectSchema(place.schema, { onQuery: (sql) => seen.push(sql) });
          queries = seen;
        },
      },
      {
        run: async () => {
          for (const call of calls) await rawCatalog.query(call.sql, call.params);
        },
      },
      options,
    );
    checkReflected(reflected!, size);
    if (queries.length !== calls.length) {
      throw new Error(`reflectSchema ran ${queries.length} catalog queries but the dialect's reflection ${calls.length}`);
    }
    return {
      dialect: target.dialect,
      case: `reflect ${formatCount(size)} tables`,
      work: { count: size, unit: 'tables' },
      ...timing,
      aim: null,
      notes: { 'catalog queries': queries.length },
    };
  } finally {
    await raw?.close();
    await place.drop().catch((error: unknown) => log(`${target.dialect}: could not drop ${PREFIX}${size}: ${String(error)}`));
    await place.engine.dispose();
  }
}

async function runReflectionBench(target: BenchTarget, log: (line: string) => void, options: RepeatOptions): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const size of SIZES) rows.push(await measureSize(target, size, log, options));
  const [small, large] = rows;
  const constant = small!.notes['catalog queries'] === large!.notes['catalog queries'];
  log(`${target.dialect}: catalog queries ${constant ? 'constant' : 'NOT constant'}: ${rows.map((r) => `${r.case}: ${r.notes['catalog queries']}`).join(', ')}`);
  return rows.map((row) => ({ ...row, notes: { ...row.notes, constant: constant ? 'yes' : 'NO' } }));
}

export const reflectionBench: Bench = {
  name: 'reflection',
  title: `Schema: engine.reflectSchema() of ${SIZES.join(' and ')} tables (8-12 columns, 1 foreign key, 2 indexes, 1 unique constraint each); the catalog query count must not grow with the table count`,
  baseline:
    "the same catalog queries with the same parameters, captured from the dialect's reflection and replayed on the raw driver " +
    '(better-sqlite3 prepare().all(), pg client.query(), mysql2 execute()), returning object rows; ' +
    'the ratio is the cost of tsmig on top of the database work.',
  options: OPTIONS,
  run: runReflectionBench,
};
