/**
 * MySQL's and MariaDB's comparison rules. BOOL is TINYINT(1); integer display widths (`int(11)`) mean
 * nothing; DECIMAL defaults to (10,0); BLOB(n) picks the smallest BLOB type that holds n bytes. Defaults
 * come back spelled by each server its own way: MariaDB writes `current_timestamp(6)` and `lcase(...)`,
 * MySQL 8 `CURRENT_TIMESTAMP(6)` and string literals as `_utf8mb4\'a\'`; booleans read 0 and 1.
 */
import { mysqlTypes } from '../../dialects/mysql/type-compiler.js';
import { DefaultImpl } from './default.js';
import type { ReflectedFacts, ScratchDatabaseSql } from './impl.js';
import { outsideLiterals, type TypeSpelling } from './sql-text.js';

const INTEGERS = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT']);

const SYNONYMS: Readonly<Record<string, string>> = {
  INTEGER: 'INT',
  NUMERIC: 'DECIMAL',
  DEC: 'DECIMAL',
  FIXED: 'DECIMAL',
  REAL: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  CHARACTER: 'CHAR',
  'CHARACTER VARYING': 'VARCHAR',
};

/** BLOB(n) and TEXT(n) are the smallest type of the family that holds n bytes. */
const SIZED = [
  [255, 'TINY'],
  [65535, ''],
  [16777215, 'MEDIUM'],
] as const;

/** Character sets that may introduce a string literal in MySQL 8's expression defaults. */
const INTRODUCER = /(^|[^\w'])_(?:utf8mb4|utf8mb3|utf8|latin1|binary|ascii|ucs2|utf16|utf32)(?=')/gi;

/** MySQL and MariaDB: see the module comment. */
export class MysqlImpl extends DefaultImpl {
  override readonly reflects: ReflectedFacts = {
    comments: true,
    primaryKeyName: false,
    deferrableForeignKeys: false,
    uniqueIndexesAsConstraints: true,
    indexOptions: ['mysqlLength', 'mysqlPrefix'],
    implicitForeignKeyIndexes: true,
    identity: false,
    computedPersistedByDefault: false,
    indexNulls: false,
  };

  // The client's default charset (latin1 or utf8mb3) cannot carry 4-byte characters such as emoji.
  override readonly scriptPreamble: readonly string[] = ['SET NAMES utf8mb4'];
  override readonly scratchDatabase: ScratchDatabaseSql = {
    create: (name) => `CREATE DATABASE ${name} CHARACTER SET utf8mb4`,
    drop: (name) => `DROP DATABASE IF EXISTS ${name}`,
  };

  constructor() {
    super('mysql', mysqlTypes);
  }

  protected override canonicalType({ name: spelled, args }: TypeSpelling): TypeSpelling {
    const [first = '', ...attributes] = spelled.split(' ');
    const base = SYNONYMS[first] ?? first;
    const name = [base, ...attributes].join(' ');
    if (name === 'BOOL' || name === 'BOOLEAN') return { name: 'TINYINT', args: ['1'] };
    if (INTEGERS.has(base)) {
      // The display width means nothing, except that TINYINT(1) is how BOOL reads back, and ZEROFILL pads to it.
      const keep = (name === 'TINYINT' && args[0] === '1') || attributes.includes('ZEROFILL');
      return { name, args: keep ? args : [] };
    }
    if (name === 'DECIMAL') return { name, args: [args[0] ?? '10', args[1] ?? '0'] };
    if (name === 'CHAR' && args.length === 0) return { name, args: ['1'] };
    if ((name === 'BLOB' || name === 'TEXT') && args.length === 1) {
      const size = Number(args[0]);
      const prefix = SIZED.find(([max]) => size <= max)?.[1] ?? 'LONG';
      return { name: `${prefix}${name}`, args: [] };
    }
    if (/^(DATETIME|TIMESTAMP|TIME)$/.test(name) && args[0] === '0') return { name, args: [] };
    return { name, args };
  }

  override normalizeExpression(sql: string): string {
    // MySQL 8 reports expressions with escaped quotes and charset introducers (lower(_utf8mb4\'A\')), MariaDB
    // with backslashes in literals: both are read as standard SQL first.
    return super.normalizeExpression(this.portableExpression(sql));
  }

  /**
   * Standard SQL: MySQL 8 escapes every quote of a literal (`_utf8mb4\'it\'\'s\'`), MariaDB the quotes
   * inside one (`'it\'s'`), which become `''`; charset introducers go, and backticks come off identifiers
   * that need no quoting.
   */
  override portableExpression(sql: string): string {
    const escapedDelimiters = !/(^|[^\\])'/.test(sql);
    const plain = (escapedDelimiters ? sql.replace(/\\'/g, "'") : sql).replace(INTRODUCER, '$1');
    return plain.replace(/'(?:[^'\\]|\\.)*'|`([A-Za-z_][A-Za-z0-9_]*)`/g, (token, name?: string) => name ?? token.replace(/\\'/g, "''"));
  }

  /** RESTRICT and NO ACTION are the same thing in InnoDB (checked at once), and the default. */
  override normalizeReferentialAction(action: string | null): string | null {
    const normalized = super.normalizeReferentialAction(action);
    return normalized === 'RESTRICT' ? null : normalized;
  }

  /** RENAME TABLE renames the keys InnoDB named after the table (`old_ibfk_1` -> `new_ibfk_1`). */
  override foreignKeyNameAfterRename(name: string, oldTable: string, newTable: string): string {
    return name.startsWith(`${oldTable}_ibfk_`) && /^\d+$/.test(name.slice(oldTable.length + 6)) ? `${newTable}${name.slice(oldTable.length)}` : name;
  }

  protected override rewriteSql(sql: string): string {
    return outsideLiterals(sql, (text) =>
      text
        // The column's own fractional precision is implied: MariaDB turns now() into current_timestamp(6).
        .replace(/\b(?:now|current_timestamp|localtimestamp|localtime)(?:\(\d*\))?(?![\w(])/g, 'current_timestamp')
        .replace(/\b(?:curdate|current_date)\(\)/g, 'current_date')
        .replace(/\b(?:curtime|current_time)\(\d*\)/g, 'current_time')
        .replace(/\blcase\(/g, 'lower(')
        .replace(/\bucase\(/g, 'upper(')
        .replace(/\btrue\b/g, '1')
        .replace(/\bfalse\b/g, '0'),
    );
  }
}
