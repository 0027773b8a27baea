/**
 * What the driver benches (engine, orm) build alike: the movie rows both sides insert, the raw driver
 * connections of their baselines, and the batching and sanity checks around them.
 */
import type { DatabaseUrl } from '../src/index.js';
import type { BenchTarget } from './harness.js';

/** One bench movie without its key: short text, a float, a small integer, a timestamp, a flag. */
export type MovieData = { title: string; rating: number; year: number; created: Date; flag: boolean };

/** Deterministic movie values, the same on every run and dialect. */
export function makeMovieData(count: number): MovieData[] {
  const start = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    title: `Movie number ${i + 1}`,
    rating: ((i * 37) % 100) / 10 + 0.25,
    year: 1900 + (i % 125),
    created: new Date(start + i * 61_001),
    flag: i % 3 === 0,
  }));
}

/** The settings pg.Client and mysql2's createConnection take alike for a URL. */
export function rawConnectionOptions(url: DatabaseUrl) {
  return {
    host: url.host ?? 'localhost',
    port: url.effectivePort ?? undefined,
    user: url.username ?? undefined,
    password: url.password ?? undefined,
    database: url.database ?? undefined,
  };
}

/** Walks `rows` in batches of `size`, flattening each into one parameter array with `push`. */
export async function forEachBatch<R>(
  rows: readonly R[],
  size: number,
  push: (out: unknown[], row: R) => void,
  run: (values: unknown[], count: number) => Promise<void> | void,
): Promise<void> {
  for (let offset = 0; offset < rows.length; offset += size) {
    const end = Math.min(rows.length, offset + size);
    const values: unknown[] = [];
    for (let i = offset; i < end; i++) push(values, rows[i]!);
    await run(values, end - offset);
  }
}

/** The quickest way each dialect empties a table between runs. */
export const TRUNCATE: Record<BenchTarget['dialect'], (table: string) => string> = {
  sqlite: (table) => `DELETE FROM ${table}`,
  postgresql: (table) => `TRUNCATE ${table}`,
  mysql: (table) => `TRUNCATE TABLE ${table}`,
};

/** Fails the bench when a result is wrong: timings of wrong work mean nothing. */
export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench sanity check failed: ${message}`);
}
