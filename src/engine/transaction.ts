/**
 * Handles on a connection's transaction (BEGIN ... COMMIT) and savepoints (SAVEPOINT ... RELEASE).
 * They only remember whether they are still active; the connection issues the SQL.
 */
import { InvalidRequestError } from '../errors.js';

/** How a handle asks its connection to end it. @internal */
export type FinishTransaction = (how: 'commit' | 'rollback') => Promise<void>;

/**
 * A transaction or savepoint begun with `conn.begin()` / `conn.beginNested()`. Use the callback forms
 * where possible; with a handle, `await using tx = await conn.begin()` rolls back whatever is left
 * uncommitted at the end of the block.
 *
 * @example
 * const sp = await conn.beginNested();
 * try { await conn.execute(stmt); await sp.commit(); } catch { await sp.rollback(); }
 */
export class Transaction implements AsyncDisposable {
  /** True for a savepoint. */
  readonly nested: boolean;
  #active = true;
  readonly #finish: FinishTransaction;

  /** @internal */
  constructor(nested: boolean, finish: FinishTransaction) {
    this.nested = nested;
    this.#finish = finish;
  }

  /** False once committed or rolled back, directly or by an enclosing transaction ending. */
  get isActive(): boolean {
    return this.#active;
  }

  /** COMMIT, or RELEASE SAVEPOINT for a savepoint. */
  async commit(): Promise<void> {
    if (!this.#active) {
      throw new InvalidRequestError(
        `This ${this.nested ? 'savepoint' : 'transaction'} is no longer active (already committed or rolled back)`,
      );
    }
    this.#active = false;
    await this.#finish('commit');
  }

  /** ROLLBACK, or ROLLBACK TO SAVEPOINT for a savepoint; does nothing when no longer active. */
  async rollback(): Promise<void> {
    if (!this.#active) return;
    this.#active = false;
    await this.#finish('rollback');
  }

  /** @internal an enclosing transaction ended, or the connection closed. */
  deactivate(): void {
    this.#active = false;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.rollback();
  }
}
