/**
 * node-postgres. Rows come back as arrays (`rowMode: 'array'`); dates, timestamps and JSON come back as
 * the server's text so the dialect's value adapter alone decides their JS form. SQL generated from
 * statement objects runs as named prepared statements, which saves the server a parse and plan per
 * execution (locally a primary-key lookup drops from about 150 µs to 80-100 µs), unless the URL says
 * `?pgbouncer=true` (the engine then plans every statement unnamed).
 */
import { BigIntegerType, DateTimeType, JsonType, NumericType } from '../../types/generic.js';
import type { TypeEngine } from '../../types/type-engine.js';
import { requirePackage } from '../../util/require-package.js';
import type { DatabaseUrl } from '../url.js';
import type { Driver, DriverResult, DriverStatement, RawConnection } from './driver.js';
import { coerceOption, isTrue, secondsOption, serverConnection } from './options.js';

/**
 * Type OIDs node-postgres must hand over as text (its defaults would build local-time Dates or parse
 * JSON); the PGlite driver hands them over the same way.
 */
export const PG_TEXT_OIDS: ReadonlySet<number> = new Set([
  1082, // date
  1114, // timestamp
  1184, // timestamptz
  1083, // time
  1266, // timetz
  114, // json
  3802, // jsonb
]);

/** Generic types for result columns of untyped statements (`text()`), by OID. */
const TYPES_BY_OID: ReadonlyMap<number, TypeEngine> = new Map<number, TypeEngine>([
  [20, new BigIntegerType()],
  [1700, new NumericType()],
  [1114, new DateTimeType()],
  [1184, new DateTimeType({ timezone: true })],
  [114, new JsonType()],
  [3802, new JsonType()],
]);

/** Generic types of result columns by their type OIDs (null: leave the driver's value as it is). */
export function pgTypesOf(fields: readonly { readonly dataTypeID: number }[]): (TypeEngine | null)[] {
  return fields.map((f) => TYPES_BY_OID.get(f.dataTypeID) ?? null);
}

const PREPARED_LIMIT = 500;
const PREPARED = Symbol('tsmig.pgPrepared');

interface PgField {
  readonly name: string;
  readonly dataTypeID: number;
}
interface PgResult {
  readonly rows: unknown[][];
  readonly fields: readonly PgField[];
  readonly rowCount: number | null;
  readonly command: string;
}
interface PgClient {
  readonly processID?: number | null;
  query(config: { text: string; values?: unknown[]; rowMode?: 'array'; name?: string }): Promise<PgResult | PgResult[]>;
  [PREPARED]?: Map<string, string>;
}

let nameCounter = 0;

/**
 * The prepared-statement name for `sql` on this connection, or undefined once the connection holds
 * PREPARED_LIMIT of them (each costs server memory for the connection's lifetime).
 */
function statementName(client: PgClient, sql: string): string | undefined {
  let names = client[PREPARED];
  if (names === undefined) names = client[PREPARED] = new Map();
  let name = names.get(sql);
  if (name === undefined && names.size < PREPARED_LIMIT) {
    name = `tsmig_${++nameCounter}`;
    names.set(sql, name);
  }
  return name;
}

async function execute(connection: RawConnection, stmt: DriverStatement, params: readonly unknown[]): Promise<DriverResult> {
  const client = connection as PgClient;
  const name = stmt.reusable ? statementName(client, stmt.sql) : undefined;
  let result: PgResult | PgResult[];
  try {
    result = await client.query({ text: stmt.sql, values: params as unknown[], rowMode: 'array', name });
  } catch (error) {
    // After DDL changes a table's columns, a cached plan fails once with "cached plan must not change
    // result type"; forget it so the next execution prepares the statement afresh under a new name.
    if (name !== undefined && postgresqlDriver.isStalePlan!(error)) client[PREPARED]?.delete(stmt.sql);
    throw error;
  }
  // A parameterless script of several statements answers one result per statement; keep the last.
  const last = Array.isArray(result) ? result[result.length - 1]! : result;
  const returnsRows = last.fields.length > 0;
  return {
    rows: last.rows,
    names: returnsRows ? last.fields.map((f) => f.name) : null,
    types: returnsRows ? pgTypesOf(last.fields) : null,
    rowCount: last.rowCount ?? last.rows.length,
    lastInsertId: null,
  };
}

/** Query-string options with a libpq spelling, mapped to node-postgres settings. */
function driverOptions(url: DatabaseUrl, connectTimeoutSeconds: number): Record<string, unknown> {
  const options: Record<string, unknown> = { connectionTimeoutMillis: connectTimeoutSeconds * 1000 };
  for (const [key, value] of Object.entries(url.query)) {
    switch (key) {
      case 'connect_timeout':
        options.connectionTimeoutMillis = secondsOption(url, key, value) * 1000;
        break;
      case 'sslmode':
        // libpq's modes: disable/allow/prefer use no TLS here; require encrypts without verifying the
        // certificate; verify-ca/verify-full verify it.
        options.ssl = value === 'require' ? { rejectUnauthorized: false } : /^verify-/.test(value) ? true : false;
        break;
      case 'ssl':
        options.ssl = isTrue(value);
        break;
      case 'pgbouncer':
        // The engine's (see transactionPooled), not node-postgres's.
        break;
      default:
        options[key] = coerceOption(value);
    }
  }
  return options;
}

/** node-postgres through knex's `pg` client. */
export const postgresqlDriver: Driver = {
  knexClient: 'pg',
  exactIntegersOnRequest: false,
  knexConfig(url, { connectTimeoutSeconds }) {
    return {
      connection: {
        ...serverConnection(url),
        ...driverOptions(url, connectTimeoutSeconds),
        types: {
          getTypeParser: (oid: number, format: 'text' | 'binary') =>
            PG_TEXT_OIDS.has(oid) ? (text: string) => text : pgDefaultParser(oid, format),
        },
      },
      // Spares a `select version()` per pool: setupConnection asks the server what the engine needs.
      knexVersion: '0',
    };
  },
  loadLibrary: requirePg,
  transactionPooled: (url) => isTrue(url.query['pgbouncer']),
  async setupConnection(connection) {
    const client = connection as PgClient;
    // Timestamps without a time zone hold UTC wall-clock time in tsmig, so server-side defaults such as
    // now() must be UTC too; timestamptz values are unaffected (they carry their offset).
    const result = (await client.query({ text: "SET TIME ZONE 'UTC'; SELECT version()" })) as PgResult[];
    const row = result[1]?.rows[0] as unknown as { version?: string } | undefined;
    return { serverVersion: row?.version ?? null };
  },
  execute,
  cancelStatement(connection) {
    const pid = (connection as PgClient).processID;
    return typeof pid === 'number' ? `SELECT pg_cancel_backend(${pid})` : null;
  },
  async run(connection, sql) {
    await (connection as PgClient).query({ text: sql });
  },
  isStalePlan(error) {
    return (error as { code?: unknown }).code === '0A000' && /cached plan/.test((error as Error).message);
  },
  isConnectionLost(error) {
    const code = (error as { code?: unknown }).code;
    return (
      code === 'ECONNRESET' ||
      code === 'EPIPE' ||
      code === '57P01' || // admin_shutdown
      (code === undefined && /Connection terminated|not queryable|ended/i.test((error as Error).message ?? ''))
    );
  },
  errorDetail(error) {
    const detail = (error as { detail?: unknown }).detail;
    return typeof detail === 'string' && detail !== '' ? detail : null;
  },
};

/**
 * node-postgres's own parsers for every other type (int8 and numeric are text there already). `pg` is
 * required on first use, when knex has loaded it for a connection, so that a process that never talks to
 * PostgreSQL never loads it.
 */
function pgDefaultParser(oid: number, format: 'text' | 'binary'): (text: string) => unknown {
  pgTypes ??= requirePg().types;
  return pgTypes.getTypeParser(oid, format) as (text: string) => unknown;
}

let pgTypes: typeof import('pg').types | undefined;

/**
 * node-postgres, told that it runs on Node.js. Loading, it asks whether it runs in a Cloudflare Worker:
 * by `navigator.userAgent` where that exists (Node 21 on), else by building a `new Response()`, which on
 * Node 20 loads undici's fetch just for that (115M instructions, 20-30 ms, on every connecting command).
 */
function requirePg(): typeof import('pg') {
  if ('navigator' in globalThis) return requirePackage('pg') as typeof import('pg');
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true });
  try {
    return requirePackage('pg') as typeof import('pg');
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}
