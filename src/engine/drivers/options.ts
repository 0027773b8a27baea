/** Helpers for turning URL query-string options into driver settings. */
import { UrlError } from '../../errors.js';
import type { DatabaseUrl } from '../url.js';

/** Query-string values are text; drivers want numbers and booleans for numeric and flag options. */
export function coerceOption(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

/** A `?connect_timeout=5`-style option in seconds. */
export function secondsOption(url: DatabaseUrl, key: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < 0) {
    throw new UrlError(`Option ${key}=${value} in URL "${url}" must be a number of seconds`);
  }
  return n;
}

export function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1' || value === 'yes' || value === 'on';
}

/** The server, account and database of a URL, which mysql2 and node-postgres take under the same names. */
export function serverConnection(url: DatabaseUrl) {
  return {
    host: url.host ?? 'localhost',
    port: url.effectivePort,
    user: url.username ?? undefined,
    password: url.password ?? undefined,
    database: url.database ?? undefined,
  };
}
