/**
 * Sorts node-postgres errors into the DB-API family by SQLSTATE class (the first two characters),
 * as psycopg does; network errors without a SQLSTATE are operational.
 */
import {
  DataError,
  DatabaseError,
  IntegrityError,
  OperationalError,
  ProgrammingError,
} from '../../errors.js';

type DatabaseErrorClass = typeof DatabaseError;

const BY_SQLSTATE_CLASS: Record<string, DatabaseErrorClass> = {
  '23': IntegrityError, // integrity constraint violation
  '42': ProgrammingError, // syntax error or access rule violation
  '3F': ProgrammingError, // invalid schema name
  '0A': ProgrammingError, // feature not supported
  '21': ProgrammingError, // cardinality violation
  '26': ProgrammingError, // invalid SQL statement name
  '22': DataError, // data exception
  '08': OperationalError, // connection exception
  '28': OperationalError, // invalid authorization
  '3D': OperationalError, // invalid catalog (database) name
  '40': OperationalError, // transaction rollback: serialization failure, deadlock
  '53': OperationalError, // insufficient resources
  '55': OperationalError, // object not in prerequisite state (lock not available)
  '57': OperationalError, // operator intervention (query canceled, admin shutdown)
  '58': OperationalError, // system error (I/O)
};

/** Node's socket error codes: the connection itself failed. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/**
 * The DatabaseError subclass for a node-postgres error.
 *
 * @example
 * classifyPostgresqlError({ code: '23505' }); // IntegrityError
 */
export function classifyPostgresqlError(error: unknown): DatabaseErrorClass {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return BY_SQLSTATE_CLASS[code.slice(0, 2)] ?? DatabaseError;
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return OperationalError;
  // "Connection terminated unexpectedly" and friends carry no code at all.
  if (error instanceof Error && /connection|terminat/i.test(error.message)) return OperationalError;
  return DatabaseError;
}
