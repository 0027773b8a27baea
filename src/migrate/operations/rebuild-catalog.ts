/**
 * What a table rebuild reads from SQLite's catalog before it changes anything: the triggers to create
 * again (DROP TABLE takes them along), the views to check afterwards, and table features the rebuilt
 * table could not reproduce, which stop the rebuild instead of being lost quietly. SQLite is the only
 * database whose ALTER TABLE needs rebuilds (`capabilities.alterColumns` false).
 */
import type { QueryFn } from '../../dialects/reflection.js';
import type { TableRef } from '../../schema/ddl.js';
import { ArgumentError } from '../../errors.js';

export interface RebuildDependents {
  /** `CREATE TRIGGER` statements of the table's own triggers, in creation order. */
  readonly triggers: readonly string[];
  /** Views whose SQL names the table, to check once it is rebuilt. */
  readonly views: readonly string[];
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Reads the table's dependents and refuses a table the rebuild would change in ways not asked for. */
export async function readDependents(query: QueryFn, table: TableRef): Promise<RebuildDependents> {
  const schema = table.schema ?? 'main';
  const master = `${quote(schema)}.sqlite_schema`;
  const rows = await query(
    `SELECT type, name, tbl_name, sql FROM ${master} WHERE (type IN ('table', 'trigger') AND tbl_name = ?) OR type = 'view' ORDER BY rowid`,
    [table.name],
  );
  const own = rows.find((r) => r.type === 'table' && r.name === table.name);
  if (own === undefined) throw new ArgumentError(`cannot rebuild table "${table.name}": it does not exist`);
  const [shape] = await query('SELECT wr, strict FROM pragma_table_list WHERE schema = ? AND name = ?', [schema, table.name]);
  const refuse = (what: string) => {
    throw new ArgumentError(`cannot rebuild table "${table.name}": it ${what}, which the rebuilt table would lose; change it with op.execute() and your own SQL`);
  };
  if (Number(shape?.wr ?? 0) === 1) refuse('is WITHOUT ROWID');
  if (Number(shape?.strict ?? 0) === 1) refuse('is STRICT');
  const mentions = (sql: unknown) => String(sql).toLowerCase().includes(table.name.toLowerCase());
  return {
    triggers: rows.filter((r) => r.type === 'trigger' && r.sql !== null).map((r) => String(r.sql)),
    views: rows.filter((r) => r.type === 'view' && mentions(r.sql)).map((r) => String(r.name)),
  };
}

/**
 * Checks that each view still compiles against the rebuilt table (a dropped or renamed column would
 * break it); the rebuild rolls back with an error naming the view otherwise.
 */
export async function checkViews(query: QueryFn, table: TableRef, views: readonly string[]): Promise<void> {
  const prefix = table.schema === null ? '' : `${quote(table.schema)}.`;
  for (const view of views) {
    try {
      await query(`SELECT * FROM ${prefix}${quote(view)} LIMIT 0`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ArgumentError(
        `rebuilding table "${table.name}" breaks view "${view}" (${reason}); drop or change the view in the same migration`,
      );
    }
  }
}
