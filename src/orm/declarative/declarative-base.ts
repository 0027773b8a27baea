/**
 * Declarative models: `class Base extends DeclarativeBase {}` collects tables in `Base.metadata`, and
 * `class Movie extends Base.model('movies', { ...mapped columns }) { ... }` declares a model whose
 * instance fields and insert shape are inferred from its columns.
 *
 * Column expressions live under `Movie.c` (`Movie.c.title`), as a Table's do: a class's own `name` and
 * `length` properties would hide columns of those names if they were statics of the class itself.
 */
import { ArgumentError, InvalidRequestError } from '../../errors.js';
import { MetaData, type MetaDataOptions } from '../../schema/metadata.js';
import { type ColumnSpecs, type RowOf, Table, type TableColumns, type TableOptions } from '../../schema/table.js';
import { ENTITY, type EntityInfo } from '../../sql/entity.js';
import type { Simplify } from '../../sql/row.js';
import { JOINABLE } from '../../sql/joinable.js';
import type { FromClause } from '../../sql/selectable.js';
import { MODEL_TABLE, mapperOf, noteModelClass, type ModelClass } from '../mapper.js';
import { type AwaitableAttrs, awaitableAttrs } from '../relationships/awaitable-attrs.js';
import { inferEntityJoin } from '../relationships/join-condition.js';
import { InstanceState, attachState, stateOf } from '../session/instance-state.js';

const OWN_METADATA: unique symbol = Symbol('tsmig.metadata');

/** The static side a model class gets from `Base.model(...)`. */
export interface ModelStatics<C extends ColumnSpecs> {
  /** The model's table. */
  readonly table: Table<C>;
  /** Column expressions by attribute key: `Movie.c.title.eq('Alien')`. */
  readonly c: TableColumns<C>;
  readonly [MODEL_TABLE]: Table;
  readonly [ENTITY]: EntityInfo;
}

/**
 * What `new Model({...})` accepts: every NOT NULL column without a default or generated key is
 * required, as for an INSERT, except foreign keys (usually filled from a relationship at flush);
 * relationship attributes may be given too (`new User({ name, addresses: [...] })`).
 */
export type ModelInit<C extends ColumnSpecs> = Simplify<
  { -readonly [K in keyof C as C[K]['__initOptional'] extends true ? never : K]: RowOf<C>[K] } & {
    -readonly [K in keyof C as C[K]['__initOptional'] extends true ? K : never]?: RowOf<C>[K];
  }
> &
  Record<string, unknown>;

/** What `Base.model(...)` returns: a class to extend, whose instances carry the mapped attributes. */
export type ModelBase<B extends abstract new (...args: any) => any, C extends ColumnSpecs> = {
  /** A new (transient) object with these attribute values; required columns must be given. */
  new (init: ModelInit<C>): InstanceType<B> & RowOf<C>;
  /**
   * A new object without values, for a subclass constructor's `super()` that sets attributes itself;
   * its required attributes read null until set, and a flush without them fails on NOT NULL.
   */
  new (): InstanceType<B> & RowOf<C>;
} & ModelStatics<C> &
  Omit<B, 'prototype'>;

/**
 * The base of declarative models. Subclass it once per MetaData.
 *
 * @example
 * class Base extends DeclarativeBase {}
 * class Movie extends Base.model('movies', {
 *   id: mapped(t.Integer(), { primaryKey: true }),
 *   title: mapped(t.String(128), { unique: true }),
 * }) {
 *   override toString() { return `<Movie ${this.title}>`; }
 * }
 * const movie = new Movie({ title: 'Alien' });
 */
export class DeclarativeBase {
  /** The MetaData holding every model table of this base (one per direct subclass of DeclarativeBase). */
  static get metadata(): MetaData {
    const root = baseRoot(this);
    let metadata = (root as { [OWN_METADATA]?: MetaData })[OWN_METADATA];
    if (metadata === undefined) {
      metadata = new MetaData();
      Object.defineProperty(root, OWN_METADATA, { value: metadata });
    }
    return metadata;
  }

  /** Declares a model's table and columns; extend the returned class. */
  static model<B extends typeof DeclarativeBase, const C extends ColumnSpecs>(
    this: B,
    tableName: string,
    columns: C,
    options: TableOptions<C> = {},
  ): ModelBase<B, C> {
    const table = new Table(tableName, this.metadata, columns, options);
    const Model = class extends (this as typeof DeclarativeBase) {};
    Object.defineProperties(Model, {
      [MODEL_TABLE]: { value: table },
      // Getters, so that using a model's columns notes the class for relationship configuration.
      table: {
        get(this: ModelClass) {
          noteModelClass(this);
          return table;
        },
      },
      c: {
        get(this: ModelClass) {
          noteModelClass(this);
          return table.c;
        },
      },
      [ENTITY]: {
        get(this: ModelClass): EntityInfo {
          return { from: mapperOf(this).table, name: this.name };
        },
      },
      // `select(User).join(Address)`: the ON clause along the one foreign key between the tables.
      [JOINABLE]: {
        value: (froms: readonly FromClause[], target: FromClause | null) => inferEntityJoin(froms, target ?? table),
      },
    });
    for (const column of table.columns) defineAttribute(Model.prototype, column.key);
    return Model as unknown as ModelBase<B, C>;
  }

  /**
   * Attributes as promises (SQLAlchemy's `AsyncAttrs.awaitable_attrs`): `await director.awaitableAttrs.movies`
   * loads the relationship through the object's session when it is not loaded yet, as
   * `await session.load(director, 'movies')` does, and returns it.
   */
  get awaitableAttrs(): AwaitableAttrs<this> {
    return awaitableAttrs(this);
  }

  /** Sets the attributes given; unknown keys are an error naming the model and the key. */
  constructor(init?: Record<string, unknown>) {
    const mapper = mapperOf(new.target as unknown as ModelClass);
    const state = new InstanceState(mapper, this);
    attachState(this, state);
    if (init === undefined) return;
    for (const key of Object.keys(init)) {
      // A new object has nothing to track changes against: column values go straight into its state
      // (the INSERT writes them all), which halves the cost of building many objects.
      if (mapper.columnKeys.has(key)) state.dict[key] = init[key];
      else if (mapper.hasAttribute(key)) (this as Record<string, unknown>)[key] = init[key];
      else throw new ArgumentError(`${new.target.name} has no attribute "${key}"`);
    }
  }
}

/** A base with its own MetaData options: `class Base extends declarativeBase({ namingConvention }) {}`. */
export function declarativeBase(options: MetaDataOptions): typeof DeclarativeBase {
  const Base = class extends DeclarativeBase {};
  Object.defineProperty(Base, OWN_METADATA, { value: new MetaData(options) });
  return Base;
}

/** The direct subclass of DeclarativeBase that `cls` descends from: the owner of the MetaData. */
function baseRoot(cls: Function): Function {
  let current = cls;
  for (;;) {
    const parent = Object.getPrototypeOf(current) as Function;
    if (parent === DeclarativeBase || parent === Function.prototype || parent === null) return current;
    if (Object.hasOwn(current, OWN_METADATA)) return current;
    current = parent;
  }
}

function expiredError(model: string, key: string): InvalidRequestError {
  return new InvalidRequestError(
    `${model}.${key} was expired and cannot be loaded on access (JavaScript cannot wait there); await session.refresh(obj) first`,
  );
}

/** A column attribute: reads and writes go through the instance state, so changes are tracked. */
function defineAttribute(prototype: object, key: string): void {
  Object.defineProperty(prototype, key, {
    configurable: true,
    enumerable: true,
    get(this: object) {
      const state = stateOf(this)!;
      if (key in state.dict) return state.dict[key];
      if (state.expired?.has(key)) throw expiredError(state.mapper.name, key);
      return null;
    },
    set(this: object, value: unknown) {
      stateOf(this)!.set(key, value);
    },
  });
}
