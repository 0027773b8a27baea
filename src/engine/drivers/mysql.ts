/**
 * mysql2, for MySQL and MariaDB. Statements with parameters run as server-side prepared statements
 * (`execute`, cached per connection by mysql2); BIGINT, DECIMAL, DATE and JSON come back as text so
 * the dialect's value adapter decides their JS form; DATETIME and TIMESTAMP arrive as UTC Dates.
 */
import { BigIntegerType, DateTimeType, JsonType, TimeType } from '../../types/generic.js';
import type { TypeEngine } from '../../types/type-engine.js';
import type { DatabaseUrl } from '../url.js';
import type { Driver, DriverResult, DriverStatement, RawConnection, RowStart } from './driver.js';
import { coerceOption, isTrue, secondsOption, serverConnection } from './options.js';

/**
 * The session every connection gets: UTC, so DATETIME round-trips and NOW() agree with tsmig's UTC
 * wall-clock convention; strict modes, so invalid or truncated data is an error rather than a warning.
 */
const SESSION_SETUP = "SET SESSION time_zone = '+00:00', SESSION sql_mode = 'TRADITIONAL,ONLY_FULL_GROUP_BY'";

/** mysql2 closes the least recently used statement beyond this; the server's global cap is 16382. */
const PREPARED_LIMIT = 500;

/** Generic types for result columns of untyped statements (`text()`), by MySQL column type code. */
const TYPES_BY_COLUMN_TYPE: ReadonlyMap<number, TypeEngine> = new Map<number, TypeEngine>([
  [8, new BigIntegerType()], // LONGLONG
  [7, new DateTimeType()], // TIMESTAMP
  [12, new DateTimeType()], // DATETIME
  [11, new TimeType()], // TIME
  [245, new JsonType()], // JSON (MySQL; MariaDB's JSON is LONGTEXT)
]);

const ER_UNSUPPORTED_PS = 1295;

interface MysqlField {
  readonly name: string;
  readonly columnType?: number;
}
interface ResultHeader {
  readonly affectedRows: number;
  readonly insertId: number | string;
  readonly warningStatus?: number;
}
type Callback = (error: Error | null, rows: unknown, fields: MysqlField[] | undefined) => void;
type Options = { sql: string; values?: unknown[]; rowsAsArray: boolean };
/** A command run without a callback: it reports through events. */
interface MysqlCommand {
  on(event: 'fields', listener: (fields: MysqlField[]) => void): this;
  on(event: 'result', listener: (row: unknown) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
}
interface MysqlConnection {
  readonly threadId?: number | null;
  execute(options: Options, callback: Callback): void;
  execute(options: Options): MysqlCommand;
  query(options: Options, callback: Callback): void;
  query(options: Options): MysqlCommand;
  on(event: 'error', listener: (error: Error) => void): void;
}

function call(
  connection: MysqlConnection,
  method: 'execute' | 'query',
  sql: string,
  values: unknown[],
): Promise<[unknown, MysqlField[] | undefined]> {
  return new Promise((resolve, reject) => {
    connection[method]({ sql, values, rowsAsArray: true }, (error, rows, fields) =>
      error ? reject(error) : resolve([rows, fields]),
    );
  });
}

/**
 * The commands run through events that have not ended, per connection. Without a callback, mysql2
 * reports an error that ends the connection to the connection's listeners alone: one listener per
 * connection ends them all (one per command would pass the listener limit with 11 at once).
 */
const running = new WeakMap<MysqlConnection, Set<(error: unknown) => void>>();

/** Ends `settle` with an error that ends `connection`, until it is called; returns its removal. */
function onConnectionError(connection: MysqlConnection, settle: (error: unknown) => void): () => void {
  let commands = running.get(connection);
  if (commands === undefined) {
    const all = (commands = new Set());
    running.set(connection, all);
    connection.on('error', (error) => {
      for (const end of [...all]) end(error);
    });
  }
  commands.add(settle);
  return () => commands.delete(settle);
}

/** Runs a statement with its rows handed over one by one, through the command's events. */
function each(connection: MysqlConnection, method: 'execute' | 'query', sql: string, values: unknown[], start: RowStart): Promise<DriverResult> {
  return new Promise((resolve, reject) => {
    let fields: MysqlField[] | null = null;
    let onRow: ((row: unknown[]) => unknown) | null = null;
    let header: unknown = null;
    let failure: unknown = null;
    let settled = false;
    const rows: unknown[] = [];
    const settle = (error: unknown) => {
      if (settled) return;
      settled = true;
      forget();
      if (error !== null) reject(error);
      else resolve(fields === null ? headerResult(header) : rowsResult(rows as unknown[][], fields));
    };
    const forget = onConnectionError(connection, settle);
    try {
      connection[method]({ sql, values, rowsAsArray: true })
        .on('fields', (received) => {
          fields = received;
          onRow = start(received.map((f) => f.name));
        })
        .on('result', (row) => {
          if (failure !== null) return;
          if (fields === null) {
            header = row;
            return;
          }
          try {
            rows.push(onRow === null ? row : onRow(row as unknown[]));
          } catch (error) {
            // The rest of the result is still read off the connection, and dropped.
            failure = error;
          }
        })
        .on('error', (error) => {
          failure ??= error;
        })
        .on('end', () => settle(failure));
    } catch (error) {
      settle(error);
    }
  });
}

/** Runs a statement: the text protocol without parameters, else a prepared statement where the server can. */
async function run<T>(stmt: DriverStatement, params: readonly unknown[], send: (method: 'execute' | 'query', values: unknown[]) => Promise<T>): Promise<T> {
  // Without parameters the text protocol saves a prepare round trip and accepts every statement.
  if (params.length === 0) return send('query', []);
  try {
    return await send('execute', params as unknown[]);
  } catch (error) {
    if ((error as { errno?: number }).errno !== ER_UNSUPPORTED_PS) throw error;
    return send('query', params as unknown[]);
  }
}

async function execute(connection: RawConnection, stmt: DriverStatement, params: readonly unknown[]): Promise<DriverResult> {
  const [rows, fields] = await run(stmt, params, (method, values) => call(connection as MysqlConnection, method, stmt.sql, values));
  if (Array.isArray(rows) && fields !== undefined) return rowsResult(rows as unknown[][], fields);
  return headerResult(Array.isArray(rows) ? rows[rows.length - 1] : rows);
}

function rowsResult(rows: unknown[][], fields: readonly MysqlField[]): DriverResult {
  return {
    rows,
    names: fields.map((f) => f.name),
    types: fields.map((f) => (f.columnType === undefined ? null : (TYPES_BY_COLUMN_TYPE.get(f.columnType) ?? null))),
    rowCount: rows.length,
    lastInsertId: null,
  };
}

function headerResult(answer: unknown): DriverResult {
  const header = answer as ResultHeader;
  const id = header.insertId;
  return {
    rows: [],
    names: null,
    types: null,
    rowCount: header.affectedRows,
    // MySQL reports 0 when nothing was generated; 0 is never an AUTO_INCREMENT value.
    lastInsertId: id === 0 || id === '0' ? null : typeof id === 'string' ? BigInt(id) : id,
    warnings: header.warningStatus ?? 0,
  };
}

function driverOptions(url: DatabaseUrl, connectTimeoutSeconds: number): Record<string, unknown> {
  const options: Record<string, unknown> = { connectTimeout: connectTimeoutSeconds * 1000 };
  for (const [key, value] of Object.entries(url.query)) {
    switch (key) {
      case 'connect_timeout':
        options.connectTimeout = secondsOption(url, key, value) * 1000;
        break;
      case 'ssl':
        if (isTrue(value)) options.ssl = {};
        break;
      case 'ssl_mode':
      case 'ssl-mode':
        // REQUIRED encrypts without verifying the certificate; VERIFY_CA / VERIFY_IDENTITY verify it.
        if (/^required$/i.test(value)) options.ssl = { rejectUnauthorized: false };
        else if (/^verify/i.test(value)) options.ssl = {};
        break;
      case 'socket':
      case 'unix_socket':
        options.socketPath = value;
        break;
      default:
        options[key] = coerceOption(value);
    }
  }
  return options;
}

/** mysql2 through knex's `mysql2` client. */
export const mysqlDriver: Driver = {
  knexClient: 'mysql2',
  exactIntegersOnRequest: false,
  knexConfig(url, { connectTimeoutSeconds }) {
    return {
      connection: {
        ...serverConnection(url),
        supportBigNumbers: true,
        bigNumberStrings: true,
        // DATE stays text ('YYYY-MM-DD', a calendar day, not an instant). DATETIME and TIMESTAMP hold
        // UTC wall clocks (the session is +00:00), which mysql2 reads straight from the packet into a
        // Date with timezone 'Z': building the text and parsing it again was most of a row's cost.
        dateStrings: ['DATE'],
        jsonStrings: true,
        decimalNumbers: false,
        timezone: 'Z',
        maxPreparedStatements: PREPARED_LIMIT,
        ...driverOptions(url, connectTimeoutSeconds),
      },
    };
  },
  async setupConnection(connection) {
    const conn = connection as MysqlConnection;
    await call(conn, 'query', SESSION_SETUP, []);
    const [rows] = await call(conn, 'query', 'SELECT VERSION()', []);
    return { serverVersion: ((rows as unknown[][])[0]?.[0] as string | undefined) ?? null };
  },
  execute,
  executeEach(connection, stmt, params, start) {
    return run(stmt, params, (method, values) => each(connection as MysqlConnection, method, stmt.sql, values, start));
  },
  cancelStatement(connection) {
    const id = (connection as MysqlConnection).threadId;
    return typeof id === 'number' ? `KILL QUERY ${id}` : null;
  },
  async run(connection, sql) {
    await call(connection as MysqlConnection, 'query', sql, []);
  },
  ddlWarnings: true,
  isConnectionLost(error) {
    return (error as { fatal?: unknown }).fatal === true;
  },
};
