/**
 * What INSERT, UPDATE and DELETE share: a target table, values keyed by column key, RETURNING.
 */
import { ArgumentError } from '../../errors.js';
import { BindParameter, ColumnElement } from '../elements/column-element.js';
import type { ColumnClause, TableClause } from '../table-clause.js';

/** Values for some columns of a table, each a JS value or a SQL expression (`count: t.c.count.add(1)`). */
export type ValuesOf<I> = { [K in keyof I]?: I[K] | ColumnElement<I[K]> };

/** The values of an inserted row: NOT NULL columns without a default are required, as the insert shape says. */
export type InsertValuesOf<I> = { [K in keyof I]: I[K] | ColumnElement<I[K]> };

/** A column and the expression it is set to. */
export type Assignment = readonly [ColumnClause, ColumnElement];

/**
 * Turns `{ key: value }` into assignments in the table's column order, binding values with the
 * column's type. An unknown key is an error naming the table and the key.
 */
export function toAssignments(table: TableClause, values: Record<string, unknown>): Assignment[] {
  for (const key of Object.keys(values)) {
    if (table.column(key) === undefined) {
      throw new ArgumentError(`table "${table.name}" has no column "${key}" (known: ${table.columns.map((c) => c.key).join(', ')})`);
    }
  }
  const assignments: Assignment[] = [];
  for (const column of table.columns) {
    if (!(column.key in values)) continue;
    const value = values[column.key];
    if (value === undefined) continue;
    assignments.push([column, value instanceof ColumnElement ? value : new BindParameter(column.key, value, column.type)]);
  }
  return assignments;
}
