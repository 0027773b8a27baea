/**
 * The legacy 1.x `session.query(User)` API, kept as SQLAlchemy 2.0 keeps it: a thin generative facade
 * that builds a 2.0-style `select()` and runs it through `session.execute()`. It has no SQL path of its
 * own; every method names its 2.0 equivalent, which new code should prefer.
 */
import type { Params } from '../../engine/execution-plan.js';
import type { Result } from '../../engine/result.js';
import { rowPrototype } from '../../engine/row.js';
import { ArgumentError, InvalidRequestError, MultipleResultsFoundError, NoResultFoundError } from '../../errors.js';
import { type ColumnElement, Label, OrderByExpression } from '../../sql/elements/column-element.js';
import type { Criterion } from '../../sql/elements/conjunctions.js';
import { func } from '../../sql/elements/functions.js';
import { TextClause } from '../../sql/elements/text.js';
import { ENTITY, type EntityLike, isEntity } from '../../sql/entity.js';
import { type Joinable, type SelectOption, isJoinable } from '../../sql/joinable.js';
import type { Row, RowShape } from '../../sql/row.js';
import { type Exists, FromClause, type Subquery } from '../../sql/selectable.js';
import { type JoinTarget, type NamedOf, type OrderByItem, Select, type TupleOf, expandItem, filterByCriteria, rejectStringTarget, select } from '../../sql/statements/select.js';
import type { TypeEngine } from '../../types/type-engine.js';
import { type ModelClass, mapperOf } from '../mapper.js';
import type { PrimaryKeyValue, Session } from '../session/session.js';
import { loadRows, loaderFor } from '../session/loading.js';
import { inferEntityJoin } from '../relationships/join-condition.js';

/** What `session.query()` accepts: models, aliases of models, column expressions (labelled or not). */
export type QueryItem = ColumnElement<any, any> | EntityLike<any>;

/** What a query yields: instances for a query of one entity, rows (tuples with names) otherwise. */
export type QueryResult<I extends readonly QueryItem[]> = I extends readonly [EntityLike<infer E>] ? E : Row<TupleOf<I>, NamedOf<I>>;

/** Values of a column collection's columns by key: what `filterBy()` accepts for it. */
type ValuesOf<C> = { [K in keyof C]?: C[K] extends ColumnElement<infer T, any> ? T : never };

/** What `filterBy()` accepts: the values of the first item's columns, by attribute key. */
export type FilterByOf<I extends readonly QueryItem[]> = I extends readonly [{ readonly c: infer C }, ...unknown[]]
  ? ValuesOf<C>
  : Record<string, unknown>;

/** After `join(target)`, `filterBy()` names the target's columns when it is a model (or alias). */
type JoinedFilterBy<J, F> = J extends EntityLike<any> & { readonly c: infer C } ? ValuesOf<C> : F;

interface QueryState {
  readonly items: readonly QueryItem[];
  /** The select without LIMIT/OFFSET, which `limit`, `offset`, `slice` and `first` compose. */
  readonly select: Select<any, any>;
  readonly limit: number | null;
  readonly offset: number | null;
  readonly params: Params;
  readonly fromStatement: TextClause<any> | Select<any, any> | null;
  /** Where `filterBy()` looks names up: the last joined entity, else the first item's FROM object. */
  readonly filterByFrom: FromClause | null;
}

function fromOf(item: JoinTarget): FromClause {
  if (item instanceof FromClause) return item;
  if (isEntity(item)) return item[ENTITY].from;
  throw new ArgumentError('a relationship is not a FROM object; pass the model or table');
}

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ArgumentError(`${name} needs a non-negative integer, got ${String(value)}`);
  return value;
}

/** Instances in first-seen order without repeats (the legacy Query uniques single-entity results). */
function uniqueObjects<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const out: T[] = [];
  for (const value of values) {
    if (seen.has(value)) continue;
    seen.add(value);
    out.push(value);
  }
  return out;
}

/**
 * A legacy ORM query; build one with `session.query(...)`. Every method returns a new Query.
 *
 * @example
 * const eds = await session.query(User).filter(User.c.name.like('%ed')).orderBy(User.c.id).all();
 * // 2.0 style: (await session.scalars(select(User).where(User.c.name.like('%ed')).orderBy(User.c.id))).all()
 */
export class Query<T, F = Record<string, unknown>, S extends Select<any, any> = Select<any, any>> implements AsyncIterable<T> {
  readonly #session: Session;
  readonly #state: QueryState;

  /** @internal use `session.query(...)`. */
  constructor(session: Session, items: readonly QueryItem[] | QueryState) {
    this.#session = session;
    if (Array.isArray(items)) {
      if (items.length === 0) throw new ArgumentError('query() needs at least one model or column');
      this.#state = { items, select: select(...(items as QueryItem[])), limit: null, offset: null, params: {}, fromStatement: null, filterByFrom: null };
    } else {
      this.#state = items as QueryState;
    }
  }

  #with(changes: Partial<QueryState>): Query<T, F, S> {
    return new Query<T, F, S>(this.#session, { ...this.#state, ...changes });
  }

  #where(select: Select<any, any>): Query<T, F, S> {
    return this.#with({ select });
  }

  /** True for `query(User)`: results are instances, not rows. */
  get #single(): boolean {
    return this.#state.items.length === 1 && isEntity(this.#state.items[0]);
  }

  // ---- building ---------------------------------------------------------------------------------

  /**
   * Adds WHERE criteria, joined with AND; `text()` fragments are accepted.
   * Legacy; 2.0 equivalent: `select(User).where(...)`.
   */
  filter(...criteria: Criterion[]): Query<T, F, S> {
    return this.#where(this.#state.select.where(...criteria));
  }

  /**
   * Equality criteria by attribute key, on the last joined entity or else the first item's table:
   * `filterBy({ name: 'ed' })` is `filter(User.c.name.eq('ed'))`; a null value tests IS NULL.
   * Legacy; 2.0 equivalent: `select(User).where(User.c.name.eq('ed'))`.
   */
  filterBy(values: F): Query<T, F, S> {
    const from = this.#state.filterByFrom ?? this.#firstFrom();
    return this.#where(this.#state.select.where(...filterByCriteria(from, values as Record<string, unknown>)));
  }

  #firstFrom(): FromClause {
    const first = this.#state.items[0]!;
    const from = isEntity(first) ? first[ENTITY].from : (first as ColumnElement).fromObjects()[0];
    if (from === undefined) throw new ArgumentError('filterBy() needs a query whose first item belongs to a table');
    return from;
  }

  /**
   * ORDER BY; `text('id')` is accepted.
   * Legacy; 2.0 equivalent: `select(User).orderBy(...)`.
   */
  orderBy(...items: (OrderByItem | TextClause<any>)[]): Query<T, F, S> {
    const order = items.map((item) => (item instanceof TextClause ? new OrderByExpression(item as never, null, null) : item));
    return this.#where(this.#state.select.orderBy(...order));
  }

  /**
   * GROUP BY; a model stands for all its columns.
   * Legacy; 2.0 equivalent: `select(...).groupBy(...)`.
   */
  groupBy(...items: (ColumnElement | EntityLike | FromClause)[]): Query<T, F, S> {
    return this.#where(this.#state.select.groupBy(...items));
  }

  /** HAVING. Legacy; 2.0 equivalent: `select(...).having(...)`. */
  having(...criteria: Criterion[]): Query<T, F, S> {
    return this.#where(this.#state.select.having(...criteria));
  }

  /** SELECT DISTINCT. Legacy; 2.0 equivalent: `select(...).distinct()`. */
  distinct(): Query<T, F, S> {
    return this.#where(this.#state.select.distinct());
  }

  /**
   * Adds FROM objects: `session.query(func.count()).selectFrom(User)`.
   * Legacy; 2.0 equivalent: `select(func.count()).selectFrom(User.table)`.
   */
  selectFrom(...froms: (EntityLike | FromClause)[]): Query<T, F, S> {
    return this.#where(this.#state.select.selectFrom(...froms.map(fromOf)));
  }

  /**
   * `JOIN target ON on`. Without `on`, a relationship target joins along itself
   * (`join(User.addresses)`), and a model or table along the one foreign key between it and the
   * query's tables; a relationship as `on` joins to an alias (`join(addressAlias, User.addresses)`).
   * `filterBy()` afterwards applies to the joined entity.
   * Legacy; 2.0 equivalent: `select(User).join(Address)`.
   */
  join<J extends JoinTarget>(target: J, on?: ColumnElement<boolean> | Joinable): Query<T, JoinedFilterBy<J, F>, S> {
    return this.#join(target, on, false);
  }

  /**
   * `LEFT OUTER JOIN`, with the same arguments as {@link join}.
   * Legacy; 2.0 equivalent: `select(User).outerJoin(Address)`.
   */
  outerJoin<J extends JoinTarget>(target: J, on?: ColumnElement<boolean> | Joinable): Query<T, JoinedFilterBy<J, F>, S> {
    return this.#join(target, on, true);
  }

  #join<G>(target: JoinTarget, on: ColumnElement<boolean> | Joinable | undefined, outer: boolean): Query<T, G, S> {
    rejectStringTarget(target, on);
    const current = this.#state.select;
    let condition = on;
    // Select.join infers ON clauses for what can join itself (models, aliases, relationships); a plain
    // table is joined along the foreign key found the same way.
    if (condition === undefined && !isJoinable(target)) condition = inferEntityJoin(current.froms, fromOf(target)).steps[0]!.on;
    const joined = outer ? current.outerJoin(target, condition) : current.join(target, condition);
    const filterByFrom = isEntity(target) ? target[ENTITY].from : this.#state.filterByFrom;
    return new Query<T, G, S>(this.#session, { ...this.#state, select: joined, filterByFrom });
  }

  /**
   * Loader options (eager loading of relationships), applied to the underlying select.
   * Legacy; 2.0 equivalent: `select(User).options(...)`.
   */
  options(...options: SelectOption[]): Query<T, F, S> {
    return this.#where(this.#state.select.options(...options));
  }

  /** LIMIT. Legacy; 2.0 equivalent: `select(...).limit(n)`. */
  limit(n: number | null): Query<T, F, S> {
    return this.#with({ limit: n === null ? null : count('limit()', n) });
  }

  /** OFFSET. Legacy; 2.0 equivalent: `select(...).offset(n)`. */
  offset(n: number | null): Query<T, F, S> {
    return this.#with({ offset: n === null ? null : count('offset()', n) });
  }

  /**
   * Rows `start` (inclusive) to `stop` (exclusive) of the current result, Python's `query[1:3]`:
   * OFFSET start LIMIT stop - start, relative to any LIMIT/OFFSET already set.
   * Legacy; 2.0 equivalent: `select(...).offset(start).limit(stop - start)`.
   */
  slice(start: number, stop: number): Query<T, F, S> {
    count('slice() start', start);
    count('slice() stop', stop);
    const offset = (this.#state.offset ?? 0) + start;
    let limit = Math.max(0, stop - start);
    if (this.#state.limit !== null) limit = Math.max(0, Math.min(limit, this.#state.limit - start));
    return this.#with({ offset: offset === 0 ? null : offset, limit });
  }

  /**
   * Values for `:name` parameters of `text()` fragments, given at execution.
   * Legacy; 2.0 equivalent: `session.execute(stmt, { name: value })`.
   */
  params(values: Params): Query<T, F, S> {
    return this.#with({ params: { ...this.#state.params, ...values } });
  }

  /**
   * Runs a whole statement instead, usually `text()`: its columns are matched to the query's models
   * and columns by name, so `session.query(User).fromStatement(text('SELECT * FROM users'))` loads
   * Users (the same objects the session already has for those rows).
   * Legacy; 2.0 equivalent: SQLAlchemy's `select(User).from_statement(text(...))`, which tsmig's
   * `select()` does not offer; write the query with `select()` where possible.
   */
  fromStatement(statement: TextClause<any> | Select<any, any>): Query<T, F, S> {
    return this.#with({ fromStatement: statement });
  }

  // ---- the statement --------------------------------------------------------------------------------

  /**
   * The 2.0-style select this query runs (LIMIT/OFFSET included), to use as a subquery or an IN list:
   * `User.c.name.in(session.query(User.c.name).filter(...).statement)`.
   */
  get statement(): S {
    const { select: base, limit, offset, fromStatement } = this.#state;
    if (fromStatement !== null) throw new InvalidRequestError('a fromStatement() query has no select of its own');
    let stmt = base;
    if (limit !== null) stmt = stmt.limit(limit);
    if (offset !== null) stmt = stmt.offset(offset);
    return stmt as S;
  }

  /** The statement as a named subquery. Legacy; 2.0 equivalent: `select(...).subquery(name)`. */
  subquery(name?: string): S extends Select<any, infer N> ? Subquery<N> : Subquery<RowShape> {
    return this.statement.subquery(name) as never;
  }

  /** `EXISTS (this query)`. Legacy; 2.0 equivalent: `select(...).exists()`. */
  exists(): Exists {
    return this.statement.exists();
  }

  // ---- running --------------------------------------------------------------------------------------

  /**
   * Every result: instances for `query(User)` (each object once, as the legacy Query does), rows otherwise.
   * Legacy; 2.0 equivalent: `(await session.scalars(stmt)).all()` or `(await session.execute(stmt)).all()`.
   */
  async all(): Promise<T[]> {
    if (this.#state.fromStatement !== null) return this.#runFromStatement();
    return this.#shape(await this.#session.execute(this.statement, this.#params()));
  }

  /**
   * The first result (with LIMIT 1), or null.
   * Legacy; 2.0 equivalent: `(await session.scalars(stmt.limit(1))).first()` or `session.scalar(stmt)`.
   */
  async first(): Promise<T | null> {
    if (this.#state.fromStatement !== null) return (await this.#runFromStatement())[0] ?? null;
    return (await this.limit(1).all())[0] ?? null;
  }

  /**
   * Exactly one result; NoResultFoundError or MultipleResultsFoundError otherwise.
   * Legacy; 2.0 equivalent: `(await session.execute(stmt)).scalarOne()` / `.one()`.
   */
  async one(): Promise<T> {
    const results = await this.all();
    if (results.length === 0) throw new NoResultFoundError('No row was found for one()');
    if (results.length > 1) throw new MultipleResultsFoundError('Multiple rows were found for one()');
    return results[0]!;
  }

  /**
   * One result or null; MultipleResultsFoundError when there are several.
   * Legacy; 2.0 equivalent: `(await session.execute(stmt)).scalarOneOrNone()` / `.oneOrNone()`.
   */
  async oneOrNone(): Promise<T | null> {
    const results = await this.all();
    if (results.length > 1) throw new MultipleResultsFoundError('Multiple rows were found for oneOrNone()');
    return results[0] ?? null;
  }

  /**
   * The first column of the only result, or null when there is none; MultipleResultsFoundError when
   * there are several. Legacy; 2.0 equivalent: `(await session.execute(stmt)).scalarOneOrNone()`.
   */
  async scalar(): Promise<(T extends readonly [infer First, ...unknown[]] ? First : T) | null> {
    const result = await this.oneOrNone();
    if (result === null) return null;
    return (this.#single ? result : (result as readonly unknown[])[0]) as never;
  }

  /**
   * How many rows the query returns: `SELECT count(*) FROM (query) AS anon_1`.
   * Legacy; 2.0 equivalent: `session.scalar(select(func.count()).selectFrom(stmt.subquery()))`.
   */
  async count(): Promise<number> {
    if (this.#state.fromStatement !== null) return (await this.#runFromStatement()).length;
    const stmt = select(func.count()).selectFrom(this.statement.subquery());
    return Number(await this.#session.scalar(stmt, this.#params()));
  }

  /**
   * The object with this primary key, from the identity map when loaded (no SQL), else from the
   * database; the query's criteria do not apply. Legacy; 2.0 equivalent: `session.get(User, key)`.
   */
  async get(key: PrimaryKeyValue): Promise<T | null> {
    if (!this.#single) throw new InvalidRequestError('get() needs a query of exactly one model: session.query(User).get(5)');
    const mapper = mapperOf(this.#state.items[0] as unknown as ModelClass);
    return (await this.#session.get(mapper.cls, key)) as T | null;
  }

  /** `for await (const user of session.query(User))`, as iterating a Query does in Python. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* await this.all();
  }

  // ---- internals ------------------------------------------------------------------------------------

  #params(): Params | undefined {
    return Object.keys(this.#state.params).length === 0 ? undefined : this.#state.params;
  }

  #shape(result: Result<any>): T[] {
    if (this.#single) return uniqueObjects(result.scalars().all() as T[]);
    return result.all() as T[];
  }

  /**
   * A `text()` statement: its result columns are found by name for each model column and selected
   * column, typed by those columns (so values convert as in a select), then loaded as a select's rows.
   */
  async #runFromStatement(): Promise<T[]> {
    const statement = this.#state.fromStatement!;
    const session = this.#session;
    if (statement instanceof Select) return this.#shape(await session.execute(statement, this.#params()));
    if (session.autoflush) await session.flush();
    const wanted = this.#state.items.flatMap((item) => expandItem(item).map((column) => [resultName(column), column.type] as const));
    const types: Record<string, TypeEngine> = {};
    for (const [name, type] of wanted) types[name] ??= type;
    const typed = new TextClause(statement.text, statement.values, { ...types, ...statement.columnTypes });
    const result = await session.execute(typed, this.#params());
    const names = result.keys();
    const positions = wanted.map(([name]) => {
      let index = names.indexOf(name);
      if (index === -1) index = names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
      if (index === -1) throw new InvalidRequestError(`fromStatement(): the statement returns no column "${name}" (it returns ${names.join(', ')})`);
      return index;
    });
    const rows = (result.all() as unknown as unknown[][]).map((row) => positions.map((i) => row[i]));
    const layoutNames = wanted.map(([name]) => name);
    const loader = loaderFor(this.#state.items, layoutNames);
    if (loader === null) {
      const proto = rowPrototype(layoutNames);
      for (const row of rows) Object.setPrototypeOf(row, proto);
      return rows as T[];
    }
    const loaded = loadRows(loader, rows, session.identityMap, session);
    return this.#single ? uniqueObjects(loaded.map((row) => row[0] as T)) : (loaded as T[]);
  }
}

/** The name a column has in a textual result: a table column's SQL name, a label's name. */
function resultName(column: ColumnElement): string {
  if (column instanceof Label && column.name !== null) return column.name;
  const sqlName = (column as { sqlName?: unknown }).sqlName ?? (column as { name?: unknown }).name;
  if (typeof sqlName === 'string') return sqlName;
  const natural = column.naturalName;
  if (natural === null) throw new ArgumentError('fromStatement() can only match named columns (label expressions)');
  return natural;
}
