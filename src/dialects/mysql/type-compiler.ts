/**
 * MySQL's type names. VARCHAR needs a length; FLOAT is single precision there, so a JS number is stored
 * as DOUBLE; timestamps keep microseconds. CAST accepts only a few target names (SIGNED, CHAR, DECIMAL...).
 */
import { CompileError } from '../../errors.js';
import type { EnumType, TextType } from '../../types/generic.js';
import { renderLiteral } from '../base/literals.js';
import { GENERIC_TYPES, TypeCompiler, numeric, withLength } from '../base/type-compiler.js';
import { MYSQL_LITERALS } from './sql-compiler.js';

export const mysqlTypes = new TypeCompiler(
  'mysql',
  {
    ...GENERIC_TYPES,
    String: (type) => {
      const sql = withLength('VARCHAR', type);
      if (sql === 'VARCHAR') throw new CompileError('MySQL needs a length for VARCHAR: use t.String(255) or t.Text()');
      return sql;
    },
    Text: (type) => textType((type as TextType).length),
    Boolean: () => 'BOOL',
    DateTime: () => 'DATETIME(6)',
    Time: () => 'TIME(6)',
    Float: () => 'DOUBLE',
    Numeric: (type) => numeric('DECIMAL', type),
    Uuid: () => 'CHAR(36)',
    LargeBinary: (type) => withLength('BLOB', type),
    Enum: (type) => `ENUM(${(type as EnumType).values.map((v) => renderLiteral(v, MYSQL_LITERALS)).join(', ')})`,
  },
  {
    Integer: () => 'SIGNED',
    BigInteger: () => 'SIGNED',
    SmallInteger: () => 'SIGNED',
    Boolean: () => 'SIGNED',
    String: (type) => withLength('CHAR', type),
    Text: () => 'CHAR',
    Enum: () => 'CHAR',
    Uuid: () => 'CHAR(36)',
    JSON: () => 'CHAR',
    LargeBinary: () => 'BINARY',
  },
);

/**
 * The smallest of TEXT (64 KB), MEDIUMTEXT (16 MB) and LONGTEXT (4 GB) that holds `length` characters of
 * utf8mb4 (up to four bytes each), as SQLAlchemy's MySQL dialect lets MySQL choose for TEXT(length).
 */
function textType(length: number | undefined): string {
  if (length === undefined) return 'TEXT';
  const bytes = length * 4;
  if (bytes <= 0xffff) return 'TEXT';
  return bytes <= 0xffffff ? 'MEDIUMTEXT' : 'LONGTEXT';
}
