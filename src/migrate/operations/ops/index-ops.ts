/** Index operations: create, drop. */
import type { NameArg } from '../../../schema/constraints.js';
import type { IndexOptions } from '../../../schema/table-index.js';
import type { ColumnElement } from '../../../sql/elements/column-element.js';
import type { OnlineAlterFields } from './online.js';
import { MigrateOperation, notReversible } from './operation.js';

export interface CreateIndexFields extends Omit<IndexOptions, 'unique'>, OnlineAlterFields {
  /** Null: the naming convention's name (`ix_<table>_<column>` by default). */
  readonly indexName: NameArg | null;
  readonly tableName: string;
  /** Column names, or expressions such as `text('lower(email)')` / `func.lower(...)`. */
  readonly columns: readonly (string | ColumnElement)[];
  readonly schema: string | null;
  readonly unique: boolean;
  readonly ifNotExists?: boolean;
  /** PostgreSQL: build without locking writes, outside the transaction; other dialects ignore it. */
  readonly concurrently?: boolean;
}

export interface CreateIndexOp extends CreateIndexFields {}
/** `op.createIndex(...)`: CREATE INDEX, CONCURRENTLY in an autocommit block on PostgreSQL. */
export class CreateIndexOp extends MigrateOperation {
  readonly kind = 'CreateIndexOp';
  constructor(fields: CreateIndexFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): DropIndexOp {
    if (this.indexName === null) return notReversible(this.kind, `the index on "${this.tableName}" has no name; name it (op.f('ix_...'))`);
    return new DropIndexOp({
      indexName: this.indexName,
      tableName: this.tableName,
      schema: this.schema,
      ...(this.concurrently === undefined ? {} : { concurrently: this.concurrently }),
      ...(this.algorithm === undefined ? {} : { algorithm: this.algorithm }),
      ...(this.lock === undefined ? {} : { lock: this.lock }),
      existing: this,
    });
  }
}

export interface DropIndexFields extends OnlineAlterFields {
  readonly indexName: NameArg;
  /** Needed on MySQL, where an index belongs to its table. */
  readonly tableName: string | null;
  readonly schema: string | null;
  readonly ifExists?: boolean;
  readonly concurrently?: boolean;
  /** The index as it was, to recreate it on reverse. */
  readonly existing?: CreateIndexFields;
}

export interface DropIndexOp extends DropIndexFields {}
/** `op.dropIndex(...)`: DROP INDEX (`ON table` on MySQL). */
export class DropIndexOp extends MigrateOperation {
  readonly kind = 'DropIndexOp';
  constructor(fields: DropIndexFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): CreateIndexOp {
    if (this.existing === undefined) return notReversible(this.kind, `the definition of index "${String(this.indexName)}" is not known (give it as \`existing\`)`);
    return new CreateIndexOp(this.existing);
  }
}
