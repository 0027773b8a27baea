/**
 * DDL statements as elements. Like queries, they are data: the dialect's DDL compiler turns each into
 * one or more SQL statements, online or for an offline script, and migration operations build them.
 */
import type { EnumType } from '../types/generic.js';
import type { Column } from './column.js';
import type { CheckConstraint, ForeignKeyConstraint, UniqueConstraint, PrimaryKeyConstraint } from './constraints.js';
import type { Table } from './table.js';
import type { Index } from './table-index.js';

export type DdlKind =
  | 'CreateTable'
  | 'DropTable'
  | 'CreateIndex'
  | 'DropIndex'
  | 'AddConstraint'
  | 'DropConstraint'
  | 'CreateEnumType'
  | 'DropEnumType'
  | 'DeferForeignKeyChecks';

export abstract class DdlElement {
  abstract readonly kind: DdlKind;
}

/** A constraint that ALTER TABLE can add or drop. */
export type AlterableConstraint = PrimaryKeyConstraint | UniqueConstraint | ForeignKeyConstraint | CheckConstraint;

/** `CREATE TABLE`, with its columns and inline constraints except the foreign keys in `omitForeignKeys`. */
export class CreateTable extends DdlElement {
  readonly kind = 'CreateTable';
  constructor(
    readonly table: Table,
    readonly options: { readonly omitForeignKeys?: readonly ForeignKeyConstraint[]; readonly ifNotExists?: boolean } = {},
  ) {
    super();
  }
}

export class DropTable extends DdlElement {
  readonly kind = 'DropTable';
  constructor(
    readonly table: Table,
    readonly options: { readonly ifExists?: boolean } = {},
  ) {
    super();
  }
}

export class CreateIndex extends DdlElement {
  readonly kind = 'CreateIndex';
  constructor(
    readonly index: Index,
    readonly options: { readonly ifNotExists?: boolean; readonly concurrently?: boolean } = {},
  ) {
    super();
  }
}

export class DropIndex extends DdlElement {
  readonly kind = 'DropIndex';
  constructor(
    readonly index: Index,
    readonly options: { readonly ifExists?: boolean; readonly concurrently?: boolean } = {},
  ) {
    super();
  }
}

/** `ALTER TABLE ... ADD CONSTRAINT ...` (SQLite cannot; its migrations rebuild the table instead). */
export class AddConstraint extends DdlElement {
  readonly kind = 'AddConstraint';
  constructor(readonly constraint: AlterableConstraint) {
    super();
  }
}

export class DropConstraint extends DdlElement {
  readonly kind = 'DropConstraint';
  constructor(
    readonly constraint: AlterableConstraint,
    /** The name in the database when the model's differs or is unknown (read by reflection). */
    readonly options: { readonly name?: string } = {},
  ) {
    super();
  }
}

/** PostgreSQL's `CREATE TYPE name AS ENUM (...)`; other dialects have nothing to create. */
export class CreateEnumType extends DdlElement {
  readonly kind = 'CreateEnumType';
  constructor(
    readonly type: EnumType,
    readonly schema: string | null,
  ) {
    super();
  }
}

export class DropEnumType extends DdlElement {
  readonly kind = 'DropEnumType';
  constructor(
    readonly type: EnumType,
    readonly schema: string | null,
  ) {
    super();
  }
}

/**
 * Postpones foreign key checks to the end of the transaction, for dropping tables that refer to each
 * other where constraints cannot be dropped first (SQLite); nothing on other dialects.
 */
export class DeferForeignKeyChecks extends DdlElement {
  readonly kind = 'DeferForeignKeyChecks';
}

/** The named enum types a table's columns use, for CREATE TYPE before the table on PostgreSQL. */
export function enumTypesOf(columns: readonly Column[]): EnumType[] {
  const found = new Map<string, EnumType>();
  for (const column of columns) {
    const type = column.type.impl;
    if (type.typeName === 'Enum') {
      const e = type as EnumType;
      if (e.name !== undefined && !found.has(e.name)) found.set(e.name, e);
    }
  }
  return [...found.values()];
}
