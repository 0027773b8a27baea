/**
 * The error family of tsmig. Every failure a user can cause is a `TsmigError` whose message is one line
 * naming the problem and the next step; anything else that escapes is a bug.
 */

/** Base class of every error tsmig raises on purpose. */
export class TsmigError extends Error {
  override readonly name: string = 'TsmigError';
}

/** A function or constructor was called with arguments that cannot work (a programming error in user code). */
export class ArgumentError extends TsmigError {
  override readonly name: string = 'ArgumentError';
}

/** A statement was compiled for a dialect that cannot express it (e.g. FULL OUTER JOIN on MySQL). */
export class CompileError extends TsmigError {
  override readonly name: string = 'CompileError';
}

/** A database URL could not be parsed or names an unknown dialect or driver. */
export class UrlError extends TsmigError {
  override readonly name: string = 'UrlError';
}

/** Opening a connection failed: unreachable host, wrong credentials, missing database or SQLite directory. */
export class ConnectionError extends TsmigError {
  override readonly name: string = 'ConnectionError';
}

/** An operation was used in a state that does not allow it (a closed connection, a finished transaction). */
export class InvalidRequestError extends TsmigError {
  override readonly name: string = 'InvalidRequestError';
}

/** `Result.one()` / `scalarOne()` found no row. */
export class NoResultFoundError extends InvalidRequestError {
  override readonly name: string = 'NoResultFoundError';
}

/** `Result.one()` / `oneOrNone()` found more than one row. */
export class MultipleResultsFoundError extends InvalidRequestError {
  override readonly name: string = 'MultipleResultsFoundError';
}

/**
 * The database rejected a statement. Mirrors the DB-API exception family that SQLAlchemy exposes, so
 * `catch (e) { if (e instanceof IntegrityError) ... }` works the same on every dialect.
 */
export class DatabaseError extends TsmigError {
  override readonly name: string = 'DatabaseError';
  /** The SQL text that failed, as sent to the driver. */
  readonly statement: string | undefined;
  /** The bound parameters that were sent with it. */
  readonly params: readonly unknown[] | undefined;
  /** The driver's own error code (SQLSTATE, MySQL errno name, SQLITE_* code). */
  readonly code: string | undefined;

  constructor(
    message: string,
    options: { statement?: string; params?: readonly unknown[]; code?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.statement = options.statement;
    this.params = options.params;
    this.code = options.code;
  }
}

/** A constraint was violated: unique, foreign key, NOT NULL, CHECK. */
export class IntegrityError extends DatabaseError {
  override readonly name: string = 'IntegrityError';
}

/** The statement is wrong for this database: syntax, unknown table or column, bad types. */
export class ProgrammingError extends DatabaseError {
  override readonly name: string = 'ProgrammingError';
}

/** The database could not do it for operational reasons: lock timeout, deadlock, lost connection, disk. */
export class OperationalError extends DatabaseError {
  override readonly name: string = 'OperationalError';
}

/** A value could not be stored: out of range, too long for its column, invalid text for the type. */
export class DataError extends DatabaseError {
  override readonly name: string = 'DataError';
}
