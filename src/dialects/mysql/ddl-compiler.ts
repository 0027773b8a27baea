/**
 * MySQL DDL: AUTO_INCREMENT, inline comments, prefix-length index columns, and one DROP spelling per
 * constraint kind (MySQL and MariaDB accept DROP CONSTRAINT only for CHECK constraints).
 */
import type { Column } from '../../schema/column.js';
import type { AlterableConstraint, DropIndex } from '../../schema/ddl.js';
import type { Table } from '../../schema/table.js';
import type { Index, IndexItem } from '../../schema/table-index.js';
import { DdlCompiler } from '../base/ddl-compiler.js';

export class MysqlDdlCompiler extends DdlCompiler {
  protected override autoincrementClause(column: Column): string {
    return column.autoincrement ? ' AUTO_INCREMENT' : '';
  }

  protected override columnComment(column: Column): string {
    const comment = column.options.comment;
    return comment === undefined ? '' : ` COMMENT ${this.sql.literalValue(comment)}`;
  }

  protected override tableSuffix(table: Table): string {
    return table.comment === null ? '' : ` COMMENT=${this.sql.literalValue(table.comment)}`;
  }

  protected override indexItem(index: Index, item: IndexItem): string {
    const sql = super.indexItem(index, item);
    if (item.kind !== 'Column') return sql;
    const length = index.options.mysqlLength?.[(item as Column).name];
    return length === undefined ? sql : `${sql}(${length})`;
  }

  protected override dropIndex(e: DropIndex): string {
    return `DROP INDEX ${this.quote(e.index.name.name!)} ON ${this.table(e.index.table)}`;
  }

  protected override dropConstraint(constraint: AlterableConstraint, name: string): string {
    const table = this.table(constraint.table);
    switch (constraint.kind) {
      case 'PrimaryKey':
        return `ALTER TABLE ${table} DROP PRIMARY KEY`;
      case 'ForeignKey':
        return `ALTER TABLE ${table} DROP FOREIGN KEY ${this.quote(name)}`;
      case 'Unique':
        return `ALTER TABLE ${table} DROP INDEX ${this.quote(name)}`;
      case 'Check':
        return `ALTER TABLE ${table} DROP CONSTRAINT ${this.quote(name)}`;
    }
  }
}
