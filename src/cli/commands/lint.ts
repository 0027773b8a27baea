/**
 * `tsmig lint [REV_RANGE] [--dialect D] [--json] [--fail-on warning|error]`: what the revisions will do
 * to a production database, found without one. Findings go to stdout (text, or JSON for machines), the
 * summary to stderr; exit 1 when a finding is at or above `--fail-on` (default: error).
 */
import { InvalidArgumentError } from 'commander';
import type { LintFinding, LintReport } from '../../migrate/commands/lint.js';
import type { CliContext, CommandDefinition } from '../context.js';
import { loadRunConfig, withConfigOptions } from './run-common.js';

type Level = 'warning' | 'error';
type DialectChoice = 'sqlite' | 'postgresql' | 'mysql';

function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`expected one of: ${choices.join(', ')}.`);
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function printText(ctx: CliContext, report: LintReport): void {
  const c = ctx.output.styles('stdout');
  const lines = report.findings.flatMap((f: LintFinding) => {
    const where = `${f.file}${f.line === null ? '' : `:${f.line}`}`;
    const severity = f.severity === 'error' ? c.red('error') : c.yellow('warning');
    return [`${where}: ${severity} ${c.bold(f.rule)} (${f.revision} ${f.direction}): ${f.reason}`, `  safer: ${f.safer}`];
  });
  if (lines.length > 0) ctx.output.result(lines.join('\n'));
}

export const lintCommand: CommandDefinition = (program, ctx) =>
  withConfigOptions(program.command('lint'))
    .description('Check revisions for operations that hurt in production (data loss, locks, breaking renames); no database needed.')
    .argument('[range]', 'the revisions to check: A:B, A:, :B or one revision (default: all)')
    .option('--dialect <name>', 'lint for this dialect (default: the configured database URL\'s, never connected to)', parseChoice<DialectChoice>(['sqlite', 'postgresql', 'mysql']))
    .option('--json', 'print the findings as JSON on stdout')
    .option('--fail-on <severity>', 'exit 1 when a finding is at least this severe: warning or error', parseChoice<Level>(['warning', 'error']), 'error')
    .action(async (range: string | undefined, flags: { dialect?: DialectChoice; json?: boolean; failOn: Level }, command) => {
      const config = await loadRunConfig(ctx, command);
      const { LintFailedError, failsAt, lint } = await import('../../migrate/commands/lint.js');
      const report = await lint(config, { ...(range === undefined ? {} : { range }), ...(flags.dialect === undefined ? {} : { dialect: flags.dialect }) });
      if (flags.json === true) ctx.output.result(JSON.stringify(report, null, 2));
      else printText(ctx, report);
      const errors = report.findings.filter((f) => f.severity === 'error').length;
      const warnings = report.findings.length - errors;
      const summary =
        `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(report.revisions.length, 'revision')} (${report.dialect})` +
        (report.silenced.length === 0 ? '' : `; ${report.silenced.length} silenced by tsmig-lint-ignore comments`);
      const failing = report.findings.filter((f) => failsAt(f.severity, flags.failOn)).length;
      if (failing === 0) {
        ctx.output.status(summary);
        return;
      }
      throw new LintFailedError(`lint found ${summary}. Fix them, or silence one with \`// tsmig-lint-ignore <rule>: <reason>\` above the operation.`);
    });
