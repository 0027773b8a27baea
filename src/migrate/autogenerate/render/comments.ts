/** `op.createTableComment()`, `op.dropTableComment()`. */
import type { CreateTableCommentOp, DropTableCommentOp } from '../../operations/ops/comment.js';
import { object, type RenderContext, str, tableCall } from './source.js';

export function renderCreateTableComment(r: RenderContext, op: CreateTableCommentOp): string {
  const options = object([['existingComment', op.existingComment == null ? undefined : str(op.existingComment)], r.schemaEntry(op.schema)]);
  return tableCall(r, 'createTableComment', [str(op.tableName), str(op.comment), options], 0);
}

export function renderDropTableComment(r: RenderContext, op: DropTableCommentOp): string {
  const options = object([['existingComment', op.existingComment == null ? undefined : str(op.existingComment)], r.schemaEntry(op.schema)]);
  return tableCall(r, 'dropTableComment', [str(op.tableName), options], 0);
}
