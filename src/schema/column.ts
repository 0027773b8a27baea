/**
 * Table columns with their schema facts: nullability, keys, defaults, comments. The declaration
 * (`column(t.String(50), { nullable: false })`) carries phantom flags from which the row and insert
 * types of its table are derived, as Drizzle's column builders do.
 */
import type { ColumnElement } from '../sql/elements/column-element.js';
import { ColumnClause } from '../sql/table-clause.js';
import type { BigIntegerType, IntegerType, SmallIntegerType } from '../types/generic.js';
import type { TypeEngine, ValueOf } from '../types/type-engine.js';
import type { ForeignKey } from './constraints.js';
import type { Table } from './table.js';

/**
 * What the database keeps about a column beyond its type, nullability, default and comment: reflection
 * reads these back, autogenerate compares the ones a model states, and DDL writes them. The `mysql*`
 * options are MySQL's and MariaDB's own clauses; other databases have no such clause and ignore them.
 */
export interface ColumnServerOptions {
  /**
   * MySQL: `ON UPDATE <sql>`, what the server sets the column to on every UPDATE of the row, as SQL
   * (`'CURRENT_TIMESTAMP'`, `'CURRENT_TIMESTAMP(3)'`).
   */
  readonly mysqlOnUpdate?: string;
  /** MySQL: the column's character set when it differs from its table's (`'latin1'`). */
  readonly mysqlCharset?: string;
  /** MySQL: the column's collation when it differs from its table's (`'utf8mb4_bin'` keeps comparisons case-sensitive). */
  readonly mysqlCollation?: string;
}

/** The keys of {@link ColumnServerOptions}, for code that copies them between shapes. */
export const COLUMN_SERVER_OPTIONS = ['mysqlOnUpdate', 'mysqlCharset', 'mysqlCollation'] as const satisfies readonly (keyof ColumnServerOptions)[];

/** The server options `source` states, and nothing else (no undefined keys). */
export function columnServerOptions(source: ColumnServerOptions): ColumnServerOptions {
  const picked: Record<string, unknown> = {};
  for (const key of COLUMN_SERVER_OPTIONS) if (source[key] !== undefined) picked[key] = source[key];
  return picked as ColumnServerOptions;
}

/** The options of a column, as SQLAlchemy's `Column(...)` keyword arguments. */
export interface ColumnOptions<T = unknown> extends ColumnServerOptions {
  /** The column's name in the database when it differs from its key in the table definition. */
  readonly name?: string;
  readonly primaryKey?: boolean;
  /** Defaults to true, except for primary key columns. */
  readonly nullable?: boolean;
  /** A client-side default: a value, or a function called for each inserted row. */
  readonly default?: T | (() => T);
  /**
   * A default the database applies: a string is a literal value (`'0'` renders `DEFAULT '0'`), an
   * expression is SQL (`literalColumn('CURRENT_TIMESTAMP')`, `func.now()`), as in SQLAlchemy.
   */
  readonly serverDefault?: string | ColumnElement;
  /** For an integer primary key, whether the database generates it; `'auto'` (default) decides from the type. */
  readonly autoincrement?: boolean | 'auto';
  /** A single-column UNIQUE constraint (a unique index when `index` is also set). */
  readonly unique?: boolean;
  /** A single-column index, named by the convention (`ix_<table>_<column>` by default). */
  readonly index?: boolean;
  /** References another table's column: `'directors.id'`, or `foreignKey(() => directors.c.id, { onDelete })`. */
  readonly foreignKey?: string | ForeignKey;
  readonly comment?: string;
  /** A client-side value set on every UPDATE of the row, e.g. `() => new Date()`. */
  readonly onupdate?: T | (() => T);
  /**
   * The column's previous name, for autogenerate: it writes a rename (`op.alterColumn(..., { newName })`)
   * instead of dropping the old column and adding this one. Harmless once the database has the new name.
   */
  readonly renamedFrom?: string;
}

/**
 * A column declaration waiting for its table; `Nullable` and `Optional` (may be left out of an INSERT)
 * are inference flags, and `InitOptional` says whether a model's constructor may leave it out.
 */
export class ColumnSpec<T = unknown, Nullable extends boolean = boolean, Optional extends boolean = boolean, InitOptional extends boolean = Optional> {
  /** @internal phantom flags. */
  declare readonly __value: T;
  declare readonly __nullable: Nullable;
  declare readonly __optional: Optional;
  declare readonly __initOptional: InitOptional;
  constructor(
    readonly type: TypeEngine,
    readonly options: ColumnOptions<T>,
  ) {}
}

/** Core's rule: NULL allowed unless `nullable: false` or part of the primary key. */
type IsNullable<O> = O extends { nullable: true }
  ? true
  : O extends { nullable: false }
    ? false
    : O extends { primaryKey: true }
      ? false
      : true;

type IntegerLike = IntegerType | BigIntegerType | SmallIntegerType;

/**
 * A column may be left out of an INSERT when it is nullable (`Nullable`, by the caller's rule), has a
 * default, or is a generated integer key. @internal shared with the ORM's `mapped()`.
 */
export type IsOptional<TType, O, Nullable extends boolean> = Nullable extends true
  ? true
  : O extends { default: unknown } | { serverDefault: unknown }
    ? true
    : O extends { primaryKey: true }
      ? O extends { autoincrement: false }
        ? false
        : TType extends IntegerLike
          ? true
          : false
      : false;

/**
 * Declares a column for a {@link Table}.
 *
 * @example
 * const movies = new Table('movies', metadata, {
 *   id: column(t.Integer(), { primaryKey: true }),
 *   title: column(t.String(100), { nullable: false, unique: true }),
 *   releaseDate: column(t.Date(), { name: 'release_date' }),
 * });
 */
export function column<TType extends TypeEngine, const O extends ColumnOptions<ValueOf<TType>> = {}>(
  type: TType,
  options?: O,
): ColumnSpec<ValueOf<TType>, IsNullable<O>, IsOptional<TType, O, IsNullable<O>>> {
  return new ColumnSpec(type, options ?? {});
}

/** A column bound to its table: an expression (`movies.c.title.eq('Alien')`) and a schema object. */
export class Column<T = unknown, K extends string = string> extends ColumnClause<T, K> {
  readonly name: string;
  readonly type: TypeEngine;
  readonly options: ColumnOptions;

  constructor(
    readonly key: K,
    readonly table: Table,
    spec: ColumnSpec,
  ) {
    super();
    this.type = spec.type;
    this.options = spec.options;
    this.name = spec.options.name ?? key;
  }

  /** Part of the table's primary key, declared on the column or by a PrimaryKeyConstraint. */
  get primaryKey(): boolean {
    return this.table.primaryKey?.columns.includes(this as Column) ?? false;
  }

  /** NULL allowed; primary key columns are NOT NULL unless stated otherwise. */
  get nullable(): boolean {
    return this.options.nullable ?? !this.primaryKey;
  }

  /**
   * Whether the database generates this column's values: an integer primary key column that is the
   * only one of its key, unless `autoincrement: false` (SQLAlchemy's `'auto'` rule).
   */
  get autoincrement(): boolean {
    const option = this.options.autoincrement ?? 'auto';
    if (option !== 'auto') return option && this.primaryKey;
    const pk = this.table.primaryKey?.columns ?? [];
    const integer = ['Integer', 'BigInteger', 'SmallInteger'].includes(this.type.impl.typeName);
    return pk.length === 1 && pk[0] === (this as Column) && integer && this.options.foreignKey === undefined;
  }
}
