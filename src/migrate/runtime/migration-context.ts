/**
 * The migration context runs one command's plan against one database: online on a connection (lock,
 * version table, one transaction per migration or one for the run, failure reporting), or offline into
 * an SQL script through the very same steps. It knows no files and no CLI: the plan, the revision
 * modules and the reporting come in from `migrate/commands`.
 */
import type { Dialect } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { TsmigError } from '../../errors.js';
import type { MetaData } from '../../schema/metadata.js';
import type { MigrationExecutor } from '../operations/migration-executor.js';
import { settleOperations } from '../operations/operation-queue.js';
import { RevisionFileError } from '../script/errors.js';
import type { StampPlan } from '../script/revision-map.js';
import type { MigrationStep, RevisionInfo, RevisionModule } from '../script/revision.js';
import { runWithExecutor } from './current-executor.js';
import { MigrationFailedError, OfflineModeError } from './errors.js';
import { type ExecutorHost, OfflineExecutor, OnlineExecutor, RestartWithoutForeignKeys, type ScriptTransaction } from './executor.js';
import { FOREIGN_KEY_SWITCHES, type ForeignKeySwitch, violationError } from './foreign-keys.js';
import { acquireMigrationLock, type MigrationLock, noLock } from './lock.js';
import { refuseReadOnlyServer } from './read-only-server.js';
import type { SqlSink } from './sql-sink.js';
import { TransactionControl } from './transaction-control.js';
import { type StepEvent, applyChange, describeStep, formatHeads, oneLine, sameHeads, stepLine, truncate } from './steps.js';
import { type VersionTable, VersionWriter } from './version-table.js';

export { stepLine, type StepEvent };

/** Where the runtime reports progress; the CLI prints it on stderr. */
export interface RunReporter {
  step?(event: StepEvent): void;
  /** Lines worth showing (waiting for the lock, env.ts status lines). */
  info?(line: string): void;
}

/** What a run does, beyond reading the version table. */
export type RunAction =
  /** Run migrations: the plan from the current heads. */
  | {
      readonly kind: 'migrate';
      readonly plan: (heads: readonly string[]) => readonly MigrationStep[];
      /** Loads the plan's revision modules, in order, before the first step runs. */
      readonly loadModules: (revisions: readonly RevisionInfo[]) => Promise<readonly RevisionModule[]>;
    }
  /** Rewrite the version table only (`stamp`); `purge` empties it first. */
  | { readonly kind: 'stamp'; readonly plan: (heads: readonly string[]) => StampPlan; readonly purge: boolean }
  /** Read the heads (`current`): no lock, nothing created. */
  | { readonly kind: 'read' }
  /**
   * Read the heads, then hand the connection to `run` (autogenerate, `check`): no lock, nothing created,
   * and whatever `run` did is rolled back.
   */
  | { readonly kind: 'inspect'; readonly run: (connection: Connection, found: InspectedDatabase) => Promise<void> }
  /** Create the version table if missing (`ensure-version`). */
  | { readonly kind: 'ensure' };

/** What an `inspect` action learns about the database before its work. */
export interface InspectedDatabase {
  /** The revisions the version table names (empty: base, or no version table). */
  readonly heads: readonly string[];
  /** The multidb database name, or null. */
  readonly database: string | null;
  /** The database's models (config `targetMetadata`). */
  readonly targetMetadata: MetaData | null;
}

/** A run's settings. */
export interface RunRequest {
  readonly action: RunAction;
  readonly versionTable: VersionTable;
  readonly transactionPerMigration: boolean;
  /** Seconds to wait for another run's lock. */
  readonly lockTimeout: number;
  /** The multidb database name passed to `upgrade(name)` / `downgrade(name)`; null for one database. */
  readonly databaseName: string | null;
  /** The database's models (config `targetMetadata`), lent to the operations. */
  readonly targetMetadata: MetaData | null;
  /** Offline: the revisions the script starts from (empty: base, and the version table is created). */
  readonly startingHeads: readonly string[];
  readonly reporter: RunReporter;
}

/** Where an online run connects. */
export interface OnlineTarget {
  readonly connection: Connection;
  /** Another connection to the same database, for the lock; null: the lock uses `connection`. */
  readonly openConnection: (() => Promise<Connection>) | null;
  /** What the lock is named after: the database and version table. */
  readonly lockKey: string;
  /** An in-memory SQLite database (nothing to lock). */
  readonly private: boolean;
}

/** What a run found and did. */
export interface RunOutcome {
  /** The version table's revisions before the run (or the offline starting point). */
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  /** Migrations run (or written). */
  readonly steps: number;
}

const SAVEPOINT = 'tsmig_migration';

/**
 * Runs a {@link RunRequest} on one database.
 *
 * @example
 * ```ts
 * const context = new MigrationContext(engine.dialect, request);
 * await engine.connect((connection) => context.runOnline({ connection, openConnection: () => engine.connect(), lockKey, private: false }));
 * ```
 */
export class MigrationContext {
  readonly dialect: Dialect;
  readonly request: RunRequest;
  readonly #foreignKeys: ForeignKeySwitch | null;

  constructor(dialect: Dialect, request: RunRequest) {
    this.dialect = dialect;
    this.request = request;
    this.#foreignKeys = FOREIGN_KEY_SWITCHES[dialect.name];
  }

  // -----------------------------------------------------------------------------------------------
  // Online

  async runOnline(target: OnlineTarget): Promise<RunOutcome> {
    const { action, versionTable, reporter } = this.request;
    const { connection } = target;
    const control = await TransactionControl.take(connection);
    let lock = noLock(control);
    let failed = false;
    try {
      if (action.kind !== 'read' && action.kind !== 'inspect') {
        await refuseReadOnlyServer(connection, target.lockKey.split(':')[0]!);
        lock = await acquireMigrationLock(this.dialect.name, {
          control,
          openConnection: target.openConnection,
          key: target.lockKey,
          versionTable,
          transactionPooled: connection.transactionPooled,
          timeoutSeconds: this.request.lockTimeout,
          onWait: (line) => reporter.info?.(line),
          private: target.private,
        });
      }
      // Read under the lock: another run may have just moved the heads.
      await lock.begin();
      const existed = await versionTable.exists(connection);
      const headsBefore = existed ? await versionTable.readHeads(connection) : [];
      if (action.kind === 'inspect') {
        await action.run(connection, { heads: headsBefore, database: this.request.databaseName, targetMetadata: this.request.targetMetadata });
      }
      if (action.kind === 'read' || action.kind === 'inspect') {
        await control.rollback();
        return { headsBefore, headsAfter: headsBefore, steps: 0 };
      }
      if (!existed) await connection.execute(versionTable.createDdl());
      if (action.kind === 'ensure') {
        await control.commit();
        return { headsBefore, headsAfter: headsBefore, steps: 0 };
      }
      if (action.kind === 'stamp') {
        const headsAfter = await this.#stampOnline(action, connection, headsBefore);
        await control.commit();
        return { headsBefore, headsAfter, steps: 0 };
      }
      if (this.request.transactionPerMigration) await control.commit();
      const deferred = !this.request.transactionPerMigration && this.dialect.capabilities.transactionalDdl;
      const versions = new VersionWriter(versionTable, connection, headsBefore, deferred);
      control.beforeCommit = () => versions.flush();
      let heads = headsBefore;
      let steps = action.plan(heads);
      let ran = 0;
      let modules = await action.loadModules(steps.map((s) => s.revision));
      for (let index = 0; index < steps.length; ) {
        const outcome = await this.#stepOnline(modules[index]!, steps[index]!, control, lock, heads, versions);
        heads = outcome.heads;
        if (outcome.moved) {
          versions.found(heads);
          reporter.info?.(`Another tsmig run moved ${versionTable.fullName} to ${formatHeads(heads)}; planning again from there`);
          steps = action.plan(heads);
          modules = await action.loadModules(steps.map((s) => s.revision));
          index = 0;
        } else {
          index += 1;
          ran += 1;
        }
      }
      await control.commit();
      return { headsBefore, headsAfter: heads, steps: ran };
    } catch (error) {
      failed = true;
      await control.rollback().catch(() => undefined);
      throw error;
    } finally {
      await lock.release();
      await control.release({ quiet: failed });
    }
  }

  async #stampOnline(action: Extract<RunAction, { kind: 'stamp' }>, connection: Connection, headsBefore: readonly string[]): Promise<string[]> {
    const { versionTable } = this.request;
    let heads = headsBefore;
    if (action.purge && heads.length > 0) {
      await connection.execute(versionTable.purgeStatement());
      heads = [];
    }
    const plan = action.plan(heads);
    this.#report('stamp', heads, plan.heads, '');
    await versionTable.apply(connection, plan.versionChange);
    return [...plan.heads];
  }

  /**
   * Runs one migration and its version-table change. Returns the heads after it, or, when the lock does
   * not span transactions (SQLite) and another run moved the heads meanwhile, the heads found and
   * `moved` (nothing of this step ran; the caller plans again).
   */
  async #stepOnline(
    module: RevisionModule,
    step: MigrationStep,
    control: TransactionControl,
    lock: MigrationLock,
    headsBefore: readonly string[],
    versions: VersionWriter,
  ): Promise<{ readonly heads: string[]; readonly moved: boolean }> {
    const { versionTable, transactionPerMigration: perMigration } = this.request;
    const work = this.#work(module, step);
    const switches = this.#foreignKeys;
    // One transaction for the run: a savepoint per migration lets one be run again with foreign keys off.
    const savepoint = !perMigration && switches !== null;
    /** Begins under the lock; the heads found when another run moved them from `expected`, else null. */
    const begin = async (expected: readonly string[]): Promise<string[] | null> => {
      await lock.begin();
      if (lock.spansTransactions) return null;
      const now = await versionTable.readHeads(control.connection);
      return sameHeads(now, expected) ? null : now;
    };
    let foreignKeysOff = false;
    let reported = false;
    const host: ExecutorHost = {
      targetMetadata: this.request.targetMetadata,
      foreignKeySwitch: switches,
      get foreignKeysOff() {
        return foreignKeysOff;
      },
    };
    for (;;) {
      if (perMigration) {
        const moved = await begin(headsBefore);
        if (moved !== null) {
          await control.rollback();
          if (foreignKeysOff) await control.run(switches!.on);
          return { heads: moved, moved: true };
        }
      }
      if (!reported) {
        this.#reportStep(step);
        reported = true;
      }
      if (savepoint && !foreignKeysOff) await control.run(`SAVEPOINT ${SAVEPOINT}`);
      const executor = new OnlineExecutor(this.dialect, control, host, () => lock.begin());
      try {
        await runMigration(executor, work);
        if (executor.restartRequested) throw new RestartWithoutForeignKeys();
        if (foreignKeysOff) {
          const rows = (await control.run(switches!.check)).all() as unknown as unknown[][];
          const violation = violationError(rows, step.revision.revision);
          if (violation !== null) throw violation;
        }
        const heads = applyChange(headsBefore, step.versionChange);
        await versions.moveTo(heads);
        if (savepoint && !foreignKeysOff) await control.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        if (perMigration || foreignKeysOff) await control.commit();
        if (foreignKeysOff) {
          await control.run(switches!.on);
          if (!perMigration) {
            const moved = await begin(heads);
            if (moved !== null) return { heads: moved, moved: true };
          }
        }
        return { heads, moved: false };
      } catch (error) {
        if (executor.restartRequested && !foreignKeysOff) {
          // Undo what the migration did so far, then run it again from the start with foreign keys
          // off, which only takes effect outside a transaction.
          if (savepoint) {
            await control.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
            await control.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
            await control.commit();
          } else await control.rollback();
          await control.run(switches!.off);
          foreignKeysOff = true;
          if (!perMigration) {
            const moved = await begin(headsBefore);
            if (moved !== null) {
              await control.rollback();
              await control.run(switches!.on);
              return { heads: moved, moved: true };
            }
          }
          continue;
        }
        await control.rollback().catch(() => undefined);
        if (foreignKeysOff) await control.run(switches!.on).catch(() => undefined);
        throw await this.#failure(step, executor, error, control);
      }
    }
  }

  /** The error for a failed migration, saying where the database stands (read back from the version table). */
  async #failure(step: MigrationStep, executor: OnlineExecutor, error: unknown, control: TransactionControl): Promise<TsmigError> {
    if (error instanceof MigrationFailedError) return error;
    let heads: readonly string[] | null = null;
    try {
      heads = await this.request.versionTable.readHeads(control.connection);
    } catch {
      // The connection may be what failed; say what is known.
    }
    const at = heads === null ? 'could not be read back' : `names ${formatHeads(heads)}`;
    const { what, revision } = describeStep(step);
    const cause = oneLine(error);
    const partial = !this.dialect.capabilities.transactionalDdl || executor.leftTransaction;
    let message: string;
    if (!partial) {
      message = this.request.transactionPerMigration
        ? `${what} failed and was rolled back: ${cause}. The version table ${at}.`
        : `${what} failed and the whole run was rolled back: ${cause}. Nothing of this run remains; \`tsmig current\` shows where the database is.`;
    } else {
      const why = this.dialect.capabilities.transactionalDdl
        ? 'its autocommit block committed part of it'
        : `${this.dialect.name} commits DDL as it runs`;
      const last = executor.lastStatementSql();
      const kept =
        last === null
          ? `no statement of ${revision} had run before the failing one`
          : `the statements of ${revision} before the failing one stay applied (the last: ${truncate(oneLine(last), 200)})`;
      message = `${what} failed: ${cause}. Because ${why}, ${kept}; the version table ${at}. Check the database before running the command again.`;
    }
    return new MigrationFailedError(message, { revision, currentHeads: heads ?? [], cause: error });
  }

  // -----------------------------------------------------------------------------------------------
  // Offline

  /** Writes the run as an SQL script: the same steps, statements compiled with literal values. */
  async runOffline(sink: SqlSink): Promise<RunOutcome> {
    const { action, versionTable, transactionPerMigration: perMigration, startingHeads } = this.request;
    const transaction: ScriptTransaction = { open: false };
    const script = new ScriptWriter(sink, transaction, this.dialect.capabilities.transactionalDdl);
    const create = startingHeads.length === 0;
    if (this.request.databaseName !== null) sink.comment(`tsmig: database ${this.request.databaseName}`);
    switch (action.kind) {
      case 'read':
        throw new OfflineModeError('Reading the current revision needs the database; this command has no --sql mode.');
      case 'inspect':
        throw new OfflineModeError('Comparing the models with the database needs the database; this command has no --sql mode.');
      case 'ensure':
        script.begin();
        for (const sql of this.dialect.compileDdl(versionTable.createDdl())) sink.statement(sql);
        script.commit();
        return { headsBefore: startingHeads, headsAfter: startingHeads, steps: 0 };
      case 'stamp': {
        script.begin();
        if (create) for (const sql of this.dialect.compileDdl(versionTable.createDdl())) sink.statement(sql);
        let heads = startingHeads;
        if (action.purge && heads.length > 0) {
          sink.statement(this.dialect.compile(versionTable.purgeStatement(), { literalBinds: true }).sql);
          heads = [];
        }
        const plan = action.plan(heads);
        this.#report('stamp', heads, plan.heads, '');
        for (const sql of versionTable.offlineStatements(this.dialect, plan.versionChange)) sink.statement(sql);
        script.commit();
        return { headsBefore: startingHeads, headsAfter: plan.heads, steps: 0 };
      }
      case 'migrate': {
        const steps = action.plan(startingHeads);
        if (create || !perMigration) script.begin();
        if (create) for (const sql of this.dialect.compileDdl(versionTable.createDdl())) sink.statement(sql);
        if (perMigration) script.commit();
        let heads = startingHeads;
        const modules = await action.loadModules(steps.map((s) => s.revision));
        for (let index = 0; index < steps.length; index++) heads = await this.#stepOffline(modules[index]!, steps[index]!, script, heads);
        script.commit();
        return { headsBefore: startingHeads, headsAfter: heads, steps: steps.length };
      }
    }
  }

  async #stepOffline(
    module: RevisionModule,
    step: MigrationStep,
    script: ScriptWriter,
    heads: readonly string[],
  ): Promise<string[]> {
    const { sink } = script;
    const perMigration = this.request.transactionPerMigration;
    const work = this.#work(module, step);
    this.#reportStep(step);
    const switches = this.#foreignKeys;
    const openAtStart = script.transaction.open;
    let foreignKeysOff = false;
    const host: ExecutorHost = {
      targetMetadata: this.request.targetMetadata,
      foreignKeySwitch: switches,
      get foreignKeysOff() {
        return foreignKeysOff;
      },
    };
    // Held until the migration is written in full: one that asks for foreign keys off is written again.
    sink.hold();
    try {
      for (;;) {
        if (foreignKeysOff) {
          script.commit();
          sink.statement(switches!.off);
          if (!perMigration) script.begin();
        }
        if (perMigration) script.begin();
        sink.comment(stepLine(this.#event(step)));
        const executor = new OfflineExecutor(this.dialect, sink, script.transaction, host);
        try {
          await runMigration(executor, work);
        } catch (error) {
          if (!executor.restartRequested) {
            const { what } = describeStep(step);
            throw new MigrationFailedError(`Writing the SQL of ${what} failed: ${oneLine(error)}`, {
              revision: step.revision.revision,
              currentHeads: heads,
              cause: error,
            });
          }
        }
        if (executor.restartRequested && !foreignKeysOff) {
          sink.discard();
          script.transaction.open = openAtStart;
          foreignKeysOff = true;
          continue;
        }
        if (foreignKeysOff) {
          sink.comment('tsmig: must return no rows (rows that break a foreign key after the table rebuild)');
          sink.statement(switches!.check);
        }
        for (const sql of this.request.versionTable.offlineStatements(this.dialect, step.versionChange)) sink.statement(sql);
        if (perMigration || foreignKeysOff) script.commit();
        if (foreignKeysOff) {
          sink.statement(switches!.on);
          if (!perMigration) script.begin();
        }
        sink.release();
        return applyChange(heads, step.versionChange);
      }
    } catch (error) {
      sink.discard();
      sink.release();
      throw error;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Shared

  /** The migration's upgrade() or downgrade(), bound to the database name in a multidb project. */
  #work(module: RevisionModule, step: MigrationStep): () => Promise<void> {
    const name = step.direction === 'up' ? 'upgrade' : 'downgrade';
    const fn = (module as unknown as Record<string, unknown>)[name];
    if (typeof fn !== 'function') {
      const file = step.revision.path || step.revision.revision;
      throw new RevisionFileError(step.revision.path, `Revision file ${file} exports no ${name}() function.`);
    }
    const database = this.request.databaseName;
    return async () => {
      await (fn as (database?: string) => Promise<void>).call(module, ...(database === null ? [] : [database]));
    };
  }

  #event(step: MigrationStep): StepEvent {
    const { revision } = step.revision;
    const below = step.revision.downRevisions;
    return step.direction === 'up'
      ? { kind: 'upgrade', from: below, to: [revision], message: step.revision.message, database: this.request.databaseName }
      : { kind: 'downgrade', from: [revision], to: below, message: step.revision.message, database: this.request.databaseName };
  }

  #reportStep(step: MigrationStep): void {
    this.request.reporter.step?.(this.#event(step));
  }

  #report(kind: StepEvent['kind'], from: readonly string[], to: readonly string[], message: string): void {
    this.request.reporter.step?.({ kind, from, to, message, database: this.request.databaseName });
  }
}

/**
 * Runs a migration's upgrade() or downgrade() with `executor` as the current one, then waits for the
 * operations it queued: a failure it did not await still fails it, and nothing of it runs after the
 * runtime commits or rolls back.
 */
async function runMigration(executor: MigrationExecutor, work: () => Promise<void>): Promise<void> {
  let failure: { error: unknown } | null = null;
  try {
    await runWithExecutor(executor, work);
  } catch (error) {
    failure = { error };
  }
  try {
    await settleOperations(executor);
  } catch (error) {
    failure ??= { error };
  }
  if (failure !== null) throw failure.error;
}

/** BEGIN / COMMIT in an offline script, where the dialect's DDL is transactional (elsewhere neither is written). */
class ScriptWriter {
  constructor(
    readonly sink: SqlSink,
    readonly transaction: ScriptTransaction,
    readonly transactional: boolean,
  ) {}

  begin(): void {
    if (!this.transactional || this.transaction.open) return;
    this.sink.statement('BEGIN');
    this.transaction.open = true;
  }

  commit(): void {
    if (!this.transaction.open) return;
    this.sink.statement('COMMIT');
    this.transaction.open = false;
  }
}
