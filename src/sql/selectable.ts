/**
 * FROM-clause objects (tables, aliases, subqueries, joins) and the column references they expose.
 * They describe where rows come from; `statements/` builds queries over them.
 */
import { ArgumentError } from '../errors.js';
import type { TypeEngine } from '../types/type-engine.js';
import { ColumnElement } from './elements/column-element.js';
import { ClauseElement } from './elements/element.js';
import { resultNames } from './result-names.js';
import type { RowShape } from './row.js';

/** A named collection of the column expressions a FROM object exposes (`table.c.title`). */
export type ColumnCollection<R> = { readonly [K in keyof R & string]: ColumnElement<R[K], K> };

/**
 * Something that can appear in FROM. `R` is the row shape it yields when selected whole
 * (`select(movies)` gives rows with every column of `movies`).
 */
export abstract class FromClause<R extends RowShape = RowShape> extends ClauseElement {
  /** @internal phantom carrier of the row shape. */
  declare readonly __shape: R;
  abstract override readonly kind: 'Table' | 'TableAlias' | 'Subquery' | 'Join';

  /** The columns selected when the whole FROM object is selected, in order. */
  abstract get selectColumns(): readonly ColumnElement[];

  override fromObjects(): readonly FromClause[] {
    return [this];
  }

  /** `this JOIN right ON on`. */
  join(right: FromClause, on: ColumnElement<boolean>): Join {
    return new Join(this, right, on, 'inner');
  }
  /** `this LEFT OUTER JOIN right ON on`. */
  outerJoin(right: FromClause, on: ColumnElement<boolean>): Join {
    return new Join(this, right, on, 'left');
  }
  /** `this FULL OUTER JOIN right ON on` (PostgreSQL and SQLite 3.39+; MySQL has none). */
  fullJoin(right: FromClause, on: ColumnElement<boolean>): Join {
    return new Join(this, right, on, 'full');
  }

  /** True when `from` is this object or is nested inside it (a table inside a join). */
  contains(from: FromClause): boolean {
    return from === this;
  }
}

/** A column of a FROM object other than a table: an alias's, a subquery's. */
export class DerivedColumn<T = unknown, N extends string = string> extends ColumnElement<T, N> {
  readonly kind = 'DerivedColumn';
  constructor(
    /** The key it is known by (`alias.c.<name>`) and the name it has in results. */
    readonly name: N,
    readonly from: FromClause,
    readonly type: TypeEngine,
    /** The column's name in SQL: an aliased table's real column name, which can differ from the key. */
    readonly sqlName: string = name,
  ) {
    super();
  }
  override get naturalName(): string {
    return this.name;
  }
  override bindKey(): string {
    return this.name;
  }
  override fromObjects(): readonly FromClause[] {
    return [this.from];
  }
}

/** Builds the `.c` collection of an alias over the columns it wraps. */
export function deriveColumns<R>(
  from: FromClause,
  columns: readonly ColumnElement[],
  sqlNameOf: (column: ColumnElement, name: string) => string = (_, name) => name,
): ColumnCollection<R> {
  return collect<R>(derivePositional(from, columns, false, sqlNameOf));
}

/** The derived column for each wrapped column, by position; null for one without a name. */
function derivePositional(
  from: FromClause,
  columns: readonly ColumnElement[],
  unique: boolean,
  sqlNameOf: (column: ColumnElement, name: string) => string = (_, name) => name,
): (DerivedColumn | null)[] {
  const names = resultNames(columns, () => null, unique);
  return columns.map((column, i) => {
    const name = names[i];
    return name === null || name === undefined ? null : new DerivedColumn(name, from, column.type, sqlNameOf(column, name));
  });
}

function collect<R>(derived: readonly (DerivedColumn | null)[]): ColumnCollection<R> {
  const collection: Record<string, DerivedColumn> = {};
  for (const column of derived) {
    if (column !== null && !(column.name in collection)) collection[column.name] = column;
  }
  return collection as unknown as ColumnCollection<R>;
}

/** `JOIN`, `LEFT OUTER JOIN`, `FULL OUTER JOIN` with an explicit ON clause. */
export class Join extends FromClause<RowShape> {
  readonly kind = 'Join';
  constructor(
    readonly left: FromClause,
    readonly right: FromClause,
    readonly on: ColumnElement<boolean>,
    readonly type: 'inner' | 'left' | 'full',
  ) {
    super();
    if (!(on instanceof ColumnElement)) {
      throw new ArgumentError('join() needs an ON condition, e.g. movies.join(directors, movies.c.directorId.eq(directors.c.id))');
    }
  }
  get selectColumns(): readonly ColumnElement[] {
    return [...this.left.selectColumns, ...this.right.selectColumns];
  }
  override contains(from: FromClause): boolean {
    return from === this || this.left.contains(from) || this.right.contains(from);
  }
}

/** A statement that can be wrapped as a subquery: the parts of `Select` that selectables need. */
export interface SubqueryTarget extends ClauseElement {
  readonly kind: 'Select' | 'CompoundSelect';
  readonly selectedColumns: readonly ColumnElement[];
}

/** `(SELECT ...) AS name` in a FROM clause; a `null` name becomes `anon_N` when compiled. */
export class Subquery<R extends RowShape = RowShape> extends FromClause<R> {
  readonly kind = 'Subquery';
  readonly c: ColumnCollection<R>;
  /** The subquery's columns in SELECT order, named uniquely (`id`, `id_1`) as the compiler labels them. */
  readonly #columns: readonly (DerivedColumn | null)[];
  constructor(
    readonly element: SubqueryTarget,
    readonly name: string | null,
  ) {
    super();
    this.#columns = derivePositional(this, element.selectedColumns, true);
    this.c = collect<R>(this.#columns);
  }
  get selectColumns(): readonly ColumnElement[] {
    return Object.values(this.c);
  }
  /**
   * The subquery's column standing for `column` of the inner SELECT (SQLAlchemy's
   * `corresponding_column`): how `aliased(Address, subq)` finds `addresses.id` when `users.id` is
   * selected too. Undefined when the inner SELECT does not select it.
   */
  correspondingColumn(column: ColumnElement): DerivedColumn | undefined {
    const index = this.element.selectedColumns.indexOf(column);
    return index === -1 ? undefined : (this.#columns[index] ?? undefined);
  }
}

/** A scalar `(SELECT ...)` used as a column expression. */
export class ScalarSubquery<T = unknown> extends ColumnElement<T> {
  readonly kind = 'ScalarSubquery';
  constructor(readonly element: SubqueryTarget) {
    super();
    if (element.selectedColumns.length !== 1) {
      throw new ArgumentError(
        `a scalar subquery must select exactly one column, this one selects ${element.selectedColumns.length}`,
      );
    }
  }
  get type(): TypeEngine {
    return this.element.selectedColumns[0]!.type;
  }
}

/** `EXISTS (SELECT ...)`. */
export class Exists extends ColumnElement<boolean> {
  readonly kind = 'Exists';
  constructor(
    readonly element: SubqueryTarget,
    readonly type: TypeEngine,
  ) {
    super();
  }
}
