/**
 * How values of each generic type travel to and from better-sqlite3. SQLite stores booleans as 1/0,
 * timestamps as UTC text, decimals as REAL or TEXT and JSON as TEXT, so most types need a conversion.
 * BIGINT columns arrive as `bigint` because the engine turns on `safeIntegers` for statements that read
 * them.
 */
import type { NumericType } from '../../types/generic.js';
import type { TypeEngine, TypeName } from '../../types/type-engine.js';
import {
  always,
  decimalResult,
  formatDate,
  formatUtcDateTime,
  intToBoolean,
  parseDateTime,
  parseJsonText,
  toBigInt,
  toBuffer,
  toDecimalString,
  toJsonText,
  toLowerCase,
  type Processor,
} from '../../util/sql-values.js';
import type { ValueAdapter } from '../dialect.js';

type Rule = ((type: TypeEngine) => Processor | null) | null;

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

const BIND: Record<TypeName, Rule> = {
  Integer: always(bindInteger),
  SmallInteger: always(bindInteger),
  BigInteger: always(bindInteger),
  Float: null,
  Numeric: always(toDecimalString),
  String: null,
  Text: null,
  Enum: null,
  Boolean: always(bindBoolean),
  Date: always(formatDate),
  DateTime: always(formatUtcDateTime),
  Time: null,
  JSON: always(toJsonText),
  Uuid: always(toLowerCase),
  LargeBinary: always(toBuffer),
  NullType: always(bindUntyped),
};

const RESULT: Record<TypeName, Rule> = {
  Integer: null,
  SmallInteger: null,
  BigInteger: always(toBigInt),
  Float: null,
  Numeric: (type) => decimalResult((type as NumericType).scale),
  String: null,
  Text: null,
  Enum: null,
  Boolean: always(intToBoolean),
  Date: null,
  DateTime: always(parseDateTime),
  Time: null,
  JSON: always(parseJsonText),
  Uuid: always(toLowerCase),
  LargeBinary: null,
  NullType: null,
};

/** The SQLite value adapter (see {@link ValueAdapter}). */
export const sqliteValues: ValueAdapter = {
  bind: (type) => BIND[type.typeName]?.(type) ?? null,
  result: (type) => RESULT[type.typeName]?.(type) ?? null,
};
