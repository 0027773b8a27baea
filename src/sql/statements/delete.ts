/** DELETE FROM ... WHERE ... [RETURNING ...] */
import { type Criterion, and_ } from '../elements/conjunctions.js';
import type { ColumnElement } from '../elements/column-element.js';
import { ClauseElement } from '../elements/element.js';
import type { Row } from '../row.js';
import type { TableClause } from '../table-clause.js';
import type { NamedOf, SelectItem, TupleOf } from './select.js';

/** A DELETE statement: `delete_(movies).where(movies.c.id.eq(1))`. */
export class Delete<R = never> extends ClauseElement {
  readonly kind = 'Delete';
  /** @internal phantom carrier of the RETURNING row type. */
  declare readonly __row: R;

  constructor(
    readonly table: TableClause,
    readonly criteria: readonly Criterion[] = [],
    readonly returningItems: readonly SelectItem[] = [],
  ) {
    super();
  }
  where(...criteria: Criterion[]): Delete<R> {
    return new Delete(this.table, [...this.criteria, ...criteria], this.returningItems);
  }
  /** `RETURNING ...` (PostgreSQL, SQLite, MariaDB ≥ 10.0). */
  returning<const S extends readonly SelectItem[]>(...items: S): Delete<Row<TupleOf<S>, NamedOf<S>>> {
    return new Delete(this.table, this.criteria, items);
  }
  get whereClause(): ColumnElement<boolean> | null {
    return this.criteria.length === 0 ? null : and_(...this.criteria);
  }
}

/** Starts a DELETE from `table` (named `delete_` because `delete` is reserved in JavaScript). */
export function delete_(table: TableClause<any>): Delete {
  return new Delete(table);
}
