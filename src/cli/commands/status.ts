/**
 * `tsmig status [--check-models] [--json]`: where each database is, what `upgrade head` would run, and
 * what is wrong, with an exit code per state so CI can gate on it (the codes are in `STATUS_EXIT_CODES`
 * and the README). The result goes to stdout (human text or JSON); the summary of a non-zero state is the
 * `error:` line on stderr.
 */
import type { DatabaseStatus, StatusResult, StatusState } from '../../migrate/commands/status.js';
import type { CommandDefinition } from '../context.js';
import { ExitCodeError } from '../exit-code-error.js';
import { isFleetRun, refuseStrayTargetOptions, runFleetCommand, type TargetFlags, withTargetOptions } from './fleet.js';
import { statusVerb } from './fleet-verbs.js';
import { loadRunConfig, runReporter, withConfigOptions } from './run-common.js';

/** The exit code of each state of `tsmig status` (1 stays "the command failed", 2 "usage error"). */
export const STATUS_EXIT_CODES: Readonly<Record<StatusState, number>> = {
  'up-to-date': 0,
  pending: 3,
  'models-differ': 4,
  'multiple-heads': 5,
  'unknown-revisions': 6,
};

export const statusCommand: CommandDefinition = (program, ctx) =>
  withTargetOptions(withConfigOptions(program.command('status')))
    .description('Show where the database is, what `upgrade head` would run and what is wrong; exit 0 when up to date.')
    .addHelpText(
      'after',
      `\nExit codes: ${Object.entries(STATUS_EXIT_CODES)
        .map(([state, code]) => `${code} ${state}`)
        .join(', ')}; 1 the command failed, 2 usage error.`,
    )
    .option('--check-models', 'also compare a database at head with the models (as tsmig check)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--allow-modified', 'go on when an applied revision\'s file changed since it ran (default: stop with an error)')
    .action(async (flags: TargetFlags & { checkModels?: boolean; allowModified?: boolean }, command) => {
      const { status } = await import('../../migrate/commands/status.js');
      const options = { checkModels: flags.checkModels === true, allowModified: flags.allowModified === true };
      if (isFleetRun(flags)) {
        await runFleetCommand(ctx, command, flags, statusVerb((config, scripts, reporter) => status(config, { ...options, scripts, reporter }), STATUS_EXIT_CODES));
        return;
      }
      refuseStrayTargetOptions(command, flags, false);
      const config = await loadRunConfig(ctx, command);
      const result = await status(config, { ...options, reporter: runReporter(ctx) });
      ctx.output.result(flags.json === true ? JSON.stringify(result, null, 2) : humanStatus(result));
      if (result.state !== 'up-to-date') throw new ExitCodeError(summary(result), STATUS_EXIT_CODES[result.state]);
    });

function humanStatus(result: StatusResult): string {
  const lines = [result.heads.length === 0 ? 'Head: none (no revision yet)' : `Head${result.heads.length > 1 ? 's' : ''}: ${result.heads.join(', ')}`];
  for (const db of result.databases) {
    const indent = db.database === null ? '' : '  ';
    if (db.database !== null) lines.push(`Database ${db.database}:`);
    lines.push(...databaseLines(db).map((line) => indent + line));
  }
  if (result.state === 'up-to-date') lines.push('Up to date.');
  return lines.join('\n');
}

function databaseLines(db: DatabaseStatus): string[] {
  const lines = [`Current: ${db.current.length === 0 ? 'base (no revision applied)' : db.current.join(', ')}`];
  if (db.unknown.length > 0) lines.push(`Not in the scripts: ${db.unknown.join(', ')}`);
  if (db.modified.length > 0) lines.push(`Changed since applied: ${db.modified.map((m) => `${m.revision} (${m.path})`).join(', ')}`);
  if (db.pending.length > 0) {
    lines.push(`Pending (${db.pending.length}, in upgrade order):`);
    for (const p of db.pending) lines.push(`  ${p.revision}${p.message === '' ? '' : `  ${p.message}`}`);
  }
  if (db.models !== null) {
    if (!db.models.checked) lines.push(`Models: not compared (${db.models.reason})`);
    else if (db.models.differences.length === 0) lines.push('Models: match the database');
    else {
      lines.push(`Models: differ from the database (${plural(db.models.differences.length, 'change')}):`);
      for (const d of db.models.differences) lines.push(`  - ${d.description}`);
    }
  }
  return lines;
}

/** The stderr line of a non-zero state: what is wrong and the next step. */
function summary(result: StatusResult): string {
  const where = (pick: (db: DatabaseStatus) => boolean) => {
    const names = result.databases.filter(pick).map((db) => db.database);
    if (names.length === 0 || names[0] === null) return 'The database is';
    return names.length === 1 ? `Database ${names[0]} is` : `Databases ${names.join(', ')} are`;
  };
  switch (result.state) {
    case 'unknown-revisions': {
      const ids = [...new Set(result.databases.flatMap((db) => db.unknown))];
      return `${where((db) => db.unknown.length > 0)} at revision(s) no script has: ${ids.join(', ')}. Restore the missing revision file(s), or run \`tsmig stamp --purge <revision>\` if the database really is at another revision.`;
    }
    case 'multiple-heads':
      return `The scripts have multiple heads: ${result.heads.join(', ')}. Run \`tsmig merge heads -m "..."\` to join them.`;
    case 'pending': {
      const most = Math.max(...result.databases.map((db) => db.pending.length));
      return `${where((db) => db.pending.length > 0)} behind the head (${plural(most, 'pending revision')}). Run \`tsmig upgrade head\`.`;
    }
    case 'models-differ': {
      const count = result.databases.reduce((n, db) => n + (db.models?.checked === true ? db.models.differences.length : 0), 0);
      return `The models differ from the database at head (${plural(count, 'change')}). Run \`tsmig revision --autogenerate -m "..."\` to write a revision.`;
    }
    case 'up-to-date':
      return 'Up to date.';
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
