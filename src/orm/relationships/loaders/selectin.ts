/**
 * `lazy: 'selectin'` / `selectinload()`: after the query, one SELECT per relationship level with the
 * parents' keys in an IN list (up to 10,000 per statement), so N parents cost one statement, not N. The same
 * code serves `session.load()` (the explicit lazy load) and `immediateload()` (one parent at a time).
 *
 *   SELECT movies.* FROM movies WHERE movies.director_id IN (?, ?, ...) ORDER BY movies.id
 *   SELECT genres.*, movies_genres.movie_id FROM genres JOIN movies_genres ON genres.id = movies_genres.genre_id
 *     WHERE movies_genres.movie_id IN (...) ORDER BY genres.id
 */
import type { ColumnElement } from '../../../sql/elements/column-element.js';
import type { SelectOption } from '../../../sql/joinable.js';
import type { Select } from '../../../sql/statements/select.js';
import { keepShape } from '../../../util/keep-shape.js';
import { type InstanceState, stateOf } from '../../session/instance-state.js';
import type { Session } from '../../session/session.js';
import { setLoaded, slotOf } from '../attributes.js';
import { InstrumentedList } from '../collections.js';
import type { LoadContext } from '../load-plan.js';
import { type KeyOf, chunks, matchValues, relatedSelect, tupleKey, valueKey } from '../queries.js';
import type { RelationshipConfig } from '../relationship.js';
import { addOnce } from './joined.js';
import { identityMapOrRaise } from './lazy.js';
import type { LoaderStrategy } from './strategy.js';

/**
 * Parent keys per statement. SQLAlchemy uses 500; here one statement per level serves up to 10,000
 * parents (the "2 queries whatever N" for any realistic page of parents), and larger sets are
 * split in chunks that stay under the dialect's bind parameter limit.
 */
export const IN_CHUNK = 10_000;

function chunkSize(context: LoadContext, width: number): number {
  return Math.max(1, Math.min(IN_CHUNK, Math.floor(context.session.engine.dialect.capabilities.maxBindParams / width) - 1));
}

/** The objects a loaded relationship holds. */
export function loadedObjects(state: InstanceState, config: RelationshipConfig): object[] {
  const value = slotOf(state, config.key!)?.value;
  if (value instanceof InstrumentedList) return [...value];
  return value !== null && typeof value === 'object' ? [value] : [];
}

/**
 * The parents whose relationship must be loaded: unloaded ones, or (forced) all but those with
 * unflushed changes to it. The others' related objects are returned as `rest`.
 */
export function parentsToLoad(config: RelationshipConfig, parents: readonly InstanceState[], force: boolean): { todo: readonly InstanceState[]; rest: InstanceState[] } {
  // Usually every parent is to load: `parents` itself is the answer until one is skipped.
  let todo: InstanceState[] | null = null;
  const rest: InstanceState[] = [];
  for (let i = 0; i < parents.length; i++) {
    const parent = parents[i]!;
    const slot = slotOf(parent, config.key!);
    const skip = force ? (slot?.hasHistory ?? false) : (slot?.loaded ?? false);
    if (!skip) {
      todo?.push(parent);
      continue;
    }
    todo ??= parents.slice(0, i);
    for (const obj of loadedObjects(parent, config)) rest.push(stateOf(obj)!);
  }
  return { todo: todo ?? parents, rest };
}

/** A parent's value of a local column: the current one, else the committed one; null when missing. */
function localValue(state: InstanceState, key: string): unknown {
  const value = key in state.dict ? state.dict[key] : state.committed[key];
  return value === undefined ? null : value;
}

/** Array indexes are offered to integer keys up to this far past the end of what is filed (see #setIndex). */
const MAX_GAP = 1024;

/**
 * The size of an array indexed by the parents' integer values of `key`: one past the largest, when
 * the values are whole numbers not spread much wider than the parents; else 0 (they then fill it as
 * they come, or a Map).
 */
function integerRange(parents: readonly InstanceState[], key: string): number {
  let max = -1;
  for (let p = 0; p < parents.length; p++) {
    const value = localValue(parents[p]!, key);
    if (value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return 0;
    if (value > max) max = value;
  }
  return max < 16 * parents.length + MAX_GAP ? max + 1 : 0;
}

/**
 * Parents grouped by the key their related rows carry, and the related objects gathered for each key
 * straight into the list that becomes the parent's collection (no list per key copied afterwards).
 * Parents share a key only when the local columns are not their primary key; each then gets its own copy.
 */
export class ParentGroups {
  readonly #config: RelationshipConfig;
  readonly #localKeys: readonly string[];
  /** Key -> position: small non-negative integer keys (most keys) in an array, others in a Map. */
  readonly #byInteger: number[];
  readonly #byKey = new Map<KeyOf, number>();
  /** Per key: its parent, or the parents sharing it. */
  readonly #parents: (InstanceState | InstanceState[])[];
  readonly #lists: (object[] | undefined)[];
  /** Per key, what the IN list holds: the value of a one-column key, the tuple of a composite one. */
  readonly keys: unknown[];

  /** Groups `parents`; one without a key (a NULL local column) gets an empty collection (or null) at once. */
  constructor(config: RelationshipConfig, parents: readonly InstanceState[]) {
    this.#config = config;
    this.#localKeys = config.condition.local.map((column) => column.key);
    const single = this.#localKeys.length === 1 ? this.#localKeys[0]! : null;
    // Every list is made at its final size (at most one entry per parent), not grown entry by entry:
    // growing them was a twentieth of a selectin load's garbage.
    this.#byInteger = new Array<number>(single === null ? 0 : integerRange(parents, single));
    this.#parents = new Array<InstanceState>(parents.length);
    this.keys = new Array<unknown>(parents.length);
    let count = 0;
    // An indexed loop: a for...of step in code not yet optimized allocates its result object.
    for (let p = 0; p < parents.length; p++) {
      const state = parents[p]!;
      let key: KeyOf;
      let value: unknown;
      if (single !== null) {
        value = localValue(state, single);
        if (value === null) {
          setLoaded(state, config, config.uselist ? [] : null);
          continue;
        }
        key = valueKey(value);
      } else {
        const tuple = this.#localKeys.map((k) => localValue(state, k));
        if (tuple.includes(null)) {
          setLoaded(state, config, config.uselist ? [] : null);
          continue;
        }
        key = tupleKey(tuple);
        value = tuple;
      }
      const index = this.#indexOf(key);
      if (index === undefined) {
        this.#setIndex(key, count);
        this.#parents[count] = state;
        this.keys[count++] = value;
        continue;
      }
      const known = this.#parents[index]!;
      if (Array.isArray(known)) {
        if (!known.includes(state)) known.push(state);
      } else if (known !== state) {
        this.#parents[index] = [known, state];
      }
    }
    this.#parents.length = count;
    this.keys.length = count;
    this.#lists = new Array<object[] | undefined>(count);
  }

  #indexOf(key: KeyOf): number | undefined {
    if (typeof key === 'number' && key >= 0 && key < this.#byInteger.length) {
      const index = this.#byInteger[key];
      if (index !== undefined) return index;
    }
    return this.#byKey.size === 0 ? undefined : this.#byKey.get(key);
  }

  #setIndex(key: KeyOf, index: number): void {
    // An array with gaps stays a plain list of slots up to about MAX_GAP past its end (V8).
    if (typeof key === 'number' && Number.isInteger(key) && key >= 0 && key <= this.#byInteger.length + MAX_GAP) this.#byInteger[key] = index;
    else this.#byKey.set(key, index);
  }

  get size(): number {
    return this.#parents.length;
  }

  /**
   * The criteria matching the related rows of `keys` (a slice of {@link keys}): `c = ?`, an IN list
   * bound as one value where the dialect can (see `inList`), or per tuple.
   */
  criteria(keys: readonly unknown[]): ColumnElement<boolean> {
    const remote = this.#config.condition.remote;
    if (remote.length > 1) return matchValues(remote, keys as unknown[][]);
    return keys.length === 1 ? remote[0]!.eq(keys[0] as never) : remote[0]!.inList(keys as never[]);
  }

  /**
   * Files the objects of a related select under the parent key they carry: a many-to-many row carries
   * it in the association columns after the entity's, the others in the object's own columns. `repeats`
   * (a joined collection below repeated rows) and a many-to-one's target shared by several parents keep
   * each object once per key.
   */
  collect(objects: readonly (object | null)[], raw: readonly (readonly unknown[])[], repeats: boolean): void {
    const c = this.#config.condition;
    const remoteKeys = c.remote.map((column) => column.key);
    const width = this.#config.target.columns.length;
    const single = remoteKeys.length === 1 ? remoteKeys[0]! : null;
    // First the key of each row, counted per parent key, so each list is made at its size: an array
    // grown by push() from empty reserves room for 17 objects, most collections hold a few.
    const at = new Int32Array(objects.length).fill(-1);
    const counts = new Int32Array(this.#parents.length);
    for (let r = 0; r < objects.length; r++) {
      const obj = objects[r];
      if (obj === null || obj === undefined) continue;
      let key: KeyOf;
      if (c.direction === 'manyToMany') {
        const row = raw[r]!;
        key = single !== null ? valueKey(row[width]) : tupleKey(row.slice(width, width + remoteKeys.length));
      } else {
        const dict = stateOf(obj)!.dict;
        key = single !== null ? valueKey(dict[single]) : tupleKey(remoteKeys.map((k) => dict[k]));
      }
      const index = this.#indexOf(key);
      if (index === undefined) continue;
      at[r] = index;
      counts[index]!++;
    }
    if (repeats || c.direction === 'manyToOne') {
      this.#collectOnce(objects, at);
      return;
    }
    const filled = new Int32Array(this.#parents.length);
    for (let r = 0; r < objects.length; r++) {
      const index = at[r]!;
      if (index === -1) continue;
      // A parent key's rows all come in one chunk, so its list is made here, at its final size.
      let list = this.#lists[index];
      if (list === undefined) this.#lists[index] = list = new Array<object>(counts[index]!);
      list[filled[index]!++] = objects[r]!;
    }
  }

  /** `collect` keeping each object once per key (rows repeated by a joined collection, a shared many-to-one target). */
  #collectOnce(objects: readonly (object | null)[], at: Int32Array): void {
    const seen = new Map<object[], Set<object>>();
    for (let r = 0; r < objects.length; r++) {
      const index = at[r]!;
      if (index === -1) continue;
      let list = this.#lists[index];
      if (list === undefined) this.#lists[index] = list = [];
      addOnce(list, objects[r]!, seen);
    }
  }

  /** Hands each parent its related objects (and parents of a key with none an empty collection, or null). */
  distribute(): void {
    const config = this.#config;
    for (let i = 0; i < this.#parents.length; i++) {
      const parents = this.#parents[i]!;
      const list = this.#lists[i] ?? [];
      if (!Array.isArray(parents)) {
        setLoaded(parents, config, config.uselist ? list : (list[0] ?? null));
        continue;
      }
      // A collection's array becomes the parent's list: each parent of a shared key gets its own.
      parents.forEach((state, n) => setLoaded(state, config, config.uselist ? (n === 0 ? list : list.slice()) : (list[0] ?? null)));
    }
  }
}

// Each load's groups die with it (see util/keep-shape.ts); these group no parents.
keepShape(new ParentGroups({ condition: { local: [{ key: '' }] } } as unknown as RelationshipConfig, []));

/** Runs a related select through the session, its objects filed by parent key. */
export async function collectRelated(session: Session, groups: ParentGroups, statement: Select<any, any>): Promise<void> {
  const loaded = await session.loadSelect(statement);
  groups.collect(loaded.objects, loaded.raw, loaded.repeats);
}

/**
 * Loads `config` for `parents` with IN queries (one per 10,000 keys), passing `options` to them; a
 * many-to-one whose target the session holds needs no query. Returns the related objects that no
 * query of this call loaded, for nested options.
 */
export async function loadRelated(
  context: LoadContext,
  config: RelationshipConfig,
  parents: readonly InstanceState[],
  options: readonly SelectOption[],
  { force }: { force: boolean },
): Promise<InstanceState[]> {
  const { todo, rest } = parentsToLoad(config, parents, force);
  if (todo.length === 0) return rest;
  const session = context.session;
  let waiting = todo;
  // A many-to-one is the object its key names: one the session holds needs no query, even when forced.
  if (config.direction === 'manyToOne') {
    const unknown: InstanceState[] = [];
    waiting = unknown;
    for (const state of todo) {
      let found: unknown;
      try {
        found = identityMapOrRaise(config, state);
      } catch {
        unknown.push(state);
        continue;
      }
      setLoaded(state, config, found as object | null);
      if (found !== null) rest.push(stateOf(found as object)!);
    }
  }
  const groups = new ParentGroups(config, waiting);
  if (groups.size === 0) return rest;
  for (const chunk of chunks(groups.keys, chunkSize(context, config.condition.local.length))) {
    let statement = relatedSelect(config, groups.criteria(chunk), config.direction === 'manyToMany');
    if (config.uselist) statement = statement.orderBy(...config.loadOrder);
    await collectRelated(session, groups, statement.options(...options));
  }
  groups.distribute();
  return rest;
}

export const selectinLoader: LoaderStrategy = {
  name: 'selectin',
  eager: 'post',
  unloaded: identityMapOrRaise,
  load: (context, node, parents) => loadRelated(context, node.config, parents, context.childOptions(node), { force: false }),
};
