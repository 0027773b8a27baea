/**
 * Relationship attributes on instances: where their values live (a slot per relationship in the
 * instance state's `extra`), what reading an unloaded one does, and what every change does — record
 * history for the next flush, keep the other side of a `backPopulates` pair in step, and cascade new
 * objects into the owner's session.
 *
 * Back-population is idempotent rather than initiator-tracked: appending to a collection that already
 * holds the object, or setting a many-to-one to the value it has, does nothing, so the two sides stop
 * echoing each other after one round.
 */
import { ArgumentError, InvalidRequestError } from '../../errors.js';
import { func } from '../../sql/elements/functions.js';
import { keepShape } from '../../util/keep-shape.js';
import { type Select, select } from '../../sql/statements/select.js';
import type { InstanceState } from '../session/instance-state.js';
import { stateOf } from '../session/instance-state.js';
import type { Session } from '../session/session.js';
import { type CollectionListener, DynamicCollection, InstrumentedList, WriteOnlyCollection, type WriteOnlyContext } from './collections.js';
import { NotLoadedError } from './errors.js';
import type { LoaderStrategy } from './loaders/strategy.js';
import { localValues, matchValues, relatedSelect } from './queries.js';
import type { RelationshipConfig } from './relationship.js';

/** A value not known without a query (an unloaded many-to-one whose target is not in the session). */
export const UNKNOWN: unique symbol = Symbol('tsmig.unknown');

/**
 * A relationship's changes since the last flush, in a record of its own made on the first change: the
 * slots of loaded objects that are only read (most) stay smaller, with less for the garbage collector
 * to copy.
 */
class History {
  changed = false;
  committed: unknown = UNKNOWN;
  added: Set<object> | null = null;
  removed: Set<object> | null = null;
}

/**
 * One relationship's value and its changes since the last flush, for one instance. A collection's slot
 * is also its list's listener. A loaded collection keeps the loader's plain array until the value is
 * first read, and only then becomes an InstrumentedList (re-prototyped in place, not copied): objects
 * whose collections are never touched cost no list, no proxy.
 */
export class Slot implements CollectionListener {
  /** True when `value` holds the relationship's current value. */
  loaded = false;
  #value: unknown = undefined;
  /** A loaded collection's items not yet wrapped as its InstrumentedList; null once wrapped. */
  #items: object[] | null = null;
  /** A loader chosen for this instance by a query option (`raiseload`, `noload`, `lazyload`). */
  strategy: LoaderStrategy | null = null;
  /** @internal The objects a joined load is gathering for this relationship, while it reads its rows. */
  gathering: object[] | null = null;
  #history: History | null = null;

  constructor(
    readonly state: InstanceState,
    readonly config: RelationshipConfig,
  ) {}

  /** The object (or null), the InstrumentedList, or the write-only collection. */
  get value(): unknown {
    if (this.#items !== null) {
      this.#value = InstrumentedList.adopt(this.#items, this);
      this.#items = null;
    }
    return this.#value;
  }

  set value(value: unknown) {
    this.#value = value;
    this.#items = null;
  }

  /** Makes `items` the collection's loaded content; the array becomes the list when first read. */
  loadItems(items: object[]): void {
    this.#value = undefined;
    this.#items = items;
  }

  /** Scalar: set since the last flush; `committed` is the value before (or UNKNOWN). */
  get changed(): boolean {
    return this.#history !== null && this.#history.changed;
  }

  set changed(changed: boolean) {
    if (changed) this.#historyMade().changed = true;
    else if (this.#history !== null) this.#history.changed = false;
  }

  get committed(): unknown {
    return this.#history === null ? UNKNOWN : this.#history.committed;
  }

  set committed(value: unknown) {
    this.#historyMade().committed = value;
  }

  /** Collection: objects added and removed since the last flush. */
  get added(): Set<object> | null {
    return this.#history === null ? null : this.#history.added;
  }

  set added(items: Set<object> | null) {
    if (items !== null) this.#historyMade().added = items;
    else if (this.#history !== null) this.#history.added = null;
  }

  get removed(): Set<object> | null {
    return this.#history === null ? null : this.#history.removed;
  }

  set removed(items: Set<object> | null) {
    if (items !== null) this.#historyMade().removed = items;
    else if (this.#history !== null) this.#history.removed = null;
  }

  #historyMade(): History {
    return (this.#history ??= new History());
  }

  get hasHistory(): boolean {
    const history = this.#history;
    if (history === null) return false;
    return history.changed || (history.added !== null && history.added.size > 0) || (history.removed !== null && history.removed.size > 0);
  }

  clearHistory(): void {
    this.#history = null;
  }

  onAppend(item: object): void {
    appendEvent(this.state, this.config, item, true);
  }

  onRemove(item: object): void {
    removeEvent(this.state, this.config, item);
  }
}

// Slots die with the objects they belong to (see util/keep-shape.ts).
keepShape(new Slot(null as never, null as never));

/**
 * The slot of relationship `key`. An instance keeps its slots in a small array in the order first
 * used (few relationships per model): a scan of it is cheaper than a Map per loaded instance.
 */
export function slotOf(state: InstanceState, key: string): Slot | undefined {
  const slots = state.extra as Slot[] | null;
  if (slots === null) return undefined;
  for (let i = 0; i < slots.length; i++) if (slots[i]!.config.key === key) return slots[i];
  return undefined;
}

export function ensureSlot(state: InstanceState, config: RelationshipConfig): Slot {
  let slot = slotOf(state, config.key!);
  if (slot !== undefined) return slot;
  slot = new Slot(state, config);
  // A literal for the first: push() onto an empty array would reserve room for 17.
  if (state.extra === null) state.extra = [slot];
  else state.extra.push(slot);
  return slot;
}

/** Every relationship slot of an instance, by relationship key. */
export function slotsOf(state: InstanceState): Iterable<[string, Slot]> {
  return ((state.extra ?? []) as Slot[]).map((slot) => [slot.config.key!, slot]);
}

/** True when an instance holds relationship data (a slot for some relationship). */
export function hasSlots(state: InstanceState): boolean {
  return state.extra !== null && state.extra.length > 0;
}

/** Forgets what an instance holds for relationship `key` (loaded value, history, per-object loader). */
export function dropSlot(state: InstanceState, key: string): void {
  const slots = state.extra as Slot[] | null;
  const index = slots === null ? -1 : slots.findIndex((slot) => slot.config.key === key);
  if (index !== -1) slots!.splice(index, 1);
}

/** Never flushed: transient, or pending with no row yet. */
export function isNew(state: InstanceState): boolean {
  return state.key === null;
}

/** Installs the instance accessor of a relationship on a model's prototype. */
export function installAccessor(prototype: object, key: string, config: RelationshipConfig): void {
  if (Object.hasOwn(prototype, key)) return;
  Object.defineProperty(prototype, key, {
    configurable: true,
    enumerable: true,
    get(this: object) {
      const state = stateOf(this);
      return state === undefined ? undefined : read(state, config);
    },
    set(this: object, value: unknown) {
      const state = stateOf(this);
      if (state === undefined) throw new ArgumentError(`cannot set ${config.name} on an object that is not a model instance`);
      write(state, config, value);
    },
  });
}

function isWriteOnly(config: RelationshipConfig): boolean {
  const name = config.strategy.name;
  return name === 'write_only' || name === 'dynamic';
}

/**
 * A many-to-one's target found without SQL: null when the foreign key is NULL, the object when the
 * session's identity map has it, undefined when only a query could tell.
 */
export function manyToOneFromIdentity(config: RelationshipConfig, state: InstanceState): object | null | undefined {
  if (config.direction !== 'manyToOne') return undefined;
  const values: unknown[] = [];
  for (const column of config.condition.local) {
    if (!(column.key in state.dict)) return undefined;
    const value = state.dict[column.key];
    if (value === null || value === undefined) return null;
    values.push(value);
  }
  const key = config.targetKey(values);
  const session = state.owner as Session | null;
  if (key === null || session === null) return undefined;
  const found = session.identityMap.get(key);
  return found !== undefined && found.status === 'persistent' ? found.obj : undefined;
}

/** Reads a relationship attribute. */
export function read(state: InstanceState, config: RelationshipConfig): unknown {
  const slot = slotOf(state, config.key!);
  if (slot?.loaded) return slot.value;
  if (isWriteOnly(config)) return initWriteOnly(state, config);
  if (isNew(state)) {
    // A new object has nothing in the database: an empty collection, or the target its key names.
    if (config.uselist) return setLoaded(state, config, []).value;
    return manyToOneFromIdentity(config, state) ?? null;
  }
  return (slot?.strategy ?? config.strategy).unloaded(config, state);
}

/** The error for reading an unloaded relationship, naming the ways to load it. */
export function notLoaded(config: RelationshipConfig, state: InstanceState, reason = 'is not loaded'): NotLoadedError {
  const model = config.parentMapper.name;
  const variable = model.charAt(0).toLowerCase() + model.slice(1);
  const target = config.target.name;
  return new NotLoadedError(
    `${config.name} ${reason} (JavaScript cannot wait inside a property read): load it with ` +
      `\`await session.load(${variable}, '${config.key}')\`, or eagerly with ` +
      `\`select(${model}).options(selectinload(${model}.${config.key}))\` or lazy: 'selectin' on the relationship` +
      (state.owner === null ? `; the ${model} is detached, so add it to a session first` : '') +
      (config.uselist ? '' : ` (a ${target} already in the session is found without loading)`),
  );
}

/** Writes a relationship attribute as the user does: history, back-population, cascade. */
export function write(state: InstanceState, config: RelationshipConfig, value: unknown): void {
  if (!config.uselist) {
    setScalar(state, config, value ?? null, true);
    return;
  }
  if (isWriteOnly(config)) throw new ArgumentError(`${config.name} is a write-only collection; use add() and remove()`);
  if (value === null || typeof value !== 'object' || !(Symbol.iterator in value)) {
    throw new ArgumentError(`${config.name} is a collection; assign an array of ${config.target.name} objects`);
  }
  const items = [...(value as Iterable<object>)];
  items.forEach((item) => checkItem(config, item));
  const slot = ensureSlot(state, config);
  if (!slot.loaded && !isNew(state)) {
    throw notLoaded(config, state, 'must be loaded before it is replaced');
  }
  const old = slot.loaded ? [...(slot.value as InstrumentedList<object>)] : [];
  slot.value = InstrumentedList.adopt(items.slice(), slot);
  slot.loaded = true;
  const kept = new Set(items);
  const had = new Set(old);
  for (const item of old) if (!kept.has(item)) removeEvent(state, config, item);
  for (const item of items) if (!had.has(item)) appendEvent(state, config, item, true);
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'object';
}

function checkItem(config: RelationshipConfig, item: unknown): void {
  const cls = config.target.cls as unknown as abstract new () => object;
  if (typeof item !== 'object' || item === null || !(item instanceof cls) || stateOf(item) === undefined) {
    throw new ArgumentError(`${config.name} holds ${config.target.name} objects, got ${describe(item)}`);
  }
}

/**
 * Makes a loaded value current without history (what loaders and the flush use). A collection's
 * array becomes the collection itself: pass one nobody else holds.
 */
export function setLoaded(state: InstanceState, config: RelationshipConfig, value: object | null | object[]): Slot {
  const slot = ensureSlot(state, config);
  if (config.uselist) slot.loadItems(value as object[]);
  else slot.value = value;
  slot.loaded = true;
  slot.clearHistory();
  return slot;
}

/** True when the relationship of this instance holds a value (loaded, or set). */
export function isLoaded(state: InstanceState, config: RelationshipConfig): boolean {
  return slotOf(state, config.key!)?.loaded ?? false;
}

function markModified(state: InstanceState): void {
  if (state.status === 'persistent' && state.owner !== null) state.owner.modified(state);
}

/** save-update cascade: an object attached to an owner in a session joins that session. */
function cascadeSave(state: InstanceState, config: RelationshipConfig, item: object): void {
  if (!config.cascade.saveUpdate) return;
  const session = state.owner as Session | null;
  if (session === null || (state.status !== 'pending' && state.status !== 'persistent')) return;
  const itemState = stateOf(item)!;
  if (itemState.owner === null && (itemState.status === 'transient' || itemState.status === 'detached')) session.add(item);
}

/** The current value of a scalar relationship when it can be known without SQL. */
function currentScalar(state: InstanceState, config: RelationshipConfig): unknown {
  const slot = slotOf(state, config.key!);
  if (slot?.loaded) return slot.value;
  const found = manyToOneFromIdentity(config, state);
  return found === undefined ? UNKNOWN : found;
}

/** Sets a scalar relationship (many-to-one, or a one-to-one's parent side). */
export function setScalar(state: InstanceState, config: RelationshipConfig, value: unknown, direct: boolean): void {
  if (value !== null) checkItem(config, value);
  const slot = ensureSlot(state, config);
  let old = currentScalar(state, config);
  if (old === UNKNOWN && isNew(state)) old = null;
  if (old === value) {
    slot.value = value;
    slot.loaded = true;
    return;
  }
  if (!slot.changed) {
    slot.committed = old;
    slot.changed = true;
  }
  slot.value = value;
  slot.loaded = true;
  markModified(state);
  const reverse = config.reverse;
  if (reverse !== null) {
    if (old !== null && old !== UNKNOWN) {
      const oldState = stateOf(old as object)!;
      if (reverse.uselist) removeFromCollection(oldState, reverse, state.obj);
      else if (currentScalar(oldState, reverse) === state.obj) setScalar(oldState, reverse, null, false);
    }
    if (value !== null) {
      const valueState = stateOf(value as object)!;
      if (reverse.uselist) addToCollection(valueState, reverse, state.obj);
      else setScalar(valueState, reverse, state.obj, false);
    }
  }
  if (direct && value !== null) cascadeSave(state, config, value as object);
}

/** Records an object added to a collection (the list already holds it) and back-populates. */
export function appendEvent(state: InstanceState, config: RelationshipConfig, item: object, direct: boolean): void {
  checkItem(config, item);
  const slot = ensureSlot(state, config);
  if (!slot.removed?.delete(item)) (slot.added ??= new Set()).add(item);
  markModified(state);
  const reverse = config.reverse;
  if (reverse !== null) {
    const itemState = stateOf(item)!;
    if (reverse.uselist) addToCollection(itemState, reverse, state.obj);
    else setScalar(itemState, reverse, state.obj, false);
  }
  if (direct) cascadeSave(state, config, item);
}

/** Records an object removed from a collection (the list no longer holds it) and back-populates. */
export function removeEvent(state: InstanceState, config: RelationshipConfig, item: object): void {
  const slot = ensureSlot(state, config);
  if (!slot.added?.delete(item)) (slot.removed ??= new Set()).add(item);
  markModified(state);
  const reverse = config.reverse;
  if (reverse !== null) {
    const itemState = stateOf(item)!;
    if (reverse.uselist) removeFromCollection(itemState, reverse, state.obj);
    else if (currentScalar(itemState, reverse) === state.obj) setScalar(itemState, reverse, null, false);
  }
}

/**
 * Back-population into a collection: appended when the collection is loaded (or the owner is new);
 * an unloaded collection of a persistent object is left alone, the other side's change being enough
 * for the flush.
 */
function addToCollection(owner: InstanceState, config: RelationshipConfig, item: object): void {
  const slot = slotOf(owner, config.key!);
  let list: unknown = slot?.loaded ? slot.value : undefined;
  if (list === undefined) {
    if (isWriteOnly(config) || !isNew(owner)) return;
    list = setLoaded(owner, config, []).value;
  }
  if (!(list instanceof InstrumentedList) || list.includes(item)) return;
  list.appendQuietly(item);
  appendEvent(owner, config, item, false);
}

function removeFromCollection(owner: InstanceState, config: RelationshipConfig, item: object): void {
  const slot = slotOf(owner, config.key!);
  if (!slot?.loaded || !(slot.value instanceof InstrumentedList)) return;
  if (slot.value.removeQuietly(item)) removeEvent(owner, config, item);
}

/** Removes deleted objects from a loaded collection (or a scalar pointing at one) without history. */
export function purgeDeleted(state: InstanceState, config: RelationshipConfig, deleted: ReadonlySet<object>): void {
  const slot = slotOf(state, config.key!);
  if (!slot?.loaded) return;
  if (slot.value instanceof InstrumentedList) {
    for (const item of [...slot.value]) if (deleted.has(item)) slot.value.removeQuietly(item);
    slot.added?.forEach((item) => deleted.has(item) && slot.added!.delete(item));
  }
}

// ---- write-only and dynamic collections ----------------------------------------------------------

function sessionOf(state: InstanceState, config: RelationshipConfig): Session {
  const session = state.owner as Session | null;
  if (session === null) throw new InvalidRequestError(`${config.name}: the ${config.parentMapper.name} is not in a session, so its collection cannot be queried`);
  return session;
}

/** `select(Target)` of the rows related to one flushed parent. */
export function parentSelect(state: InstanceState, config: RelationshipConfig): Select<any, any> {
  const values = localValues(config, state);
  if (values === null) {
    throw new InvalidRequestError(`${config.name}: the ${config.parentMapper.name} has no key yet; flush the session before querying its collection`);
  }
  return relatedSelect(config, matchValues(config.condition.remote, [values]), false);
}

function initWriteOnly(state: InstanceState, config: RelationshipConfig): unknown {
  const slot = ensureSlot(state, config);
  const context: WriteOnlyContext<object> = {
    onAppend: (item) => slot.onAppend(item),
    onRemove: (item) => slot.onRemove(item),
    select: () => parentSelect(state, config),
    scalars: async (statement) => (await sessionOf(state, config).scalars(statement)).all() as object[],
    count: async (statement) => Number(await sessionOf(state, config).scalar(select(func.count()).selectFrom(statement.subquery()))),
  };
  slot.value = config.strategy.name === 'dynamic' ? new DynamicCollection(context) : new WriteOnlyCollection(context);
  slot.loaded = true;
  return slot.value;
}
