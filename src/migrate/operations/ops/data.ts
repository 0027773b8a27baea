/** Data operations: SQL text or a statement, and rows to insert. Neither can be reversed. */
import type { ClauseElement } from '../../../sql/elements/element.js';
import type { TableClause } from '../../../sql/table-clause.js';
import { MigrateOperation, notReversible } from './operation.js';

export interface ExecuteSqlFields {
  /** SQL text (run as `text()`, so `:name` marks a parameter) or a statement such as `update(...)`. */
  readonly sql: string | ClauseElement;
  readonly params?: Record<string, unknown>;
}

export interface ExecuteSqlOp extends ExecuteSqlFields {}
/** `op.execute(...)`: SQL text or a statement. */
export class ExecuteSqlOp extends MigrateOperation {
  readonly kind = 'ExecuteSqlOp';
  constructor(fields: ExecuteSqlFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): never {
    return notReversible(this.kind, 'SQL has no known inverse; write the downgrade by hand');
  }
}

export interface BulkInsertFields {
  readonly table: TableClause;
  /** Rows keyed by column key. */
  readonly rows: readonly Record<string, unknown>[];
  /** Online: many rows per INSERT (default). Offline every row is its own INSERT, values inline. */
  readonly multiinsert: boolean;
}

export interface BulkInsertOp extends BulkInsertFields {}
/** `op.bulkInsert(...)`: rows into a table. */
export class BulkInsertOp extends MigrateOperation {
  readonly kind = 'BulkInsertOp';
  constructor(fields: BulkInsertFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): never {
    return notReversible(this.kind, 'inserted rows are not tracked; delete them in the downgrade');
  }
}
