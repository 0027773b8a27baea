/**
 * SELECT, built generatively as in SQLAlchemy 2.0: every method returns a new statement, so a select
 * can be stored, extended and reused. The row type follows from the selected columns.
 */
import { ArgumentError } from '../../errors.js';
import { BooleanType, IntegerType } from '../../types/generic.js';
import { type Criterion, and_ } from '../elements/conjunctions.js';
import { BindParameter, ColumnElement, Label, OrderByExpression } from '../elements/column-element.js';
import { ClauseElement, collectFroms } from '../elements/element.js';
import { ENTITY, type EntityLike, isEntity } from '../entity.js';
import { type Joinable, type SelectOption, JOINABLE, isJoinable } from '../joinable.js';
import type { Row, RowShape, Simplify, UnionToIntersection } from '../row.js';
import { Exists, FromClause, Join, ScalarSubquery, Subquery, type SubqueryTarget } from '../selectable.js';

/**
 * What `select()` accepts: column expressions, whole FROM objects (tables, aliases, subqueries) and ORM
 * entities (model classes).
 */
export type SelectItem = ColumnElement<any, any> | FromClause<any> | EntityLike<any>;

type ItemValue<I> = I extends ColumnElement<infer T, any> ? T : I extends EntityLike<infer E> ? E : never;

/**
 * The positional part of a row: exact when every item is a column or an entity (one instance per
 * entity), open when a table is expanded into its columns.
 */
export type TupleOf<I extends readonly SelectItem[]> = I[number] extends ColumnElement<any, any> | EntityLike<any>
  ? { -readonly [K in keyof I]: ItemValue<I[K]> }
  : unknown[];

/** The named part of a row: every column with a natural name, every column of a selected table. */
export type NamedOf<I extends readonly SelectItem[]> = Simplify<
  UnionToIntersection<
    {
      [K in keyof I]: I[K] extends FromClause<infer R>
        ? R
        : I[K] extends ColumnElement<infer T, infer N>
          ? string extends N
            ? {}
            : { [P in N]: T }
          : {};
    }[number]
  >
>;

/** A sort key: an expression (ascending) or `expr.desc()` / `.asc().nullsLast()`. */
export type OrderByItem = ColumnElement | OrderByExpression;

/** A LIMIT or OFFSET count, bound as a parameter. */
function countParam(name: 'limit' | 'offset', value: number | null): BindParameter<number> | null {
  if (value === null) return null;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ArgumentError(`${name}() needs a non-negative integer, got ${String(value)}`);
  }
  return new BindParameter(`param`, value, new IntegerType());
}

/** The columns one SELECT item stands for. */
export function expandItem(item: SelectItem): readonly ColumnElement[] {
  if (item instanceof ColumnElement) return [item];
  if (item instanceof FromClause) return item.selectColumns;
  const info = item[ENTITY];
  return info.columns ?? info.from.selectColumns;
}

/** The parts of a select; private to the statement classes and the compilers. */
export interface SelectState {
  readonly items: readonly SelectItem[];
  readonly froms: readonly FromClause[];
  readonly where: readonly Criterion[];
  readonly groupBy: readonly ColumnElement[];
  readonly having: readonly Criterion[];
  readonly orderBy: readonly OrderByExpression[];
  readonly limit: BindParameter<number> | null;
  readonly offset: BindParameter<number> | null;
  readonly distinct: boolean;
  /** Options for the layer that runs the select (ORM loader options); Core ignores them. */
  readonly options: readonly SelectOption[];
  /** FROM objects never correlated with an enclosing query (see `correlateExcept`). */
  readonly correlateExcept: readonly FromClause[];
}

/**
 * What `join()` accepts as its target: a FROM object, an ORM entity (its table or alias), or something
 * that joins itself (an ORM relationship, `join(Movie.director)`).
 */
export type JoinTarget = FromClause | EntityLike<any> | Joinable;

const EMPTY: SelectState = {
  items: [],
  froms: [],
  where: [],
  groupBy: [],
  having: [],
  orderBy: [],
  limit: null,
  offset: null,
  distinct: false,
  options: [],
  correlateExcept: [],
};

/** @internal normalises an ORDER BY argument. */
export function toOrderBy(item: OrderByItem): OrderByExpression {
  return item instanceof OrderByExpression ? item : new OrderByExpression(item, null, null);
}

/**
 * A SELECT statement.
 *
 * @example
 * select(movies.c.title).where(movies.c.rating.gt(8)).orderBy(movies.c.title)
 * // SELECT movies.title FROM movies WHERE movies.rating > :rating_1 ORDER BY movies.title
 */
export class Select<Tuple extends readonly unknown[] = unknown[], Named extends RowShape = RowShape>
  extends ClauseElement
  implements SubqueryTarget
{
  readonly kind = 'Select';
  /** @internal phantom carrier of the row type. */
  declare readonly __row: Row<Tuple, Named>;

  constructor(readonly state: SelectState) {
    super();
  }

  #with(changes: Partial<SelectState>): Select<Tuple, Named> {
    return new Select<Tuple, Named>({ ...this.state, ...changes });
  }

  /** The columns this select returns, with whole tables expanded. */
  get selectedColumns(): readonly ColumnElement[] {
    return this.state.items.flatMap((item) => expandItem(item));
  }

  /**
   * The FROM list: explicit FROM objects and joins first, then the ones the columns and WHERE clause
   * refer to that no explicit one already contains. Correlation with an enclosing query is the
   * compiler's business, since it depends on where the select is used.
   */
  get froms(): readonly FromClause[] {
    const explicit = this.state.froms;
    const implicit = collectFroms([...this.selectedColumns, ...this.state.where, ...this.state.having]);
    return [...explicit, ...implicit.filter((from) => !explicit.some((e) => e.contains(from)))];
  }

  /** Adds WHERE criteria; several calls (and several arguments) are joined with AND. */
  where(...criteria: Criterion[]): Select<Tuple, Named> {
    return this.#with({ where: [...this.state.where, ...criteria] });
  }
  /** Synonym of {@link where}, as in SQLAlchemy. */
  filter(...criteria: Criterion[]): Select<Tuple, Named> {
    return this.where(...criteria);
  }
  /**
   * Equality criteria by column key on the last joined entity, or else the first selected one
   * (SQLAlchemy's `filter_by()`); a null value tests IS NULL.
   *
   * @example
   * select(User).join(User.addresses).filterBy({ emailAddress: 'ed@example.com' })
   * // ... WHERE addresses.email_address = :email_address_1
   */
  filterBy(values: Readonly<Record<string, unknown>>): Select<Tuple, Named> {
    return this.where(...filterByCriteria(this.#filterByFrom(), values));
  }

  /** Where `filterBy()` looks names up: the target of the last join, else the first item's FROM. */
  #filterByFrom(): FromClause {
    const last = this.state.froms.at(-1);
    if (last instanceof Join) return last.right;
    const first = this.state.items[0];
    const from = first === undefined ? undefined : first instanceof FromClause ? first : isEntity(first) ? first[ENTITY].from : (first as ColumnElement).fromObjects()[0];
    if (from === undefined) throw new ArgumentError('filterBy() needs a select whose first item belongs to a table');
    return from;
  }
  /** ORDER BY, after any earlier items: expressions, or `c.x.desc()` and the like. */
  orderBy(...items: OrderByItem[]): Select<Tuple, Named> {
    return this.#with({ orderBy: [...this.state.orderBy, ...items.map(toOrderBy)] });
  }
  /**
   * GROUP BY columns. A whole table or ORM entity stands for all its columns, as in SQLAlchemy:
   * `select(Director, func.count()).groupBy(Director)` groups by `directors.id, directors.name`.
   */
  groupBy(...items: SelectItem[]): Select<Tuple, Named> {
    return this.#with({ groupBy: [...this.state.groupBy, ...items.flatMap((item) => expandItem(item))] });
  }
  /** HAVING: conditions on the groups, joined by AND with earlier ones. */
  having(...criteria: Criterion[]): Select<Tuple, Named> {
    return this.#with({ having: [...this.state.having, ...criteria] });
  }
  /** LIMIT (a bound parameter); null removes it. */
  limit(count: number | null): Select<Tuple, Named> {
    return this.#with({ limit: countParam('limit', count) });
  }
  /** OFFSET (a bound parameter); null removes it. */
  offset(count: number | null): Select<Tuple, Named> {
    return this.#with({ offset: countParam('offset', count) });
  }
  /** `SELECT DISTINCT`. */
  distinct(): Select<Tuple, Named> {
    return this.#with({ distinct: true });
  }
  /** Adds FROM objects explicitly: `select(func.count()).selectFrom(movies)`; an ORM entity means its table. */
  selectFrom(...froms: (FromClause | EntityLike<any>)[]): Select<Tuple, Named> {
    const added = froms.map((from) => (from instanceof FromClause ? from : from[ENTITY].from));
    return this.#with({ froms: [...this.state.froms, ...added] });
  }
  /** Adds columns to the result. */
  addColumns<const I extends readonly SelectItem[]>(
    ...items: I
  ): Select<[...Tuple, ...TupleOf<I>], Simplify<Named & NamedOf<I>>> {
    return new Select({ ...this.state, items: [...this.state.items, ...items] });
  }

  /**
   * `JOIN target ON on`. With an ON clause, the join goes onto the last explicit FROM or else the first
   * FROM of the columns. Without one, the target must know how to join itself (an ORM relationship or
   * entity), and the join goes onto the FROM object it starts from. A relationship as `on` joins along
   * it to `target` (an alias): `join(addressAlias, User.addresses)`.
   *
   * @example
   * select(Movie.c.title, Director.c.name).join(Movie.director)
   * // SELECT movies.title, directors.name FROM movies JOIN directors ON directors.id = movies.director_id
   */
  join(target: JoinTarget, on?: ColumnElement<boolean> | Joinable): Select<Tuple, Named> {
    return this.#join(target, on, 'inner');
  }
  /** `LEFT OUTER JOIN`, with the same arguments as {@link join}. */
  outerJoin(target: JoinTarget, on?: ColumnElement<boolean> | Joinable): Select<Tuple, Named> {
    return this.#join(target, on, 'left');
  }
  /** `FULL OUTER JOIN`, with the same arguments as {@link join}; MySQL has none, and compiling one there fails. */
  fullJoin(target: JoinTarget, on?: ColumnElement<boolean> | Joinable): Select<Tuple, Named> {
    return this.#join(target, on, 'full');
  }

  /**
   * `left JOIN target ON on`, naming the left side (SQLAlchemy's `join_from()`): without `on`, along
   * the foreign key or relationship between them.
   *
   * @example
   * select(Address).joinFrom(User, Address).where(User.c.name.eq('ed'))
   * // SELECT addresses.* FROM users JOIN addresses ON users.id = addresses.user_id WHERE ...
   */
  joinFrom(left: FromClause | EntityLike<any>, target: JoinTarget, on?: ColumnElement<boolean> | Joinable): Select<Tuple, Named> {
    return this.#join(target, on, 'inner', fromOfTarget(left));
  }
  /** `left LEFT OUTER JOIN target`, with the same arguments as {@link joinFrom}. */
  outerJoinFrom(left: FromClause | EntityLike<any>, target: JoinTarget, on?: ColumnElement<boolean> | Joinable): Select<Tuple, Named> {
    return this.#join(target, on, 'left', fromOfTarget(left));
  }

  #join(target: JoinTarget, on: ColumnElement<boolean> | Joinable | undefined, type: Join['type'], left?: FromClause): Select<Tuple, Named> {
    rejectStringTarget(target, on);
    if (on instanceof ColumnElement) {
      return left === undefined ? this.#joinOn(fromOfTarget(target), on, type) : this.#joinAt(left, [{ target: fromOfTarget(target), on }], type);
    }
    const joinable = on ?? target;
    if (!isJoinable(joinable)) {
      throw new ArgumentError('join() needs an ON condition, e.g. join(directors, movies.c.directorId.eq(directors.c.id))');
    }
    const path = joinable[JOINABLE](left === undefined ? this.froms : [left], on === undefined ? null : fromOfTarget(target));
    return this.#joinAt(path.left, path.steps, type);
  }

  /** Joins `steps` onto the FROM object containing `start` (or onto `start`, added first). */
  #joinAt(start: FromClause, steps: readonly { readonly target: FromClause; readonly on: ColumnElement<boolean> }[], type: Join['type']): Select<Tuple, Named> {
    const path = { left: start, steps };
    const froms = this.froms;
    const index = froms.findIndex((from) => from.contains(path.left));
    let joined: FromClause = index === -1 ? path.left : froms[index]!;
    for (const step of path.steps) joined = new Join(joined, step.target, step.on, type);
    // The joined FROM takes the place of the one it starts from; FROM objects now inside it drop out.
    const kept = froms.map((from, i) => (i === index ? joined : from)).filter((from, i) => i === index || !joined.contains(from));
    return this.#with({ froms: index === -1 ? [joined, ...kept] : kept });
  }

  #joinOn(target: FromClause, on: ColumnElement<boolean>, type: Join['type']): Select<Tuple, Named> {
    const explicit = this.state.froms;
    if (explicit.length > 0) {
      const left = explicit[explicit.length - 1]!;
      return this.#with({ froms: [...explicit.slice(0, -1), new Join(left, target, on, type)] });
    }
    const left = collectFroms(this.selectedColumns).find((from) => from !== target);
    if (left === undefined) {
      throw new ArgumentError('join() has nothing to join from: select a column of the left table or call selectFrom() first');
    }
    return this.#with({ froms: [new Join(left, target, on, type)] });
  }

  /**
   * Keeps these FROM objects in this select's own FROM list when it is nested, even if the enclosing
   * query has them too: an EXISTS over a relationship's target must read its own rows of the target,
   * not the row the enclosing query joined (SQLAlchemy's `correlate_except`).
   */
  correlateExcept(...froms: FromClause[]): Select<Tuple, Named> {
    return this.#with({ correlateExcept: [...this.state.correlateExcept, ...froms] });
  }

  /**
   * Attaches options for the layer that runs the select, such as the ORM's loader options:
   * `select(Director).options(selectinload(Director.movies))`. Core ignores them.
   */
  options(...options: SelectOption[]): Select<Tuple, Named> {
    return this.#with({ options: [...this.state.options, ...options] });
  }

  /** This select as a named FROM object whose columns are `sub.c.<name>`. */
  subquery(name?: string): Subquery<Named> {
    return new Subquery<Named>(this, name ?? null);
  }
  /** This single-column select as a scalar expression. */
  scalarSubquery(): ScalarSubquery<Tuple[0]> {
    return new ScalarSubquery<Tuple[0]>(this);
  }
  /** `(SELECT ...) AS name` as a column of an enclosing select. */
  label<const L extends string>(name: L): Label<Tuple[0], L> {
    return new Label<Tuple[0], L>(this.scalarSubquery(), name);
  }
  /** `EXISTS (this)`. */
  exists(): Exists {
    return new Exists(this, new BooleanType());
  }

  /** `this UNION other ...`. */
  union(...others: Select<Tuple, any>[]): CompoundSelect<Tuple, Named> {
    return new CompoundSelect('union', [this, ...others]);
  }
  /** `this UNION ALL other ...`. */
  unionAll(...others: Select<Tuple, any>[]): CompoundSelect<Tuple, Named> {
    return new CompoundSelect('unionAll', [this, ...others]);
  }

  /** The single WHERE condition (criteria joined with AND), or null. */
  get whereClause(): ColumnElement<boolean> | null {
    return this.state.where.length === 0 ? null : and_(...this.state.where);
  }
}

/** `UNION` / `UNION ALL` of selects, with its own ORDER BY / LIMIT / OFFSET. */
export class CompoundSelect<Tuple extends readonly unknown[] = unknown[], Named extends RowShape = RowShape>
  extends ClauseElement
  implements SubqueryTarget
{
  readonly kind = 'CompoundSelect';
  /** @internal phantom carrier of the row type. */
  declare readonly __row: Row<Tuple, Named>;

  constructor(
    readonly operator: 'union' | 'unionAll',
    readonly selects: readonly Select<any, any>[],
    readonly orderByItems: readonly OrderByExpression[] = [],
    readonly limitParam: BindParameter<number> | null = null,
    readonly offsetParam: BindParameter<number> | null = null,
  ) {
    super();
    if (selects.length < 2) throw new ArgumentError(`${operator}() needs at least two selects`);
  }

  get selectedColumns(): readonly ColumnElement[] {
    return this.selects[0]!.selectedColumns;
  }
  /** ORDER BY of the whole compound select. */
  orderBy(...items: OrderByItem[]): CompoundSelect<Tuple, Named> {
    return this.#with({ orderByItems: [...this.orderByItems, ...items.map(toOrderBy)] });
  }
  /** LIMIT of the whole compound select; null removes it. */
  limit(count: number | null): CompoundSelect<Tuple, Named> {
    return this.#with({ limitParam: countParam('limit', count) });
  }
  /** OFFSET of the whole compound select; null removes it. */
  offset(count: number | null): CompoundSelect<Tuple, Named> {
    return this.#with({ offsetParam: countParam('offset', count) });
  }
  subquery(name?: string): Subquery<Named> {
    return new Subquery<Named>(this, name ?? null);
  }

  #with(changes: {
    orderByItems?: readonly OrderByExpression[];
    limitParam?: BindParameter<number> | null;
    offsetParam?: BindParameter<number> | null;
  }): CompoundSelect<Tuple, Named> {
    return new CompoundSelect(
      this.operator,
      this.selects,
      changes.orderByItems ?? this.orderByItems,
      changes.limitParam === undefined ? this.limitParam : changes.limitParam,
      changes.offsetParam === undefined ? this.offsetParam : changes.offsetParam,
    );
  }
}

/**
 * Starts a SELECT of columns, expressions and whole tables.
 *
 * @example
 * const stmt = select(movies.c.title, movies.c.rating).where(movies.c.rating.ge(8));
 * const rows = (await conn.execute(stmt)).all();   // rows: Row<[string, number | null], { title, rating }>[]
 */
export function select<const I extends readonly SelectItem[]>(...items: I): Select<TupleOf<I>, NamedOf<I>> {
  items.forEach(checkSelectItem);
  return new Select({ ...EMPTY, items });
}

/** Refuses what is not a column, FROM object or entity, naming the SQLAlchemy 1.x spellings a port brings. */
function checkSelectItem(item: unknown, index: number): void {
  if (item instanceof ColumnElement || item instanceof FromClause || isEntity(item)) return;
  if (Array.isArray(item)) {
    throw new ArgumentError('select([a, b]) is SQLAlchemy 1.x; pass the columns as arguments: select(a, b)');
  }
  if (typeof item === 'object' && item !== null && Object.getPrototypeOf(item) === Object.prototype) {
    const keys = Object.keys(item).join(', ');
    throw new ArgumentError(
      `select(..., { ${keys} }): keyword arguments are SQLAlchemy 1.x; use the methods, e.g. select(a).where(...).orderBy(...)`,
    );
  }
  const what = typeof item === 'string' ? `the string '${item}'` : item === null ? 'null' : typeof item === 'object' ? `a ${item.constructor.name}` : String(item);
  throw new ArgumentError(`select() item ${index + 1} is ${what}; pass columns (users.c.name), tables or model classes (text() for SQL)`);
}

/** `EXISTS (select)`, as a standalone function. */
export function exists(stmt: Select<any, any>): Exists {
  return stmt.exists();
}

/** `s1 UNION s2 ...`. */
export function union<T extends readonly unknown[], N extends RowShape>(
  first: Select<T, N>,
  ...others: Select<T, any>[]
): CompoundSelect<T, N> {
  return first.union(...others);
}

/** `s1 UNION ALL s2 ...`. */
export function unionAll<T extends readonly unknown[], N extends RowShape>(
  first: Select<T, N>,
  ...others: Select<T, any>[]
): CompoundSelect<T, N> {
  return first.unionAll(...others);
}

/** The FROM object a join target stands for: itself, or an entity's table (or alias). */
function fromOfTarget(target: JoinTarget): FromClause {
  if (target instanceof FromClause) return target;
  if (isEntity(target)) return target[ENTITY].from;
  throw new ArgumentError('join() with an ON condition needs a table, alias, subquery or entity as its target');
}

/** SQLAlchemy 1.x joined by relationship name (`join('addresses')`); 2.0 and tsmig take the attribute. @internal */
export function rejectStringTarget(target: unknown, on: unknown): void {
  if (typeof target === 'string' || typeof on === 'string') {
    const name = typeof target === 'string' ? target : (on as string);
    throw new ArgumentError(`join('${name}'): relationship names as strings are SQLAlchemy 1.x; pass the relationship itself, e.g. join(User.${name})`);
  }
}

/** `filterBy()` criteria: `column = value` (IS NULL for null) for each key of `from`'s columns. @internal */
export function filterByCriteria(from: FromClause, values: Readonly<Record<string, unknown>>): ColumnElement<boolean>[] {
  const columns = (from as FromClause & { c?: Record<string, ColumnElement> }).c ?? {};
  return Object.entries(values).map(([key, value]) => {
    const column = Object.hasOwn(columns, key) ? columns[key] : undefined;
    if (column === undefined) {
      const name = (from as { name?: string | null }).name ?? 'the entity';
      throw new ArgumentError(`filterBy(): ${name} has no column "${key}" (known: ${Object.keys(columns).join(', ')})`);
    }
    return column.eq(value as never);
  });
}
