/**
 * The default DDL compiler: CREATE/DROP TABLE and INDEX, ALTER TABLE (columns, constraints, renames,
 * comments), enum types, and the row copy of a table rebuild. A DDL element may need several statements
 * (PostgreSQL comments, one ALTER per column change), so each compiles to a list. DDL cannot take bind
 * parameters, so defaults and conditions are rendered as literals here.
 */
import { CompileError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { ForeignKeyConstraint } from '../../schema/constraints.js';
import type {
  AddColumn,
  AddConstraint,
  AlterColumn,
  AlterableConstraint,
  ConstraintKind,
  ConstraintRef,
  CopyTableRows,
  CreateEnumType,
  CreateSequence,
  DropSequence,
  CreateIndex,
  CreateTable,
  DdlElement,
  DeferForeignKeyChecks,
  DdlKind,
  DropColumn,
  DropConstraint,
  DropEnumType,
  DropIndex,
  DropTable,
  DropTableComment,
  RenameTable,
  SetColumnComment,
  SetTableComment,
  TableRef,
} from '../../schema/ddl.js';
import type { Table } from '../../schema/table.js';
import type { Index, IndexItem } from '../../schema/table-index.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { TypeEngine } from '../../types/type-engine.js';
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
  | DeferForeignKeyChecks
  | AddColumn
  | DropColumn
  | AlterColumn
  | RenameTable
  | SetTableComment
  | DropTableComment
  | SetColumnComment
  | CopyTableRows
  | CreateSequence
  | DropSequence;

type Handlers = { [K in DdlKind]: (element: Extract<AnyDdl, { kind: K }>) => string[] };

/** The pieces of a column definition, for CREATE TABLE, ADD COLUMN and MySQL's MODIFY. */
export interface ColumnDefinition {
  readonly name: string;
  /** The rendered type. */
  readonly type: string;
  readonly nullable: boolean;
  readonly serverDefault: string | ColumnElement | null | undefined;
  /** Rendered keywords that make the column generate values (` AUTO_INCREMENT`), or ''. */
  readonly autoincrement: string;
  /** Rendered clauses after the nullability that the database keeps with the column (MySQL's ` ON UPDATE ...`), or ''. */
  readonly extra: string;
  /** Rendered inline comment (` COMMENT '...'`), or ''. */
  readonly comment: string;
}

/** A constraint object or a reference by name, as DropConstraint carries it. */
function constraintRef(constraint: AlterableConstraint | ConstraintRef, name: string | undefined, required: () => string): ConstraintRef {
  if ('explicitName' in constraint) return { table: constraint.table, name: name ?? required(), kind: constraint.kind };
  return name === undefined ? constraint : { ...constraint, name };
}

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
    DropConstraint: (e) => {
      const ref = constraintRef(e.constraint, e.options.name, () => this.requireName(e.constraint as AlterableConstraint));
      return [this.dropConstraint(ref.table, ref.kind, ref.name)];
    },
    CreateEnumType: (e) => this.createEnumType(e),
    DropEnumType: (e) => this.dropEnumType(e),
    DeferForeignKeyChecks: () => this.deferForeignKeyChecks(),
    AddColumn: (e) => this.addColumn(e),
    DropColumn: (e) => [`${this.alterTable(e.table)} DROP COLUMN ${this.quote(e.columnName)}`],
    AlterColumn: (e) => this.alterColumn(e),
    RenameTable: (e) => this.renameTable(e),
    SetTableComment: (e) => this.tableComment(e.table, e.comment),
    DropTableComment: (e) => this.tableComment(e.table, null),
    SetColumnComment: (e) => this.columnCommentStatements(e.column, e.comment),
    CopyTableRows: (e) => [this.copyTableRows(e)],
    CreateSequence: (e) => [this.createSequence(e)],
    DropSequence: (e) => [this.dropSequence(e)],
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

  protected table(table: TableRef): string {
    return table.schema === null ? this.quote(table.name) : `${this.quote(table.schema)}.${this.quote(table.name)}`;
  }

  protected alterTable(table: TableRef): string {
    return `ALTER TABLE ${this.table(table)}`;
  }

  /** The table a foreign key refers to. */
  protected referredTable(table: TableRef): string {
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

  /** Clauses after the nullability: MySQL's ON UPDATE. */
  protected columnExtra(_column: Column): string {
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

  /** Sets (null: drops) a table comment; none by default, as SQLite keeps no comments. */
  protected tableComment(_table: TableRef, _comment: string | null): string[] {
    return [];
  }

  /** Sets (null: drops) a column comment on an existing column (MySQL restates the column instead). */
  protected columnCommentStatements(column: Column, comment: string | null): string[] {
    return this.columnCommentOn(column.table, column.name, comment);
  }

  /** Statements after ADD COLUMN (PostgreSQL's COMMENT ON COLUMN). */
  protected afterAddColumn(_column: Column): string[] {
    return [];
  }

  /** What follows the column definition in ADD COLUMN (SQLite's inline REFERENCES). */
  protected addColumnSuffix(_column: Column): string {
    return '';
  }

  /** The new name in `ALTER TABLE ... RENAME TO`: bare, as PostgreSQL and SQLite want it. */
  protected renamedTable(_table: TableRef, newName: string): string {
    return this.quote(newName);
  }

  protected renameTable(e: RenameTable): string[] {
    return [`${this.alterTable(e.table)} RENAME TO ${this.renamedTable(e.table, e.newName)}`];
  }

  /**
   * ALTER COLUMN as one statement per change, in an order that works: the type first (dropping a
   * default that also changes, as the old one may not convert), then nullability, default, comment,
   * and the rename last so that every earlier statement names the column as it still is.
   */
  protected alterColumn(e: AlterColumn): string[] {
    const { change } = e;
    const column = `${this.alterTable(e.table)} ALTER COLUMN ${this.quote(e.columnName)}`;
    const statements: string[] = [];
    const defaultChanges = change.serverDefault !== undefined;
    if (change.type !== undefined) {
      if (defaultChanges) statements.push(`${column} DROP DEFAULT`);
      statements.push(`${column} TYPE ${this.alteredType(change.type, e.table)}${this.alterTypeUsing(e)}`);
    }
    if (change.nullable !== undefined) statements.push(`${column} ${change.nullable ? 'DROP' : 'SET'} NOT NULL`);
    if (defaultChanges && !(change.type !== undefined && change.serverDefault === null)) {
      statements.push(change.serverDefault === null ? `${column} DROP DEFAULT` : `${column} SET DEFAULT ${this.serverDefault(change.serverDefault!)}`);
    }
    if (change.comment !== undefined) statements.push(...this.columnCommentOn(e.table, e.columnName, change.comment));
    if (change.newName !== undefined) statements.push(this.renameColumn(e));
    return statements;
  }

  /** The new type of ALTER COLUMN ... TYPE (PostgreSQL spells a named enum with its schema). */
  protected alteredType(type: TypeEngine, _table: TableRef): string {
    return this.typeSql(type);
  }

  /** ` USING expr` of a type change (PostgreSQL). */
  protected alterTypeUsing(_e: AlterColumn): string {
    return '';
  }

  protected renameColumn(e: AlterColumn): string {
    return `${this.alterTable(e.table)} RENAME COLUMN ${this.quote(e.columnName)} TO ${this.quote(e.change.newName!)}`;
  }

  /** A column comment statement for a column known by name (PostgreSQL's COMMENT ON COLUMN). */
  protected columnCommentOn(_table: TableRef, _column: string, _comment: string | null): string[] {
    return [];
  }

  protected deferForeignKeyChecks(): string[] {
    return [];
  }

  /** CREATE SEQUENCE where the database has sequences (see {@link Capabilities.sequences}). */
  protected createSequence(e: CreateSequence): string {
    return this.noSequences(e.sequence.name);
  }

  protected dropSequence(e: DropSequence): string {
    return this.noSequences(e.sequence.name);
  }

  private noSequences(name: string): never {
    throw new CompileError(`this database has no sequences (sequence "${name}"): use an autoincrement key instead`);
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

  /** `UNIQUE ` or another kind of index (MySQL's `FULLTEXT `), or ''. */
  protected indexKind(index: Index): string {
    return index.unique ? 'UNIQUE ' : '';
  }

  protected indexSuffix(_index: Index): string {
    return '';
  }

  protected indexUsing(_index: Index): string {
    return '';
  }

  protected dropIndex(e: DropIndex): string {
    const concurrently = e.options.concurrently ? this.concurrently() : '';
    const schema = e.index.attachedTable?.schema ?? e.options.schema ?? null;
    return `DROP INDEX ${concurrently}${e.options.ifExists ? 'IF EXISTS ' : ''}${this.indexName(e.index, schema)}`;
  }

  /**
   * How DROP CONSTRAINT is spelled for this kind of constraint (MySQL has one spelling per kind);
   * `kind` is null when the migration did not say.
   */
  protected dropConstraint(table: TableRef, _kind: ConstraintKind | null, name: string): string {
    return `${this.alterTable(table)} DROP CONSTRAINT ${this.quote(name)}`;
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
    return this.columnDefinition(this.definitionOf(column));
  }

  protected definitionOf(column: Column): ColumnDefinition {
    return {
      name: column.name,
      type: this.columnType(column),
      nullable: column.nullable,
      serverDefault: column.options.serverDefault,
      autoincrement: this.autoincrementClause(column),
      extra: this.columnExtra(column),
      comment: this.columnComment(column),
    };
  }

  protected columnDefinition(d: ColumnDefinition): string {
    let sql = `${this.quote(d.name)} ${d.type}`;
    if (d.serverDefault != null) sql += ` DEFAULT ${this.serverDefault(d.serverDefault)}`;
    if (!d.nullable) sql += ' NOT NULL';
    return sql + d.extra + d.autoincrement + d.comment;
  }

  protected addColumn(e: AddColumn): string[] {
    const { column } = e;
    return [
      `${this.alterTable(column.table)} ADD COLUMN ${this.columnSpec(column)}${this.addColumnSuffix(column)}`,
      ...this.afterAddColumn(column),
    ];
  }

  protected copyTableRows(e: CopyTableRows): string {
    const targets = e.columns.map((c) => this.quote(c.target)).join(', ');
    const sources = e.columns.map((c) => this.quote(c.source)).join(', ');
    return `INSERT INTO ${this.table(e.target)} (${targets}) SELECT ${sources} FROM ${this.table(e.source)}`;
  }

  /** A type as a column type, for ALTER statements that have no Column. */
  protected typeSql(type: TypeEngine): string {
    return this.types.columnType(type);
  }

  /** A server default: a string is a literal value (as in SQLAlchemy), an expression is SQL. */
  protected serverDefault(value: string | ColumnElement): string {
    return typeof value === 'string' ? this.sql.literalValue(value) : this.expressionDefault(this.inline(value));
  }

  /** An expression default as the dialect accepts it after DEFAULT (SQLite and MySQL need parentheses). */
  protected expressionDefault(sql: string): string {
    return sql;
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
    return `FOREIGN KEY(${this.columnList(fk.columns)}) ${this.referencesClause(fk)}`;
  }

  /** `REFERENCES t (a) ON DELETE ...`: the part of a foreign key after its own columns. */
  protected referencesClause(fk: ForeignKeyConstraint): string {
    const target = fk.referredTable;
    let sql = `REFERENCES ${this.referredTable(target)} (${this.columnList(fk.referredColumns)})`;
    if (fk.onDelete !== null) sql += ` ON DELETE ${fk.onDelete}`;
    if (fk.onUpdate !== null) sql += ` ON UPDATE ${fk.onUpdate}`;
    if (fk.deferrable) sql += ` DEFERRABLE${fk.initially === null ? '' : ` INITIALLY ${fk.initially}`}`;
    return sql;
  }

  protected columnList(columns: readonly Column[]): string {
    return columns.map((c) => this.quote(c.name)).join(', ');
  }

  /** The index name, qualified by a schema (its table's by default). */
  protected indexName(index: Index, schema: string | null = index.table.schema): string {
    const name = this.quote(index.name.name!);
    return schema === null ? name : `${this.quote(schema)}.${name}`;
  }

  protected createIndex(e: CreateIndex): string {
    const { index } = e;
    const unique = this.indexKind(index);
    const concurrently = e.options.concurrently ? this.concurrently() : '';
    const ifNotExists = e.options.ifNotExists ? 'IF NOT EXISTS ' : '';
    const items = index.items.map((item) => this.indexItem(index, item)).join(', ');
    return `CREATE ${unique}INDEX ${concurrently}${ifNotExists}${this.indexTarget(index)}${this.indexUsing(index)} (${items})${this.indexSuffix(index)}`;
  }

  /** `name ON table` of CREATE INDEX (SQLite puts the schema on the index name instead). */
  protected indexTarget(index: Index): string {
    return `${this.quote(index.name.name!)} ON ${this.table(index.table)}`;
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
