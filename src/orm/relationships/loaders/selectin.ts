/**
 * `lazy: 'selectin'` / `selectinload()`: after the query, one SELECT per relationship level with the
 * parents' keys in an IN list (up to 10,000 per statement), so N parents cost one statement, not N. The same
 * code serves `session.load()` (the explicit lazy load) and `immediateload()` (one parent at a time).
 *
 *   SELECT movies.* FROM movies WHERE movies.director_id IN (?, ?, ...) ORDER BY movies.id
 *   SELECT genres.*, movies_genres.movie_id FROM genres JOIN movies_genres ON genres.id = movies_genres.genre_id
 *     WHERE movies_genres.movie_id IN (...) ORDER BY genres.id
 */
import type { SelectOption } from '../../../sql/joinable.js';
import { type InstanceState, stateOf } from '../../session/instance-state.js';
import { setLoaded, slotOf } from '../attributes.js';
import { InstrumentedList } from '../collections.js';
import type { LoadContext } from '../load-plan.js';
import { type KeyOf, chunks, localValues, relatedSelect, tupleKey, valueKey } from '../queries.js';
import type { RelationshipConfig } from '../relationship.js';
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
export function parentsToLoad(config: RelationshipConfig, parents: readonly InstanceState[], force: boolean): { todo: InstanceState[]; rest: InstanceState[] } {
  const todo: InstanceState[] = [];
  const rest: InstanceState[] = [];
  for (const parent of parents) {
    const slot = slotOf(parent, config.key!);
    const skip = force ? (slot?.hasHistory ?? false) : (slot?.loaded ?? false);
    if (!skip) todo.push(parent);
    else for (const obj of loadedObjects(parent, config)) rest.push(stateOf(obj)!);
  }
  return { todo, rest };
}

/** Hands loaded objects to their parents: `groups` maps a parent key (see tupleKey) to its objects. */
export function distribute(config: RelationshipConfig, byKey: ReadonlyMap<KeyOf, InstanceState[]>, groups: ReadonlyMap<KeyOf, object[]>): void {
  for (const [key, states] of byKey) {
    const list = groups.get(key) ?? [];
    for (const state of states) setLoaded(state, config, config.uselist ? list : (list[0] ?? null));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V, unique: boolean): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!unique || !list.includes(value)) list.push(value);
}

/** The parents grouped by the key their related rows will carry; parents without one get nothing. */
export function parentKeys(config: RelationshipConfig, todo: readonly InstanceState[]): Map<KeyOf, InstanceState[]> {
  const byKey = new Map<KeyOf, InstanceState[]>();
  for (const state of todo) {
    const values = localValues(config, state);
    if (values === null) setLoaded(state, config, config.uselist ? [] : null);
    else push(byKey, tupleKey(values), state, true);
  }
  return byKey;
}

/**
 * Groups a related select's rows by the parent key they carry. Rows are distinct per parent except
 * for a many-to-one's target shared by several parents, which is kept once per key.
 */
export function groupRows(config: RelationshipConfig, rows: readonly (readonly unknown[])[], into: Map<KeyOf, object[]>): void {
  const c = config.condition;
  const unique = c.direction === 'manyToOne';
  const keys = c.remote.map((column) => column.key);
  const single = keys.length === 1 ? keys[0]! : null;
  for (const row of rows) {
    const obj = row[0] as object;
    let key: KeyOf;
    if (c.direction === 'manyToMany') key = single !== null ? valueKey(row[1]) : tupleKey(row.slice(1));
    else {
      const dict = stateOf(obj)!.dict;
      key = single !== null ? valueKey(dict[single]) : tupleKey(keys.map((k) => dict[k]));
    }
    push(into, key, obj, unique);
  }
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
    waiting = [];
    for (const state of todo) {
      let found: unknown;
      try {
        found = identityMapOrRaise(config, state);
      } catch {
        waiting.push(state);
        continue;
      }
      setLoaded(state, config, found as object | null);
      if (found !== null) rest.push(stateOf(found as object)!);
    }
  }
  const byKey = parentKeys(config, waiting);
  if (byKey.size === 0) return rest;
  const keys = [...byKey.keys()].map((key) => localValues(config, byKey.get(key)![0]!)!);
  const groups = new Map<KeyOf, object[]>();
  for (const chunk of chunks(keys, chunkSize(context, config.condition.local.length))) {
    let statement = relatedSelect(config, chunk, config.direction === 'manyToMany');
    if (config.uselist) statement = statement.orderBy(...config.loadOrder);
    const result = await session.execute(statement.options(...options));
    groupRows(config, result.all() as unknown as unknown[][], groups);
  }
  distribute(config, byKey, groups);
  return rest;
}

export const selectinLoader: LoaderStrategy = {
  name: 'selectin',
  eager: 'post',
  unloaded: identityMapOrRaise,
  load: (context, node, parents) => loadRelated(context, node.config, parents, context.childOptions(node), { force: false }),
};
