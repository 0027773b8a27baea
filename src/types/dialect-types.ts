/**
 * Types that only one database has (PostgreSQL's JSONB, MySQL's TINYINT, ...). Each names the generic
 * type whose values it carries: that type's value conversion applies, and on another dialect the
 * column falls back to the generic spelling, so one model still runs on every database.
 */
import {
  BigIntegerType,
  DateTimeType,
  FloatType,
  IntegerType,
  JsonType,
  LargeBinaryType,
  SmallIntegerType,
  TextType,
  StringType,
} from './generic.js';
import { tsString } from '../util/ts-literal.js';
import { TypeEngine } from './type-engine.js';

export type DialectOfType = 'sqlite' | 'postgresql' | 'mysql';

export class DialectSpecificType<T = unknown> extends TypeEngine<T> {
  constructor(
    readonly dialect: DialectOfType,
    /** The type as the database spells it, e.g. `JSONB`, `TINYINT(4)`, `CITEXT`. */
    readonly sqlName: string,
    /** The generic type used for value conversion and on other dialects. */
    readonly base: TypeEngine<T>,
    /** How it is written after `t.` (like every type's `toString()`), e.g. `postgresql.JSONB()`. */
    readonly source: string,
  ) {
    super();
  }
  get typeName() {
    return this.base.typeName;
  }
  toString(): string {
    return this.source;
  }
}

const pg = <T>(sqlName: string, base: TypeEngine<T>, source = `postgresql.${sqlName}()`) =>
  new DialectSpecificType<T>('postgresql', sqlName, base, source);
const my = <T>(sqlName: string, base: TypeEngine<T>, source = `mysql.${sqlName}()`) =>
  new DialectSpecificType<T>('mysql', sqlName, base, source);

/** PostgreSQL-only types: `t.postgresql.JSONB()`. */
export const postgresqlTypes = {
  /** JSONB (binary, indexable JSON); JSON elsewhere. */
  JSONB: <T = unknown>() => pg('JSONB', new JsonType<T>()),
  /** CITEXT (case-insensitive text, from the citext extension); TEXT elsewhere. */
  CITEXT: () => pg('CITEXT', new TextType()),
  /** INET (an IP address, with an optional netmask) as a string; VARCHAR elsewhere. */
  INET: () => pg('INET', new StringType()),
  /** CIDR (an IP network) as a string; VARCHAR elsewhere. */
  CIDR: () => pg('CIDR', new StringType()),
  /** MACADDR as a string; VARCHAR elsewhere. */
  MACADDR: () => pg('MACADDR', new StringType()),
  /** TSVECTOR (a full-text search document) as its text; TEXT elsewhere. */
  TSVECTOR: () => pg('TSVECTOR', new TextType()),
  /** INTERVAL (a span of time); VARCHAR elsewhere. */
  INTERVAL: () => pg('INTERVAL', new StringType()),
  /** REAL (single precision), a `number`; FLOAT elsewhere. */
  REAL: () => pg('REAL', new FloatType()),
  /** DOUBLE PRECISION, a `number`; FLOAT elsewhere. */
  DOUBLE_PRECISION: () => pg('DOUBLE PRECISION', new FloatType(), 'postgresql.DOUBLE_PRECISION()'),
  /** TIMESTAMP(precision) with or without time zone, a `Date`; `t.DateTime()` elsewhere. */
  TIMESTAMP: (options: { timezone?: boolean; precision?: number } = {}) => {
    const zone = options.timezone ? 'WITH' : 'WITHOUT';
    const p = options.precision === undefined ? '' : `(${options.precision})`;
    const args = [options.timezone ? 'timezone: true' : null, options.precision === undefined ? null : `precision: ${options.precision}`]
      .filter((a) => a !== null)
      .join(', ');
    return pg(`TIMESTAMP${p} ${zone} TIME ZONE`, new DateTimeType(options), `postgresql.TIMESTAMP(${args === '' ? '' : `{ ${args} }`})`);
  },
} as const;

/** MySQL-only types: `t.mysql.TINYINT()`, `t.mysql.MEDIUMTEXT()`. */
export const mysqlTypes = {
  /** TINYINT(width), a `number`; SMALLINT elsewhere. */
  TINYINT: (width?: number) =>
    my(width === undefined ? 'TINYINT' : `TINYINT(${width})`, new SmallIntegerType(), `mysql.TINYINT(${width ?? ''})`),
  /** MEDIUMINT (3 bytes), a `number`; INTEGER elsewhere. */
  MEDIUMINT: () => my('MEDIUMINT', new IntegerType()),
  /** INTEGER UNSIGNED, a `number`; INTEGER elsewhere. */
  UNSIGNED_INTEGER: () => my('INTEGER UNSIGNED', new IntegerType(), 'mysql.UNSIGNED_INTEGER()'),
  /** BIGINT UNSIGNED, a `bigint`; BIGINT elsewhere. */
  UNSIGNED_BIGINT: () => my('BIGINT UNSIGNED', new BigIntegerType(), 'mysql.UNSIGNED_BIGINT()'),
  /** TINYTEXT (255 bytes); TEXT elsewhere. */
  TINYTEXT: () => my('TINYTEXT', new TextType()),
  /** MEDIUMTEXT (16 MB); TEXT elsewhere. */
  MEDIUMTEXT: () => my('MEDIUMTEXT', new TextType()),
  /** LONGTEXT (4 GB); TEXT elsewhere. */
  LONGTEXT: () => my('LONGTEXT', new TextType()),
  /** MEDIUMBLOB (16 MB), a `Buffer`; the generic binary type elsewhere. */
  MEDIUMBLOB: () => my('MEDIUMBLOB', new LargeBinaryType()),
  /** LONGBLOB (4 GB), a `Buffer`; the generic binary type elsewhere. */
  LONGBLOB: () => my('LONGBLOB', new LargeBinaryType()),
  /** DATETIME with the given fractional-second digits (none: whole seconds); `t.DateTime()` is DATETIME(6). */
  DATETIME: (fsp?: number) => my(fsp === undefined ? 'DATETIME' : `DATETIME(${fsp})`, new DateTimeType(), `mysql.DATETIME(${fsp ?? ''})`),
  TIMESTAMP: (fsp?: number) =>
    my(fsp === undefined ? 'TIMESTAMP' : `TIMESTAMP(${fsp})`, new DateTimeType({ timezone: true }), `mysql.TIMESTAMP(${fsp ?? ''})`),
  /** YEAR, a `number`; SMALLINT elsewhere. */
  YEAR: () => my('YEAR', new SmallIntegerType()),
} as const;

/**
 * Any other database type, carried as a generic one: `t.dialectType('postgresql', 'LTREE', t.Text())`.
 */
export function dialectType<T>(dialect: DialectOfType, sqlName: string, base: TypeEngine<T>): DialectSpecificType<T> {
  const source = `dialectType(${tsString(dialect)}, ${tsString(sqlName)}, t.${base.toString()})`;
  return new DialectSpecificType(dialect, sqlName, base, source);
}
