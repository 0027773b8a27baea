/** UPDATE ... SET ... WHERE ... [RETURNING ...] */
import { ArgumentError } from '../../errors.js';
import { type Criterion, and_ } from '../elements/conjunctions.js';
import type { ColumnElement } from '../elements/column-element.js';
import { ClauseElement } from '../elements/element.js';
import type { Row, RowShape } from '../row.js';
import type { TableClause } from '../table-clause.js';
import { type Assignment, type ValuesOf, toAssignments } from './dml.js';
import type { NamedOf, SelectItem, TupleOf } from './select.js';

/**
 * An UPDATE statement.
 *
 * @example
 * update(movies).where(movies.c.id.eq(1)).values({ rating: 9 })
 * // UPDATE movies SET rating=:rating WHERE movies.id = :id_1
 */
export class Update<I extends RowShape = RowShape, R = never> extends ClauseElement {
  readonly kind = 'Update';
  /** @internal phantom carrier of the RETURNING row type. */
  declare readonly __row: R;

  constructor(
    readonly table: TableClause,
    readonly assignments: readonly Assignment[] = [],
    readonly criteria: readonly Criterion[] = [],
    readonly returningItems: readonly SelectItem[] = [],
  ) {
    super();
  }

  values(values: ValuesOf<I>): Update<I, R> {
    const assignments = toAssignments(this.table, values as Record<string, unknown>);
    if (assignments.length === 0) throw new ArgumentError(`update of "${this.table.name}": values() sets no column`);
    return new Update(this.table, [...this.assignments, ...assignments], this.criteria, this.returningItems);
  }
  where(...criteria: Criterion[]): Update<I, R> {
    return new Update(this.table, this.assignments, [...this.criteria, ...criteria], this.returningItems);
  }
  /** `RETURNING ...` (PostgreSQL, SQLite). */
  returning<const S extends readonly SelectItem[]>(...items: S): Update<I, Row<TupleOf<S>, NamedOf<S>>> {
    return new Update(this.table, this.assignments, this.criteria, items);
  }
  get whereClause(): ColumnElement<boolean> | null {
    return this.criteria.length === 0 ? null : and_(...this.criteria);
  }
}

/** Starts an UPDATE of `table`. */
export function update<T extends TableClause<any>>(table: T): Update<T['__insert']> {
  return new Update(table);
}
