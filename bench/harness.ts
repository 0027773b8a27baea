/**
 * The small shared harness of tsmig's benchmarks: which databases to run against, how to time a pair of
 * competitors fairly (warm-up, interleaved repetitions, median), and how to print and save the results.
 * It measures and reports; it asserts nothing, so a slow machine never fails a run (STYLE.md §4).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine, parseDatabaseUrl, text, type DatabaseUrl } from '../src/index.js';

/** The dialects tsmig supports, spelled as `dialect.name`. */
export type BenchDialectName = 'sqlite' | 'postgresql' | 'mysql';

export const ALL_DIALECTS: readonly BenchDialectName[] = ['sqlite', 'postgresql', 'mysql'];

/** Environment variables naming the servers, and the local defaults the README describes. */
export const BENCH_ENV = {
  postgresql: { variable: 'TSMIG_BENCH_POSTGRESQL_URL', fallback: 'postgresql://postgres@127.0.0.1:5432/test' },
  mysql: { variable: 'TSMIG_BENCH_MYSQL_URL', fallback: 'mysql://root@127.0.0.1:3306/test' },
} as const;

/**
 * The name of a bench's scratch table or database: `TSMIG_BENCH_PREFIX` (default `tsmig_bench_`) and the
 * bench's own suffix, so two bench runs on one server (or a bench beside someone's data) can keep apart.
 */
export function benchName(suffix: string): string {
  return `${process.env['TSMIG_BENCH_PREFIX'] ?? 'tsmig_bench_'}${suffix}`;
}

/** One database a bench runs against. */
export interface BenchTarget {
  readonly dialect: BenchDialectName;
  /** The parsed URL; printing it hides the password. */
  readonly url: DatabaseUrl;
  /**
   * A scratch directory of this run (removed at exit): SQLite benches put their database files here,
   * one per purpose, so they never share a file with another bench.
   */
  readonly scratchDir: string;
}

let scratch: string | null = null;

/** A temporary directory for this process, removed when it exits. */
export function scratchDir(): string {
  if (scratch === null) {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsmig-bench-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return scratch;
}

/** A SQLite URL for a file in the scratch directory (`sqlite:////abs/path.db`, SQLAlchemy's form). */
export function sqliteFileUrl(name: string): string {
  return `sqlite:///${path.join(scratchDir(), name)}`;
}

/**
 * The URL of a dialect: SQLite is a scratch file; PostgreSQL and MySQL come from their variable or the
 * default local server.
 */
export function targetUrl(dialect: BenchDialectName, env: NodeJS.ProcessEnv = process.env): string {
  if (dialect === 'sqlite') return sqliteFileUrl('bench.db');
  const { variable, fallback } = BENCH_ENV[dialect];
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? fallback : value;
}

/**
 * Connects once and runs `SELECT 1`; returns null when the database answers, else the reason in one
 * line. A short pool timeout keeps an unreachable server from stalling the run.
 */
export async function probe(url: DatabaseUrl): Promise<string | null> {
  const engine = createEngine(url, { poolTimeout: 3 });
  try {
    await engine.connect((conn) => conn.execute(text('SELECT 1')));
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? String(error);
  } finally {
    await engine.dispose();
  }
}

/** The targets to run, and a line for each dialect skipped because its server does not answer. */
export async function resolveTargets(
  only: readonly BenchDialectName[],
): Promise<{ targets: BenchTarget[]; skipped: { dialect: BenchDialectName; reason: string }[] }> {
  const targets: BenchTarget[] = [];
  const skipped: { dialect: BenchDialectName; reason: string }[] = [];
  for (const dialect of only) {
    let url: DatabaseUrl;
    try {
      url = parseDatabaseUrl(targetUrl(dialect));
    } catch (error) {
      skipped.push({ dialect, reason: (error as Error).message });
      continue;
    }
    if (url.dialect !== dialect) {
      skipped.push({ dialect, reason: `${url} is a ${url.dialect} URL, not a ${dialect} one` });
      continue;
    }
    const reason = await probe(url);
    if (reason === null) targets.push({ dialect, url, scratchDir: scratchDir() });
    else skipped.push({ dialect, reason: `${url} is unreachable (${reason})` });
  }
  return { targets, skipped };
}

// ---------------------------------------------------------------------------------------------------
// Timing

/** Several timings of one piece of work. */
export interface Timing {
  /** The median, in milliseconds: what tables and ratios use. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Every timed repetition, in run order. */
  readonly samplesMs: readonly number[];
  /**
   * The median CPU time this process spent per run (user + system, GC threads included). Other
   * processes do not inflate it as they do wall time, and it leaves out the database server's work.
   */
  readonly cpuMedianMs?: number;
}

export interface RepeatOptions {
  /** Untimed runs first, so the JIT, the statement caches and the server's buffers are warm. */
  readonly warmup: number;
  /** Timed runs; the median is reported. */
  readonly reps: number;
}

/** One competitor: optional untimed preparation before each run (emptying a table), then the work. */
export interface Contender {
  readonly setup?: () => Promise<void> | void;
  readonly run: () => Promise<unknown> | unknown;
}

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
}

/*
 * No forced garbage collection before a run. A full collection between runs also frees the hidden
 * classes whose last objects died with the previous run (a closed session's identity map, its states),
 * and V8 then throws away the optimised code built on them: every timed run paid a deoptimisation and
 * a recompile that a running application does not (10,000-object flush on SQLite: 38-50 ms of CPU
 * after `gc()`, 15-20 ms without; the driver's side moved by 1-2 ms). Collections come as the process
 * makes garbage, and the interleaving spreads them over both sides; a dead object costs a young
 * generation collection nothing, so one side's garbage barely slows the other.
 */
async function timeOnce(contender: Contender): Promise<Sample> {
  await contender.setup?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await contender.run();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarise(samples: readonly Sample[]): Timing {
  const ms = samples.map((s) => s.ms);
  return {
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    samplesMs: ms,
    cpuMedianMs: median(samples.map((s) => s.cpuMs)),
  };
}

/** Times one piece of work: `warmup` untimed runs, then `reps` timed ones. */
export async function measure(contender: Contender, options: RepeatOptions): Promise<Timing> {
  for (let i = 0; i < options.warmup; i++) await timeOnce(contender);
  const samples: Sample[] = [];
  for (let i = 0; i < options.reps; i++) samples.push(await timeOnce(contender));
  return summarise(samples);
}

/**
 * Times tsmig against a baseline, interleaved (A B, B A, A B, ...) so that drift on the machine or the
 * server (autovacuum, buffer pool, another process) lands on both sides alike.
 */
export async function compare(
  tsmig: Contender,
  baseline: Contender,
  options: RepeatOptions,
): Promise<{ tsmig: Timing; baseline: Timing; ratio: number }> {
  const [a, b] = await interleave([tsmig, baseline], options);
  return { tsmig: a!, baseline: b!, ratio: a!.medianMs / b!.medianMs };
}

/** Times several contenders interleaved, in order on even rounds and in reverse on odd ones; their timings in order. */
export async function interleave(contenders: readonly Contender[], options: RepeatOptions): Promise<Timing[]> {
  for (let i = 0; i < options.warmup; i++) for (const contender of contenders) await timeOnce(contender);
  const samples: Sample[][] = contenders.map(() => []);
  const order = contenders.map((_, i) => i);
  for (let i = 0; i < options.reps; i++) {
    for (const c of i % 2 === 0 ? order : [...order].reverse()) samples[c]!.push(await timeOnce(contenders[c]!));
  }
  return samples.map(summarise);
}

// ---------------------------------------------------------------------------------------------------
// Results

/** How much work one run did, to print a rate next to the time (`100,000 rows` -> rows/s). */
export interface Work {
  readonly count: number;
  readonly unit: string;
}

/** One line of a bench's table (and one record of the JSON file). */
export interface ResultRow {
  readonly dialect: BenchDialectName;
  /** What was measured, e.g. `insert 10,000 rows`. */
  readonly case: string;
  readonly work: Work | null;
  readonly tsmig: Timing;
  /** What tsmig is compared with, or null when nothing comparable runs. */
  readonly baseline: Timing | null;
  /** tsmig's median time over the baseline's: 1.00 is as fast as the driver, 2.00 twice as slow. */
  readonly ratio: number | null;
  /** The ratio the issue aims for (tsmig at most this many times the baseline), when it states one. */
  readonly aim: number | null;
  /** Facts worth a column of their own (catalog queries, batch size), printed after the ratio. */
  readonly notes: Readonly<Record<string, string | number>>;
}

/** What a bench prints above its table and writes into the JSON file. */
export interface BenchReport {
  readonly name: string;
  readonly title: string;
  /** What the baseline is, in one or two sentences. */
  readonly baseline: string;
  readonly options: RepeatOptions;
  readonly rows: ResultRow[];
  /** Dialects that failed, with the error's first line. */
  readonly errors: { dialect: BenchDialectName; message: string }[];
}

/** A benchmark module: a name for the command line and one run per dialect. */
export interface Bench {
  readonly name: string;
  /** The issue it measures and what it does, in one line. */
  readonly title: string;
  readonly baseline: string;
  /** The default repetition counts (`--warmup` / `--reps` override them). */
  readonly options: RepeatOptions;
  /** The dialects it runs on (default: every reachable one); one that needs no database names `sqlite`. */
  readonly dialects?: readonly BenchDialectName[];
  /** Measures on one database; cleans up after itself (tables, schemas, files) even when it fails. */
  run(target: BenchTarget, log: (line: string) => void, options: RepeatOptions): Promise<ResultRow[]>;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1234567` -> `1,234,567`. */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** Milliseconds with three significant-ish digits: `0.42 ms`, `12.3 ms`, `1,234 ms`. */
export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${formatCount(ms)} ms`;
}

/** `153,000 rows/s`, rounded to three significant digits. */
export function formatRate(work: Work, ms: number): string {
  const perSecond = (work.count * 1000) / ms;
  const digits = Math.max(0, Math.floor(Math.log10(perSecond)) - 2);
  const rounded = Math.round(perSecond / 10 ** digits) * 10 ** digits;
  return `${formatCount(rounded)} ${work.unit}/s`;
}

function timingCell(timing: Timing | null, work: Work | null): string {
  if (timing === null) return '-';
  const time = formatMs(timing.medianMs);
  return work === null ? time : `${time}  ${formatRate(work, timing.medianMs)}`;
}

/** How far apart the runs were: (max - min) / median of the noisier side, e.g. `±12%`. */
function noiseCell(row: ResultRow): string {
  const spread = (t: Timing) => (t.maxMs - t.minMs) / t.medianMs;
  const worst = Math.max(spread(row.tsmig), row.baseline === null ? 0 : spread(row.baseline));
  return `±${Math.round((worst * 100) / 2)}%`;
}

function ratioCell(row: ResultRow): string {
  if (row.ratio === null) return '-';
  return `${row.ratio.toFixed(2)}x`;
}

/** tsmig's CPU time over the baseline's, in this process only (the database server's work left out). */
function cpuRatioCell(row: ResultRow): string {
  const tsmig = row.tsmig.cpuMedianMs;
  const baseline = row.baseline?.cpuMedianMs;
  if (tsmig === undefined || baseline === undefined || baseline === 0) return '-';
  return `${(tsmig / baseline).toFixed(2)}x`;
}

function aimCell(row: ResultRow): string {
  if (row.aim === null || row.ratio === null) return '';
  return row.ratio <= row.aim ? `<= ${row.aim}x ok` : `<= ${row.aim}x MISSED`;
}

/**
 * Renders rows as an aligned plain-text table (readable in a terminal and in a CI log); `right` says
 * which columns hold numbers and align right.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The printed form of a bench's results: title, baseline, table, errors. */
export function formatReport(report: BenchReport): string {
  const noteKeys = [...new Set(report.rows.flatMap((r) => Object.keys(r.notes)))];
  const withAim = report.rows.some((r) => r.aim !== null);
  const header = ['dialect', 'case', 'tsmig', 'baseline', 'ratio', 'spread', 'cpu ratio', ...noteKeys, ...(withAim ? ['aim'] : [])];
  const rows = report.rows.map((r) => [
    r.dialect,
    r.case,
    timingCell(r.tsmig, r.work),
    timingCell(r.baseline, r.work),
    ratioCell(r),
    noiseCell(r),
    cpuRatioCell(r),
    ...noteKeys.map((k) => (r.notes[k] === undefined ? '' : String(r.notes[k]))),
    ...(withAim ? [aimCell(r)] : []),
  ]);
  const lines = [
    `== ${report.name}: ${report.title}`,
    `   baseline: ${report.baseline}`,
    `   median of ${report.options.reps} runs after ${report.options.warmup} warm-up runs; ratio = tsmig / baseline;` +
      ' spread = half the min-max range of the noisier side, relative to its median;',
    '   cpu ratio = the same for the CPU time of this process (excludes the database server; robust to other load)',
    '',
    rows.length > 0 ? renderTable(header, rows, new Set([2, 3, 4, 5, 6])) : '(no results)',
  ];
  for (const { dialect, message } of report.errors) lines.push(`${dialect}: FAILED: ${message}`);
  return lines.join('\n');
}

/**
 * A line on the machine's load: benchmarks on a busy machine (a test run or a compiler next to them)
 * are noisy, and the reader should know.
 */
export function loadLine(when: string): string {
  const [one] = os.loadavg();
  const cpus = os.cpus().length;
  const busy = one! > cpus * 0.5 ? ' (busy: other processes compete for the CPUs; expect noisy results)' : '';
  return `load average ${when}: ${one!.toFixed(2)} on ${cpus} CPUs${busy}`;
}

/** The JSON file's content (`--json FILE`). */
export interface JsonReport {
  readonly startedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  /** `os.loadavg()` (1, 5, 15 minutes) before and after the run: other work on the machine skews timings. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly skipped: readonly { dialect: BenchDialectName; reason: string }[];
  readonly benches: readonly BenchReport[];
}
