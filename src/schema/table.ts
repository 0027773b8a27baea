/**
 * Tables of a {@link MetaData}: the schema object the ORM, DDL, the inspector and autogenerate share.
 */
import { ArgumentError } from '../errors.js';
import { ColumnElement } from '../sql/elements/column-element.js';
import type { Simplify } from '../sql/row.js';
import type { ColumnCollection } from '../sql/selectable.js';
import { TableClause } from '../sql/table-clause.js';
import { Column, type ColumnSpec } from './column.js';
import {
  CheckConstraint,
  Constraint,
  ForeignKey,
  ForeignKeyConstraint,
  PrimaryKeyConstraint,
  UniqueConstraint,
} from './constraints.js';
import type { MetaData } from './metadata.js';
import { Index } from './table-index.js';

/** The column declarations of a table, by key. */
export type ColumnSpecs = Record<string, ColumnSpec<any, boolean, boolean>>;

/** The shape of a selected row: every column, `| null` where nullable. */
export type RowOf<C extends ColumnSpecs> = Simplify<{
  -readonly [K in keyof C]: C[K]['__nullable'] extends true ? C[K]['__value'] | null : C[K]['__value'];
}>;

/** The shape an INSERT accepts: required columns first, optional ones may be left out. */
export type InsertOf<C extends ColumnSpecs> = Simplify<
  { -readonly [K in keyof C as C[K]['__optional'] extends true ? never : K]: RowOf<C>[K] } & {
    -readonly [K in keyof C as C[K]['__optional'] extends true ? K : never]?: RowOf<C>[K];
  }
>;

/** The typed column collection of a table (`movies.c.title` is a `Column<string, 'title'>`). */
export type TableColumns<C extends ColumnSpecs> = { readonly [K in keyof C & string]: Column<RowOf<C>[K], K> };

/** What a table's `constraints` callback may return. */
export type TableArg = Constraint | Index;

/**
 * MySQL's table options (other databases have none of these and ignore them). Without them a table
 * takes the server's defaults, which may not be what an existing table has.
 */
export interface TableServerOptions {
  /** `ENGINE=...` (`'InnoDB'`, `'MyISAM'`). */
  readonly mysqlEngine?: string;
  /** `DEFAULT CHARSET=...`: the character set of the table's text columns (`'utf8mb4'`). */
  readonly mysqlCharset?: string;
  /** `COLLATE=...`: the collation of the table's text columns (`'utf8mb4_unicode_ci'`). */
  readonly mysqlCollation?: string;
}

/** The keys of {@link TableServerOptions}. */
export const TABLE_SERVER_OPTIONS = ['mysqlEngine', 'mysqlCharset', 'mysqlCollation'] as const satisfies readonly (keyof TableServerOptions)[];

/** The table options `source` states, and nothing else (no undefined keys). */
export function tableServerOptions(source: TableServerOptions): TableServerOptions {
  const picked: Record<string, unknown> = {};
  for (const key of TABLE_SERVER_OPTIONS) if (source[key] !== undefined) picked[key] = source[key];
  return picked as TableServerOptions;
}

/** The options of `new Table(name, metadata, columns, options)`, `Base.model()` and `op.createTable()`. */
export interface TableOptions<C extends ColumnSpecs = ColumnSpecs> extends TableServerOptions {
  /** The schema (PostgreSQL schema, MySQL database) when not the connection's default. */
  readonly schema?: string;
  readonly comment?: string;
  /**
   * The table's previous name, for autogenerate: it writes `op.renameTable(old, new)` instead of dropping
   * the old table and creating this one. Harmless once the database has the new name.
   */
  readonly renamedFrom?: string;
  /**
   * Table-level constraints and indexes, built from the typed columns.
   *
   * @example
   * constraints: (c) => [new UniqueConstraint([c.title, c.year]), index(null, [c.director])]
   */
  readonly constraints?: (columns: TableColumns<C>) => readonly TableArg[];
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
  /** The table's name in the database. */
  readonly name: string;
  /** Its schema, or null for the MetaData's (or the connection's) default. */
  readonly schema: string | null;
  /** The table comment, or null. */
  readonly comment: string | null;
  /** The previous name (`renamedFrom`), or null. */
  readonly renamedFrom: string | null;
  /** The MySQL table options the table states (engine, character set, collation). */
  readonly serverOptions: TableServerOptions;
  readonly columns: readonly Column[];
  readonly c: TableColumns<C> & ColumnCollection<RowOf<C>>;
  /** Every constraint, the primary key first when there is one. */
  readonly constraints: readonly Constraint[];
  /** The indexes: those of `constraints: (c) => [index(...)]` and of columns declared `index: true`. */
  readonly indexes: readonly Index[];

  constructor(
    name: string,
    readonly metadata: MetaData,
    specs: C,
    options: TableOptions<C> = {},
  ) {
    super();
    this.name = name;
    this.schema = options.schema ?? metadata.schema;
    this.comment = options.comment ?? null;
    this.renamedFrom = options.renamedFrom ?? null;
    this.serverOptions = tableServerOptions(options);
    const columns = Object.entries(specs).map(([key, spec]) => new Column(key, this as Table, spec));
    if (columns.length === 0) throw new ArgumentError(`table "${name}" has no columns; declare at least one`);
    const names = new Set<string>();
    for (const col of columns) {
      if (names.has(col.name)) throw new ArgumentError(`table "${name}" declares column "${col.name}" twice`);
      names.add(col.name);
    }
    this.columns = columns;
    this.c = Object.fromEntries(columns.map((col) => [col.key, col])) as typeof this.c;
    const { constraints, indexes } = this.#collectArgs(options.constraints?.(this.#strictColumns()) ?? []);
    this.constraints = constraints;
    this.indexes = indexes;
    for (const item of [...constraints, ...indexes]) item.attach(this as Table);
    metadata.add(this as Table);
  }

  /**
   * The columns as the `constraints` callback sees them: naming one the table lacks (`c.titel`, which
   * TypeScript catches but JavaScript and `as any` do not) fails here, naming table and column, instead of
   * passing `undefined` on to a constraint.
   */
  #strictColumns(): TableColumns<C> {
    return new Proxy(this.c, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && !(key in target)) {
          throw new ArgumentError(`table "${this.name}" has no column "${key}" (in its constraints or indexes)`);
        }
        return Reflect.get(target, key, receiver);
      },
    }) as TableColumns<C>;
  }

  /**
   * Gathers the constraints and indexes declared on columns (`primaryKey`, `unique`, `index`,
   * `foreignKey`) and in the `constraints` callback, checking that each names this table's columns.
   */
  #collectArgs(args: readonly TableArg[]): { constraints: Constraint[]; indexes: Index[] } {
    const constraints: Constraint[] = [];
    const indexes: Index[] = [];
    for (const arg of args) {
      if (!(arg instanceof Index || arg instanceof Constraint)) {
        throw new ArgumentError(`table "${this.name}": its constraints callback returned ${String(arg)}, not a constraint or index`);
      }
      for (const col of argColumns(arg)) {
        if (!(col instanceof Column)) {
          throw new ArgumentError(`table "${this.name}": a constraint or index names something that is not a column (${String(col)})`);
        }
        if (col.table !== (this as Table)) {
          throw new ArgumentError(`table "${this.name}": a constraint or index names column "${col.table.name}.${col.name}" of another table`);
        }
      }
      if (arg instanceof Index) indexes.push(arg);
      else constraints.push(arg);
    }
    const explicitPk = constraints.find((c) => c instanceof PrimaryKeyConstraint);
    const pkColumns = this.columns.filter((col) => col.options.primaryKey);
    if (explicitPk === undefined && pkColumns.length > 0) constraints.unshift(new PrimaryKeyConstraint(pkColumns));
    else if (explicitPk !== undefined) constraints.unshift(...constraints.splice(constraints.indexOf(explicitPk), 1));
    for (const col of this.columns) {
      const { unique, index, foreignKey } = col.options;
      if (foreignKey !== undefined) {
        const fk = typeof foreignKey === 'string' ? new ForeignKey(foreignKey) : foreignKey;
        constraints.push(new ForeignKeyConstraint([col], [fk.target], fk.options));
      }
      if (index) indexes.push(new Index(null, [col], { unique: unique ?? false }));
      else if (unique) constraints.push(new UniqueConstraint([col]));
    }
    return { constraints, indexes };
  }

  /** `schema.name`, or `name` in the default schema: the key of the table in its MetaData. */
  get fullName(): string {
    return this.schema === null ? this.name : `${this.schema}.${this.name}`;
  }

  /** The primary key constraint, or null for a table without one. */
  get primaryKey(): PrimaryKeyConstraint | null {
    const first = this.constraints[0];
    return first instanceof PrimaryKeyConstraint ? first : null;
  }

  /** The foreign keys, those declared on columns included. */
  get foreignKeys(): readonly ForeignKeyConstraint[] {
    return this.constraints.filter((c): c is ForeignKeyConstraint => c instanceof ForeignKeyConstraint);
  }

  /** The UNIQUE constraints, a column's `unique: true` included (with `index: true` too, it is a unique index). */
  get uniqueConstraints(): readonly UniqueConstraint[] {
    return this.constraints.filter((c): c is UniqueConstraint => c instanceof UniqueConstraint);
  }

  /** The CHECK constraints. */
  get checkConstraints(): readonly CheckConstraint[] {
    return this.constraints.filter((c): c is CheckConstraint => c instanceof CheckConstraint);
  }
}

/** The columns a constraint or index names; for an index, also any item that is no expression at all. */
function argColumns(arg: TableArg): readonly Column[] {
  if (arg instanceof Index) return arg.items.filter((item) => !(item instanceof ColumnElement) || item instanceof Column) as Column[];
  if (arg instanceof PrimaryKeyConstraint || arg instanceof UniqueConstraint || arg instanceof ForeignKeyConstraint) {
    return arg.columns;
  }
  return [];
}
