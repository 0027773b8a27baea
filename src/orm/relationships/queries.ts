/**
 * The statements that read related rows: the objects related to a set of parents (used by the lazy,
 * selectin and immediate loaders and by write-only collections), keyed so the rows can be handed back
 * to their parents. Builds Core selects only.
 */
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { and_, or_ } from '../../sql/elements/conjunctions.js';
import { type Select, select } from '../../sql/statements/select.js';
import type { InstanceState } from '../session/instance-state.js';
import { pairsEqual } from './join-condition.js';
import type { RelationshipConfig } from './relationship.js';

/** The parent's values of the relationship's local columns, or null when one is missing or NULL. */
export function localValues(config: RelationshipConfig, state: InstanceState): unknown[] | null {
  const values: unknown[] = [];
  for (const column of config.condition.local) {
    const value = column.key in state.dict ? state.dict[column.key] : state.committed[column.key];
    if (value === undefined || value === null) return null;
    values.push(value);
  }
  return values;
}

/** What {@link valueKey} and {@link tupleKey} return. */
export type KeyOf = string | number;

/**
 * A Map key for one value: numbers and strings as themselves (no string built per row), `1n` as `1`,
 * other values as text starting with a NUL, which keeps them apart from the strings a key column holds.
 */
export function valueKey(value: unknown): KeyOf {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : `\u0000n${value}`;
  return value instanceof Date ? `\u0000d${value.toISOString()}` : `\u0000j${JSON.stringify(value)}`;
}

/** A Map key for a tuple of values: {@link valueKey} for one, text for several. */
export function tupleKey(values: readonly unknown[]): KeyOf {
  return values.length === 1 ? valueKey(values[0]) : values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(valueKey(v)))).join('\u0000');
}

/** `c = ?` for one key, `c IN (...)` for several, `(a = ? AND b = ?) OR ...` for composite keys. */
export function matchValues(columns: readonly ColumnElement[], keys: readonly (readonly unknown[])[]): ColumnElement<boolean> {
  if (columns.length === 1) {
    const column = columns[0]!;
    return keys.length === 1 ? column.eq(keys[0]![0] as never) : column.in(keys.map((k) => k[0]) as never[]);
  }
  return or_(...keys.map((key) => and_(...columns.map((c, i) => c.eq(key[i] as never)))));
}

/**
 * The objects related to the parents that `criteria` (over the relationship's remote columns, see
 * {@link matchValues}) picks. For many-to-many the association table's parent columns follow the
 * entity in each row (`withParentKeys`), so rows can be grouped by parent; one-to-many rows carry the
 * parent's key in their own foreign key, many-to-one rows in their key.
 */
export function relatedSelect(config: RelationshipConfig, criteria: ColumnElement<boolean>, withParentKeys: boolean): Select<any, any> {
  const c = config.condition;
  const target = config.target;
  const entity = target.cls as never;
  if (c.direction === 'manyToMany') {
    const on = pairsEqual(c.targetColumns, c.secondaryColumns);
    const base = withParentKeys ? select(entity, ...c.remote) : select(entity);
    return base.join(c.secondary!, on).where(criteria);
  }
  return select(entity).where(criteria);
}

/** Splits `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
