/**
 * The SQL type of a plain JavaScript value, for values bound without a typed column to compare with
 * (`literal(7)`, `func.coalesce(x, 'n/a')`, `text()` parameters), as SQLAlchemy infers from Python values.
 * Without it PostgreSQL would see an untyped parameter and answer text.
 */
import {
  BigIntegerType,
  BooleanType,
  DateTimeType,
  FloatType,
  IntegerType,
  JsonType,
  LargeBinaryType,
  StringType,
} from './generic.js';
import { NULLTYPE, type TypeEngine } from './type-engine.js';

export function inferType(value: unknown): TypeEngine {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? new IntegerType() : new FloatType();
    case 'bigint':
      return new BigIntegerType();
    case 'string':
      return new StringType();
    case 'boolean':
      return new BooleanType();
    case 'object':
      if (value === null) return NULLTYPE;
      if (value instanceof Date) return new DateTimeType({ timezone: true });
      if (value instanceof Uint8Array) return new LargeBinaryType();
      return new JsonType();
    default:
      return NULLTYPE;
  }
}
