/**
 * The hook by which an ORM entity (a model class) stands in a Core `select()`: it names the FROM object
 * whose columns it selects, and carries its instance type for inference. Core expands it to columns;
 * the ORM session turns those columns back into instances.
 */
import type { ColumnElement } from './elements/column-element.js';
import type { FromClause } from './selectable.js';

export const ENTITY: unique symbol = Symbol.for('tsmig.entity');

/** What an entity tells Core. */
export interface EntityInfo {
  /** The table (or alias) whose columns are selected for the entity. */
  readonly from: FromClause;
  /** The name rows expose the entity under (`row.Movie`), SQLAlchemy's entity key. */
  readonly name: string;
  /**
   * The columns selected for the entity, in the mapper's column order, when they are not simply
   * `from.selectColumns` (an ORM alias over a subquery that selects more, or in another order).
   */
  readonly columns?: readonly ColumnElement[];
}

/** A model class (or an alias of one) usable in `select()`; `I` is its instance type. */
export interface EntityLike<I = unknown> {
  readonly [ENTITY]: EntityInfo;
  /** @internal phantom carrier of the instance type. */
  readonly prototype: I;
}

export function isEntity(value: unknown): value is EntityLike {
  return (typeof value === 'function' || typeof value === 'object') && value !== null && ENTITY in value;
}
