/** PostgreSQL's type names: BYTEA for binary, native UUID and JSON, timestamps with or without zone. */
import { GENERIC_TYPES, TypeCompiler, floatPrecision, hasTimezone } from '../base/type-compiler.js';

export const postgresqlTypes = new TypeCompiler('postgresql', {
  ...GENERIC_TYPES,
  DateTime: (type) => (hasTimezone(type) ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP WITHOUT TIME ZONE'),
  // A JS number is a double; FLOAT without a precision is double precision in PostgreSQL.
  Float: (type) => (floatPrecision(type) === undefined ? 'FLOAT' : `FLOAT(${floatPrecision(type)})`),
  LargeBinary: () => 'BYTEA',
});
