/**
 * The argument shapes of `op.*` and the operation objects built from them, shared by the `op` API and
 * the `batch` object of `op.batchAlterTable()`, which take the same arguments (minus the table).
 */
import type { ColumnSpec, IdentityOptions } from '../../schema/column.js';
import { column } from '../../schema/column.js';
import type { NameArg, ReferentialAction } from '../../schema/constraints.js';
import type { IndexOptions } from '../../schema/table-index.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { TypeEngine } from '../../types/type-engine.js';
import { AddColumnOp, type AlterColumnHints, AlterColumnOp, DropColumnOp, type ServerDefault } from './ops/column.js';
import { CreateTableCommentOp, DropTableCommentOp } from './ops/comment.js';
import {
  type ConstraintType,
  CreateCheckConstraintOp,
  CreateForeignKeyOp,
  CreatePrimaryKeyOp,
  CreateUniqueConstraintOp,
  DropConstraintOp,
  ValidateConstraintOp,
} from './ops/constraint.js';
import { CreateIndexOp, DropIndexOp } from './ops/index-ops.js';
import type { OnlineAlterFields } from './ops/online.js';

export interface SchemaOption {
  /** The table's schema (PostgreSQL schema, MySQL database) when not the default one. */
  readonly schema?: string;
}

/** `op.addColumn()`'s options: the schema and MySQL's online clauses. */
export interface AddColumnOptions extends SchemaOption, OnlineAlterFields {}

/** `op.createCheckConstraint()`'s options. */
export interface CheckConstraintOptions extends SchemaOption {
  /** PostgreSQL: add it `NOT VALID`; `op.validateConstraint()` checks the existing rows later. Ignored elsewhere. */
  readonly notValid?: boolean;
}

export interface DropColumnOptions extends SchemaOption, OnlineAlterFields {
  /** The column's type, so the operation can be reversed (and its PostgreSQL enum type dropped). */
  readonly existingType?: TypeEngine;
  readonly existingNullable?: boolean;
  readonly existingServerDefault?: ServerDefault;
  readonly existingComment?: string;
}

export interface AlterColumnOptions extends SchemaOption, AlterColumnHints, OnlineAlterFields {
  readonly nullable?: boolean;
  readonly type?: TypeEngine;
  /** The new server default: a string is a literal value, an expression is SQL; null drops it. */
  readonly serverDefault?: ServerDefault | null;
  readonly newName?: string;
  /** The new comment; null drops it. */
  readonly comment?: string | null;
  /** MySQL: the new ON UPDATE clause (SQL, `'CURRENT_TIMESTAMP'`); null drops it. Ignored elsewhere. */
  readonly mysqlOnUpdate?: string | null;
  /** MySQL: the new collation; null takes the table's. Ignored elsewhere. */
  readonly mysqlCollation?: string | null;
  /**
   * PostgreSQL: the new identity (`{ always: true, start: 100 }`: ADD GENERATED, or SET what differs from
   * `existingIdentity`); null drops it. Ignored elsewhere, where identity is the autoincrement key.
   */
  readonly identity?: IdentityOptions | null;
}

export interface CreateIndexOptions extends SchemaOption, IndexOptions, OnlineAlterFields {
  /** PostgreSQL: CREATE INDEX CONCURRENTLY, run outside the transaction; ignored elsewhere. */
  readonly concurrently?: boolean;
  readonly ifNotExists?: boolean;
}

export interface DropIndexOptions extends SchemaOption, OnlineAlterFields {
  /** The index's table; MySQL needs it. */
  readonly table?: string;
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
}

export interface CreateForeignKeyOptions {
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: 'DEFERRED' | 'IMMEDIATE';
  readonly sourceSchema?: string;
  readonly referentSchema?: string;
  /** PostgreSQL: add it `NOT VALID`; `op.validateConstraint()` checks the existing rows later. Ignored elsewhere. */
  readonly notValid?: boolean;
}

export interface DropConstraintOptions extends SchemaOption {
  /** The kind of constraint; MySQL needs it. */
  readonly type?: ConstraintType;
  /** SQLite, an unnamed constraint (name null): its columns (primary key, unique, foreign key). */
  readonly columns?: readonly string[];
  /** SQLite, an unnamed check (name null): its condition as the table's DDL has it. */
  readonly condition?: string;
}

export interface TableCommentOptions extends SchemaOption {
  /** The comment before the change, for reverse(). */
  readonly existingComment?: string | null;
}

const schemaOf = (options: SchemaOption): string | null => options.schema ?? null;

function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

export function addColumnOp(table: string, name: string, spec: ColumnSpec, options: AddColumnOptions = {}): AddColumnOp {
  return new AddColumnOp(defined({ tableName: table, columnName: name, column: spec, schema: schemaOf(options), algorithm: options.algorithm, lock: options.lock }));
}

export function dropColumnOp(table: string, name: string, options: DropColumnOptions = {}): DropColumnOp {
  const { existingType, existingNullable, existingServerDefault, existingComment } = options;
  const existing =
    existingType === undefined
      ? undefined
      : column(existingType, defined({ nullable: existingNullable, serverDefault: existingServerDefault, comment: existingComment }));
  return new DropColumnOp(defined({ tableName: table, columnName: name, schema: schemaOf(options), existing, algorithm: options.algorithm, lock: options.lock }));
}

export function alterColumnOp(table: string, name: string, options: AlterColumnOptions): AlterColumnOp {
  return new AlterColumnOp(
    defined({
      tableName: table,
      columnName: name,
      schema: schemaOf(options),
      modifyNullable: options.nullable,
      modifyType: options.type,
      modifyServerDefault: options.serverDefault,
      modifyName: options.newName,
      modifyComment: options.comment,
      modifyMysqlOnUpdate: options.mysqlOnUpdate,
      modifyMysqlCollation: options.mysqlCollation,
      modifyIdentity: options.identity,
      existingType: options.existingType,
      existingNullable: options.existingNullable,
      existingServerDefault: options.existingServerDefault,
      existingComment: options.existingComment,
      existingAutoincrement: options.existingAutoincrement,
      existingMysqlOnUpdate: options.existingMysqlOnUpdate,
      existingMysqlCollation: options.existingMysqlCollation,
      existingIdentity: options.existingIdentity,
      postgresqlUsing: options.postgresqlUsing,
      algorithm: options.algorithm,
      lock: options.lock,
    }),
  );
}

export function createIndexOp(
  name: NameArg | null,
  table: string,
  columns: readonly (string | ColumnElement)[],
  options: CreateIndexOptions = {},
): CreateIndexOp {
  const { schema: _schema, unique, ...rest } = options;
  return new CreateIndexOp(defined({ indexName: name, tableName: table, columns, schema: schemaOf(options), unique: unique ?? false, ...rest }));
}

export function dropIndexOp(name: NameArg, options: DropIndexOptions = {}): DropIndexOp {
  return new DropIndexOp(
    defined({
      indexName: name,
      tableName: options.table ?? null,
      schema: schemaOf(options),
      concurrently: options.concurrently,
      ifExists: options.ifExists,
      algorithm: options.algorithm,
      lock: options.lock,
    }),
  );
}

export function createPrimaryKeyOp(name: NameArg | null, table: string, columns: readonly string[], options: SchemaOption = {}): CreatePrimaryKeyOp {
  return new CreatePrimaryKeyOp({ constraintName: name, tableName: table, columns, schema: schemaOf(options) });
}

export function createUniqueConstraintOp(
  name: NameArg | null,
  table: string,
  columns: readonly string[],
  options: SchemaOption = {},
): CreateUniqueConstraintOp {
  return new CreateUniqueConstraintOp({ constraintName: name, tableName: table, columns, schema: schemaOf(options) });
}

export function createForeignKeyOp(
  name: NameArg | null,
  source: string,
  referent: string,
  localColumns: readonly string[],
  remoteColumns: readonly string[],
  options: CreateForeignKeyOptions = {},
): CreateForeignKeyOp {
  const { sourceSchema, referentSchema, ...rest } = options;
  return new CreateForeignKeyOp(
    defined({
      constraintName: name,
      sourceTable: source,
      referentTable: referent,
      localColumns,
      remoteColumns,
      sourceSchema: sourceSchema ?? null,
      referentSchema: referentSchema ?? null,
      ...rest,
    }),
  );
}

export function createCheckConstraintOp(
  name: NameArg | null,
  table: string,
  condition: string | ColumnElement<boolean>,
  options: CheckConstraintOptions = {},
): CreateCheckConstraintOp {
  return new CreateCheckConstraintOp(defined({ constraintName: name, tableName: table, condition, schema: schemaOf(options), notValid: options.notValid }));
}

export function validateConstraintOp(name: string, table: string, options: SchemaOption = {}): ValidateConstraintOp {
  return new ValidateConstraintOp({ constraintName: name, tableName: table, schema: schemaOf(options) });
}

export function dropConstraintOp(name: NameArg | null, table: string, options: DropConstraintOptions = {}): DropConstraintOp {
  const { columns, condition } = options;
  return new DropConstraintOp(defined({ constraintName: name, tableName: table, schema: schemaOf(options), type: options.type ?? null, columns, condition }));
}

export function createTableCommentOp(table: string, comment: string, options: TableCommentOptions = {}): CreateTableCommentOp {
  return new CreateTableCommentOp(defined({ tableName: table, comment, schema: schemaOf(options), existingComment: options.existingComment }));
}

export function dropTableCommentOp(table: string, options: TableCommentOptions = {}): DropTableCommentOp {
  return new DropTableCommentOp(defined({ tableName: table, schema: schemaOf(options), existingComment: options.existingComment }));
}
