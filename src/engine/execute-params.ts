/**
 * Run-time checks of `execute()` parameters. The types already ask for records, but JavaScript callers
 * and `any` exist: `[7, 8]` would otherwise become `INSERT INTO t () VALUES (), ()`, which MariaDB runs
 * as rows of NULLs.
 */
import { ArgumentError } from '../errors.js';
import type { Params } from './execution-plan.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : `${typeof value} ${String(value)}`;
}

function isRecord(value: unknown): value is Params {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Throws unless `params` is one record or a list of records. */
export function checkParams(params: unknown): void {
  if (Array.isArray(params)) {
    for (let i = 0; i < params.length; i++) {
      if (!isRecord(params[i])) {
        throw new ArgumentError(
          `execute() parameters: item ${i} of the list is ${describe(params[i])}; pass records such as [{ column: value }, ...]`,
        );
      }
    }
  } else if (params !== undefined && !isRecord(params)) {
    throw new ArgumentError(`execute() parameters are ${describe(params)}; pass a record such as { column: value }`);
  }
}

/**
 * Throws when an executemany INSERT record sets a key the first record does not: the statement's
 * columns come from the first record, so the value would be dropped silently. (A missing key is
 * reported when its parameter is bound.)
 */
export function checkInsertRecords(rows: readonly Params[], keys: readonly string[]): void {
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    if (Object.keys(row).length <= keys.length) continue;
    const extra = Object.keys(row).filter((key) => !keys.includes(key));
    throw new ArgumentError(
      `execute() parameters: record ${i} sets ${extra.join(', ')}, which record 0 does not; every record of one INSERT must set the same columns`,
    );
  }
}
