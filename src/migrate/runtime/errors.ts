/**
 * Errors of the migration runtime. Each message is one line that says what failed, where the database
 * stands now, and what to do next.
 */
import { TsmigError } from '../../errors.js';

/** The version table does not hold what the migration plan assumed. */
export class VersionTableError extends TsmigError {
  override readonly name: string = 'VersionTableError';
}

/** Another process held the migration lock for longer than the lock timeout. */
export class MigrationLockTimeoutError extends TsmigError {
  override readonly name: string = 'MigrationLockTimeoutError';
}

/** A lock held by lease (Galera) ran out and another run took it over. */
export class MigrationLockLostError extends TsmigError {
  override readonly name: string = 'MigrationLockLostError';
}

/** The run would write to a server that only reads (a PostgreSQL hot standby). */
export class ReadOnlyServerError extends TsmigError {
  override readonly name: string = 'ReadOnlyServerError';
}

/** A revision's upgrade() or downgrade() failed; the message says where the database stands. */
export class MigrationFailedError extends TsmigError {
  override readonly name: string = 'MigrationFailedError';
  /** The revision whose step failed. */
  readonly revision: string;
  /** The heads the version table names after the failure. */
  readonly currentHeads: readonly string[];

  constructor(message: string, options: { revision: string; currentHeads: readonly string[]; cause: unknown }) {
    super(message, { cause: options.cause });
    this.revision = options.revision;
    this.currentHeads = options.currentHeads;
  }
}

/** `PRAGMA foreign_key_check` found rows that break a foreign key after a table rebuild. */
export class ForeignKeyViolationError extends TsmigError {
  override readonly name: string = 'ForeignKeyViolationError';
}

/** Something needs a database connection while writing an offline (`--sql`) script. */
export class OfflineModeError extends TsmigError {
  override readonly name: string = 'OfflineModeError';
}

/** env.ts does not do what the runtime needs (no default export, never runs the migrations). */
export class EnvironmentError extends TsmigError {
  override readonly name: string = 'EnvironmentError';
}
