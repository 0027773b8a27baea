/**
 * The migration context runs one command's plan against one database: online on a connection (lock,
 * version table, one transaction per migration or one for the run, failure reporting), or offline into
 * an SQL script through the very same steps. It knows no files and no CLI: the plan, the revision
 * modules and the reporting come in from `migrate/commands`.
 */
import type { Dialect } from '../../dialects/dialect.js';
import { randomUUID } from 'node:crypto';
import { catalogQuery } from '../../engine/catalog-query.js';
import type { Connection } from '../../engine/connection.js';
import { text } from '../../sql/elements/text.js';
import { TsmigError } from '../../errors.js';
import type { MetaData } from '../../schema/metadata.js';
import { implFor } from '../impl/index.js';
import { RevisionFileError } from '../script/errors.js';
import type { StampPlan } from '../script/revision-map.js';
import type { MigrationStep, RevisionInfo, RevisionModule } from '../script/revision.js';
import { runMigrationWork } from './current-executor.js';
import { InterruptedError, MigrationFailedError, OfflineModeError } from './errors.js';
import { type ExecutorHost, OfflineExecutor, OnlineExecutor, RestartWithoutForeignKeys, type ScriptTransaction } from './executor.js';
import { FOREIGN_KEY_SWITCHES, type ForeignKeySwitch, violationError } from './foreign-keys.js';
import { interruptSignal, onInterrupt } from './interrupt.js';
import { acquireMigrationLock, type MigrationLock, noLock, processLabel } from './lock.js';
import { refuseReadOnlyServer } from './read-only-server.js';
import { RunJournal, UnfinishedRunError } from './run-journal.js';
import { type DataLossPolicy, dataLossCheck } from './data-loss.js';
import { ModifiedRevisionError, type ModifiedRevision, type RevisionHistory, type RevisionLedger, describeModified } from './revision-history.js';
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
  /** Applied revisions whose file changed since they ran (only reported with `allowModified`). */
  readonly modified: readonly ModifiedRevision[];
}

/** The history table of a run and what it needs of the revision files. */
export interface HistoryRequest {
  readonly table: RevisionHistory;
  readonly ledger: RevisionLedger;
  /** Go on (with a warning) when an applied revision's file changed since it ran. */
  readonly allowModified: boolean;
}

/** A run's settings. */
export interface RunRequest {
  readonly action: RunAction;
  readonly versionTable: VersionTable;
  readonly transactionPerMigration: boolean;
  /** Seconds to wait for another run's lock. */
  readonly lockTimeout: number;
  /** MySQL: what a data-loss warning of a migration's statement does (default 'error'). */
  readonly dataLossWarnings?: DataLossPolicy;
  /** The multidb database name passed to `upgrade(name)` / `downgrade(name)`; null for one database. */
  readonly databaseName: string | null;
  /** The database's models (config `targetMetadata`), lent to the operations. */
  readonly targetMetadata: MetaData | null;
  /** Offline: the revisions the script starts from (empty: base, and the version table is created). */
  readonly startingHeads: readonly string[];
  readonly reporter: RunReporter;
  /** Keep the history table (checksums of applied revisions); absent for revisions built in memory. */
  readonly history?: HistoryRequest;
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
  /** Applied revisions whose file changed since they ran (the run went on: `allowModified`). */
  readonly modified: readonly ModifiedRevision[];
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
  /** Where the migration about to run is in the run, for the progress line. */
  #position: { index: number; total: number } | null = null;

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
    const stopCancelling = onInterrupt(() => cancelStatement(connection, target.openConnection));
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
      const history = this.request.history ?? null;
      const tables = await connection.dialect.reflection.tableNames(catalogQuery(connection), versionTable.schema);
      const existed = tables.includes(versionTable.name);
      const headsBefore = existed ? await versionTable.readHeads(connection) : [];
      const historyExisted = history !== null && tables.includes(history.table.name);
      let modified: readonly ModifiedRevision[] = [];
      if (history !== null && action.kind !== 'read') {
        if (historyExisted) {
          history.table.load(await history.table.read(connection));
          // A stamp rewrites the record instead of building on it (`stamp --purge` accepts edited files).
          if (action.kind === 'migrate' || action.kind === 'inspect') modified = this.#checkModified(history, headsBefore);
        }
      }
      if (action.kind === 'inspect') {
        await action.run(connection, { heads: headsBefore, database: this.request.databaseName, targetMetadata: this.request.targetMetadata, modified });
      }
      if (action.kind === 'read' || action.kind === 'inspect') {
        await control.rollback();
        return { headsBefore, headsAfter: headsBefore, steps: 0, modified };
      }
      // Where DDL commits as it runs, a run that died mid-migration left its record: settle it first.
      const journal = this.dialect.capabilities.transactionalDdl ? null : new RunJournal(connection, versionTable, `${processLabel()} run ${randomUUID().slice(0, 8)}`);
      const journalExisted = journal !== null && tables.includes(journal.name);
      if (journal !== null && journalExisted && action.kind === 'migrate') {
        const unfinished = await journal.read();
        // After a DDL statement MySQL runs in autocommit, so the version change may have committed
        // without the record's DELETE: a step the version table already shows is done.
        if (unfinished !== null && sameHeads(unfinished.headsAfter, headsBefore) && !sameHeads(unfinished.headsBefore, headsBefore)) await journal.clear();
        else if (unfinished !== null) throw new UnfinishedRunError(unfinished, versionTable.fullName, journal.fullName);
      }
      // The plan's revisions compile before anything is written, even the version table (which MySQL
      // would keep after a failure, its DDL committing at once).
      let steps = action.kind === 'migrate' ? action.plan(headsBefore) : [];
      let modules = action.kind === 'migrate' ? await action.loadModules(steps.map((s) => s.revision)) : [];
      if (!existed) await connection.execute(versionTable.createDdl());
      if (history !== null) {
        if (!historyExisted) await connection.execute(history.table.createDdl());
        // A database that ran revisions before it had the table (or by Alembic) gets rows for them now.
        history.table.reconcile(history.ledger.applied(headsBefore), history.ledger);
        // The queued rows go out with whichever commit comes next.
        control.beforeCommit = () => this.#flushHistory(control);
      }
      if (action.kind === 'ensure') {
        await control.commit();
        return { headsBefore, headsAfter: headsBefore, steps: 0, modified };
      }
      if (action.kind === 'stamp') {
        if (journal !== null && journalExisted) {
          const unfinished = await journal.read();
          if (unfinished !== null) {
            await journal.clear();
            reporter.info?.(`Cleared the record of the run that stopped during ${unfinished.step} (${journal.fullName})`);
          }
        }
        const headsAfter = await this.#stampOnline(action, connection, headsBefore);
        await control.commit();
        return { headsBefore, headsAfter, steps: 0, modified };
      }
      if (journal !== null && !journalExisted && steps.length > 0) await journal.create();
      if (this.request.transactionPerMigration) await control.commit();
      const deferred = !this.request.transactionPerMigration && this.dialect.capabilities.transactionalDdl;
      const versions = new VersionWriter(versionTable, connection, deferred);
      control.beforeCommit = async () => {
        await versions.flush();
        await this.#flushHistory(control);
      };
      let heads = headsBefore;
      let ran = 0;
      for (let index = 0; index < steps.length; ) {
        this.#position = { index: ran + 1, total: ran + steps.length - index };
        // Under a lock that spans transactions, a migration's commit begins the next one's transaction.
        const chain = this.request.transactionPerMigration && lock.spansTransactions && this.dialect.capabilities.commitAndChain && index < steps.length - 1;
        const outcome = await this.#stepOnline(modules[index]!, steps[index]!, control, lock, heads, versions, journal, chain);
        heads = outcome.heads;
        if (outcome.moved) {
          versions.found();
          reporter.info?.(`Another tsmig run moved ${versionTable.fullName} to ${formatHeads(heads)}; planning again from there`);
          // That run wrote its history rows too (ours were written with our last commit).
          if (history !== null) history.table.load(await history.table.read(connection));
          steps = action.plan(heads);
          modules = await action.loadModules(steps.map((s) => s.revision));
          index = 0;
        } else {
          index += 1;
          ran += 1;
        }
      }
      if (deferred && steps.length > 0) await this.#flushDeferred(versions, steps[steps.length - 1]!, headsBefore);
      await control.commit();
      return { headsBefore, headsAfter: heads, steps: ran, modified };
    } catch (error) {
      failed = true;
      await control.rollback().catch(() => undefined);
      const signal = interruptSignal();
      if (signal !== null) throw await this.#interrupted(signal, connection, error);
      throw error;
    } finally {
      stopCancelling();
      await lock.release();
      await control.release({ quiet: failed });
    }
  }

  /** Writes a one-transaction run's version changes; a table that does not match the plan fails the whole run. */
  async #flushDeferred(versions: VersionWriter, last: MigrationStep, headsBefore: readonly string[]): Promise<void> {
    try {
      await versions.flush();
    } catch (error) {
      const { versionTable } = this.request;
      throw new MigrationFailedError(`Recording the run in ${versionTable.fullName} failed and the whole run was rolled back: ${oneLine(error)}`, {
        revision: describeStep(last).revision,
        currentHeads: [...headsBefore],
        cause: error,
      });
    }
  }

  /** After a signal and the rollback: where the version table stands, as one line. */
  async #interrupted(signal: NodeJS.Signals, connection: Connection, cause: unknown): Promise<InterruptedError> {
    const { versionTable } = this.request;
    const heads = await versionTable
      .exists(connection)
      .then((exists) => (exists ? versionTable.readHeads(connection) : []))
      .catch(() => null);
    // SQLite runs a statement in this process: the signal is handled once it ends.
    const stopped = connection.cancelStatement === null ? 'after its running statement' : '(the server cancelled its statement)';
    const where = heads === null ? `${versionTable.fullName} could not be read; run \`tsmig current\`` : `${versionTable.fullName} is at ${formatHeads(heads)}`;
    return new InterruptedError(signal, `Interrupted by ${signal}: the run stopped ${stopped} and rolled back, the lock released; ${where}.`, {
      currentHeads: heads,
      cause,
    });
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
    this.#stampHistory(plan.heads, action.purge);
    return [...plan.heads];
  }

  /**
   * The applied revisions whose files changed since they ran: an error unless the request allows them,
   * then a warning line.
   */
  #checkModified(history: HistoryRequest, heads: readonly string[]): readonly ModifiedRevision[] {
    const modified = history.table.modified(history.ledger.applied(heads), history.ledger);
    if (modified.length === 0) return modified;
    if (!history.allowModified) throw new ModifiedRevisionError(modified, history.table.fullName);
    this.request.reporter.info?.(`warning: ${describeModified(modified, history.table.fullName)}; going on (--allow-modified).`);
    return modified;
  }

  /** After a stamp the history names exactly the revisions the new heads imply; `purge` records them all afresh. */
  #stampHistory(heads: readonly string[], purge: boolean): void {
    const history = this.request.history;
    history?.table.reconcile(history.ledger.applied(heads), history.ledger, { rerecord: purge });
  }

  /** What the step did to the set of applied revisions, queued for the history table. */
  #recordStep(step: MigrationStep): void {
    const history = this.request.history;
    if (history === undefined) return;
    if (step.direction === 'up') history.table.ran(step.revision.revision, history.ledger);
    else history.table.undone(step.revision.revision);
  }

  async #flushHistory(control: TransactionControl): Promise<void> {
    const history = this.request.history;
    if (history !== undefined && history.table.hasPending) await history.table.flush(control.connection);
  }

  /**
   * Runs one migration and its version-table change. Returns the heads after it, or, when the lock does
   * not span transactions (SQLite) and another run moved the heads meanwhile, the heads found and
   * `moved` (nothing of this step ran; the caller plans again). With `chain`, its commit also begins the
   * next migration's transaction.
   */
  async #stepOnline(
    module: RevisionModule,
    step: MigrationStep,
    control: TransactionControl,
    lock: MigrationLock,
    headsBefore: readonly string[],
    versions: VersionWriter,
    journal: RunJournal | null,
    chain: boolean,
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
      const executor = new OnlineExecutor(this.dialect, control, host, () => lock.begin(), {
        beforeStatement: journal === null ? null : (n, sql, previous) => journal.statement(n, sql, previous),
        // Only MySQL reports warnings; a data-loss one fails the migration unless the config says warn.
        checkWarnings: dataLossCheck(control.connection, this.request.dataLossWarnings ?? 'error', (line) => this.request.reporter.info?.(line)),
      });
      try {
        journal?.begin({
          step: describeStep(step).what,
          revision: step.revision.revision,
          direction: step.direction,
          headsBefore,
          headsAfter: applyChange(headsBefore, step.versionChange),
        });
        await runMigrationWork(executor, work);
        if (executor.restartRequested) throw new RestartWithoutForeignKeys();
        if (foreignKeysOff) {
          const rows = (await control.run(switches!.check)).all() as unknown as unknown[][];
          const violation = violationError(rows, step.revision.revision);
          if (violation !== null) throw violation;
        }
        await versions.record(step.versionChange);
        // In the transaction of the version change: the record goes exactly when the step is recorded.
        await journal?.end();
        const heads = applyChange(headsBefore, step.versionChange);
        this.#recordStep(step);
        // Where DDL commits as it runs, the next migration's DDL would commit this version change without
        // its history row, so the row is written now (one statement more per migration, MySQL only).
        if (!this.dialect.capabilities.transactionalDdl) await this.#flushHistory(control);
        if (savepoint && !foreignKeysOff) await control.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        if (perMigration || foreignKeysOff) await control.commit({ chain: chain && !foreignKeysOff });
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
        // This run reports the failure itself; the record is for a run that dies without a word.
        await journal?.end().catch(() => undefined);
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
    if (action.kind !== 'read' && action.kind !== 'inspect') for (const sql of implFor(this.dialect.name).scriptPreamble) sink.statement(sql);
    switch (action.kind) {
      case 'read':
        throw new OfflineModeError('Reading the current revision needs the database; this command has no --sql mode.');
      case 'inspect':
        throw new OfflineModeError('Comparing the models with the database needs the database; this command has no --sql mode.');
      case 'ensure':
        script.begin();
        for (const sql of this.dialect.compileDdl(versionTable.createDdl())) sink.statement(sql);
        this.#createHistoryOffline(sink, false);
        script.commit();
        return { headsBefore: startingHeads, headsAfter: startingHeads, steps: 0, modified: [] };
      case 'stamp': {
        script.begin();
        if (create) for (const sql of this.dialect.compileDdl(versionTable.createDdl())) sink.statement(sql);
        this.#createHistoryOffline(sink, !create);
        let heads = startingHeads;
        // The script cannot see what the table holds, so --purge always empties it.
        if (action.purge) {
          sink.statement(this.dialect.compile(versionTable.purgeStatement(), { literalBinds: true }).sql);
          heads = [];
        }
        const plan = action.plan(heads);
        this.#report('stamp', heads, plan.heads, '');
        for (const sql of versionTable.offlineStatements(this.dialect, plan.versionChange)) sink.statement(sql);
        this.#stampHistory(plan.heads, action.purge);
        this.#historyOffline(sink);
        script.commit();
        return { headsBefore: startingHeads, headsAfter: plan.heads, steps: 0, modified: [] };
      }
      case 'migrate': {
        const steps = action.plan(startingHeads);
        if (create || !perMigration || this.request.history !== undefined) script.begin();
        if (create) for (const sql of this.dialect.compileDdl(versionTable.createDdl())) sink.statement(sql);
        this.#createHistoryOffline(sink, !create);
        if (perMigration) script.commit();
        let heads = startingHeads;
        const modules = await action.loadModules(steps.map((s) => s.revision));
        for (let index = 0; index < steps.length; index++) {
          this.#position = { index: index + 1, total: steps.length };
          heads = await this.#stepOffline(modules[index]!, steps[index]!, script, heads);
        }
        script.commit();
        return { headsBefore: startingHeads, headsAfter: heads, steps: steps.length, modified: [] };
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
          await runMigrationWork(executor, work);
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
        this.#recordStep(step);
        this.#historyOffline(sink);
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

  /**
   * The history table's CREATE TABLE (IF NOT EXISTS when the script starts from revisions, whose
   * database may predate the table); the script assumes it holds the starting revisions' rows.
   */
  #createHistoryOffline(sink: SqlSink, ifNotExists: boolean): void {
    const history = this.request.history;
    if (history === undefined) return;
    for (const sql of this.dialect.compileDdl(history.table.createDdl({ ifNotExists }))) sink.statement(sql);
    history.table.assume(history.ledger.applied(this.request.startingHeads), history.ledger);
  }

  #historyOffline(sink: SqlSink): void {
    const history = this.request.history;
    if (history !== undefined) for (const sql of history.table.offlineStatements(this.dialect)) sink.statement(sql);
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
    const position = this.#position === null ? {} : { position: this.#position };
    return step.direction === 'up'
      ? { kind: 'upgrade', from: below, to: [revision], message: step.revision.message, database: this.request.databaseName, ...position }
      : { kind: 'downgrade', from: [revision], to: below, message: step.revision.message, database: this.request.databaseName, ...position };
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

/** Sends the connection's cancel statement (if its database has one) on a connection of its own. */
async function cancelStatement(connection: Connection, openConnection: (() => Promise<Connection>) | null): Promise<void> {
  const sql = connection.cancelStatement;
  if (sql === null || openConnection === null) return;
  const other = await openConnection();
  try {
    await other.execute(text(sql));
  } finally {
    await other.close();
  }
}
