/**
 * DDL statements as elements. Like queries, they are data: the dialect's DDL compiler turns each into
 * one or more SQL statements, online or for an offline script, and migration operations build them.
 */
import type { ColumnElement } from '../sql/elements/column-element.js';
import type { EnumType } from '../types/generic.js';
import type { TypeEngine } from '../types/type-engine.js';
import type { Column, IdentityOptions } from './column.js';
import type { CheckConstraint, ForeignKeyConstraint, UniqueConstraint, PrimaryKeyConstraint } from './constraints.js';
import type { Sequence, SequenceParameters } from './sequence.js';
import type { Table } from './table.js';
import type { Index } from './table-index.js';

export type DdlKind =
  | 'CreateTable'
  | 'DropTable'
  | 'CreateIndex'
  | 'DropIndex'
  | 'AddConstraint'
  | 'ValidateConstraint'
  | 'OnlineAlter'
  | 'DropConstraint'
  | 'CreateEnumType'
  | 'DropEnumType'
  | 'AlterEnumType'
  | 'DeferForeignKeyChecks'
  | 'AddColumn'
  | 'DropColumn'
  | 'AlterColumn'
  | 'RenameTable'
  | 'SetTableComment'
  | 'DropTableComment'
  | 'SetColumnComment'
  | 'CopyTableRows'
  | 'CreateSequence'
  | 'DropSequence'
  | 'AlterSequence';

export abstract class DdlElement {
  abstract readonly kind: DdlKind;
}

/** A constraint that ALTER TABLE can add or drop. */
export type AlterableConstraint = PrimaryKeyConstraint | UniqueConstraint | ForeignKeyConstraint | CheckConstraint;

/** The kinds of {@link AlterableConstraint}. */
export type ConstraintKind = AlterableConstraint['kind'];

/** A table by name, for ALTER statements that need no Table object. A Table is one. */
export interface TableRef {
  readonly name: string;
  readonly schema: string | null;
}

/**
 * A constraint known by name only (a migration's `op.dropConstraint('fk_x', 'movies')`); `kind` is null
 * when the caller did not say, which MySQL cannot work with (it has one DROP spelling per kind).
 */
export interface ConstraintRef {
  readonly table: TableRef;
  readonly name: string;
  readonly kind: ConstraintKind | null;
}

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
    /** A Table, or only its name: DROP TABLE needs nothing else. */
    readonly table: TableRef,
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

/** `DROP INDEX`; an index known by name only (not attached to a table) takes its schema from `options`. */
export class DropIndex extends DdlElement {
  readonly kind = 'DropIndex';
  constructor(
    readonly index: Index,
    readonly options: { readonly ifExists?: boolean; readonly concurrently?: boolean; readonly schema?: string | null } = {},
  ) {
    super();
  }
}

/** `ALTER TABLE ... ADD CONSTRAINT ...` (SQLite cannot; its migrations rebuild the table instead). */
export class AddConstraint extends DdlElement {
  readonly kind = 'AddConstraint';
  constructor(
    readonly constraint: AlterableConstraint,
    /**
     * `notValid`: PostgreSQL adds a foreign key or check `NOT VALID`, checking new rows only, without the
     * scan of existing ones that blocks writes; {@link ValidateConstraint} checks them later. Other
     * dialects add the constraint as usual.
     */
    readonly options: { readonly notValid?: boolean } = {},
  ) {
    super();
  }
}

/**
 * PostgreSQL's `ALTER TABLE ... VALIDATE CONSTRAINT`: checks the existing rows against a constraint added
 * `NOT VALID`, under a lock that lets reads and writes go on. Nothing elsewhere (constraints there are
 * checked when added).
 */
export class ValidateConstraint extends DdlElement {
  readonly kind = 'ValidateConstraint';
  constructor(
    readonly table: TableRef,
    readonly name: string,
  ) {
    super();
  }
}

/** MySQL's `ALGORITHM=` values: how the server carries an ALTER out. */
export type MysqlAlgorithm = 'DEFAULT' | 'INSTANT' | 'INPLACE' | 'COPY';
/** MySQL's `LOCK=` values: how much concurrent access an ALTER allows. */
export type MysqlLock = 'DEFAULT' | 'NONE' | 'SHARED' | 'EXCLUSIVE';

/**
 * An ALTER TABLE, CREATE INDEX or DROP INDEX with MySQL's online clauses (`ALGORITHM=INPLACE, LOCK=NONE`):
 * the server then refuses the statement when it cannot do it that way, instead of copying the table
 * under a lock. Other dialects compile the element alone.
 */
export class OnlineAlter extends DdlElement {
  readonly kind = 'OnlineAlter';
  constructor(
    readonly element: AddColumn | DropColumn | AlterColumn | CreateIndex | DropIndex,
    readonly algorithm: MysqlAlgorithm | null,
    readonly lock: MysqlLock | null,
  ) {
    super();
  }
}

/** `ALTER TABLE ... DROP CONSTRAINT`, of a constraint object or of one known by name only. */
export class DropConstraint extends DdlElement {
  readonly kind = 'DropConstraint';
  constructor(
    readonly constraint: AlterableConstraint | ConstraintRef,
    /** The name in the database when the model's differs or is unknown (read by reflection). */
    readonly options: { readonly name?: string } = {},
  ) {
    super();
  }
}

/**
 * PostgreSQL's `CREATE TYPE name AS ENUM (...)`; other dialects have nothing to create. `ifNotExists`
 * leaves an existing type of that name alone (migrations: several tables may share one enum type).
 */
export class CreateEnumType extends DdlElement {
  readonly kind = 'CreateEnumType';
  constructor(
    readonly type: EnumType,
    readonly schema: string | null,
    readonly options: { readonly ifNotExists?: boolean } = {},
  ) {
    super();
  }
}

/** `DROP TYPE`; `ifUnused` keeps a type that some other column still uses (and one already gone). */
export class DropEnumType extends DdlElement {
  readonly kind = 'DropEnumType';
  constructor(
    readonly type: EnumType,
    readonly schema: string | null,
    readonly options: { readonly ifUnused?: boolean } = {},
  ) {
    super();
  }
}

/**
 * PostgreSQL: a named enum type given the values of `type`, in that order, and every column using it
 * converted. `existing` is what the migration says the column was (null when it was no enum of that
 * name): when its values are all kept, in order, the new ones are added in place; otherwise the type is
 * created if missing, or built again if the catalog shows other values. Other dialects keep enum values
 * in the column's type.
 */
export class AlterEnumType extends DdlElement {
  readonly kind = 'AlterEnumType';
  constructor(
    readonly type: EnumType,
    readonly existing: EnumType | null,
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

/**
 * `ALTER TABLE ... ADD COLUMN`. Constraints the column declares (foreign key, unique) are added by their
 * own AddConstraint where the database can; SQLite, which cannot, gets the REFERENCES clause inline.
 */
export class AddColumn extends DdlElement {
  readonly kind = 'AddColumn';
  constructor(readonly column: Column) {
    super();
  }
}

export class DropColumn extends DdlElement {
  readonly kind = 'DropColumn';
  constructor(
    readonly table: TableRef,
    readonly columnName: string,
  ) {
    super();
  }
}

/** What an ALTER COLUMN changes; a field left undefined stays as it is. */
export interface ColumnAlteration {
  readonly nullable?: boolean;
  readonly type?: TypeEngine;
  /** The new server default (a string is a literal value, an expression is SQL); null drops it. */
  readonly serverDefault?: string | ColumnElement | null;
  readonly newName?: string;
  /** The new comment; null drops it. */
  readonly comment?: string | null;
  /** MySQL: the new ON UPDATE clause (SQL); null drops it. */
  readonly mysqlOnUpdate?: string | null;
  /** MySQL: the new collation; null takes the table's. */
  readonly mysqlCollation?: string | null;
  /** PostgreSQL: the new identity (ADD GENERATED, or SET what differs from `existing.identity`); null drops it. */
  readonly identity?: IdentityOptions | null;
}

/**
 * What the column is now, where the database needs it restated (MySQL's MODIFY repeats the whole
 * column). Undefined means unknown; null means "none".
 */
export interface ExistingColumn {
  readonly type?: TypeEngine;
  readonly nullable?: boolean;
  readonly serverDefault?: string | ColumnElement | null;
  readonly comment?: string | null;
  /** MySQL: the column is AUTO_INCREMENT, which MODIFY would otherwise remove. */
  readonly autoincrement?: boolean;
  /** MySQL: the ON UPDATE clause and collation, which MODIFY would otherwise remove. */
  readonly mysqlOnUpdate?: string | null;
  readonly mysqlCollation?: string | null;
  /** PostgreSQL: the identity the column has (null: none), so a change sets only what differs. */
  readonly identity?: IdentityOptions | null;
}

/**
 * `ALTER TABLE ... ALTER COLUMN` in the dialect's spelling: one statement per change on PostgreSQL, one
 * MODIFY / CHANGE restating the column on MySQL, RENAME COLUMN only on SQLite (migrations rebuild the
 * table for the rest).
 */
export class AlterColumn extends DdlElement {
  readonly kind = 'AlterColumn';
  constructor(
    readonly table: TableRef,
    readonly columnName: string,
    readonly change: ColumnAlteration,
    readonly existing: ExistingColumn = {},
    /** PostgreSQL: the `USING` expression converting old values to the new type (`amount::numeric`). */
    readonly options: { readonly postgresqlUsing?: string } = {},
  ) {
    super();
  }
}

/**
 * `ALTER TABLE old RENAME TO new` (the new name stays in the table's schema). `forRebuild`: the rename
 * that ends a table rebuild, after which the views, triggers and foreign keys that name the table must
 * keep naming it; SQLite would otherwise re-check them against the half-rebuilt schema.
 */
export class RenameTable extends DdlElement {
  readonly kind = 'RenameTable';
  constructor(
    readonly table: TableRef,
    readonly newName: string,
    readonly options: { readonly forRebuild?: boolean } = {},
  ) {
    super();
  }
}

/** Sets a table's comment (nothing on SQLite, which keeps none). */
export class SetTableComment extends DdlElement {
  readonly kind = 'SetTableComment';
  constructor(
    readonly table: TableRef,
    readonly comment: string,
  ) {
    super();
  }
}

export class DropTableComment extends DdlElement {
  readonly kind = 'DropTableComment';
  constructor(readonly table: TableRef) {
    super();
  }
}

/**
 * Sets (or, with null, drops) a column's comment. MySQL restates the whole column for it, so the
 * column's type, nullability and default must be its real ones; `op.alterColumn(..., { comment })`
 * states them through its `existing*` hints instead.
 */
export class SetColumnComment extends DdlElement {
  readonly kind = 'SetColumnComment';
  constructor(
    readonly column: Column,
    readonly comment: string | null,
  ) {
    super();
  }
}

/** `INSERT INTO target (a, b) SELECT x, y FROM source`: the copy step of a table rebuild. */
export class CopyTableRows extends DdlElement {
  readonly kind = 'CopyTableRows';
  constructor(
    readonly source: TableRef,
    readonly target: TableRef,
    /** Target column names and the source column each is copied from (CAST to `cast` when given). */
    readonly columns: readonly { readonly target: string; readonly source: string; readonly cast?: TypeEngine }[],
  ) {
    super();
  }
}

/** `CREATE SEQUENCE` with the sequence's parameters (PostgreSQL; an error where there are no sequences). */
export class CreateSequence extends DdlElement {
  readonly kind = 'CreateSequence';
  constructor(
    readonly sequence: Sequence,
    readonly options: { readonly ifNotExists?: boolean } = {},
  ) {
    super();
  }
}

/** ALTER SEQUENCE: `sequence` carries the new parameters, `existing` the current ones (what differs is set). */
export class AlterSequence extends DdlElement {
  readonly kind = 'AlterSequence';
  constructor(
    readonly sequence: Sequence,
    readonly existing: SequenceParameters,
  ) {
    super();
  }
}

export class DropSequence extends DdlElement {
  readonly kind = 'DropSequence';
  constructor(
    readonly sequence: Sequence,
    readonly options: { readonly ifExists?: boolean } = {},
  ) {
    super();
  }
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
