/**
 * Ctrl-C (SIGINT) and SIGTERM while a run works on a database. The CLI's signal handler calls
 * {@link interruptRuns}; each online run has registered how to cancel the statement its connection is
 * running (a `pg_cancel_backend` or `KILL QUERY` sent on another connection), so the server stops too,
 * instead of finishing the statement after the process is gone. The run's own error path then rolls
 * back, releases the lock and reports where the version table stands. A statement that cannot be
 * cancelled from outside (SQLite's, which runs in this thread) ends first, and the run stops before the
 * next one ({@link throwIfInterrupted}).
 */
import { InterruptedError } from './errors.js';

let received: NodeJS.Signals | null = null;
const cancellers = new Set<() => Promise<void>>();

/** Asks every running migration to stop; resolves once their statements were asked to cancel. */
export async function interruptRuns(signal: NodeJS.Signals): Promise<void> {
  received ??= signal;
  await Promise.allSettled([...cancellers].map((cancel) => cancel()));
}

/** Whether a run is registered to stop on a signal (otherwise the signal keeps its default effect). */
export function runsInProgress(): boolean {
  return cancellers.size > 0;
}

/** The signal received, or null. */
export function interruptSignal(): NodeJS.Signals | null {
  return received;
}

/** Registers how to cancel a run's statement; returns the function that unregisters it. */
export function onInterrupt(cancel: () => Promise<void>): () => void {
  cancellers.add(cancel);
  return () => cancellers.delete(cancel);
}

/**
 * Between statements: stop here once a signal came. `yieldFirst` lets a pending signal handler run
 * first: a driver that runs statements in this thread (SQLite) never returns to the event loop
 * between them otherwise, so the handler would only run once the whole migration is done.
 */
export async function stopIfInterrupted(yieldFirst: boolean): Promise<void> {
  if (yieldFirst) await new Promise((resolve) => setImmediate(resolve));
  if (received !== null) {
    throw new InterruptedError(received, `Interrupted by ${received} before the next statement.`, { currentHeads: null });
  }
}
