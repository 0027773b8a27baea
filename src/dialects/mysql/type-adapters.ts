/**
 * How values of each generic type travel to and from mysql2 (MySQL and MariaDB). The engine asks the
 * driver for BIGINT, DECIMAL, dates and JSON as text; booleans are TINYINT(1), timestamps are
 * DATETIME(6) holding UTC (the session time zone is +00:00), and MariaDB's JSON is LONGTEXT, so JSON is
 * always parsed here.
 */
import {
  always,
  booleanToInt,
  formatUtcDateTime,
  intToBoolean,
  toBuffer,
  toLowerCase,
  toNumber,
  trimTimeFraction,
} from '../../util/sql-values.js';
import { SHARED_BIND, SHARED_RESULT, type ValueRules, valueAdapter } from '../base/value-rules.js';

function bindUntyped(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return formatUtcDateTime(value);
  return toBuffer(value);
}

const BIND: ValueRules = {
  ...SHARED_BIND,
  Integer: null,
  SmallInteger: null,
  BigInteger: null,
  Boolean: always(booleanToInt),
  DateTime: always(formatUtcDateTime),
  Uuid: always(toLowerCase),
  NullType: always(bindUntyped),
};

const RESULT: ValueRules = {
  ...SHARED_RESULT,
  // BIGINT results (count(*)) and DECIMAL ones (sum() of integers) arrive as text.
  Integer: always(toNumber),
  SmallInteger: always(toNumber),
  Float: always(toNumber),
  Boolean: always(intToBoolean),
  // TIME(6) answers '13:45:00.000000'; the other dialects say '13:45:00'.
  Time: always(trimTimeFraction),
  Uuid: always(toLowerCase),
};

/** The MySQL / MariaDB value adapter (see `ValueAdapter` in ../dialect.ts). */
export const mysqlValues = valueAdapter(BIND, RESULT);
