/**
 * `--shadow` for `check` and `revision --autogenerate`: every revision is replayed on a database of its
 * own instead of the configured one, so "are the migrations in step with the models?" needs no server.
 * SQLite projects replay on a temporary file. PostgreSQL projects would replay on PGlite (PostgreSQL in
 * WASM), which tsmig does not ship yet; MySQL has no embedded form. Both get a message saying so.
 */
import { TsmigError } from '../../errors.js';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { RunReporter } from '../runtime/migration-context.js';
import { createScratchDatabase } from '../stairway/scratch-database.js';
import { upgrade } from './run.js';

/** `--shadow` cannot run for this project's database. */
export class ShadowUnavailableError extends TsmigError {
  override readonly name: string = 'ShadowUnavailableError';
}

/** Why each server dialect has no shadow database yet. */
const UNAVAILABLE = {
  postgresql: '--shadow for PostgreSQL projects needs PGlite, which this version of tsmig does not include yet; run the command against a PostgreSQL server (a local or CI service).',
  mysql: '--shadow is not available for MySQL projects: MySQL has no embedded form. Run the command against a MySQL server (a local or CI service).',
} as const;

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
  if (dialect !== 'sqlite') throw new ShadowUnavailableError(UNAVAILABLE[dialect]);
  const shadow = await createScratchDatabase(database.url);
  try {
    const on: ResolvedConfig = { ...config, database: { ...database, url: shadow.url } };
    await upgrade(on, 'heads', options.reporter === undefined ? {} : { reporter: options.reporter });
    return await work(on);
  } finally {
    await shadow.drop();
  }
}
