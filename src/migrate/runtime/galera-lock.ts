/**
 * The migration lock of a MariaDB Galera cluster. `GET_LOCK()` cannot serve there: MariaDB either refuses
 * it under `wsrep_on` (MDEV-30473) or, as 10.11 does, grants it on each node separately, so two runs on
 * two nodes would both hold it. Instead the lock is a row of `<version table>_lock`, written and
 * committed on a connection of its own: Galera certifies each commit against every node's, so of two
 * nodes inserting the same key at once only one commits; the others see a duplicate key or a
 * certification conflict and wait.
 *
 * A row outlives its process, so it carries a lease: the holder extends it every third of
 * {@link LEASE_SECONDS} and deletes the row when done. A row whose lease ran out (its process was killed,
 * or its node left the cluster) is taken over by the next run, which says so. The migration connection
 * reads with `wsrep_sync_wait = 1`, so it sees every commit the cluster made before (the lock row's
 * included), and runs DDL in Total Order Isolation (`wsrep_OSU_method = TOI`): each statement runs on
 * every node at the same point of the cluster's order.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from '../../engine/connection.js';
import { DatabaseError } from '../../errors.js';
import { text } from '../../sql/elements/text.js';
import { MigrationLockLostError } from './errors.js';
import type { LockRequest, MigrationLock } from './lock.js';
import { lockTableName } from './version-table.js';

/** How long a lock row stays valid without being extended. */
export const LEASE_SECONDS = 60;

/** Whether the connection's server is a node of a Galera cluster with replication on. */
export async function isGaleraNode(conn: Connection): Promise<boolean> {
  const rows = (await conn.execute(text("SHOW VARIABLES LIKE 'wsrep_on'"))).all() as unknown as [string, string][];
  return rows.length === 1 && rows[0]![1].toUpperCase() === 'ON';
}

/**
 * Takes the lock row on `own` (the lock's connection, which this lock closes when released).
 *
 * @param wait polls an attempt until it succeeds or the request's timeout passes (lock.ts's waitFor).
 */
export async function galeraLeaseLock(
  request: LockRequest,
  own: Connection,
  label: string,
  wait: (attempt: () => Promise<boolean>, holder: () => Promise<string>) => Promise<void>,
): Promise<MigrationLock> {
  const { control } = request;
  const q = (name: string) => own.dialect.quoteIdentifier(name);
  const table = `${request.versionTable.schema === null ? '' : `${q(request.versionTable.schema)}.`}${q(lockTableName(request.versionTable.name))}`;
  const key = request.key;
  // Unique per run, so a run never mistakes another run of the same process and host for itself.
  const holder = `${label} run ${randomUUID().slice(0, 8)}`;
  const lease = `UTC_TIMESTAMP(6) + INTERVAL ${LEASE_SECONDS} SECOND`;
  /** One statement committed on its own; a certification conflict or duplicate key gives null. */
  const commit = async (sql: string, params: Record<string, unknown>): Promise<number | null> => {
    try {
      const { rowCount } = await own.execute(text(sql), params);
      await own.commit();
      return rowCount;
    } catch (error) {
      await own.rollback().catch(() => undefined);
      if (error instanceof DatabaseError && /DUP_ENTRY|DEADLOCK|LOCK_WAIT/i.test(error.code ?? '')) return null;
      throw error;
    }
  };
  const onControl = async (sql: string) => (await control.run(sql)).scalar();
  const savedSyncWait = await onControl('SELECT @@SESSION.wsrep_sync_wait');
  const savedMethod = await onControl('SELECT @@SESSION.wsrep_OSU_method');
  try {
    // Concurrent CREATEs are ordered by TOI; the losers find the table there.
    await own.execute(
      text(
        `CREATE TABLE IF NOT EXISTS ${table} (lock_key VARCHAR(191) NOT NULL PRIMARY KEY, holder VARCHAR(255) NOT NULL, ` +
          'acquired_at DATETIME(6) NOT NULL, expires_at DATETIME(6) NOT NULL) ENGINE=InnoDB',
      ),
    );
    await own.commit();
    await wait(
      async () => {
        const inserted = await commit(
          `INSERT INTO ${table} (lock_key, holder, acquired_at, expires_at) VALUES (:key, :holder, UTC_TIMESTAMP(6), ${lease})`,
          { key, holder },
        );
        if (inserted === 1) return true;
        const stale = (await own.execute(text(`SELECT holder, DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i:%s') FROM ${table} WHERE lock_key = :key AND expires_at < UTC_TIMESTAMP(6)`), { key })).all()[0] as unknown as
          | [string, string]
          | undefined;
        await own.commit();
        if (stale === undefined) return false;
        const taken = await commit(
          `UPDATE ${table} SET holder = :holder, acquired_at = UTC_TIMESTAMP(6), expires_at = ${lease} WHERE lock_key = :key AND holder = :old AND expires_at < UTC_TIMESTAMP(6)`,
          { key, holder, old: stale[0] },
        );
        if (taken !== 1) return false;
        request.onWait(`Took over the migration lock on ${request.key} from ${stale[0]}, whose lease ran out at ${stale[1]} UTC`);
        return true;
      },
      async () => {
        const row = (await own.execute(text(`SELECT holder, DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i:%s') FROM ${table} WHERE lock_key = :key`), { key })).all()[0] as unknown as
          | [string, string]
          | undefined;
        await own.commit();
        return row === undefined ? 'another run' : `${row[0]} (lease until ${row[1]} UTC)`;
      },
    );
    await control.run('SET SESSION wsrep_sync_wait = 1');
    await control.run("SET SESSION wsrep_OSU_method = 'TOI'");
  } catch (error) {
    await own.close().catch(() => undefined);
    throw error;
  }

  let lost = false;
  // One statement at a time on the lock's connection: a renewal and the release must not interleave.
  let pending: Promise<unknown> = Promise.resolve();
  const renew = setInterval(() => {
    pending = pending
      .then(() => commit(`UPDATE ${table} SET expires_at = ${lease} WHERE lock_key = :key AND holder = :holder`, { key, holder }))
      .then((n) => {
        if (n === 0) lost = true;
      })
      .catch(() => undefined);
  }, (LEASE_SECONDS * 1000) / 3);
  renew.unref();
  return {
    spansTransactions: true,
    begin: async () => {
      if (lost) {
        throw new MigrationLockLostError(
          `The migration lock on ${request.key} was taken over by another run after its lease of ${LEASE_SECONDS} s ran out ` +
            '(this process could not extend it); stopped before the next migration. Run `tsmig current` on each node before going on.',
        );
      }
      await control.begin();
    },
    release: async () => {
      clearInterval(renew);
      try {
        await pending;
        await commit(`DELETE FROM ${table} WHERE lock_key = :key AND holder = :holder`, { key, holder });
        await control.run(`SET SESSION wsrep_sync_wait = ${Number(savedSyncWait)}`);
        // The server's own value (TOI, RSU or NBO), checked all the same before it goes into SQL text.
        if (/^[A-Z]+$/i.test(String(savedMethod))) await control.run(`SET SESSION wsrep_OSU_method = '${String(savedMethod)}'`);
      } catch {
        // The connection is gone; the lease runs out on its own.
      } finally {
        await own.close().catch(() => undefined);
      }
    },
  };
}
