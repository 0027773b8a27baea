/**
 * The expression-language view of a table and its columns: a name, an optional schema and typed columns.
 * `schema/` extends these with constraints, defaults and DDL facts; the compilers only need what is here.
 */
import type { TypeEngine } from '../types/type-engine.js';
import { ColumnElement } from './elements/column-element.js';
import type { RowShape } from './row.js';
import { type ColumnCollection, DerivedColumn, FromClause, deriveColumns } from './selectable.js';

/** A table column as an expression: `movies.title`. `N` is the attribute key (`table.c.<key>`). */
export abstract class ColumnClause<T = unknown, N extends string = string> extends ColumnElement<T, N> {
  readonly kind = 'Column';
  abstract readonly name: string;
  abstract readonly key: N;
  abstract readonly table: TableClause;
  abstract override readonly type: TypeEngine;

  override get naturalName(): string {
    return this.key;
  }
  override bindKey(): string {
    return this.key;
  }
  override fromObjects(): readonly FromClause[] {
    return [this.table];
  }
}

/**
 * A table as a FROM object; `R` is the shape of its rows keyed by column key and `I` the shape of the
 * values an INSERT accepts (columns with defaults or NULL allowed are optional).
 */
export abstract class TableClause<R extends RowShape = RowShape, I extends RowShape = Partial<R>> extends FromClause<R> {
  readonly kind = 'Table';
  /** @internal phantom carrier of the insert shape. */
  declare readonly __insert: I;
  abstract readonly name: string;
  abstract readonly schema: string | null;
  /** Columns in declaration order. */
  abstract readonly columns: readonly ColumnClause[];
  /** Columns by attribute key. */
  abstract readonly c: ColumnCollection<R>;

  get selectColumns(): readonly ColumnElement[] {
    return this.columns;
  }

  /** Looks a column up by attribute key. */
  column(key: string): ColumnClause | undefined {
    return this.columns.find((c) => c.key === key);
  }

  /** `movies AS m`: the same table under another name, for self-joins and correlated subqueries. */
  alias(name?: string): TableAlias<R> {
    return new TableAlias<R>(this as TableClause<R, RowShape>, name ?? null);
  }
}

/** A table under another name (`FROM movies AS m`). */
export class TableAlias<R extends RowShape = RowShape> extends FromClause<R> {
  readonly kind = 'TableAlias';
  readonly c: ColumnCollection<R>;
  constructor(
    readonly table: TableClause<R, RowShape>,
    readonly name: string | null,
  ) {
    super();
    this.c = deriveColumns<R>(this, table.columns, (column) => (column as ColumnClause).name);
  }
  get selectColumns(): readonly ColumnElement[] {
    return Object.values(this.c) as DerivedColumn[];
  }
}
