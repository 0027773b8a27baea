/**
 * Runs a migration's operations strictly one after another, in the order they were called, whether or
 * not the revision file awaits them. Every `op.*` call appends its work to a queue kept per executor
 * (that is, per running migration) and returns a promise of that work:
 *
 * - `await op.addColumn(...)` behaves as expected: the promise settles when the statement has run.
 * - A forgotten `await` is harmless: the next `op.*` call waits for the previous one, and if that
 *   one fails, the calls queued behind it fail with the same error instead of running.
 * - The runtime calls {@link settleOperations} after `upgrade()` / `downgrade()` returns (or throws) and
 *   before it commits or rolls back: it waits for whatever is still queued and throws the first
 *   failure that nobody awaited, so a failed un-awaited operation still fails the migration.
 *
 * A failure the migration awaited and caught (`try { await op.dropIndex(...) } catch {}`) is its own
 * business: it neither fails the migration nor blocks the operations called after it. Operations called
 * while another one runs its caller's code (inside a `batchAlterTable` callback) run at once, as part of it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MigrationExecutor } from './migration-executor.js';

const noop = (): void => undefined;

/** A promise that notes when its caller starts waiting on it (await, then, catch). */
class OperationPromise<T> extends Promise<T> {
  /** Derived promises (`.then()` results) are plain ones. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  observed = false;

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.observed = true;
    return super.then(onfulfilled, onrejected);
  }
}

/**
 * The operation running its caller's code now, in this async context: calls made inside it run at once.
 * Only such operations are run in it: once used, the storage keeps Node's async hooks on every promise of
 * the process, and the others call no code that could call `op`.
 */
const running = new AsyncLocalStorage<OperationQueue>();

class OperationQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  readonly #failures: { readonly error: unknown; readonly promise: OperationPromise<unknown> }[] = [];

  enqueue<T>(work: () => Promise<T>, callsBack: boolean): Promise<T> {
    if (running.getStore() === this) return work();
    // Only a call made while earlier ones are still pending depends on them; once the queue is idle,
    // an earlier failure (awaited, and so already seen by the migration) no longer matters.
    const previous = this.#pending > 0 ? this.#tail : Promise.resolve();
    this.#pending += 1;
    const run = previous.then(callsBack ? () => running.run(this, work) : work);
    this.#tail = run;
    const promise = new OperationPromise<T>((resolve, reject) => {
      run.then(resolve, reject);
    });
    run.then(
      () => {
        this.#pending -= 1;
      },
      (error: unknown) => {
        this.#pending -= 1;
        this.#failures.push({ error, promise: promise as OperationPromise<unknown> });
      },
    );
    // Nobody may be waiting on it: keep Node from reporting the rejection (the queue reports it).
    Promise.prototype.then.call(promise, undefined, noop);
    return promise;
  }

  async settle(): Promise<void> {
    while (this.#pending > 0) await this.#tail.then(noop, noop);
    const unseen = this.#failures.find((f) => !f.promise.observed);
    this.#failures.length = 0;
    if (unseen !== undefined) throw unseen.error;
  }
}

const queues = new WeakMap<MigrationExecutor, OperationQueue>();

function queueOf(executor: MigrationExecutor): OperationQueue {
  let queue = queues.get(executor);
  if (queue === undefined) queues.set(executor, (queue = new OperationQueue()));
  return queue;
}

/**
 * Appends `work` to the executor's queue; the result settles when it has run. `callsBack`: `work` runs
 * code of the migration (a `batchAlterTable` callback), whose `op` calls are part of it. @internal for `op`.
 */
export function enqueueOperation<T>(executor: MigrationExecutor, work: () => Promise<T>, callsBack = false): Promise<T> {
  return queueOf(executor).enqueue(work, callsBack);
}

/**
 * Waits until every operation the migration called has finished, then throws the first failure that
 * the migration did not await. The runtime calls it after `upgrade()` / `downgrade()` settles and before
 * it commits or rolls back (after a failure too, so nothing runs after the rollback).
 *
 * @example
 * await settleOperations(executor); // after module.upgrade() settled (runMigrationWork does both)
 */
export function settleOperations(executor: MigrationExecutor): Promise<void> {
  return queues.get(executor)?.settle() ?? Promise.resolve();
}
