/**
 * The reflection contract: each dialect reads a whole schema in a constant number of catalog queries and
 * returns the shapes of `schema/reflected.ts`, which the Inspector, `MetaData.reflect()` and autogenerate
 * share.
 */
import type { ReflectedSchema, ReflectOptions } from '../schema/reflected.js';

export type * from '../schema/reflected.js';

/** Runs one catalog query on the caller's connection and returns its rows as objects. */
export type QueryFn = (sql: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** A dialect's catalog reader. */
export interface DialectReflection {
  /** The schema unqualified names resolve to (`public`, the current database); null for SQLite. */
  defaultSchema(query: QueryFn): Promise<string | null>;
  /** Names of the tables in a schema (null: the default one), without views. */
  tableNames(query: QueryFn, schema: string | null): Promise<string[]>;
  /** Everything about a schema's tables in a constant number of queries. */
  reflect(query: QueryFn, schema: string | null, options?: ReflectOptions): Promise<ReflectedSchema>;
}
