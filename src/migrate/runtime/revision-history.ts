/**
 * The history table beside the version table (`alembic_version_history` beside `alembic_version`): one
 * row per applied revision with the checksum of its file (script/revision-checksum.ts) and when tsmig ran
 * it, so that a revision edited after it ran is caught before the next upgrade builds on a file that no
 * longer says what the database went through. The version table keeps Alembic's shape; this table is
 * tsmig's own.
 *
 * Writing it costs next to nothing per migration: steps only queue their rows here, and the queue is
 * written in one multi-row INSERT (and, when rows go, one DELETE) right before the transaction that
 * holds the steps commits, so a run in one transaction pays one statement for any number of revisions.
 */
import path from 'node:path';
import type { Dialect } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { TsmigError } from '../../errors.js';
import { column } from '../../schema/column.js';
import { PrimaryKeyConstraint } from '../../schema/constraints.js';
import { CreateTable, type DdlElement } from '../../schema/ddl.js';
import { MetaData } from '../../schema/metadata.js';
import { Table } from '../../schema/table.js';
import { bindparam } from '../../sql/elements/conjunctions.js';
import type { ClauseElement } from '../../sql/elements/element.js';
import { literalColumn } from '../../sql/elements/text.js';
import { delete_ } from '../../sql/statements/delete.js';
import { insert } from '../../sql/statements/insert.js';
import { select } from '../../sql/statements/select.js';
import { t } from '../../types/index.js';
import { historyTableName } from './version-table.js';

/** What the runtime needs to know of the revision files. @internal built by `migrate/commands`. */
export interface RevisionLedger {
  /** The checksum of the revision's file as it is now; null for a revision with no file (built in memory). */
  checksum(revision: string): string | null;
  /** Whether a recorded checksum still stands for the file: it is the file's, or one the file replaced (squash). */
  matches(revision: string, recorded: string): boolean;
  /** The revision's file, for messages. */
  path(revision: string): string;
  /** The revisions applied when the version table names `heads`: those and all they depend on (known ones only). */
  applied(heads: readonly string[]): readonly string[];
}

/** An applied revision whose file changed after it ran. */
export interface ModifiedRevision {
  readonly revision: string;
  /** The file, relative to the working directory. */
  readonly path: string;
  /** When tsmig ran it (null: recorded without running it, by `stamp` or when the table was created). */
  readonly appliedAt: Date | null;
}

/** A revision changed after it was applied, and the command was not told `--allow-modified`. */
export class ModifiedRevisionError extends TsmigError {
  override readonly name: string = 'ModifiedRevisionError';
  readonly modified: readonly ModifiedRevision[];

  constructor(modified: readonly ModifiedRevision[], table: string) {
    super(`${describeModified(modified, table)}: restore the file (it is what the database ran), or pass --allow-modified to go on anyway.`);
    this.modified = modified;
  }
}

/** `Revision a1 (migrations/versions/a1_x.ts) was changed after it was applied (alembic_version_history)`. */
export function describeModified(modified: readonly ModifiedRevision[], table: string): string {
  const list = modified.map((m) => `${m.revision} (${m.path})`).join(', ');
  return modified.length === 1
    ? `Revision ${list} was changed after it was applied to this database (${table})`
    : `Revisions ${list} were changed after they were applied to this database (${table})`;
}

/** One row: the revision, its file's checksum, and when it ran (null: recorded, not run). */
interface HistoryRow {
  readonly revision: string;
  readonly checksum: string;
  readonly appliedAt: Date | null;
}

/** Rows per INSERT or DELETE, well under every dialect's limit of bound parameters. */
const CHUNK = 300;

/**
 * The history table of one run: the rows it found, and the changes its steps queued.
 *
 * @example
 * ```ts
 * const history = new RevisionHistory(versionTable.name, versionTable.schema);
 * history.load(await history.read(conn));
 * history.ran('a1b2', ledger);
 * await history.flush(conn);
 * ```
 */
export class RevisionHistory {
  readonly name: string;
  readonly schema: string | null;
  readonly table: Table;
  #known = new Map<string, HistoryRow>();
  /** Revision -> the row to write, or null to delete it. */
  #pending = new Map<string, HistoryRow | null>();
  readonly #insertOne: ClauseElement;
  readonly #deleteOne: ClauseElement;

  constructor(versionTable: string, schema: string | null) {
    this.name = historyTableName(versionTable);
    this.schema = schema;
    this.table = new Table(
      this.name,
      new MetaData(),
      {
        revision: column(t.String(32), { nullable: false }),
        checksum: column(t.String(64), { nullable: false }),
        applied_at: column(t.DateTime(), { nullable: true }),
      },
      {
        ...(schema === null ? {} : { schema }),
        constraints: (c) => [new PrimaryKeyConstraint([c.revision], { name: `${this.name}_pkc` })],
      },
    );
    const c = this.table.c;
    const bound = (name: 'revision' | 'checksum' | 'applied_at') => bindparam(name, { type: c[name]!.type });
    this.#insertOne = insert(this.table).values({ revision: bound('revision'), checksum: bound('checksum'), applied_at: bound('applied_at') });
    this.#deleteOne = delete_(this.table).where(c['revision']!.eq(bound('revision')));
  }

  /** `schema.name` or `name`, for messages. */
  get fullName(): string {
    return this.schema === null ? this.name : `${this.schema}.${this.name}`;
  }

  createDdl(options: { readonly ifNotExists?: boolean } = {}): DdlElement {
    return new CreateTable(this.table, options.ifNotExists === true ? { ifNotExists: true } : {});
  }

  async read(conn: Connection): Promise<HistoryRow[]> {
    const c = this.table.c;
    const rows = (await conn.execute(select(c['revision']!, c['checksum']!, c['applied_at']!))).all();
    return rows.map((r) => {
      const [revision, checksum, appliedAt] = r as unknown as [string, string, Date | null];
      return { revision, checksum, appliedAt };
    });
  }

  /** Takes the rows the table holds (from {@link read}) as the starting point. */
  load(rows: readonly HistoryRow[]): void {
    this.#known = new Map(rows.map((r) => [r.revision, r]));
  }

  /** Offline: takes the table to hold rows for `applied`, as the files are now (the script cannot read it). */
  assume(applied: readonly string[], ledger: RevisionLedger): void {
    this.#known = new Map();
    for (const revision of applied) {
      const checksum = ledger.checksum(revision);
      if (checksum !== null) this.#known.set(revision, { revision, checksum, appliedAt: null });
    }
  }

  /** The applied revisions whose file no longer has the checksum recorded when they ran. */
  modified(applied: readonly string[], ledger: RevisionLedger): ModifiedRevision[] {
    const out: ModifiedRevision[] = [];
    for (const revision of applied) {
      const row = this.#known.get(revision);
      if (row !== undefined && !ledger.matches(revision, row.checksum)) {
        out.push({ revision, path: path.relative(process.cwd(), ledger.path(revision)) || ledger.path(revision), appliedAt: row.appliedAt });
      }
    }
    return out;
  }

  /**
   * Makes the table hold exactly `applied`: rows for revisions it lacks (recorded with no run time: they
   * ran before the table existed, elsewhere, or were stamped) and no rows for revisions no longer
   * applied. `rerecord` writes every row again from the files as they are now (`stamp --purge`).
   */
  reconcile(applied: readonly string[], ledger: RevisionLedger, options: { readonly rerecord?: boolean } = {}): void {
    const wanted = new Set(applied);
    for (const revision of this.#rows().keys()) if (!wanted.has(revision)) this.#pending.set(revision, null);
    const rows = this.#rows();
    for (const revision of applied) {
      if (rows.has(revision) && options.rerecord !== true) continue;
      const checksum = ledger.checksum(revision);
      if (checksum !== null) this.#pending.set(revision, { revision, checksum, appliedAt: null });
    }
  }

  /** A step ran `revision`'s upgrade(). */
  ran(revision: string, ledger: RevisionLedger): void {
    const checksum = ledger.checksum(revision);
    if (checksum === null) return;
    this.#pending.set(revision, { revision, checksum, appliedAt: new Date() });
  }

  /** A step ran `revision`'s downgrade(). */
  undone(revision: string): void {
    this.#pending.set(revision, null);
  }

  get hasPending(): boolean {
    return this.#pending.size > 0;
  }

  /** Writes the queued changes: a DELETE for rows that go or are replaced, one multi-row INSERT. */
  async flush(conn: Connection): Promise<void> {
    const single = this.#single();
    if (single === null) {
      const { deletes, rows } = this.#drain();
      for (const statement of deletes) await conn.execute(statement);
      // An executemany of the one INSERT: the engine compiles a batch of rows once, where an INSERT of the
      // rows' values built a bound element per value and compiled them all (5% of a 1,000-revision upgrade).
      if (rows.length > 0) await conn.execute(insert(this.table), rows);
      return;
    }
    await conn.execute(single.statement, single.params);
    this.#settle();
  }

  /**
   * The one row a step of a run with a transaction per migration queues, as a statement compiled once
   * per run (a statement built per flush was compiled per flush), or null for any other queue.
   */
  #single(): { statement: ClauseElement; params: Record<string, unknown> } | null {
    if (this.#pending.size !== 1) return null;
    const [[revision, row]] = this.#pending;
    const known = this.#known.has(revision);
    if (row === null) return known ? { statement: this.#deleteOne, params: { revision } } : null;
    if (known) return null;
    return { statement: this.#insertOne, params: { revision, checksum: row.checksum, applied_at: row.appliedAt } };
  }

  /** The queued changes as SQL with literal values; rows of migrations the script runs get CURRENT_TIMESTAMP. */
  offlineStatements(dialect: Dialect): string[] {
    const { deletes, rows } = this.#drain();
    const now = literalColumn('CURRENT_TIMESTAMP');
    const inserts: ClauseElement[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      inserts.push(insert(this.table).values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, applied_at: r.applied_at === null ? null : now }))));
    }
    return [...deletes, ...inserts].map((statement) => dialect.compile(statement, { literalBinds: true }).sql);
  }

  /** The pending changes are written: they become the known rows. */
  #settle(): void {
    for (const [revision, row] of this.#pending) {
      if (row === null) this.#known.delete(revision);
      else this.#known.set(revision, row);
    }
    this.#pending.clear();
  }

  /** The known rows with the pending changes applied. */
  #rows(): Map<string, HistoryRow> {
    const rows = new Map(this.#known);
    for (const [revision, row] of this.#pending) {
      if (row === null) rows.delete(revision);
      else rows.set(revision, row);
    }
    return rows;
  }

  /** Takes the pending changes (they become the known rows): DELETEs of the rows that go or are replaced, and the rows to insert. */
  #drain(): { deletes: ClauseElement[]; rows: { revision: string; checksum: string; applied_at: Date | null }[] } {
    const c = this.table.c;
    const gone = [...this.#pending.keys()].filter((revision) => this.#known.has(revision));
    const rows = [...this.#pending.values()]
      .filter((row): row is HistoryRow => row !== null)
      .map((r) => ({ revision: r.revision, checksum: r.checksum, applied_at: r.appliedAt }));
    const deletes: ClauseElement[] = [];
    for (let i = 0; i < gone.length; i += CHUNK) deletes.push(delete_(this.table).where(c['revision']!.in(gone.slice(i, i + CHUNK))));
    this.#settle();
    return { deletes, rows };
  }
}
