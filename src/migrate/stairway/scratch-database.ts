/**
 * A database that exists for one `tsmig test` run: on SQLite a file in a temporary folder; on PostgreSQL
 * and MySQL a `CREATE DATABASE` on the configured server, dropped when the run ends, whatever happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../engine/engine.js';
import type { DatabaseUrl } from '../../engine/url.js';
import { getDialect } from '../../dialects/index.js';
import { implFor } from '../impl/index.js';
import { TransactionControl } from '../runtime/transaction-control.js';

/** A database to run revisions on, and how to get rid of it. */
export interface ScratchDatabase {
  readonly url: DatabaseUrl;
  drop(): Promise<void>;
}

/** Runs one statement outside any transaction (CREATE DATABASE refuses to run inside one). */
async function runAlone(server: DatabaseUrl, sql: string): Promise<void> {
  const engine = createEngine(server, { poolSize: 1 });
  try {
    await engine.connect(async (connection) => {
      const control = await TransactionControl.take(connection);
      try {
        await control.run(sql);
      } finally {
        await control.release({ quiet: true });
      }
    });
  } finally {
    await engine.dispose();
  }
}

/** Creates an empty database next to `server` (the configured URL, whose server it uses). */
export async function createScratchDatabase(server: DatabaseUrl): Promise<ScratchDatabase> {
  const name = `tsmig_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const sql = implFor(server.dialect).scratchDatabase;
  if (sql === null) {
    const dir = mkdtempSync(path.join(tmpdir(), `${name}-`));
    return {
      url: server.with({ database: path.join(dir, 'scratch.db') }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const quoted = getDialect(server.dialect, { mariadb: server.mariadb }).quoteIdentifier(name);
  await runAlone(server, sql.create(quoted));
  return { url: server.with({ database: name }), drop: () => runAlone(server, sql.drop(quoted)) };
}
