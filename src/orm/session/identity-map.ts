/**
 * The identity map: within a session, one row is one object. Objects are filed by table and by their
 * primary key (see `identity-key.ts`); the text identity keys of `Mapper.identityKey()` work too.
 */
import { keepShape } from '../../util/keep-shape.js';
import { splitIdentityKey } from './identity-key.js';
import type { InstanceState } from './instance-state.js';

/**
 * How far past the end of a table's array an integer key may land and still be filed in it: V8 keeps
 * an array with gaps up to this size as a plain list of slots (beyond, it turns it into a hash table).
 */
const MAX_GAP = 1024;

/**
 * One table's objects. Integer keys counted up from a small number (most tables' generated keys) index
 * an array; other keys go in a Map. Growing a Map to 10,000 or 100,000 entries rehashed it again and
 * again and cost more than the flush or the load around it (1 µs an object on a busy machine, against
 * a few ns for an array).
 */
export class TableObjects {
  readonly byIndex: (InstanceState | undefined)[] = [];
  readonly byKey = new Map<unknown, InstanceState>();
  /** How many objects are filed. */
  count = 0;

  /** True when `inner` belongs in the array: a whole number within reach of its end. */
  indexes(inner: unknown): inner is number {
    return typeof inner === 'number' && Number.isInteger(inner) && inner >= 0 && inner <= this.byIndex.length + MAX_GAP;
  }

  get(inner: unknown): InstanceState | undefined {
    if (typeof inner === 'number' && inner >= 0 && inner < this.byIndex.length) {
      const state = this.byIndex[inner];
      if (state !== undefined) return state;
    }
    return this.byKey.size === 0 ? undefined : this.byKey.get(inner);
  }

  /** Files `state`, in place of any object filed under the same key. */
  set(inner: unknown, state: InstanceState): void {
    // A key filed in the Map while it was out of the array's reach stays there.
    if (this.indexes(inner) && (this.byKey.size === 0 || !this.byKey.has(inner))) {
      if (this.byIndex[inner] === undefined) this.count++;
      this.byIndex[inner] = state;
      return;
    }
    const size = this.byKey.size;
    this.byKey.set(inner, state);
    this.count += this.byKey.size - size;
  }

  /** Unfiles `state` if it is the object filed under `inner`. */
  delete(inner: unknown, state: InstanceState): void {
    if (typeof inner === 'number' && inner >= 0 && inner < this.byIndex.length && this.byIndex[inner] === state) {
      this.byIndex[inner] = undefined;
      this.count--;
      return;
    }
    if (this.byKey.get(inner) !== state) return;
    this.byKey.delete(inner);
    this.count--;
  }

  /** Writes every object into `out` from position `at`; returns the position after the last. */
  collect(out: InstanceState[], at: number): number {
    const byIndex = this.byIndex;
    for (let i = 0; i < byIndex.length; i++) {
      const state = byIndex[i];
      if (state !== undefined) out[at++] = state;
    }
    if (this.byKey.size > 0) for (const state of this.byKey.values()) out[at++] = state;
    return at;
  }
}

export class IdentityMap {
  readonly #tables = new Map<number, TableObjects>();

  /** The object for a text identity key. */
  get(key: string): InstanceState | undefined {
    const [table, inner] = splitIdentityKey(key);
    return this.#tables.get(table)?.get(inner);
  }

  /**
   * @internal The objects of one table, by table number (see `Mapper.tableNumber`), for filing and
   * finding many: a load looks its table up once, not twice per row.
   */
  tableObjects(table: number): TableObjects {
    let objects = this.#tables.get(table);
    if (objects === undefined) this.#tables.set(table, (objects = new TableObjects()));
    return objects;
  }

  /** Files an object under its `key`. */
  add(state: InstanceState): void {
    const [table, inner] = splitIdentityKey(state.key!);
    this.addIn(table, inner, state);
  }

  /** @internal Files an object whose `key` is set under its table number and inner key. */
  addIn(table: number, inner: unknown, state: InstanceState): void {
    this.tableObjects(table).set(inner, state);
  }

  remove(state: InstanceState): void {
    if (state.key === null) return;
    const [table, inner] = splitIdentityKey(state.key);
    this.#tables.get(table)?.delete(inner, state);
  }

  get size(): number {
    let size = 0;
    for (const objects of this.#tables.values()) size += objects.count;
    return size;
  }

  /**
   * Every object: per table, integer keys in ascending order, then the others as they were filed. A
   * list made at once, not a generator: the generators' step objects were a tenth of the garbage of a
   * relationship load (closing its session walks 6,000 objects).
   */
  values(): InstanceState[] {
    const out = new Array<InstanceState>(this.size);
    let at = 0;
    for (const objects of this.#tables.values()) at = objects.collect(out, at);
    out.length = at;
    return out;
  }

  clear(): void {
    this.#tables.clear();
  }
}

// A session's identity map lives as long as the session (see util/keep-shape.ts).
keepShape(new TableObjects());
keepShape(new IdentityMap());
