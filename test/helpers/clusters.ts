/**
 * The suites of test/clusters/ run against servers their own scripts start and stop: a three-node
 * MariaDB Galera cluster (.ci/galera.sh), PgBouncer in transaction pooling mode (.ci/pgbouncer.sh) and a
 * PostgreSQL hot standby (.ci/pg-standby.sh). They need Debian packages and cost tens of seconds, so each
 * runs only when its variable is `1` and otherwise prints one line naming it, as dialects.ts does for
 * the database URLs. `.ci/run` installs the packages and sets every variable, which makes them mandatory
 * there: a server that does not start fails the run.
 *
 * @example
 * ```ts
 * describeWithServers('galera', 'upgrades across the nodes', (servers) => {
 *   it('...', () => { const [node1] = servers.urls; ... });
 * });
 * ```
 */
import { parseDatabaseUrl } from '../../src/engine/url.js';
import { runCommand } from './run-cli.js';
import { REPO_ROOT } from './temp-project.js';

/** The servers a suite can ask for. */
export type ServerKind = 'galera' | 'pgbouncer' | 'standby';

interface ServerSpec {
  readonly variable: string;
  readonly script: string;
  /** What the skip line says the suite needs. */
  readonly needs: string;
}

/** The environment variable, start script and requirements of each kind. */
export const SERVER_SPECS: Readonly<Record<ServerKind, ServerSpec>> = {
  galera: {
    variable: 'TSMIG_TEST_GALERA',
    script: '.ci/galera.sh',
    needs: "Debian's mariadb-server and galera-4; the suite starts a three-node cluster on ports 3311-3313",
  },
  pgbouncer: {
    variable: 'TSMIG_TEST_PGBOUNCER',
    script: '.ci/pgbouncer.sh',
    needs: `Debian's pgbouncer and TSMIG_TEST_POSTGRESQL_URL; the suite starts PgBouncer on port 6439 in front of that server`,
  },
  standby: {
    variable: 'TSMIG_TEST_PG_STANDBY',
    script: '.ci/pg-standby.sh',
    needs: 'TSMIG_TEST_POSTGRESQL_URL; the suite makes a streaming replica of that server on port 5439 with pg_basebackup, and may add a replication line to its pg_hba.conf until it stops',
  },
};

/** Whether the suite of `kind` runs in this process. */
export function serversEnabled(kind: ServerKind, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env[SERVER_SPECS[kind].variable] === '1';
}

/** The line printed when the suite of `kind` is skipped. */
export function skipMessage(kind: ServerKind): string {
  const spec = SERVER_SPECS[kind];
  return `${kind} tests skipped: set ${spec.variable}=1 to run them (needs ${spec.needs})`;
}

/** What a started script reported. */
export interface StartedServers {
  /** The URLs the script printed, one a line (no database in them). */
  readonly urls: readonly string[];
}

/** `url` with `database` as its database (and a query option, if given). */
export function onDatabase(url: string, database: string, query: Readonly<Record<string, string>> = {}): string {
  const base = parseDatabaseUrl(url);
  return base.with({ database, query: { ...base.query, ...query } }).render({ hidePassword: false });
}

async function script(kind: ServerKind, action: 'start' | 'stop'): Promise<string> {
  const r = await runCommand('bash', [SERVER_SPECS[kind].script, action], { cwd: REPO_ROOT });
  if (r.code !== 0) throw new Error(`${SERVER_SPECS[kind].script} ${action} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/**
 * A mocha `describe` titled `<kind>: <title>` whose servers start before its tests and stop after them,
 * or one "skipped" line when the kind's variable is not set.
 */
export function describeWithServers(kind: ServerKind, title: string, body: (this: Mocha.Suite, servers: StartedServers) => void): void {
  if (!serversEnabled(kind)) {
    process.stdout.write(`${skipMessage(kind)}\n`);
    return;
  }
  describe(`${kind}: ${title}`, function () {
    const urls: string[] = [];
    before(async function () {
      this.timeout(240_000);
      // A run that was killed may have left its servers behind; they would hold the ports.
      await script(kind, 'stop');
      urls.push(...(await script(kind, 'start')).split('\n').filter((line) => line.trim() !== ''));
    });
    after(async function () {
      this.timeout(120_000);
      await script(kind, 'stop');
    });
    body.call(this, { urls });
  });
}
