/** `op.createTableComment()`, `op.dropTableComment()`. */
import type { CreateTableCommentOp, DropTableCommentOp } from '../../operations/ops/comment.js';
import { call, object, type RenderContext, str } from './source.js';

export function renderCreateTableComment(_r: RenderContext, op: CreateTableCommentOp): string {
  const options = object([
    ['existingComment', op.existingComment == null ? undefined : str(op.existingComment)],
    ['schema', op.schema === null ? undefined : str(op.schema)],
  ]);
  return call('op.createTableComment', [str(op.tableName), str(op.comment), options]);
}

export function renderDropTableComment(_r: RenderContext, op: DropTableCommentOp): string {
  const options = object([
    ['existingComment', op.existingComment == null ? undefined : str(op.existingComment)],
    ['schema', op.schema === null ? undefined : str(op.schema)],
  ]);
  return call('op.dropTableComment', [str(op.tableName), options]);
}
