/**
 * PGlite (`@electric-sql/pglite`): real PostgreSQL compiled to WebAssembly, running inside this process,
 * in memory. It speaks to the PostgreSQL dialect like node-postgres does (same SQL, same catalog, same
 * errors); only the driver differs. URL: `postgresql+pglite://` (in memory) or `postgresql+pglite:///dir`
 * (a data folder). One database lives on one PGlite
 * instance, so the pool holds exactly one connection for the engine's lifetime, as an in-memory SQLite
 * database does. The package is imported on the first connection only: it costs nothing to commands
 * and projects that never use it.
 */
import type { Knex } from 'knex';
import type { PGlite, Results } from '@electric-sql/pglite';
import type { Driver, DriverResult, DriverStatement, RawConnection } from './driver.js';
import { PG_TEXT_OIDS, pgTypesOf } from './postgresql.js';

/** Values handed over as the server's text, as node-postgres does (the dialect's adapters decide the JS form). */
const PARSERS: Record<number, (text: string) => unknown> = {
  ...Object.fromEntries([...PG_TEXT_OIDS, 20, 1700].map((oid) => [oid, (text: string) => text])),
  // bytea arrives as `\x` hex text; node-postgres hands a Buffer, and so does this driver.
  17: (text: string) => Buffer.from(text.slice(2), 'hex'),
};

function result(last: Results<unknown[]>): DriverResult {
  const returnsRows = last.fields.length > 0;
  return {
    rows: last.rows,
    names: returnsRows ? last.fields.map((f) => f.name) : null,
    types: returnsRows ? pgTypesOf(last.fields) : null,
    rowCount: returnsRows ? last.rows.length : (last.rowCount ?? last.affectedRows ?? 0),
    lastInsertId: null,
  };
}

/**
 * A knex client whose connections are PGlite instances, so that the engine pools, hands out and closes
 * them as it does every other driver's.
 */
function pgliteKnexClient(base: typeof Knex.Client): typeof Knex.Client {
  class PgliteClient extends base {
    _driver(): unknown {
      return {};
    }
    override async acquireRawConnection(): Promise<PGlite> {
      const { PGlite } = await import('@electric-sql/pglite');
      const { dataDir } = (this as unknown as { connectionSettings: { dataDir: string | null } }).connectionSettings;
      return dataDir === null ? PGlite.create({ parsers: PARSERS }) : PGlite.create(dataDir, { parsers: PARSERS });
    }
    override async destroyRawConnection(connection: PGlite): Promise<void> {
      if (!connection.closed) await connection.close();
    }
  }
  Object.assign(PgliteClient.prototype, { driverName: 'pglite', dialect: 'postgresql' });
  return PgliteClient;
}

/** PGlite through a knex client of its own. */
export const pgliteDriver: Driver = {
  knexClient: 'pglite',
  knexClientClass: pgliteKnexClient,
  exactIntegersOnRequest: false,
  knexConfig(url) {
    // One instance per database: an in-memory one lives as long as its connection. Opening it starts
    // PostgreSQL (compiling the WebAssembly, initdb for a new database): seconds, more on a busy machine.
    return { connection: { dataDir: url.database }, pool: { min: 1, max: 1, idleTimeoutMillis: 2 ** 31 - 1 }, minimumConnectSeconds: 600 };
  },
  async setupConnection(connection) {
    const db = connection as PGlite;
    // UTC wall-clock time for timestamps, as on every PostgreSQL connection (see postgresql.ts).
    const [, version] = await db.exec("SET TIME ZONE 'UTC'; SELECT version()");
    const row = version?.rows[0] as { version?: string } | undefined;
    return { serverVersion: row?.version ?? null };
  },
  async execute(connection, stmt: DriverStatement, params) {
    const db = connection as PGlite;
    // Without parameters a text may hold several statements (a migration's SQL script): the simple
    // protocol runs them all and answers one result each; keep the last, as node-postgres does.
    if (params.length === 0 && !stmt.reusable) {
      const all = (await db.exec(stmt.sql, { rowMode: 'array' })) as Results<unknown[]>[];
      return result(all[all.length - 1] ?? { rows: [], fields: [] });
    }
    return result(await db.query<unknown[]>(stmt.sql, params as unknown[], { rowMode: 'array' }));
  },
  async run(connection: RawConnection, sql) {
    await (connection as PGlite).exec(sql);
  },
  errorDetail(error) {
    const detail = (error as { detail?: unknown }).detail;
    return typeof detail === 'string' && detail !== '' ? detail : null;
  },
};
