/**
 * The dialects tsmig supports, by name. Importing this module also loads the generic compiler that
 * `String(stmt)` uses.
 */
import './base/generic.js';
import type { Dialect, DialectName } from './dialect.js';
import { mysqlDialect } from './mysql/dialect.js';
import { postgresqlDialect } from './postgresql/dialect.js';
import { sqliteDialect } from './sqlite/dialect.js';

const FACTORIES: Record<DialectName, (options: { mariadb?: boolean }) => Dialect> = {
  sqlite: sqliteDialect,
  postgresql: postgresqlDialect,
  mysql: mysqlDialect,
};

const cache = new Map<string, Dialect>();

/** The dialect for a database family; `mariadb` selects MariaDB's capabilities for `mysql`. */
export function getDialect(name: DialectName, options: { mariadb?: boolean } = {}): Dialect {
  const key = `${name}:${options.mariadb === true}`;
  let dialect = cache.get(key);
  if (dialect === undefined) {
    dialect = FACTORIES[name](options);
    cache.set(key, dialect);
  }
  return dialect;
}

export type { Capabilities, Dialect, DialectName } from './dialect.js';
export type { BindSlot, CompiledSql, ResultColumn } from './compiled.js';
