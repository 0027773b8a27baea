/**
 * Refuses to write migrations to a server that only reads, before the lock and before any statement:
 * otherwise the run would fail later on its first write (creating the version table) with the server's
 * own message about a read-only transaction.
 */
import type { DialectName } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { text } from '../../sql/elements/text.js';
import { ReadOnlyServerError } from './errors.js';

/** What makes a server read-only, or null when it takes writes. */
type ReadOnlyProbe = (conn: Connection) => Promise<string | null>;

/**
 * Per dialect. A PostgreSQL hot standby is in recovery for as long as it is one. MySQL's `read_only` is
 * not probed: it does not stop an account with SUPER, so the server alone decides there.
 */
const PROBES: Readonly<Record<DialectName, ReadOnlyProbe | null>> = {
  postgresql: async (conn) =>
    (await conn.execute(text('SELECT pg_is_in_recovery()'))).scalar() === true ? 'a PostgreSQL hot standby (pg_is_in_recovery() is true)' : null,
  mysql: null,
  sqlite: null,
};

/** Throws a one-line ReadOnlyServerError when the connection's server is a read-only replica. */
export async function refuseReadOnlyServer(conn: Connection, database: string): Promise<void> {
  const why = await PROBES[conn.dialect.name]?.(conn);
  if (why === null || why === undefined) return;
  throw new ReadOnlyServerError(
    `${database} is a read-only replica, ${why}: run this command against the primary; current, status, check and history work on the replica.`,
  );
}
