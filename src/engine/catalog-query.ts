/**
 * Runs the dialects' catalog queries on an engine connection. Catalog SQL is written per dialect with
 * its own placeholders, so it is handed to the connection already compiled.
 */
import type { CompiledSql } from '../dialects/compiled.js';
import type { QueryFn } from '../dialects/reflection.js';
import type { Connection } from './connection.js';
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
    return result.mappings().all() as Record<string, unknown>[];
  };
}
