/**
 * How values of each generic type travel to and from better-sqlite3. SQLite stores booleans as 1/0,
 * timestamps as UTC text, decimals as REAL or TEXT and JSON as TEXT, so most types need a conversion.
 * BIGINT columns arrive as `bigint` because the engine turns on `safeIntegers` for statements that read
 * them.
 */
import { always, formatUtcDateTime, intToBoolean, toBuffer, toLowerCase } from '../../util/sql-values.js';
import { SHARED_BIND, SHARED_RESULT, type ValueRules, valueAdapter } from '../base/value-rules.js';

/**
 * better-sqlite3 binds every JS number as REAL, so `duration / ?` would divide as floats and `? + 1`
 * would give `118.0`; integers are bound as bigints, which it binds as INTEGER.
 */
function bindInteger(value: unknown): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
}

function bindBoolean(value: unknown): unknown {
  return value ? 1n : 0n;
}

/** better-sqlite3 binds only numbers, bigints, strings, Buffers and null. */
function bindUntyped(value: unknown): unknown {
  if (typeof value === 'number') return bindInteger(value);
  if (typeof value === 'boolean') return bindBoolean(value);
  if (value instanceof Date) return formatUtcDateTime(value);
  return toBuffer(value);
}

const BIND: ValueRules = {
  ...SHARED_BIND,
  Integer: always(bindInteger),
  SmallInteger: always(bindInteger),
  BigInteger: always(bindInteger),
  Boolean: always(bindBoolean),
  DateTime: always(formatUtcDateTime),
  Uuid: always(toLowerCase),
  NullType: always(bindUntyped),
};

const RESULT: ValueRules = {
  ...SHARED_RESULT,
  Integer: null,
  SmallInteger: null,
  Float: null,
  Boolean: always(intToBoolean),
  Time: null,
  Uuid: always(toLowerCase),
};

/** The SQLite value adapter (see `ValueAdapter` in ../dialect.ts). */
export const sqliteValues = valueAdapter(BIND, RESULT);
