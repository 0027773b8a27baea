/**
 * `tsmig lint`: runs revisions' upgrade() with a recording executor (no database), and checks each
 * operation against the rules of `lint/rules.ts` for the project's dialect. Findings name the rule, the
 * revision file and line, why the operation hurts and the safer way; a `tsmig-lint-ignore` comment
 * with a reason silences one rule for one operation.
 *
 * Downgrades are run too, only to learn whether they can run at all: what a downgrade drops is what its
 * upgrade added, which the upgrade's own findings already cover.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DialectName } from '../../dialects/dialect.js';
import { getDialect } from '../../dialects/index.js';
import { TsmigError } from '../../errors.js';
import type { MetaData } from '../../schema/metadata.js';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { DatabaseNeededError, RecordingExecutor, type RecordedOperation } from '../lint/recording-executor.js';
import { type RuleCategory, type Severity, checkOperation } from '../lint/rules.js';
import { callLine, suppressionsAt } from '../lint/source-location.js';
import { needsRebuild } from '../operations/batch.js';
import type { AnyOperation } from '../operations/invoke.js';
import { runMigrationWork } from '../runtime/current-executor.js';
import { oneLine } from '../runtime/steps.js';
import type { RevisionInfo, RevisionModule } from '../script/revision.js';
import type { ScriptDirectory } from '../script/script-directory.js';
import { openScriptDirectory } from './graph.js';

/** `lint` could not record a revision to its end: not an operation's rule, but reported the same way. */
const NOT_RECORDED = 'not-recorded';
/** A downgrade() that raises even without a database: the revision cannot be undone. */
const IRREVERSIBLE_DOWNGRADE = 'irreversible-downgrade';

/** One thing lint found. */
export interface LintFinding {
  /** The rule id (`drop-column`), as `tsmig-lint-ignore` comments name it. */
  readonly rule: string;
  readonly severity: Severity;
  readonly category: RuleCategory | 'revision';
  readonly revision: string;
  /** The revision file, relative to the project folder. */
  readonly file: string;
  /** The line of the `op.*` call (1-based), or null when it is not known. */
  readonly line: number | null;
  readonly direction: 'upgrade' | 'downgrade';
  readonly reason: string;
  readonly safer: string;
}

/** A finding a comment silenced, with the comment's reason. */
export interface SilencedFinding extends LintFinding {
  readonly silencedBecause: string;
}

/** What {@link lint} found. */
export interface LintReport {
  readonly dialect: DialectName;
  /** The revisions checked, oldest first. */
  readonly revisions: readonly string[];
  /** Findings, in revision and call order. */
  readonly findings: readonly LintFinding[];
  readonly silenced: readonly SilencedFinding[];
}

/** Options of {@link lint}. */
export interface LintOptions {
  /** `A:B`, `A:`, `:B`, or one revision; default every revision. */
  readonly range?: string;
  /** The dialect to lint for; default the configured database URL's (never connected to). */
  readonly dialect?: DialectName;
  readonly scripts?: ScriptDirectory;
}

/**
 * Lints the revisions of `range` for the project's dialect.
 *
 * @example
 * ```ts
 * const report = await lint(await loadConfig(), { range: 'ae1027a6acf:head' });
 * for (const f of report.findings) console.log(`${f.file}:${f.line} ${f.severity} ${f.rule}: ${f.reason}`);
 * ```
 */
export async function lint(config: ResolvedConfig, options: LintOptions = {}): Promise<LintReport> {
  const scripts = options.scripts ?? openScriptDirectory(config);
  const map = scripts.revisionMap();
  const range = options.range === undefined ? null : options.range.includes(':') ? options.range : `${options.range}:${options.range}`;
  const revisions = [...(range === null ? map.history() : map.range(range))].reverse();
  const target = lintTarget(config, options.dialect);
  // Revision files run compiled (with inline source maps): with maps on, a stack frame names the revision
  // file and its own line, which is how findings get their line. It only changes how stacks are printed.
  process.setSourceMapsEnabled(true);
  const findings: LintFinding[] = [];
  const silenced: SilencedFinding[] = [];
  for (const info of revisions) {
    const checked = await lintRevision(info, await scripts.loadModule(info), target, path.relative(config.projectDir, info.path));
    for (const finding of checked) {
      if ('silencedBecause' in finding) silenced.push(finding);
      else findings.push(finding);
    }
  }
  return { dialect: target.name, revisions: revisions.map((r) => r.revision), findings, silenced };
}

interface LintTarget {
  readonly name: DialectName;
  readonly mariadb: boolean;
  readonly metadata: MetaData | null;
}

/** The dialect named, else that of the database URL (which is only parsed). */
function lintTarget(config: ResolvedConfig, dialect: DialectName | undefined): LintTarget {
  const database = config.database;
  const metadata = database?.targetMetadata ?? null;
  if (dialect !== undefined) return { name: dialect, mariadb: false, metadata };
  if (database === null) {
    throw new ConfigError(`This project has several databases (${Object.keys(config.databases).join(', ')}); pass --name or --dialect to lint for one.`);
  }
  if (database.url === null) {
    throw new ConfigError(`lint needs to know the dialect: set ${database.urlEnv} (lint does not connect to it) or pass --dialect sqlite|postgresql|mysql.`);
  }
  return { name: database.url.dialect, mariadb: database.url.mariadb, metadata };
}

/** Runs one direction of a revision on a recording executor; the error that stopped it, if any. */
async function record(run: () => Promise<void>, target: LintTarget): Promise<{ executor: RecordingExecutor; error: unknown }> {
  const executor = new RecordingExecutor(getDialect(target.name, { mariadb: target.mariadb }), target.metadata);
  try {
    await runMigrationWork(executor, run);
    return { executor, error: undefined };
  } catch (error) {
    return { executor, error };
  }
}

async function lintRevision(info: RevisionInfo, module: RevisionModule, target: LintTarget, file: string): Promise<(LintFinding | SilencedFinding)[]> {
  const at = (direction: 'upgrade' | 'downgrade', line: number | null) => ({ revision: info.revision, file, line, direction });
  const found: (LintFinding | SilencedFinding)[] = [];
  const up = await record(() => module.upgrade(), target);
  const source = readFileSync(info.path, 'utf8').split('\n');
  const created = new Set<string>();
  for (const recorded of up.executor.recorded) {
    const outer = callLine(recorded.callStack, info.path);
    for (const { callStack, ...verdict } of await checkRecorded(recorded, up.executor, target.name, created)) {
      // An operation of a batch is reported at its own line; a comment above it or above the batch silences it.
      const line = callLine(callStack, info.path);
      const suppressions = [...new Set([line, outer])].flatMap((l) => (l === null ? [] : suppressionsAt(source, l)));
      found.push(applySuppressions({ ...verdict, ...at('upgrade', line) }, suppressions));
    }
  }
  if (up.error !== undefined) {
    found.push({
      rule: NOT_RECORDED,
      severity: 'warning',
      category: 'revision',
      ...at('upgrade', null),
      reason: `upgrade() stopped when run without a database (${oneLine(up.error)}); the operations after that point were not checked`,
      safer: 'keep reads of the database in a separate data migration, or review the rest of this upgrade by hand',
    });
  }
  const down = await record(() => module.downgrade(), target);
  if (down.error !== undefined && !(down.error instanceof DatabaseNeededError)) {
    found.push({
      rule: IRREVERSIBLE_DOWNGRADE,
      severity: 'warning',
      category: 'revision',
      ...at('downgrade', null),
      reason: `downgrade() raises (${oneLine(down.error)}), so this revision cannot be rolled back`,
      safer: 'write a downgrade that restores the schema, or document why the revision is one-way',
    });
  }
  return found;
}

/** The rules' verdicts on one recorded operation (and, for a batch, on each operation inside it), each with the stack of its call. */
async function checkRecorded(
  recorded: RecordedOperation,
  executor: RecordingExecutor,
  dialect: DialectName,
  created: Set<string>,
): Promise<(Omit<LintFinding, 'revision' | 'file' | 'line' | 'direction'> & { readonly callStack: string })[]> {
  const { operation } = recorded;
  if (operation.kind === 'CreateTableOp') {
    created.add(tableKey(operation.schema, operation.tableName));
    return [];
  }
  // A table created earlier in the same upgrade is empty and unused: nothing done to it can hurt.
  if (created.has(tableKey(operationSchema(operation), operationTable(operation)))) return [];
  const parts: { op: AnyOperation; rebuildsTable: boolean }[] = [];
  if (operation.kind === 'BatchAlterTableOp') {
    let rebuilds = operation.recreate === 'always';
    for (const inner of operation.ops) rebuilds ||= operation.recreate !== 'never' && (await needsRebuild(inner, executor));
    parts.push({ op: operation, rebuildsTable: rebuilds }, ...operation.ops.map((inner) => ({ op: inner as AnyOperation, rebuildsTable: false })));
  } else {
    const rebuilds = isTableAlter(operation) && (await needsRebuild(operation, executor));
    parts.push({ op: operation, rebuildsTable: rebuilds });
  }
  return parts.flatMap(({ op, rebuildsTable }) =>
    checkOperation(op, { dialect, rebuildsTable }).map(({ rule, reason, safer }) => ({
      rule: rule.id,
      severity: rule.severity,
      category: rule.category,
      reason,
      safer,
      callStack: executor.callStackOf(op, recorded),
    })),
  );
}

function applySuppressions(finding: LintFinding, suppressions: readonly { rule: string; reason: string | null }[]): LintFinding | SilencedFinding {
  const comment = suppressions.find((s) => s.rule === finding.rule);
  if (comment === undefined) return finding;
  if (comment.reason === null) {
    return { ...finding, reason: `${finding.reason} (the tsmig-lint-ignore comment gives no reason after a colon, so it does not count)` };
  }
  return { ...finding, silencedBecause: comment.reason };
}

const tableKey = (schema: string | null, table: string | null) => `${schema ?? ''}.${table ?? ''}`;

function operationTable(op: AnyOperation): string | null {
  if (op.kind === 'CreateForeignKeyOp') return op.sourceTable;
  if (op.kind === 'ExecuteSqlOp' || op.kind === 'BulkInsertOp' || op.kind === 'CreateSequenceOp' || op.kind === 'DropSequenceOp' || op.kind === 'AlterSequenceOp') return null;
  return op.tableName;
}

function operationSchema(op: AnyOperation): string | null {
  if (op.kind === 'CreateForeignKeyOp') return op.sourceSchema;
  if (op.kind === 'ExecuteSqlOp' || op.kind === 'BulkInsertOp') return null;
  return op.schema;
}

function isTableAlter(op: AnyOperation): op is Parameters<typeof needsRebuild>[0] {
  return !['CreateTableOp', 'DropTableOp', 'RenameTableOp', 'ExecuteSqlOp', 'BulkInsertOp', 'BatchAlterTableOp'].includes(op.kind);
}

/** `lint` found something at or above the `--fail-on` severity: exit 1 after printing it. */
export class LintFailedError extends TsmigError {
  override readonly name: string = 'LintFailedError';
}

/** True when a finding of `severity` fails a run with `--fail-on failOn`. */
export function failsAt(severity: Severity, failOn: Severity): boolean {
  return failOn === 'warning' || severity === 'error';
}
