/** Table operations: create, drop, rename. */
import type { TableDef } from '../table-def.js';
import { MigrateOperation, notReversible } from './operation.js';

export interface CreateTableFields {
  /** The whole table: columns, constraints, indexes, comment. */
  readonly definition: TableDef;
  readonly ifNotExists?: boolean;
}

export interface CreateTableOp extends CreateTableFields {}
/** `op.createTable(...)`: CREATE TABLE with its constraints, then its indexes. */
export class CreateTableOp extends MigrateOperation {
  readonly kind = 'CreateTableOp';
  constructor(fields: CreateTableFields) {
    super();
    Object.assign(this, fields);
  }
  get tableName(): string {
    return this.definition.name;
  }
  get schema(): string | null {
    return this.definition.schema;
  }
  reverse(): DropTableOp {
    return new DropTableOp({ tableName: this.tableName, schema: this.schema, existing: this.definition });
  }
}

export interface DropTableFields {
  readonly tableName: string;
  readonly schema: string | null;
  readonly ifExists?: boolean;
  /** The table as it was, to recreate it on reverse (and to drop its PostgreSQL enum types). */
  readonly existing?: TableDef;
}

export interface DropTableOp extends DropTableFields {}
/** `op.dropTable(...)`: DROP TABLE (and, with `existing`, its unused PostgreSQL enum types). */
export class DropTableOp extends MigrateOperation {
  readonly kind = 'DropTableOp';
  constructor(fields: DropTableFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): CreateTableOp {
    if (this.existing === undefined) return notReversible(this.kind, `the definition of table "${this.tableName}" is not known (give it as \`existing\`)`);
    return new CreateTableOp({ definition: this.existing });
  }
}

export interface RenameTableFields {
  readonly tableName: string;
  readonly newTableName: string;
  readonly schema: string | null;
}

export interface RenameTableOp extends RenameTableFields {}
/** `op.renameTable(...)`: ALTER TABLE ... RENAME TO. */
export class RenameTableOp extends MigrateOperation {
  readonly kind = 'RenameTableOp';
  constructor(fields: RenameTableFields) {
    super();
    Object.assign(this, fields);
  }
  reverse(): RenameTableOp {
    return new RenameTableOp({ tableName: this.newTableName, newTableName: this.tableName, schema: this.schema });
  }
}
