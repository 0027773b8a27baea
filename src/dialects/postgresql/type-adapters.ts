/**
 * How values of each generic type travel to and from node-postgres. The engine configures the driver
 * to hand over dates, timestamps, NUMERIC, BIGINT and JSON as the server's text, so the conversions
 * below are the only ones applied and behave as on the other dialects.
 */
import { always, formatIsoDateTime, toBuffer, toNumber } from '../../util/sql-values.js';
import { SHARED_BIND, SHARED_RESULT, type ValueRules, valueAdapter } from '../base/value-rules.js';

/**
 * node-postgres would format a `Date` in the process's local time zone, which a `timestamp` column
 * then stores as local wall-clock time; ISO text with `Z` is stored as UTC by both timestamp types.
 */
function bindUntyped(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : toBuffer(value);
}

const BIND: ValueRules = {
  ...SHARED_BIND,
  Integer: null,
  SmallInteger: null,
  BigInteger: null,
  Boolean: null,
  DateTime: always(formatIsoDateTime),
  Uuid: null,
  NullType: always(bindUntyped),
};

const RESULT: ValueRules = {
  ...SHARED_RESULT,
  // count(*) and sum() of integers are bigint on PostgreSQL and arrive as text.
  Integer: always(toNumber),
  SmallInteger: always(toNumber),
  // avg() and NUMERIC arithmetic typed as Float arrive as text.
  Float: always(toNumber),
  Boolean: null,
  Time: null,
  Uuid: null,
};

/** The PostgreSQL value adapter (see `ValueAdapter` in ../dialect.ts). */
export const postgresqlValues = valueAdapter(BIND, RESULT);
