/**
 * The executor of the migration running now, so revision files can `import { op } from 'tsmig'` as they
 * do in Alembic. It is held in an AsyncLocalStorage, so concurrent runs in one process (tests) never see
 * each other's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvalidRequestError } from '../../errors.js';
import type { MigrationExecutor } from '../operations/migration-executor.js';

const storage = new AsyncLocalStorage<MigrationExecutor>();

/** Runs `work` (an upgrade() or downgrade()) with `executor` as the current one. */
export function runWithExecutor<T>(executor: MigrationExecutor, work: () => Promise<T>): Promise<T> {
  return storage.run(executor, work);
}

/** The executor of the running migration; outside a migration, an error saying where `op` may be used. */
export function currentExecutor(): MigrationExecutor {
  const executor = storage.getStore();
  if (executor === undefined) {
    throw new InvalidRequestError('op.* can only be used inside upgrade() or downgrade() while tsmig runs a migration');
  }
  return executor;
}
