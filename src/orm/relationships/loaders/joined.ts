/**
 * `lazy: 'joined'` / `joinedload()`, and `containsEager()`: the relationship comes in the query itself.
 * A joined load adds `LEFT OUTER JOIN target AS anon_N ON ...` (INNER with `innerJoin`, while every
 * join above it is inner too) and the alias's columns; containsEager reads the columns of a join the
 * user wrote. Parents repeated by a joined collection come back once.
 *
 * A joined collection would change what LIMIT, OFFSET, DISTINCT or GROUP BY apply to, so such a query
 * is first wrapped as a subquery and the joins go around it, as SQLAlchemy does:
 *
 *   SELECT anon_1._c0, anon_1._c1, movies_2.* FROM (SELECT directors.id AS _c0, ... LIMIT ?) AS anon_1
 *     LEFT OUTER JOIN movies AS anon_2 ON anon_1._c0 = anon_2.director_id
 *
 * A joined many-to-one under GROUP BY instead adds its columns to the GROUP BY (one row per parent).
 */
import { ArgumentError } from '../../../errors.js';
import type { Column } from '../../../schema/column.js';
import { type ColumnElement, OrderByExpression } from '../../../sql/elements/column-element.js';
import { type FromClause, Join, type Subquery } from '../../../sql/selectable.js';
import { Select, select } from '../../../sql/statements/select.js';
import { keepShape } from '../../../util/keep-shape.js';
import { stateOf } from '../../session/instance-state.js';
import { type Slot, type SlotObjects, entitySlot, loadEntity } from '../../session/loading.js';
import type { Session } from '../../session/session.js';
import { type Slot as AttributeSlot, ensureSlot, setLoaded } from '../attributes.js';
import { type ColumnAdapter, adapterFor } from '../join-condition.js';
import type { EntityRef, LoadNode, PlanNode } from '../load-plan.js';
import type { RelationshipConfig } from '../relationship.js';
import { identityMapOrRaise } from './lazy.js';
import type { LoaderStrategy } from './strategy.js';

export const joinedLoader: LoaderStrategy = {
  name: 'joined',
  eager: 'join',
  unloaded: identityMapOrRaise,
};

/** Whose relationship a joined load fills: a selected entity, or the target of an earlier join. */
export type ParentRef = { readonly entity: number; readonly entityIndex: number } | { readonly join: number };

/** Where one entity's columns sit in a result row. */
export type EntitySlot = Extract<Slot, { entity: true }>;

interface JoinedLoad {
  readonly node: LoadNode;
  readonly parent: ParentRef;
  readonly targetFrom: FromClause;
  readonly slot: EntitySlot;
}

function hasJoinedCollection(nodes: readonly PlanNode[]): boolean {
  return nodes.some(
    ({ node, children }) => ((node.kind === 'join' || node.kind === 'containsEager') && node.config.uselist) || hasJoinedCollection(children),
  );
}

/** An ORDER BY item over the target's table, moved onto the alias the join uses. */
function adaptOrder(item: OrderByExpression, adapt: ColumnAdapter, table: FromClause): OrderByExpression {
  const element = item.element;
  if (element.kind !== 'Column' || (element as Column).table !== table) return item;
  return new OrderByExpression(adapt(element as Column), item.direction, item.nulls);
}

/** Builds the statement of a select with joined loads, then fills the relationships from its rows. */
export class JoinBuilder {
  readonly #statement: Select<any, any>;
  readonly #froms: FromClause[];
  readonly #baseItems: readonly ColumnElement[] | null;
  readonly #baseOrder: readonly OrderByExpression[] | null;
  readonly #entityAdapters: readonly ColumnAdapter[];
  readonly #entityFroms: readonly FromClause[];
  readonly #items: ColumnElement[] = [];
  readonly #orderBy: OrderByExpression[] = [];
  readonly #groupBy: ColumnElement[] = [];
  readonly #joins: JoinedLoad[] = [];
  #position: number;
  #unique = false;

  constructor(statement: Select<any, any>, entities: readonly EntityRef[], trees: readonly (readonly PlanNode[])[]) {
    this.#statement = statement;
    const s = statement.state;
    const columns = statement.selectedColumns;
    this.#position = columns.length;
    const wrap =
      trees.some(hasJoinedCollection) && (s.limit !== null || s.offset !== null || s.distinct || s.groupBy.length > 0 || s.having.length > 0);
    if (!wrap) {
      this.#froms = [...statement.froms];
      this.#baseItems = null;
      this.#baseOrder = null;
      this.#entityAdapters = entities.map((e) => adapterFor(e.from));
      this.#entityFroms = entities.map((e) => e.from);
      return;
    }
    // Entity columns get positional labels; other columns keep their names where unique, so the
    // rows still answer by the names the unwrapped select would give.
    const entityColumn = new Set<number>();
    for (const e of entities) for (let i = 0; i < e.mapper.columns.length; i++) entityColumn.add(e.start + i);
    const used = new Set<string>();
    const labels = columns.map((column, i) => {
      const natural = column.naturalName;
      const name = !entityColumn.has(i) && natural !== null && !used.has(natural) && !natural.startsWith('_c') ? natural : `_c${i}`;
      used.add(name);
      return name;
    });
    const inner = new Select({
      ...s,
      items: [...columns.map((column, i) => column.label(labels[i]!)), ...s.orderBy.map((o, i) => o.element.label(`_o${i}`))],
      options: [],
    }).subquery();
    const c = inner.c as Record<string, ColumnElement>;
    this.#froms = [inner];
    this.#baseItems = labels.map((name) => c[name]!);
    this.#baseOrder = s.orderBy.map((o, i) => new OrderByExpression(c[`_o${i}`]!, o.direction, o.nulls));
    this.#entityAdapters = entities.map((e) => {
      const keys = e.mapper.columns.map((col) => col.key);
      return (column: Column) => c[labels[e.start + keys.indexOf(column.key)]!]!;
    });
    this.#entityFroms = entities.map(() => inner as Subquery);
  }

  /** Adds one joined (or contains-eager) load; returns its index, its target's FROM object, whether it is inner. */
  add(node: LoadNode, parent: ParentRef, parentInner: boolean): { index: number; targetFrom: FromClause; inner: boolean } {
    const config = node.config;
    const target = config.target;
    let targetFrom: FromClause;
    let inner = parentInner;
    if (node.kind === 'containsEager') {
      targetFrom = node.alias ?? target.table;
      if (this.#baseItems !== null || !this.#froms.some((from) => from.contains(targetFrom))) {
        throw new ArgumentError(`containsEager(${config.name}) needs the select to join ${target.table.name} itself, e.g. .join(${config.name})`);
      }
    } else {
      const parentFrom = 'join' in parent ? this.#joins[parent.join]!.targetFrom : this.#entityFroms[parent.entityIndex]!;
      const adapter = 'join' in parent ? adapterFor(parentFrom) : this.#entityAdapters[parent.entityIndex]!;
      targetFrom = target.table.alias();
      inner = node.innerJoin && parentInner;
      const index = this.#froms.findIndex((from) => from.contains(parentFrom));
      if (index === -1) throw new ArgumentError(`joinedload(${config.name}): the select has no FROM for ${config.parentMapper.name}`);
      let joined = this.#froms[index]!;
      for (const step of config.joinSteps(adapter, targetFrom)) joined = new Join(joined, step.target, step.on, inner ? 'inner' : 'left');
      this.#froms[index] = joined;
      if (config.uselist && config.orderBy.length > 0) {
        const adapt = adapterFor(targetFrom);
        this.#orderBy.push(...config.orderBy.map((o) => adaptOrder(o, adapt, target.table)));
      }
    }
    const columns = target.columns.map(adapterFor(targetFrom));
    this.#items.push(...columns);
    if (config.uselist) this.#unique = true;
    else if (this.#baseItems === null && this.#statement.state.groupBy.length > 0) this.#groupBy.push(...columns);
    const slot = entitySlot(target, this.#position);
    this.#position += columns.length;
    this.#joins.push({ node, parent, targetFrom, slot });
    return { index: this.#joins.length - 1, targetFrom, inner };
  }

  /** Where the columns of join `index`'s target sit in the rows. */
  slotOf(index: number): EntitySlot {
    return this.#joins[index]!.slot;
  }

  /** The statement to run; `unique` when parents repeat and the ORM rows must be de-duplicated. */
  build(): { statement: Select<any, any>; names: readonly string[] | null; unique: boolean } {
    if (this.#joins.length === 0) return { statement: this.#statement, names: null, unique: false };
    const s = this.#statement.state;
    if (this.#baseItems === null) {
      const statement = new Select({
        ...s,
        items: [...s.items, ...this.#items],
        froms: this.#froms,
        orderBy: [...s.orderBy, ...this.#orderBy],
        groupBy: [...s.groupBy, ...this.#groupBy],
      });
      return { statement, names: null, unique: this.#unique };
    }
    const statement = select(...this.#baseItems, ...this.#items)
      .selectFrom(...this.#froms)
      .orderBy(...this.#baseOrder!, ...this.#orderBy);
    return { statement, names: null, unique: this.#unique };
  }

  /**
   * Loads the joined objects of every row and fills the relationships; returns them per join, per row.
   * `objects` are the select's entities by slot, row by row.
   */
  populate(session: Session, raw: readonly (readonly unknown[])[], objects: SlotObjects): (object | null)[][] {
    const out: (object | null)[][] = [];
    for (let j = 0; j < this.#joins.length; j++) {
      const join = this.#joins[j]!;
      const config = join.node.config;
      const parents = 'join' in join.parent ? out[join.parent.join]! : objects[join.parent.entity]!;
      const children: (object | null)[] = new Array(raw.length).fill(null);
      // Each parent's children gather on its relationship slot (a Map from parent to list was the
      // largest cost of this loop). A parent's rows usually follow one another: each such run of rows
      // is read at once into a list made at the run's length, not grown from empty (push() reserves
      // room for 17, and those lists were a fifth of a joined load's garbage).
      const gathered: AttributeSlot[] = [];
      const seen = new Map<object[], Set<object>>();
      const pkAt = join.slot.pk.length === 1 ? join.slot.start + join.slot.pk[0]! : -1;
      try {
        for (let r = 0; r < raw.length; ) {
          const parent = parents[r];
          if (parent === null || parent === undefined) {
            r++;
            continue;
          }
          let end = r + 1;
          while (end < raw.length && parents[end] === parent) end++;
          const run = new Array<object>(end - r);
          // A long run's children are told apart by a Set, a short one's by looking.
          const runSeen = end - r > SEARCHED ? new Set<object>() : null;
          let filled = 0;
          for (; r < end; r++) {
            const row = raw[r]!;
            // A child on consecutive rows (once per row of a nested join) is the object of the row
            // before: the same key is not looked up again.
            const child =
              pkAt !== -1 && r > 0 && children[r - 1] !== null && row[pkAt] === raw[r - 1]![pkAt]
                ? children[r - 1]!
                : loadEntity(join.slot, row, session.identityMap, session);
            children[r] = child;
            if (child === null || (runSeen === null ? holds(run, filled, child) : runSeen.has(child))) continue;
            runSeen?.add(child);
            run[filled++] = child;
          }
          // Setting an array's length is a runtime call even when it changes nothing: only when shorter.
          if (filled < run.length) run.length = filled;
          const slot = ensureSlot(stateOf(parent)!, config);
          if (slot.gathering === null) {
            slot.gathering = run;
            gathered.push(slot);
          } else {
            // The parent's rows came apart (an ORDER BY not on the parent): its runs are joined.
            for (let i = 0; i < run.length; i++) addOnce(slot.gathering, run[i]!, seen);
          }
        }
      } catch (error) {
        for (const slot of gathered) slot.gathering = null;
        throw error;
      }
      for (let g = 0; g < gathered.length; g++) {
        const slot = gathered[g]!;
        const items = slot.gathering!;
        slot.gathering = null;
        if (slot.hasHistory) continue;
        setLoaded(slot.state, config, config.uselist ? (config.orderBy.length > 0 ? items : sortByKey(items, config)) : (items[0] ?? null));
      }
      out.push(children);
    }
    return out;
  }
}

// Each select's builder dies with its load (see util/keep-shape.ts); this one joins nothing.
keepShape(new JoinBuilder(select(), [], []));

/**
 * Whether the first `filled` items of `run` hold `child`. A child repeats on consecutive rows (once
 * per row of a nested join), so the last item is looked at first.
 */
function holds(run: readonly object[], filled: number, child: object): boolean {
  if (filled === 0) return false;
  if (run[filled - 1] === child) return true;
  for (let i = 0; i < filled - 1; i++) if (run[i] === child) return true;
  return false;
}

/** Lists longer than this get a Set to find repeats in; shorter ones are searched. */
const SEARCHED = 16;

/**
 * Appends `child` unless `list` holds it already. A child repeats on consecutive rows (once per row of a
 * nested join), so the last item is looked at first; a Set per parent only for long lists (`seen`).
 */
export function addOnce(list: object[], child: object, seen: Map<object[], Set<object>>): void {
  if (list.length > 0 && list[list.length - 1] === child) return;
  if (list.length < SEARCHED) {
    if (!list.includes(child)) list.push(child);
    return;
  }
  let set = seen.get(list);
  if (set === undefined) seen.set(list, (set = new Set(list)));
  if (set.has(child)) return;
  set.add(child);
  list.push(child);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function compareByKey(keys: readonly string[], x: object, y: object): number {
  const a = stateOf(x)!.dict;
  const b = stateOf(y)!.dict;
  for (let i = 0; i < keys.length; i++) {
    const order = compare(a[keys[i]!], b[keys[i]!]);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * A joined collection in primary key order, as the other loaders' ORDER BY gives it. Rows usually
 * come in that order already, and Array.prototype.sort allocates a work array per call even then
 * (a quarter of a joined load's garbage), so a list found in order is left as it is.
 */
function sortByKey(list: object[], config: RelationshipConfig): object[] {
  const keys = config.target.primaryKeyKeys;
  if (inKeyOrder(list, keys)) return list;
  return list.sort((x, y) => compareByKey(keys, x, y));
}

/** Whether `list` is in key order; a one-column key is read once per object. */
function inKeyOrder(list: readonly object[], keys: readonly string[]): boolean {
  if (keys.length > 1) {
    for (let i = 1; i < list.length; i++) if (compareByKey(keys, list[i - 1]!, list[i]!) > 0) return false;
    return true;
  }
  const key = keys[0]!;
  let previous = list.length === 0 ? null : stateOf(list[0]!)!.dict[key];
  for (let i = 1; i < list.length; i++) {
    const value = stateOf(list[i]!)!.dict[key];
    if (compare(previous, value) > 0) return false;
    previous = value;
  }
  return true;
}
