/**
 * The ORM's bookkeeping for one model instance, kept in a symbol slot so user classes stay plain:
 * the attribute values, the values as last loaded or flushed (to find what changed), the lifecycle
 * status and the session that owns it.
 */
import { keepShape } from '../../util/keep-shape.js';
import type { Mapper } from '../mapper.js';

/** SQLAlchemy's object states. */
export type InstanceStatus = 'transient' | 'pending' | 'persistent' | 'deleted' | 'detached';

/** The owner of persistent objects; the session implements it. */
export interface StateOwner {
  /** Called when an attribute of a persistent object changes, so the session can mark it dirty. */
  modified(state: InstanceState): void;
}

export const STATE: unique symbol = Symbol('tsmig.state');

/**
 * The change-tracking fields most objects never use, in a record made on first use: a loaded object
 * that is only read keeps none, so the 100,000 states of a load are smaller and the garbage collector
 * (40-50% of a load's profile) has less to copy.
 */
class Changes {
  /** The committed values once they differ from `dict`; null while they are the same object. */
  committed: Record<string, unknown> | null = null;
  modifiedKeys: Set<string> | null = null;
  expired: Set<string> | null = null;
}

export class InstanceState {
  status: InstanceStatus = 'transient';
  /** Current attribute values by key; a missing key is unloaded (or expired). */
  dict: Record<string, unknown>;
  #changes: Changes | null = null;
  #key: string | null = null;
  /** A loaded row's one-column primary key value, until its text key is first asked for. */
  #keyValue: unknown = undefined;
  owner: StateOwner | null = null;
  /** @internal The object's position in its session's list of pending objects (see `state-list.ts`); -1 when not in it. */
  pendingAt = -1;
  /** @internal Its position in the session's list of objects inserted in the open transaction; -1 when not in it. */
  insertedAt = -1;
  /** Relationship data, one entry per relationship used (see `relationships/attributes.ts`); null until one is. */
  extra: unknown[] | null = null;

  /** `dict`: the values of a loaded row (current and committed at once), or none for a new object. */
  constructor(
    readonly mapper: Mapper,
    readonly obj: object,
    dict: Record<string, unknown> = {},
  ) {
    this.dict = dict;
  }

  /**
   * Column values as last loaded or flushed, the base of change detection. It is the same object as
   * `dict` until the first change (copy on write), so loading a row builds one object, not two.
   */
  get committed(): Record<string, unknown> {
    return this.#changes?.committed ?? this.dict;
  }

  set committed(values: Record<string, unknown>) {
    if (values !== this.dict) this.#changesMade().committed = values;
    else if (this.#changes !== null) this.#changes.committed = null;
  }

  /** Keys set since the last load or flush; null when there are none. */
  get modifiedKeys(): Set<string> | null {
    return this.#changes?.modifiedKeys ?? null;
  }

  set modifiedKeys(keys: Set<string> | null) {
    if (keys !== null) this.#changesMade().modifiedKeys = keys;
    else if (this.#changes !== null) this.#changes.modifiedKeys = null;
  }

  /** Keys expired by `session.expire()`: reading one is an error until the object is refreshed. */
  get expired(): Set<string> | null {
    return this.#changes?.expired ?? null;
  }

  set expired(keys: Set<string> | null) {
    if (keys !== null) this.#changesMade().expired = keys;
    else if (this.#changes !== null) this.#changes.expired = null;
  }

  #changesMade(): Changes {
    return (this.#changes ??= new Changes());
  }

  /** The identity key once the row exists (see `Mapper.identityKey`). */
  get key(): string | null {
    if (this.#key === null && this.#keyValue !== undefined) {
      this.#key = this.mapper.identityKeyOne(this.#keyValue);
      this.#keyValue = undefined;
    }
    return this.#key;
  }

  set key(key: string | null) {
    this.#key = key;
    this.#keyValue = undefined;
  }

  /**
   * @internal The key of a row known by its one-column primary key value (loaded, or just inserted).
   * The text key is made when first read: loading 100,000 rows spent a sixth of the ORM's time writing
   * keys nothing read.
   */
  setLoadedKey(value: unknown): void {
    this.#key = null;
    this.#keyValue = value;
  }

  /** Sets an attribute as the user does: recorded as a change. */
  set(key: string, value: unknown): void {
    const changes = this.#changesMade();
    changes.committed ??= { ...this.dict };
    this.dict[key] = value;
    (changes.modifiedKeys ??= new Set()).add(key);
    changes.expired?.delete(key);
    if (this.owner !== null && this.status === 'persistent') this.owner.modified(this);
  }

  /** Takes a freshly loaded row's values: current and committed at once, no change recorded. */
  loadFresh(values: Record<string, unknown>): void {
    this.dict = values;
    if (this.#changes !== null) this.#changes.committed = null;
  }

  /**
   * Refreshes from a row (every column of the model): overwrites everything except attributes
   * changed and not yet flushed.
   */
  load(values: Record<string, unknown>): void {
    if (this.modifiedKeys === null || this.modifiedKeys.size === 0) {
      // Nothing to keep: the row's values become current and committed at once, as for a fresh load.
      this.dict = values;
      this.#changes = null;
      return;
    }
    const changes = this.#changes!;
    const committed = (changes.committed ??= { ...this.dict });
    for (const key in values) {
      committed[key] = values[key];
      if (changes.modifiedKeys!.has(key)) continue;
      this.dict[key] = values[key];
    }
    changes.expired = null;
  }

  /** After a flush wrote them: the current values become the committed ones. */
  markFlushed(): void {
    const changes = this.#changes;
    if (changes === null) return;
    changes.committed = null;
    changes.modifiedKeys = null;
  }

  /** Forgets unflushed changes: back to the values as last loaded or flushed. */
  revert(): void {
    const changes = this.#changes;
    if (changes === null) return;
    if (changes.committed !== null) this.dict = changes.committed;
    changes.committed = null;
    changes.modifiedKeys = null;
  }

  /** Changed column keys with their new values (a value set back to what it was is no change). */
  changes(columnKeys: ReadonlySet<string>): Record<string, unknown> | null {
    const modifiedKeys = this.modifiedKeys;
    if (modifiedKeys === null) return null;
    const committed = this.committed;
    let changes: Record<string, unknown> | null = null;
    for (const key of modifiedKeys) {
      if (!columnKeys.has(key)) continue;
      const value = this.dict[key];
      if (key in committed && sameValue(committed[key], value)) continue;
      (changes ??= {})[key] = value;
    }
    return changes;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

/** The state of a mapped instance. */
export function stateOf(obj: object): InstanceState | undefined {
  return (obj as { [STATE]?: InstanceState })[STATE];
}

/** Attaches a state to a new instance (a plain symbol property: cheaper than defineProperty per row). */
export function attachState(obj: object, state: InstanceState): void {
  (obj as { [STATE]?: InstanceState })[STATE] = state;
}

// Loaded objects die with their session's results (see util/keep-shape.ts).
keepShape(new InstanceState(null as never, {}));
