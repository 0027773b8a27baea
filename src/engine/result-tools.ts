/**
 * The list operations behind `unique()`, `partitions()` and `columns()` of the result classes: pure
 * functions over buffered items, kept apart from the classes so these stay thin.
 */
import { ArgumentError } from '../errors.js';
import { rowPrototype } from './row.js';

/** A value's identity for `unique()`: values compare by value, objects (ORM instances) by identity. */
function identityOf(ids: Map<object, number>, value: unknown): string {
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = ids.size));
    return `#${id}`;
  }
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('hex')}`;
  return `${typeof value}:${value instanceof Date ? value.getTime() : String(value)}`;
}

/**
 * The items without repeats, first occurrence kept. Rows (arrays) compare column by column; `key`
 * replaces the comparison (SQLAlchemy's `unique(strategy)`).
 */
export function uniqueItems<T>(items: readonly T[], key?: (item: T) => unknown): T[] {
  const seen = new Set<string>();
  const ids = new Map<object, number>();
  return items.filter((item) => {
    const value = key === undefined ? item : key(item);
    const identity = Array.isArray(value) ? value.map((part) => identityOf(ids, part)).join('\u0000') : identityOf(ids, value);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

/** Lists of at most `size` items, in order (SQLAlchemy's `partitions(size)`). */
export function* partitionItems<T>(items: readonly T[], size: number): Generator<T[], void, undefined> {
  if (!Number.isSafeInteger(size) || size < 1) throw new ArgumentError(`partitions() needs a positive integer size, got ${String(size)}`);
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** The positions `columns(...)` picks: indexes as given, names looked up (first occurrence). */
export function columnPositions(names: readonly string[], picks: readonly (number | string)[]): number[] {
  if (picks.length === 0) throw new ArgumentError('columns() needs at least one column name or index');
  return picks.map((pick) => {
    const index = typeof pick === 'number' ? pick : names.indexOf(pick);
    if (!Number.isSafeInteger(index) || index < 0 || index >= names.length) {
      throw new ArgumentError(`columns(): no column ${typeof pick === 'number' ? `at index ${pick}` : `named "${pick}"`}; the columns are ${names.join(', ')}`);
    }
    return index;
  });
}

/** Rows reduced to the columns at `positions`, answering by their names again. */
export function projectRows(rows: readonly (readonly unknown[])[], names: readonly string[], positions: readonly number[]): { rows: unknown[][]; names: string[] } {
  const picked = positions.map((i) => names[i]!);
  const proto = rowPrototype(picked);
  return {
    names: picked,
    rows: rows.map((row) => {
      const out = positions.map((i) => row[i]);
      Object.setPrototypeOf(out, proto);
      return out;
    }),
  };
}
