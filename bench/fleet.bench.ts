/**
 * Issue 18: `tsmig upgrade head --all` over N tenants with a 10-revision chain each: N PostgreSQL schemas
 * on one server and N SQLite files, through the real CLI, at concurrency 1, 4 and 16. Prints targets per
 * second (wall clock of the whole command, process start included) and tsmig's own overhead per target:
 * the time the fleet report gives each target at concurrency 1, less the same target's migrations done by
 * hand (the upgrade's own `--sql` script replayed statement by statement on the raw driver, connecting as
 * tsmig does: a connection opened and closed per SQLite file, one connection for all the schemas of the
 * PostgreSQL server, switched with `SET search_path`). Also the cost of a target already at head (a re-run).
 *
 * Not a timed test and not in `npm run bench`'s default list (it creates N schemas or files):
 * `npx tsx bench/fleet.bench.ts [--n 200] [--dialect sqlite,postgresql]`. PostgreSQL comes from
 * `TSMIG_BENCH_POSTGRESQL_URL` (default postgresql://postgres@127.0.0.1:5432/postgres); a database
 * (`--database NAME`, default `tsmig_bench_fleet`) is created on that server and dropped after.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { generateProject } from './migrations-run.bench.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** `TSMIG_BENCH_BIN`: another build's bin/tsmig (the one before a change, or a copy that a rebuild leaves alone). */
const TSMIG_BIN = process.env['TSMIG_BENCH_BIN'] ?? path.join(REPO_ROOT, 'bin', 'tsmig');
const REVISIONS = 10;
const CONCURRENCIES = [1, 4, 16];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const N = Number(arg('n', '200'));
const DIALECTS = arg('dialect', 'sqlite,postgresql').split(',');
const PG_DATABASE = arg('database', 'tsmig_bench_fleet');
const PG_SERVER = process.env['TSMIG_BENCH_POSTGRESQL_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Prints the process's CPU time (user + system, µs) on stderr as it exits, for the bench to read. */
const CPU_PROBE = `data:text/javascript,process.on('exit', () => { const r = process.resourceUsage(); process.stderr.write('\\ntsmig-cpu-us ' + (r.userCPUTime + r.systemCPUTime) + '\\n'); });`;

interface Run {
  readonly stdout: string;
  /** CPU time of the tsmig process, ms. */
  readonly cpuMs: number;
}

function tsmig(dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', CPU_PROBE, TSMIG_BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`tsmig ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}${stdout.slice(-2000)}`));
      else resolve({ stdout, cpuMs: Number(/tsmig-cpu-us (\d+)/.exec(stderr)?.[1] ?? NaN) / 1000 });
    });
  });
}

function statements(script: string): string[] {
  return script
    .split('\n\n')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('--'));
}

interface Fleet {
  readonly dialect: string;
  /** Extra CLI arguments naming the targets. */
  readonly args: readonly string[];
  /** The same, naming only the first target (with `oneEnv`): a run's fixed cost, process start included. */
  readonly oneArgs: readonly string[];
  readonly oneEnv: Record<string, string>;
  /** DATABASE_URL of one target, for the `--sql` script. */
  readonly oneUrl: string;
  reset(): Promise<void>;
  /** Replays the script on every target, one after the other. */
  replayAll(script: readonly string[]): Promise<void>;
  drop(): Promise<void>;
}

function sqliteFleet(dir: string): Fleet {
  const files = Array.from({ length: N }, (_, i) => path.join(dir, 'tenants', `t${String(i).padStart(4, '0')}.db`));
  writeFileSync(path.join(dir, 'targets.txt'), `${files.map((f) => `sqlite:///${f}`).join('\n')}\n`);
  writeFileSync(path.join(dir, 'first.txt'), `sqlite:///${files[0]}\n`);
  const reset = async () => {
    rmSync(path.join(dir, 'tenants'), { recursive: true, force: true });
    mkdirSync(path.join(dir, 'tenants'));
  };
  return {
    dialect: 'sqlite',
    args: ['--targets-file', 'targets.txt'],
    oneArgs: ['--targets-file', 'first.txt'],
    oneEnv: {},
    oneUrl: `sqlite:///${path.join(dir, 'one.db')}`,
    reset,
    replayAll: async (script) => {
      for (const file of files) {
        const db = new BetterSqlite3(file);
        try {
          for (const sql of script) db.exec(sql);
        } finally {
          db.close();
        }
      }
    },
    drop: reset,
  };
}

async function postgresqlFleet(dir: string): Promise<Fleet> {
  const name = PG_DATABASE;
  const server = new URL(PG_SERVER);
  const onServer = async (sql: string, database = server.pathname.slice(1)) => {
    const url = new URL(PG_SERVER);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(PG_SERVER);
  dbUrl.pathname = `/${name}`;
  const schemas = Array.from({ length: N }, (_, i) => `t${String(i).padStart(4, '0')}`);
  writeFileSync(
    path.join(dir, 'alembic.config.ts'),
    `import { defineConfig } from 'tsmig';\n\nexport default defineConfig({\n  scriptLocation: 'migrations',\n  targets: { url: ${JSON.stringify(dbUrl.toString())}, schemas: process.env['TSMIG_BENCH_FIRST'] === '1' ? ${JSON.stringify(schemas.slice(0, 1))} : ${JSON.stringify(schemas)} },\n});\n`,
  );
  return {
    dialect: 'postgresql',
    args: ['--all'],
    oneArgs: ['--all'],
    oneEnv: { TSMIG_BENCH_FIRST: '1' },
    oneUrl: dbUrl.toString(),
    // In batches: one transaction dropping a thousand schemas runs out of lock slots (max_locks_per_transaction).
    reset: async () => {
      for (let i = 0; i < schemas.length; i += 50) {
        await onServer(schemas.slice(i, i + 50).map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE; CREATE SCHEMA ${s};`).join('\n'), name);
      }
    },
    // One connection for every schema, as tsmig's fleet run shares the server's connections.
    replayAll: async (script) => {
      const client = new pg.Client({ connectionString: dbUrl.toString() });
      await client.connect();
      try {
        for (const schema of schemas) {
          await client.query(`SET search_path TO ${schema}`);
          for (const sql of script) await client.query(sql);
        }
      } finally {
        await client.end();
      }
    },
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

interface Report {
  readonly succeeded: number;
  readonly failed: number;
  readonly targets: readonly { readonly ms: number; readonly status: string }[];
}

interface FleetRun {
  readonly wallMs: number;
  /** The sum of the report's per-target times. */
  readonly targetMs: number;
  /** CPU time of the tsmig process. */
  readonly cpuMs: number;
}

async function runFleet(dir: string, fleet: Fleet, concurrency: number, first = false): Promise<FleetRun> {
  const t0 = performance.now();
  const run = await tsmig(dir, ['upgrade', 'head', ...(first ? fleet.oneArgs : fleet.args), '--concurrency', String(concurrency), '--json'], first ? fleet.oneEnv : {});
  const wallMs = performance.now() - t0;
  const report = JSON.parse(run.stdout) as Report;
  const expected = first ? 1 : N;
  if (report.succeeded !== expected) throw new Error(`${fleet.dialect}: ${report.failed} targets failed`);
  return { wallMs, targetMs: report.targets.reduce((sum, t) => sum + t.ms, 0), cpuMs: run.cpuMs };
}

const fmt = (n: number, width: number) => n.toFixed(1).padStart(width);

async function benchDialect(dialect: string): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), `tsmig-bench-fleet-${dialect}-`));
  generateProject(dir, REVISIONS);
  writeFileSync(path.join(dir, 'alembic.config.ts'), "import { defineConfig } from 'tsmig';\n\nexport default defineConfig({ scriptLocation: 'migrations' });\n");
  const fleet = dialect === 'sqlite' ? sqliteFleet(dir) : await postgresqlFleet(dir);
  try {
    // The upgrade's statements, as one target would run them (the --sql script of the whole chain).
    const script = statements((await tsmig(dir, ['upgrade', 'head', '--sql'], { DATABASE_URL: fleet.oneUrl })).stdout);
    await fleet.reset();
    const b0 = performance.now();
    const c0 = process.cpuUsage();
    await fleet.replayAll(script);
    const cpu = process.cpuUsage(c0);
    const rawMs = (performance.now() - b0) / N;
    const rawCpuMs = (cpu.user + cpu.system) / 1000 / N;
    console.log(`${dialect}: ${N} targets x ${REVISIONS} revisions (${script.length} statements each)`);
    console.log(`  raw driver replay of the script: ${rawMs.toFixed(1)} ms per target, ${rawCpuMs.toFixed(1)} ms of it CPU in the client`);
    // A run of the first target alone: process start, config, env.ts and revision loading.
    await fleet.reset();
    const fixed = await runFleet(dir, fleet, 1, true);
    console.log(`  one target alone: ${(fixed.wallMs / 1000).toFixed(2)} s, ${(fixed.cpuMs / 1000).toFixed(2)} s CPU (the fixed cost of a run)`);
    console.log('  concurrency  wall s  targets/s  mean ms per target  tsmig CPU ms per target');
    const runs = new Map<number, FleetRun>();
    for (const c of CONCURRENCIES) {
      await fleet.reset();
      const run = await runFleet(dir, fleet, c);
      runs.set(c, run);
      console.log(`  ${String(c).padStart(11)}  ${fmt(run.wallMs / 1000, 6)}  ${fmt(N / (run.wallMs / 1000), 9)}  ${fmt(run.targetMs / N, 18)}  ${fmt((run.cpuMs - fixed.cpuMs) / (N - 1), 23)}`);
    }
    const one = runs.get(1)!;
    const cpuPerTarget = (one.cpuMs - fixed.cpuMs) / (N - 1);
    console.log(`  overhead per target (c=1): ${(one.targetMs / N - rawMs).toFixed(1)} ms wall (${(one.targetMs / N).toFixed(1)} in tsmig - ${rawMs.toFixed(1)} raw), ` +
      `${(cpuPerTarget - rawCpuMs).toFixed(1)} ms CPU (${cpuPerTarget.toFixed(1)} - ${rawCpuMs.toFixed(1)})`);
    const again = await runFleet(dir, fleet, 1);
    console.log(`  re-run with every target at head (c=1): ${(again.targetMs / N).toFixed(1)} ms per target, ${((again.cpuMs - fixed.cpuMs) / (N - 1)).toFixed(1)} ms CPU, ${(N / (again.wallMs / 1000)).toFixed(1)} targets/s`);
  } finally {
    await fleet.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const dialect of DIALECTS) await benchDialect(dialect);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
