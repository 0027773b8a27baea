/**
 * `tuple_(a, b)`: a row value `(a, b)`, for composite comparisons such as `(a, b) IN ((1, 2), (3, 4))`
 * (SQLAlchemy's `tuple_`). SQLite takes a row-value IN list only as `IN (VALUES ...)`; its compiler
 * says so through the `rowValueInList` capability.
 */
import { ArgumentError } from '../../errors.js';
import { NULLTYPE, type TypeEngine } from '../../types/type-engine.js';
import type { FromClause } from '../selectable.js';
import { BindParameter, ColumnElement, InExpression } from './column-element.js';
import { collectFroms } from './element.js';

type ValuesOfTuple<E extends readonly ColumnElement<any, any>[]> = { [K in keyof E]: E[K] extends ColumnElement<infer T, any> ? T | ColumnElement<T> : never };

/** A parenthesised list of expressions. */
export class Tuple<E extends readonly ColumnElement<any, any>[] = ColumnElement[]> extends ColumnElement<unknown> {
  readonly kind = 'Tuple';
  readonly type: TypeEngine = NULLTYPE;
  constructor(readonly elements: E) {
    super();
    if (elements.length === 0) throw new ArgumentError('tuple_() needs at least one expression');
  }
  override fromObjects(): readonly FromClause[] {
    return collectFroms(this.elements);
  }

  /** `(a, b) IN ((?, ?), ...)`; each row gives one value per element, bound with that element's type. */
  override in(rows: readonly ValuesOfTuple<E>[]): ColumnElement<boolean> {
    return new InExpression(this, rows.map((row) => this.#row(row)), false);
  }
  /** `(a, b) NOT IN ((?, ?), ...)`. */
  override notIn(rows: readonly ValuesOfTuple<E>[]): ColumnElement<boolean> {
    return new InExpression(this, rows.map((row) => this.#row(row)), true);
  }

  #row(row: readonly unknown[]): Tuple {
    if (!Array.isArray(row) || row.length !== this.elements.length) {
      throw new ArgumentError(`tuple_(...).in() needs rows of ${this.elements.length} values each, got ${JSON.stringify(row)}`);
    }
    return new Tuple(row.map((value, i) => (value instanceof ColumnElement ? value : new BindParameter(this.elements[i]!.bindKey(), value, this.elements[i]!.type))));
  }
}

/**
 * A row value, for composite IN and comparisons.
 *
 * @example
 * select(Film).where(tuple_(Film.c.directorId, Film.c.year).in([[1, 1979], [2, 2010]]))
 * // PostgreSQL, MySQL: WHERE (films.director_id, films.year) IN (($1, $2), ($3, $4))
 * // SQLite:            WHERE (films.director_id, films.year) IN (VALUES (?, ?), (?, ?))
 */
export function tuple_<const E extends readonly ColumnElement<any, any>[]>(...elements: E): Tuple<E> {
  return new Tuple(elements);
}
