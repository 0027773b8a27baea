/**
 * Table and column comments, where the database keeps them (SQLite keeps none, so there they never
 * differ).
 */
import type { Column } from '../../../schema/column.js';
import type { ReflectedColumn } from '../../../schema/reflected.js';
import { CreateTableCommentOp, DropTableCommentOp } from '../../operations/ops/comment.js';
import type { CompareContext } from '../context.js';
import type { TablePair } from './tables.js';

/** The new column comment (null: none) when it changes; undefined when it does not. */
export function compareColumnComment(ctx: CompareContext, column: Column, reflected: ReflectedColumn): { readonly value: string | null } | undefined {
  if (!ctx.impl.reflects.comments) return undefined;
  const comment = column.options.comment ?? null;
  return comment === reflected.comment ? undefined : { value: comment };
}

/** `op.createTableComment()` / `op.dropTableComment()` when the table's comment changes. */
export function compareTableComment(ctx: CompareContext, { model, reflected }: TablePair): void {
  if (!ctx.impl.reflects.comments || model.comment === reflected.comment) return;
  const base = { tableName: model.name, schema: model.schema, existingComment: reflected.comment };
  ctx.plan.add({
    phase: 'tableComment',
    table: model.fullName,
    op: model.comment === null ? new DropTableCommentOp(base) : new CreateTableCommentOp({ ...base, comment: model.comment }),
    code: 'modify_table_comment',
    description: `Changed the comment of table '${model.fullName}': ${JSON.stringify(reflected.comment)} -> ${JSON.stringify(model.comment)}`,
  });
}
