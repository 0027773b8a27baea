/**
 * How values of each generic type travel to and from node-postgres. The engine configures the driver
 * to hand over dates, timestamps, NUMERIC, BIGINT and JSON as the server's text, so the conversions
 * below are the only ones applied and behave as on the other dialects.
 */
import type { NumericType } from '../../types/generic.js';
import type { TypeEngine, TypeName } from '../../types/type-engine.js';
import {
  always,
  decimalResult,
  formatDate,
  formatIsoDateTime,
  parseDateTime,
  parseJsonText,
  toBigInt,
  toBuffer,
  toDecimalString,
  toJsonText,
  toNumber,
  type Processor,
} from '../../util/sql-values.js';
import type { ValueAdapter } from '../dialect.js';

type Rule = ((type: TypeEngine) => Processor | null) | null;

/**
 * node-postgres would format a `Date` in the process's local time zone, which a `timestamp` column
 * then stores as local wall-clock time; ISO text with `Z` is stored as UTC by both timestamp types.
 */
function bindUntyped(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : toBuffer(value);
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
  Boolean: null,
  Date: always(formatDate),
  DateTime: always(formatIsoDateTime),
  Time: null,
  // Always as text: node-postgres would send a JS array as a PostgreSQL array, not as JSON.
  JSON: always(toJsonText),
  Uuid: null,
  LargeBinary: always(toBuffer),
  NullType: always(bindUntyped),
};

const RESULT: Record<TypeName, Rule> = {
  // count(*) and sum() of integers are bigint on PostgreSQL and arrive as text.
  Integer: always(toNumber),
  SmallInteger: always(toNumber),
  BigInteger: always(toBigInt),
  // avg() and NUMERIC arithmetic typed as Float arrive as text.
  Float: always(toNumber),
  Numeric: (type) => decimalResult((type as NumericType).scale),
  String: null,
  Text: null,
  Enum: null,
  Boolean: null,
  Date: null,
  DateTime: always(parseDateTime),
  Time: null,
  JSON: always(parseJsonText),
  Uuid: null,
  LargeBinary: null,
  NullType: null,
};

/** The PostgreSQL value adapter (see {@link ValueAdapter}). */
export const postgresqlValues: ValueAdapter = {
  bind: (type) => BIND[type.typeName]?.(type) ?? null,
  result: (type) => RESULT[type.typeName]?.(type) ?? null,
};
