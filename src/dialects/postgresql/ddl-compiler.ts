/**
 * PostgreSQL DDL: SERIAL keys, COMMENT ON statements, named enum types created before their tables
 * (and, for migrations, only where missing), partial and `USING` indexes, CONCURRENTLY, and
 * `ALTER COLUMN ... TYPE ... USING`.
 */
import type { Column } from '../../schema/column.js';
import { CompileError } from '../../errors.js';
import type { AlterColumn, CreateEnumType, CreateSequence, DropEnumType, DropSequence, TableRef } from '../../schema/ddl.js';
import type { Sequence } from '../../schema/sequence.js';
import type { Table } from '../../schema/table.js';
import type { Index } from '../../schema/table-index.js';
import { EnumType } from '../../types/generic.js';
import type { TypeEngine } from '../../types/type-engine.js';
import { DdlCompiler } from '../base/ddl-compiler.js';

const SERIAL: Record<string, string> = { Integer: 'SERIAL', BigInteger: 'BIGSERIAL', SmallInteger: 'SMALLSERIAL' };

const SEQUENCE_TYPES = { smallint: 'smallint', integer: 'integer', bigint: 'bigint' } as const;

/** A sequence parameter as DDL text: DDL takes no bound parameters, so only a whole number may pass. */
function integer(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new CompileError(`a sequence parameter must be a whole number, got ${value}`);
  return String(value);
}

export class PostgresqlDdlCompiler extends DdlCompiler {
  protected override columnType(column: Column): string {
    const type = column.type.impl;
    if (column.autoincrement) return SERIAL[type.typeName] ?? super.columnType(column);
    // A named enum is a type of its own, living in the table's schema; unnamed ones are VARCHAR.
    if (type instanceof EnumType && type.name !== undefined) return this.enumName(type.name, column.table.schema);
    return super.columnType(column);
  }

  protected override afterCreateTable(table: Table): string[] {
    const statements = table.comment === null ? [] : this.tableComment(table, table.comment);
    for (const column of table.columns) statements.push(...this.afterAddColumn(column));
    return statements;
  }

  protected override afterAddColumn(column: Column): string[] {
    const comment = column.options.comment;
    return comment === undefined ? [] : this.columnCommentOn(column.table, column.name, comment);
  }

  protected override tableComment(table: TableRef, comment: string | null): string[] {
    return [`COMMENT ON TABLE ${this.table(table)} IS ${this.commentLiteral(comment)}`];
  }

  protected override columnCommentOn(table: TableRef, column: string, comment: string | null): string[] {
    return [`COMMENT ON COLUMN ${this.table(table)}.${this.quote(column)} IS ${this.commentLiteral(comment)}`];
  }

  /** A named enum is its own type, spelled with the table's schema as in CREATE TABLE. */
  protected override alteredType(type: TypeEngine, table: TableRef): string {
    const impl = type.impl;
    if (impl instanceof EnumType && impl.name !== undefined) return this.enumName(impl.name, table.schema);
    return super.alteredType(type, table);
  }

  protected override alterTypeUsing(e: AlterColumn): string {
    return e.options.postgresqlUsing === undefined ? '' : ` USING ${e.options.postgresqlUsing}`;
  }

  /**
   * `ifNotExists` has no CREATE TYPE spelling, so a DO block swallows the duplicate: a migration may add
   * a column of an enum type another table already created.
   */
  protected override createEnumType(e: CreateEnumType): string[] {
    const values = e.type.values.map((v) => this.sql.literalValue(v)).join(', ');
    const create = `CREATE TYPE ${this.enumName(e.type.name!, e.schema)} AS ENUM (${values})`;
    return [e.options.ifNotExists ? `DO $$ BEGIN ${create}; EXCEPTION WHEN duplicate_object THEN NULL; END $$` : create];
  }

  /** `ifUnused`: a type some other column still uses is kept (and one already gone is no error). */
  protected override dropEnumType(e: DropEnumType): string[] {
    const name = this.enumName(e.type.name!, e.schema);
    if (!e.options.ifUnused) return [`DROP TYPE ${name}`];
    return [`DO $$ BEGIN DROP TYPE IF EXISTS ${name}; EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END $$`];
  }

  protected override createSequence(e: CreateSequence): string {
    const p = e.sequence.parameters;
    const parts = [`CREATE SEQUENCE ${e.options.ifNotExists ? 'IF NOT EXISTS ' : ''}${this.sequenceName(e.sequence)}`];
    if (p.dataType !== undefined) parts.push(`AS ${SEQUENCE_TYPES[p.dataType]}`);
    if (p.increment !== undefined) parts.push(`INCREMENT BY ${integer(p.increment)}`);
    if (p.minValue !== undefined) parts.push(`MINVALUE ${integer(p.minValue)}`);
    if (p.maxValue !== undefined) parts.push(`MAXVALUE ${integer(p.maxValue)}`);
    if (p.start !== undefined) parts.push(`START WITH ${integer(p.start)}`);
    if (p.cache !== undefined) parts.push(`CACHE ${integer(p.cache)}`);
    if (p.cycle === true) parts.push('CYCLE');
    return parts.join(' ');
  }

  protected override dropSequence(e: DropSequence): string {
    return `DROP SEQUENCE ${e.options.ifExists ? 'IF EXISTS ' : ''}${this.sequenceName(e.sequence)}`;
  }

  private sequenceName(sequence: Sequence): string {
    return this.table({ name: sequence.name, schema: sequence.schema });
  }

  private commentLiteral(comment: string | null): string {
    return comment === null ? 'NULL' : this.sql.literalValue(comment);
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
