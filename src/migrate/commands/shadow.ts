/**
 * `--shadow` for `check` and `revision --autogenerate`: every revision is replayed on a database of its
 * own instead of the configured one, so "are the migrations in step with the models?" needs no server.
 * SQLite projects replay on a temporary file; PostgreSQL projects on PGlite (real PostgreSQL compiled to
 * WebAssembly, in this process) in a temporary data folder, through the same PostgreSQL dialect. MySQL
 * has no embedded form: its projects get a message saying so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseUrl } from '../../engine/url.js';
import { TsmigError } from '../../errors.js';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { RunReporter } from '../runtime/migration-context.js';
import { type ScratchDatabase, createScratchDatabase } from '../stairway/scratch-database.js';
import { upgrade } from './run.js';

/** `--shadow` cannot run for this project's database. */
export class ShadowUnavailableError extends TsmigError {
  override readonly name: string = 'ShadowUnavailableError';
}

const MYSQL_UNAVAILABLE =
  '--shadow is not available for MySQL projects: MySQL has no embedded form. Run the command against a MySQL server (a local or CI service).';

/**
 * An empty PGlite database in a temporary data folder. A folder rather than memory: every command run on
 * it opens and closes its own engine, and an in-memory database would not outlive the first.
 */
function pgliteShadow(like: DatabaseUrl): ScratchDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsmig-shadow-'));
  const url = like.with({ scheme: 'postgresql+pglite', driver: 'pglite', username: null, password: null, host: null, port: null, database: dir, query: {} });
  return { url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `work` on a config whose database is a fresh shadow with every revision applied (`upgrade heads`),
 * then throws the shadow away.
 *
 * @example
 * ```ts
 * const result = await withShadowDatabase(config, (shadow) => check(shadow));
 * ```
 */
export async function withShadowDatabase<T>(config: ResolvedConfig, work: (shadow: ResolvedConfig) => Promise<T>, options: { readonly reporter?: RunReporter } = {}): Promise<T> {
  const database = config.database;
  if (database === null) {
    throw new ConfigError(`This project has several databases (${Object.keys(config.databases).join(', ')}); pass --name to use --shadow for one.`);
  }
  if (database.url === null) throw new ConfigError(`--shadow needs to know the dialect: set ${database.urlEnv} (it is not connected to).`);
  const dialect = database.url.dialect;
  if (dialect === 'mysql') throw new ShadowUnavailableError(MYSQL_UNAVAILABLE);
  const shadow = dialect === 'postgresql' ? pgliteShadow(database.url) : await createScratchDatabase(database.url);
  try {
    const on: ResolvedConfig = { ...config, database: { ...database, url: shadow.url } };
    await upgrade(on, 'heads', options.reporter === undefined ? {} : { reporter: options.reporter });
    return await work(on);
  } finally {
    await shadow.drop();
  }
}
