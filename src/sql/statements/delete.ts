/** DELETE FROM ... WHERE ... [RETURNING ...] */
import { type Criterion, and_ } from '../elements/conjunctions.js';
import type { ColumnElement } from '../elements/column-element.js';
import { ClauseElement } from '../elements/element.js';
import type { Row } from '../row.js';
import type { EntityLike } from '../entity.js';
import type { TableClause } from '../table-clause.js';
import { type DmlExecutionOptions, type DmlTarget, resolveDmlTarget } from './dml-target.js';
import type { NamedOf, SelectItem, TupleOf } from './select.js';

/**
 * A DELETE statement: `delete_(movies).where(movies.c.id.eq(1))`. Given a model class it is
 * ORM-enabled (SQLAlchemy's `delete(User)`): run by `session.execute()`, the deleted rows' loaded
 * objects leave the session (see `executionOptions`).
 */
export class Delete<R = never> extends ClauseElement {
  readonly kind = 'Delete';
  /** @internal phantom carrier of the RETURNING row type. */
  declare readonly __row: R;

  constructor(
    readonly table: TableClause,
    readonly criteria: readonly Criterion[] = [],
    readonly returningItems: readonly SelectItem[] = [],
    /** The model class of an ORM-enabled DELETE, else null. */
    readonly entity: EntityLike | null = null,
    readonly executionOptionValues: DmlExecutionOptions = {},
  ) {
    super();
  }
  /** WHERE, joined by AND with earlier criteria; without one every row is deleted. */
  where(...criteria: Criterion[]): Delete<R> {
    return new Delete(this.table, [...this.criteria, ...criteria], this.returningItems, this.entity, this.executionOptionValues);
  }
  /** Options for the session that runs an ORM-enabled DELETE: `synchronizeSession` (default `'auto'`). */
  executionOptions(options: DmlExecutionOptions): Delete<R> {
    return new Delete(this.table, this.criteria, this.returningItems, this.entity, { ...this.executionOptionValues, ...options });
  }
  /** `RETURNING ...` (PostgreSQL, SQLite, MariaDB 10.0+). */
  returning<const S extends readonly SelectItem[]>(...items: S): Delete<Row<TupleOf<S>, NamedOf<S>>> {
    return new Delete(this.table, this.criteria, items, this.entity, this.executionOptionValues);
  }
  get whereClause(): ColumnElement<boolean> | null {
    return this.criteria.length === 0 ? null : and_(...this.criteria);
  }
}

/**
 * Starts a DELETE from `table`, or an ORM-enabled DELETE of a model's rows (`delete_(User)`); named
 * `delete_` because `delete` is reserved in JavaScript.
 */
export function delete_(target: DmlTarget): Delete {
  const { table, entity } = resolveDmlTarget(target, 'delete_');
  return new Delete(table, [], [], entity);
}
