/**
 * `relationship()`: a model's link to another model, declared as a static property of the class with
 * a `declare`d instance field (TypeScript cannot infer circular class types through the base-class
 * expression, so the relationship cannot live in `Base.model(...)`'s column list).
 *
 * The static (`Director.movies`) is the class-level attribute used in queries: as a join target, in
 * `any()` / `has()` / `eq()` / `contains()` criteria and in loader options. The instance field
 * (`director.movies`) reads and writes the related objects; see `attributes.ts`.
 *
 * Everything that needs the other class (its mapper, the foreign keys between the tables) is resolved
 * on first use, so classes may refer to each other in any order and across files.
 */
import { ArgumentError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import { Table } from '../../schema/table.js';
import { ColumnElement, OrderByExpression } from '../../sql/elements/column-element.js';
import { and_, not_, or_ } from '../../sql/elements/conjunctions.js';
import { literalColumn } from '../../sql/elements/text.js';
import { ENTITY, isEntity } from '../../sql/entity.js';
import { JOINABLE, type JoinPath, type Joinable, type JoinStep } from '../../sql/joinable.js';
import type { FromClause } from '../../sql/selectable.js';
import { type OrderByItem, select } from '../../sql/statements/select.js';
import { type Mapper, type ModelClass, RELATIONSHIP, type RelationshipProperty, mapNotedClasses, mapperOf } from '../mapper.js';
import { stateOf } from '../session/instance-state.js';
import { installAccessor } from './attributes.js';
import { type Cascade, DEFAULT_CASCADE, parseCascade } from './cascade.js';
import { type ColumnAdapter, type Direction, type JoinCondition, adapterFor, pairsEqual, resolveJoinCondition, tableOfFrom } from './join-condition.js';
import { LOADERS } from './loaders/index.js';
import type { LazyStrategy, LoaderStrategy } from './loaders/strategy.js';

/** A value, or a function returning it (for things defined later in the file or in another file). */
export type Thunk<T> = T | (() => T);

function force<T>(value: Thunk<T>): T {
  return typeof value === 'function' ? (value as () => T)() : value;
}

/** The options of {@link relationship}, SQLAlchemy's names in camelCase. */
export interface RelationshipOptions {
  /** The relationship on the target class that is the other side of this one; kept in sync in memory. */
  readonly backPopulates?: string;
  /** The association table of a many-to-many relationship (a plain Table on the same MetaData). */
  readonly secondary?: Thunk<Table>;
  /** Which session operations cascade to the related objects; default `'save-update, merge'`. */
  readonly cascade?: string;
  /** The loader strategy (default `'select'`: loaded by `session.load()` or a loader option). */
  readonly lazy?: LazyStrategy;
  /** With `lazy: 'joined'`: an INNER JOIN instead of LEFT OUTER (for a many-to-one that is never NULL). */
  readonly innerJoin?: boolean;
  /** The order of a collection, over the target's columns; default: the target's primary key. */
  readonly orderBy?: Thunk<OrderByItem | readonly OrderByItem[]>;
  /** A list (true) or a single object (false); by default a list except for many-to-one. */
  readonly uselist?: boolean;
  /**
   * Leave the deletion of unloaded children to the database's ON DELETE (true), or never touch
   * children on delete at all, loaded or not (`'all'`).
   */
  readonly passiveDeletes?: boolean | 'all';
  /** The foreign key columns to join by, when several foreign keys link the tables. */
  readonly foreignKeys?: Thunk<readonly Column[]>;
  /** The join as column equalities, when foreign keys cannot tell: `() => Director.c.id.eq(Movie.c.directorId)`. */
  readonly primaryJoin?: Thunk<ColumnElement<boolean>>;
  /** Self-referential: the columns on the remote side, making it many-to-one (`() => [Node.c.id]`). */
  readonly remoteSide?: Thunk<readonly Column[]>;
}

/** Every relationship made, so the models that declare them can be found from their targets. */
const registry: RelationshipConfig[] = [];

/** @internal every relationship declared so far (the flush looks for association tables of deleted objects). */
export function allRelationships(): readonly RelationshipConfig[] {
  configureMappers();
  return registry;
}

/**
 * Maps every model whose columns were used and every model reachable from the declared relationships'
 * targets, which binds the relationships those models declare: a relationship used before its own
 * model was ever selected or instantiated is found this way.
 */
export function configureMappers(): void {
  mapNotedClasses();
  for (let progress = true; progress; ) {
    progress = false;
    for (const config of registry) {
      if (config.targetClass !== null) continue;
      try {
        config.targetClass = config.targetThunk();
      } catch {
        continue; // A class not defined yet (temporal dead zone); tried again on next use.
      }
      if (config.targetClass !== undefined && config.targetClass !== null) {
        mapperOf(config.targetClass);
        progress = true;
      }
    }
  }
}

interface Resolved {
  readonly target: Mapper;
  readonly condition: JoinCondition;
  readonly uselist: boolean;
  readonly cascade: Cascade;
  readonly strategy: LoaderStrategy;
  readonly orderBy: readonly OrderByExpression[];
  /** Many-to-one whose remote columns are the target's primary key: position of each key column in `remote`. */
  readonly remoteKeyOrder: readonly number[] | null;
}

/**
 * The shared definition of one relationship, resolved on first use. @internal: users hold the
 * {@link Relationship} object; loaders and the flush read this.
 */
export class RelationshipConfig {
  parent: Mapper | null = null;
  key: string | null = null;
  targetClass: ModelClass | null = null;
  #resolved: Resolved | null = null;
  #resolving = false;
  #reverse: RelationshipConfig | null | undefined = undefined;

  constructor(
    readonly targetThunk: () => ModelClass,
    readonly options: RelationshipOptions,
  ) {
    registry.push(this);
  }

  /** Called when a mapper finds the relationship among its class's statics. */
  bind(mapper: Mapper, key: string): void {
    if (this.parent === null) {
      this.parent = mapper;
      this.key = key;
    }
    installAccessor(mapper.cls.prototype as object, key, this);
  }

  /** `Director.movies`. */
  get name(): string {
    return this.parent === null ? `relationship(${this.key ?? '?'})` : `${this.parent.name}.${this.key}`;
  }

  get parentMapper(): Mapper {
    if (this.parent === null) configureMappers();
    if (this.parent === null) {
      let target = '?';
      try {
        target = this.targetThunk().name;
      } catch {
        // The target class is not defined yet either.
      }
      throw new ArgumentError(
        `a relationship to ${target} was used before the model declaring it was seen; use that model once first (its columns, a select of it, an instance) or give ${target} the other side with backPopulates`,
      );
    }
    return this.parent;
  }

  get resolved(): Resolved {
    if (this.#resolved === null) {
      if (this.#resolving) throw new ArgumentError(`${this.name} refers to itself while being configured`);
      this.#resolving = true;
      try {
        this.#resolved = this.#resolve();
      } finally {
        this.#resolving = false;
      }
    }
    return this.#resolved;
  }

  #resolve(): Resolved {
    const parent = this.parentMapper;
    let targetClass: ModelClass;
    try {
      targetClass = this.targetClass ?? this.targetThunk();
    } catch (error) {
      throw new ArgumentError(`${this.name}: its target class is not defined yet (${(error as Error).message})`);
    }
    this.targetClass = targetClass;
    const target = mapperOf(targetClass);
    const o = this.options;
    const secondary = o.secondary === undefined ? null : force(o.secondary);
    if (secondary !== null && !(secondary instanceof Table)) throw new ArgumentError(`${this.name}: secondary must be a Table`);
    const condition = resolveJoinCondition({
      name: this.name,
      parent: parent.table,
      target: target.table,
      secondary,
      foreignKeys: o.foreignKeys === undefined ? null : force(o.foreignKeys),
      remoteSide: o.remoteSide === undefined ? null : force(o.remoteSide),
      primaryJoin: o.primaryJoin === undefined ? null : force(o.primaryJoin),
      secondaryJoin: null,
    });
    const uselist = o.uselist ?? condition.direction !== 'manyToOne';
    if (uselist && condition.direction === 'manyToOne') throw new ArgumentError(`${this.name}: a many-to-one relationship holds one object; remove uselist: true`);
    const lazy = o.lazy ?? 'select';
    const strategy = LOADERS[lazy];
    if (strategy === undefined) throw new ArgumentError(`${this.name}: unknown lazy strategy "${String(lazy)}" (known: ${Object.keys(LOADERS).join(', ')})`);
    if ((lazy === 'write_only' || lazy === 'dynamic') && !uselist) throw new ArgumentError(`${this.name}: lazy: '${lazy}' is for collections`);
    const cascade = parseCascade(o.cascade ?? DEFAULT_CASCADE, this.name);
    if (cascade.deleteOrphan && condition.direction !== 'oneToMany') {
      throw new ArgumentError(`${this.name}: delete-orphan cascade belongs on the one-to-many side (the parent's collection)`);
    }
    const orderBy = o.orderBy === undefined ? [] : [force(o.orderBy)].flat().map((item) => (item instanceof OrderByExpression ? item : new OrderByExpression(item as ColumnElement, null, null)));
    let remoteKeyOrder: number[] | null = null;
    if (condition.direction === 'manyToOne' && condition.remote.length === target.primaryKey.length) {
      const order = target.primaryKey.map((pk) => condition.remote.indexOf(pk as Column));
      if (order.every((i) => i !== -1)) remoteKeyOrder = order;
    }
    return { target, condition, uselist, cascade, strategy, orderBy, remoteKeyOrder };
  }

  get target(): Mapper {
    return this.resolved.target;
  }
  get direction(): Direction {
    return this.resolved.condition.direction;
  }
  get condition(): JoinCondition {
    return this.resolved.condition;
  }
  get uselist(): boolean {
    return this.resolved.uselist;
  }
  get cascade(): Cascade {
    return this.resolved.cascade;
  }
  get strategy(): LoaderStrategy {
    return this.resolved.strategy;
  }
  get orderBy(): readonly OrderByExpression[] {
    return this.resolved.orderBy;
  }
  get passiveDeletes(): boolean | 'all' {
    return this.options.passiveDeletes ?? false;
  }
  get innerJoin(): boolean {
    return this.options.innerJoin ?? false;
  }

  /** The relationship named by backPopulates, checked to point back here; null without one. */
  get reverse(): RelationshipConfig | null {
    if (this.#reverse === undefined) {
      const name = this.options.backPopulates;
      if (name === undefined) {
        this.#reverse = null;
      } else {
        const target = this.target;
        const other = target.relationships.get(name) as Relationship | undefined;
        if (other === undefined || !(other instanceof Relationship)) {
          throw new ArgumentError(`${this.name}: backPopulates names "${name}", which is not a relationship of ${target.name}`);
        }
        const config = other.config;
        if (config.target !== this.parentMapper) {
          throw new ArgumentError(`${this.name}: backPopulates names ${config.name}, which refers to ${config.target.name}, not ${this.parentMapper.name}`);
        }
        this.#reverse = config;
      }
    }
    return this.#reverse;
  }

  /** The identity key of the target a many-to-one points at, from the parent's foreign key values. */
  targetKey(values: readonly unknown[]): string | null {
    const order = this.resolved.remoteKeyOrder;
    if (order === null) return null;
    return this.target.identityKey(order.map((i) => values[i]));
  }

  /** The columns to order a loaded collection by: orderBy, else the target's primary key. */
  get loadOrder(): readonly OrderByExpression[] {
    const order = this.orderBy;
    return order.length > 0 ? order : this.target.primaryKey.map((c) => new OrderByExpression(c, null, null));
  }

  /**
   * The ON clauses from the parent's FROM object to the target's, through an alias of the association
   * table for many-to-many.
   */
  joinSteps(parent: ColumnAdapter, targetFrom: FromClause, extra: readonly ColumnElement<boolean>[] = []): JoinStep[] {
    const c = this.condition;
    const target = adapterFor(targetFrom);
    const withExtra = (on: ColumnElement<boolean>) => (extra.length === 0 ? on : and_(on, ...extra));
    if (c.direction === 'manyToMany') {
      const secondary = c.secondary!.alias();
      const s = adapterFor(secondary);
      return [
        { target: secondary, on: pairsEqual(c.local.map(parent), c.remote.map(s)) },
        { target: targetFrom, on: withExtra(pairsEqual(c.targetColumns.map(target), c.secondaryColumns.map(s))) },
      ];
    }
    const on = c.direction === 'oneToMany' ? pairsEqual(c.local.map(parent), c.remote.map(target)) : pairsEqual(c.remote.map(target), c.local.map(parent));
    return [{ target: targetFrom, on: withExtra(on) }];
  }
}

/** How a {@link Relationship} object is seen: through an alias of either side, with extra criteria. */
interface View {
  readonly parentFrom: FromClause | null;
  readonly targetFrom: FromClause | null;
  readonly criteria: readonly ColumnElement<boolean>[];
}

const ROOT_VIEW: View = { parentFrom: null, targetFrom: null, criteria: [] };

/** Criteria for `any()` / `has()`: an expression, or equality by attribute key (`{ keyword: 'x' }`). */
export type RelationshipCriterion<T> = ColumnElement<boolean> | { readonly [K in keyof T]?: T[K] };

/** Anything standing for a model in FROM: an `aliased()` entity or a plain FROM object. */
type AliasTarget = FromClause | { readonly [ENTITY]: { readonly from: FromClause } };

/**
 * The class-level side of a relationship (`Director.movies`): a join target, SQL criteria and the
 * handle loader options name. `T` is the target's instance type.
 *
 * @example
 * select(Movie.c.title, Director.c.name).join(Movie.director)
 * select(Director).where(Director.movies.any(Movie.c.rating.gt(8.5)))
 * select(Movie).where(Movie.director.eq(nolan))
 * select(Director).options(selectinload(Director.movies))
 */
export class Relationship<T extends object = object> implements RelationshipProperty, Joinable {
  readonly [RELATIONSHIP] = true as const;
  /** @internal phantom carrier of the target's instance type. */
  declare readonly __target: T;

  /** @internal */
  constructor(
    readonly config: RelationshipConfig,
    readonly view: View = ROOT_VIEW,
  ) {}

  /** @internal called by the mapper. */
  bind(mapper: Mapper, key: string): void {
    this.config.bind(mapper, key);
  }

  /** The attribute name (`movies`). */
  get key(): string {
    void this.config.parentMapper;
    return this.config.key!;
  }

  toString(): string {
    return this.config.name;
  }

  /** The relationship seen from an alias of its parent (what `aliased(User).addresses` returns). @internal */
  fromParent(parentFrom: FromClause): Relationship<T> {
    return new Relationship(this.config, { ...this.view, parentFrom });
  }

  /**
   * The relationship ending at an alias of the target, for joins and criteria: SQLAlchemy's `of_type()`.
   *
   * @example
   * const a1 = aliased(Address), a2 = aliased(Address);
   * select(User.c.name, a1.c.emailAddress, a2.c.emailAddress).join(User.addresses.ofType(a1)).join(User.addresses.ofType(a2))
   */
  ofType(target: AliasTarget): Relationship<T> {
    const from = isEntity(target) ? target[ENTITY].from : (target as FromClause);
    return new Relationship(this.config, { ...this.view, targetFrom: from });
  }

  /** Extra ON criteria for joins along this relationship: `join(User.addresses.and(Address.c.email.like('%@x')))`. */
  and(...criteria: ColumnElement<boolean>[]): Relationship<T> {
    return new Relationship(this.config, { ...this.view, criteria: [...this.view.criteria, ...criteria] });
  }

  #parentAdapter(): ColumnAdapter {
    return adapterFor(this.view.parentFrom ?? this.config.parentMapper.table);
  }

  /** @internal Select.join(): the path from the parent's FROM object to the target. */
  [JOINABLE](froms: readonly FromClause[], target: FromClause | null): JoinPath {
    const config = this.config;
    const parentTable = config.parentMapper.table;
    const left = this.view.parentFrom ?? findFrom(froms, parentTable) ?? parentTable;
    const targetFrom = target ?? this.view.targetFrom ?? config.target.table;
    if (tableOfFrom(targetFrom) !== null && tableOfFrom(targetFrom) !== config.target.table) {
      throw new ArgumentError(`join(): ${config.name} leads to ${config.target.table.name}, not to the target given`);
    }
    return { left, steps: config.joinSteps(adapterFor(left), targetFrom, this.view.criteria) };
  }

  /** `EXISTS (SELECT 1 FROM target WHERE <join> AND criteria)` for a collection. */
  any(criterion?: RelationshipCriterion<T>): ColumnElement<boolean> {
    if (!this.config.uselist) throw new ArgumentError(`${this.config.name} is not a collection; use has()`);
    return this.#exists(criterion);
  }

  /** `EXISTS (...)` for a many-to-one (or one-to-one): `Address.user.has(User.c.name.eq('jack'))`. */
  has(criterion?: RelationshipCriterion<T>): ColumnElement<boolean> {
    if (this.config.uselist) throw new ArgumentError(`${this.config.name} is a collection; use any()`);
    return this.#exists(criterion);
  }

  #exists(criterion: RelationshipCriterion<T> | undefined): ColumnElement<boolean> {
    const config = this.config;
    // A self-referential target needs its own name inside the subquery.
    const targetFrom = this.view.targetFrom ?? (config.target.table === config.parentMapper.table ? config.target.table.alias() : config.target.table);
    const steps = config.joinSteps(this.#parentAdapter(), targetFrom, this.view.criteria);
    const where = [...steps.map((s) => s.on), ...criteriaOf(criterion, config, targetFrom)];
    // The target (and association table) are the subquery's own even when the enclosing query joins them.
    return select(literalColumn('1'))
      .where(...where)
      .correlateExcept(...steps.map((s) => s.target))
      .exists();
  }

  /**
   * Many-to-one compared with an object: its foreign key equals the object's key; `eq(null)` is
   * `IS NULL`. The object must have its key (flush a pending one first).
   */
  eq(other: T | null): ColumnElement<boolean> {
    const config = this.#manyToOne('eq');
    const local = config.condition.local.map(this.#parentAdapter());
    if (other === null) return and_(...local.map((c) => c.isNull()));
    const values = remoteValues(config, other);
    return and_(...local.map((c, i) => c.eq(values[i] as never)));
  }

  /** Many-to-one not equal to an object (or NULL): `fk != key OR fk IS NULL`, as SQLAlchemy renders it. */
  ne(other: T | null): ColumnElement<boolean> {
    const config = this.#manyToOne('ne');
    const local = config.condition.local.map(this.#parentAdapter());
    if (other === null) return and_(...local.map((c) => c.isNotNull()));
    const values = remoteValues(config, other);
    return or_(not_(and_(...local.map((c, i) => c.eq(values[i] as never)))), ...local.map((c) => c.isNull()));
  }

  #manyToOne(what: string): RelationshipConfig {
    if (this.config.direction !== 'manyToOne') throw new ArgumentError(`${this.config.name}.${what}() compares a many-to-one with an object; use contains() or any() for a collection`);
    return this.config;
  }

  /** A collection containing an object: `User.addresses.contains(address)`. */
  contains(other: T): ColumnElement<boolean> {
    const config = this.config;
    const c = config.condition;
    const parent = this.#parentAdapter();
    const state = stateOf(other);
    if (state === undefined || state.mapper !== config.target) throw new ArgumentError(`${config.name}.contains() needs a ${config.target.name}`);
    if (c.direction === 'oneToMany') {
      const values = c.remote.map((col) => valueOf(state.dict, col.key, config));
      return and_(...c.local.map((col, i) => parent(col).eq(values[i] as never)));
    }
    if (c.direction === 'manyToMany') {
      const values = c.targetColumns.map((col) => valueOf(state.dict, col.key, config));
      return select(literalColumn('1'))
        .where(pairsEqual(c.local.map(parent), c.remote), ...c.secondaryColumns.map((col, i) => (col as ColumnElement).eq(values[i] as never)))
        .correlateExcept(c.secondary!)
        .exists();
    }
    throw new ArgumentError(`${config.name} is not a collection; use eq()`);
  }
}

function findFrom(froms: readonly FromClause[], table: Table): FromClause | null {
  for (const from of froms) {
    if (from === table) return from;
    if (from.kind === 'Join' && from.contains(table)) return table;
  }
  return null;
}

function valueOf(dict: Record<string, unknown>, key: string, config: RelationshipConfig): unknown {
  const value = dict[key];
  if (value === undefined || value === null) {
    throw new ArgumentError(`${config.name}: the ${config.target.name} compared has no "${key}" yet; flush the session first`);
  }
  return value;
}

/** The target's values of the columns a many-to-one's foreign key refers to. */
function remoteValues(config: RelationshipConfig, other: object): unknown[] {
  const state = stateOf(other);
  if (state === undefined || state.mapper !== config.target) throw new ArgumentError(`${config.name} compares with a ${config.target.name}, got ${String(other)}`);
  return config.condition.remote.map((c) => valueOf(state.dict, c.key, config));
}

/** `any()` / `has()` criteria: an expression, or equalities by attribute key on the target. */
function criteriaOf(criterion: unknown, config: RelationshipConfig, targetFrom: FromClause): ColumnElement<boolean>[] {
  if (criterion === undefined) return [];
  if (criterion instanceof ColumnElement) return [criterion as ColumnElement<boolean>];
  const adapt = adapterFor(targetFrom);
  return Object.entries(criterion as Record<string, unknown>).map(([key, value]) => {
    const column = config.target.table.columns.find((c) => c.key === key);
    if (column === undefined) throw new ArgumentError(`${config.target.name} has no column attribute "${key}"`);
    return adapt(column).eq(value as never);
  });
}

/**
 * Declares a relationship to another model, as a static property next to a `declare`d instance field.
 * Which foreign key joins the two tables is found from the MetaData (pass `foreignKeys` when several
 * could); many-to-many goes through `secondary`. The target is a thunk so it may be defined later.
 *
 * @example
 * class Director extends Base.model('directors', {
 *   id: mapped(t.Integer(), { primaryKey: true }),
 *   name: mapped(t.String(64), { unique: true }),
 * }) {
 *   declare movies: InstrumentedList<Movie>;
 *   static movies = relationship(() => Movie, { backPopulates: 'director', cascade: 'all, delete-orphan' });
 * }
 * class Movie extends Base.model('movies', {
 *   id: mapped(t.Integer(), { primaryKey: true }),
 *   directorId: mapped(t.Integer(), { name: 'director_id', foreignKey: 'directors.id', index: true }),
 * }) {
 *   declare director: Director | null;
 *   static director = relationship(() => Director, { backPopulates: 'movies', lazy: 'joined' });
 *   declare genres: InstrumentedList<Genre>;
 *   static genres = relationship(() => Genre, { secondary: () => moviesGenres, backPopulates: 'movies' });
 * }
 */
export function relationship<T extends object>(target: () => ModelClass<T>, options: RelationshipOptions = {}): Relationship<T> {
  if (typeof target !== 'function') throw new ArgumentError('relationship() takes a function returning the target class: relationship(() => Movie)');
  return new Relationship<T>(new RelationshipConfig(target as () => ModelClass, options));
}
