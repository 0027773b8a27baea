/**
 * mysql2, for MySQL and MariaDB. Statements with parameters run as server-side prepared statements
 * (`execute`, cached per connection by mysql2); BIGINT, DECIMAL, DATE and JSON come back as text so
 * the dialect's value adapter decides their JS form; DATETIME and TIMESTAMP arrive as UTC Dates.
 */
import { BigIntegerType, DateTimeType, JsonType, TimeType } from '../../types/generic.js';
import type { TypeEngine } from '../../types/type-engine.js';
import type { DatabaseUrl } from '../url.js';
import type { Driver, DriverResult, DriverStatement, RawConnection } from './driver.js';
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
interface MysqlConnection {
  readonly threadId?: number | null;
  execute(options: { sql: string; values: unknown[]; rowsAsArray: boolean }, callback: Callback): void;
  query(options: { sql: string; values?: unknown[]; rowsAsArray?: boolean }, callback: Callback): void;
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

async function execute(connection: RawConnection, stmt: DriverStatement, params: readonly unknown[]): Promise<DriverResult> {
  const conn = connection as MysqlConnection;
  let answer: [unknown, MysqlField[] | undefined];
  if (params.length === 0) {
    // Without parameters the text protocol saves a prepare round trip and accepts every statement.
    answer = await call(conn, 'query', stmt.sql, []);
  } else {
    try {
      answer = await call(conn, 'execute', stmt.sql, params as unknown[]);
    } catch (error) {
      if ((error as { errno?: number }).errno !== ER_UNSUPPORTED_PS) throw error;
      answer = await call(conn, 'query', stmt.sql, params as unknown[]);
    }
  }
  const [rows, fields] = answer;
  if (Array.isArray(rows) && fields !== undefined) {
    return {
      rows: rows as unknown[][],
      names: fields.map((f) => f.name),
      types: fields.map((f) => (f.columnType === undefined ? null : (TYPES_BY_COLUMN_TYPE.get(f.columnType) ?? null))),
      rowCount: rows.length,
      lastInsertId: null,
    };
  }
  const header = (Array.isArray(rows) ? rows[rows.length - 1] : rows) as ResultHeader;
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
  cancelStatement(connection) {
    const id = (connection as MysqlConnection).threadId;
    return typeof id === 'number' ? `KILL QUERY ${id}` : null;
  },
  async run(connection, sql) {
    await call(connection as MysqlConnection, 'query', sql, []);
  },
  isConnectionLost(error) {
    return (error as { fatal?: unknown }).fatal === true;
  },
};
