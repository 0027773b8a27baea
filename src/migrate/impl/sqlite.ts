/**
 * SQLite's comparison rules. A declared type only chooses an affinity, so names of one affinity that
 * store values alike compare equal (VARCHAR(n) and CHAR(n), REAL and FLOAT(p), NUMERIC and DECIMAL);
 * String lengths and Numeric precision and scale still count, as autogenerate must see them change. A
 * lone INTEGER PRIMARY KEY is the rowid: the database generates it, and an autoincrement BigInteger
 * key is written as INTEGER to become one. An enum is compared by the values its CHECK keeps. No comments
 * exist.
 */
import { sqliteTypes } from '../../dialects/sqlite/type-compiler.js';
import type { Column } from '../../schema/column.js';
import type { ReflectedColumn } from '../../schema/reflected.js';
import { EnumType } from '../../types/generic.js';
import { DefaultImpl } from './default.js';
import type { ReflectedFacts } from './impl.js';
import type { TypeSpelling } from './sql-text.js';

const INTEGER_SYNONYMS: Readonly<Record<string, string>> = {
  INT: 'INTEGER',
  INT8: 'BIGINT',
  'UNSIGNED BIG INT': 'BIGINT',
  INT2: 'SMALLINT',
};

const SYNONYMS: Readonly<Record<string, string>> = {
  DECIMAL: 'NUMERIC',
  BOOL: 'BOOLEAN',
  TIMESTAMP: 'DATETIME',
};

/** SQLite: see the module comment. */
export class SqliteImpl extends DefaultImpl {
  override readonly reflects: ReflectedFacts = {
    comments: false,
    primaryKeyName: true,
    deferrableForeignKeys: true,
    uniqueIndexesAsConstraints: false,
    indexOptions: [],
    implicitForeignKeyIndexes: false,
    identity: false,
    computedPersistedByDefault: false,
    indexNulls: false,
  };

  constructor() {
    super('sqlite', sqliteTypes);
  }

  override columnTypesEquivalent(column: Column, reflected: ReflectedColumn): boolean {
    // The DDL writes any autoincrement integer key as INTEGER, so that it becomes the rowid.
    if (column.autoincrement) return this.canonicalType(this.spell(reflected.type)).name === 'INTEGER';
    // An enum's values live in its CHECK; a database made before tsmig wrote one has the VARCHAR only.
    const [model, found] = [column.type.impl, reflected.type.impl];
    if (model instanceof EnumType && found instanceof EnumType) return model.hasValues(found.values);
    return super.columnTypesEquivalent(column, reflected);
  }

  /** Also true for a lone key column spelled exactly INTEGER without `autoincrement`: it is the rowid all the same. */
  override modelAutoincrement(column: Column): boolean {
    const key = column.table.primaryKey?.columns ?? [];
    const rowid = key.length === 1 && key[0] === column && this.types.columnType(column.type).toUpperCase() === 'INTEGER';
    return column.autoincrement || rowid;
  }

  /** By affinity (https://sqlite.org/datatype3.html#affname), keeping the arguments that mean something. */
  protected override canonicalType({ name, args }: TypeSpelling): TypeSpelling {
    if (name.includes('INT')) return { name: INTEGER_SYNONYMS[name] ?? name, args: [] };
    if (/CHAR|CLOB|TEXT/.test(name)) return args.length === 0 ? { name: 'TEXT', args } : { name: 'VARCHAR', args: args.slice(0, 1) };
    if (name.includes('BLOB')) return { name: 'BLOB', args: [] };
    if (/REAL|FLOA|DOUB/.test(name)) return { name: 'FLOAT', args: [] };
    return { name: SYNONYMS[name] ?? name, args };
  }
}
