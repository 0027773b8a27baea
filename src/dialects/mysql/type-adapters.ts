/**
 * How values of each generic type travel to and from mysql2 (MySQL and MariaDB). The engine asks the
 * driver for BIGINT, DECIMAL, dates and JSON as text; booleans are TINYINT(1), timestamps are
 * DATETIME(6) holding UTC (the session time zone is +00:00), and MariaDB's JSON is LONGTEXT, so JSON is
 * always parsed here.
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
  toNumber,
  trimTimeFraction,
  type Processor,
} from '../../util/sql-values.js';
import type { ValueAdapter } from '../dialect.js';

type Rule = ((type: TypeEngine) => Processor | null) | null;

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
  // BIGINT results (count(*)) and DECIMAL ones (sum() of integers) arrive as text.
  Integer: always(toNumber),
  SmallInteger: always(toNumber),
  BigInteger: always(toBigInt),
  Float: always(toNumber),
  Numeric: (type) => decimalResult((type as NumericType).scale),
  String: null,
  Text: null,
  Enum: null,
  Boolean: always(intToBoolean),
  Date: null,
  DateTime: always(parseDateTime),
  // TIME(6) answers '13:45:00.000000'; the other dialects say '13:45:00'.
  Time: always(trimTimeFraction),
  JSON: always(parseJsonText),
  Uuid: always(toLowerCase),
  LargeBinary: null,
  NullType: null,
};

/** The MySQL / MariaDB value adapter (see {@link ValueAdapter}). */
export const mysqlValues: ValueAdapter = {
  bind: (type) => BIND[type.typeName]?.(type) ?? null,
  result: (type) => RESULT[type.typeName]?.(type) ?? null,
};
