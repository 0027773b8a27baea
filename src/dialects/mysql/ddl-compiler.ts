/**
 * MySQL DDL: AUTO_INCREMENT, inline comments, prefix-length index columns, one DROP spelling per
 * constraint kind (MySQL and MariaDB accept DROP CONSTRAINT only for CHECK constraints), and ALTER
 * COLUMN by restating the whole column (MODIFY / CHANGE), and the online clauses `ALGORITHM=` and `LOCK=`.
 */
import { CompileError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { AlterColumn, ConstraintKind, DropIndex, OnlineAlter, TableRef } from '../../schema/ddl.js';
import type { Table } from '../../schema/table.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { Index, IndexItem } from '../../schema/table-index.js';
import { DdlCompiler } from '../base/ddl-compiler.js';
import { isBareDefault, isCurrentTimestamp } from '../base/default-text.js';

export class MysqlDdlCompiler extends DdlCompiler {
  protected override readonly identifierLimit = { chars: 64, database: 'MySQL' };

  protected override autoincrementClause(column: Column): string {
    this.identityAsAutoincrement(column, 'MySQL');
    return column.autoincrement ? ' AUTO_INCREMENT' : '';
  }

  /** MySQL 8 takes an expression default only in parentheses, CURRENT_TIMESTAMP aside: `DEFAULT (lower('x'))`. */
  protected override expressionDefault(sql: string): string {
    return isBareDefault(sql) || isCurrentTimestamp(sql) ? sql : `(${sql})`;
  }

  /** The character set and collation belong to the type: `VARCHAR(40) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin`. */
  protected override columnType(column: Column): string {
    return super.columnType(column) + this.textAttributes(column.options);
  }

  protected override columnExtra(column: Column): string {
    return onUpdateClause(column.options.mysqlOnUpdate);
  }

  private textAttributes(o: { readonly mysqlCharset?: string | null | undefined; readonly mysqlCollation?: string | null | undefined }): string {
    let sql = '';
    if (o.mysqlCharset != null) sql += ` CHARACTER SET ${this.word(o.mysqlCharset)}`;
    if (o.mysqlCollation != null) sql += ` COLLATE ${this.word(o.mysqlCollation)}`;
    return sql;
  }

  /** A character set, collation or engine name: a bare word, refused otherwise (it cannot be a bound parameter). */
  private word(name: string): string {
    if (!/^\w+$/.test(name)) throw new CompileError(`"${name}" is not a MySQL character set, collation or engine name`);
    return name;
  }

  protected override indexKind(index: Index): string {
    const prefix = index.options.mysqlPrefix;
    return prefix === undefined ? super.indexKind(index) : `${prefix} `;
  }

  protected override columnComment(column: Column): string {
    const comment = column.options.comment;
    return comment === undefined ? '' : ` COMMENT ${this.sql.literalValue(comment)}`;
  }

  protected override tableSuffix(table: Table): string {
    const { mysqlEngine, mysqlCharset, mysqlCollation } = table.serverOptions;
    let sql = '';
    if (mysqlEngine !== undefined) sql += ` ENGINE=${this.word(mysqlEngine)}`;
    if (mysqlCharset !== undefined) sql += ` DEFAULT CHARSET=${this.word(mysqlCharset)}`;
    if (mysqlCollation !== undefined) sql += ` COLLATE=${this.word(mysqlCollation)}`;
    // An identity is the AUTO_INCREMENT key here: its start is the table's first value (MySQL has no per-column increment).
    const start = table.columns.find((c) => c.options.identity?.start !== undefined)?.options.identity!.start;
    if (start !== undefined) sql += ` AUTO_INCREMENT=${String(start)}`;
    return table.comment === null ? sql : `${sql} COMMENT=${this.sql.literalValue(table.comment)}`;
  }

  protected override indexItem(index: Index, item: IndexItem): string {
    if (item.kind !== 'Column') return super.indexItem(index, item);
    const name = (item as Column).name;
    const length = index.options.mysqlLength?.[name];
    return `${this.quote(name)}${length === undefined ? '' : `(${length})`}${this.indexOrder(index, name)}`;
  }

  /**
   * `ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT` and `CREATE INDEX ix ON t (c) ALGORITHM=INPLACE
   * LOCK=NONE`: the clauses go at the end of each statement, after a comma in ALTER TABLE's list.
   */
  protected override onlineAlter(e: OnlineAlter): string[] {
    const clauses = [e.algorithm === null ? null : `ALGORITHM=${e.algorithm}`, e.lock === null ? null : `LOCK=${e.lock}`].filter((c) => c !== null);
    if (clauses.length === 0) return this.compile(e.element);
    // MariaDB's DROP INDEX takes no ALGORITHM or LOCK; ALTER TABLE ... DROP INDEX does, on both servers.
    if (e.element.kind === 'DropIndex') {
      const table = e.element.index.attachedTable;
      if (table === null) return this.compile(e.element);
      return [`${this.alterTable(table)} DROP INDEX ${this.quote(e.element.index.name.name!)}, ${clauses.join(', ')}`];
    }
    return this.compile(e.element).map((sql) => (sql.startsWith('ALTER TABLE ') ? `${sql}, ${clauses.join(', ')}` : `${sql} ${clauses.join(' ')}`));
  }

  protected override dropIndex(e: DropIndex): string {
    const table = e.index.attachedTable;
    if (table === null) {
      throw new CompileError(`MySQL drops an index with its table: op.dropIndex('${e.index.name.name}', { table: '...' })`);
    }
    return `DROP INDEX ${this.quote(e.index.name.name!)} ON ${this.table(table)}`;
  }

  protected override dropConstraint(ref: TableRef, kind: ConstraintKind | null, name: string): string {
    const table = this.table(ref);
    switch (kind) {
      case 'PrimaryKey':
        return `ALTER TABLE ${table} DROP PRIMARY KEY`;
      case 'ForeignKey':
        return `ALTER TABLE ${table} DROP FOREIGN KEY ${this.quote(name)}`;
      case 'Unique':
        return `ALTER TABLE ${table} DROP INDEX ${this.quote(name)}`;
      case 'Check':
        return `ALTER TABLE ${table} DROP CONSTRAINT ${this.quote(name)}`;
      case null:
        throw new CompileError(
          `MySQL has no generic DROP CONSTRAINT: say which kind "${name}" on "${ref.name}" is, e.g. op.dropConstraint('${name}', '${ref.name}', { type: 'foreignkey' })`,
        );
    }
  }

  /** `ALTER TABLE s.old RENAME TO s.new`: without the schema MySQL would move the table to the current database. */
  protected override renamedTable(table: TableRef, newName: string): string {
    return this.table({ name: newName, schema: table.schema });
  }

  protected override tableComment(table: TableRef, comment: string | null): string[] {
    return [`${this.alterTable(table)} COMMENT ${this.sql.literalValue(comment ?? '')}`];
  }

  /** MySQL has no statement for a comment alone: the column is restated with it. */
  protected override columnCommentStatements(column: Column, comment: string | null): string[] {
    const restated = this.restate(column.name, {
      type: this.columnType(column),
      nullable: column.nullable,
      serverDefault: column.options.serverDefault ?? null,
      onUpdate: column.options.mysqlOnUpdate ?? null,
      autoincrement: column.autoincrement,
      comment,
    });
    return [`${this.alterTable(column.table)} MODIFY ${restated}`];
  }

  /**
   * A change of type, nullability or comment restates the whole column with MODIFY (CHANGE when it is
   * also renamed): whatever is not restated is lost, so the `existing*` hints fill in what does not
   * change, and a missing type or nullability is an error rather than a guess. A default or a rename
   * alone has statements of its own that leave the rest of the column untouched.
   */
  protected override alterColumn(e: AlterColumn): string[] {
    const { change, existing } = e;
    const table = this.alterTable(e.table);
    const restating = ['type', 'nullable', 'comment', 'mysqlOnUpdate', 'mysqlCollation'] as const;
    if (restating.every((key) => change[key] === undefined)) {
      const statements: string[] = [];
      if (change.serverDefault !== undefined) {
        const column = `${table} ALTER COLUMN ${this.quote(e.columnName)}`;
        statements.push(change.serverDefault === null ? `${column} DROP DEFAULT` : `${column} SET DEFAULT ${this.serverDefault(change.serverDefault)}`);
      }
      if (change.newName !== undefined) statements.push(this.renameColumn(e));
      return statements;
    }
    const missing = (hint: string): never => {
      throw new CompileError(
        `MySQL restates the whole column to alter "${e.table.name}"."${e.columnName}": pass ${hint} to op.alterColumn()`,
      );
    };
    const type = change.type ?? existing.type ?? missing('existingType');
    const now = <K extends 'serverDefault' | 'comment' | 'mysqlOnUpdate' | 'mysqlCollation'>(key: K) =>
      change[key] !== undefined ? change[key] : (existing[key] ?? null);
    const collation = now('mysqlCollation');
    const restated = this.restate(change.newName ?? e.columnName, {
      type: this.typeSql(type) + this.textAttributes({ mysqlCollation: collation }),
      nullable: change.nullable ?? existing.nullable ?? missing('existingNullable'),
      serverDefault: now('serverDefault'),
      onUpdate: now('mysqlOnUpdate'),
      autoincrement: existing.autoincrement ?? false,
      comment: now('comment'),
    });
    const head = change.newName === undefined ? 'MODIFY' : `CHANGE ${this.quote(e.columnName)}`;
    return [`${table} ${head} ${restated}`];
  }

  /** A column definition for MODIFY / CHANGE, with NULL spelled out as Alembic does. */
  private restate(
    name: string,
    d: {
      type: string;
      nullable: boolean;
      serverDefault: string | ColumnElement | null;
      onUpdate: string | null;
      autoincrement: boolean;
      comment: string | null;
    },
  ): string {
    let sql = `${this.quote(name)} ${d.type} ${d.nullable ? 'NULL' : 'NOT NULL'}`;
    if (d.serverDefault !== null) sql += ` DEFAULT ${this.serverDefault(d.serverDefault)}`;
    sql += onUpdateClause(d.onUpdate);
    if (d.autoincrement) sql += ' AUTO_INCREMENT';
    if (d.comment !== null) sql += ` COMMENT ${this.sql.literalValue(d.comment)}`;
    return sql;
  }
}

/** ` ON UPDATE <sql>`; the server accepts only CURRENT_TIMESTAMP and its synonyms there, and says so itself. */
function onUpdateClause(sql: string | null | undefined): string {
  return sql == null ? '' : ` ON UPDATE ${sql}`;
}
