/**
 * An insertion-ordered set of a session's objects whose membership is kept on each object's state (its
 * position in the list) instead of in a hash table: adding 10,000 new objects to a Set and filing them
 * again after their INSERT grew two hash tables entry by entry, a fifth of a MySQL flush. An object is
 * in at most one session, so one position field per kind of list is enough.
 */
import type { InstanceState } from './instance-state.js';

/** The state fields that hold an object's position in each kind of list (-1: not in it). */
export type ListField = 'pendingAt' | 'insertedAt';

export class StateList implements Iterable<InstanceState> {
  readonly #field: ListField;
  /** Members in the order added; null where one was removed. */
  #items: (InstanceState | null)[] = [];
  #size = 0;

  constructor(field: ListField) {
    this.#field = field;
  }

  get size(): number {
    return this.#size;
  }

  has(state: InstanceState): boolean {
    return state[this.#field] !== -1;
  }

  add(state: InstanceState): void {
    if (state[this.#field] !== -1) return;
    // Mostly removed: close the gaps (never while removing, so iterating and removing may go together).
    if (this.#items.length > 2 * this.#size + 16) this.#compact();
    state[this.#field] = this.#items.length;
    this.#items.push(state);
    this.#size++;
  }

  delete(state: InstanceState): void {
    const at = state[this.#field];
    if (at === -1) return;
    this.#items[at] = null;
    state[this.#field] = -1;
    // Emptied (a flush takes every pending object): start a new array rather than keep the gaps.
    if (--this.#size === 0) this.#items = [];
  }

  clear(): void {
    for (const state of this.#items) if (state !== null) state[this.#field] = -1;
    this.#items = [];
    this.#size = 0;
  }

  *[Symbol.iterator](): Iterator<InstanceState> {
    const items = this.#items;
    for (let i = 0; i < items.length; i++) {
      const state = items[i];
      if (state !== null && state !== undefined) yield state;
    }
  }

  #compact(): void {
    const items: InstanceState[] = [];
    for (const state of this.#items) {
      if (state === null) continue;
      state[this.#field] = items.length;
      items.push(state);
    }
    this.#items = items;
  }
}
