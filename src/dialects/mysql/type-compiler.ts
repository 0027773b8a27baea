/**
 * MySQL's type names. VARCHAR needs a length; FLOAT is single precision there, so a JS number is stored
 * as DOUBLE; timestamps keep microseconds. CAST accepts only a few target names (SIGNED, CHAR, DECIMAL...).
 */
import { CompileError } from '../../errors.js';
import type { EnumType } from '../../types/generic.js';
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
