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
import type { SequenceParameters } from './sequence.js';
import type { Table } from './table.js';

/**
 * An identity column (SQL:2003 `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY`, SQLAlchemy's `Identity`):
 * the database numbers the rows from a sequence it owns, with these parameters (those left out take the
 * database's defaults). PostgreSQL has identity columns; MySQL and SQLite have none, and an identity
 * column there is their autoincrement key (AUTO_INCREMENT, SQLite's INTEGER PRIMARY KEY), which only the
 * table's lone integer primary key can be: the sequence parameters have no place there and are ignored,
 * but for `start` (MySQL's AUTO_INCREMENT= of the table, SQLite's AUTOINCREMENT counter).
 */
export interface IdentityOptions extends Omit<SequenceParameters, 'dataType'> {
  /** `ALWAYS`: an INSERT may not give the value (PostgreSQL refuses it); `BY DEFAULT` (the default) allows it. */
  readonly always?: boolean;
}

/**
 * A generated column (SQLAlchemy's `Computed`): `GENERATED ALWAYS AS (<sqltext>) STORED | VIRTUAL`, whose
 * value the database computes from the other columns of the row. It cannot be written by an INSERT or
 * UPDATE.
 */
export interface ComputedOptions {
  /** The expression, as SQL (`'price * quantity'`); it may name only columns of the same table. */
  readonly sqltext: string;
  /**
   * True: STORED (computed on write, kept on disk); false: VIRTUAL (computed on read). Left out, the
   * database's default: STORED on PostgreSQL (its only kind), VIRTUAL on MySQL, MariaDB and SQLite.
   */
  readonly persisted?: boolean;
}

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
  /** The database numbers the rows: see {@link IdentityOptions}. */
  readonly identity?: IdentityOptions;
  /** The database computes the value from the row: see {@link ComputedOptions}. */
  readonly computed?: ComputedOptions;
}

/** The keys of {@link ColumnServerOptions}, for code that copies them between shapes. */
export const COLUMN_SERVER_OPTIONS = ['mysqlOnUpdate', 'mysqlCharset', 'mysqlCollation', 'identity', 'computed'] as const satisfies readonly (keyof ColumnServerOptions)[];

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

/** Core's rule: NULL allowed unless `nullable: false`, part of the primary key or an identity column. */
type IsNullable<O> = O extends { nullable: true }
  ? true
  : O extends { nullable: false }
    ? false
    : O extends { primaryKey: true } | { identity: unknown }
      ? false
      : true;

type IntegerLike = IntegerType | BigIntegerType | SmallIntegerType;

/**
 * A column may be left out of an INSERT when it is nullable (`Nullable`, by the caller's rule), has a
 * default, or is a generated integer key. @internal shared with the ORM's `mapped()`.
 */
export type IsOptional<TType, O, Nullable extends boolean> = Nullable extends true
  ? true
  : O extends { default: unknown } | { serverDefault: unknown } | { identity: unknown } | { computed: unknown }
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

  /** NULL allowed; primary key and identity columns are NOT NULL unless stated otherwise (as in SQLAlchemy). */
  get nullable(): boolean {
    return this.options.nullable ?? !(this.primaryKey || this.options.identity !== undefined);
  }

  /**
   * Whether the database generates this column's values: an integer primary key column that is the
   * only one of its key, unless `autoincrement: false` (SQLAlchemy's `'auto'` rule); an identity column always.
   */
  get autoincrement(): boolean {
    if (this.options.identity !== undefined) return true;
    const option = this.options.autoincrement ?? 'auto';
    if (option !== 'auto') return option && this.primaryKey;
    const pk = this.table.primaryKey?.columns ?? [];
    const integer = ['Integer', 'BigInteger', 'SmallInteger'].includes(this.type.impl.typeName);
    return pk.length === 1 && pk[0] === (this as Column) && integer && this.options.foreignKey === undefined;
  }
}
