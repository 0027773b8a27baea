/**
 * Spells SQL types for one dialect: as column types in DDL and as CAST targets, which MySQL and SQLite
 * restrict or interpret differently. Table-driven by the generic type name.
 */
import { CompileError } from '../../errors.js';
import type {
  DateTimeType,
  EnumType,
  FloatType,
  LargeBinaryType,
  NumericType,
  StringType,
} from '../../types/generic.js';
import { type DialectOfType, DialectSpecificType } from '../../types/dialect-types.js';
import type { TypeEngine, TypeName } from '../../types/type-engine.js';

/** A renderer per generic type; each receives the type instance (its length, precision, ...). */
export type TypeSpellings = { readonly [K in TypeName]: (type: TypeEngine) => string };

export function numeric(name: string, type: TypeEngine): string {
  const { precision, scale } = type as NumericType;
  if (precision === undefined) return name;
  return scale === undefined ? `${name}(${precision})` : `${name}(${precision}, ${scale})`;
}

export function withLength(name: string, type: TypeEngine): string {
  const { length } = type as StringType | LargeBinaryType;
  return length === undefined ? name : `${name}(${length})`;
}

/** The widest value of an enum, for the VARCHAR that stores it where there is no native enum. */
export function enumLength(type: TypeEngine): number {
  return Math.max(1, ...(type as EnumType).values.map((v) => v.length));
}

export const hasTimezone = (type: TypeEngine): boolean => (type as DateTimeType).timezone;
export const floatPrecision = (type: TypeEngine): number | undefined => (type as FloatType).precision;

/** The generic spelling, close to PostgreSQL's and the SQL standard's. */
export const GENERIC_TYPES: TypeSpellings = {
  Integer: () => 'INTEGER',
  BigInteger: () => 'BIGINT',
  SmallInteger: () => 'SMALLINT',
  String: (type) => withLength('VARCHAR', type),
  Text: () => 'TEXT',
  Boolean: () => 'BOOLEAN',
  Date: () => 'DATE',
  DateTime: (type) => (hasTimezone(type) ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP'),
  Time: () => 'TIME',
  Float: (type) => (floatPrecision(type) === undefined ? 'FLOAT' : `FLOAT(${floatPrecision(type)})`),
  Numeric: (type) => numeric('NUMERIC', type),
  JSON: () => 'JSON',
  Uuid: () => 'UUID',
  LargeBinary: () => 'BLOB',
  Enum: (type) => `VARCHAR(${enumLength(type)})`,
  NullType: () => {
    throw new CompileError('an expression of unknown type (NullType) has no SQL type; give it one, e.g. cast(x, t.Integer())');
  },
};

export class TypeCompiler {
  constructor(
    /** The dialect whose specific types (`t.postgresql.JSONB()`) are spelled as written. */
    private readonly dialect: DialectOfType | null,
    private readonly columnTypes: TypeSpellings,
    private readonly castTargets: Partial<TypeSpellings> = {},
  ) {}

  /** The type of a column in CREATE TABLE / ADD COLUMN. */
  columnType(type: TypeEngine): string {
    const impl = type.impl;
    if (impl instanceof DialectSpecificType) {
      return impl.dialect === this.dialect ? impl.sqlName : this.columnType(impl.base);
    }
    return this.columnTypes[impl.typeName](impl);
  }

  /** The target of `CAST(x AS ...)`. */
  castTarget(type: TypeEngine): string {
    let impl = type.impl;
    if (impl instanceof DialectSpecificType) {
      if (impl.dialect === this.dialect) return impl.sqlName;
      impl = impl.base;
    }
    const spell = this.castTargets[impl.typeName];
    return spell === undefined ? this.columnType(impl) : spell(impl);
  }
}
