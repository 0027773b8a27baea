/**
 * PostgreSQL DDL: SERIAL keys, COMMENT ON statements, named enum types created before their tables,
 * partial and `USING` indexes, CONCURRENTLY.
 */
import type { Column } from '../../schema/column.js';
import type { CreateEnumType, DropEnumType } from '../../schema/ddl.js';
import type { Table } from '../../schema/table.js';
import type { Index } from '../../schema/table-index.js';
import { EnumType } from '../../types/generic.js';
import { DdlCompiler } from '../base/ddl-compiler.js';

const SERIAL: Record<string, string> = { Integer: 'SERIAL', BigInteger: 'BIGSERIAL', SmallInteger: 'SMALLSERIAL' };

export class PostgresqlDdlCompiler extends DdlCompiler {
  protected override columnType(column: Column): string {
    const type = column.type.impl;
    if (column.autoincrement) return SERIAL[type.typeName] ?? super.columnType(column);
    // A named enum is a type of its own, living in the table's schema; unnamed ones are VARCHAR.
    if (type instanceof EnumType && type.name !== undefined) return this.enumName(type.name, column.table.schema);
    return super.columnType(column);
  }

  protected override afterCreateTable(table: Table): string[] {
    const statements: string[] = [];
    if (table.comment !== null) {
      statements.push(`COMMENT ON TABLE ${this.table(table)} IS ${this.sql.literalValue(table.comment)}`);
    }
    for (const column of table.columns) {
      if (column.options.comment === undefined) continue;
      statements.push(
        `COMMENT ON COLUMN ${this.table(table)}.${this.quote(column.name)} IS ${this.sql.literalValue(column.options.comment)}`,
      );
    }
    return statements;
  }

  protected override createEnumType(e: CreateEnumType): string[] {
    const values = e.type.values.map((v) => this.sql.literalValue(v)).join(', ');
    return [`CREATE TYPE ${this.enumName(e.type.name!, e.schema)} AS ENUM (${values})`];
  }

  protected override dropEnumType(e: DropEnumType): string[] {
    return [`DROP TYPE ${this.enumName(e.type.name!, e.schema)}`];
  }

  protected override indexUsing(index: Index): string {
    const using = index.options.postgresqlUsing;
    return using === undefined ? '' : ` USING ${using}`;
  }

  protected override indexSuffix(index: Index): string {
    const where = index.options.postgresqlWhere;
    if (where === undefined) return '';
    return ` WHERE ${typeof where === 'string' ? where : this.inline(where)}`;
  }

  protected override concurrently(): string {
    return 'CONCURRENTLY ';
  }

  private enumName(name: string, schema: string | null): string {
    return schema === null ? this.quote(name) : `${this.quote(schema)}.${this.quote(name)}`;
  }
}
