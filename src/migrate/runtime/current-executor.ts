/**
 * The executor of the migration running now, so revision files can `import { op } from 'tsmig'` as they
 * do in Alembic.
 *
 * A process usually runs one migration at a time (the CLI always does): its executor is then simply held
 * in a variable. Only a migration that starts while another one runs (concurrent runs in tests, a run
 * started from inside a migration) is held in an AsyncLocalStorage, so each sees its own. The storage is
 * not used otherwise because, once used, Node keeps async hooks on every promise of the process for the
 * rest of it (3-6% of a 1,000-revision run's CPU).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvalidRequestError } from '../../errors.js';
import type { MigrationExecutor } from '../operations/migration-executor.js';
import { settleOperations } from '../operations/operation-queue.js';

const storage = new AsyncLocalStorage<MigrationExecutor>();
/** The executor of the migration that runs outside every other one's, or null. */
let solo: MigrationExecutor | null = null;

/**
 * Runs `work` (an upgrade() or downgrade()) with `executor` as the current one, then waits for the
 * operations it queued: a failure it did not await still fails it, and nothing of it runs after the
 * caller commits or rolls back. Throws the failure of `work` first, else the first one not awaited.
 */
export async function runMigrationWork(executor: MigrationExecutor, work: () => Promise<void>): Promise<void> {
  const alone = solo === null && storage.getStore() === undefined;
  let failure: { error: unknown } | null = null;
  if (alone) solo = executor;
  try {
    try {
      await (alone ? work() : storage.run(executor, work));
    } catch (error) {
      failure = { error };
    }
    try {
      await settleOperations(executor);
    } catch (error) {
      failure ??= { error };
    }
  } finally {
    if (alone) solo = null;
  }
  if (failure !== null) throw failure.error;
}

/** The executor of the running migration; outside a migration, an error saying where `op` may be used. */
export function currentExecutor(): MigrationExecutor {
  const executor = storage.getStore() ?? solo;
  if (executor === null) {
    throw new InvalidRequestError('op.* can only be used inside upgrade() or downgrade() while tsmig runs a migration');
  }
  return executor;
}
