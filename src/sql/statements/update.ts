/** UPDATE ... SET ... WHERE ... [RETURNING ...] */
import { ArgumentError } from '../../errors.js';
import { type Criterion, and_ } from '../elements/conjunctions.js';
import { BindParameter, ColumnElement } from '../elements/column-element.js';
import { ClauseElement } from '../elements/element.js';
import type { EntityLike } from '../entity.js';
import type { Row, RowShape } from '../row.js';
import type { ColumnClause, TableClause } from '../table-clause.js';
import { type Assignment, type ValuesOf, toAssignments } from './dml.js';
import { type DmlExecutionOptions, type DmlTarget, resolveDmlTarget } from './dml-target.js';
import type { NamedOf, SelectItem, TupleOf } from './select.js';

/**
 * An UPDATE statement. Given a model class it is ORM-enabled (SQLAlchemy's `update(User)`): run by
 * `session.execute()`, it keeps the session's loaded objects in step (see `executionOptions`).
 *
 * @example
 * update(movies).where(movies.c.id.eq(1)).values({ rating: 9 })
 * // UPDATE movies SET rating=:rating WHERE movies.id = :id_1
 * await session.execute(update(User).where(User.c.name.eq('sandy')).values({ fullname: 'Sandy Squirrel' }));
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
    /** The model class of an ORM-enabled UPDATE, else null. */
    readonly entity: EntityLike | null = null,
    readonly executionOptionValues: DmlExecutionOptions = {},
  ) {
    super();
  }

  #with(parts: { assignments?: readonly Assignment[]; criteria?: readonly Criterion[]; options?: DmlExecutionOptions }): Update<I, R> {
    return new Update(
      this.table,
      parts.assignments ?? this.assignments,
      parts.criteria ?? this.criteria,
      this.returningItems,
      this.entity,
      parts.options ?? this.executionOptionValues,
    );
  }

  /** The SET clause: new values (or expressions) by column key, after those of earlier calls. */
  values(values: ValuesOf<I>): Update<I, R> {
    const assignments = toAssignments(this.table, values as Record<string, unknown>);
    if (assignments.length === 0) throw new ArgumentError(`update of "${this.table.name}": values() sets no column`);
    return this.#with({ assignments: [...this.assignments, ...assignments] });
  }

  /**
   * SET in exactly this order (SQLAlchemy's `ordered_values()`): MySQL applies assignments left to
   * right, so `SET a = b, b = 0` and `SET b = 0, a = b` differ there.
   *
   * @example
   * update(accounts).orderedValues([accounts.c.previous, accounts.c.balance], [accounts.c.balance, 0])
   */
  orderedValues(...pairs: readonly (readonly [ColumnClause, unknown])[]): Update<I, R> {
    if (pairs.length === 0) throw new ArgumentError(`update of "${this.table.name}": orderedValues() sets no column`);
    const assignments = pairs.map((pair): Assignment => {
      const [column, value] = Array.isArray(pair) ? pair : [];
      if (column?.kind !== 'Column' || column.table !== this.table) {
        throw new ArgumentError(`update of "${this.table.name}": orderedValues() takes [column, value] pairs of that table's columns`);
      }
      return [column, value instanceof ColumnElement ? value : new BindParameter(column.key, value, column.type)];
    });
    return this.#with({ assignments: [...this.assignments, ...assignments] });
  }

  /** WHERE, joined by AND with earlier criteria; without one every row is updated. */
  where(...criteria: Criterion[]): Update<I, R> {
    return this.#with({ criteria: [...this.criteria, ...criteria] });
  }

  /**
   * Options for the session that runs an ORM-enabled UPDATE (SQLAlchemy's `execution_options()`):
   * `synchronizeSession` (default `'auto'`).
   *
   * @example
   * update(User).where(User.c.name.eq('ed')).values({ karma: User.c.karma.add(1) }).executionOptions({ synchronizeSession: 'fetch' })
   */
  executionOptions(options: DmlExecutionOptions): Update<I, R> {
    return this.#with({ options: { ...this.executionOptionValues, ...options } });
  }

  /** `RETURNING ...` (PostgreSQL, SQLite). */
  returning<const S extends readonly SelectItem[]>(...items: S): Update<I, Row<TupleOf<S>, NamedOf<S>>> {
    return new Update(this.table, this.assignments, this.criteria, items, this.entity, this.executionOptionValues);
  }
  get whereClause(): ColumnElement<boolean> | null {
    return this.criteria.length === 0 ? null : and_(...this.criteria);
  }
}

/** Starts an UPDATE of `table`, or an ORM-enabled UPDATE of a model's table (`update(User)`). */
export function update<T extends TableClause<any>>(table: T): Update<T['__insert']>;
export function update<M extends EntityLike & { readonly table: TableClause<any> }>(model: M): Update<M['table']['__insert']>;
export function update(target: DmlTarget): Update {
  const { table, entity } = resolveDmlTarget(target, 'update');
  return new Update(table, [], [], [], entity);
}
