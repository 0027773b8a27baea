/**
 * Sorts better-sqlite3 errors into the DB-API family by their extended SQLITE_* result code.
 */
import {
  DataError,
  DatabaseError,
  IntegrityError,
  OperationalError,
  ProgrammingError,
} from '../../errors.js';

type DatabaseErrorClass = typeof DatabaseError;

/** Primary result codes (the part before the second underscore) and their error class. */
const BY_PRIMARY_CODE: Record<string, DatabaseErrorClass> = {
  SQLITE_CONSTRAINT: IntegrityError,
  SQLITE_ERROR: ProgrammingError, // syntax errors, no such table / column
  SQLITE_RANGE: ProgrammingError, // bind index out of range
  SQLITE_AUTH: ProgrammingError,
  SQLITE_MISMATCH: DataError,
  SQLITE_TOOBIG: DataError,
  SQLITE_BUSY: OperationalError,
  SQLITE_LOCKED: OperationalError,
  SQLITE_IOERR: OperationalError,
  SQLITE_FULL: OperationalError,
  SQLITE_CANTOPEN: OperationalError,
  SQLITE_READONLY: OperationalError,
  SQLITE_NOMEM: OperationalError,
  SQLITE_INTERRUPT: OperationalError,
  SQLITE_CORRUPT: OperationalError,
  SQLITE_NOTADB: OperationalError,
  SQLITE_PROTOCOL: OperationalError,
  SQLITE_ABORT: OperationalError,
};

/** Extended codes that belong elsewhere than their primary code says. */
const BY_EXTENDED_CODE: Record<string, DatabaseErrorClass> = {
  // A STRICT table refused a value of the wrong type: PostgreSQL and MySQL call that a data error.
  SQLITE_CONSTRAINT_DATATYPE: DataError,
};

/**
 * The DatabaseError subclass for a better-sqlite3 error.
 *
 * @example
 * classifySqliteError(uniqueViolation); // IntegrityError (code SQLITE_CONSTRAINT_UNIQUE)
 */
export function classifySqliteError(error: unknown): DatabaseErrorClass {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    // better-sqlite3 reports wrong parameter counts and unbindable values as RangeError / TypeError.
    return error instanceof RangeError || error instanceof TypeError ? ProgrammingError : DatabaseError;
  }
  const extended = BY_EXTENDED_CODE[code];
  if (extended) return extended;
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0];
  return (primary && BY_PRIMARY_CODE[primary]) || DatabaseError;
}
