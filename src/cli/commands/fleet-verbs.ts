/**
 * How each verb that takes `--all` reports one target: the line after the target's name, its JSON, and
 * what counts as a failure (fleet.ts runs them and prints the report).
 */
import type { CheckResult } from '../../migrate/commands/check.js';
import type { CurrentRevisions } from '../../migrate/commands/run.js';
import type { StatusResult, StatusState } from '../../migrate/commands/status.js';
import type { ResolvedConfig } from '../../migrate/config/load-config.js';
import type { DatabaseOutcome } from '../../migrate/runtime/environment.js';
import type { RunReporter } from '../../migrate/runtime/migration-context.js';
import type { ScriptDirectory } from '../../migrate/script/script-directory.js';
import { ExitCodeError } from '../exit-code-error.js';
import type { FleetVerb } from './fleet.js';

type Run<T> = (config: ResolvedConfig, scripts: ScriptDirectory, reporter: RunReporter) => Promise<T>;

function revisions(heads: readonly string[]): string {
  return heads.length === 0 ? 'base' : heads.join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** upgrade, downgrade, stamp: where the target was, where it is, how many migrations ran. */
export function migrateVerb(verb: 'upgrade' | 'downgrade' | 'stamp', run: Run<readonly DatabaseOutcome[]>): FleetVerb<readonly DatabaseOutcome[]> {
  return {
    verb,
    run,
    describe: (outcomes) =>
      outcomes
        .map((o) => {
          const moved = o.headsBefore.join(' ') !== o.headsAfter.join(' ');
          if (!moved && o.steps === 0) return `at ${revisions(o.headsAfter)}, nothing to do`;
          const what = verb === 'stamp' ? 'stamped' : plural(o.steps, 'migration');
          return `${revisions(o.headsBefore)} -> ${revisions(o.headsAfter)} (${what})`;
        })
        .join('; '),
    json: (outcomes) => outcomes.map((o) => ({ headsBefore: o.headsBefore, headsAfter: o.headsAfter, steps: o.steps })),
  };
}

/** current: the revisions of each target; with `--check-heads`, a target behind the heads fails. */
export function currentVerb(run: Run<readonly CurrentRevisions[]>, checkHeads: (() => readonly string[]) | null): FleetVerb<readonly CurrentRevisions[]> {
  return {
    verb: 'current',
    run,
    describe: (found) => found.map((f) => revisions(f.heads)).join('; '),
    json: (found) => found.map((f) => ({ revisions: f.heads })),
    ...(checkHeads === null
      ? {}
      : {
          failure: (found: readonly CurrentRevisions[]) => {
            const heads = checkHeads();
            const behind = found.find((f) => f.heads.join(' ') !== heads.join(' '));
            return behind === undefined ? null : `not at head: at ${revisions(behind.heads)}, the head(s): ${heads.join(', ')}`;
          },
        }),
  };
}

/** status: each target's state; the exit code of the worst state (as `status` on one database). */
export function statusVerb(run: Run<StatusResult>, exitCodes: Readonly<Record<StatusState, number>>): FleetVerb<StatusResult> {
  return {
    verb: 'status',
    run,
    describe: (result) =>
      result.databases
        .map((db) => {
          switch (db.state) {
            case 'pending':
              return `pending: ${plural(db.pending.length, 'revision')} (at ${revisions(db.current)})`;
            case 'models-differ':
              return `models differ: ${plural(db.models?.checked === true ? db.models.differences.length : 0, 'change')}`;
            case 'unknown-revisions':
              return `unknown revision(s): ${db.unknown.join(', ')}`;
            default:
              return `${db.state} (at ${revisions(db.current)})`;
          }
        })
        .join('; '),
    json: (result) => result.databases.map(({ database: _name, ...db }) => db),
    finalError: (results) => {
      const order = Object.keys(exitCodes) as StatusState[];
      const worst = results.map((r) => r.state).reduce<StatusState>((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), 'up-to-date');
      if (worst === 'up-to-date') return null;
      const behind = results.filter((r) => r.state !== 'up-to-date').length;
      return new ExitCodeError(`${behind} of ${results.length} targets are not up to date (the worst: ${worst}). Run \`tsmig upgrade head --all\` for pending revisions.`, exitCodes[worst]);
    },
  };
}

/** check: a target whose models differ fails, with the count and the first difference. */
export function checkVerb(run: Run<CheckResult>): FleetVerb<CheckResult> {
  return {
    verb: 'check',
    run,
    describe: () => 'models and database agree',
    json: (result) => ({ ok: result.ok, differences: result.differences.map(({ database: _name, ...d }) => d) }),
    failure: (result) =>
      result.ok ? null : `models differ (${plural(result.differences.length, 'change')}): ${result.differences[0]!.description}${result.differences.length > 1 ? ', ...' : ''}`,
  };
}
