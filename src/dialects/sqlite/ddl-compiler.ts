/**
 * SQLite DDL. An auto-increment key must be spelled INTEGER to become the rowid alias (BIGINT would
 * not). SQLite cannot add or drop constraints with ALTER TABLE; migrations rebuild the table instead.
 */
import { CompileError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { AlterableConstraint } from '../../schema/ddl.js';
import type { Table } from '../../schema/table.js';
import { DdlCompiler } from '../base/ddl-compiler.js';

export class SqliteDdlCompiler extends DdlCompiler {
  /** A REFERENCES clause cannot name a schema in SQLite: the parent must live in the child's database. */
  protected override referredTable(table: Table): string {
    return this.quote(table.name);
  }

  protected override columnType(column: Column): string {
    return column.autoincrement ? 'INTEGER' : super.columnType(column);
  }
  /** Inside a transaction, counts violations and checks them at COMMIT instead of at each statement. */
  protected override deferForeignKeyChecks(): string[] {
    return ['PRAGMA defer_foreign_keys = ON'];
  }
  protected override addConstraint(constraint: AlterableConstraint): string {
    throw new CompileError(
      `SQLite cannot ALTER TABLE "${constraint.table.name}" to add a ${constraint.kind} constraint; use op.batchAlterTable(), which rebuilds the table`,
    );
  }
  protected override dropConstraint(constraint: AlterableConstraint, _name: string): string {
    throw new CompileError(
      `SQLite cannot ALTER TABLE "${constraint.table.name}" to drop a ${constraint.kind} constraint; use op.batchAlterTable(), which rebuilds the table`,
    );
  }
}
