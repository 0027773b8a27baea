/** INSERT: one row, several rows (multi-row VALUES), or values supplied at execution (executemany). */
import { ArgumentError } from '../../errors.js';
import { ClauseElement } from '../elements/element.js';
import type { Row, RowShape } from '../row.js';
import type { TableClause } from '../table-clause.js';
import { type Assignment, type InsertValuesOf, toAssignments } from './dml.js';
import type { NamedOf, SelectItem, TupleOf } from './select.js';

/**
 * An INSERT statement.
 *
 * @example
 * insert(movies).values({ title: 'Alien', rating: 8.5 })
 * insert(movies).values([{ title: 'Alien' }, { title: 'Heat' }])          // multi-row VALUES
 * conn.execute(insert(movies), [{ title: 'Alien' }, { title: 'Heat' }])  // executemany, batched
 */
export class Insert<I extends RowShape = RowShape, R = never> extends ClauseElement {
  readonly kind = 'Insert';
  /** @internal phantom carrier of the RETURNING row type. */
  declare readonly __row: R;

  constructor(
    readonly table: TableClause,
    /** One assignment list per row; empty when values come from the execution parameters. */
    readonly rows: readonly (readonly Assignment[])[] = [],
    readonly returningItems: readonly SelectItem[] = [],
  ) {
    super();
  }

  /** One row as an object, or several rows as an array (rendered as multi-row VALUES). */
  values(values: InsertValuesOf<I> | readonly InsertValuesOf<I>[]): Insert<I, R> {
    const list = Array.isArray(values) ? values : [values];
    if (list.length === 0) throw new ArgumentError(`insert into "${this.table.name}": values([]) has no rows`);
    const rows = list.map((row) => toAssignments(this.table, row as Record<string, unknown>));
    const shape = rows[0]!.map(([column]) => column.key).join(',');
    if (rows.some((row) => row.map(([column]) => column.key).join(',') !== shape)) {
      throw new ArgumentError(`insert into "${this.table.name}": every row of a multi-row values() must set the same columns`);
    }
    return new Insert(this.table, rows, this.returningItems);
  }

  /** `RETURNING ...` (PostgreSQL, SQLite, MariaDB 10.5+). */
  returning<const S extends readonly SelectItem[]>(...items: S): Insert<I, Row<TupleOf<S>, NamedOf<S>>> {
    return new Insert(this.table, this.rows, items);
  }
}

/**
 * The bare `insert(table)` of each table. Statements are immutable, so every call may share one: the
 * dialects cache compiled statements per statement object, and `conn.execute(insert(t), rows)` called
 * again and again compiled its 1,000-row batch (5,000 placeholders) anew each time otherwise.
 */
const bareInserts = new WeakMap<TableClause, Insert<any>>();

/** Starts an INSERT into `table`. */
export function insert<T extends TableClause<any>>(table: T): Insert<T['__insert']> {
  let statement = bareInserts.get(table);
  if (statement === undefined) bareInserts.set(table, (statement = new Insert(table)));
  return statement;
}
