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
import type { IdentityMap } from './identity-map.js';
import type { InstanceState, StateOwner } from './instance-state.js';
import { type RowReader, rowReaderOf } from './compiled-records.js';

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

/** Builds the ORM rows of a result, registering new instances with the session. */
export function loadRows(
  loader: Loader,
  rows: readonly (readonly unknown[])[],
  identityMap: IdentityMap,
  owner: StateOwner,
  onLoad: (state: InstanceState) => void,
): unknown[][] {
  const proto = rowPrototype(loader.names);
  const out: unknown[][] = new Array(rows.length);
  const only = onlyEntity(loader);
  if (only !== null) {
    const objects = loadEntities(only, rows, identityMap, owner, onLoad);
    for (let r = 0; r < rows.length; r++) {
      const values = [objects[r]];
      Object.setPrototypeOf(values, proto);
      out[r] = values;
    }
    return out;
  }
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const values: unknown[] = new Array(loader.slots.length);
    for (let s = 0; s < loader.slots.length; s++) {
      const slot = loader.slots[s]!;
      values[s] = slot.entity ? loadEntity(slot, row, identityMap, owner, onLoad) : row[slot.index];
    }
    Object.setPrototypeOf(values, proto);
    out[r] = values;
  }
  return out;
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
  onLoad: (state: InstanceState) => void,
): (object | null)[] {
  const out = new Array<object | null>(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = loadEntity(slot, rows[r]!, identityMap, owner, onLoad);
  return out;
}

/** @internal The instance for one entity's columns of a row (from the identity map, else new); null for an outer join's missing side. */
export function loadEntity(
  slot: Extract<Slot, { entity: true }>,
  row: readonly unknown[],
  identityMap: IdentityMap,
  owner: StateOwner,
  onLoad: (state: InstanceState) => void,
): object | null {
  const mapper = slot.mapper;
  let value: unknown;
  let inner: unknown;
  if (slot.pk.length === 1) {
    value = row[slot.start + slot.pk[0]!];
    // An outer join's missing side: no primary key, no object.
    if (value === null) return null;
    inner = innerKeyOf(value);
  } else {
    const pk = slot.pk.map((i) => row[slot.start + i]);
    if (pk.some((v) => v === null)) return null;
    value = pk;
    inner = splitIdentityKey(mapper.identityKey(pk))[1];
  }
  const existing = identityMap.getIn(mapper.tableNumber, inner);
  if (existing !== undefined && existing.expired === null) return existing.obj;
  const values = slot.read(row, slot.start);
  if (existing !== undefined) {
    existing.load(values);
    return existing.obj;
  }
  const state = mapper.newInstance(values);
  if (slot.pk.length === 1) state.setLoadedKey(value);
  else state.key = mapper.identityKey(value as unknown[]);
  state.status = 'persistent';
  state.owner = owner;
  identityMap.addIn(mapper.tableNumber, inner, state);
  onLoad(state);
  return state.obj;
}
