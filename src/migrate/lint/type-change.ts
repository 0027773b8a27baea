/**
 * What a column type change does to the values already stored, in general and per dialect: whether
 * it can lose data, whether PostgreSQL rewrites the table for it, whether MySQL can do it in place.
 */
import { NumericType, StringType } from '../../types/generic.js';
import type { TypeEngine } from '../../types/type-engine.js';

const INTEGER_RANK: Readonly<Record<string, number>> = { SmallInteger: 1, Integer: 2, BigInteger: 3 };

/** `VARCHAR(n)` of utf8mb4 keeps a one-byte length prefix up to 63 characters, a two-byte one above. */
const MYSQL_ONE_BYTE_PREFIX_CHARS = 63;

/** An unbounded string type (`Text`, or `String` without a length). */
function unboundedString(type: TypeEngine): boolean {
  return type.typeName === 'Text' || (type instanceof StringType && type.length === undefined);
}

/** Both VARCHARs, the new one at least as long (unbounded counts as longest). */
function varcharGrows(from: TypeEngine, to: TypeEngine): boolean {
  if (!(from instanceof StringType) || !(to instanceof StringType)) return false;
  return to.length === undefined || (from.length !== undefined && to.length >= from.length);
}

/** Both NUMERIC, the new one holding every value the old one did. */
function numericGrows(from: TypeEngine, to: TypeEngine): boolean {
  if (!(from instanceof NumericType) || !(to instanceof NumericType)) return false;
  if (to.precision === undefined) return true;
  if (from.precision === undefined) return false;
  const [fromScale, toScale] = [from.scale ?? 0, to.scale ?? 0];
  return toScale >= fromScale && to.precision - toScale >= from.precision - fromScale;
}

/**
 * True when every value of `from` fits `to` unchanged: a longer string, text, a wider integer or
 * numeric, an integer into NUMERIC. Anything else may truncate, round or fail on existing rows.
 */
export function keepsEveryValue(from: TypeEngine, to: TypeEngine): boolean {
  const [a, b] = [from.impl, to.impl];
  if (a.toString() === b.toString()) return true;
  if (unboundedString(b)) return true;
  if (varcharGrows(a, b) || numericGrows(a, b)) return true;
  const [ra, rb] = [INTEGER_RANK[a.typeName], INTEGER_RANK[b.typeName]];
  if (ra !== undefined && rb !== undefined) return rb >= ra;
  return ra !== undefined && b instanceof NumericType && b.precision === undefined;
}

/**
 * PostgreSQL changes a type without rewriting the table only where the stored bytes stay valid:
 * a longer or unbounded VARCHAR, VARCHAR to TEXT, a NUMERIC of more precision and the same scale.
 */
export function postgresqlRewrites(from: TypeEngine | undefined, to: TypeEngine): boolean {
  if (from === undefined) return true;
  const [a, b] = [from.impl, to.impl];
  if (a.toString() === b.toString()) return false;
  if ((a.typeName === 'String' || a.typeName === 'Text') && unboundedString(b)) return false;
  if (varcharGrows(a, b)) return false;
  return !(a instanceof NumericType && b instanceof NumericType && numericGrows(a, b) && (a.scale ?? 0) === (b.scale ?? 0));
}

/**
 * MySQL changes a column type in place (ALGORITHM=INPLACE, LOCK=NONE) only when a VARCHAR grows
 * without its length prefix growing from one byte to two; any other type change copies the table.
 */
export function mysqlCopies(from: TypeEngine | undefined, to: TypeEngine): boolean {
  if (from === undefined) return true;
  const [a, b] = [from.impl, to.impl];
  if (a.toString() === b.toString()) return false;
  if (!(a instanceof StringType && b instanceof StringType) || a.length === undefined || b.length === undefined) return true;
  const prefix = (length: number) => (length <= MYSQL_ONE_BYTE_PREFIX_CHARS ? 1 : 2);
  return !(b.length >= a.length && prefix(a.length) === prefix(b.length));
}
