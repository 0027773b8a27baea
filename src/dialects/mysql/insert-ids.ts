/**
 * How a multi-row INSERT's AUTO_INCREMENT keys follow from the id mysql2 reports for it
 * (LAST_INSERT_ID(): the first row's key), the others consecutive.
 *
 * MySQL has no RETURNING, so its flush relies on InnoDB giving a "simple insert" (a plain multi-row
 * VALUES) one consecutive block of keys. MariaDB has RETURNING, and uses the reported id instead only
 * where a check of the session and the table vouches for the rule. The check is one query per INSERT
 * of a flush (so nothing cached goes stale), asked from 1,000 rows on, as it reads information_schema
 * (1-3 ms):
 *
 * - `auto_increment_increment` is 1 (Galera and multi-primary setups space the keys out);
 * - `innodb_autoinc_lock_mode` is 0 or 1, for which InnoDB's manual (MySQL's; MariaDB ships the same
 *   engine) promises every statement consecutive keys; for 2, "interleaved", it promises no such thing;
 * - the table is InnoDB and the key column is its AUTO_INCREMENT column (a key filled by a sequence's
 *   DEFAULT NEXT VALUE sets no LAST_INSERT_ID()).
 *
 * A trigger cannot insert into the table that fired it, so no row of another statement comes between.
 */
import type { Table } from '../../schema/table.js';
import type { InsertIds } from '../dialect.js';
import type { QueryFn } from '../reflection.js';

export const mysqlInsertIds: InsertIds = { reported: 'first' };

export const mariadbInsertIds: InsertIds = {
  reported: 'first',
  checkFromRows: 1000,
  async consecutive(query: QueryFn, table: Table): Promise<boolean> {
    const key = table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0]! : null;
    if (key === null) return false;
    const schema = 'COALESCE(?, DATABASE())';
    const [facts] = await query(
      'SELECT @@auto_increment_increment AS increment, @@innodb_autoinc_lock_mode AS lock_mode, ' +
        `(SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ?) AS engine, ` +
        `(SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ? AND COLUMN_NAME = ?) AS extra`,
      [table.schema, table.name, table.schema, table.name, key.name],
    );
    if (facts === undefined) return false;
    return (
      Number(facts.increment) === 1 &&
      [0, 1].includes(Number(facts.lock_mode)) &&
      String(facts.engine).toLowerCase() === 'innodb' &&
      /\bauto_increment\b/i.test(String(facts.extra))
    );
  },
};
