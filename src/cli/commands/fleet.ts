/**
 * `--all` and `--targets-file` on the verbs that run on databases (upgrade, downgrade, stamp, current,
 * status, check): the options, a progress line on a terminal (never in a pipe or CI log), and the final
 * report, one line per target on stdout (or one JSON document with `--json`). The exit code is 0 only
 * when every target succeeded; the `error:` line names the ones that did not.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { FleetResult, TargetOutcome } from '../../migrate/commands/fleet.js';
import type { ResolvedConfig } from '../../migrate/config/load-config.js';
import type { RunReporter } from '../../migrate/runtime/migration-context.js';
import type { ScriptDirectory } from '../../migrate/script/script-directory.js';
import { stepLine } from '../../migrate/runtime/steps.js';
import { TsmigError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { ExitCodeError } from '../exit-code-error.js';
import { ProgressLine } from '../progress-line.js';
import { loadRunConfig } from './run-common.js';

/** The options {@link withTargetOptions} declares. */
export interface TargetFlags {
  readonly all?: boolean;
  readonly targetsFile?: string;
  readonly concurrency?: number;
  readonly failFast?: boolean;
  readonly json?: boolean;
  readonly sql?: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1.');
  return n;
}

/** Declares `--all`, `--targets-file`, `--concurrency` and `--fail-fast` on a verb. */
export function withTargetOptions(command: Command): Command {
  return command
    .option('--all', 'run on every database of `targets` in the config (one report line per target)')
    .option('--targets-file <file>', 'with --all: the databases listed in FILE instead (one URL per line, or name=URL)')
    .option('--concurrency <n>', 'with --all: how many databases at a time (default 4)', positiveInteger)
    .option('--fail-fast', 'with --all: start no further database after the first failure');
}

/** Whether the flags ask for a fleet run. */
export function isFleetRun(flags: TargetFlags): boolean {
  return flags.all === true || flags.targetsFile !== undefined;
}

/**
 * Refuses the `--all` options without `--all` (and `--json` on a verb that has it for `--all` only), so a
 * mistyped command never runs on the project's database while the user meant every tenant.
 */
export function refuseStrayTargetOptions(command: Command, flags: TargetFlags, jsonForAllOnly: boolean): void {
  const stray = [
    flags.concurrency !== undefined ? '--concurrency' : null,
    flags.failFast === true ? '--fail-fast' : null,
    jsonForAllOnly && flags.json === true ? '--json' : null,
  ].filter((f) => f !== null);
  if (stray.length > 0) command.error(`error: ${stray.join(' and ')} go${stray.length === 1 ? 'es' : ''} with --all (or --targets-file); add it, or leave ${stray.join(' and ')} out.`);
}

/** What a verb does on one target and how its result is reported. */
export interface FleetVerb<T> {
  /** The verb, for messages (`upgrade`). */
  readonly verb: string;
  /** Runs the command on one target's configuration. */
  readonly run: (config: ResolvedConfig, scripts: ScriptDirectory, reporter: RunReporter) => Promise<T>;
  /** The report line's text after the target's name. */
  readonly describe: (result: T) => string;
  /** The result in the JSON report. */
  readonly json: (result: T) => unknown;
  /** A result that still counts as a failure, as its one-line reason (`check`: the models differ). */
  readonly failure?: (result: T) => string | null;
  /** After a run where no target failed: an error with the verb's own exit code, or null (`status`). */
  readonly finalError?: (results: readonly T[]) => ExitCodeError | null;
}

/**
 * Runs a verb on every target and prints the report; throws (exit 1) when a target failed, or the
 * verb's own error. Loads the config and the targets first: a bad config fails before any target runs.
 */
export async function runFleetCommand<T>(ctx: CliContext, command: Command, flags: TargetFlags, verb: FleetVerb<T>): Promise<void> {
  if (flags.sql === true) command.error('error: --all runs on databases; --sql writes a script for one. Leave one of them out.');
  const config = await loadRunConfig(ctx, command);
  const { loadTargets, configForTarget } = await import('../../migrate/config/targets.js');
  const { runOnTargets } = await import('../../migrate/commands/fleet.js');
  const { openScriptDirectory } = await import('../../migrate/commands/graph.js');
  const { ServerPools } = await import('../../migrate/runtime/server-pools.js');
  const targets = await loadTargets(config, { cwd: ctx.cwd, ...(flags.targetsFile === undefined ? {} : { targetsFile: flags.targetsFile }) });
  const scripts = openScriptDirectory(config);
  scripts.revisionMap();
  const progress = new ProgressLine(ctx.output, verb.verb, targets.length);
  const concurrency = flags.concurrency ?? 4;
  // The PostgreSQL tenants of one server share its connections; other targets each open (and close) their own.
  const pools = new ServerPools(concurrency);
  let result: FleetResult<T>;
  try {
    result = await runOnTargets(
      targets,
      (target) => {
        return verb.run(configForTarget(config, target, pools.sourceFor(target)), scripts, targetReporter(ctx, target.name));
      },
      {
        concurrency,
        failFast: flags.failFast === true,
        onProgress: (p) => progress.update(p.succeeded, { finished: p.succeeded + p.failed, detail: ` done, ${p.failed} failed, ${p.remaining} left` }),
        ...(verb.failure === undefined ? {} : { isFailure: verb.failure }),
      },
    );
  } finally {
    await pools.dispose();
  }
  progress.end();
  ctx.output.result(flags.json === true ? JSON.stringify(jsonReport(verb, result), null, 2) : textReport(verb, result));
  if (result.interrupted !== null) {
    const { InterruptedError } = await import('../../migrate/runtime/errors.js');
    throw new InterruptedError(result.interrupted, `Interrupted by ${result.interrupted}: ${result.succeeded} of ${targets.length} targets done; each target is at the revision its own version table names. Run the command again to do what is left.`, { currentHeads: null });
  }
  if (result.failed > 0) {
    const names = result.outcomes.filter((o) => o.status === 'failed').map((o) => o.target.name);
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    const skipped = result.skipped > 0 ? `, ${result.skipped} not started` : '';
    throw new ExitCodeError(`${result.failed} of ${targets.length} targets failed (${shown})${skipped}. Fix them and run the command again; the targets that succeeded are done.`, 1);
  }
  const final = verb.finalError?.(result.outcomes.flatMap((o) => (o.status === 'succeeded' ? [o.result] : [])));
  if (final !== null && final !== undefined) throw final;
}

/** Step lines only with `--verbose` (a thousand targets would print ten thousand); notices always, named. */
function targetReporter(ctx: CliContext, name: string): RunReporter {
  const c = ctx.output.styles('stderr');
  return {
    ...(ctx.output.verbose ? { step: (event) => ctx.output.status(`${c.dim(`[${name}]`)} ${stepLine(event)}`) } : {}),
    info: (line) => ctx.output.status(`${c.dim(`[${name}]`)} ${line}`),
  };
}

function errorText(error: unknown): string {
  const text = error instanceof TsmigError ? error.message : error instanceof Error ? `unexpected error: ${error.message}` : String(error);
  return text.split('\n')[0] ?? text;
}

function textReport<T>(verb: FleetVerb<T>, result: FleetResult<T>): string {
  const width = Math.min(40, Math.max(...result.outcomes.map((o) => o.target.name.length)));
  const lines = result.outcomes.map((o) => {
    const name = o.target.name.padEnd(width);
    switch (o.status) {
      case 'succeeded':
        return `ok       ${name}  ${verb.describe(o.result)} (${Math.round(o.ms)} ms)`;
      case 'failed':
        return `failed   ${name}  ${typeof o.error === 'string' ? o.error : errorText(o.error)}`;
      case 'skipped':
        return `skipped  ${name}  ${o.reason}`;
    }
  });
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  const parts = [`${result.succeeded} succeeded`, `${result.failed} failed`, ...(result.skipped > 0 ? [`${result.skipped} not started`] : [])];
  lines.push(`${result.outcomes.length} target${result.outcomes.length === 1 ? '' : 's'}: ${parts.join(', ')} in ${seconds} s.`);
  return lines.join('\n');
}

function jsonReport<T>(verb: FleetVerb<T>, result: FleetResult<T>): unknown {
  return {
    ok: result.failed === 0 && result.skipped === 0,
    command: verb.verb,
    total: result.outcomes.length,
    succeeded: result.succeeded,
    failed: result.failed,
    skipped: result.skipped,
    seconds: Math.round(result.elapsedMs) / 1000,
    targets: result.outcomes.map((o: TargetOutcome<T>) => ({
      target: o.target.name,
      url: o.target.url.render(),
      schema: o.target.schema,
      status: o.status,
      ...(o.status === 'skipped' ? { reason: o.reason } : { ms: Math.round(o.ms) }),
      ...(o.status === 'succeeded' ? { result: verb.json(o.result) } : {}),
      ...(o.status === 'failed' ? { error: typeof o.error === 'string' ? o.error : errorText(o.error) } : {}),
    })),
  };
}

