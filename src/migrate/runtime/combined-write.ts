/**
 * Two DML statements sent as one, where the dialect allows it: PostgreSQL's data-modifying WITH. What a
 * migration's commit writes beside its DDL (the version table's change and the history row) is then one
 * round trip instead of two; with a transaction per migration, a migration on PostgreSQL makes three
 * (its DDL, the two writes, COMMIT AND CHAIN) where it made four.
 */
import type { CompiledSql } from '../../dialects/compiled.js';
import type { DialectName } from '../../dialects/dialect.js';

/**
 * `first` and `second` as one statement, whose one row holds the number of rows `first` touched. Their
 * late-bound parameters are looked up in one record, so their names must differ.
 */
export type WriteCombiner = (first: CompiledSql, second: CompiledSql) => CompiledSql;

export const COMBINED_WRITES: Readonly<Record<DialectName, WriteCombiner | null>> = {
  postgresql: dataModifyingWith,
  // Neither runs INSERT, UPDATE or DELETE inside WITH.
  mysql: null,
  sqlite: null,
};

function dataModifyingWith(first: CompiledSql, second: CompiledSql): CompiledSql {
  const sql =
    `WITH tsmig_first AS (${first.sql} RETURNING 1), tsmig_second AS (${shiftPlaceholders(second.sql, first.binds.length)}) ` +
    'SELECT count(*) FROM tsmig_first';
  return { sql, binds: [...first.binds, ...second.binds], columns: null, returnsRows: true };
}

/** `$n` becomes `$(n + by)`, outside quoted identifiers and string literals. */
export function shiftPlaceholders(sql: string, by: number): string {
  return sql.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'|\$(\d+)/g, (match, n: string | undefined) => (n === undefined ? match : `$${Number(n) + by}`));
}
