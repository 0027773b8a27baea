/**
 * Plain descriptions of a live schema, as the dialects' catalog queries read them. They use the schema
 * model's vocabulary (tsmig type instances, column names) so reflected tables and model tables compare
 * like with like, and `MetaData.reflect()` can build Tables from them.
 */
import type { TypeEngine } from '../types/type-engine.js';
import type { ColumnServerOptions } from './column.js';
import type { SequenceParameters } from './sequence.js';
import type { TableServerOptions } from './table.js';
import type { IndexOrder, MysqlIndexPrefix } from './table-index.js';

/** A column as the catalog describes it; the server options only where the database has them. */
export interface ReflectedColumn extends ColumnServerOptions {
  readonly name: string;
  /** A tsmig type; a dialect-specific one (`t.postgresql.JSONB()`) when the generic types cannot say it. */
  readonly type: TypeEngine;
  readonly nullable: boolean;
  /**
   * The server default as the database spells it (`'0'`, `now()`, `CURRENT_TIMESTAMP`), or null.
   * Generated key defaults (SERIAL's `nextval(...)`, IDENTITY, AUTO_INCREMENT) are not reported here.
   */
  readonly default: string | null;
  /** The database generates values: SERIAL/IDENTITY, AUTO_INCREMENT, SQLite's INTEGER PRIMARY KEY. */
  readonly autoincrement: boolean;
  readonly comment: string | null;
}

export interface ReflectedPrimaryKey {
  readonly name: string | null;
  readonly columns: readonly string[];
}

export interface ReflectedForeignKey {
  readonly name: string | null;
  readonly columns: readonly string[];
  /** The referred table's schema when it is not the default schema. */
  readonly referredSchema: string | null;
  readonly referredTable: string;
  readonly referredColumns: readonly string[];
  /** ON DELETE / ON UPDATE; null for the default (NO ACTION / RESTRICT as the database reports it). */
  readonly onDelete: string | null;
  readonly onUpdate: string | null;
  readonly deferrable: boolean;
  readonly initially: 'DEFERRED' | 'IMMEDIATE' | null;
}

export interface ReflectedIndex {
  readonly name: string;
  /** One entry per index item: a column name, or null where the item is an expression. */
  readonly columns: readonly (string | null)[];
  /** The expression of each item that is not a plain column (same positions as `columns`). */
  readonly expressions: readonly (string | null)[];
  readonly unique: boolean;
  readonly postgresqlUsing?: string;
  readonly postgresqlWhere?: string;
  readonly mysqlLength?: Readonly<Record<string, number>>;
  readonly mysqlPrefix?: MysqlIndexPrefix;
  /** Column items not in ascending order (NULLS FIRST/LAST where the database has it), by column name. */
  readonly order?: Readonly<Record<string, IndexOrder>>;
  /**
   * True for an index the database made by itself for a constraint (MySQL's index behind a foreign key
   * or a UNIQUE constraint; SQLite's `sqlite_autoindex_*`), so comparisons can leave it alone.
   */
  readonly implicit: boolean;
}

export interface ReflectedUnique {
  readonly name: string | null;
  readonly columns: readonly string[];
}

export interface ReflectedCheck {
  readonly name: string | null;
  /** The condition as the database stores it. */
  readonly sqltext: string;
}

/** A table as the catalog describes it; MySQL also reports its engine, character set and collation. */
export interface ReflectedTable extends TableServerOptions {
  readonly name: string;
  readonly schema: string | null;
  readonly comment: string | null;
  readonly columns: readonly ReflectedColumn[];
  readonly primaryKey: ReflectedPrimaryKey | null;
  readonly foreignKeys: readonly ReflectedForeignKey[];
  readonly indexes: readonly ReflectedIndex[];
  readonly uniqueConstraints: readonly ReflectedUnique[];
  readonly checkConstraints: readonly ReflectedCheck[];
}

export interface ReflectedEnum {
  readonly name: string;
  readonly schema: string | null;
  readonly values: readonly string[];
}

/** A sequence no column owns (SERIAL's and IDENTITY's are their columns' business), with its parameters. */
export interface ReflectedSequence extends SequenceParameters {
  readonly name: string;
  readonly schema: string | null;
}

export interface ReflectedSchema {
  /** Tables in name order, without views. */
  readonly tables: readonly ReflectedTable[];
  readonly views: readonly string[];
  /** Named enum types (PostgreSQL); empty elsewhere. */
  readonly enums: readonly ReflectedEnum[];
  /** Free-standing sequences in name order (PostgreSQL); empty elsewhere. */
  readonly sequences: readonly ReflectedSequence[];
}

export interface ReflectOptions {
  /** Only these tables (all when omitted); the query count stays the same either way. */
  readonly tables?: readonly string[];
}
