/**
 * The `batch` object of `op.batchAlterTable(table, async (batch) => { ... })`: the table operations
 * without their table argument. Calls only record; the batch runs when the callback has returned, as one
 * rebuild where the database needs one (SQLite) and as ALTER statements elsewhere.
 */
import type { ColumnSpec } from '../../schema/column.js';
import type { NameArg } from '../../schema/constraints.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import {
  type AddColumnOptions,
  type AlterColumnOptions,
  type CheckConstraintOptions,
  type CreateForeignKeyOptions,
  type CreateIndexOptions,
  type DropColumnOptions,
  type DropConstraintOptions,
  type DropIndexOptions,
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
import type { TableAlterOp } from './ops/batch-alter-table.js';
import { currentExecutor } from '../runtime/current-executor.js';

/**
 * Records the changes to one table.
 *
 * @example
 * await op.batchAlterTable('movies', async (batch) => {
 *   batch.addColumn('rating', column(t.Float()));
 *   batch.alterColumn('title', { nullable: false });
 *   batch.dropColumn('legacy_code');
 * });
 */
export class BatchOperations {
  readonly #table: string;
  readonly #schema: { schema?: string };
  readonly #ops: TableAlterOp[] = [];

  /** @internal created by `op.batchAlterTable()`. */
  constructor(table: string, schema: string | null) {
    this.#table = table;
    this.#schema = schema === null ? {} : { schema };
  }

  /** The operations recorded so far, in call order. */
  get operations(): readonly TableAlterOp[] {
    return this.#ops;
  }

  #add(op: TableAlterOp): void {
    this.#ops.push(op);
    // For `tsmig lint`: the line of this call, not only the batch's.
    currentExecutor().recorder?.calledAt(op, new Error().stack ?? '');
  }

  /** As `op.addColumn()` on this table. */
  addColumn(name: string, spec: ColumnSpec, options: Omit<AddColumnOptions, 'schema'> = {}): void {
    this.#add(addColumnOp(this.#table, name, spec, { ...options, ...this.#schema }));
  }

  /** As `op.dropColumn()` on this table. */
  dropColumn(name: string, options: Omit<DropColumnOptions, 'schema'> = {}): void {
    this.#add(dropColumnOp(this.#table, name, { ...options, ...this.#schema }));
  }

  /** As `op.alterColumn()` on this table; on SQLite any change but a rename or a comment rebuilds it. */
  alterColumn(name: string, options: Omit<AlterColumnOptions, 'schema'>): void {
    this.#add(alterColumnOp(this.#table, name, { ...options, ...this.#schema }));
  }

  /** As `op.createIndex()` on this table. */
  createIndex(name: NameArg | null, columns: readonly (string | ColumnElement)[], options: Omit<CreateIndexOptions, 'schema'> = {}): void {
    this.#add(createIndexOp(name, this.#table, columns, { ...options, ...this.#schema }));
  }

  /** As `op.dropIndex()` on this table. */
  dropIndex(name: NameArg, options: Omit<DropIndexOptions, 'schema' | 'table'> = {}): void {
    this.#add(dropIndexOp(name, { ...options, table: this.#table, ...this.#schema }));
  }

  /** As `op.createPrimaryKey()` on this table. */
  createPrimaryKey(name: NameArg | null, columns: readonly string[]): void {
    this.#add(createPrimaryKeyOp(name, this.#table, columns, this.#schema));
  }

  /** As `op.createUniqueConstraint()` on this table. */
  createUniqueConstraint(name: NameArg | null, columns: readonly string[]): void {
    this.#add(createUniqueConstraintOp(name, this.#table, columns, this.#schema));
  }

  /** As `op.createForeignKey()` from this table. */
  createForeignKey(
    name: NameArg | null,
    referent: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: Omit<CreateForeignKeyOptions, 'sourceSchema'> = {},
  ): void {
    this.#add(
      createForeignKeyOp(name, this.#table, referent, localColumns, remoteColumns, {
        ...options,
        ...(this.#schema.schema === undefined ? {} : { sourceSchema: this.#schema.schema }),
      }),
    );
  }

  /** As `op.createCheckConstraint()` on this table. */
  createCheckConstraint(name: NameArg | null, condition: string | ColumnElement<boolean>, options: Omit<CheckConstraintOptions, 'schema'> = {}): void {
    this.#add(createCheckConstraintOp(name, this.#table, condition, { ...options, ...this.#schema }));
  }

  /** As `op.dropConstraint()` on this table. */
  dropConstraint(name: NameArg | null, options: Omit<DropConstraintOptions, 'schema'> = {}): void {
    this.#add(dropConstraintOp(name, this.#table, { ...options, ...this.#schema }));
  }

  /** As `op.createTableComment()` on this table. */
  createTableComment(comment: string, options: Omit<TableCommentOptions, 'schema'> = {}): void {
    this.#add(createTableCommentOp(this.#table, comment, { ...options, ...this.#schema }));
  }

  /** As `op.dropTableComment()` on this table. */
  dropTableComment(options: Omit<TableCommentOptions, 'schema'> = {}): void {
    this.#add(dropTableCommentOp(this.#table, { ...options, ...this.#schema }));
  }
}
