/**
 * `tsmig reset`: a development database back to a fresh head, by downgrading to base (every revision's
 * downgrade runs, so a broken one shows up) or, with `drop`, by dropping what tsmig manages (the models'
 * tables and the version table) without running any downgrade; then upgrading to the heads. Refused on a
 * database that is neither SQLite nor on this machine unless the caller says yes.
 */
import { createEngine } from '../../engine/engine.js';
import type { DatabaseUrl } from '../../engine/url.js';
import { MetaData } from '../../schema/metadata.js';
import { ConfigError } from '../config/config-error.js';
import { type ResolvedConfig, requireUrl, targetDatabases } from '../config/load-config.js';
import type { RunReporter } from '../runtime/migration-context.js';
import { VersionTable } from '../runtime/version-table.js';
import type { DatabaseOutcome } from '../runtime/environment.js';
import { downgrade, upgrade } from './run.js';

/** Options of {@link reset}. */
export interface ResetOptions {
  /** Drop the models' tables and the version table instead of downgrading to base. */
  readonly drop?: boolean;
  /** Reset a database that is not SQLite or on localhost too. */
  readonly yes?: boolean;
  readonly reporter?: RunReporter;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether a URL is one `reset` may wipe without `--yes`: SQLite, or a server on this machine. */
export function isDevelopmentUrl(url: DatabaseUrl): boolean {
  return url.dialect === 'sqlite' || (url.host !== null && LOCAL_HOSTS.has(url.host.toLowerCase())) || url.host === null;
}

/**
 * Resets each database of the command to the scripts' heads; returns the outcome of the upgrade.
 *
 * @example
 * ```ts
 * await reset(await loadConfig(), { drop: true });
 * ```
 */
export async function reset(config: ResolvedConfig, options: ResetOptions = {}): Promise<readonly DatabaseOutcome[]> {
  const databases = targetDatabases(config);
  for (const database of databases) {
    const url = requireUrl(database);
    if (options.yes !== true && !isDevelopmentUrl(url)) {
      throw new ConfigError(
        `Refusing to reset ${url.render()}: reset wipes the database, and this one is neither SQLite nor on this machine. Pass --yes if it really is a development database.`,
      );
    }
  }
  const run = { reporter: options.reporter ?? {} };
  if (options.drop === true) {
    for (const database of databases) {
      const engine = createEngine(requireUrl(database));
      try {
        if (database.targetMetadata !== null) await engine.dropAll(database.targetMetadata, { checkFirst: true });
        await engine.dropAll(versionTableMetadata(config), { checkFirst: true });
      } finally {
        await engine.dispose();
      }
    }
  } else {
    await downgrade(config, 'base', run);
  }
  return upgrade(config, 'heads', run);
}

/** A MetaData holding only the version table, so `dropAll` drops it the dialect's way. */
function versionTableMetadata(config: ResolvedConfig): MetaData {
  return new VersionTable(config.versionTable, config.versionTableSchema).table.metadata;
}
