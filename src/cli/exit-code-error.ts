/**
 * How a verb ends with an exit code of its own: it prints its result, then throws this with the one-line
 * summary for stderr. `main` prints the line like any `TsmigError` and returns `exitCode` instead of 1.
 */
import { TsmigError } from '../errors.js';

/** A failure whose exit code the verb documents (`tsmig status`: 3 pending revisions, ...). */
export class ExitCodeError extends TsmigError {
  override readonly name: string = 'ExitCodeError';

  constructor(
    message: string,
    /** Not 0 (success) nor 2 (usage error). */
    readonly exitCode: number,
  ) {
    super(message);
  }
}
