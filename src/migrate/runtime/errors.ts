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

/**
 * Ctrl-C (SIGINT) or SIGTERM stopped a run: the running statement was cancelled, the transaction rolled
 * back and the lock released. The message says where the version table stands; the CLI exits with
 * 128 + the signal's number (130 for Ctrl-C), as a shell reports a process stopped by it.
 */
export class InterruptedError extends TsmigError {
  override readonly name: string = 'InterruptedError';
  readonly signal: NodeJS.Signals;
  /** The version table's revisions after the rollback, or null when they could not be read. */
  readonly currentHeads: readonly string[] | null;

  constructor(signal: NodeJS.Signals, message: string, options: { currentHeads: readonly string[] | null; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.signal = signal;
    this.currentHeads = options.currentHeads;
  }

  /** 130 for SIGINT, 143 for SIGTERM. */
  get exitCode(): number {
    return this.signal === 'SIGTERM' ? 143 : 130;
  }
}
