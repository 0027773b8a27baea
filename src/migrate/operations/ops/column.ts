/** Column operations: add, drop, alter (nullability, type, server default, name, comment). */
import type { ColumnSpec, IdentityOptions } from '../../../schema/column.js';
import type { ColumnElement } from '../../../sql/elements/column-element.js';
import type { TypeEngine } from '../../../types/type-engine.js';
import type { OnlineAlterFields } from './online.js';
import { MigrateOperation, notReversible } from './operation.js';

export interface AddColumnFields extends OnlineAlterFields {
  readonly tableName: string;
  readonly columnName: string;
  /** The declaration as written: `column(t.String(50), { nullable: false, foreignKey: 'users.id' })`. */
  readonly column: ColumnSpec;
  readonly schema: string | null;
}

export interface AddColumnOp extends AddColumnFields {}
/** `op.addColumn(...)`: ADD COLUMN, plus the constraints and index the column declares. */
export class AddColumnOp extends MigrateOperation {
  readonly kind = 'AddColumnOp';
  constructor(fields: AddColumnFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): DropColumnOp {
    return new DropColumnOp({ tableName: this.tableName, columnName: this.columnName, schema: this.schema, existing: this.column });
  }
}

export interface DropColumnFields extends OnlineAlterFields {
  readonly tableName: string;
  readonly columnName: string;
  readonly schema: string | null;
  /** The column as it was, to add it back on reverse (and to drop its PostgreSQL enum type). */
  readonly existing?: ColumnSpec;
}

export interface DropColumnOp extends DropColumnFields {}
/** `op.dropColumn(...)`: DROP COLUMN (a rebuild on SQLite when a constraint or index uses it). */
export class DropColumnOp extends MigrateOperation {
  readonly kind = 'DropColumnOp';
  constructor(fields: DropColumnFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): AddColumnOp {
    if (this.existing === undefined) {
      return notReversible(this.kind, `the definition of column "${this.tableName}.${this.columnName}" is not known (pass existingType and the other existing* hints)`);
    }
    return new AddColumnOp({ tableName: this.tableName, columnName: this.columnName, column: this.existing, schema: this.schema });
  }
}

/** A server default as operations carry it: a string is a literal value, an expression is SQL. */
export type ServerDefault = string | ColumnElement;

/**
 * What an altered column is now (for MySQL's restatement and for reverse()) and how its values convert:
 * `op.alterColumn()` takes these under the same names as AlterColumnOp carries them.
 */
export interface AlterColumnHints {
  /** The current type. MySQL restates the whole column, so it needs this for any change but a rename or default. */
  readonly existingType?: TypeEngine;
  /** The current nullability (MySQL, as existingType). */
  readonly existingNullable?: boolean;
  /** The current default, kept by MySQL's restatement (none when not given) and used by reverse(). */
  readonly existingServerDefault?: ServerDefault | null;
  /** The current comment, kept by MySQL's restatement (none when not given) and used by reverse(). */
  readonly existingComment?: string | null;
  /** MySQL: the column is AUTO_INCREMENT, which a restatement would otherwise remove. */
  readonly existingAutoincrement?: boolean;
  /** MySQL: the current ON UPDATE clause (SQL), kept by the restatement and used by reverse(). */
  readonly existingMysqlOnUpdate?: string | null;
  /** MySQL: the current collation when not the table's, kept by the restatement and used by reverse(). */
  readonly existingMysqlCollation?: string | null;
  /** PostgreSQL: the column's identity now (null: none), so a change sets only what differs and reverse() restores it. */
  readonly existingIdentity?: IdentityOptions | null;
  /** PostgreSQL: the USING expression of a type change, how old values convert (`'amount::numeric'`). */
  readonly postgresqlUsing?: string;
}

export interface AlterColumnFields extends AlterColumnHints, OnlineAlterFields {
  readonly tableName: string;
  readonly columnName: string;
  readonly schema: string | null;
  readonly modifyNullable?: boolean;
  readonly modifyType?: TypeEngine;
  /** The new server default; null drops it. */
  readonly modifyServerDefault?: ServerDefault | null;
  readonly modifyName?: string;
  /** The new comment; null drops it. */
  readonly modifyComment?: string | null;
  /** MySQL: the new ON UPDATE clause; null drops it. */
  readonly modifyMysqlOnUpdate?: string | null;
  /** MySQL: the new collation; null takes the table's. */
  readonly modifyMysqlCollation?: string | null;
  /** PostgreSQL: the new identity (`{ always: true }`); null drops it. Elsewhere identity is the autoincrement key and this is ignored. */
  readonly modifyIdentity?: IdentityOptions | null;
}

const SWAPPED = [
  ['modifyNullable', 'existingNullable'],
  ['modifyType', 'existingType'],
  ['modifyServerDefault', 'existingServerDefault'],
  ['modifyComment', 'existingComment'],
  ['modifyMysqlOnUpdate', 'existingMysqlOnUpdate'],
  ['modifyMysqlCollation', 'existingMysqlCollation'],
  ['modifyIdentity', 'existingIdentity'],
] as const;

export interface AlterColumnOp extends AlterColumnFields {}
/** `op.alterColumn(...)`: changes what the modify* fields say; existing* describe the column now. */
export class AlterColumnOp extends MigrateOperation {
  readonly kind = 'AlterColumnOp';
  constructor(fields: AlterColumnFields) {
    super();
    Object.assign(this, fields);
  }

  /** True when the operation changes nothing but the column's name and comment. */
  get renameOrCommentOnly(): boolean {
    return (
      this.modifyNullable === undefined &&
      this.modifyType === undefined &&
      this.modifyServerDefault === undefined &&
      this.modifyMysqlOnUpdate === undefined &&
      this.modifyMysqlCollation === undefined
    );
  }

  /** Swaps each modify* with its existing* (Alembic's rule); a change whose old value is unknown cannot be undone. */
  reverse(): AlterColumnOp {
    const fields = { ...this } as Record<string, unknown>;
    for (const [modify, existing] of SWAPPED) {
      if (this[modify] === undefined) continue;
      if (this[existing] === undefined) {
        return notReversible(this.kind, `"${this.tableName}.${this.columnName}" changes ${modify.slice(6).toLowerCase()} but its ${existing} is not given`);
      }
      fields[modify] = this[existing];
      fields[existing] = this[modify];
    }
    if (this.modifyName !== undefined) {
      fields.columnName = this.modifyName;
      fields.modifyName = this.columnName;
    }
    delete fields.kind;
    delete fields.postgresqlUsing;
    return new AlterColumnOp(fields as unknown as AlterColumnFields);
  }
}
