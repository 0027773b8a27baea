/**
 * The identity map: within a session, one row is one object. Keys are the mappers' identity keys
 * (table and primary key values).
 */
import type { InstanceState } from './instance-state.js';

export class IdentityMap {
  readonly #states = new Map<string, InstanceState>();

  get(key: string): InstanceState | undefined {
    return this.#states.get(key);
  }

  add(state: InstanceState): void {
    this.#states.set(state.key!, state);
  }

  remove(state: InstanceState): void {
    if (state.key !== null && this.#states.get(state.key) === state) this.#states.delete(state.key);
  }

  get size(): number {
    return this.#states.size;
  }

  values(): IterableIterator<InstanceState> {
    return this.#states.values();
  }

  clear(): void {
    this.#states.clear();
  }
}
