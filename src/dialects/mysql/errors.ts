/**
 * Sorts mysql2 errors into the DB-API family: first by server error number (as PyMySQL does), then by
 * SQLSTATE class; client-side errors (errno 2000+) and socket errors are operational.
 */
import {
  DataError,
  DatabaseError,
  IntegrityError,
  OperationalError,
  ProgrammingError,
} from '../../errors.js';

type DatabaseErrorClass = typeof DatabaseError;

/** Error numbers whose SQLSTATE is too generic (HY000) or misleading (42000 for an unknown database). */
const BY_ERRNO: Record<number, DatabaseErrorClass> = {
  1062: IntegrityError, // ER_DUP_ENTRY
  1169: IntegrityError, // ER_DUP_UNIQUE
  1048: IntegrityError, // ER_BAD_NULL_ERROR
  1216: IntegrityError, // ER_NO_REFERENCED_ROW
  1217: IntegrityError, // ER_ROW_IS_REFERENCED
  1451: IntegrityError, // ER_ROW_IS_REFERENCED_2
  1452: IntegrityError, // ER_NO_REFERENCED_ROW_2
  1557: IntegrityError, // ER_FOREIGN_DUPLICATE_KEY
  1586: IntegrityError, // ER_DUP_ENTRY_WITH_KEY_NAME
  3819: IntegrityError, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
  4025: IntegrityError, // ER_CONSTRAINT_FAILED (MariaDB CHECK)
  1364: DataError, // ER_NO_DEFAULT_FOR_FIELD
  1265: DataError, // WARN_DATA_TRUNCATED
  1263: DataError, // ER_WARN_NULL_TO_NOTNULL
  1264: DataError, // ER_WARN_DATA_OUT_OF_RANGE
  1292: DataError, // ER_TRUNCATED_WRONG_VALUE
  1366: DataError, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  1367: DataError, // ER_ILLEGAL_VALUE_FOR_TYPE
  1406: DataError, // ER_DATA_TOO_LONG
  1441: DataError, // ER_DATETIME_FUNCTION_OVERFLOW
  1690: DataError, // ER_DATA_OUT_OF_RANGE
  3140: DataError, // ER_INVALID_JSON_TEXT
  4038: DataError, // ER_JSON_SYNTAX (MariaDB)
  1044: OperationalError, // ER_DBACCESS_DENIED_ERROR
  1045: OperationalError, // ER_ACCESS_DENIED_ERROR
  1049: OperationalError, // ER_BAD_DB_ERROR
  1040: OperationalError, // ER_CON_COUNT_ERROR
  1205: OperationalError, // ER_LOCK_WAIT_TIMEOUT
  1213: OperationalError, // ER_LOCK_DEADLOCK
  1317: OperationalError, // ER_QUERY_INTERRUPTED
  1053: OperationalError, // ER_SERVER_SHUTDOWN
  1461: OperationalError, // ER_MAX_PREPARED_STMT_COUNT_REACHED
  1142: ProgrammingError, // ER_TABLEACCESS_DENIED_ERROR
  1143: ProgrammingError, // ER_COLUMNACCESS_DENIED_ERROR
  1295: ProgrammingError, // ER_UNSUPPORTED_PS
};

const BY_SQLSTATE_CLASS: Record<string, DatabaseErrorClass> = {
  '23': IntegrityError,
  '42': ProgrammingError,
  '22': DataError,
  '08': OperationalError,
  '28': OperationalError,
  '40': OperationalError,
  HY: OperationalError,
};

/**
 * The DatabaseError subclass for a mysql2 error.
 *
 * @example
 * classifyMysqlError({ errno: 1062, code: 'ER_DUP_ENTRY', sqlState: '23000' }); // IntegrityError
 */
export function classifyMysqlError(error: unknown): DatabaseErrorClass {
  const e = (error ?? {}) as { errno?: unknown; sqlState?: unknown; code?: unknown; fatal?: unknown };
  if (typeof e.errno === 'number') {
    const known = BY_ERRNO[e.errno];
    if (known) return known;
    if (e.errno >= 2000 && e.errno < 3000) return OperationalError; // CR_* client errors
  }
  if (typeof e.sqlState === 'string' && e.sqlState.length === 5) {
    const byClass = BY_SQLSTATE_CLASS[e.sqlState.slice(0, 2)];
    if (byClass) return byClass;
  }
  if (e.fatal === true || (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code))) return OperationalError;
  return DatabaseError;
}
