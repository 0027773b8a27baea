/**
 * SQLite DDL. An auto-increment key must be spelled INTEGER to become the rowid alias (BIGINT would
 * not). SQLite's ALTER TABLE adds, renames and drops columns and renames tables; it cannot change a
 * column or add or drop constraints, for which migrations rebuild the table (migrate/operations/batch.ts).
 */
import { CompileError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { AddColumn, AlterColumn, AlterableConstraint, ConstraintKind, RenameTable, TableRef } from '../../schema/ddl.js';
import type { Index } from '../../schema/table-index.js';
import type { Table } from '../../schema/table.js';
import { DdlCompiler } from '../base/ddl-compiler.js';
import { isBareDefault } from '../base/default-text.js';
import { EnumType } from '../../types/generic.js';
import { enumCondition } from './enum-check.js';

/** The start of a column's identity, when it has one. */
function identityStart(column: Column): number | bigint | undefined {
  return column.options.identity?.start;
}

export class SqliteDdlCompiler extends DdlCompiler {
  /** A REFERENCES clause cannot name a schema in SQLite: the parent must live in the child's database. */
  protected override referredTable(table: TableRef): string {
    return this.quote(table.name);
  }

  /** SQLite takes only literals and CURRENT_* keywords bare after DEFAULT: `DEFAULT (lower('x'))`. */
  protected override expressionDefault(sql: string): string {
    return isBareDefault(sql) ? sql : `(${sql})`;
  }

  protected override columnType(column: Column): string {
    this.identityAsAutoincrement(column, 'SQLite');
    return column.autoincrement ? 'INTEGER' : super.columnType(column);
  }

  /**
   * An identity given a start is an AUTOINCREMENT key, whose counter SQLite keeps in sqlite_sequence,
   * where CREATE TABLE's next statement sets it (a plain rowid key takes max(rowid) + 1, from 1).
   * AUTOINCREMENT is written only in the key column's own PRIMARY KEY clause.
   */
  protected override autoincrementClause(column: Column): string {
    if (identityStart(column) === undefined) return '';
    const { name } = column.table.primaryKey!.name;
    return ` ${name === null ? '' : `CONSTRAINT ${this.quote(name)} `}PRIMARY KEY AUTOINCREMENT`;
  }

  protected override inColumn(constraint: AlterableConstraint): boolean {
    return constraint.kind === 'PrimaryKey' && constraint.table.columns.some((c) => identityStart(c) !== undefined);
  }

  protected override afterCreateTable(table: Table): string[] {
    const column = table.columns.find((c) => identityStart(c) !== undefined);
    if (column === undefined) return [];
    const sequence = table.schema === null ? 'sqlite_sequence' : `${this.quote(table.schema)}.sqlite_sequence`;
    const next = BigInt(identityStart(column)!) - 1n;
    return [`INSERT INTO ${sequence} (name, seq) VALUES (${this.sql.literalValue(table.name)}, ${next})`];
  }

  /** An enum's values, kept by a CHECK named after it (see enum-check.ts). */
  protected override columnExtra(column: Column): string {
    const type = column.type.impl;
    if (!(type instanceof EnumType)) return '';
    const check = `CHECK (${enumCondition(this.quote(column.name), type.values.map((v) => this.sql.literalValue(v)))})`;
    return type.name === undefined ? ` ${check}` : ` CONSTRAINT ${this.quote(type.name)} ${check}`;
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
  protected override dropConstraint(table: TableRef, _kind: ConstraintKind | null, name: string): string {
    throw new CompileError(
      `SQLite cannot ALTER TABLE "${table.name}" to drop constraint "${name}"; op.dropConstraint() rebuilds the table instead`,
    );
  }

  /** `CREATE INDEX schema.ix ON t (...)`: SQLite qualifies the index, and the table must be in its database. */
  protected override indexTarget(index: Index): string {
    const { schema, name } = index.table;
    return `${this.indexName(index, schema)} ON ${this.quote(name)}`;
  }

  /** SQLite's ADD COLUMN cannot add a STORED generated column (only a VIRTUAL one). */
  protected override addColumn(e: AddColumn): string[] {
    if (e.column.options.computed?.persisted === true) {
      throw new CompileError(
        `SQLite cannot ADD a STORED generated column ("${e.column.table.name}"."${e.column.name}"); make it VIRTUAL (persisted: false) or create the table with it`,
      );
    }
    return super.addColumn(e);
  }

  /** SQLite's ADD COLUMN takes a foreign key only inline, as a column constraint. */
  protected override addColumnSuffix(column: Column): string {
    const fks = column.table.foreignKeys.filter((fk) => fk.columns.length === 1 && fk.columns[0] === column);
    return fks.map((fk) => ` ${this.referencesClause(fk)}`).join('');
  }

  /**
   * SQLite renames a column natively and keeps no comments; any other change needs the table rebuilt,
   * which `op.alterColumn()` does by itself.
   */
  protected override alterColumn(e: AlterColumn): string[] {
    // Comments, MySQL's own clauses and identity (SQLite's rowid key is its autoincrement) have no place in SQLite.
    const { newName, comment: _comment, mysqlOnUpdate: _onUpdate, mysqlCollation: _collation, identity: _identity, ...rest } = e.change;
    const other = Object.entries(rest).filter(([, value]) => value !== undefined).map(([key]) => key);
    if (other.length > 0) {
      throw new CompileError(
        `SQLite cannot ALTER COLUMN "${e.table.name}"."${e.columnName}" (${other.join(', ')}); op.alterColumn() rebuilds the table instead`,
      );
    }
    return newName === undefined ? [] : [this.renameColumn(e)];
  }

  /**
   * The rename that ends a rebuild runs with legacy_alter_table on: otherwise SQLite re-parses every
   * view and trigger and fails on those naming the table, which is dropped at that moment. They keep
   * naming it by name, so they work again once the rename is done.
   */
  protected override renameTable(e: RenameTable): string[] {
    const [rename] = super.renameTable(e);
    if (!e.options.forRebuild) return [rename!];
    return ['PRAGMA legacy_alter_table = ON', rename!, 'PRAGMA legacy_alter_table = OFF'];
  }
}
