/**
 * The `t` namespace: constructors of the generic SQL types. Types sit below the expression language
 * because expressions carry them (bind parameters, `cast`, result columns); they know no dialect.
 */
import {
  BigIntegerType,
  BooleanType,
  DateTimeType,
  DateType,
  EnumType,
  FloatType,
  IntegerType,
  JsonType,
  LargeBinaryType,
  NumericType,
  SmallIntegerType,
  StringType,
  TextType,
  TimeType,
  TypeDecorator,
  UuidType,
} from './generic.js';
import { dialectType, mysqlTypes, postgresqlTypes } from './dialect-types.js';
import type { TypeEngine } from './type-engine.js';

/**
 * Constructors of the SQL types, as `t.String(50)`, `t.DateTime({ timezone: true })`.
 *
 * | type | TypeScript value |
 * | --- | --- |
 * | Integer, SmallInteger, Float | `number` |
 * | BigInteger | `bigint` |
 * | Numeric | `string` (exact decimal) |
 * | String, Text, Uuid, Time | `string` |
 * | Date | `string` (`YYYY-MM-DD`) |
 * | DateTime | `Date` |
 * | Boolean | `boolean` |
 * | JSON | the declared document type |
 * | LargeBinary | `Buffer` |
 * | Enum | the union of its values |
 */
export const t = {
  /** INTEGER, a `number`; on a lone integer primary key, the auto-incrementing key. */
  Integer: () => new IntegerType(),
  /** SMALLINT, a `number`. */
  SmallInteger: () => new SmallIntegerType(),
  /** BIGINT, a `bigint`, so values past 2^53 stay exact. */
  BigInteger: () => new BigIntegerType(),
  /** FLOAT(precision) (DOUBLE on MySQL), a `number`. */
  Float: (precision?: number) => new FloatType(precision),
  /** NUMERIC(precision, scale) (DECIMAL on MySQL), an exact decimal as a `string` (`'12.50'`). */
  Numeric: (precision?: number, scale?: number) => new NumericType(precision, scale),
  /** VARCHAR(length), a `string`; MySQL needs the length. */
  String: (length?: number) => new StringType(length),
  /** TEXT, a `string`; with `length`, MySQL picks MEDIUMTEXT or LONGTEXT when TEXT is too small. */
  Text: (length?: number) => new TextType(length),
  /** BOOLEAN (BOOL on MySQL, 0/1 on SQLite), a `boolean`. */
  Boolean: () => new BooleanType(),
  /** DATE, a `'YYYY-MM-DD'` string. */
  Date: () => new DateType(),
  /** A timestamp, a JS `Date`; `timezone: true` for TIMESTAMP WITH TIME ZONE on PostgreSQL. */
  DateTime: (options?: { timezone?: boolean }) => new DateTimeType(options),
  /** TIME, a `'HH:MM:SS'` string. */
  Time: () => new TimeType(),
  /** JSON, a document of the declared type `T`. */
  JSON: <T = unknown>() => new JsonType<T>(),
  /** UUID (CHAR(36) outside PostgreSQL), a lower-case string. */
  Uuid: () => new UuidType(),
  /** BYTEA on PostgreSQL, BLOB elsewhere, a `Buffer`. */
  LargeBinary: (length?: number) => new LargeBinaryType(length),
  /**
   * One of `values`, typed as their union: ENUM(...) on MySQL, VARCHAR of the longest value elsewhere;
   * with `name`, a type of its own on PostgreSQL (CREATE TYPE name AS ENUM).
   */
  Enum: <const V extends string>(values: readonly V[], options: { name?: string } = {}) =>
    new EnumType<V>(values, options.name),
  /** A type of your own over `impl`: `bindValue` converts values on the way in, `resultValue` on the way out. */
  decorate: <T, TImpl extends TypeEngine>(
    impl: TImpl,
    options: { bindValue: (value: T) => unknown; resultValue: (value: unknown) => T },
  ) => new TypeDecorator<T, TImpl>(impl, options),
  /** PostgreSQL-only types (JSONB, CITEXT, INET, ...); other dialects use the generic equivalent. */
  postgresql: postgresqlTypes,
  /** MySQL-only types (TINYINT, MEDIUMTEXT, unsigned integers, ...). */
  mysql: mysqlTypes,
  /** Any other database type, carried as a generic one: `t.dialectType('postgresql', 'LTREE', t.Text())`. */
  dialectType,
} as const;

export * from './generic.js';
export * from './dialect-types.js';
export * from './type-engine.js';
