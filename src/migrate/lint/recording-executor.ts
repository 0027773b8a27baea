/**
 * The executor `tsmig lint` runs revisions on: every operation is kept as data, with the call stack of
 * the `op.*` call that made it, and nothing is compiled or sent anywhere. There is no database, so a
 * revision that reads rows (`op.getBind()`) stops there with an error saying so.
 */
import type { Dialect } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { InvalidRequestError } from '../../errors.js';
import type { MetaData } from '../../schema/metadata.js';
import type { AnyOperation } from '../operations/invoke.js';
import type { MigrationExecutor } from '../operations/migration-executor.js';
import type { OperationRecorder } from '../operations/operation-recorder.js';

/** A revision asked for the database, which lint does not have: what it called before that was still checked. */
export class DatabaseNeededError extends InvalidRequestError {
  override readonly name: string = 'DatabaseNeededError';
}

/** One operation a revision called, and from where. */
export interface RecordedOperation {
  readonly operation: AnyOperation;
  /** The stack at the `op.*` call; its frame in the revision file gives the line. */
  readonly callStack: string;
}

/** A {@link MigrationExecutor} that records instead of running; one per upgrade() or downgrade(). */
export class RecordingExecutor implements MigrationExecutor, OperationRecorder {
  readonly offline = true;
  readonly recorder: OperationRecorder = this;
  readonly recorded: RecordedOperation[] = [];
  #callStack = '';
  readonly #calls = new WeakMap<object, string>();

  constructor(
    readonly dialect: Dialect,
    readonly targetMetadata: MetaData | null,
  ) {}

  async calledFrom<T>(callStack: string, work: () => Promise<T>): Promise<T> {
    // A batch's callback may call op.* itself: those nest, and the outer call's stack comes back after.
    const outer = this.#callStack;
    this.#callStack = callStack;
    try {
      return await work();
    } finally {
      this.#callStack = outer;
    }
  }

  record(operation: AnyOperation): Promise<void> {
    this.recorded.push({ operation, callStack: this.#callStack });
    return Promise.resolve();
  }

  calledAt(operation: object, callStack: string): void {
    this.#calls.set(operation, callStack);
  }

  /** The stack of the call that made `operation`: its own for an operation of a batch, else the recorded one. */
  callStackOf(operation: object, recorded: RecordedOperation): string {
    return this.#calls.get(operation) ?? recorded.callStack;
  }

  /** Never reached: {@link record} takes every operation before it would compile. */
  execute(): Promise<void> {
    return Promise.resolve();
  }

  connection(): Connection {
    throw new DatabaseNeededError('it reads the database (op.getBind()), and lint runs revisions without one');
  }

  autocommitBlock<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  withoutForeignKeys<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
