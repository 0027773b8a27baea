/**
 * What autogenerate produces: the operations of a revision, each with its place in the dependency order,
 * the operations that undo it, and what a reviewer must know (data it destroys). The comparators add
 * changes in any order; {@link MigrationPlan} sorts them by phase, so parents exist before children need
 * them and children let go of parents before these are dropped. `downgrade()` is the inverse of each
 * change, in reverse order.
 */
import type { MigrateOperation } from '../operations/ops/operation.js';
import type { MetaDataOptions } from '../../schema/metadata.js';
import type { ReflectedTable } from '../../schema/reflected.js';

/**
 * The phases of an upgrade, in order. Renames come first so every later operation names tables and
 * columns as the models do; what refers to something is dropped before it and created after it.
 */
export const PHASES = [
  'renameTable',
  'renameColumn',
  // An enum's values change before what may use a new one (a new column's default).
  'enumValues',
  // A new index on columns that already exist is created before anything is dropped: InnoDB refuses to
  // drop a unique constraint or index a foreign key still needs until another index covers the key.
  'createIndexOnExisting',
  'dropForeignKey',
  'dropIndex',
  'dropConstraint',
  'dropPrimaryKey',
  // Before any table is created: index names are schema-wide on PostgreSQL and SQLite, so a new
  // table may reuse the name of an index that goes away with a dropped one.
  'dropTable',
  // A column default may call nextval() on a sequence: it exists before the tables and goes after them.
  'createSequence',
  'createTable',
  'addColumn',
  'alterColumn',
  'tableComment',
  'createPrimaryKey',
  'createConstraint',
  'createIndex',
  'createForeignKey',
  'dropColumn',
  'dropSequence',
] as const;

export type Phase = (typeof PHASES)[number];

const RANK: Readonly<Record<Phase, number>> = Object.fromEntries(PHASES.map((p, i) => [p, i])) as Record<Phase, number>;

/** One change of a revision. */
export interface PlannedChange {
  readonly phase: Phase;
  /** The table the change is about (`schema.name`), for messages and grouping. */
  readonly table: string | null;
  readonly op: MigrateOperation;
  /** Operations that follow `op` as part of the same change (the statements of an enum rebuild). */
  readonly more: readonly MigrateOperation[];
  /**
   * The operations that undo `op` (and `more`), in order; null: their `reverse()`, last first. Given where the inverse is more than
   * one operation (MySQL's index left behind by a dropped foreign key) or SQL (enum values).
   */
  readonly downgrade: readonly MigrateOperation[] | null;
  /** Why the change can lose data ("drops table movies and its rows"); null when it cannot. */
  readonly destructive: string | null;
  /** A line for the reader, written above the operation in the file. */
  readonly comment: string | null;
  /** A line for the reader in `downgrade()`, where the inverse is left out or needs explaining. */
  readonly downgradeComment: string | null;
  /** The change in words, for the command's output and `tsmig check`. */
  readonly description: string;
  /** A stable machine name of the kind of change (`add_table`, `modify_type`, ...), for `check --json`. */
  readonly code: string;
}

/** A dropped table or column and an added one of the same shape: maybe the user renamed it. */
export interface RenameCandidate {
  readonly kind: 'table' | 'column';
  /** The table (for a column), as the model names it; for a table, its schema-qualified new name. */
  readonly table: string;
  readonly schema: string | null;
  readonly from: string;
  readonly to: string;
}

/**
 * What a revision starts from: the database's tables as the comparison found them (before renames), and
 * the models' naming convention, which names what an operation leaves unnamed. The renderer follows each
 * table through the operations from here, to write the definition SQLite rebuilds it from under --sql.
 */
export interface PlanStart {
  readonly tables: readonly ReflectedTable[];
  readonly namingConvention: MetaDataOptions['namingConvention'];
}

/** The changes of a revision, ordered, and what was noticed on the way. */
export class MigrationPlan {
  readonly #changes: PlannedChange[] = [];
  readonly #candidates: RenameCandidate[] = [];
  #sorted: readonly PlannedChange[] | null = null;
  #start: PlanStart = { tables: [], namingConvention: undefined };

  /** @internal set by the comparison (and carried over by plan rewrites). */
  setStart(start: PlanStart): void {
    this.#start = start;
  }

  get start(): PlanStart {
    return this.#start;
  }

  /** @internal used by the comparators. */
  add(
    change: Omit<PlannedChange, 'more' | 'downgrade' | 'destructive' | 'comment' | 'downgradeComment'> &
      Partial<Pick<PlannedChange, 'more' | 'downgrade' | 'destructive' | 'comment' | 'downgradeComment'>>,
  ): void {
    this.#changes.push({ more: [], downgrade: null, destructive: null, comment: null, downgradeComment: null, ...change });
    this.#sorted = null;
  }

  /** @internal */
  addCandidate(candidate: RenameCandidate): void {
    this.#candidates.push(candidate);
  }

  /** The changes in upgrade order: by phase, then in the order the comparators found them. */
  get changes(): readonly PlannedChange[] {
    this.#sorted ??= this.#changes
      .map((change, index) => ({ change, index }))
      .sort((a, b) => RANK[a.change.phase] - RANK[b.change.phase] || a.index - b.index)
      .map((entry) => entry.change);
    return this.#sorted;
  }

  get isEmpty(): boolean {
    return this.#changes.length === 0;
  }

  /** Dropped and added tables or columns of the same shape, which may be renames. */
  get renameCandidates(): readonly RenameCandidate[] {
    return this.#candidates;
  }

  /** The changes that can lose data. */
  get destructive(): readonly PlannedChange[] {
    return this.changes.filter((c) => c.destructive !== null);
  }

  /** The upgrade's operations, in order. */
  upgradeOps(): MigrateOperation[] {
    return this.changes.flatMap((c) => [c.op, ...c.more]);
  }

  /** The downgrade's operations: each change undone, last change first. */
  downgradeOps(): MigrateOperation[] {
    return downgradeOf(this.changes);
  }
}

/** The operations undoing `changes` (given in upgrade order). */
export function downgradeOf(changes: readonly PlannedChange[]): MigrateOperation[] {
  return [...changes].reverse().flatMap((c) => c.downgrade ?? [c.op, ...c.more].reverse().map((op) => op.reverse()));
}
