/** Constraint operations: primary key, unique, foreign key and check constraints, and dropping any of them. */
import type { NameArg, ReferentialAction } from '../../../schema/constraints.js';
import type { ColumnElement } from '../../../sql/elements/column-element.js';
import { MigrateOperation, notReversible } from './operation.js';

/** The `type` of `op.dropConstraint()`, in Alembic's spelling. */
export type ConstraintType = 'primary' | 'unique' | 'foreignkey' | 'check';

interface ColumnsConstraintFields {
  /** Null: the naming convention's name. */
  readonly constraintName: NameArg | null;
  readonly tableName: string;
  readonly columns: readonly string[];
  readonly schema: string | null;
}

function dropOf(op: CreateConstraintOp, type: ConstraintType, tableName: string, schema: string | null): DropConstraintOp {
  return new DropConstraintOp({ constraintName: op.constraintName, tableName, schema, type, existing: op });
}

export interface CreatePrimaryKeyFields extends ColumnsConstraintFields {}

export interface CreatePrimaryKeyOp extends CreatePrimaryKeyFields {}
/** `op.createPrimaryKey(...)`: ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY (a rebuild on SQLite). */
export class CreatePrimaryKeyOp extends MigrateOperation {
  readonly kind = 'CreatePrimaryKeyOp';
  constructor(fields: CreatePrimaryKeyFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): DropConstraintOp {
    return dropOf(this, 'primary', this.tableName, this.schema);
  }
}

export interface CreateUniqueConstraintFields extends ColumnsConstraintFields {}

export interface CreateUniqueConstraintOp extends CreateUniqueConstraintFields {}
/** `op.createUniqueConstraint(...)`: ADD CONSTRAINT ... UNIQUE (a rebuild on SQLite). */
export class CreateUniqueConstraintOp extends MigrateOperation {
  readonly kind = 'CreateUniqueConstraintOp';
  constructor(fields: CreateUniqueConstraintFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): DropConstraintOp {
    return dropOf(this, 'unique', this.tableName, this.schema);
  }
}

export interface CreateForeignKeyFields {
  readonly constraintName: NameArg | null;
  readonly sourceTable: string;
  readonly referentTable: string;
  readonly localColumns: readonly string[];
  readonly remoteColumns: readonly string[];
  readonly sourceSchema: string | null;
  readonly referentSchema: string | null;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initially?: 'DEFERRED' | 'IMMEDIATE';
  /** PostgreSQL: add it `NOT VALID` (new rows checked, existing ones by a later `op.validateConstraint()`). */
  readonly notValid?: boolean;
}

export interface CreateForeignKeyOp extends CreateForeignKeyFields {}
/** `op.createForeignKey(...)`: ADD CONSTRAINT ... FOREIGN KEY on the source table (a rebuild on SQLite). */
export class CreateForeignKeyOp extends MigrateOperation {
  readonly kind = 'CreateForeignKeyOp';
  constructor(fields: CreateForeignKeyFields) {
    super();
    Object.assign(this, fields);
  }
  get tableName(): string {
    return this.sourceTable;
  }
  get schema(): string | null {
    return this.sourceSchema;
  }
  reverse(): DropConstraintOp {
    return dropOf(this, 'foreignkey', this.sourceTable, this.sourceSchema);
  }
}

export interface CreateCheckConstraintFields {
  readonly constraintName: NameArg | null;
  readonly tableName: string;
  /** SQL text, or a boolean expression over the table's columns. */
  readonly condition: string | ColumnElement<boolean>;
  readonly schema: string | null;
  /** PostgreSQL: add it `NOT VALID` (new rows checked, existing ones by a later `op.validateConstraint()`). */
  readonly notValid?: boolean;
}

export interface CreateCheckConstraintOp extends CreateCheckConstraintFields {}
/** `op.createCheckConstraint(...)`: ADD CONSTRAINT ... CHECK (a rebuild on SQLite). */
export class CreateCheckConstraintOp extends MigrateOperation {
  readonly kind = 'CreateCheckConstraintOp';
  constructor(fields: CreateCheckConstraintFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): DropConstraintOp {
    return dropOf(this, 'check', this.tableName, this.schema);
  }
}

export type CreateConstraintOp = CreatePrimaryKeyOp | CreateUniqueConstraintOp | CreateForeignKeyOp | CreateCheckConstraintOp;

export interface DropConstraintFields {
  /** Null only with `existing`, whose naming convention gives the name. */
  readonly constraintName: NameArg | null;
  readonly tableName: string;
  readonly schema: string | null;
  /** Which kind of constraint; MySQL needs it (one DROP spelling per kind). */
  readonly type: ConstraintType | null;
  /** The constraint as it was, to recreate it on reverse. */
  readonly existing?: CreateConstraintOp;
  /**
   * An unnamed constraint (SQLite keeps none of the names it was not given) is found by what it is:
   * its columns (primary key, unique, foreign key) or its condition (check): by a rebuild, and online in
   * the catalog of a database that named it (by columns only).
   */
  readonly columns?: readonly string[];
  readonly condition?: string;
}

export interface DropConstraintOp extends DropConstraintFields {}
/** `op.dropConstraint(...)`: DROP CONSTRAINT, spelled per kind on MySQL (a rebuild on SQLite). */
export class DropConstraintOp extends MigrateOperation {
  readonly kind = 'DropConstraintOp';
  constructor(fields: DropConstraintFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): CreateConstraintOp {
    if (this.existing === undefined) {
      return notReversible(this.kind, `the definition of constraint "${String(this.constraintName)}" is not known (give it as \`existing\`)`);
    }
    return this.existing;
  }
}

export interface ValidateConstraintFields {
  readonly constraintName: string;
  readonly tableName: string;
  readonly schema: string | null;
}

export interface ValidateConstraintOp extends ValidateConstraintFields {}
/**
 * `op.validateConstraint(...)`: PostgreSQL's VALIDATE CONSTRAINT of a foreign key or check added
 * `NOT VALID`, in a transaction of its own; nothing elsewhere (constraints are checked when added).
 */
export class ValidateConstraintOp extends MigrateOperation {
  readonly kind = 'ValidateConstraintOp';
  constructor(fields: ValidateConstraintFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): never {
    return notReversible(this.kind, `a validated constraint stays valid; undo the constraint itself (op.dropConstraint('${this.constraintName}', ...))`);
  }
}
