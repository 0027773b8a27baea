/**
 * `npm run bench [-- NAME ...] [--dialect sqlite,postgresql] [--json FILE] [--reps N] [--warmup N]`
 *
 * Runs every benchmark (or those named) on each reachable database and prints one table per bench;
 * `--json FILE` also writes the results. PostgreSQL and MySQL come from TSMIG_BENCH_POSTGRESQL_URL and
 * TSMIG_BENCH_MYSQL_URL (defaults: the local servers); SQLite is a scratch file. A server that does not
 * answer is skipped with one line saying so. Timings are reported, never asserted.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { autogenerateBench } from './autogenerate.bench.js';
import { engineBench } from './engine.bench.js';
import {
  ALL_DIALECTS,
  type Bench,
  type BenchDialectName,
  type BenchReport,
  type JsonReport,
  type RepeatOptions,
  formatReport,
  loadLine,
  resolveTargets,
} from './harness.js';
import { migrationsGraphBench } from './migrations-graph.bench.js';
import { migrationsRunBench } from './migrations-run.bench.js';
import { ormBench } from './orm.bench.js';
import { reflectionBench } from './reflection.bench.js';
import { relationshipsBench } from './relationships.bench.js';

/** Every bench, by the name the command line uses, in run order. */
const BENCHES: Readonly<Record<string, Bench>> = {
  engine: engineBench,
  reflection: reflectionBench,
  orm: ormBench,
  relationships: relationshipsBench,
  autogenerate: autogenerateBench,
  'migrations-graph': migrationsGraphBench,
  'migrations-run': migrationsRunBench,
};

const USAGE = `usage: npm run bench -- [${Object.keys(BENCHES).join('|')} ...] [--dialect ${ALL_DIALECTS.join(',')}] [--json FILE] [--reps N] [--warmup N]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function count(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, got ${value}`);
  return n;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'string' },
        dialect: { type: 'string', multiple: true },
        reps: { type: 'string' },
        warmup: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = positionals.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) fail(`unknown bench ${unknown.join(', ')}; the benches are ${Object.keys(BENCHES).join(', ')}`);
  const benches = (positionals.length > 0 ? [...new Set(positionals)] : Object.keys(BENCHES)).map((name) => BENCHES[name]!);

  const wanted = (values.dialect ?? []).flatMap((d) => d.split(',')).map((d) => d.trim()).filter((d) => d !== '');
  const badDialect = wanted.find((d) => !(ALL_DIALECTS as readonly string[]).includes(d));
  if (badDialect !== undefined) fail(`unknown dialect ${badDialect}; the dialects are ${ALL_DIALECTS.join(', ')}`);
  const dialects = wanted.length > 0 ? ALL_DIALECTS.filter((d) => wanted.includes(d)) : ALL_DIALECTS;

  const reps = count('reps', values.reps, 1);
  const warmup = count('warmup', values.warmup, 0);
  const optionsOf = (bench: Bench): RepeatOptions => ({ warmup: warmup ?? bench.options.warmup, reps: reps ?? bench.options.reps });

  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg();
  process.stdout.write(`tsmig bench: node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs\n`);
  process.stdout.write(`${loadLine('before')}\n`);
  const { targets, skipped } = await resolveTargets(dialects);
  for (const { dialect, reason } of skipped) process.stdout.write(`${dialect}: skipped: ${reason}\n`);

  const reports: BenchReport[] = [];
  let failed = false;
  for (const bench of benches) {
    const options = optionsOf(bench);
    const report: BenchReport = { name: bench.name, title: bench.title, baseline: bench.baseline, options, rows: [], errors: [] };
    const started = performance.now();
    for (const target of targets.filter((t) => bench.dialects?.includes(t.dialect) ?? true)) {
      try {
        report.rows.push(...(await bench.run(target, (line) => process.stderr.write(`  ${line}\n`), options)));
      } catch (error) {
        failed = true;
        const message = (error as Error).stack ?? String(error);
        report.errors.push({ dialect: target.dialect, message: message.split('\n')[0]! });
        process.stderr.write(`${bench.name} on ${target.dialect} failed:\n${message}\n`);
      }
    }
    reports.push(report);
    process.stdout.write(`\n${formatReport(report)}\n   (${bench.name} took ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }

  process.stdout.write(`\n${loadLine('after')}\n`);
  if (values.json !== undefined) {
    const json: JsonReport = {
      startedAt,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      loadBefore,
      loadAfter: os.loadavg(),
      skipped,
      benches: reports,
    };
    writeFileSync(values.json, `${JSON.stringify(json, null, 2)}\n`);
    process.stdout.write(`\nwrote ${values.json}\n`);
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
