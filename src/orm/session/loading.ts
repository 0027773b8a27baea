/**
 * Turns result rows into model instances: the columns of each selected entity become one object,
 * found in the identity map when the row is already loaded (the same row is the same object), created
 * without calling the user's constructor otherwise.
 */
import { rowPrototype } from '../../engine/row.js';
import { ENTITY, isEntity } from '../../sql/entity.js';
import { expandItem, type SelectItem } from '../../sql/statements/select.js';
import { type Mapper, type ModelClass, mapperOf } from '../mapper.js';
import { innerKeyOf, splitIdentityKey } from './identity-key.js';
import type { IdentityMap, TableObjects } from './identity-map.js';
import type { InstanceState, StateOwner } from './instance-state.js';
import type { RowReader } from '../../engine/row.js';
import { rowReaderOf } from './compiled-records.js';

/** Where one select item's values sit in a result row. */
export type Slot =
  | {
      readonly entity: true;
      readonly mapper: Mapper;
      readonly start: number;
      readonly keys: readonly string[];
      readonly pk: readonly number[];
      /** Builds the instance's values record from the row (see `compiled-records.ts`). */
      readonly read: RowReader;
    }
  | { readonly entity: false; readonly index: number };

/** How to turn a row of a select into ORM output; null when the select has no entity. */
export interface Loader {
  readonly slots: readonly Slot[];
  /** Row names: an entity is named after its class (`row.Movie`), other columns keep theirs. */
  readonly names: readonly string[];
}

export function loaderFor(items: readonly SelectItem[], columnNames: readonly string[]): Loader | null {
  if (!items.some(isEntity)) return null;
  const slots: Slot[] = [];
  const names: string[] = [];
  let position = 0;
  for (const item of items) {
    const width = expandItem(item).length;
    if (isEntity(item)) {
      slots.push(entitySlot(mapperOf(item as unknown as ModelClass), position));
      names.push(item[ENTITY].name);
    } else {
      for (let i = 0; i < width; i++) {
        slots.push({ entity: false, index: position + i });
        names.push(columnNames[position + i] ?? `column_${position + i + 1}`);
      }
    }
    position += width;
  }
  return { slots, names };
}

/** @internal Where a model's columns sit in a row: `mapper.columns` in order, from `start`. */
export function entitySlot(mapper: Mapper, start: number): Extract<Slot, { entity: true }> {
  const keys = mapper.columns.map((c) => c.key);
  return { entity: true, mapper, start, keys, pk: mapper.primaryKeyKeys.map((k) => keys.indexOf(k)), read: rowReaderOf(mapper) };
}

/** The objects of each slot of a select, row by row; null for a slot that is a plain column. */
export type SlotObjects = readonly ((object | null)[] | null)[];

/** Loads the instances of every entity slot of a result (registering new ones with the session), slot by slot. */
export function loadObjects(loader: Loader, rows: readonly (readonly unknown[])[], identityMap: IdentityMap, owner: StateOwner): SlotObjects {
  return loader.slots.map((slot) => (slot.entity ? loadEntities(slot, rows, identityMap, owner) : null));
}

/**
 * The ORM rows of a result: each entity slot's object, each other slot's value. `rows` may be null
 * when every slot is an entity (the result's rows were read as they arrived, see `loadRecords`).
 */
export function ormRows(loader: Loader, rows: readonly (readonly unknown[])[] | null, objects: SlotObjects): unknown[][] {
  const proto = rowPrototype(loader.names);
  const slots = loader.slots;
  const count = rows?.length ?? objects[0]!.length;
  const out: unknown[][] = new Array(count);
  for (let r = 0; r < count; r++) {
    const values: unknown[] = new Array(slots.length);
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s]!;
      values[s] = slot.entity ? objects[s]![r] : rows![r]![slot.index];
    }
    Object.setPrototypeOf(values, proto);
    out[r] = values;
  }
  return out;
}

/** Builds the ORM rows of a result, registering new instances with the session. */
export function loadRows(loader: Loader, rows: readonly (readonly unknown[])[], identityMap: IdentityMap, owner: StateOwner): unknown[][] {
  return ormRows(loader, rows, loadObjects(loader, rows, identityMap, owner));
}

/** The slot of a select of one entity and nothing else (`select(Movie)`), else null. */
export function onlyEntity(loader: Loader): Extract<Slot, { entity: true }> | null {
  const only = loader.slots.length === 1 ? loader.slots[0]! : null;
  return only !== null && only.entity ? only : null;
}

/**
 * The instances of one entity slot, row by row: what `session.scalars(select(Movie))` returns, built
 * without wrapping each in a result row first (the row arrays and their prototype were a quarter of
 * loading 100,000 objects).
 */
export function loadEntities(
  slot: Extract<Slot, { entity: true }>,
  rows: readonly (readonly unknown[])[],
  identityMap: IdentityMap,
  owner: StateOwner,
): (object | null)[] {
  const objects = identityMap.tableObjects(slot.mapper.tableNumber);
  const out = new Array<object | null>(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = loadEntityIn(slot, rows[r]!, objects, owner);
  return out;
}

/** @internal The instance for one entity's columns of a row (from the identity map, else new); null for an outer join's missing side. */
export function loadEntity(slot: Extract<Slot, { entity: true }>, row: readonly unknown[], identityMap: IdentityMap, owner: StateOwner): object | null {
  return loadEntityIn(slot, row, identityMap.tableObjects(slot.mapper.tableNumber), owner);
}

/** {@link loadEntity} with the identity map's objects of the entity's table at hand. */
function loadEntityIn(slot: Extract<Slot, { entity: true }>, row: readonly unknown[], objects: TableObjects, owner: StateOwner): object | null {
  const mapper = slot.mapper;
  const composite = slot.pk.length !== 1;
  const value = composite ? slot.pk.map((i) => row[slot.start + i]) : row[slot.start + slot.pk[0]!];
  const inner = innerKeyFor(mapper, value, composite);
  if (inner === NO_OBJECT) return null;
  const existing = objects.get(inner);
  if (existing !== undefined && existing.expired === null) return existing.obj;
  return place(mapper, value, inner, slot.read(row, slot.start), existing, objects, owner);
}

/**
 * The instances of one entity's records (see `compiled-records.ts`), record by record: a select of the
 * entity alone, whose records were read from the rows as they arrived (see `Connection.executeRead`).
 * The same objects as {@link loadEntities} of its rows; the record of an object already loaded and not
 * expired is dropped.
 */
export function loadRecords(
  mapper: Mapper,
  records: readonly Record<string, unknown>[],
  identityMap: IdentityMap,
  owner: StateOwner,
): (object | null)[] {
  const objects = identityMap.tableObjects(mapper.tableNumber);
  const keys = mapper.primaryKeyKeys;
  const composite = keys.length !== 1;
  const one = keys[0]!;
  const out = new Array<object | null>(records.length);
  for (let r = 0; r < records.length; r++) {
    const values = records[r]!;
    const value = composite ? keys.map((k) => values[k]) : values[one];
    const inner = innerKeyFor(mapper, value, composite);
    if (inner === NO_OBJECT) {
      out[r] = null;
      continue;
    }
    const existing = objects.get(inner);
    out[r] = existing !== undefined && existing.expired === null ? existing.obj : place(mapper, value, inner, values, existing, objects, owner);
  }
  return out;
}

/** What {@link innerKeyFor} gives a row without an object. */
const NO_OBJECT = Symbol('no object');

/**
 * The identity map's key of a row's primary key value (a list for a composite key), or NO_OBJECT when it
 * holds a null: an outer join's missing side, no primary key, no object.
 */
function innerKeyFor(mapper: Mapper, value: unknown, composite: boolean): unknown {
  if (!composite) return value === null ? NO_OBJECT : innerKeyOf(value);
  const pk = value as unknown[];
  return pk.some((v) => v === null) ? NO_OBJECT : splitIdentityKey(mapper.identityKey(pk))[1];
}

/**
 * The object of a row not loaded yet or expired: `existing` refreshed from `values`, else a new
 * persistent instance filed under `inner`. `value` is the row's primary key value (a list for a
 * composite key).
 */
function place(
  mapper: Mapper,
  value: unknown,
  inner: unknown,
  values: Record<string, unknown>,
  existing: InstanceState | undefined,
  objects: TableObjects,
  owner: StateOwner,
): object {
  if (existing !== undefined) {
    existing.load(values);
    return existing.obj;
  }
  const state = mapper.newInstance(values);
  if (mapper.primaryKeyKeys.length === 1) state.setLoadedKey(value);
  else state.key = mapper.identityKey(value as unknown[]);
  state.status = 'persistent';
  state.owner = owner;
  objects.set(inner, state);
  return state.obj;
}

/** Whether a row value is an object compared by identity (an entity), not a value such as a date or bytes. */
function isObjectValue(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** Rows without repeats (objects by identity, values by value), first occurrence kept. */
export function uniqueRows(rows: unknown[][]): unknown[][] {
  if (rows.every((row) => row.length === 1 && isObjectValue(row[0]))) {
    // One entity per row (the usual select(Model) with joined collections): its identity is the key.
    const objects = new Set<unknown>();
    return rows.filter((row) => !objects.has(row[0]) && objects.add(row[0]) !== undefined);
  }
  const seen = new Set<string>();
  const ids = new Map<object, number>();
  const part = (value: unknown): string => {
    if (isObjectValue(value)) {
      let id = ids.get(value);
      if (id === undefined) ids.set(value, (id = ids.size));
      return `#${id}`;
    }
    return `${typeof value}:${value instanceof Date ? value.getTime() : String(value)}`;
  };
  return rows.filter((row) => {
    const key = row.map(part).join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The objects of a one-entity select without repeats, first occurrence kept. */
export function uniqueObjects(objects: readonly (object | null)[]): (object | null)[] {
  const seen = new Set<object | null>();
  return objects.filter((obj) => !seen.has(obj) && seen.add(obj) !== undefined);
}
