/**
 * SQLite's type names. Column types only choose an affinity there, so the names follow SQLAlchemy's
 * (readable in `.schema`); CAST targets must avoid NUMERIC affinity for text values such as dates,
 * which `CAST('2024-01-01' AS DATE)` would turn into the number 2024.
 */
import { GENERIC_TYPES, TypeCompiler, withLength } from '../base/type-compiler.js';

export const sqliteTypes = new TypeCompiler(
  'sqlite',
  {
    ...GENERIC_TYPES,
    DateTime: () => 'DATETIME',
    Uuid: () => 'CHAR(36)',
    LargeBinary: (type) => withLength('BLOB', type),
  },
  {
    String: () => 'TEXT',
    Enum: () => 'TEXT',
    Date: () => 'TEXT',
    DateTime: () => 'TEXT',
    Time: () => 'TEXT',
    Uuid: () => 'TEXT',
    JSON: () => 'TEXT',
    Boolean: () => 'INTEGER',
    Float: () => 'REAL',
  },
);
