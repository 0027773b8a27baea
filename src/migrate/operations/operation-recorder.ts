/**
 * The contract between `op` and `tsmig lint`: with a recorder on the executor, every operation a revision
 * calls is handed over as data (with the call stack of the `op.*` call that made it) instead of running.
 */
import type { AnyOperation } from './invoke.js';

export interface OperationRecorder {
  /** Runs `work` (the queued body of one `op.*` call); operations recorded meanwhile came from `callStack`. */
  calledFrom<T>(callStack: string, work: () => Promise<T>): Promise<T>;
  /** Takes one operation in place of running it. */
  record(operation: AnyOperation): Promise<void>;
  /** Notes where an operation of a batch was called (`batch.dropColumn(...)`), inside the batch's call. */
  calledAt(operation: object, callStack: string): void;
}
