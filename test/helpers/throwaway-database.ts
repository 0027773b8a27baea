/**
 * A database of its own for one test file, so that migrations (which create and drop tables and the
 * version table) never meet another suite's tables: on PostgreSQL and MySQL a `CREATE DATABASE` next to
 * the test database, dropped after; on SQLite a file in a temporary folder. The drivers are used
 * directly because CREATE DATABASE cannot run inside the engine's transactions.
 *
 * @example
 * ```ts
 * forEachDialect('upgrade', (dialect) => {
 *   let db: ThrowawayDatabase;
 *   before(async () => { db = await createThrowawayDatabase(dialect, 'upgrade'); });
 *   after(() => db.drop());
 *   it('...', async () => { const engine = createEngine(db.url); ... });
 * });
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parseDatabaseUrl } from '../../src/engine/url.js';
import type { TestDialect } from './dialects.js';

/** A database that exists until {@link ThrowawayDatabase.drop}. */
export interface ThrowawayDatabase {
  /** Its URL, for `createEngine` or `DATABASE_URL`. */
  readonly url: string;
  /** The database name (the file path on SQLite). */
  readonly name: string;
  drop(): Promise<void>;
}

/** Creates an empty database named after `purpose` (`tsmig_<purpose>_<random>`). */
export async function createThrowawayDatabase(dialect: TestDialect, purpose: string): Promise<ThrowawayDatabase> {
  const name = `tsmig_${purpose.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${Math.random().toString(36).slice(2, 8)}`;
  const base = parseDatabaseUrl(dialect.url);
  const adminUrl = base.render({ hidePassword: false });
  if (dialect.name === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), `${name}-`));
    const file = path.join(dir, 'test.db');
    return { url: `sqlite:///${file}`, name: file, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = base.with({ database: name }).render({ hidePassword: false });
  if (dialect.name === 'postgresql') {
    await withPg(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
    return { url, name, drop: () => withPg(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)) };
  }
  await withMysql(adminUrl, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  return { url, name, drop: () => withMysql(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)) };
}

async function withPg(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url.replace(/^postgres(ql)?(\+pg)?:/, 'postgresql:') });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function withMysql(url: string, work: (client: mysql.Connection) => Promise<unknown>): Promise<void> {
  const u = parseDatabaseUrl(url);
  const client = await mysql.createConnection({
    host: u.host ?? 'localhost',
    port: u.effectivePort ?? 3306,
    user: u.username ?? undefined,
    password: u.password ?? undefined,
    database: u.database ?? undefined,
  });
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
