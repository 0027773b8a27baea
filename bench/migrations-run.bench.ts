/**
 * Issue 4: `tsmig upgrade head` and `tsmig downgrade base` over a generated chain of 1,000 revisions (a
 * table every fifth step, a column otherwise), on SQLite and PostgreSQL, as a user runs them: the real
 * CLI in a child process, which loads the config, reads the graph from the file headers, imports each
 * revision file (compiled once, then from tsmig's cache) and runs it. Both transaction modes are measured: one transaction per
 * migration (tsmig's default) and one for the run (`transactionPerMigration: false`, Alembic's default).
 *
 * Baseline: the very statements of the run (its `--sql` script, BEGIN/COMMIT included) replayed one by
 * one on the raw driver: the database's own cost, which no migration tool can go below. Alembic 1.8's
 * times from the issue are printed next to them (the issue aims for a third of those).
 *
 * `npm run bench -- migrations-run` once bench/run.ts lists it, or on its own:
 * `npx tsx bench/migrations-run.bench.ts [--reps N]`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { type Bench, type BenchTarget, type Contender, type RepeatOptions, type ResultRow, compare, formatReport, resolveTargets, benchName } from './harness.js';

const REVISIONS = 1000;
const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const TSMIG_BIN = path.join(REPO_ROOT, 'bin', 'tsmig');
const OPTIONS: RepeatOptions = { warmup: 1, reps: 3 };

/** Alembic 1.8 on the machine class, in seconds. */
const ALEMBIC: Readonly<Record<'sqlite' | 'postgresql', { upgrade: number; downgrade: number }>> = {
  sqlite: { upgrade: 2.9, downgrade: 5.0 },
  postgresql: { upgrade: 1.6, downgrade: 1.1 },
};

/** The id of revision `i` (1-based): twelve hex digits, as tsmig generates them. */
function revisionId(i: number): string {
  return i.toString(16).padStart(12, '0');
}

/** Writes the project: config, the generic env.ts, and the chain of revision files. */
export function generateProject(dir: string, count = REVISIONS): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'tsmig'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "bench", "private": true, "type": "module" }\n');
  writeFileSync(
    path.join(dir, 'alembic.config.ts'),
    "import { defineConfig } from 'tsmig';\n\nexport default defineConfig({\n  scriptLocation: 'migrations',\n  transactionPerMigration: process.env['TSMIG_BENCH_PER_MIGRATION'] !== '0',\n});\n",
  );
  const versions = path.join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(path.join(dir, 'migrations', 'env.ts'), readFileSync(path.join(REPO_ROOT, 'templates', 'generic', 'env.ts')));
  let table = '';
  for (let i = 1; i <= count; i++) {
    let up: string;
    let down: string;
    if (i % 5 === 1) {
      table = `t_${i}`;
      up = `await op.createTable('${table}', { id: column(t.Integer(), { primaryKey: true }) });`;
      down = `await op.dropTable('${table}');`;
    } else {
      up = `await op.addColumn('${table}', 'c_${i}', column(t.Integer()));`;
      down = `await op.dropColumn('${table}', 'c_${i}');`;
    }
    const down1 = i === 1 ? 'null' : `'${revisionId(i - 1)}'`;
    writeFileSync(
      path.join(versions, `${revisionId(i)}_step_${i}.ts`),
      `/**\n * step ${i}\n *\n * Revision ID: ${revisionId(i)}\n * Revises: ${i === 1 ? '' : revisionId(i - 1)}\n */\nimport { column, op, t } from 'tsmig';\n\n` +
        `export const revision = '${revisionId(i)}';\nexport const downRevision: string | readonly string[] | null = ${down1};\n\n` +
        `export async function upgrade(): Promise<void> {\n  ${up}\n}\n\nexport async function downgrade(): Promise<void> {\n  ${down}\n}\n`,
    );
  }
}

/** Runs the CLI; throws with its stderr when it fails. */
function tsmig(dir: string, args: readonly string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSMIG_BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`tsmig ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

/** The statements of an offline script, in order (comments left out). */
function statements(script: string): string[] {
  return script
    .split('\n\n')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('--'));
}

/** A database the bench can empty between runs and replay statements on with the raw driver. */
interface BenchDatabase {
  readonly url: string;
  reset(): Promise<void>;
  replay(statements: readonly string[]): Promise<void>;
  drop(): Promise<void>;
}

async function sqliteDatabase(target: BenchTarget): Promise<BenchDatabase> {
  const file = path.join(target.scratchDir, 'migrations-run.db');
  return {
    url: `sqlite:///${file}`,
    reset: async () => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
    replay: async (list) => {
      const db = new BetterSqlite3(file);
      try {
        for (const sql of list) db.exec(sql);
      } finally {
        db.close();
      }
    },
    drop: async () => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

async function postgresqlDatabase(target: BenchTarget): Promise<BenchDatabase> {
  const name = benchName('migrations_run');
  const admin = target.url.render({ hidePassword: false }).replace(/^postgres(ql)?(\+pg)?:/, 'postgresql:');
  const url = target.url.with({ database: name }).render({ hidePassword: false }).replace(/^postgres(ql)?(\+pg)?:/, 'postgresql:');
  const onAdmin = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const reset = async () => {
    await onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await onAdmin(`CREATE DATABASE ${name}`);
  };
  return {
    url,
    reset,
    replay: async (list) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const sql of list) await client.query(sql);
      } finally {
        await client.end();
      }
    },
    drop: () => onAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export const migrationsRunBench: Bench = {
  name: 'migrations-run',
  title: `issue 4: tsmig upgrade head / downgrade base (CLI) over ${REVISIONS.toLocaleString('en-US')} generated revisions`,
  baseline: "the run's own --sql script replayed statement by statement on the raw driver (the database's floor); Alembic 1.8's times from the issue in the alembic column, the aim is a third of them",
  options: OPTIONS,
  dialects: ['sqlite', 'postgresql'],
  async run(target, log, options) {
    const dialect = target.dialect as 'sqlite' | 'postgresql';
    const dir = path.join(target.scratchDir, `migrations-run-${dialect}`);
    log(`${dialect}: generating ${REVISIONS} revision files`);
    generateProject(dir);
    const db = dialect === 'sqlite' ? await sqliteDatabase(target) : await postgresqlDatabase(target);
    const head = revisionId(REVISIONS);
    const rows: ResultRow[] = [];
    try {
      for (const perMigration of [true, false]) {
        const env = { DATABASE_URL: db.url, TSMIG_BENCH_PER_MIGRATION: perMigration ? '1' : '0' };
        const mode = perMigration ? 'transaction per migration' : 'one transaction';
        const up = statements(await tsmig(dir, ['upgrade', 'head', '--sql'], env));
        const down = statements(await tsmig(dir, ['downgrade', `${head}:base`, '--sql'], env));
        const cases: { name: 'upgrade' | 'downgrade'; tsmig: Contender; baseline: Contender }[] = [
          {
            name: 'upgrade',
            tsmig: { setup: () => db.reset(), run: () => tsmig(dir, ['upgrade', 'head'], env) },
            baseline: { setup: () => db.reset(), run: () => db.replay(up) },
          },
          {
            name: 'downgrade',
            tsmig: { setup: async () => (await db.reset(), db.replay(up)), run: () => tsmig(dir, ['downgrade', 'base'], env) },
            baseline: { setup: async () => (await db.reset(), db.replay(up)), run: () => db.replay(down) },
          },
        ];
        for (const c of cases) {
          log(`${dialect}: ${c.name}, ${mode}`);
          const result = await compare(c.tsmig, c.baseline, options);
          const alembic = ALEMBIC[dialect][c.name];
          const seconds = result.tsmig.medianMs / 1000;
          rows.push({
            dialect,
            case: `${c.name === 'upgrade' ? 'upgrade head' : 'downgrade base'}, ${mode}`,
            work: { count: REVISIONS, unit: 'revisions' },
            tsmig: result.tsmig,
            baseline: result.baseline,
            ratio: result.ratio,
            aim: null,
            notes: {
              alembic: `${alembic.toFixed(1)} s`,
              'vs alembic': `${(seconds / alembic).toFixed(2)}x`,
              'aim (1/3)': seconds <= alembic / 3 ? 'ok' : 'MISSED',
            },
          });
        }
      }
    } finally {
      await db.drop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

// Run on its own: `npx tsx bench/migrations-run.bench.ts [--reps N] [--warmup N]`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : Number(process.argv[i + 1]);
  };
  const options = { warmup: arg('warmup') ?? OPTIONS.warmup, reps: arg('reps') ?? OPTIONS.reps };
  const { targets, skipped } = await resolveTargets(['sqlite', 'postgresql']);
  for (const { dialect, reason } of skipped) process.stdout.write(`${dialect}: skipped: ${reason}\n`);
  const report = { name: migrationsRunBench.name, title: migrationsRunBench.title, baseline: migrationsRunBench.baseline, options, rows: [] as ResultRow[], errors: [] as { dialect: 'sqlite' | 'postgresql' | 'mysql'; message: string }[] };
  for (const target of targets) {
    try {
      report.rows.push(...(await migrationsRunBench.run(target, (line) => process.stderr.write(`  ${line}\n`), options)));
    } catch (error) {
      report.errors.push({ dialect: target.dialect, message: String((error as Error).message).split('\n')[0]! });
    }
  }
  process.stdout.write(`${formatReport(report)}\n`);
}
