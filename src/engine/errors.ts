/**
 * Turns driver errors into tsmig's one-line errors: DatabaseError subclasses (chosen by the dialect)
 * for failed statements, ConnectionError with the masked URL and the next step for failed connects.
 */
import { dirname } from 'node:path';
import type { Dialect } from '../dialects/dialect.js';
import { ConnectionError, type DatabaseError, TsmigError } from '../errors.js';
import type { Driver } from './drivers/index.js';
import type { DatabaseUrl } from './url.js';

const SQL_IN_MESSAGE_LIMIT = 500;

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : typeof code === 'number' ? String(code) : undefined;
}

/**
 * The dialect's DatabaseError subclass for a failed statement, with a one-line message: the driver's
 * message, its detail when it has one, and the SQL.
 */
export function databaseError(
  dialect: Dialect,
  driver: Driver,
  error: unknown,
  sql: string,
  params: readonly unknown[],
): TsmigError {
  if (error instanceof TsmigError) return error;
  const ErrorClass = dialect.classifyError(error);
  const detail = driver.errorDetail?.(error);
  let shownSql = oneLine(sql);
  if (shownSql.length > SQL_IN_MESSAGE_LIMIT) shownSql = `${shownSql.slice(0, SQL_IN_MESSAGE_LIMIT)}...`;
  const message = `${oneLine(messageOf(error))}${detail ? ` (${oneLine(detail)})` : ''} [SQL: ${shownSql}]`;
  return new ErrorClass(message, { statement: sql, params, code: codeOf(error), cause: error }) as DatabaseError;
}

/** What went wrong while connecting, and what to check, by driver error code. */
function connectReason(url: DatabaseUrl, error: unknown, timeoutSeconds: number): string {
  const code = codeOf(error);
  const message = oneLine(messageOf(error));
  const where = `${url.host ?? 'localhost'}:${url.effectivePort}`;
  if (url.dialect === 'sqlite') {
    const file = url.database ?? ':memory:';
    if (/directory does not exist/i.test(message)) {
      return `directory "${dirname(file)}" does not exist for SQLite file "${file}"; create the directory first`;
    }
    return `${message}; check that "${file}" is a SQLite file this process may open`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused at ${where}; is the server running and accepting TCP connections there?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host "${url.host}" not found; check the host name in the URL`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `no answer from ${where} within ${timeoutSeconds}s; is the server running and the port reachable?`;
    case '28P01':
    case '28000':
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return `${message}; check user/password`;
    case '3D000':
    case 'ER_BAD_DB_ERROR':
      return `database "${url.database}" does not exist on ${where}; create it or fix the database name in the URL`;
  }
  if (/timeout|timed out/i.test(message)) {
    return `no answer from ${where} within ${timeoutSeconds}s; is the server running and the port reachable?`;
  }
  return `${message}; is the server running at ${where} and are the URL's user, password and database right?`;
}

/** A ConnectionError naming the masked URL, the server and what to check. */
export function connectionError(url: DatabaseUrl, error: unknown, timeoutSeconds: number): ConnectionError {
  const reason = connectReason(url, error, timeoutSeconds);
  const what = url.dialect === 'sqlite' ? `open SQLite database ${url}` : `connect to ${url}`;
  return new ConnectionError(`Could not ${what}: ${reason}`, { cause: error });
}

/** The pool had no free connection within the timeout. */
export function poolTimeoutError(url: DatabaseUrl, size: number, timeoutSeconds: number): ConnectionError {
  return new ConnectionError(
    `Timed out after ${timeoutSeconds}s waiting for a connection to ${url}: all ${size} pooled connections are in use; ` +
      'close connections when done (engine.connect(async (conn) => ...) does it for you) or raise poolSize / maxOverflow',
  );
}
