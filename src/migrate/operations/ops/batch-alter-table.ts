/** The batch container: several changes to one table, applied together (by one rebuild where needed). */
import type { Table } from '../../../schema/table.js';
import type { TableDef } from '../table-def.js';
import type { AddColumnOp, AlterColumnOp, DropColumnOp } from './column.js';
import type { CreateTableCommentOp, DropTableCommentOp } from './comment.js';
import type {
  CreateCheckConstraintOp,
  CreateForeignKeyOp,
  CreatePrimaryKeyOp,
  CreateUniqueConstraintOp,
  DropConstraintOp,
} from './constraint.js';
import type { CreateIndexOp, DropIndexOp } from './index-ops.js';
import { MigrateOperation } from './operation.js';

/** The operations a batch may hold: those that change one existing table. */
export type TableAlterOp =
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreatePrimaryKeyOp
  | CreateUniqueConstraintOp
  | CreateForeignKeyOp
  | CreateCheckConstraintOp
  | DropConstraintOp
  | CreateTableCommentOp
  | DropTableCommentOp;

/**
 * `'auto'`: rebuild only when the database cannot ALTER what the batch asks (SQLite); `'always'`:
 * rebuild anyway; `'never'`: ALTER statements only, an error where the database has none.
 */
export type RecreateMode = 'auto' | 'always' | 'never';

export interface BatchAlterTableFields {
  readonly tableName: string;
  readonly schema: string | null;
  readonly recreate: RecreateMode;
  /** The table as it is, for a rebuild without reading the database (offline mode). */
  readonly copyFrom: Table | TableDef | null;
  readonly ops: readonly TableAlterOp[];
}

export interface BatchAlterTableOp extends BatchAlterTableFields {}
/** `op.batchAlterTable(...)`: the recorded operations of one table, run together. */
export class BatchAlterTableOp extends MigrateOperation {
  readonly kind = 'BatchAlterTableOp';
  constructor(fields: BatchAlterTableFields) {
    super();
    Object.assign(this, fields);
  }
  /** The reversed operations in reverse order; a rebuild's copyFrom described the table before, so it is not kept. */
  reverse(): BatchAlterTableOp {
    const ops = [...this.ops].reverse().map((op) => op.reverse() as TableAlterOp);
    return new BatchAlterTableOp({ ...this, copyFrom: null, ops });
  }
}
