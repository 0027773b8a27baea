/**
 * The mapping of a model class onto its Table: which attribute is which column, the primary key, the
 * identity key that makes one row one object in a session, and (once configured) the relationships.
 * Mappers are made on first use of a class, since JavaScript offers no hook when a subclass is defined.
 */
import { ArgumentError } from '../errors.js';
import { keepShape } from '../util/keep-shape.js';
import type { Column } from '../schema/column.js';
import type { Table } from '../schema/table.js';
import { innerKeyOf, keyPart, splitIdentityKey } from './session/identity-key.js';
import { InstanceState, STATE, attachState } from './session/instance-state.js';

/** The static slot where a model class keeps its Table. */
export const MODEL_TABLE: unique symbol = Symbol('tsmig.modelTable');

/** Marks a static property of a model class as a relationship (see `orm/relationships/`). */
export const RELATIONSHIP: unique symbol = Symbol('tsmig.relationship');

/** A relationship as the mapper sees it; `orm/relationships/` implements it. */
export interface RelationshipProperty {
  readonly [RELATIONSHIP]: true;
  /** Called once when the mapper finds it: the owning mapper and the attribute key. */
  bind(mapper: Mapper, key: string): void;
}

/** Any model class: constructible, with a Table. */
export type ModelClass<I extends object = object> = (abstract new (...args: never[]) => I) & { readonly [MODEL_TABLE]: Table };

export class Mapper {
  readonly table: Table;
  readonly columns: readonly Column[];
  readonly columnKeys: ReadonlySet<string>;
  readonly primaryKey: readonly Column[];
  /** Attribute keys of the primary key columns, in key order. */
  readonly primaryKeyKeys: readonly string[];

  #relationships: Map<string, RelationshipProperty> | null = null;
  #prefix: string | null = null;
  #tableNumber: number | null = null;
  #blank: (new () => object) | null = null;

  constructor(readonly cls: ModelClass) {
    this.table = cls[MODEL_TABLE];
    this.columns = this.table.columns;
    this.columnKeys = new Set(this.columns.map((c) => c.key));
    this.primaryKey = this.table.primaryKey?.columns ?? [];
    if (this.primaryKey.length === 0) {
      throw new ArgumentError(`model ${cls.name} (table "${this.table.name}") has no primary key; the ORM needs one to identify rows`);
    }
    this.primaryKeyKeys = this.primaryKey.map((c) => c.key);
  }

  get name(): string {
    return this.cls.name;
  }

  /**
   * The relationships: static properties of the class (and its model ancestors) that are relationship
   * objects, found on first use so that classes may refer to each other in any order.
   */
  get relationships(): ReadonlyMap<string, RelationshipProperty> {
    if (this.#relationships === null) {
      const found = new Map<string, RelationshipProperty>();
      for (let cls: object | null = this.cls; cls !== null && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
        for (const key of Object.getOwnPropertyNames(cls)) {
          const descriptor = Object.getOwnPropertyDescriptor(cls, key);
          const value: unknown = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
          if (!found.has(key) && typeof value === 'object' && value !== null && RELATIONSHIP in value) {
            found.set(key, value as RelationshipProperty);
          }
        }
      }
      this.#relationships = found;
      for (const [key, property] of found) property.bind(this, key);
    }
    return this.#relationships;
  }

  /** The identity key of a row: the model's table and its primary key values. */
  identityKey(pk: readonly unknown[]): string {
    return pk.length === 1 ? this.identityKeyOne(pk[0]) : `${this.#keyPrefix}${pk.map(keyPart).join('\u0000')}`;
  }

  /**
   * The identity key for a one-column primary key value. A short numeric prefix names the table, so
   * the key of an integer row id stays a flat string of a few characters that hashes fast: loading
   * 100,000 rows spent more time building and hashing `movies\0<id>` keys than creating the objects.
   */
  identityKeyOne(value: unknown): string {
    return this.#keyPrefix + keyPart(value);
  }

  /** The identity key of an object from its current primary key attributes, or null if incomplete. */
  identityKeyOf(state: InstanceState): string | null {
    if (this.primaryKeyKeys.length === 1) {
      const value = state.dict[this.primaryKeyKeys[0]!];
      return value === null || value === undefined ? null : this.identityKeyOne(value);
    }
    const values = this.primaryKeyKeys.map((k) => state.dict[k]);
    return values.some((v) => v === null || v === undefined) ? null : this.identityKey(values);
  }

  /**
   * @internal The identity map's inner key of an object from its current primary key attributes (the
   * part after the table number of `identityKeyOf`), without building and splitting the text key.
   */
  innerKeyOf(state: InstanceState): unknown {
    if (this.primaryKeyKeys.length === 1) return innerKeyOf(state.dict[this.primaryKeyKeys[0]!]);
    return splitIdentityKey(this.identityKeyOf(state)!)[1];
  }

  get #keyPrefix(): string {
    return (this.#prefix ??= `${this.tableNumber}\u0000`);
  }

  /** @internal The table's number in identity keys (see `session/identity-key.ts`). */
  get tableNumber(): number {
    return (this.#tableNumber ??= tableNumberOf(this.table));
  }

  /**
   * A new instance for a loaded row, made without running the user's constructor (as SQLAlchemy does);
   * `values` become its current and committed values.
   */
  newInstance(values?: Record<string, unknown>): InstanceState {
    const obj = new (this.#blank ??= blankInstances(this.cls.prototype))();
    const state = new InstanceState(this, obj, values);
    attachState(obj, state);
    return state;
  }

  /** True for a mapped attribute: a column or a relationship. */
  hasAttribute(key: string): boolean {
    return this.columnKeys.has(key) || this.relationships.has(key);
  }
}

/**
 * A constructor of empty instances of the class whose prototype is `prototype`, without running the
 * class's constructor. `Object.create(prototype)` gives every object room for four properties; objects
 * made by one plain function shrink to the one they hold (their state) once V8 has seen a few, a
 * fifth less for the garbage collector to copy per loaded row.
 */
function blankInstances(prototype: object): new () => object {
  function Blank(this: Record<symbol, unknown>) {
    this[STATE] = null;
  }
  Blank.prototype = prototype;
  // The hidden class of the model's loaded instances outlives them (see util/keep-shape.ts).
  keepShape(new (Blank as unknown as new () => object)());
  return Blank as unknown as new () => object;
}

const tableNumbers = new WeakMap<Table, number>();
let tableCount = 0;

/** A small number per Table, unique in the process: the table's part of identity keys. */
function tableNumberOf(table: Table): number {
  let n = tableNumbers.get(table);
  if (n === undefined) tableNumbers.set(table, (n = ++tableCount));
  return n;
}

const mappers = new WeakMap<object, Mapper>();

/** Model classes whose statics were used before they were mapped (see {@link noteModelClass}). */
const noted = new Set<ModelClass>();

/**
 * @internal Records a model class whose statics (`Movie.c`, `Movie.table`) were used, so that its
 * relationships can be found when one is used before the class was mapped (`join(Movie.director)`
 * with nothing else having touched `Movie`). Mapping waits until then: the class may still be
 * initialising its statics when this runs.
 */
export function noteModelClass(cls: ModelClass): void {
  if (!mappers.has(cls)) noted.add(cls);
}

/** @internal maps every model class noted so far. */
export function mapNotedClasses(): void {
  for (const cls of [...noted]) {
    noted.delete(cls);
    mapperOf(cls);
  }
}

/** The mapper of a model class, made on first use. */
export function mapperOf(cls: ModelClass): Mapper {
  let mapper = mappers.get(cls);
  if (mapper === undefined) {
    if (!(MODEL_TABLE in cls)) throw new ArgumentError(`${String((cls as { name?: string }).name)} is not a model class (declare it with Base.model(...))`);
    mapper = new Mapper(cls);
    mappers.set(cls, mapper);
    // Finding the relationships binds them, which installs their instance accessors before any
    // instance of the class is built or loaded (the targets are only resolved on first use).
    void mapper.relationships;
  }
  return mapper;
}

/**
 * @internal Makes `mapperOf(alias)` answer the aliased class's mapper, so an `aliased(Model)` loads
 * instances of the model (see `orm/relationships/aliased.ts`).
 */
export function registerAlias(alias: object, cls: ModelClass): void {
  mappers.set(alias, mapperOf(cls));
}

/** The mapper of an instance's class. */
export function mapperOfInstance(obj: object): Mapper {
  return mapperOf(obj.constructor as ModelClass);
}
