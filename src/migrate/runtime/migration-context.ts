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
import { RevisionFileError } from '../script/errors.js';
import type { StampPlan } from '../script/revision-map.js';
import type { MigrationStep, RevisionInfo, RevisionModule } from '../script/revision.js';
import { runWithExecutor } from './current-executor.js';
import { MigrationFailedError, OfflineModeError } from './errors.js';
import { type ExecutorHost, OfflineExecutor, OnlineExecutor, RestartWithoutForeignKeys, type ScriptTransaction } from './executor.js';
import { FOREIGN_KEY_SWITCHES, type ForeignKeySwitch, violationError } from './foreign-keys.js';
import { acquireMigrationLock, type MigrationLock } from './lock.js';
import type { SqlSink } from './sql-sink.js';
import { TransactionControl } from './transaction-control.js';
import type { VersionChange, VersionTable } from './version-table.js';

/** One line of progress: a migration about to run, or a stamp. */
export interface StepEvent {
  readonly kind: 'upgrade' | 'downgrade' | 'stamp';
  /** The revisions before the step (empty: base). */
  readonly from: readonly string[];
  /** The revisions after it (empty: base). */
  readonly to: readonly string[];
  readonly message: string;
  /** The database of a multidb project, or null. */
  readonly database: string | null;
}

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
      readonly loadModule: (revision: RevisionInfo) => Promise<RevisionModule>;
    }
  /** Rewrite the version table only (`stamp`); `purge` empties it first. */
  | { readonly kind: 'stamp'; readonly plan: (heads: readonly string[]) => StampPlan; readonly purge: boolean }
  /** Read the heads (`current`): no lock, nothing created. */
  | { readonly kind: 'read' }
  /** Create the version table if missing (`ensure-version`). */
  | { readonly kind: 'ensure' };

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
    let lock: MigrationLock | null = null;
    let failed = false;
    try {
      if (action.kind !== 'read') {
        lock = await acquireMigrationLock(this.dialect.name, {
          control,
          openConnection: target.openConnection,
          key: target.lockKey,
          timeoutSeconds: this.request.lockTimeout,
          onWait: (line) => reporter.info?.(line),
          private: target.private,
        });
      }
      // Read after the lock is held: another run may have just moved the heads.
      await control.begin();
      const existed = await versionTable.exists(connection);
      const headsBefore = existed ? await versionTable.readHeads(connection) : [];
      if (action.kind === 'read') {
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
      const steps = action.plan(headsBefore);
      if (this.request.transactionPerMigration) await control.commit();
      let heads = headsBefore;
      for (const step of steps) heads = await this.#stepOnline(action, step, control, heads);
      await control.commit();
      return { headsBefore, headsAfter: heads, steps: steps.length };
    } catch (error) {
      failed = true;
      await control.rollback().catch(() => undefined);
      throw error;
    } finally {
      await lock?.release();
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

  async #stepOnline(
    action: Extract<RunAction, { kind: 'migrate' }>,
    step: MigrationStep,
    control: TransactionControl,
    heads: readonly string[],
  ): Promise<string[]> {
    const { versionTable, transactionPerMigration: perMigration } = this.request;
    const work = await this.#work(action, step);
    this.#reportStep(step);
    const switches = this.#foreignKeys;
    // One transaction for the run: a savepoint per migration lets one be run again with foreign keys off.
    const savepoint = !perMigration && switches !== null;
    let foreignKeysOff = false;
    const host: ExecutorHost = {
      targetMetadata: this.request.targetMetadata,
      foreignKeySwitch: switches,
      get foreignKeysOff() {
        return foreignKeysOff;
      },
      switchForeignKeysOff: async () => {
        // Nothing of the migration has run: end the (empty) transaction, switch, begin again.
        await control.commit();
        await control.run(switches!.off);
        await control.begin();
        foreignKeysOff = true;
      },
    };
    for (;;) {
      if (perMigration) await control.begin();
      if (savepoint && !foreignKeysOff) await control.run(`SAVEPOINT ${SAVEPOINT}`);
      const executor = new OnlineExecutor(this.dialect, control, host);
      try {
        await runWithExecutor(executor, work);
        if (executor.restartRequested) throw new RestartWithoutForeignKeys();
        if (foreignKeysOff) {
          const rows = (await control.run(switches!.check)).all() as unknown as unknown[][];
          const violation = violationError(rows, step.revision.revision);
          if (violation !== null) throw violation;
        }
        await versionTable.apply(control.connection, step.versionChange);
        if (savepoint && !foreignKeysOff) await control.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        if (perMigration || foreignKeysOff) await control.commit();
        if (foreignKeysOff) {
          await control.run(switches!.on);
          if (!perMigration) await control.begin();
        }
        return applyChange(heads, step.versionChange);
      } catch (error) {
        if (executor.restartRequested && !foreignKeysOff) {
          // Undo what the migration did so far, then run it again from the start with foreign keys off.
          if (savepoint) {
            await control.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
            await control.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
            await control.commit();
          } else await control.rollback();
          await control.run(switches!.off);
          if (!perMigration) await control.begin();
          foreignKeysOff = true;
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
      const undone = this.request.transactionPerMigration ? 'was rolled back' : 'the whole run was rolled back (transactionPerMigration is off)';
      message = `${what} failed and ${undone}: ${cause}. The version table ${at}.`;
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
        for (const step of steps) heads = await this.#stepOffline(action, step, script, heads);
        script.commit();
        return { headsBefore: startingHeads, headsAfter: heads, steps: steps.length };
      }
    }
  }

  async #stepOffline(
    action: Extract<RunAction, { kind: 'migrate' }>,
    step: MigrationStep,
    script: ScriptWriter,
    heads: readonly string[],
  ): Promise<string[]> {
    const { sink } = script;
    const perMigration = this.request.transactionPerMigration;
    const work = await this.#work(action, step);
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
      switchForeignKeysOff: () => Promise.reject(new Error('offline migrations are written again instead')),
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
          await runWithExecutor(executor, work);
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
  async #work(action: Extract<RunAction, { kind: 'migrate' }>, step: MigrationStep): Promise<() => Promise<void>> {
    const module = await action.loadModule(step.revision);
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

/**
 * `Running upgrade a1b2c3 -> d4e5f6, add movies`: the stable shape of progress lines (STYLE §6), also
 * written as a comment into offline scripts.
 */
export function stepLine(event: StepEvent): string {
  const verb = event.kind === 'stamp' ? 'stamp' : event.kind;
  const from = event.from.length === 0 ? 'base' : event.from.join(', ');
  const to = event.to.length === 0 ? 'base' : event.to.join(', ');
  return `Running ${verb} ${from} -> ${to}${event.message === '' ? '' : `, ${event.message}`}`;
}

/** The heads after a version change. */
export function applyChange(heads: readonly string[], change: VersionChange): string[] {
  let next = heads.filter((h) => !change.delete.includes(h));
  if (change.update !== null) {
    const [from, to] = change.update;
    next = next.map((h) => (h === from ? to : h));
  }
  return [...next, ...change.insert];
}

function describeStep(step: MigrationStep): { what: string; revision: string } {
  const { revision, downRevisions, message } = step.revision;
  const below = downRevisions.length === 0 ? 'base' : downRevisions.join(', ');
  const arrow = step.direction === 'up' ? `Upgrade ${below} -> ${revision}` : `Downgrade ${revision} -> ${below}`;
  return { what: `${arrow}${message === '' ? '' : ` (${message})`}`, revision };
}

function formatHeads(heads: readonly string[]): string {
  return heads.length === 0 ? 'no revision (base)' : heads.join(', ');
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
