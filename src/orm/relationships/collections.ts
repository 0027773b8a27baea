/**
 * The values of collection relationships. {@link InstrumentedList} is an Array that reports every
 * element it gains or loses, so the session can back-populate the other side and write foreign keys
 * and association rows at flush. {@link WriteOnlyCollection} (`lazy: 'write_only'`) never loads: it
 * records additions and removals and builds a select of its rows; {@link DynamicCollection}
 * (`lazy: 'dynamic'`) adds query methods that run through the owner's session.
 */
import { ArgumentError } from '../../errors.js';
import { keepShape } from '../../util/keep-shape.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { OrderByItem, Select } from '../../sql/statements/select.js';

/** Who hears about a collection's changes: the relationship attribute of the owning object. */
export interface CollectionListener {
  onAppend(item: object): void;
  onRemove(item: object): void;
}

/**
 * Per list, two symbol properties of the array behind the proxy: who hears about its changes, and the
 * array itself (methods run with the proxy as `this`, and mutators work on the array directly). Two
 * properties share one property store, where a record holding both was one more object per list.
 */
const LISTENER: unique symbol = Symbol('tsmig.collectionListener');
const RAW: unique symbol = Symbol('tsmig.collectionArray');

/** Indexes of an Array written as property keys. */
function arrayIndex(key: string | symbol): number | null {
  if (typeof key !== 'string') return null;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key ? n : null;
}

/**
 * Reports `list[i] = x`, `delete list[i]` and `list.length = n`, which no Array method sees. Only
 * `set` and `deleteProperty` are trapped, so reading and iterating stay close to a plain array's speed.
 */
const TRAPS: ProxyHandler<InstrumentedList<object>> = {
  set(target, key, value, _receiver) {
    const index = arrayIndex(key);
    const listener = target[LISTENER];
    if (index !== null) {
      const had = index < target.length;
      const old = target[index];
      Reflect.set(target, key, value);
      if (old === value && had) return true;
      if (had && old !== undefined) listener.onRemove(old);
      listener.onAppend(value as object);
      return true;
    }
    if (key === 'length') {
      const cut = target.slice(Number(value));
      Reflect.set(target, key, value);
      for (const item of cut) listener.onRemove(item);
      return true;
    }
    return Reflect.set(target, key, value);
  },
  deleteProperty(target, key) {
    const index = arrayIndex(key);
    if (index !== null && index < target.length) {
      const old = target[index];
      Reflect.deleteProperty(target, key);
      if (old !== undefined) target[LISTENER].onRemove(old);
      return true;
    }
    return Reflect.deleteProperty(target, key);
  },
};

/**
 * The list a one-to-many or many-to-many relationship holds: an Array, so `push`, `splice`, `filter`,
 * `for...of`, `includes` and indexing work as usual, plus `remove(item)`. Every element added or
 * removed (by any method, by index assignment or by shortening `length`) is reported to the session:
 * `director.movies.push(movie)` sets `movie.director`, and the next flush writes the foreign key.
 * Methods that return new arrays (`map`, `filter`, `slice`) return plain arrays.
 *
 * @example
 * class Director extends Base.model('directors', { ... }) {
 *   declare movies: InstrumentedList<Movie>;       // or Movie[] when remove() is not needed
 *   static movies = relationship(() => Movie, { backPopulates: 'director' });
 * }
 * director.movies.push(movie);
 * director.movies.remove(movie);
 */
export class InstrumentedList<T extends object> extends Array<T> {
  declare [LISTENER]: CollectionListener;
  declare [RAW]: InstrumentedList<T>;

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /**
   * @internal The list over `items` reporting to `listener`, wrapped in the proxy that sees index
   * writes. `items` itself becomes the list: pass an array nobody else holds.
   */
  static adopt<T extends object>(items: T[], listener: CollectionListener): InstrumentedList<T> {
    // Re-prototyping the array is several times cheaper than constructing the subclass, and plain
    // symbol properties several times cheaper than non-enumerable ones (defineProperty on an array): a
    // load of 6,000 lists spent a third of its time here. Symbols stay out of JSON, keys and deep
    // equality; printing is kept plain below.
    const list = items as InstrumentedList<T>;
    Object.setPrototypeOf(list, InstrumentedList.prototype);
    list[LISTENER] = listener;
    list[RAW] = list;
    return new Proxy(list, TRAPS as unknown as ProxyHandler<InstrumentedList<T>>);
  }

  /** console.log() and util.inspect() print the items only, as for a plain array. */
  [Symbol.for('nodejs.util.inspect.custom')](depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    return depth < 0 ? '[InstrumentedList]' : inspect(Array.from(this[RAW]), { ...options, depth: (options as { depth?: number }).depth === null ? null : depth });
  }

  /** Iterates the array behind the proxy: the same items, without a proxy lookup per step (`for...of`, spreading). */
  override [Symbol.iterator](): ReturnType<T[][typeof Symbol.iterator]> {
    return Array.prototype.values.call(this[RAW]) as ReturnType<T[][typeof Symbol.iterator]>;
  }

  /** Removes the first occurrence of `item`; returns false when it is not in the list. */
  remove(item: T): boolean {
    const raw = this[RAW];
    const listener = this[LISTENER];
    const index = raw.indexOf(item);
    if (index === -1) return false;
    Array.prototype.splice.call(raw, index, 1);
    listener.onRemove(item);
    return true;
  }

  override push(...items: T[]): number {
    const raw = this[RAW];
    const listener = this[LISTENER];
    const length = Array.prototype.push.apply(raw, items);
    for (const item of items) listener.onAppend(item);
    return length;
  }

  override unshift(...items: T[]): number {
    const raw = this[RAW];
    const listener = this[LISTENER];
    const length = Array.prototype.unshift.apply(raw, items);
    for (const item of items) listener.onAppend(item);
    return length;
  }

  override pop(): T | undefined {
    const raw = this[RAW];
    const listener = this[LISTENER];
    if (raw.length === 0) return undefined;
    const item = Array.prototype.pop.call(raw) as T;
    listener.onRemove(item);
    return item;
  }

  override shift(): T | undefined {
    const raw = this[RAW];
    const listener = this[LISTENER];
    if (raw.length === 0) return undefined;
    const item = Array.prototype.shift.call(raw) as T;
    listener.onRemove(item);
    return item;
  }

  override splice(start: number, deleteCount?: number, ...items: T[]): T[] {
    const raw = this[RAW];
    const listener = this[LISTENER];
    const removed = (
      deleteCount === undefined
        ? (Array.prototype.splice as (start: number) => T[]).call(raw, start)
        : (Array.prototype.splice as (start: number, count: number, ...items: T[]) => T[]).call(raw, start, deleteCount, ...items)
    ) as T[];
    for (const item of removed) listener.onRemove(item);
    for (const item of items) listener.onAppend(item);
    return removed;
  }

  override fill(value: T, start?: number, end?: number): this {
    const raw = this[RAW];
    const from = start === undefined ? 0 : start < 0 ? Math.max(raw.length + start, 0) : Math.min(start, raw.length);
    const to = end === undefined ? raw.length : end < 0 ? Math.max(raw.length + end, 0) : Math.min(end, raw.length);
    for (let i = from; i < to; i++) this[i] = value;
    return this;
  }

  override copyWithin(target: number, start: number, end?: number): this {
    const copy = Array.from(this[RAW]);
    copy.copyWithin(target, start, end);
    copy.forEach((item, i) => {
      if (this[i] !== item) this[i] = item;
    });
    return this;
  }

  // Reordering changes no membership: done on the raw array, so no element is reported as removed and re-added.
  override sort(compare?: (a: T, b: T) => number): this {
    Array.prototype.sort.call(this[RAW], compare);
    return this;
  }

  override reverse(): T[] {
    Array.prototype.reverse.call(this[RAW]);
    return this;
  }

  /** @internal appends without reporting (loading, back-population that already recorded the change). */
  appendQuietly(item: T): void {
    Array.prototype.push.call(this[RAW], item);
  }

  /** @internal removes without reporting; returns false when absent. */
  removeQuietly(item: T): boolean {
    const raw = this[RAW];
    const index = raw.indexOf(item);
    if (index === -1) return false;
    Array.prototype.splice.call(raw, index, 1);
    return true;
  }
}

// Lists die with the objects holding them (see util/keep-shape.ts). A list's hidden class follows the
// kind of array it adopted (with holes or not, holding objects or nothing yet), and changes when one
// that held nothing gains an object.
const NO_LISTENER: CollectionListener = { onAppend: () => undefined, onRemove: () => undefined };
for (const items of [[], [{}], new Array<object>(1), new Array<object>(1).fill({})]) InstrumentedList.adopt(keepShape(items), NO_LISTENER);
for (const items of [[], new Array<object>(1)]) InstrumentedList.adopt(keepShape(items), NO_LISTENER).push({});

/** What write-only and dynamic collections need from their attribute. */
export interface WriteOnlyContext<T extends object> extends CollectionListener {
  /** `select(Target).where(<rows of this parent>)`; throws while the parent has no primary key. */
  select(): Select<[T]>;
  /** Runs a select through the owning object's session. */
  scalars(statement: Select<[T]>): Promise<T[]>;
  /** `count(*)` of a select through the owning object's session. */
  count(statement: Select<[T]>): Promise<number>;
}

/**
 * A collection that is never loaded (`lazy: 'write_only'`): `add` and `remove` record changes that the
 * next flush writes (foreign keys, association rows), and `select()` gives a statement for its rows to
 * run yourself, so a large collection is only ever read in the slices you ask for.
 *
 * @example
 * class User extends Base.model('users', { ... }) {
 *   declare posts: WriteOnlyCollection<BlogPost>;
 *   static posts = relationship(() => BlogPost, { backPopulates: 'author', lazy: 'write_only' });
 * }
 * user.posts.add(new BlogPost({ headline: 'Hello' }));
 * const recent = (await session.scalars(user.posts.select().orderBy(BlogPost.c.id.desc()).limit(10))).all();
 */
export class WriteOnlyCollection<T extends object> {
  readonly #context: WriteOnlyContext<T>;

  /** @internal */
  constructor(context: WriteOnlyContext<T>) {
    this.#context = context;
  }

  /** @internal */
  protected get context(): WriteOnlyContext<T> {
    return this.#context;
  }

  /** Adds an object: its foreign key (or association row) is written at the next flush. */
  add(item: T): void {
    if (typeof item !== 'object' || item === null) throw new ArgumentError('add() needs a model instance');
    this.#context.onAppend(item);
  }

  addAll(items: Iterable<T>): void {
    for (const item of items) this.add(item);
  }

  /** Removes an object: its foreign key is set to NULL (or the row deleted, with delete-orphan). */
  remove(item: T): void {
    this.#context.onRemove(item);
  }

  /** A select of the collection's rows (only those already flushed). */
  select(): Select<[T]> {
    return this.#context.select();
  }
}

/**
 * SQLAlchemy's `lazy='dynamic'`: a write-only collection that also queries itself through its owner's
 * session. Criteria and ordering return a new query; `all()`, `first()`, `count()` run it (after an
 * autoflush, so pending additions are included).
 *
 * @example
 * const posts = await wendy.posts.where(BlogPost.keywords.any({ keyword: 'firstpost' })).all();
 */
export class DynamicCollection<T extends object> extends WriteOnlyCollection<T> {
  readonly #statement: Select<[T]> | null;

  /** @internal */
  constructor(context: WriteOnlyContext<T>, statement: Select<[T]> | null = null) {
    super(context);
    this.#statement = statement;
  }

  override select(): Select<[T]> {
    return this.#statement ?? super.select();
  }

  /** The collection narrowed by criteria (joined with AND). */
  where(...criteria: ColumnElement<boolean>[]): DynamicCollection<T> {
    return new DynamicCollection(this.context, this.select().where(...criteria));
  }
  /** Synonym of {@link where}. */
  filter(...criteria: ColumnElement<boolean>[]): DynamicCollection<T> {
    return this.where(...criteria);
  }
  orderBy(...items: OrderByItem[]): DynamicCollection<T> {
    return new DynamicCollection(this.context, this.select().orderBy(...items));
  }
  limit(count: number | null): DynamicCollection<T> {
    return new DynamicCollection(this.context, this.select().limit(count));
  }
  offset(count: number | null): DynamicCollection<T> {
    return new DynamicCollection(this.context, this.select().offset(count));
  }

  /** Every object of the (narrowed) collection. */
  all(): Promise<T[]> {
    return this.context.scalars(this.select());
  }
  /** The first object, or null. */
  async first(): Promise<T | null> {
    return (await this.context.scalars(this.select().limit(1)))[0] ?? null;
  }
  /** The number of objects. */
  count(): Promise<number> {
    return this.context.count(this.select());
  }
}
