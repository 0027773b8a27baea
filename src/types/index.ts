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
  Integer: () => new IntegerType(),
  SmallInteger: () => new SmallIntegerType(),
  BigInteger: () => new BigIntegerType(),
  Float: (precision?: number) => new FloatType(precision),
  Numeric: (precision?: number, scale?: number) => new NumericType(precision, scale),
  String: (length?: number) => new StringType(length),
  Text: (length?: number) => new TextType(length),
  Boolean: () => new BooleanType(),
  Date: () => new DateType(),
  DateTime: (options?: { timezone?: boolean }) => new DateTimeType(options),
  Time: () => new TimeType(),
  JSON: <T = unknown>() => new JsonType<T>(),
  Uuid: () => new UuidType(),
  LargeBinary: (length?: number) => new LargeBinaryType(length),
  Enum: <const V extends string>(values: readonly V[], options: { name?: string } = {}) =>
    new EnumType<V>(values, options.name),
  decorate: <T, TImpl extends TypeEngine>(
    impl: TImpl,
    options: { bindValue: (value: T) => unknown; resultValue: (value: unknown) => T },
  ) => new TypeDecorator<T, TImpl>(impl, options),
  /** PostgreSQL-only types (JSONB, CITEXT, INET, ...); other dialects use the generic equivalent. */
  postgresql: postgresqlTypes,
  /** MySQL-only types (TINYINT, MEDIUMTEXT, unsigned integers, ...). */
  mysql: mysqlTypes,
  dialectType,
} as const;

export * from './generic.js';
export * from './dialect-types.js';
export * from './type-engine.js';
