/**
 * The connections of a fleet run's schema-per-tenant targets: one pool per PostgreSQL server, shared by
 * the tenants on it, each connection switched to the tenant's schema when a tenant takes it. Opening a
 * connection costs the server far more than a tenant's whole check when it is at head (a backend to
 * start, its catalog caches to fill: about 100 ms against 3 ms on a busy two-core machine), so a thousand
 * schemas on one server should not open a thousand connections, one after the other.
 */
import type { DialectName } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { createEngine, type Engine } from '../../engine/engine.js';
import { text } from '../../sql/elements/text.js';
import type { ResolvedTarget } from '../config/targets.js';

/** Where a run gets its connections instead of opening an engine on the database's URL. */
export interface ConnectionSource {
  /** A connection ready for the run (in the tenant's schema); closing it gives it back. */
  connect(): Promise<Connection>;
}

/**
 * The statement that makes a tenant's schema the connection's own for the rest of its session: every
 * unqualified name of the tenant's migrations then resolves there (PostgreSQL plans again the statements
 * it prepared under another search_path). Null where tenants cannot share connections: MariaDB keeps
 * the DATABASE() of a statement prepared before a `USE` (an information_schema query prepared in one
 * tenant goes on listing that tenant's tables in the next), so each MySQL tenant opens its own pool;
 * SQLite has no schemas.
 */
const SWITCH_SCHEMA: Readonly<Record<DialectName, ((quoted: string) => string) | null>> = {
  postgresql: (quoted) => `SET search_path TO ${quoted}`,
  mysql: null,
  sqlite: null,
};

/**
 * The shared pools of one fleet run, closed together by {@link dispose}.
 *
 * @example
 * ```ts
 * const pools = new ServerPools(8);
 * try {
 *   await runOnTargets(targets, (target) => upgrade(configForTarget(config, target, pools.sourceFor(target)), 'head'), { concurrency: 8 });
 * } finally {
 *   await pools.dispose();
 * }
 * ```
 */
export class ServerPools {
  readonly #size: number;
  readonly #engines = new Map<string, Engine>();

  /** `size`: connections each pool keeps, the run's concurrency. */
  constructor(size: number) {
    this.#size = size;
  }

  /**
   * Where a target's runs get their connections: for a schema target on a server whose tenants can share
   * connections, that server's pool, each connection switched to the tenant's schema as it is handed
   * out; else null (the run opens its own engine on the target's URL).
   */
  sourceFor(target: ResolvedTarget): ConnectionSource | null {
    const { server, schema } = target;
    const use = server === null ? null : SWITCH_SCHEMA[server.dialect];
    if (server === null || schema === null || use === null) return null;
    const key = server.render({ hidePassword: false });
    let engine = this.#engines.get(key);
    if (engine === undefined) {
      engine = createEngine(server, { poolSize: this.#size });
      this.#engines.set(key, engine);
    }
    const pool = engine;
    const statement = text(use(pool.dialect.quoteIdentifier(schema)));
    return {
      connect: async () => {
        const connection = await pool.connect();
        try {
          // Outside any transaction: a SET in one would end with it.
          connection.startManualTransactions();
          try {
            await connection.execute(statement);
          } finally {
            connection.endManualTransactions();
          }
          return connection;
        } catch (error) {
          await connection.close();
          throw error;
        }
      },
    };
  }

  /** Closes every pool. */
  async dispose(): Promise<void> {
    const engines = [...this.#engines.values()];
    this.#engines.clear();
    await Promise.all(engines.map((engine) => engine.dispose()));
  }
}
