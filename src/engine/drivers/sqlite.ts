/**
 * better-sqlite3. Statements are prepared once per connection and kept in a small LRU cache; row
 * statements run in raw mode so rows arrive as arrays. The library is synchronous, so `execute`
 * returns its result directly.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { UrlError } from '../../errors.js';
import type { Driver, DriverResult, DriverStatement, RawConnection } from './driver.js';
import { isTrue } from './options.js';

const CACHE_SIZE = 500;
const STATEMENTS = Symbol('tsmig.sqliteStatements');

type Database = BetterSqlite3.Database & { [STATEMENTS]?: Map<string, CachedStatement> };

interface CachedStatement {
  readonly statement: BetterSqlite3.Statement;
  names: readonly string[] | null;
}

function prepare(db: Database, sql: string): CachedStatement | null {
  let cache = db[STATEMENTS];
  if (cache === undefined) cache = db[STATEMENTS] = new Map();
  let cached = cache.get(sql);
  if (cached !== undefined) {
    // Refresh its place in the LRU order.
    cache.delete(sql);
    cache.set(sql, cached);
    return cached;
  }
  let statement: BetterSqlite3.Statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    // A script of several statements cannot be prepared; without parameters it can still be exec'd.
    if (error instanceof RangeError && /more than one statement/.test(error.message)) return null;
    throw error;
  }
  if (statement.reader) statement.raw(true);
  cached = { statement, names: null };
  cache.set(sql, cached);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return cached;
}

function execute(connection: RawConnection, stmt: DriverStatement, params: readonly unknown[]): DriverResult {
  const db = connection as Database;
  const cached = prepare(db, stmt.sql);
  if (cached === null) {
    if (params.length > 0) throw new RangeError('A SQL string of several statements cannot take parameters');
    db.exec(stmt.sql);
    return { rows: [], names: null, types: null, rowCount: 0, lastInsertId: null };
  }
  const { statement } = cached;
  statement.safeIntegers(stmt.bigints);
  if (statement.reader) {
    const rows = statement.all(params as unknown[]) as unknown[][];
    // Asking is not free, and the engine usually knows the names from the compiled statement.
    const names =
      stmt.freshNames || cached.names === null ? (cached.names = statement.columns().map((c) => c.name)) : cached.names;
    return { rows, names, types: null, rowCount: rows.length, lastInsertId: null };
  }
  const info = statement.run(params as unknown[]);
  const id = info.lastInsertRowid;
  return {
    rows: [],
    names: null,
    types: null,
    rowCount: info.changes,
    lastInsertId: typeof id === 'bigint' && id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id,
  };
}

/** better-sqlite3 through knex's `better-sqlite3` client. */
export const sqliteDriver: Driver = {
  knexClient: 'better-sqlite3',
  exactIntegersOnRequest: true,
  knexConfig(url) {
    for (const key of Object.keys(url.query)) {
      if (key !== 'readonly') {
        throw new UrlError(`Unknown option "${key}" in SQLite URL "${url}"; the only option is ?readonly=true`);
      }
    }
    const connection = { filename: url.isMemory ? ':memory:' : url.database!, options: { readonly: isTrue(url.query.readonly) } };
    // Each connection to ':memory:' is a separate empty database, so the pool must hold exactly one
    // connection and never close it for idleness.
    return url.isMemory
      ? { connection, pool: { min: 1, max: 1, idleTimeoutMillis: 2 ** 31 - 1 } }
      : { connection };
  },
  async setupConnection(connection) {
    const db = connection as Database;
    // SQLite leaves foreign keys unenforced unless asked, per connection.
    db.pragma('foreign_keys = ON');
    return { serverVersion: (db.prepare('SELECT sqlite_version()').pluck().get() as string) ?? null };
  },
  execute,
  run(connection, sql) {
    (connection as Database).exec(sql);
  },
  inTransaction(connection) {
    return (connection as Database).inTransaction;
  },
};
