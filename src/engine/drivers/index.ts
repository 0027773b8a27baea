/** The drivers by knex client name; the engine picks one with `dialect.knexClient`. */
import type { Dialect } from '../../dialects/dialect.js';
import type { Driver } from './driver.js';
import { mysqlDriver } from './mysql.js';
import { postgresqlDriver } from './postgresql.js';
import { sqliteDriver } from './sqlite.js';

export const DRIVERS: Record<Dialect['knexClient'], Driver> = {
  'better-sqlite3': sqliteDriver,
  pg: postgresqlDriver,
  mysql2: mysqlDriver,
};

export type { ConnectionInfo, Driver, DriverResult, DriverStatement, RawConnection } from './driver.js';
