/**
 * The Session: a unit of work over one connection at a time. It tracks new, changed and deleted
 * objects, keeps one object per row (the identity map), flushes changes in foreign key order before
 * queries and at commit, and turns selected rows into model instances. Everything is async.
 */
import type { Connection, Executable } from '../../engine/connection.js';
import type { Engine } from '../../engine/engine.js';
import type { Params } from '../../engine/execution-plan.js';
import { Result, type FirstOf, ScalarResult, type StatementRow } from '../../engine/result.js';
import { ArgumentError, InvalidRequestError } from '../../errors.js';
import { keepShape } from '../../util/keep-shape.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { Select, select } from '../../sql/statements/select.js';
import { type ModelClass, mapperOf } from '../mapper.js';
import { type FilterByOf, Query, type QueryItem, type QueryResult } from '../query/query.js';
import type { NamedOf, TupleOf } from '../../sql/statements/select.js';
import { IdentityMap } from './identity-map.js';
import { innerKeyOf } from './identity-key.js';
import { type InstanceState, type InstanceStatus, type StateOwner, stateOf } from './instance-state.js';
import { StateList } from './state-list.js';
import { type Loader, type SlotObjects, loadObjects, loadRecords, loadRows, loaderFor, onlyEntity, ormRows, uniqueObjects, uniqueRows } from './loading.js';
import { reloadStates } from './reload.js';
import { executeOrmDml } from './orm-dml.js';
import { Delete } from '../../sql/statements/delete.js';
import { Update } from '../../sql/statements/update.js';
import type { SessionParticipant } from './participant.js';
import { flushChanges } from './unit-of-work.js';

/** The options of `new Session(engine, options)` and `sessionmaker(engine, options)`. */
export interface SessionOptions {
  /** Flush pending changes before each query (default true). */
  readonly autoflush?: boolean;
  /**
   * After commit() and rollback(), reload every object the session holds, so attribute reads stay
   * synchronous and show the database as committed (default true). Objects with integer keys close
   * together are read back by key range (one SELECT for a loaded table), others by lists of 10,000
   * keys. Set false to keep the values as they were (a rollback still reloads the objects whose
   * flushed changes it undid).
   */
  readonly expireOnCommit?: boolean;
}

/** Primary key values: one value, or an array (composite key, in key column order) or a record by key. */
export type PrimaryKeyValue = unknown | readonly unknown[] | Record<string, unknown>;

/**
 * An ORM select run: without an entity, just its result; with one, the objects and whether rows repeat,
 * and the raw rows unless they were read as they arrived (`raw` null).
 */
type SelectOutcome =
  | { readonly result: Result<unknown>; readonly loader: null }
  | {
      readonly loader: Loader;
      readonly raw: readonly (readonly unknown[])[] | null;
      readonly objects: SlotObjects;
      readonly repeats: boolean;
      readonly rowCount: number;
    };

/** Relationship support plugs in here (see `orm/relationships/`). */
let participant: SessionParticipant | null = null;

/** @internal set once by the relationships module. */
export function setFlushParticipant(value: SessionParticipant): void {
  participant = value;
}

/**
 * The ORM's unit of work, as SQLAlchemy's Session: it tracks model objects (`add`, `delete`, attribute
 * changes), writes them in foreign key order at `flush()` (before each query unless `autoflush: false`),
 * keeps one object per primary key (the identity map), and holds one connection and transaction from the
 * first query or flush until `commit()`, `rollback()` or `close()`.
 *
 * @example
 * await using session = new Session(engine);
 * session.add(new Movie({ title: 'Alien', year: 1979 }));
 * await session.commit();
 * const movies = await session.scalars(select(Movie).where(Movie.c.year.lt(1990)));
 */
export class Session implements StateOwner, AsyncDisposable {
  /** The engine whose connection the session checks out. */
  readonly engine: Engine;
  /** Whether queries flush pending changes first ({@link SessionOptions.autoflush}). */
  readonly autoflush: boolean;
  /** Whether commit and rollback reload the objects held ({@link SessionOptions.expireOnCommit}). */
  readonly expireOnCommit: boolean;
  /** The one object per model and primary key that the session holds. */
  readonly identityMap = new IdentityMap();
  readonly #pending = new StateList('pendingAt');
  readonly #dirty = new Set<InstanceState>();
  readonly #deleted = new Set<InstanceState>();
  /** Objects flushed (inserted) in the current transaction: transient again if it rolls back. */
  readonly #insertedInTransaction = new StateList('insertedAt');
  /** Objects deleted by a flush in the current transaction: detached at commit, restored at rollback. */
  readonly #deletedInTransaction = new Set<InstanceState>();
  /** Objects updated by a flush in the current transaction: their values are undone by a rollback. */
  readonly #updatedInTransaction = new Set<InstanceState>();
  #connection: Connection | null = null;
  #failure: unknown = null;
  #flushing = false;
  #closed = false;

  constructor(engine: Engine, options: SessionOptions = {}) {
    this.engine = engine;
    this.autoflush = options.autoflush ?? true;
    this.expireOnCommit = options.expireOnCommit ?? true;
  }

  // ---- object states ------------------------------------------------------------------------

  /** @internal StateOwner: a persistent object's attribute changed. */
  modified(state: InstanceState): void {
    this.#dirty.add(state);
  }

  /** transient, pending, persistent, deleted or detached, as SQLAlchemy's `inspect(obj)` tells. */
  statusOf(obj: object): InstanceStatus {
    return requireState(obj).status;
  }

  /** True when the object belongs to this session (pending, persistent or marked for deletion). */
  contains(obj: object): boolean {
    return requireState(obj).owner === this;
  }

  /** Pending objects, in the order they were added. */
  get new(): readonly object[] {
    return [...this.#pending].map((s) => s.obj);
  }

  /** Persistent objects with unflushed attribute changes. */
  get dirty(): readonly object[] {
    return [...this.#dirty].filter((s) => s.changes(s.mapper.columnKeys) !== null).map((s) => s.obj);
  }

  /** Objects marked for deletion at the next flush. */
  get deleted(): readonly object[] {
    return [...this.#deleted].map((s) => s.obj);
  }

  // ---- adding and removing ------------------------------------------------------------------

  /** Adds a new object (pending until flushed) or attaches a detached one. */
  add(obj: object): void {
    this.#checkUsable();
    const state = requireState(obj);
    if (state.owner !== null && state.owner !== this) {
      throw new InvalidRequestError(`${state.mapper.name} object is already attached to another session; expunge it there first`);
    }
    if (state.status === 'transient') {
      state.status = 'pending';
      state.owner = this;
      this.#pending.add(state);
      cascadeAdd(this, state);
    } else if (state.status === 'detached') {
      this.#attach(state);
      cascadeAdd(this, state);
    } else if (state.status === 'deleted') {
      throw new InvalidRequestError(`${state.mapper.name} object was deleted in this session and cannot be added again`);
    }
  }

  /** {@link add} for each object, in order. */
  addAll(objects: Iterable<object>): void {
    for (const obj of objects) this.add(obj);
  }

  /** Marks a persistent object for deletion at the next flush; a pending one is simply dropped. */
  async delete(obj: object): Promise<void> {
    this.#checkUsable();
    const state = requireState(obj);
    if (state.status === 'pending') {
      this.expunge(obj);
      return;
    }
    if (state.status !== 'persistent' || state.owner !== this) {
      throw new InvalidRequestError(`${state.mapper.name} object is not persisted in this session (it is ${state.status})`);
    }
    if (this.#deleted.has(state)) return;
    // Cascades first: loading a collection to delete autoflushes, which must not delete this row yet.
    await participant?.cascadeDelete?.(this, state);
    this.#dirty.delete(state);
    this.#deleted.add(state);
  }

  /** Removes an object from the session without touching the database; it becomes detached (or transient). */
  expunge(obj: object): void {
    const state = requireState(obj);
    if (state.owner !== this) throw new InvalidRequestError(`${state.mapper.name} object is not in this session`);
    this.#forget(state);
    state.status = state.key === null ? 'transient' : 'detached';
  }

  /**
   * Copies a (detached or foreign) object's state onto the session's own object for that row,
   * loading it first, and returns the session's object; a new row becomes a new pending object.
   */
  async merge<T extends object>(obj: T): Promise<T> {
    this.#checkUsable();
    const source = requireState(obj);
    const mapper = source.mapper;
    const key = mapper.identityKeyOf(source);
    let target = key === null ? null : ((await this.get(mapper.cls as ModelClass<T>, mapper.primaryKeyKeys.map((k) => source.dict[k]))) as T | null);
    if (target === null) {
      target = new (mapper.cls as unknown as new () => T)();
      this.add(target);
    }
    for (const column of mapper.columns) {
      if (column.key in source.dict) (target as Record<string, unknown>)[column.key] = source.dict[column.key];
    }
    await participant?.cascadeMerge?.(this, source, requireState(target));
    return target;
  }

  // ---- queries --------------------------------------------------------------------------------

  /**
   * Runs a statement in the session's transaction. Selected entities come back as instances (the
   * same object for the same row), other columns as values. An ORM-enabled `update(Model)` /
   * `delete_(Model)` also brings the session's loaded objects in step (see `synchronizeSession`).
   *
   * @example
   * const movies = (await session.execute(select(Movie).where(Movie.c.rating.gt(8)))).scalars().all();
   * await session.execute(update(Movie).where(Movie.c.rating.lt(5)).values({ rating: 5 }));
   */
  async execute<S extends Executable>(statement: S, params?: Params | readonly Params[]): Promise<Result<StatementRow<S>>> {
    return (await this.#execute(statement, params, false)) as Result<StatementRow<S>>;
  }

  /**
   * `execute()`; with `scalarsOnly`, a select of one entity and nothing else returns its instances
   * as a ScalarResult directly, without building result rows around them.
   */
  async #execute(statement: Executable, params: Params | readonly Params[] | undefined, scalarsOnly: boolean): Promise<Result<unknown> | ScalarResult<unknown>> {
    this.#checkUsable();
    if ((statement instanceof Update || statement instanceof Delete) && statement.entity !== null) {
      return (await this.#executeOrmDml(statement, params)) as Result<unknown>;
    }
    if (!(statement instanceof Select)) return (await (await this.connection()).execute(statement, params)) as Result<unknown>;
    const loaded = await this.#select(statement, params, false);
    if (loaded.loader === null) return loaded.result;
    const { loader, raw, objects, repeats } = loaded;
    const only = scalarsOnly ? onlyEntity(loader) : null;
    if (only !== null) return new ScalarResult(repeats ? uniqueObjects(objects[0]!) : objects[0]!);
    const rows = ormRows(loader, raw, objects);
    return new Result(repeats ? uniqueRows(rows) : rows, loader.names, loaded.rowCount, null);
  }

  /**
   * @internal A relationship loader's select (its entity first, then any parent key columns): the
   * entity's objects row by row and the raw rows, nested loads done. `repeats` when a joined
   * collection below repeated rows, which the loader then groups without duplicates.
   */
  async loadSelect(statement: Select<any, any>): Promise<{ objects: (object | null)[]; raw: readonly (readonly unknown[])[]; repeats: boolean }> {
    this.#checkUsable();
    const loaded = await this.#select(statement, undefined, true);
    if (loaded.loader === null) throw new InvalidRequestError('a relationship loader selected no entity');
    return { objects: loaded.objects[0]!, raw: loaded.raw!, repeats: loaded.repeats };
  }

  /**
   * Runs an ORM select: its entities' objects slot by slot (no result rows built yet), relationships
   * loaded. `rawWanted`: the caller reads the raw rows too.
   */
  async #select(statement: Select<any, any>, params: Params | readonly Params[] | undefined, rawWanted: boolean): Promise<SelectOutcome> {
    if (this.autoflush) await this.flush();
    const connection = await this.connection();
    // Relationship loading may add joins and columns (joined eager loads) and run queries after.
    const plan = participant?.planSelect?.(this, statement) ?? null;
    const alone = plan === null && !rawWanted && !Array.isArray(params) ? loaderFor(statement.state.items, []) : null;
    const only = alone === null ? null : onlyEntity(alone);
    if (only !== null) {
      // One entity and nothing else: its records are read from the rows as they arrive, so no row
      // array outlives its moment (see `Connection.executeRead`); the objects are made once all are in.
      const records = await connection.executeRead(statement, params as Params | undefined, (row) => only.read(row, 0));
      const objects = [loadRecords(only.mapper, records, this.identityMap, this)];
      return { loader: alone!, raw: null, objects, repeats: false, rowCount: records.length };
    }
    const result = (await connection.execute(plan?.statement ?? statement, params)) as Result<unknown>;
    const loader = loaderFor(statement.state.items, plan?.names ?? result.keys());
    if (loader === null) return { result, loader };
    const raw = result.rawRows();
    const objects = loadObjects(loader, raw, this.identityMap, this);
    const repeats = plan !== null && (await plan.finish(raw, objects));
    return { loader, raw, objects, repeats, rowCount: result.rowCount };
  }

  /** `update(User)` / `delete_(User)`: runs the statement and synchronizes loaded objects (see `orm-dml.ts`). */
  async #executeOrmDml(statement: Update<any, any> | Delete<any>, params: Params | readonly Params[] | undefined): Promise<Result<unknown>> {
    if (this.autoflush) await this.flush();
    const mapper = mapperOf(statement.entity as unknown as ModelClass);
    const states = [...this.identityMap.values()].filter((s) => s.mapper === mapper && s.status === 'persistent');
    const outcome = await executeOrmDml(await this.connection(), statement, mapper, states, params);
    for (const state of outcome.deleted) {
      this.#dirty.delete(state);
      this.#deleted.delete(state);
      this.identityMap.remove(state);
      this.#deletedInTransaction.add(state);
      state.status = 'deleted';
    }
    for (const state of outcome.missing) this.#detach(state);
    // `update(User).returning(User)`: the updated rows as the session's objects (after the sync above).
    const loader = statement instanceof Update ? loaderFor(statement.returningItems, outcome.result.keys()) : null;
    if (loader === null) return outcome.result;
    const rows = loadRows(loader, outcome.result.all() as unknown as unknown[][], this.identityMap, this);
    return new Result(rows, loader.names, outcome.result.rowCount, null);
  }

  /**
   * The legacy 1.x query API over `select()` (see `orm/query/query.ts`); prefer `execute(select(...))`.
   *
   * @example
   * const ed = await session.query(User).filterBy({ name: 'ed' }).first();
   * // 2.0 style: await session.scalar(select(User).where(User.c.name.eq('ed')).limit(1))
   */
  query<const I extends readonly [QueryItem, ...QueryItem[]]>(...items: I): Query<QueryResult<I>, FilterByOf<I>, Select<TupleOf<I>, NamedOf<I>>> {
    this.#checkUsable();
    return new Query(this, items);
  }

  /** The first column of every row: `(await session.scalars(select(Movie))).all()`. */
  async scalars<S extends Executable>(statement: S, params?: Params): Promise<ScalarResult<FirstOf<StatementRow<S>>>> {
    const result = await this.#execute(statement, params, true);
    return (result instanceof Result ? result.scalars() : result) as ScalarResult<FirstOf<StatementRow<S>>>;
  }

  /** The first column of the first row, or null. */
  async scalar<S extends Executable>(statement: S, params?: Params): Promise<FirstOf<StatementRow<S>> | null> {
    return (await this.execute(statement, params)).scalar();
  }

  /**
   * The object with this primary key: from the identity map when the session has it (no query), else
   * loaded; null when there is no such row.
   *
   * @example
   * const movie = await session.get(Movie, 1);
   */
  async get<T extends object>(model: ModelClass<T>, key: PrimaryKeyValue): Promise<T | null> {
    this.#checkUsable();
    const mapper = mapperOf(model);
    const values = primaryKeyValues(mapper.primaryKeyKeys, key, mapper.name);
    const existing = this.identityMap.get(mapper.identityKey(values));
    if (existing !== undefined && existing.status === 'persistent' && existing.expired === null) return existing.obj as T;
    const where = mapper.primaryKey.map((column, i) => (column as ColumnElement).eq(values[i] as never));
    const result = await this.execute(select(model as never).where(...where));
    return (result.scalarOneOrNone() as T | null) ?? null;
  }

  /** Reloads an object's attributes from the database (all, or the keys given). */
  async refresh(obj: object): Promise<void> {
    this.#checkUsable();
    const state = requireState(obj);
    if (state.owner !== this || state.status !== 'persistent') {
      throw new InvalidRequestError(`${state.mapper.name} object is not persistent in this session; cannot refresh it`);
    }
    const missing = await reloadStates(await this.connection(), [state], { discardChanges: true });
    for (const gone of missing) this.#detach(gone);
  }

  /**
   * Loads relationships of an object, or of several at once (one SELECT per relationship and per 10,000
   * objects, whatever their number). This is the async form of SQLAlchemy's lazy loading: JavaScript
   * cannot wait inside a property read, so a relationship that was not loaded by the query (see the
   * loader options, `selectinload(...)`) raises when read until it is loaded here. It always queries,
   * except for a many-to-one whose target the session already holds. With one object and one key it
   * returns the loaded value.
   *
   * @example
   * const movies = await session.load(director, 'movies');       // SELECT ... WHERE ? = movies.director_id
   * await session.load(directors, 'movies');                     // ... WHERE movies.director_id IN (...)
   */
  async load<T extends object, K extends keyof T & string>(obj: T, key: K): Promise<T[K]>;
  async load<T extends object>(objects: T | readonly T[], ...keys: (keyof T & string)[]): Promise<void>;
  async load(objects: object | readonly object[], ...keys: string[]): Promise<unknown> {
    this.#checkUsable();
    const list = Array.isArray(objects) ? (objects as readonly object[]) : [objects as object];
    const states = list.map(requireState);
    for (const state of states) {
      if (state.owner !== this) throw new InvalidRequestError(`${state.mapper.name} object is not in this session; add() it before loading its relationships`);
    }
    if (participant?.load === undefined) throw new InvalidRequestError('relationships are not available (import them from the package entry point)');
    if (this.autoflush) await this.flush();
    await participant.load(this, states, keys);
    return Array.isArray(objects) || keys.length !== 1 ? undefined : (objects as Record<string, unknown>)[keys[0]!];
  }

  /**
   * Marks attributes expired (all but the primary key, or the keys given): reading one throws until
   * `refresh()` or a query reloads the row. The primary key stays readable: it is the object's identity.
   */
  expire(obj: object, keys?: readonly string[]): void {
    const state = requireState(obj);
    const expire = keys ?? state.mapper.columns.filter((c) => !state.mapper.primaryKeyKeys.includes(c.key)).map((c) => c.key);
    // A freshly loaded object shares one record for current and committed values; the committed ones
    // (the primary key among them, which reloading needs) must survive.
    if (state.committed === state.dict) state.committed = { ...state.dict };
    for (const key of expire) {
      if (!state.mapper.columnKeys.has(key)) throw new ArgumentError(`${state.mapper.name} has no column attribute "${key}"`);
      delete state.dict[key];
      state.modifiedKeys?.delete(key);
      (state.expired ??= new Set()).add(key);
    }
  }

  /** Expires every object in the session. */
  expireAll(): void {
    for (const state of this.identityMap.values()) this.expire(state.obj);
  }

  // ---- flush and transactions ---------------------------------------------------------------

  /** Writes pending changes in foreign key order; objects become persistent (or deleted). */
  async flush(): Promise<void> {
    this.#checkUsable();
    if (this.#flushing) return;
    if (this.#pending.size === 0 && this.#dirty.size === 0 && this.#deleted.size === 0) return;
    this.#flushing = true;
    try {
      const connection = await this.connection();
      const set = { pending: [...this.#pending], dirty: [...this.#dirty], deleted: [...this.#deleted] };
      let outcome;
      try {
        outcome = await flushChanges(connection, set, participant);
      } catch (error) {
        this.#failure = error;
        throw error;
      }
      for (const state of outcome.inserted) {
        state.status = 'persistent';
        state.owner = this;
        this.#pending.delete(state);
        this.#fileInserted(state);
        this.#insertedInTransaction.add(state);
        state.markFlushed();
      }
      for (const state of outcome.updated) {
        state.markFlushed();
        this.#updatedInTransaction.add(state);
        // An UPDATE of the primary key moves the object to its new identity.
        const key = state.mapper.identityKeyOf(state);
        if (key !== null && key !== state.key && state.key !== null) {
          this.identityMap.remove(state);
          state.key = key;
          this.identityMap.add(state);
        }
      }
      this.#dirty.clear();
      for (const state of outcome.deleted) {
        this.#deleted.delete(state);
        this.identityMap.remove(state);
        this.#deletedInTransaction.add(state);
        state.status = 'deleted';
      }
      participant?.afterFlush?.(this, outcome.set);
    } finally {
      this.#flushing = false;
    }
  }

  /** Flushes, commits, then (with expireOnCommit) reloads every object the session holds. */
  async commit(): Promise<void> {
    this.#checkUsable();
    await this.flush();
    const connection = this.#connection;
    if (connection === null) return;
    await connection.commit();
    for (const state of this.#deletedInTransaction) this.#detach(state);
    this.#deletedInTransaction.clear();
    this.#insertedInTransaction.clear();
    this.#updatedInTransaction.clear();
    // Inserted objects are reloaded too: the database may have stored something else than what was
    // written (a NUMERIC's scale, MySQL's DATETIME without fractions, a trigger).
    const reload = this.expireOnCommit ? null : [];
    await this.#afterTransaction(connection, reload);
  }

  /**
   * Rolls back: pending objects leave the session, objects inserted in the transaction become
   * transient again, deleted ones come back, and persistent ones lose their unflushed changes and are
   * reloaded (seed 001's rollback example). Also clears a failed flush.
   */
  async rollback(): Promise<void> {
    const connection = this.#connection;
    if (connection !== null) await connection.rollback();
    this.#failure = null;
    for (const state of this.#pending) this.#makeTransient(state);
    this.#pending.clear();
    for (const state of this.#insertedInTransaction) this.#makeTransient(state);
    this.#insertedInTransaction.clear();
    for (const state of this.#deleted) state.status = 'persistent';
    this.#deleted.clear();
    for (const state of this.#deletedInTransaction) {
      state.status = 'persistent';
      this.identityMap.add(state);
    }
    this.#deletedInTransaction.clear();
    for (const state of this.identityMap.values()) state.revert();
    this.#dirty.clear();
    participant?.afterRollback?.(this, [...this.identityMap.values()]);
    // Values a flush wrote in this transaction are gone from the database: reload those objects even
    // without expireOnCommit, or they would show rows that were never committed.
    const undone = [...this.#updatedInTransaction].filter((s) => s.owner === this && s.status === 'persistent');
    this.#updatedInTransaction.clear();
    if (connection !== null) await this.#afterTransaction(connection, this.expireOnCommit ? null : undone);
  }

  /**
   * Runs `work` in a transaction that commits when it resolves and rolls back when it throws, as
   * `with session.begin():` does. Like SQLAlchemy, it refuses to start while a transaction is open
   * (a query or flush begins one): committing that outer transaction at the end of `work` would end
   * more than `work` began.
   */
  async begin<T>(work: (session: this) => Promise<T>): Promise<T> {
    this.#checkUsable();
    if (this.inTransaction()) {
      throw new InvalidRequestError(
        'A transaction is already begun on this session; commit() or rollback() it first, or use session.beginNested() for a savepoint',
      );
    }
    try {
      const result = await work(this);
      await this.commit();
      return result;
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /**
   * Runs `work` inside a SAVEPOINT of the session's transaction (SQLAlchemy's `begin_nested()`),
   * flushing before and after it. When `work` throws, the database goes back to the savepoint and so
   * do the session's objects: those added or inserted inside are transient again, those deleted inside
   * are back, and every persistent object is reloaded; the outer transaction goes on.
   *
   * @example
   * try {
   *   await session.beginNested(async () => { session.add(new User({ name: 'dup' })); });
   * } catch (e) {
   *   if (!(e instanceof IntegrityError)) throw e;
   * }
   */
  async beginNested<T>(work: (session: this) => Promise<T>): Promise<T> {
    this.#checkUsable();
    await this.flush();
    const connection = await this.connection();
    const before = {
      pending: new Set(this.#pending),
      inserted: new Set(this.#insertedInTransaction),
      deleted: new Set(this.#deletedInTransaction),
    };
    const savepoint = await connection.beginNested();
    try {
      const result = await work(this);
      await this.flush();
      await savepoint.commit();
      return result;
    } catch (error) {
      await savepoint.rollback();
      await this.#undoSavepoint(connection, before);
      throw error;
    }
  }

  /** True while a transaction is open (after a query or flush, until commit or rollback). */
  inTransaction(): boolean {
    return this.#connection?.inTransaction() ?? false;
  }

  /** The session's connection, checked out on first use and returned at commit, rollback or close. */
  async connection(): Promise<Connection> {
    this.#connection ??= await this.engine.connect();
    return this.#connection;
  }

  /** Rolls back anything open, detaches every object and returns the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    const connection = this.#connection;
    this.#connection = null;
    if (connection !== null) await connection.close();
    // Everything goes at once: the collections are cleared, not emptied object by object.
    for (const state of this.#pending) {
      state.owner = null;
      state.status = 'transient';
      state.key = null;
    }
    // An indexed loop: for...of in code run too seldom to be optimized allocates a step object per object.
    const held = this.identityMap.values();
    for (let i = 0; i < held.length; i++) {
      held[i]!.owner = null;
      held[i]!.status = 'detached';
    }
    // Closing rolls back: rows inserted in the open transaction are gone, rows deleted in it are back.
    for (const state of this.#insertedInTransaction) {
      state.status = 'transient';
      state.key = null;
    }
    for (const state of this.#deletedInTransaction) {
      state.owner = null;
      state.status = 'detached';
    }
    this.identityMap.clear();
    for (const set of [this.#pending, this.#dirty, this.#deleted, this.#insertedInTransaction, this.#deletedInTransaction, this.#updatedInTransaction]) {
      set.clear();
    }
    this.#closed = true;
  }

  /** `await using session = ...` closes the session at the end of the block, as {@link close} does. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Reloads `reload` (null: every persistent object), then returns the connection to the pool. */
  async #afterTransaction(connection: Connection, reload: readonly InstanceState[] | null): Promise<void> {
    const states = reload ?? [...this.identityMap.values()].filter((s) => s.status === 'persistent');
    if (states.length > 0) {
      const missing = await reloadStates(connection, states, { discardChanges: false });
      for (const state of missing) this.#detach(state);
      await connection.rollback();
    }
    this.#connection = null;
    await connection.close();
  }

  /** Puts the session's objects back as they were when a savepoint began (see `beginNested`). */
  async #undoSavepoint(
    connection: Connection,
    before: { readonly pending: ReadonlySet<InstanceState>; readonly inserted: ReadonlySet<InstanceState>; readonly deleted: ReadonlySet<InstanceState> },
  ): Promise<void> {
    this.#failure = null;
    for (const state of [...this.#pending, ...this.#insertedInTransaction]) {
      if (!before.pending.has(state) && !before.inserted.has(state)) this.#makeTransient(state);
    }
    for (const state of this.#deleted) state.status = 'persistent';
    this.#deleted.clear();
    for (const state of [...this.#deletedInTransaction]) {
      if (before.deleted.has(state)) continue;
      this.#deletedInTransaction.delete(state);
      state.status = 'persistent';
      this.identityMap.add(state);
    }
    this.#dirty.clear();
    const states = [...this.identityMap.values()].filter((s) => s.status === 'persistent');
    participant?.afterRollback?.(this, states);
    const missing = await reloadStates(connection, states, { discardChanges: true });
    for (const state of missing) this.#detach(state);
  }

  /** Gives a just inserted object its identity key and files it in the identity map. */
  #fileInserted(state: InstanceState): void {
    const mapper = state.mapper;
    if (mapper.primaryKeyKeys.length !== 1) {
      state.key = mapper.identityKeyOf(state);
      if (state.key !== null) this.identityMap.add(state);
      return;
    }
    // A one-column key is filed by its value; the text key is made only if something asks for it.
    const value = state.dict[mapper.primaryKeyKeys[0]!];
    if (value === null || value === undefined) {
      state.key = null;
      return;
    }
    state.setLoadedKey(value);
    this.identityMap.addIn(mapper.tableNumber, innerKeyOf(value), state);
  }

  #checkUsable(): void {
    if (this.#closed) throw new InvalidRequestError('This session is closed; create a new one');
    if (this.#failure !== null) {
      const reason = this.#failure instanceof Error ? this.#failure.message : String(this.#failure);
      throw new InvalidRequestError(
        `This session's transaction has been rolled back due to a previous exception during flush; call session.rollback() before going on. Original error: ${reason}`,
      );
    }
  }

  #attach(state: InstanceState): void {
    const existing = state.key === null ? undefined : this.identityMap.get(state.key);
    if (existing !== undefined && existing !== state) {
      throw new InvalidRequestError(`another ${state.mapper.name} object with the same primary key is already in this session; use merge()`);
    }
    state.status = 'persistent';
    state.owner = this;
    this.identityMap.add(state);
    if (state.modifiedKeys !== null) this.#dirty.add(state);
  }

  #forget(state: InstanceState): void {
    this.#pending.delete(state);
    this.#dirty.delete(state);
    this.#deleted.delete(state);
    this.#insertedInTransaction.delete(state);
    this.#deletedInTransaction.delete(state);
    this.#updatedInTransaction.delete(state);
    this.identityMap.remove(state);
    state.owner = null;
  }

  #detach(state: InstanceState): void {
    this.#forget(state);
    state.status = 'detached';
  }

  #makeTransient(state: InstanceState): void {
    this.#forget(state);
    state.status = 'transient';
    state.key = null;
  }
}

// Sessions are usually short-lived (see util/keep-shape.ts).
keepShape(new Session(null as never));

/**
 * The save-update cascade of an added object. A model without relationships has nothing to cascade,
 * and asking cost `addAll()` of 10,000 such objects an empty Map and iterator per object.
 */
function cascadeAdd(session: Session, state: InstanceState): void {
  if (state.mapper.relationships.size > 0) participant?.cascadeAdd?.(session, state);
}

function requireState(obj: object): InstanceState {
  const state = typeof obj === 'object' && obj !== null ? stateOf(obj) : undefined;
  if (state === undefined) {
    throw new ArgumentError(`expected a model instance, got ${obj === null ? 'null' : typeof obj === 'object' ? obj.constructor.name : typeof obj}`);
  }
  return state;
}

function primaryKeyValues(keys: readonly string[], value: PrimaryKeyValue, model: string): unknown[] {
  if (Array.isArray(value)) {
    if (value.length !== keys.length) throw new ArgumentError(`${model} has a ${keys.length}-column primary key, got ${value.length} values`);
    return value;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return keys.map((k) => {
      if (!(k in (value as Record<string, unknown>))) throw new ArgumentError(`primary key of ${model} needs "${k}"`);
      return (value as Record<string, unknown>)[k];
    });
  }
  if (keys.length !== 1) throw new ArgumentError(`${model} has a composite primary key (${keys.join(', ')}); pass an array or a record`);
  return [value];
}

/** The lifecycle status of a model instance (transient until added to a session). */
export function objectStatus(obj: object): InstanceStatus {
  return requireState(obj).status;
}
