/**
 * The default DDL compiler: CREATE/DROP TABLE and INDEX, ALTER TABLE ADD/DROP CONSTRAINT, enum types.
 * A DDL element may need several statements (PostgreSQL comments, enum types), so each compiles to a
 * list. DDL cannot take bind parameters, so defaults and conditions are rendered as literals here.
 */
import { CompileError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { ForeignKeyConstraint } from '../../schema/constraints.js';
import type {
  AddConstraint,
  AlterableConstraint,
  CreateEnumType,
  CreateIndex,
  CreateTable,
  DdlElement,
  DeferForeignKeyChecks,
  DdlKind,
  DropConstraint,
  DropEnumType,
  DropIndex,
  DropTable,
} from '../../schema/ddl.js';
import type { Table } from '../../schema/table.js';
import type { Index, IndexItem } from '../../schema/table-index.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { Capabilities } from '../dialect.js';
import type { SqlCompiler } from './sql-compiler.js';
import type { TypeCompiler } from './type-compiler.js';

type AnyDdl =
  | CreateTable
  | DropTable
  | CreateIndex
  | DropIndex
  | AddConstraint
  | DropConstraint
  | CreateEnumType
  | DropEnumType
  | DeferForeignKeyChecks;

type Handlers = { [K in DdlKind]: (element: Extract<AnyDdl, { kind: K }>) => string[] };

export abstract class DdlCompiler {
  constructor(
    protected readonly sql: SqlCompiler,
    protected readonly types: TypeCompiler,
    protected readonly capabilities: Capabilities,
  ) {}

  readonly #handlers: Handlers = {
    CreateTable: (e) => this.createTable(e),
    DropTable: (e) => [`DROP TABLE ${e.options.ifExists ? 'IF EXISTS ' : ''}${this.table(e.table)}`],
    CreateIndex: (e) => [this.createIndex(e)],
    DropIndex: (e) => [this.dropIndex(e)],
    AddConstraint: (e) => [this.addConstraint(e.constraint)],
    DropConstraint: (e) => [this.dropConstraint(e.constraint, e.options.name ?? this.requireName(e.constraint))],
    CreateEnumType: (e) => this.createEnumType(e),
    DropEnumType: (e) => this.dropEnumType(e),
    DeferForeignKeyChecks: () => this.deferForeignKeyChecks(),
  };

  /** Compiles one DDL element into the statements that carry it out, in order. */
  compile(element: DdlElement): string[] {
    const handler = this.#handlers[element.kind] as (e: DdlElement) => string[];
    return handler(element);
  }

  // ---- hooks ------------------------------------------------------------------------------

  protected quote(name: string): string {
    return this.sql.quote(name);
  }

  protected table(table: Table): string {
    return table.schema === null ? this.quote(table.name) : `${this.quote(table.schema)}.${this.quote(table.name)}`;
  }

  /** The table a foreign key refers to. */
  protected referredTable(table: Table): string {
    return this.table(table);
  }

  /** The column's type; a dialect may spell an auto-increment key specially (SERIAL). */
  protected columnType(column: Column): string {
    return this.types.columnType(column.type);
  }

  /** Keywords after the type that make the column generate its values (AUTO_INCREMENT). */
  protected autoincrementClause(_column: Column): string {
    return '';
  }

  /** Inline column comment (MySQL); others use COMMENT ON statements or have none. */
  protected columnComment(_column: Column): string {
    return '';
  }

  /** Table options after the closing parenthesis (MySQL's COMMENT=...). */
  protected tableSuffix(_table: Table): string {
    return '';
  }

  /** Statements that follow CREATE TABLE (PostgreSQL's COMMENT ON). */
  protected afterCreateTable(_table: Table): string[] {
    return [];
  }

  protected deferForeignKeyChecks(): string[] {
    return [];
  }

  protected createEnumType(_e: CreateEnumType): string[] {
    return [];
  }

  protected dropEnumType(_e: DropEnumType): string[] {
    return [];
  }

  /** Extra clauses of CREATE INDEX: USING, WHERE, per-item prefix lengths. */
  protected indexItem(index: Index, item: IndexItem): string {
    if (item.kind === 'Column') return this.quote((item as Column).name);
    if (!this.capabilities.expressionIndexes) {
      throw new CompileError(
        `index "${index.name.name}" on "${index.table.name}" indexes an expression, which this database cannot; index a generated column instead`,
      );
    }
    return `(${this.inline(item)})`;
  }

  protected indexSuffix(_index: Index): string {
    return '';
  }

  protected indexUsing(_index: Index): string {
    return '';
  }

  protected dropIndex(e: DropIndex): string {
    return `DROP INDEX ${e.options.ifExists ? 'IF EXISTS ' : ''}${this.indexName(e.index)}`;
  }

  /** How DROP CONSTRAINT is spelled for this kind of constraint (MySQL has one spelling per kind). */
  protected dropConstraint(constraint: AlterableConstraint, name: string): string {
    return `ALTER TABLE ${this.table(constraint.table)} DROP CONSTRAINT ${this.quote(name)}`;
  }

  protected addConstraint(constraint: AlterableConstraint): string {
    return `ALTER TABLE ${this.table(constraint.table)} ADD ${this.constraintClause(constraint)}`;
  }

  // ---- shared rendering -------------------------------------------------------------------

  /** An expression rendered with literal values and bare column names, as DDL needs. */
  protected inline(element: ColumnElement): string {
    return this.sql.inline(element);
  }

  protected createTable(e: CreateTable): string[] {
    const { table } = e;
    const omitted = new Set(e.options.omitForeignKeys ?? []);
    const lines = table.columns.map((column) => this.columnSpec(column));
    for (const constraint of table.constraints) {
      if (constraint.kind === 'ForeignKey' && omitted.has(constraint as ForeignKeyConstraint)) continue;
      lines.push(this.constraintClause(constraint as AlterableConstraint));
    }
    const head = `CREATE TABLE ${e.options.ifNotExists ? 'IF NOT EXISTS ' : ''}${this.table(table)}`;
    return [`${head} (\n\t${lines.join(',\n\t')}\n)${this.tableSuffix(table)}`, ...this.afterCreateTable(table)];
  }

  protected columnSpec(column: Column): string {
    let sql = `${this.quote(column.name)} ${this.columnType(column)}`;
    const serverDefault = column.options.serverDefault;
    if (serverDefault !== undefined) sql += ` DEFAULT ${this.serverDefault(serverDefault)}`;
    if (!column.nullable) sql += ' NOT NULL';
    return sql + this.autoincrementClause(column) + this.columnComment(column);
  }

  /** A server default: a string is a literal value (as in SQLAlchemy), an expression is SQL. */
  protected serverDefault(value: string | ColumnElement): string {
    return typeof value === 'string' ? this.sql.literalValue(value) : this.inline(value);
  }

  protected constraintClause(constraint: AlterableConstraint): string {
    const { name } = constraint.name;
    const prefix = name === null ? '' : `CONSTRAINT ${this.quote(name)} `;
    switch (constraint.kind) {
      case 'PrimaryKey':
        return `${prefix}PRIMARY KEY (${this.columnList(constraint.columns)})`;
      case 'Unique':
        return `${prefix}UNIQUE (${this.columnList(constraint.columns)})`;
      case 'Check': {
        const condition = typeof constraint.condition === 'string' ? constraint.condition : this.inline(constraint.condition);
        return `${prefix}CHECK (${condition})`;
      }
      case 'ForeignKey':
        return prefix + this.foreignKeyClause(constraint);
    }
  }

  protected foreignKeyClause(fk: ForeignKeyConstraint): string {
    const target = fk.referredTable;
    let sql = `FOREIGN KEY(${this.columnList(fk.columns)}) REFERENCES ${this.referredTable(target)} (${this.columnList(fk.referredColumns)})`;
    if (fk.onDelete !== null) sql += ` ON DELETE ${fk.onDelete}`;
    if (fk.onUpdate !== null) sql += ` ON UPDATE ${fk.onUpdate}`;
    if (fk.deferrable) sql += ` DEFERRABLE${fk.initially === null ? '' : ` INITIALLY ${fk.initially}`}`;
    return sql;
  }

  protected columnList(columns: readonly Column[]): string {
    return columns.map((c) => this.quote(c.name)).join(', ');
  }

  protected indexName(index: Index): string {
    const name = this.quote(index.name.name!);
    const schema = index.table.schema;
    return schema === null ? name : `${this.quote(schema)}.${name}`;
  }

  protected createIndex(e: CreateIndex): string {
    const { index } = e;
    const unique = index.unique ? 'UNIQUE ' : '';
    const concurrently = e.options.concurrently ? this.concurrently() : '';
    const ifNotExists = e.options.ifNotExists ? 'IF NOT EXISTS ' : '';
    const items = index.items.map((item) => this.indexItem(index, item)).join(', ');
    const name = this.quote(index.name.name!);
    return `CREATE ${unique}INDEX ${concurrently}${ifNotExists}${name} ON ${this.table(index.table)}${this.indexUsing(index)} (${items})${this.indexSuffix(index)}`;
  }

  /** `CONCURRENTLY ` where the dialect has it. */
  protected concurrently(): string {
    throw new CompileError('CREATE INDEX CONCURRENTLY is a PostgreSQL feature');
  }

  protected requireName(constraint: AlterableConstraint): string {
    const { name } = constraint.name;
    if (name === null) {
      throw new CompileError(
        `cannot drop an unnamed ${constraint.kind} constraint of "${constraint.table.name}": give it a name or a naming convention`,
      );
    }
    return name;
  }
}
