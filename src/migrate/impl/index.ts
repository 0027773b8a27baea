/**
 * The migration impl of each dialect, by name: an explicit map, so the choice can be read here.
 */
import type { DialectName } from '../../dialects/dialect.js';
import type { DialectImpl } from './impl.js';
import { MysqlImpl } from './mysql.js';
import { PostgresqlImpl } from './postgresql.js';
import { SqliteImpl } from './sqlite.js';

const IMPLS: Readonly<Record<DialectName, () => DialectImpl>> = {
  sqlite: () => new SqliteImpl(),
  postgresql: () => new PostgresqlImpl(),
  mysql: () => new MysqlImpl(),
};

const cache = new Map<DialectName, DialectImpl>();

/**
 * The comparison rules of a dialect (MySQL's serve MariaDB too).
 *
 * @example
 * implFor(engine.dialect.name).typesEquivalent(t.Boolean(), reflectedColumn.type);
 */
export function implFor(dialect: DialectName): DialectImpl {
  let impl = cache.get(dialect);
  if (impl === undefined) {
    impl = IMPLS[dialect]();
    cache.set(dialect, impl);
  }
  return impl;
}

export type { DialectImpl, DialectIndexOption, ReflectedFacts } from './impl.js';
