/**
 * A revision as the graph sees it: identity and edges only. Read from a revision file's header without
 * loading the file, so listing a thousand revisions never compiles one.
 */
export interface RevisionInfo {
  /** The revision id (`1975ea83b712`). */
  readonly revision: string;
  /** Parents: none for a base, several for a merge point. */
  readonly downRevisions: readonly string[];
  readonly branchLabels: readonly string[];
  /** Revisions that must be applied first without being parents (cross-branch dependencies). */
  readonly dependsOn: readonly string[];
  /** The message given to `tsmig revision -m`. */
  readonly message: string;
  /** The file the revision lives in (absolute path); empty for revisions built in memory (tests). */
  readonly path: string;
  readonly createDate: string | null;
  /**
   * The whole doc comment of the file, decoration removed (Alembic's long doc): the message, then the
   * Revision ID / Revises / Create Date lines and anything the author added. `history -v` and `show`
   * print it; absent for revisions built in memory, which print their message instead.
   */
  readonly doc?: string;
}

/** One step of an upgrade or downgrade: run this revision's upgrade() or downgrade(). */
export interface MigrationStep {
  readonly revision: RevisionInfo;
  readonly direction: 'up' | 'down';
  /**
   * How the version table changes after the step, as Alembic does it: one row's version replaced by
   * another (the common case, checked to touch exactly one row), rows deleted (a merge consumed its
   * parents, a downgrade left a branch), rows inserted (a new branch or base).
   */
  readonly versionChange: {
    readonly update: readonly [from: string, to: string] | null;
    readonly delete: readonly string[];
    readonly insert: readonly string[];
  };
}

/** The module a revision file exports once it is loaded for running. */
export interface RevisionModule {
  readonly revision: string;
  upgrade(): Promise<void>;
  downgrade(): Promise<void>;
}
