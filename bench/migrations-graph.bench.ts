/**
 * Issue "Migrations": `tsmig history` and `tsmig heads` over a generated chain of 1,000 revisions (a
 * table every fifth step, a column otherwise). Aim: 4x faster than Alembic 1.8, which takes 0.37 s for
 * either on this machine class — so at most ~92 ms for the whole command, process start included.
 *
 * Rows:
 * - `cli history` / `cli heads`: `bin/tsmig` spawned in the project, as a user runs it; the baseline is
 *   the Alembic figure (Alembic is not run here).
 * - `cli --version`: the same process doing no work, i.e. the fixed cost of starting node, tsx and the
 *   CLI, which the two rows above include.
 * - `in-process history` / `heads`: the command functions from a cold script directory (list the files,
 *   read 1,000 headers, build and validate the graph, order/format it), without process start.
 * - `in-process main history`: `main(['history'])` in this process (the config module is cached after the
 *   first run, so this is the CLI's own overhead over the functions).
 *
 * Nothing here touches a database, so it runs once, under the `sqlite` target. Run it alone with
 * `npx tsx bench/migrations-graph.bench.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../src/cli/main.js';
import { heads, history } from '../src/migrate/commands/graph.js';
import { formatRevision } from '../src/migrate/script/revision-format.js';
import { ScriptDirectory } from '../src/migrate/script/script-directory.js';
import { renderTemplate, templateValues, DEFAULT_SCRIPT_TEMPLATE } from '../src/migrate/script/template.js';
import {
  type Bench,
  type BenchTarget,
  type RepeatOptions,
  type ResultRow,
  type Timing,
  formatReport,
  measure,
} from './harness.js';

const REVISIONS = 1_000;
const ALEMBIC_MS = 370;
const AIM = 0.25;
const OPTIONS: RepeatOptions = { warmup: 2, reps: 7 };
const BIN = fileURLToPath(new URL('../bin/tsmig', import.meta.url));

/** The Alembic figure as a timing, so the table shows it and the ratio against it. */
const ALEMBIC: Timing = { medianMs: ALEMBIC_MS, minMs: ALEMBIC_MS, maxMs: ALEMBIC_MS, samplesMs: [] };

function revisionId(i: number): string {
  return (0x1000_0000_0000 + i * 7919).toString(16).slice(-12);
}

/** The body of step `i`: a table every fifth step, a column on the latest table otherwise. */
function bodies(i: number): { upgrades: string; downgrades: string } {
  const table = `t${Math.floor(i / 5)}`;
  if (i % 5 === 0) {
    return {
      upgrades: [
        `await op.createTable('${table}', {`,
        `  id: column(t.Integer(), { primaryKey: true }),`,
        `  name: column(t.String(100), { nullable: false }),`,
        `});`,
      ].join('\n'),
      downgrades: `await op.dropTable('${table}');`,
    };
  }
  return { upgrades: `await op.addColumn('${table}', 'c${i}', column(t.String(50)));`, downgrades: `await op.dropColumn('${table}', 'c${i}');` };
}

/** A project with a 1,000-revision chain written through the default template. */
function generateProject(root: string): void {
  const scriptDir = path.join(root, 'migrations');
  const versions = path.join(scriptDir, 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(root, 'alembic.config.ts'), "export default { scriptLocation: 'migrations' };\n");
  writeFileSync(path.join(scriptDir, 'script.ts.tmpl'), DEFAULT_SCRIPT_TEMPLATE);
  let previous: string | null = null;
  for (let i = 0; i < REVISIONS; i++) {
    const revision = revisionId(i);
    const message = i % 5 === 0 ? `create table t${i / 5}` : `add column c${i}`;
    const text = renderTemplate(
      DEFAULT_SCRIPT_TEMPLATE,
      templateValues({
        message,
        revision,
        downRevisions: previous === null ? [] : [previous],
        branchLabels: [],
        dependsOn: [],
        createDate: '2024-05-01 10:30:05.123000',
        imports: ["import { column, t } from 'tsmig';"],
        ...bodies(i),
      }),
      'script.ts.tmpl',
    );
    writeFileSync(path.join(versions, `${String(i).padStart(4, '0')}_${revision}_${message.replace(/ /g, '_')}.ts`), text);
    previous = revision;
  }
}

/** Runs `bin/tsmig args` in `cwd`; fails on a non-zero exit. */
function runCli(cwd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env['NODE_OPTIONS'];
    const child = spawn(BIN, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tsmig ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

function row(name: string, timing: Timing, baseline: Timing | null, notes: Record<string, string | number> = {}): ResultRow {
  return {
    dialect: 'sqlite',
    case: name,
    work: { count: REVISIONS, unit: 'revisions' },
    tsmig: timing,
    baseline,
    ratio: baseline === null ? null : timing.medianMs / baseline.medianMs,
    aim: baseline === null ? null : AIM,
    notes,
  };
}

async function runGraphBench(target: BenchTarget, log: (line: string) => void, options: RepeatOptions): Promise<ResultRow[]> {
  if (target.dialect !== 'sqlite') return [];
  const root = mkdtempSync(path.join(tmpdir(), 'tsmig-bench-graph-'));
  try {
    generateProject(root);
    log(`generated ${REVISIONS} revisions in ${root}`);
    const open = () => new ScriptDirectory({ dir: path.join(root, 'migrations') });
    const rows: ResultRow[] = [];

    const historyLines = (): number => {
      const scripts = open();
      const map = scripts.revisionMap();
      return history(scripts).map((r) => formatRevision(map, r, { includeBranches: true, includeDoc: true, includeParents: true })).join('\n').length;
    };
    const headsLines = (): number => {
      const scripts = open();
      return heads(scripts).map((r) => formatRevision(scripts.revisionMap(), r, { includeBranches: true, treeIndicators: false })).length;
    };
    rows.push(row('in-process history', await measure({ run: historyLines }, options), null));
    rows.push(row('in-process heads', await measure({ run: headsLines }, options), null));

    const sink = { stdout: () => undefined, stderr: () => undefined, env: {} };
    rows.push(row('in-process main history', await measure({ run: () => main(['history'], sink, { cwd: root }) }, options), null));

    log('spawning bin/tsmig (history, heads, --version)');
    rows.push(row('cli history', await measure({ run: () => runCli(root, ['history']) }, options), ALEMBIC));
    rows.push(row('cli heads', await measure({ run: () => runCli(root, ['heads']) }, options), ALEMBIC));
    rows.push(row('cli --version (startup only)', await measure({ run: () => runCli(root, ['--version']) }, options), null));
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** `history` and `heads` over 1,000 revisions, in process and through the CLI. */
export const migrationsGraphBench: Bench = {
  name: 'migrations-graph',
  title: 'history and heads over a 1,000-revision chain (aim: 4x faster than Alembic, process start included)',
  baseline: "Alembic 1.8's 0.37 s for history/heads on this machine class (the issue's figure; Alembic is not run here)",
  options: OPTIONS,
  dialects: ['sqlite'],
  run: runGraphBench,
};

// Standalone: `npx tsx bench/migrations-graph.bench.ts [--reps N]`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const repsArg = process.argv.indexOf('--reps');
  const reps = repsArg === -1 ? OPTIONS.reps : Number(process.argv[repsArg + 1]);
  const options = { ...OPTIONS, reps };
  const target: BenchTarget = { dialect: 'sqlite', url: undefined as never, scratchDir: tmpdir() };
  const rows = await runGraphBench(target, (line) => process.stderr.write(`  ${line}\n`), options);
  process.stdout.write(`${formatReport({ ...migrationsGraphBench, options, rows, errors: [] })}\n`);
}
