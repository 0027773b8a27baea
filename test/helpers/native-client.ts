/**
 * Runs an SQL script with the database's own command-line client (sqlite3, psql, mysql), as a DBA would:
 * to apply an offline `--sql` script, or to load a published sample schema.
 */
import { parseDatabaseUrl } from '../../src/engine/url.js';
import type { TestDialect } from './dialects.js';
import { type CliResult, runCommand } from './run-cli.js';

/** Applies `script` to the database at `url`, stopping at the first error. */
export function applyWithClient(dialect: TestDialect, url: string, script: string, cwd: string): Promise<CliResult> {
  const u = parseDatabaseUrl(url);
  if (dialect.name === 'sqlite') return runCommand('sqlite3', ['-bail', u.database!], { cwd, input: script });
  if (dialect.name === 'postgresql') {
    return runCommand('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', u.render({ hidePassword: false }).replace(/^postgres(ql)?(\+pg)?:/, 'postgresql:')], {
      cwd,
      input: script,
    });
  }
  const args = ['--host', u.host ?? '127.0.0.1', '--port', String(u.effectivePort), '--user', u.username ?? 'root', u.database!];
  return runCommand('mysql', args, { cwd, input: script, env: { MYSQL_PWD: u.password ?? undefined } });
}
