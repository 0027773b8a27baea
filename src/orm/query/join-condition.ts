/**
 * The ON clause of a join written without one: `query(User).join(Address)` joins along the foreign key
 * between the two tables, as SQLAlchemy does. Exactly one foreign key must link the new table to the
 * query's FROM objects; none, or several, is an error asking for an explicit ON clause.
 */
import { ArgumentError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { ForeignKeyConstraint } from '../../schema/constraints.js';
import { Table } from '../../schema/table.js';
import { and_ } from '../../sql/elements/conjunctions.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { FromClause, Join } from '../../sql/selectable.js';
import { TableAlias } from '../../sql/table-clause.js';

/** The tables and aliases a FROM list is made of, joins opened up. */
export function flattenFroms(froms: readonly FromClause[]): FromClause[] {
  return froms.flatMap((from) => (from instanceof Join ? flattenFroms([from.left, from.right]) : [from]));
}

function tableOf(from: FromClause): Table | null {
  if (from instanceof Table) return from;
  if (from instanceof TableAlias && from.table instanceof Table) return from.table;
  return null;
}

function label(from: FromClause): string {
  if (from instanceof TableAlias) return `${from.table.name} AS ${from.name ?? 'anon'}`;
  return tableOf(from)?.name ?? from.kind;
}

/** A column of `table` as seen through `from` (the table itself or an alias of it). */
function through(from: FromClause, key: string): ColumnElement {
  if (from instanceof TableAlias) return (from.c as Record<string, ColumnElement>)[key]!;
  return (from as Table).c[key as never] as ColumnElement;
}

/** The foreign keys of `child` that refer to `parent`. */
function linking(child: Table, parent: Table): ForeignKeyConstraint[] {
  return child.foreignKeys.filter((fk) => fk.referredTable === parent);
}

/** `child.fk = parent.key AND ...` for a foreign key of `child`'s table referring to `parent`'s. */
function fkCondition(fk: ForeignKeyConstraint, child: FromClause, parent: FromClause): ColumnElement<boolean> {
  const referred: readonly Column[] = fk.referredColumns;
  return and_(...fk.columns.map((column: Column, i: number) => through(child, column.key).eq(through(parent, referred[i]!.key) as never)));
}

/** The condition joining `right` to one of `lefts` along a foreign key. */
export function inferJoinCondition(lefts: readonly FromClause[], right: FromClause): ColumnElement<boolean> {
  const rightTable: Table | null = tableOf(right);
  if (rightTable === null) throw new ArgumentError(`cannot infer how to join ${label(right)}: pass the ON condition`);
  const found: ColumnElement<boolean>[] = [];
  for (const left of flattenFroms(lefts)) {
    const leftTable: Table | null = tableOf(left);
    if (leftTable === null || left === right) continue;
    // right.fk -> left, then left.fk -> right; a self-referencing key counts once.
    for (const fk of linking(rightTable, leftTable)) found.push(fkCondition(fk, right, left));
    if (leftTable !== rightTable) for (const fk of linking(leftTable, rightTable)) found.push(fkCondition(fk, left, right));
  }
  if (found.length === 1) return found[0]!;
  const names = flattenFroms(lefts).map(label).join(', ');
  if (found.length === 0) {
    throw new ArgumentError(`no foreign key links ${label(right)} to ${names}; pass the ON condition to join()`);
  }
  throw new ArgumentError(`${found.length} foreign keys link ${label(right)} to ${names}; pass the ON condition to join()`);
}
