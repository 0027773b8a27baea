/**
 * Tables of a {@link MetaData}: the schema object the ORM, DDL, the inspector and autogenerate share.
 */
import { ArgumentError } from '../errors.js';
import type { Simplify } from '../sql/row.js';
import type { ColumnCollection } from '../sql/selectable.js';
import { TableClause } from '../sql/table-clause.js';
import { Column, type ColumnSpec } from './column.js';
import type { MetaData } from './metadata.js';

/** The column declarations of a table, by key. */
export type ColumnSpecs = Record<string, ColumnSpec<any, boolean, boolean>>;

/** The shape of a selected row: every column, `| null` where nullable. */
export type RowOf<C extends ColumnSpecs> = Simplify<{
  [K in keyof C]: C[K]['__nullable'] extends true ? C[K]['__value'] | null : C[K]['__value'];
}>;

/** The shape an INSERT accepts: required columns first, optional ones may be left out. */
export type InsertOf<C extends ColumnSpecs> = Simplify<
  { [K in keyof C as C[K]['__optional'] extends true ? never : K]: RowOf<C>[K] } & {
    [K in keyof C as C[K]['__optional'] extends true ? K : never]?: RowOf<C>[K];
  }
>;

/** The typed column collection of a table (`movies.c.title` is a `Column<string, 'title'>`). */
export type TableColumns<C extends ColumnSpecs> = { readonly [K in keyof C & string]: Column<RowOf<C>[K], K> };

export interface TableOptions {
  /** The schema (PostgreSQL schema, MySQL database) when not the connection's default. */
  readonly schema?: string;
  readonly comment?: string;
}

/**
 * A table, registered on its MetaData.
 *
 * @example
 * const metadata = new MetaData();
 * const movies = new Table('movies', metadata, {
 *   id: column(t.Integer(), { primaryKey: true }),
 *   title: column(t.String(100), { nullable: false }),
 *   rating: column(t.Float()),
 * });
 * select(movies.c.title).where(movies.c.rating.gt(8));
 */
export class Table<C extends ColumnSpecs = ColumnSpecs> extends TableClause<RowOf<C>, InsertOf<C>> {
  readonly name: string;
  readonly schema: string | null;
  readonly comment: string | null;
  readonly columns: readonly Column[];
  readonly c: TableColumns<C> & ColumnCollection<RowOf<C>>;

  constructor(
    name: string,
    readonly metadata: MetaData,
    specs: C,
    options: TableOptions = {},
  ) {
    super();
    this.name = name;
    this.schema = options.schema ?? metadata.schema;
    this.comment = options.comment ?? null;
    const columns = Object.entries(specs).map(([key, spec]) => new Column(key, this as Table, spec));
    if (columns.length === 0) throw new ArgumentError(`table "${name}" has no columns; declare at least one`);
    const names = new Set<string>();
    for (const col of columns) {
      if (names.has(col.name)) throw new ArgumentError(`table "${name}" declares column "${col.name}" twice`);
      names.add(col.name);
    }
    this.columns = columns;
    this.c = Object.fromEntries(columns.map((col) => [col.key, col])) as typeof this.c;
    metadata.add(this as Table);
  }

  /** `schema.name`, or `name` in the default schema: the key of the table in its MetaData. */
  get fullName(): string {
    return this.schema === null ? this.name : `${this.schema}.${this.name}`;
  }

  /** The primary key columns in declaration order. */
  get primaryKeyColumns(): readonly Column[] {
    return this.columns.filter((col) => col.primaryKey);
  }
}
