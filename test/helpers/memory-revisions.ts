/**
 * Revisions built in memory for runtime tests: graph data plus module objects whose upgrade() and
 * downgrade() run through the current executor, as revision files do through `op`, and a one-call way
 * to run a {@link MigrationContext} on a database URL.
 *
 * @example
 * ```ts
 * const revs = memoryRevisions([
 *   { id: 'r1', up: (x) => x.execute('CREATE TABLE a (id INTEGER)'), down: (x) => x.execute('DROP TABLE a') },
 * ]);
 * await runOnline(url, revs.migrate('head'));
 * ```
 */
import { createEngine } from '../../src/engine/engine.js';
import type { MigrationExecutor } from '../../src/migrate/operations/migration-executor.js';
import { currentExecutor } from '../../src/migrate/runtime/current-executor.js';
import {
  MigrationContext,
  type RunAction,
  type RunOutcome,
  type RunRequest,
  type StepEvent,
} from '../../src/migrate/runtime/migration-context.js';
import { SqlSink } from '../../src/migrate/runtime/sql-sink.js';
import { VersionTable } from '../../src/migrate/runtime/version-table.js';
import { RevisionMap } from '../../src/migrate/script/revision-map.js';
import type { RevisionInfo, RevisionModule } from '../../src/migrate/script/revision.js';
import { getDialect } from '../../src/dialects/index.js';
import { parseDatabaseUrl } from '../../src/engine/url.js';

/** One revision: its id, parents and what its upgrade/downgrade do with the executor. */
export interface MemoryRevision {
  readonly id: string;
  /** Default: the previous revision of the list (none for the first). */
  readonly down?: readonly string[];
  readonly message?: string;
  readonly up?: (x: MigrationExecutor, database: string | undefined) => Promise<unknown>;
  readonly downgrade?: (x: MigrationExecutor, database: string | undefined) => Promise<unknown>;
}

/** The revisions, their map, and counters of how often each upgrade/downgrade ran. */
export interface MemoryRevisions {
  readonly map: RevisionMap;
  /** `upgrade:r1` -> times run. */
  readonly calls: Map<string, number>;
  migrate(target: string, direction?: 'up' | 'down'): RunAction;
  stamp(target: string | readonly string[], purge?: boolean): RunAction;
}

export function memoryRevisions(revisions: readonly MemoryRevision[]): MemoryRevisions {
  const calls = new Map<string, number>();
  const infos: RevisionInfo[] = revisions.map((r, i) => ({
    revision: r.id,
    downRevisions: r.down ?? (i === 0 ? [] : [revisions[i - 1]!.id]),
    branchLabels: [],
    dependsOn: [],
    message: r.message ?? `step ${r.id}`,
    path: '',
    createDate: null,
  }));
  const modules = new Map<string, RevisionModule>(
    revisions.map((r) => {
      const count = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1);
      const module = {
        revision: r.id,
        async upgrade(database?: string) {
          count(`upgrade:${r.id}`);
          await r.up?.(currentExecutor(), database);
        },
        async downgrade(database?: string) {
          count(`downgrade:${r.id}`);
          await r.downgrade?.(currentExecutor(), database);
        },
      };
      return [r.id, module as RevisionModule];
    }),
  );
  const map = new RevisionMap(infos);
  const loadModules = async (infos: readonly RevisionInfo[]) => infos.map((info) => modules.get(info.revision)!);
  return {
    map,
    calls,
    migrate: (target, direction = 'up') => ({
      kind: 'migrate',
      plan: (heads) => (direction === 'up' ? map.upgradePlan(heads, target) : map.downgradePlan(heads, target)),
      loadModules,
    }),
    stamp: (target, purge = false) => ({ kind: 'stamp', plan: (heads) => map.stampHeads(heads, target), purge }),
  };
}

/** Settings of a test run; anything left out takes the runtime's default. */
export interface TestRunOptions {
  readonly versionTable?: string;
  readonly transactionPerMigration?: boolean;
  readonly lockTimeout?: number;
  readonly databaseName?: string | null;
  readonly startingHeads?: readonly string[];
  readonly steps?: StepEvent[];
  readonly info?: string[];
  /** Collects the engine's echo lines: the SQL the run sent. */
  readonly sql?: string[];
}

function request(action: RunAction, options: TestRunOptions): RunRequest {
  return {
    action,
    versionTable: new VersionTable(options.versionTable ?? 'alembic_version', null),
    transactionPerMigration: options.transactionPerMigration ?? true,
    lockTimeout: options.lockTimeout ?? 10,
    databaseName: options.databaseName ?? null,
    targetMetadata: null,
    startingHeads: options.startingHeads ?? [],
    reporter: { step: (e) => options.steps?.push(e), info: (l) => options.info?.push(l) },
  };
}

/** Runs `action` online on the database at `url` (its own engine, disposed after). */
export async function runOnline(url: string, action: RunAction, options: TestRunOptions = {}): Promise<RunOutcome> {
  const sql = options.sql;
  const engine = createEngine(url, { poolSize: 2, ...(sql === undefined ? {} : { echo: true, logger: (line: string) => sql.push(line) }) });
  try {
    return await engine.connect((connection) =>
      new MigrationContext(connection.dialect, request(action, options)).runOnline({
        connection,
        openConnection: () => engine.connect(),
        lockKey: `${engine.url.database ?? ''}:${options.versionTable ?? 'alembic_version'}`,
        private: engine.url.isMemory,
      }),
    );
  } finally {
    await engine.dispose();
  }
}

/** Writes `action` as an offline script for the dialect of `url`; returns the script. */
export async function runOffline(url: string, action: RunAction, options: TestRunOptions = {}): Promise<string> {
  const parsed = parseDatabaseUrl(url);
  let script = '';
  const sink = new SqlSink((text) => (script += text));
  await new MigrationContext(getDialect(parsed.dialect, { mariadb: parsed.mariadb }), request(action, options)).runOffline(sink);
  return script;
}
