/**
 * The run journal of a database whose DDL commits as it runs (MySQL, MariaDB): `<version table>_journal`
 * holds one row while a migration runs, naming the run, the step, and the statement it has started.
 * A failed statement is reported by the run itself (migration-context.ts); the journal is for the run
 * that cannot report, because its process died (kill -9, a lost machine) while the server went on with
 * its statement. The server keeps the migration lock until that statement has ended (lock.ts), and
 * the next run then finds the row and stops with what to repair, instead of applying the revision
 * again on top of its half.
 *
 * The row is written on the migration connection before each statement that may commit (DDL, or SQL
 * text that is not plain DML): MySQL commits what came before a DDL statement, the journal's update
 * included. So the row that survives a kill says which of those statements were committed: the ones
 * before the one it names; that one may have run or not. Plain DML gets no write of its own (inside a
 * transaction a kill rolls it back; after a DDL statement MySQL autocommits each one, and the message
 * names the statement that may commit before it), so a data migration of many statements costs
 * nothing more; a step pays one round trip per statement that may commit, and one DELETE after its
 * version change. A kill between that change and the DELETE leaves a record of a step the version
 * table shows as done; the next run recognises it and clears it.
 */
import type { Connection } from '../../engine/connection.js';
import { TsmigError } from '../../errors.js';
import { text } from '../../sql/elements/text.js';
import { formatHeads, truncate } from './steps.js';
import { journalTableName } from './version-table.js';


/** What the journal says about a run that stopped halfway through a migration. */
export interface UnfinishedRun {
  /** `tsmig pid 4242 on build-3 run 1a2b3c4d`. */
  readonly holder: string;
  /** `Upgrade a1 -> b2 (add email)`. */
  readonly step: string;
  readonly revision: string;
  readonly direction: 'up' | 'down';
  /** The version table before the step, and what it would name after it. */
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  /** The statement the run had started (1 = the migration's first); 0: none yet. */
  readonly statementNumber: number;
  readonly statement: string | null;
  /** The statement before it, which the server completed. */
  readonly lastApplied: string | null;
  /** `2026-12-07 15:04:05` (UTC). */
  readonly startedAt: string;
}

/** The step a run starts, as the journal records it. */
export interface StepRecord {
  readonly step: string;
  readonly revision: string;
  readonly direction: 'up' | 'down';
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
}

/** The longest statement text the journal keeps. */
const STATEMENT_CHARS = 4000;

/** The journal of one version table, written on the migration connection. */
export class RunJournal {
  readonly name: string;
  readonly schema: string | null;
  readonly #connection: Connection;
  readonly #table: string;
  readonly #holder: string;
  #step: StepRecord | null = null;
  /** Whether the current step's row was written (its first statement that may commit). */
  #written = false;

  constructor(connection: Connection, versionTable: { readonly name: string; readonly schema: string | null }, holder: string) {
    this.#connection = connection;
    this.name = journalTableName(versionTable.name);
    this.schema = versionTable.schema;
    this.#holder = holder;
    const q = (name: string) => connection.dialect.quoteIdentifier(name);
    this.#table = `${this.schema === null ? '' : `${q(this.schema)}.`}${q(this.name)}`;
  }

  /** `schema.name` or `name`, for messages. */
  get fullName(): string {
    return this.schema === null ? this.name : `${this.schema}.${this.name}`;
  }

  async create(): Promise<void> {
    await this.#run(
      `CREATE TABLE IF NOT EXISTS ${this.#table} (holder VARCHAR(255) NOT NULL PRIMARY KEY, step VARCHAR(1000) NOT NULL, ` +
        'revision VARCHAR(255) NOT NULL, direction VARCHAR(4) NOT NULL, heads_before TEXT NOT NULL, heads_after TEXT NOT NULL, ' +
        'statement_number INTEGER NOT NULL, statement TEXT, last_applied TEXT, started_at DATETIME(6) NOT NULL) ENGINE=InnoDB',
    );
  }

  /** The run that stopped halfway, or null. */
  async read(): Promise<UnfinishedRun | null> {
    const row = (
      await this.#connection.execute(
        text(
          `SELECT holder, step, revision, direction, heads_before, heads_after, statement_number, statement, last_applied, ` +
            `DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s') FROM ${this.#table} ORDER BY started_at LIMIT 1`,
        ),
      )
    ).all()[0] as unknown as [string, string, string, string, string, string, number | bigint | string, string | null, string | null, string] | undefined;
    if (row === undefined) return null;
    const heads = (list: string) => list.split(' ').filter((h) => h !== '');
    return {
      holder: row[0],
      step: row[1],
      revision: row[2],
      direction: row[3] === 'down' ? 'down' : 'up',
      headsBefore: heads(row[4]),
      headsAfter: heads(row[5]),
      statementNumber: Number(row[6]),
      statement: row[7],
      lastApplied: row[8],
      startedAt: row[9],
    };
  }

  /**
   * A step begins. Nothing is written yet: a step whose statements all stay inside its transaction
   * (DML) needs no record, since a kill rolls them back with the transaction.
   */
  begin(step: StepRecord): void {
    this.#step = step;
    this.#written = false;
  }

  /**
   * The step starts its statement `n` (1 = the first), one that may commit: DDL, or SQL text that is
   * not plain DML. `previous` is the statement before it, which the server completed.
   */
  async statement(n: number, sql: string, previous: string | null): Promise<void> {
    const step = this.#step;
    if (step === null) return;
    const values = { holder: this.#holder, n, sql: truncate(sql, STATEMENT_CHARS), previous: previous === null ? null : truncate(previous, STATEMENT_CHARS) };
    if (this.#written) {
      await this.#run(`UPDATE ${this.#table} SET statement_number = :n, statement = :sql, last_applied = :previous WHERE holder = :holder`, values);
      return;
    }
    await this.#run(
      `REPLACE INTO ${this.#table} (holder, step, revision, direction, heads_before, heads_after, statement_number, statement, last_applied, started_at) ` +
        'VALUES (:holder, :step, :revision, :direction, :before, :after, :n, :sql, :previous, UTC_TIMESTAMP(6))',
      {
        ...values,
        step: truncate(step.step, 990),
        revision: step.revision,
        direction: step.direction,
        before: step.headsBefore.join(' '),
        after: step.headsAfter.join(' '),
      },
    );
    this.#written = true;
  }

  /** The step is done (in the transaction of its version change) or failed and reported: its record goes. */
  async end(): Promise<void> {
    this.#step = null;
    if (!this.#written) return;
    this.#written = false;
    await this.clear();
  }

  /** Every record goes (`stamp` settled what a dead run left). */
  async clear(): Promise<void> {
    await this.#run(`DELETE FROM ${this.#table}`);
  }

  async #run(sql: string, params?: Record<string, unknown>): Promise<void> {
    await this.#connection.execute(text(sql), params);
  }
}

/** `tsmig stamp b2`; several heads (or from several) name them all, with `--purge`, so the table ends exactly so. */
function stampCommand(heads: readonly string[], exact: boolean): string {
  if (!exact) return `tsmig stamp ${heads[0] ?? 'base'}`;
  return `tsmig stamp --purge ${heads.length === 0 ? 'base' : heads.join(' ')}`;
}

/**
 * A run stopped halfway through a migration on a database whose DDL commits as it runs, and the
 * journal kept its record: the message names the statement and the two stamps that settle it.
 */
export class UnfinishedRunError extends TsmigError {
  override readonly name: string = 'UnfinishedRunError';
  readonly run: UnfinishedRun;

  constructor(run: UnfinishedRun, versionTable: string, journalTable: string) {
    super(describeUnfinished(run, versionTable, journalTable));
    this.run = run;
  }
}

/** One line: what the dead run left, where the version table stands, and how to settle it. */
export function describeUnfinished(run: UnfinishedRun, versionTable: string, journalTable: string): string {
  const n = run.statementNumber;
  const fn = run.direction === 'up' ? 'upgrade()' : 'downgrade()';
  const sql = (statement: string | null) => (statement === null ? '' : ` (${truncate(statement.replace(/\s+/g, ' ').trim(), 300)})`);
  const applied = n === 2 ? `its statement 1${sql(run.lastApplied)} was applied` : `its statements 1 to ${n - 1} were applied, the last${sql(run.lastApplied)}`;
  const done =
    n === 0
      ? 'no statement of it had started'
      : n === 1
        ? `its first statement${sql(run.statement)} may have run or not`
        : `${applied} (DDL commits as it runs here), and statement ${n}${sql(run.statement)} may have run or not`;
  const exact = run.headsBefore.length > 1 || run.headsAfter.length > 1;
  const after = stampCommand(run.headsAfter, exact);
  const before = stampCommand(run.headsBefore, exact);
  const settle =
    n === 0
      ? `Run \`${before}\` to clear the record, then run the command again.`
      : `Compare the database with ${run.revision}'s ${fn}: finish it by hand and run \`${after}\`, or undo what it did and run \`${before}\`; either clears the record (${journalTable}).`;
  return `A previous run (${run.holder}, started ${run.startedAt} UTC) stopped during ${run.step}: ${done}. ${versionTable} still names ${formatHeads(run.headsBefore)}. ${settle}`;
}
