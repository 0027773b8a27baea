/**
 * The migration lock: two `tsmig upgrade` processes on one database must not both apply a revision. The
 * database itself drops every lock when the holding connection ends, so a killed process never leaves a
 * stale lock behind:
 *
 * - PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on the migration connection. It
 *   outlives every COMMIT of the run and any statement run outside a transaction (CREATE INDEX
 *   CONCURRENTLY). Being the migration connection's, it goes only when that session ends: a process
 *   killed during a statement holds the next run off until the server has ended it, as on MySQL below
 *   (and no second connection per run, which a fleet run of a thousand schemas would pay a thousand
 *   times). Behind a transaction pooler (PgBouncer's `pool_mode = transaction`,
 *   the URL's `?pgbouncer=true`) a session outlives no transaction, so each transaction of the run takes
 *   a transaction-scoped lock (`pg_try_advisory_xact_lock`) instead and, as on SQLite below, reads the
 *   version table again after it.
 * - MySQL / MariaDB: `GET_LOCK()` on the migration connection (DDL commits implicitly; the lock stays). The
 *   server drops it only when that session ends, after the statement it runs, so a run killed during an
 *   ALTER holds the next one off until the server has finished the ALTER (run-journal.ts then tells
 *   the next run what the dead one left half done).
 *   On a Galera cluster node, a leased row of `<version table>_lock` instead (galera-lock.ts).
 * - SQLite: every transaction of the run is `BEGIN IMMEDIATE`, which holds the database's write lock
 *   (readers go on). A lock that outlives COMMIT would have to be SQLite's exclusive locking mode, which
 *   also shuts out readers and leaves waiting processes stuck in the driver's busy handler. So between
 *   two transactions another run may get in; each new transaction therefore reads the version table
 *   again and the run plans anew when another run moved it ({@link MigrationLock.spansTransactions}).
 *   Each migration, with its version-table change, is one transaction, so no revision is applied twice.
 *
 * While another process holds the lock, the waiter says who it is (PostgreSQL: pg_locks and
 * pg_stat_activity; MySQL: IS_USED_LOCK and the process list; SQLite cannot tell) and polls until
 * `lockTimeout` seconds pass.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DialectName } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { DatabaseError } from '../../errors.js';
import { text } from '../../sql/elements/text.js';
import { EnvironmentError, MigrationLockTimeoutError } from './errors.js';
import { galeraLeaseLock, isGaleraNode } from './galera-lock.js';
import { truncate } from './steps.js';
import type { TransactionControl } from './transaction-control.js';

/** A held lock, and how the run begins its transactions under it. */
export interface MigrationLock {
  /**
   * True when the lock lasts across COMMITs. When false (SQLite), the lock is each transaction's own:
   * after every {@link begin} the run must read the version table again.
   */
  readonly spansTransactions: boolean;
  /** Begins a transaction on the migration connection, waiting for the lock when the transaction is the lock. */
  begin(): Promise<void>;
  /** Gives the lock up; safe to call when the connection is already gone. */
  release(): Promise<void>;
}

/** What a lock strategy needs. */
export interface LockRequest {
  /** The migration connection, taken over by the runtime. */
  readonly control: TransactionControl;
  /** Opens another connection to the same database, for locks held apart from the migrations; null: none. */
  readonly openConnection: (() => Promise<Connection>) | null;
  /** Identifies what is locked: the database and the version table (`shop/public.alembic_version`). */
  readonly key: string;
  /** The version table the lock guards; a lock kept in a table (Galera) keeps it beside this one. */
  readonly versionTable: { readonly name: string; readonly schema: string | null };
  /** Connections go through a transaction pooler (PgBouncer): no session state outlives a transaction. */
  readonly transactionPooled: boolean;
  /** Gives up after this many seconds (0: try once). */
  readonly timeoutSeconds: number;
  /** Told once, and again when the holder changes, while waiting. */
  readonly onWait: (message: string) => void;
  /** An in-memory SQLite database: nobody else can reach it, so there is nothing to lock. */
  readonly private: boolean;
}

type LockStrategy = (request: LockRequest) => Promise<MigrationLock>;

/** No lock (reading only, or an in-memory database nobody else can reach): plain BEGIN. */
export function noLock(control: TransactionControl): MigrationLock {
  return { spansTransactions: true, begin: () => control.begin(), release: async () => undefined };
}

/** The lock of each dialect (an explicit map rather than a branch on the name at each use). */
export const LOCK_STRATEGIES: Readonly<Record<DialectName, LockStrategy>> = {
  postgresql: postgresqlAdvisoryLock,
  mysql: mysqlNamedLock,
  sqlite: sqliteImmediateTransactions,
};

/** Takes the migration lock on the request's database, waiting up to its timeout. */
export function acquireMigrationLock(dialect: DialectName, request: LockRequest): Promise<MigrationLock> {
  if (request.private) return Promise.resolve(noLock(request.control));
  return LOCK_STRATEGIES[dialect](request);
}

/** Who this process is, as other waiters will read it (PostgreSQL application_name: 63 bytes at most). */
export function processLabel(): string {
  return `tsmig pid ${process.pid} on ${hostname()}`.slice(0, 63);
}

/** Runs a statement on the migration connection (in or out of its transaction) and returns its first row. */
function firstRowOn(control: TransactionControl): (sql: string, params?: Record<string, unknown>) => Promise<unknown[]> {
  return async (sql, params) => (await control.execute(text(sql), params)).all()[0] as unknown as unknown[];
}

/**
 * Tries `attempt` until it succeeds or the timeout passes, describing the holder while it waits.
 * Polling (50 ms, doubling to 500 ms) rather than a blocking wait keeps the process able to report.
 */
async function waitFor(request: LockRequest, attempt: () => Promise<boolean>, holder: () => Promise<string>): Promise<void> {
  const started = Date.now();
  const deadline = started + request.timeoutSeconds * 1000;
  let delay = 50;
  let announced: string | null = null;
  for (;;) {
    if (await attempt()) return;
    const who = await holder().catch(() => 'another process');
    if (who !== announced) {
      request.onWait(`Waiting for the migration lock on ${request.key}, held by ${who} (timeout ${request.timeoutSeconds} s)`);
      announced = who;
    }
    const now = Date.now();
    if (now >= deadline) {
      throw new MigrationLockTimeoutError(
        `Gave up after ${request.timeoutSeconds} s waiting for the migration lock on ${request.key}, held by ${who}. ` +
          'Wait for that run to finish, or raise --lock-timeout.',
      );
    }
    await sleep(Math.min(delay, deadline - now));
    delay = Math.min(delay * 2, 500);
  }
}

/** A stable 64-bit advisory lock key for a name, as PostgreSQL's bigint. */
export function advisoryKey(name: string): bigint {
  const digest = createHash('sha256').update(`tsmig:${name}`).digest();
  return digest.readBigInt64BE(0);
}

/** Describes the backend holding advisory lock `key` in the current database (pg_locks, pg_stat_activity). */
async function advisoryHolder(run: (sql: string, params?: Record<string, unknown>) => Promise<unknown[]>, key: bigint): Promise<string> {
  // pg_locks shows a bigint key as two oids: the high and the low 32 bits (objsubid 1).
  const unsigned = BigInt.asUintN(64, key);
  const row = (await run(
    `SELECT a.pid, a.usename, a.application_name, host(a.client_addr), to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ')
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = :classid AND l.objid = :objid
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    { classid: Number(unsigned >> 32n), objid: Number(unsigned & 0xffffffffn) },
  )) as [number, string | null, string | null, string | null, string | null] | undefined;
  if (row === undefined) return 'another session';
  const [pid, user, app, addr, since] = row;
  const parts = [user && `user ${user}`, app && `application '${app}'`, addr && `from ${addr}`, since && `connected ${since}`];
  return `PostgreSQL backend ${pid} (${parts.filter(Boolean).join(', ')})`;
}

async function postgresqlAdvisoryLock(request: LockRequest): Promise<MigrationLock> {
  if (request.transactionPooled) return postgresqlTransactionLocks(request);
  const { control } = request;
  const key = advisoryKey(request.key);
  const run = firstRowOn(control);
  // Waiters name the holder by its application_name; the session's own comes back at release. Both ride
  // on the lock's statements: no round trip of their own.
  let previousName: string | null = null;
  await waitFor(
    request,
    async () => {
      if (previousName !== null) return (await run(`SELECT pg_try_advisory_lock(${key})`))[0] === true;
      const [name, locked] = await run(`SELECT current_setting('application_name'), pg_try_advisory_lock(${key}), set_config('application_name', :label, false)`, {
        label: processLabel(),
      });
      previousName = String(name);
      return locked === true;
    },
    () => advisoryHolder(run, key),
  ).catch(async (error: unknown) => {
    if (previousName !== null) await run("SELECT set_config('application_name', :name, false)", { name: previousName }).catch(() => undefined);
    throw error;
  });
  return {
    spansTransactions: true,
    begin: () => control.begin(),
    release: async () => {
      try {
        if (control.inTransaction) await control.rollback();
        await run(`SELECT pg_advisory_unlock(${key}), set_config('application_name', :name, false)`, { name: previousName });
      } catch {
        // The session is gone, and the lock with it.
      }
    },
  };
}

/**
 * Behind a transaction pooler: each transaction of the run takes `pg_try_advisory_xact_lock`, which the
 * server drops at its COMMIT or ROLLBACK, whichever server connection the pooler lent. A statement the
 * run sends outside a transaction (CREATE INDEX CONCURRENTLY) is therefore not covered; the next
 * transaction reads the version table again, so no revision is applied twice.
 */
async function postgresqlTransactionLocks(request: LockRequest): Promise<MigrationLock> {
  const { control } = request;
  const key = advisoryKey(request.key);
  const run = firstRowOn(control);
  const begin = async () => {
    await control.begin();
    try {
      // A failed try leaves the transaction usable, so the wait polls inside it.
      await waitFor(request, async () => (await run(`SELECT pg_try_advisory_xact_lock(${key})`))[0] === true, () => advisoryHolder(run, key));
    } catch (error) {
      await control.rollback().catch(() => undefined);
      throw error;
    }
  };
  return { spansTransactions: false, begin, release: async () => undefined };
}

/** MySQL lock names are at most 64 characters and server-wide, hence the database in the key. */
function mysqlLockName(key: string): string {
  const name = `tsmig:${key}`;
  return name.length <= 64 ? name : `tsmig:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

async function mysqlNamedLock(request: LockRequest): Promise<MigrationLock> {
  if (await isGaleraNode(request.control.connection)) {
    if (request.openConnection === null) {
      throw new EnvironmentError(
        `${request.key} is on a Galera cluster node, where the migration lock needs a connection of its own: ` +
          'open the connection with ctx.withConnection() in env.ts rather than passing one of your own.',
      );
    }
    const own = await request.openConnection();
    return galeraLeaseLock(request, own, processLabel(), (attempt, holder) => waitFor(request, attempt, holder));
  }
  // On the migration connection itself: the server keeps the lock until that session ends, which is only
  // once the statement it runs has ended. A process killed during an ALTER (kill -9, a lost machine)
  // leaves the ALTER running on the server; a lock on a connection of its own would go at the kill and
  // let the next run start before the dead run's work has stopped.
  const name = mysqlLockName(request.key);
  const { control } = request;
  const run = firstRowOn(control);
  await waitFor(
    request,
    async () => Number((await run('SELECT GET_LOCK(:name, 0)', { name }))[0]) === 1,
    async () => {
      const id = (await run('SELECT IS_USED_LOCK(:name)', { name }))[0];
      if (id === null || id === undefined) return 'another session';
      const row = (await run('SELECT USER, HOST, DB, COMMAND, INFO FROM information_schema.PROCESSLIST WHERE ID = :id', { id: Number(id) })) as
        | [string, string, string | null, string, string | null]
        | undefined;
      if (row === undefined) return `connection ${String(id)}`;
      const [user, host, db, command, info] = row;
      // What the holder runs: after a kill -9 of its process, the statement the server still finishes.
      const doing = command === 'Query' && info !== null ? `; running ${truncate(info.replace(/\s+/g, ' '), 120)}` : '';
      return `connection ${String(id)} (user ${user}@${host}${db ? `, database ${db}` : ''}${doing})`;
    },
  );
  return {
    spansTransactions: true,
    begin: () => control.begin(),
    release: async () => {
      try {
        if (control.inTransaction) await control.rollback();
        await run('SELECT RELEASE_LOCK(:name)', { name });
      } catch {
        // The connection is gone, and the lock with it.
      }
    },
  };
}

async function sqliteImmediateTransactions(request: LockRequest): Promise<MigrationLock> {
  const { control } = request;
  const busyTimeout = Number((await control.run('PRAGMA busy_timeout')).scalar() ?? 0);
  const begin = async () => {
    // Polled (see waitFor), so the process can say that it waits: SQLite's busy handler would block
    // silently. The busy timeout is back for the transaction's own statements and its COMMIT.
    await control.run('PRAGMA busy_timeout = 0');
    try {
      await waitFor(
        request,
        async () => {
          try {
            await control.begin('BEGIN IMMEDIATE');
            return true;
          } catch (error) {
            if (error instanceof DatabaseError && /^SQLITE_BUSY/.test(error.code ?? '')) return false;
            throw error;
          }
        },
        async () => 'another connection (SQLite does not tell which process)',
      );
    } finally {
      await control.run(`PRAGMA busy_timeout = ${busyTimeout}`);
    }
  };
  return { spansTransactions: false, begin, release: async () => undefined };
}
