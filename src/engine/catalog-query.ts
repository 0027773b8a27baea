/**
 * Runs the dialects' catalog queries on an engine connection. Catalog SQL is written per dialect with
 * its own placeholders, so it is handed to the connection already compiled.
 */
import type { CompiledSql } from '../dialects/compiled.js';
import type { QueryFn } from '../dialects/reflection.js';
import type { Connection } from './connection.js';
import { compileRowReader } from './row.js';
import { NULLTYPE } from '../types/type-engine.js';

/** A QueryFn over `connection`; `onQuery` observes each statement (the bench counts round trips). */
export function catalogQuery(connection: Connection, onQuery?: (sql: string) => void): QueryFn {
  return async (sql, params = []) => {
    onQuery?.(sql);
    const compiled: CompiledSql = {
      sql,
      binds: params.map((value, i) => ({ key: `p${i + 1}`, value, late: false, row: 0, type: NULLTYPE })),
      columns: null,
      returnsRows: true,
    };
    const result = await connection.execute(compiled);
    const names = result.keys();
    // Catalog SQL names every column once. Thousands of rows (a column, an index column each) are read
    // into objects of one shape by one compiled literal rather than built key by key as mappings().
    if (new Set(names).size !== names.length) return result.mappings().all() as Record<string, unknown>[];
    const read = compileRowReader(names);
    return result.rawRows().map((row) => read(row, 0));
  };
}
