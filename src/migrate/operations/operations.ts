/**
 * `op`: what revision files call inside `upgrade()` and `downgrade()`, as Alembic's `op` module.
 * Each call builds an operation object (ops/) and queues it on the running migration's executor
 * (found through `currentExecutor()`), which runs it online or writes it to the offline script.
 *
 * Every method is async and the calls run strictly in call order: a forgotten `await` does not reorder
 * or lose anything, and a failure of an un-awaited call still fails the migration (see
 * operation-queue.ts).
 *
 * @example
 * import { op, t, column } from 'tsmig';
 *
 * export async function upgrade() {
 *   await op.createTable('movies', {
 *     id: column(t.Integer(), { primaryKey: true }),
 *     title: column(t.String(100), { nullable: false }),
 *   });
 *   await op.addColumn('movies', 'rating', column(t.Float()));
 * }
 */
import type { Dialect } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { type ColumnSpec } from '../../schema/column.js';
import { ConventionalName, type NameArg } from '../../schema/constraints.js';
import type { MetaData } from '../../schema/metadata.js';
import { type ColumnSpecs, Table, type TableOptions } from '../../schema/table.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { literal } from '../../sql/elements/conjunctions.js';
import type { ClauseElement } from '../../sql/elements/element.js';
import { LiteralColumn } from '../../sql/elements/text.js';
import type { TableClause } from '../../sql/table-clause.js';
import type { TypeEngine } from '../../types/type-engine.js';
import { currentExecutor } from '../runtime/current-executor.js';
import { BatchOperations } from './batch-operations.js';
import { type AnyOperation, assertOperation, invoke } from './invoke.js';
import type { MigrationExecutor } from './migration-executor.js';
import {
  type AlterColumnOptions,
  type CreateForeignKeyOptions,
  type CreateIndexOptions,
  type DropColumnOptions,
  type DropConstraintOptions,
  type DropIndexOptions,
  type AddColumnOptions,
  type CheckConstraintOptions,
  type SchemaOption,
  validateConstraintOp,
  type TableCommentOptions,
  addColumnOp,
  alterColumnOp,
  createCheckConstraintOp,
  createForeignKeyOp,
  createIndexOp,
  createPrimaryKeyOp,
  createTableCommentOp,
  createUniqueConstraintOp,
  dropColumnOp,
  dropConstraintOp,
  dropIndexOp,
  dropTableCommentOp,
} from './op-factories.js';
import { enqueueOperation } from './operation-queue.js';
import { BatchAlterTableOp, type RecreateMode } from './ops/batch-alter-table.js';
import { BulkInsertOp, ExecuteSqlOp } from './ops/data.js';
import { AlterSequenceOp, CreateSequenceOp, DropSequenceOp } from './ops/sequence.js';
import { CreateTableOp, DropTableOp, RenameTableOp } from './ops/table.js';
import { type SequenceOptions, type SequenceParameters, sequenceParameters } from '../../schema/sequence.js';
import { scratchMetadata } from './schema-objects.js';
import { ensureReferents, type TableDef, tableDefFromTable } from './table-def.js';

/** The options of `op.createTable()`: a Table's options and IF NOT EXISTS. */
export interface CreateTableOptions<C extends ColumnSpecs> extends TableOptions<C> {
  readonly ifNotExists?: boolean;
}

/** A table as `op.createTable()` takes it, without its name and schema: a batch's `copyFrom`. */
export interface TableSpec<C extends ColumnSpecs = ColumnSpecs> extends Omit<TableOptions<C>, 'schema' | 'renamedFrom'> {
  readonly columns: C;
}

/** The options of `op.batchAlterTable()`. */
export interface BatchAlterTableOptions<C extends ColumnSpecs = ColumnSpecs> extends SchemaOption {
  /** `'auto'` (default): rebuild only where needed (SQLite); `'always'`; `'never'`. */
  readonly recreate?: RecreateMode;
  /**
   * The table as it is before the batch, for a rebuild in offline mode (`--sql`), where the database cannot
   * be read; online the table is read from the database. A Table, or its columns and options as
   * `op.createTable()` takes them (autogenerate writes these where SQLite rebuilds the table).
   */
  readonly copyFrom?: Table | TableDef | TableSpec<C>;
}

/** What `op.getContext()` tells a revision about the run it is part of. */
export interface OperationContext {
  /** The database's dialect; `dialect.name` is `'sqlite'`, `'postgresql'` or `'mysql'` (MariaDB too). */
  readonly dialect: Dialect;
  /** True under `--sql`: statements are written to a script, and nothing can be read from the database. */
  readonly offline: boolean;
}

/** Queues `work` on the running migration's executor; `callsBack`: it runs code of the migration. */
function queued<T>(work: (executor: MigrationExecutor) => Promise<T>, callsBack = false): Promise<T> {
  const executor = currentExecutor();
  const { recorder } = executor;
  if (recorder === undefined) return enqueueOperation(executor, () => work(executor), callsBack);
  // Taken now, while the revision file's own frame is still on the synchronous stack: lint reports its line.
  const callStack = new Error().stack ?? '';
  return enqueueOperation(executor, () => recorder.calledFrom(callStack, () => work(executor)), callsBack);
}

function run(operation: AnyOperation): Promise<void> {
  return queued((executor) => invoke(operation, executor));
}

/** Stand-ins for the tables that string foreign key targets name, so the new table's keys resolve. */
function addReferents(table: Table, metadata: MetaData): void {
  for (const fk of table.foreignKeys) {
    fk.targets.forEach((target, i) => {
      if (typeof target !== 'string') return;
      const parts = target.split('.');
      const column = parts.pop()!;
      const name = parts.pop()!;
      const schema = parts[0] ?? null;
      if (name === table.name && schema === table.schema) return;
      ensureReferents(metadata, table, [
        { kind: 'ForeignKey', name: null, columns: [fk.columns[i]!.name], referredSchema: schema, referredTable: name, referredColumns: [column], onDelete: null, onUpdate: null, deferrable: false, initially: null },
      ]);
    });
  }
}

/** The definition of a table given as `op.createTable()` takes it, with stand-ins for the tables its keys name. */
function specDef<C extends ColumnSpecs>(name: string, schema: string | null, spec: TableSpec<C>, executor: MigrationExecutor): TableDef {
  const metadata = scratchMetadata(executor);
  const { columns, ...options } = spec;
  const table = new Table(name, metadata, columns, { ...options, ...(schema === null ? {} : { schema }) });
  addReferents(table as Table, metadata);
  return tableDefFromTable(table as Table);
}

/**
 * The migration operations that a revision's `upgrade()` and `downgrade()` call (Alembic's `op`). Each
 * runs at once online, or is written to the script under `--sql`; calls run in call order even when one
 * is not awaited, and a failed one fails the migration.
 */
export const op = {
  /**
   * CREATE TABLE with its constraints, then its indexes (and, on PostgreSQL, the named enum types its
   * columns use). Returns the Table, for `op.bulkInsert()`.
   *
   * @example
   * const genres = await op.createTable('genres', {
   *   id: column(t.Integer(), { primaryKey: true }),
   *   name: column(t.String(50), { nullable: false, unique: true }),
   * });
   * await op.bulkInsert(genres, [{ id: 1, name: 'drama' }]);
   */
  createTable<C extends ColumnSpecs>(name: string, columns: C, options: CreateTableOptions<C> = {}): Promise<Table<C>> {
    return queued(async (executor) => {
      const metadata = scratchMetadata(executor);
      const { ifNotExists, ...tableOptions } = options;
      const table = new Table(name, metadata, columns, tableOptions);
      addReferents(table as Table, metadata);
      await invoke(new CreateTableOp({ definition: tableDefFromTable(table as Table), ...(ifNotExists === undefined ? {} : { ifNotExists }) }), executor);
      return table;
    });
  },

  /** DROP TABLE (`op.invoke(new DropTableOp({ ..., existing }))` also drops its unused PostgreSQL enum types). */
  dropTable(name: string, options: SchemaOption & { readonly ifExists?: boolean } = {}): Promise<void> {
    return run(new DropTableOp({ tableName: name, schema: options.schema ?? null, ...(options.ifExists === undefined ? {} : { ifExists: options.ifExists }) }));
  },

  /**
   * CREATE SEQUENCE (PostgreSQL), for keys whose default is `nextval('name')`.
   *
   * @example
   * await op.createSequence('actor_actor_id_seq', { start: 200 });
   */
  createSequence(name: string, options: SequenceOptions = {}): Promise<void> {
    return run(new CreateSequenceOp({ sequenceName: name, schema: options.schema ?? null, ...sequenceParameters(options) }));
  },

  /**
   * ALTER SEQUENCE (PostgreSQL): the sequence gets `parameters` (one left out goes back to its default);
   * `existing`, what it has now, says which differ and makes the operation reversible.
   *
   * @example
   * await op.alterSequence('ticket_seq', { increment: 10 }, { existing: { increment: 5 } });
   */
  alterSequence(name: string, parameters: SequenceParameters, options: SchemaOption & { readonly existing: SequenceParameters }): Promise<void> {
    return run(
      new AlterSequenceOp({
        sequenceName: name,
        schema: options.schema ?? null,
        parameters: sequenceParameters(parameters),
        existing: sequenceParameters(options.existing),
      }),
    );
  },

  /** DROP SEQUENCE; `existing` (its parameters) makes the operation reversible. */
  dropSequence(name: string, options: SchemaOption & { readonly existing?: SequenceParameters } = {}): Promise<void> {
    const { existing } = options;
    return run(new DropSequenceOp({ sequenceName: name, schema: options.schema ?? null, ...(existing === undefined ? {} : { existing: sequenceParameters(existing) }) }));
  },

  /** `ALTER TABLE old RENAME TO new`. */
  renameTable(oldName: string, newName: string, options: SchemaOption = {}): Promise<void> {
    return run(new RenameTableOp({ tableName: oldName, newTableName: newName, schema: options.schema ?? null }));
  },

  /**
   * ADD COLUMN, plus the foreign key, unique constraint and index the column declares. SQLite rebuilds
   * the table where its ADD COLUMN cannot (a NOT NULL column without default, UNIQUE, PRIMARY KEY,
   * an expression default).
   *
   * @example
   * await op.addColumn('movies', 'rating', column(t.Float(), { serverDefault: '0' }));
   * // ALTER TABLE movies ADD COLUMN rating FLOAT DEFAULT '0'       (sqlite, postgresql)
   * // ALTER TABLE movies ADD COLUMN rating DOUBLE DEFAULT '0'      (mysql)
   */
  addColumn(table: string, name: string, spec: ColumnSpec, options: AddColumnOptions = {}): Promise<void> {
    return run(addColumnOp(table, name, spec, options));
  },

  /**
   * DROP COLUMN (SQLite rebuilds the table when a constraint or index uses the column). The existing*
   * hints make the operation reversible and drop a PostgreSQL enum type no other column uses.
   */
  dropColumn(table: string, name: string, options: DropColumnOptions = {}): Promise<void> {
    return run(dropColumnOp(table, name, options));
  },

  /**
   * Changes a column's nullability, type, server default, name or comment. MySQL restates the whole
   * column, so give `existingType` and `existingNullable` (and `existingServerDefault` /
   * `existingComment` to keep them); SQLite rebuilds the table for anything but a rename.
   *
   * @example
   * await op.alterColumn('movies', 'title', { nullable: false, existingType: t.String(100) });
   * // ALTER TABLE movies ALTER COLUMN title SET NOT NULL                (postgresql)
   * // ALTER TABLE movies MODIFY title VARCHAR(100) NOT NULL             (mysql)
   */
  alterColumn(table: string, name: string, options: AlterColumnOptions): Promise<void> {
    return run(alterColumnOp(table, name, options));
  },

  /**
   * CREATE INDEX on columns (by name) or expressions. `concurrently` (PostgreSQL) runs it outside the
   * migration's transaction, in an autocommit block; other dialects ignore it.
   *
   * @example
   * await op.createIndex('ix_users_email', 'users', ['email'], { unique: true });
   * await op.createIndex('ix_users_lower', 'users', [func.lower(literalColumn('email'))]);
   */
  createIndex(name: NameArg | null, table: string, columns: readonly (string | ColumnElement)[], options: CreateIndexOptions = {}): Promise<void> {
    return run(createIndexOp(name, table, columns, options));
  },

  /**
   * DROP INDEX; MySQL needs `{ table }`.
   *
   * @example
   * await op.dropIndex('ix_movies_year', { table: 'movies' });
   * // DROP INDEX ix_movies_year                 (sqlite, postgresql)
   * // DROP INDEX ix_movies_year ON movies       (mysql)
   */
  dropIndex(name: NameArg, options: DropIndexOptions = {}): Promise<void> {
    return run(dropIndexOp(name, options));
  },

  /**
   * `ALTER TABLE t ADD CONSTRAINT name PRIMARY KEY (...)`; SQLite rebuilds the table for it.
   *
   * @example
   * await op.createPrimaryKey('pk_people', 'people', ['id']);
   */
  createPrimaryKey(name: NameArg | null, table: string, columns: readonly string[], options: SchemaOption = {}): Promise<void> {
    return run(createPrimaryKeyOp(name, table, columns, options));
  },

  /** `ALTER TABLE t ADD CONSTRAINT name UNIQUE (...)`; SQLite rebuilds the table for it. */
  createUniqueConstraint(name: NameArg | null, table: string, columns: readonly string[], options: SchemaOption = {}): Promise<void> {
    return run(createUniqueConstraintOp(name, table, columns, options));
  },

  /**
   * `ALTER TABLE source ADD CONSTRAINT name FOREIGN KEY(...) REFERENCES referent (...)`.
   *
   * @example
   * await op.createForeignKey('fk_movies_director', 'movies', 'directors', ['director_id'], ['id'], { onDelete: 'CASCADE' });
   */
  createForeignKey(
    name: NameArg | null,
    source: string,
    referent: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: CreateForeignKeyOptions = {},
  ): Promise<void> {
    return run(createForeignKeyOp(name, source, referent, localColumns, remoteColumns, options));
  },

  /**
   * `ALTER TABLE t ADD CONSTRAINT name CHECK (...)` from SQL text or an expression; SQLite rebuilds.
   *
   * @example
   * await op.createCheckConstraint('ck_movies_year', 'movies', 'year > 1888');
   */
  createCheckConstraint(name: NameArg | null, table: string, condition: string | ColumnElement<boolean>, options: CheckConstraintOptions = {}): Promise<void> {
    return run(createCheckConstraintOp(name, table, condition, options));
  },

  /**
   * Checks the existing rows against a foreign key or check added `{ notValid: true }`: PostgreSQL's
   * `ALTER TABLE t VALIDATE CONSTRAINT name`, in a transaction of its own after the revision's work so far
   * is committed (it scans the table under a lock that lets reads and writes go on). Nothing elsewhere:
   * MySQL and SQLite check a constraint when it is added.
   *
   * @example
   * await op.createForeignKey('fk_movies_director', 'movies', 'directors', ['director_id'], ['id'], { notValid: true });
   * await op.validateConstraint('fk_movies_director', 'movies');
   */
  validateConstraint(name: string, table: string, options: SchemaOption = {}): Promise<void> {
    return run(validateConstraintOp(name, table, options));
  },

  /**
   * Drops a constraint by name; MySQL needs `{ type }` ('foreignkey' | 'unique' | 'check' | 'primary'),
   * SQLite rebuilds the table without it.
   *
   * @example
   * await op.dropConstraint('fk_movies_director', 'movies', { type: 'foreignkey' });
   * // ALTER TABLE movies DROP CONSTRAINT fk_movies_director      (postgresql)
   * // ALTER TABLE movies DROP FOREIGN KEY fk_movies_director     (mysql)
   *
   * SQLite keeps no name for a constraint created without one; name it null and say what it is:
   * `op.dropConstraint(null, 'movies', { type: 'unique', columns: ['title'] })`.
   */
  dropConstraint(name: NameArg | null, table: string, options: DropConstraintOptions = {}): Promise<void> {
    return run(dropConstraintOp(name, table, options));
  },

  /**
   * Sets a table comment (nothing on SQLite, which keeps none).
   *
   * @example
   * await op.createTableComment('movies', 'what is on');
   * // COMMENT ON TABLE movies IS 'what is on'       (postgresql)
   * // ALTER TABLE movies COMMENT 'what is on'       (mysql)
   */
  createTableComment(table: string, comment: string, options: TableCommentOptions = {}): Promise<void> {
    return run(createTableCommentOp(table, comment, options));
  },

  /** Removes a table comment (`COMMENT ON TABLE t IS NULL`, MySQL `ALTER TABLE t COMMENT ''`). */
  dropTableComment(table: string, options: TableCommentOptions = {}): Promise<void> {
    return run(dropTableCommentOp(table, options));
  },

  /**
   * Runs SQL text (as `text()`: `:name` is a parameter) or a statement (`update(...)`, `insert(...)`).
   * Offline, values must be inline: use `op.inlineLiteral()` inside statements.
   */
  execute(sql: string | ClauseElement, params?: Record<string, unknown>): Promise<void> {
    return run(new ExecuteSqlOp({ sql, ...(params === undefined ? {} : { params }) }));
  },

  /** Inserts rows (keyed by column key) into a Table, such as the one `op.createTable()` returns. */
  bulkInsert<T extends TableClause<any>>(table: T, rows: readonly T['__insert'][], options: { readonly multiinsert?: boolean } = {}): Promise<void> {
    return run(new BulkInsertOp({ table, rows: rows as readonly Record<string, unknown>[], multiinsert: options.multiinsert ?? true }));
  },

  /** Marks a name as already conventional, so the naming convention is not applied to it again. */
  f(name: string): ConventionalName {
    return new ConventionalName(name);
  },

  /** The migration's connection, to read rows in a data migration. Online only; call it after awaiting earlier operations. */
  getBind(): Connection {
    return currentExecutor().connection();
  },

  /**
   * The dialect and whether the run is offline, as Alembic's `op.get_context()`: for SQL that each
   * database spells its own way, written so the same revision also runs under `--sql`.
   *
   * @example
   * const { dialect } = op.getContext();
   * const position = dialect.name === 'postgresql' ? 'strpos' : 'instr';
   */
  getContext(): OperationContext {
    const { dialect, offline } = currentExecutor();
    return { dialect, offline };
  },

  /**
   * Several changes to one table at once: on SQLite one rebuild for all of them (move and copy, with
   * foreign keys switched off so no child row is lost); elsewhere ALTER statements in order.
   *
   * @example
   * await op.batchAlterTable('movies', async (batch) => {
   *   batch.alterColumn('title', { type: t.String(200) });
   *   batch.createForeignKey('fk_movies_genre', 'genres', ['genre_id'], ['id']);
   * });
   */
  batchAlterTable<C extends ColumnSpecs>(table: string, work: (batch: BatchOperations) => void | Promise<void>, options: BatchAlterTableOptions<C> = {}): Promise<void> {
    return queued(async (executor) => {
      const schema = options.schema ?? null;
      const batch = new BatchOperations(table, schema);
      await work(batch);
      const { copyFrom } = options;
      const operation = new BatchAlterTableOp({
        tableName: table,
        schema,
        recreate: options.recreate ?? 'auto',
        copyFrom: copyFrom === undefined ? null : copyFrom instanceof Table || Array.isArray(copyFrom.columns) ? (copyFrom as Table | TableDef) : specDef(table, schema, copyFrom as TableSpec<C>, executor),
        ops: batch.operations,
      });
      await invoke(operation, executor);
    }, true);
  },

  /**
   * A value written into the SQL as a literal, also online: for data migrations that must produce the
   * same script offline (`update(t).values({ status: op.inlineLiteral('active') })`).
   */
  inlineLiteral<T>(value: T, type?: TypeEngine<T>): ColumnElement<T> {
    const sql = currentExecutor().dialect.compile(literal(value, type), { literalBinds: true }).sql;
    return new LiteralColumn<T>(sql, type);
  },

  /** Runs an operation object (as autogenerate produces them). */
  invoke(operation: AnyOperation): Promise<void> {
    assertOperation(operation);
    return run(operation);
  },
} as const;
