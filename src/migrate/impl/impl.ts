/**
 * Per-dialect migration behaviour, as Alembic's `DefaultImpl`: how a database spells the types, defaults
 * and expressions a model declares, so autogenerate compares like with like, and which facts a database
 * does not keep at all. Pure: it reads model objects and reflected shapes and never runs SQL.
 */
import type { DialectName } from '../../dialects/dialect.js';
import type { ReflectedColumn } from '../../schema/reflected.js';
import type { Column } from '../../schema/column.js';
import type { IndexOptions } from '../../schema/table-index.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { TypeEngine } from '../../types/type-engine.js';

/** Index options a dialect keeps (and reflects); the others are ignored when comparing there. */
export type DialectIndexOption = keyof Omit<IndexOptions, 'unique'>;

/** What a database keeps of a schema, where it keeps less than a model can say. */
export interface ReflectedFacts {
  /** Column and table comments (SQLite has none). */
  readonly comments: boolean;
  /** The primary key's name (MySQL calls every one `PRIMARY`). */
  readonly primaryKeyName: boolean;
  /** DEFERRABLE / INITIALLY on foreign keys (MySQL has neither). */
  readonly deferrableForeignKeys: boolean;
  /** A UNIQUE index is the same object as a UNIQUE constraint and reflects as one (MySQL). */
  readonly uniqueIndexesAsConstraints: boolean;
  readonly indexOptions: readonly DialectIndexOption[];
  /**
   * The database indexes a foreign key's columns by itself when no index covers them, names that index
   * after the constraint, and keeps it when the key is dropped (InnoDB); autogenerate drops it with the key.
   */
  readonly implicitForeignKeyIndexes: boolean;
  /** Identity columns with their sequence options (PostgreSQL); elsewhere an identity is the autoincrement key. */
  readonly identity: boolean;
  /** A generated column whose kind the model leaves out is STORED (PostgreSQL) rather than VIRTUAL. */
  readonly computedPersistedByDefault: boolean;
  /** An index orders NULLs FIRST or LAST as told (PostgreSQL); elsewhere only its direction counts. */
  readonly indexNulls: boolean;
}

/** See {@link DialectImpl.scratchDatabase}. */
export interface ScratchDatabaseSql {
  create(quotedName: string): string;
  drop(quotedName: string): string;
}

/**
 * One dialect's comparison rules. Both sides of a default or an expression go through the same
 * normalisation, so a model and the database agree whenever the database would store the same thing.
 *
 * @example
 * const impl = implFor('postgresql');
 * impl.typesEquivalent(t.Numeric(10), t.Numeric(10, 0));                           // true
 * impl.normalizeDefault("'abc'::character varying") === impl.normalizeDefault("'abc'"); // true
 */
export interface DialectImpl {
  readonly dialect: DialectName;
  readonly reflects: ReflectedFacts;
  /**
   * The statements that create and drop a scratch database next to the configured one (`tsmig test`),
   * given its quoted name; null where a database is a file (SQLite).
   */
  readonly scratchDatabase: ScratchDatabaseSql | null;
  /** Statements an offline script starts with, so any client runs it the same way (MySQL: the connection's charset). */
  readonly scriptPreamble: readonly string[];
  /** True when the two types are the same column type in this database (String lengths, Numeric precision and scale count). */
  typesEquivalent(model: TypeEngine, reflected: TypeEngine): boolean;
  /** As {@link typesEquivalent}, for a column whose role changes its stored type (SQLite's rowid key). */
  columnTypesEquivalent(column: Column, reflected: ReflectedColumn): boolean;
  /** Whether the database will generate the column's values, as reflection reports it. */
  modelAutoincrement(column: Column): boolean;
  /** The model column's server default as this dialect's DDL writes it, or null. */
  modelDefault(column: Column): string | null;
  /** A server default (model or reflected) in a canonical form; null for none (and for DEFAULT NULL). */
  normalizeDefault(sql: string | null): string | null;
  /** An index expression, partial-index condition or CHECK condition as DDL writes it. */
  renderExpression(expression: string | ColumnElement): string;
  /** An expression (model or reflected) in a canonical form. */
  normalizeExpression(sql: string): string;
  /**
   * A reflected expression as a revision writes it to create the object again, on any dialect (MySQL
   * quotes every identifier with backticks, which no other database reads).
   */
  portableExpression(sql: string): string;
  /** ON DELETE / ON UPDATE in a canonical form: null for the database's default action. */
  normalizeReferentialAction(action: string | null): string | null;
  /**
   * How a column's values convert to another kind of type where the database will not do it by itself
   * (PostgreSQL's `ALTER COLUMN ... TYPE integer USING code::integer`): the USING expression, or null.
   */
  castUsing(column: string, from: TypeEngine, to: TypeEngine): string | null;
  /**
   * A foreign key's name after its table is renamed: the same, except where the database named the key
   * after the table itself and renames it along (MySQL's `movies_ibfk_1`).
   */
  foreignKeyNameAfterRename(name: string, oldTable: string, newTable: string): string;
}
