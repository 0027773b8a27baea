/**
 * How a multi-row INSERT's AUTO_INCREMENT keys follow from the id mysql2 reports for it
 * (LAST_INSERT_ID(): the first row's key), the others one `auto_increment_increment` apart (1, unless
 * Galera or a multi-primary setup spaces the keys out; read for each INSERT group, as a session may
 * change it).
 *
 * MySQL has no RETURNING, so its flush relies on InnoDB giving a "simple insert" (a plain multi-row
 * VALUES) one block of keys. MariaDB has RETURNING, and uses the reported id instead only where a check
 * of the session and the table vouches for the rule. The check is one query per INSERT of a flush (so
 * nothing cached goes stale), asked from 1,000 rows on, as it reads information_schema (1-3 ms):
 *
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

async function increment(query: QueryFn): Promise<number> {
  const [row] = await query('SELECT @@auto_increment_increment AS increment');
  return Number(row?.increment ?? 1);
}

export const mysqlInsertIds: InsertIds = { reported: 'first', increment };

export const mariadbInsertIds: InsertIds = {
  reported: 'first',
  increment,
  checkFromRows: 1000,
  async consecutive(query: QueryFn, table: Table): Promise<boolean> {
    const key = table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0]! : null;
    if (key === null) return false;
    const schema = 'COALESCE(?, DATABASE())';
    const [facts] = await query(
      'SELECT @@innodb_autoinc_lock_mode AS lock_mode, ' +
        `(SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ?) AS engine, ` +
        `(SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ? AND COLUMN_NAME = ?) AS extra`,
      [table.schema, table.name, table.schema, table.name, key.name],
    );
    if (facts === undefined) return false;
    return (
      [0, 1].includes(Number(facts.lock_mode)) &&
      String(facts.engine).toLowerCase() === 'innodb' &&
      /\bauto_increment\b/i.test(String(facts.extra))
    );
  },
};
