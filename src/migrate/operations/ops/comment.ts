/** Table comment operations. Column comments are `op.alterColumn(..., { comment })`. */
import { MigrateOperation, notReversible } from './operation.js';

export interface CreateTableCommentFields {
  readonly tableName: string;
  readonly comment: string;
  readonly schema: string | null;
  /** The comment before; null or absent: there was none (what reverse() restores). */
  readonly existingComment?: string | null;
}

export interface CreateTableCommentOp extends CreateTableCommentFields {}
/** `op.createTableComment(...)`: COMMENT ON TABLE (PostgreSQL), ALTER TABLE ... COMMENT (MySQL). */
export class CreateTableCommentOp extends MigrateOperation {
  readonly kind = 'CreateTableCommentOp';
  constructor(fields: CreateTableCommentFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): CreateTableCommentOp | DropTableCommentOp {
    const { tableName, schema, comment } = this;
    if (this.existingComment == null) return new DropTableCommentOp({ tableName, schema, existingComment: comment });
    return new CreateTableCommentOp({ tableName, schema, comment: this.existingComment, existingComment: comment });
  }
}

export interface DropTableCommentFields {
  readonly tableName: string;
  readonly schema: string | null;
  readonly existingComment?: string | null;
}

export interface DropTableCommentOp extends DropTableCommentFields {}
/** `op.dropTableComment(...)`. */
export class DropTableCommentOp extends MigrateOperation {
  readonly kind = 'DropTableCommentOp';
  constructor(fields: DropTableCommentFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): CreateTableCommentOp {
    if (this.existingComment == null) return notReversible(this.kind, `the comment of "${this.tableName}" is not known (pass existingComment)`);
    return new CreateTableCommentOp({ tableName: this.tableName, schema: this.schema, comment: this.existingComment });
  }
}
