/**
 * Reads MySQL's and MariaDB's spelling of a column's type (information_schema.COLUMNS.COLUMN_TYPE, such as
 * `int(11) unsigned`, `varchar(50)`, `enum('a','b')`) back into a tsmig type, and of its default into SQL.
 * Pure: the catalog rows come from `reflection.ts`. Types tsmig has no generic name for keep their spelling
 * as a MySQL-specific type.
 */
import { t } from '../../types/index.js';
import type { TypeEngine } from '../../types/type-engine.js';

/** A COLUMN_TYPE split into its name, its parenthesised arguments and its trailing attributes. */
interface ParsedColumnType {
  /** Lower case: `int`, `varchar`, `enum`. */
  readonly name: string;
  /** What stood between the parentheses, as written (`10,2`, `'a','b'`), or null. */
  readonly args: string | null;
  /** Lower-case attributes after the parentheses: `unsigned`, `zerofill`. */
  readonly attributes: readonly string[];
}

/** Integer types, signed and unsigned, without their display width (see {@link mysqlColumnType}). */
const INTEGERS: Readonly<Record<string, { readonly signed: () => TypeEngine; readonly unsigned: () => TypeEngine }>> = {
  tinyint: {
    signed: () => t.mysql.TINYINT(),
    unsigned: () => t.dialectType('mysql', 'TINYINT UNSIGNED', t.SmallInteger()),
  },
  // Unsigned SMALLINT and MEDIUMINT hold more than a signed SMALLINT: INTEGER carries them elsewhere.
  smallint: { signed: t.SmallInteger, unsigned: () => t.dialectType('mysql', 'SMALLINT UNSIGNED', t.Integer()) },
  mediumint: { signed: t.mysql.MEDIUMINT, unsigned: () => t.dialectType('mysql', 'MEDIUMINT UNSIGNED', t.Integer()) },
  int: { signed: t.Integer, unsigned: t.mysql.UNSIGNED_INTEGER },
  integer: { signed: t.Integer, unsigned: t.mysql.UNSIGNED_INTEGER },
  bigint: { signed: t.BigInteger, unsigned: t.mysql.UNSIGNED_BIGINT },
};

/** Types without parameters that tsmig names, generic or MySQL-specific. */
const PLAIN: Readonly<Record<string, () => TypeEngine>> = {
  text: t.Text,
  tinytext: t.mysql.TINYTEXT,
  mediumtext: t.mysql.MEDIUMTEXT,
  longtext: t.mysql.LONGTEXT,
  date: t.Date,
  year: t.mysql.YEAR,
  json: () => t.JSON(),
  blob: () => t.LargeBinary(),
  tinyblob: () => t.dialectType('mysql', 'TINYBLOB', t.LargeBinary()),
  mediumblob: t.mysql.MEDIUMBLOB,
  longblob: t.mysql.LONGBLOB,
  // MariaDB 10.7+ has a native UUID type; tsmig itself writes Uuid as CHAR(36).
  uuid: () => t.dialectType('mysql', 'UUID', t.Uuid()),
};

/**
 * Maps a COLUMN_TYPE to a tsmig type.
 *
 * - Integer display widths (`int(11)`, shown by MariaDB and MySQL before 8.0.19) are ignored, except that
 *   `tinyint(1)` is Boolean: MySQL's BOOL and BOOLEAN are aliases of TINYINT(1) and the catalog cannot
 *   tell them apart, so every TINYINT(1) reads back as `t.Boolean()` (tsmig writes Boolean as BOOL).
 * - `double` is `t.Float()` (tsmig writes Float as DOUBLE); `float` stays MySQL's single-precision FLOAT.
 * - `datetime(6)` is `t.DateTime()` (tsmig writes DateTime so); any other precision keeps its digits,
 *   `datetime` as `t.mysql.DATETIME()`, so a table rebuilt from reflection has the same columns.
 * - `char(36)` stays `CHAR(36)` over `t.String(36)`, although tsmig writes `t.Uuid()` that way: whether
 *   the two are the same column is a question for autogenerate's type comparison, not for the catalog.
 * - Anything else keeps its spelling: `t.dialectType('mysql', 'SET(...)', t.Text())`.
 */
export function mysqlColumnType(columnType: string): TypeEngine {
  const parsed = parseColumnType(columnType);
  const { name, args, attributes } = parsed;
  const unsigned = attributes.includes('unsigned');
  const zerofill = attributes.includes('zerofill');
  const spelled = (base: TypeEngine) => t.dialectType('mysql', spell(parsed), base);

  const integer = INTEGERS[name];
  if (integer !== undefined) {
    // ZEROFILL pads to the display width, so there the width is part of the type.
    if (zerofill) return spelled(name === 'bigint' ? t.BigInteger() : t.Integer());
    if (name === 'tinyint' && args === '1' && !unsigned) return t.Boolean();
    return unsigned ? integer.unsigned() : integer.signed();
  }
  const plain = PLAIN[name];
  // Their only argument, a display width (`year(4)` on older servers), carries no meaning.
  if (plain !== undefined && attributes.length === 0) return plain();

  switch (name) {
    case 'varchar':
      return t.String(Number(args));
    case 'char': {
      const length = Number(args ?? 1);
      return t.dialectType('mysql', `CHAR(${length})`, t.String(length));
    }
    case 'binary':
    case 'varbinary':
      return spelled(t.LargeBinary(args === null ? undefined : Number(args)));
    case 'decimal':
    case 'numeric': {
      const [precision, scale] = args === null ? [] : args.split(',').map((part) => Number(part.trim()));
      const numeric = t.Numeric(precision, scale);
      return attributes.length === 0 ? numeric : spelled(numeric);
    }
    case 'double':
      return args === null && attributes.length === 0 ? t.Float() : spelled(t.Float());
    case 'float':
      return spelled(t.Float());
    case 'datetime':
      return args === '6' ? t.DateTime() : t.mysql.DATETIME(args === null ? undefined : Number(args));
    case 'timestamp':
      return t.mysql.TIMESTAMP(args === null ? undefined : Number(args));
    case 'time':
      return t.Time();
    case 'enum':
      return t.Enum(parseQuotedList(args ?? ''));
    default:
      return spelled(t.Text());
  }
}

/** Data types whose defaults are bare numbers on both servers. */
const NUMERIC = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'float', 'double', 'real', 'year']);

/**
 * COLUMN_DEFAULT as SQL: null for none, `'abc'` for a string, `0` for a number, an expression as reported.
 * `dataType` and `extra` are the column's DATA_TYPE and EXTRA.
 *
 * The servers disagree on what they store:
 * - MySQL returns the raw value: `abc` for DEFAULT 'abc', `0`, `1.50`; SQL NULL both for no default and
 *   for DEFAULT NULL; BIT as `b'101'`, BINARY as `0x6162`. CURRENT_TIMESTAMP reads `CURRENT_TIMESTAMP` or
 *   `CURRENT_TIMESTAMP(6)`, and from 8.0.13 every expression default (`rand()`, `curdate()`) comes with
 *   EXTRA `DEFAULT_GENERATED` (string literals inside it spelled `_utf8mb4\'a\'`, as MySQL stores them).
 * - MariaDB 10.2.7+ returns SQL text: `'abc'` (quotes doubled inside), `0`, `1.50`, `b'101'`,
 *   `current_timestamp()`, `rand()`; the string `NULL` for DEFAULT NULL and for a nullable column with no
 *   default, SQL NULL for a NOT NULL column with no default.
 */
export function mysqlColumnDefault(
  raw: string | null,
  column: { readonly dataType: string; readonly extra: string; readonly mariadb: boolean },
): string | null {
  if (raw === null) return null;
  if (column.mariadb) return raw === 'NULL' ? null : raw;
  const dataType = column.dataType.toLowerCase();
  const extra = column.extra.toLowerCase();
  if (extra.includes('default_generated') || NUMERIC.has(dataType)) return raw;
  // Before 8.0.13 CURRENT_TIMESTAMP came without DEFAULT_GENERATED; it is the only expression there was.
  if ((dataType === 'datetime' || dataType === 'timestamp') && /^current_timestamp(\(\d*\))?$/i.test(raw)) return raw;
  if (dataType === 'bit' && /^b'[01]*'$/i.test(raw)) return raw;
  if ((dataType === 'binary' || dataType === 'varbinary') && /^0x[0-9a-f]*$/i.test(raw)) return raw;
  return `'${raw.replace(/'/g, "''")}'`;
}

/** Splits `int(10) unsigned zerofill` into name, arguments and attributes. */
function parseColumnType(columnType: string): ParsedColumnType {
  // MariaDB marks pre-10.0 temporal formats with a comment (`datetime /* mariadb-5.3 */`).
  const text = columnType.replace(/\/\*.*?\*\//gs, '').trim();
  // Greedy arguments: an ENUM value may itself contain `)`; the list ends at the last one.
  const match = /^(\w+)(?:\s*\((.*)\))?((?:\s+\w+)*)$/s.exec(text);
  if (match === null) return { name: text.toLowerCase(), args: null, attributes: [] };
  const [, name = '', args, attributes = ''] = match;
  return {
    name: name.toLowerCase(),
    args: args ?? null,
    attributes: attributes.toLowerCase().split(/\s+/).filter((word) => word !== ''),
  };
}

/** The type as MySQL spells it in DDL: `SET('a','b')`, `INT(5) UNSIGNED ZEROFILL`. */
function spell({ name, args, attributes }: ParsedColumnType): string {
  return [`${name.toUpperCase()}${args === null ? '' : `(${args})`}`, ...attributes.map((a) => a.toUpperCase())].join(' ');
}

/** MySQL's backslash escapes as COLUMN_TYPE writes them inside an ENUM or SET value. */
const ESCAPES: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/**
 * The values of an ENUM or SET list, `'a','it''s','back\\slash'` -> `a`, `it's`, `back\slash`. The server
 * doubles a quote and backslash-escapes a backslash (and control characters) inside each value.
 */
export function parseQuotedList(list: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i < list.length) {
    if (list[i] !== "'") {
      i += 1; // the comma (and any space) between values
      continue;
    }
    let value = '';
    i += 1;
    while (i < list.length) {
      const ch = list[i] as string;
      if (ch === "'" && list[i + 1] === "'") {
        value += "'";
        i += 2;
      } else if (ch === "'") {
        i += 1;
        break;
      } else if (ch === '\\' && i + 1 < list.length) {
        const next = list[i + 1] as string;
        value += ESCAPES[next] ?? next;
        i += 2;
      } else {
        value += ch;
        i += 1;
      }
    }
    values.push(value);
  }
  return values;
}
