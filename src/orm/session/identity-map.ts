/**
 * The identity map: within a session, one row is one object. Objects are filed by table and by their
 * primary key (see `identity-key.ts`); the text identity keys of `Mapper.identityKey()` work too.
 */
import { splitIdentityKey } from './identity-key.js';
import type { InstanceState } from './instance-state.js';

export class IdentityMap {
  readonly #tables = new Map<number, Map<unknown, InstanceState>>();
  #size = 0;

  /** The object for a text identity key. */
  get(key: string): InstanceState | undefined {
    const [table, inner] = splitIdentityKey(key);
    return this.#tables.get(table)?.get(inner);
  }

  /** @internal The object for a table number and inner key (the loading fast path). */
  getIn(table: number, inner: unknown): InstanceState | undefined {
    return this.#tables.get(table)?.get(inner);
  }

  /** Files an object under its `key`. */
  add(state: InstanceState): void {
    const [table, inner] = splitIdentityKey(state.key!);
    this.addIn(table, inner, state);
  }

  /** @internal Files an object whose `key` is set under its table number and inner key. */
  addIn(table: number, inner: unknown, state: InstanceState): void {
    let states = this.#tables.get(table);
    if (states === undefined) this.#tables.set(table, (states = new Map()));
    const size = states.size;
    states.set(inner, state);
    this.#size += states.size - size;
  }

  remove(state: InstanceState): void {
    if (state.key === null) return;
    const [table, inner] = splitIdentityKey(state.key);
    const states = this.#tables.get(table);
    if (states?.get(inner) === state) {
      states.delete(inner);
      this.#size--;
    }
  }

  get size(): number {
    return this.#size;
  }

  values(): IterableIterator<InstanceState> {
    // One table (the common case) iterates its map directly, without a generator in between.
    if (this.#tables.size === 1) return this.#tables.values().next().value!.values();
    return this.#allValues();
  }

  *#allValues(): IterableIterator<InstanceState> {
    for (const states of this.#tables.values()) yield* states.values();
  }

  clear(): void {
    this.#tables.clear();
    this.#size = 0;
  }
}
