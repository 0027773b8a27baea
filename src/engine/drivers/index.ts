/** The drivers by knex client name; the engine picks one with {@link driverFor}. */
import type { Dialect } from '../../dialects/dialect.js';
import type { DatabaseUrl } from '../url.js';
import type { Driver } from './driver.js';
import { mysqlDriver } from './mysql.js';
import { pgliteDriver } from './pglite.js';
import { postgresqlDriver } from './postgresql.js';
import { sqliteDriver } from './sqlite.js';

export const DRIVERS: Record<Dialect['knexClient'], Driver> = {
  'better-sqlite3': sqliteDriver,
  pg: postgresqlDriver,
  mysql2: mysqlDriver,
};

/** The driver a URL names (`postgresql+pglite://`), else the dialect's own. */
export function driverFor(url: DatabaseUrl, dialect: Dialect): Driver {
  return url.driver === 'pglite' ? pgliteDriver : DRIVERS[dialect.knexClient];
}

export type { ConnectionInfo, Driver, DriverResult, DriverStatement, RawConnection, RowStart } from './driver.js';
