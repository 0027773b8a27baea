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
  booleanToInt,
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

/** better-sqlite3 binds only numbers, bigints, strings, Buffers and null. */
function bindUntyped(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return formatUtcDateTime(value);
  return toBuffer(value);
}

const BIND: Record<TypeName, Rule> = {
  Integer: null,
  SmallInteger: null,
  BigInteger: null,
  Float: null,
  Numeric: always(toDecimalString),
  String: null,
  Text: null,
  Enum: null,
  Boolean: always(booleanToInt),
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
