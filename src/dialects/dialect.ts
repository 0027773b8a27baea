/**
 * The Dialect bundle: everything tsmig knows about one database family, as plain data and pure
 * functions: compilers, capability facts, value adapters and error classification. It never imports
 * knex or a driver; `engine/` does the I/O and asks the dialect how.
 */
import type { DatabaseError } from '../errors.js';
import type { DdlElement } from '../schema/ddl.js';
import type { ClauseElement } from '../sql/elements/element.js';
import type { TypeEngine } from '../types/type-engine.js';
import type { CompiledSql } from './compiled.js';
import type { Table } from '../schema/table.js';
import type { DialectReflection, QueryFn } from './reflection.js';

/** The SQL dialects tsmig speaks: `'mysql'` also serves MariaDB, `'postgresql'` also PGlite. */
export type DialectName = 'sqlite' | 'postgresql' | 'mysql';

/** Facts about a database that code branches on instead of on the dialect's name. */
export interface Capabilities {
  /** DDL runs inside transactions and rolls back with them. */
  readonly transactionalDdl: boolean;
  /** INSERT / UPDATE / DELETE ... RETURNING. */
  readonly insertReturning: boolean;
  readonly updateReturning: boolean;
  readonly deleteReturning: boolean;
  /** `INSERT ... VALUES (...), (...)`. */
  readonly multiRowInsert: boolean;
  /** The driver's limit on bound parameters in one statement. */
  readonly maxBindParams: number;
  /** `FULL OUTER JOIN`. */
  readonly fullOuterJoin: boolean;
  /** `NULLS FIRST` / `NULLS LAST` in ORDER BY (emulated otherwise). */
  readonly nullsOrdering: boolean;
  /** Named schemas (PostgreSQL schemas, MySQL databases). */
  readonly schemas: boolean;
  /** Native boolean type and TRUE/FALSE literals. */
  readonly nativeBoolean: boolean;
  /** ALTER TABLE can add and drop constraints (SQLite cannot: its migrations rebuild the table). */
  readonly alterConstraints: boolean;
  /**
   * ALTER TABLE can change a column's type, nullability and default (SQLite cannot: its migrations
   * rebuild the table; it still renames, adds and drops columns natively).
   */
  readonly alterColumns: boolean;
  /** `CREATE/DROP INDEX CONCURRENTLY`, which must run outside a transaction (PostgreSQL). */
  readonly concurrentIndexes: boolean;
  /** Foreign keys may name tables that do not exist yet (SQLite checks them only when rows change). */
  readonly forwardForeignKeys: boolean;
  /** Free-standing sequences (PostgreSQL's CREATE SEQUENCE); `createAll` skips a MetaData's sequences elsewhere. */
  readonly sequences: boolean;
  /** Named enum types that exist apart from tables (PostgreSQL's CREATE TYPE). */
  readonly enumTypes: boolean;
  /** Indexes on expressions (`lower(email)`); MariaDB has none. */
  readonly expressionIndexes: boolean;
  /** `(a, b) IN ((1, 2), (3, 4))`; SQLite takes row values on the right of IN only as `(VALUES ...)` or a subquery. */
  readonly rowValueInList: boolean;
  /** `COMMIT AND CHAIN`: commits and begins the next transaction in one statement (SQLite has no such statement). */
  readonly commitAndChain: boolean;
}

/** How a value of some SQL type travels to and from this dialect's driver; null means unchanged. */
export interface ValueAdapter {
  bind(type: TypeEngine): ((value: unknown) => unknown) | null;
  result(type: TypeEngine): ((value: unknown) => unknown) | null;
}

/** Options of one compilation. */
export interface CompileOptions {
  /**
   * Render values inline as SQL literals instead of parameters. Only for offline SQL scripts and
   * DDL defaults; online execution always binds.
   */
  readonly literalBinds?: boolean;
}

/**
 * One database's SQL: compiles statements, expressions and DDL to SQL text and parameters, and states its
 * `capabilities`. It does no I/O. `engine.dialect` is the one in use; `getDialect(name)` gives any of them,
 * e.g. to print a statement's SQL for another database.
 */
export interface Dialect {
  readonly name: DialectName;
  /** The knex client that owns the pool and the driver (`better-sqlite3`, `pg`, `mysql2`). */
  readonly knexClient: 'better-sqlite3' | 'pg' | 'mysql2';
  readonly capabilities: Capabilities;
  /** Compiles any statement or expression; results are cached per (dialect, element). */
  compile(element: ClauseElement, options?: CompileOptions): CompiledSql;
  /**
   * Compiles `insert` as a multi-row VALUES statement of `rowCount` rows whose slots read late-bound
   * values by column key from each row of an executemany batch.
   */
  compileInsertBatch(insert: ClauseElement, keys: readonly string[], rowCount: number): CompiledSql;
  /** Compiles a DDL element into the statements that carry it out. */
  compileDdl(element: DdlElement): string[];
  /**
   * An expression as DDL writes it, with literal values and bare column names: a server default, a CHECK
   * condition, an index expression. Autogenerate compares the model's with what the database reports.
   */
  compileInline(element: ClauseElement): string;
  /** Quotes an identifier by this dialect's rules when it needs quoting. */
  quoteIdentifier(name: string): string;
  readonly values: ValueAdapter;
  /** Catalog queries for the Inspector and autogenerate. */
  readonly reflection: DialectReflection;
  /** Maps a driver error to the DB-API family (IntegrityError, ProgrammingError, ...). */
  classifyError(error: unknown): new (...args: ConstructorParameters<typeof DatabaseError>) => DatabaseError;
  /** How a multi-row INSERT's generated keys follow from the one id the driver reports; null: they do not. */
  readonly insertIds: InsertIds | null;
}

/**
 * The generated integer keys of one multi-row INSERT, known from the single id the driver reports for
 * it (MySQL's LAST_INSERT_ID(), SQLite's last_insert_rowid()): the rows' keys follow one another in VALUES
 * order, `increment` apart, ending or starting at that id. Cheaper than RETURNING a row per object.
 */
export interface InsertIds {
  /** The row whose key is reported: the first (MySQL) or the last (SQLite). */
  readonly reported: 'first' | 'last';
  /**
   * Whether `table`'s next `rows` keys, generated by one INSERT in the current transaction, are
   * consecutive and exact JS numbers. A dialect with RETURNING uses the reported id only where this
   * check says so; without it (MySQL), the reported id is all there is.
   */
  consecutive?(query: QueryFn, table: Table, rows: number): Promise<boolean>;
  /** The fewest rows of one INSERT worth `consecutive`'s query: below, it costs more than RETURNING saves. */
  readonly checkFromRows?: number;
  /**
   * The step between one INSERT's keys in the current session (MySQL's `auto_increment_increment`, which
   * Galera and multi-primary setups raise above 1), asked once per INSERT group; 1 when absent.
   */
  increment?(query: QueryFn): Promise<number>;
}

/** What a dialect module provides; {@link defineDialect} adds compile caching on top. */
export interface DialectParts {
  readonly name: DialectName;
  readonly knexClient: Dialect['knexClient'];
  readonly capabilities: Capabilities;
  readonly values: ValueAdapter;
  readonly classifyError: Dialect['classifyError'];
  readonly compiler: {
    compile(element: ClauseElement, literalBinds: boolean): CompiledSql;
    compileInsertBatch(insert: ClauseElement, keys: readonly string[], rowCount: number): CompiledSql;
    inline(element: ClauseElement): string;
    quote(name: string): string;
  };
  readonly ddlCompiler: { compile(element: DdlElement): string[] };
  readonly reflection: DialectReflection;
  readonly insertIds: InsertIds | null;
}

/**
 * Builds a Dialect. Statements are immutable, so a compiled statement is cached per element object and
 * reused on every execution; executemany batches are cached per (statement, keys, row count).
 */
export function defineDialect(parts: DialectParts): Dialect {
  const compiled = new WeakMap<ClauseElement, CompiledSql>();
  const batches = new WeakMap<ClauseElement, Map<string, CompiledSql>>();
  return {
    name: parts.name,
    knexClient: parts.knexClient,
    capabilities: parts.capabilities,
    values: parts.values,
    classifyError: parts.classifyError,
    reflection: parts.reflection,
    insertIds: parts.insertIds,
    quoteIdentifier: (name) => parts.compiler.quote(name),
    compileDdl: (element) => parts.ddlCompiler.compile(element),
    compileInline: (element) => parts.compiler.inline(element),
    compile(element, options = {}) {
      if (options.literalBinds) return parts.compiler.compile(element, true);
      let result = compiled.get(element);
      if (result === undefined) {
        result = parts.compiler.compile(element, false);
        compiled.set(element, result);
      }
      return result;
    },
    compileInsertBatch(insert, keys, rowCount) {
      let byShape = batches.get(insert);
      if (byShape === undefined) batches.set(insert, (byShape = new Map()));
      const shape = `${rowCount}:${keys.join('\u0000')}`;
      let result = byShape.get(shape);
      if (result === undefined) {
        result = parts.compiler.compileInsertBatch(insert, keys, rowCount);
        byShape.set(shape, result);
      }
      return result;
    },
  };
}
