/**
 * How a revision is written in command output, as Alembic writes it, so that `history`, `heads`,
 * `branches`, `show` and `current` read the same:
 *
 * ```text
 * 1975ea83b712 -> 2b1ae634e5cd (head), add directors      one line (history)
 * 27c6a30d7c24 (shop) (head)                               heads, branches
 * Rev: 2b1ae634e5cd (head)                                 verbose (history -v, show)
 * Parent: 1975ea83b712
 * Path: /app/migrations/versions/2b1ae634e5cd_add_directors.ts
 *
 *     add directors
 *     ...
 * ```
 *
 * Pure text: colour and the choice of stream are the CLI's.
 */
import type { RevisionMap } from './revision-map.js';
import type { RevisionInfo } from './revision.js';

/** What to include in a revision's one-line form. */
export interface RevisionFormatOptions {
  /** The multi-line form (`Rev: ...`, `Parent: ...`, `Path: ...`, the doc comment). */
  readonly verbose?: boolean;
  /** `(label, ...)` after the id. */
  readonly includeBranches?: boolean;
  /** `, message` at the end. */
  readonly includeDoc?: boolean;
  /** `parents -> ` before the id (`<base>` for none, `(deps)` after them). */
  readonly includeParents?: boolean;
  /** `(branchpoint)` and `(mergepoint)`. Default true. */
  readonly treeIndicators?: boolean;
  /** `(head)` / `(effective head)`. Default true. */
  readonly headIndicators?: boolean;
  /** The database's revisions, marked `(current)`. */
  readonly current?: readonly string[];
}

/** `<base>` or the parents, comma-separated. */
export function formatDownRevisions(info: RevisionInfo): string {
  return info.downRevisions.length === 0 ? '<base>' : info.downRevisions.join(', ');
}

/**
 * One revision as a command prints it: the one-line form, or with `verbose` the multi-line log entry
 * (no trailing newline).
 *
 * @example
 * ```ts
 * formatRevision(map, map.get('2b1ae634e5cd'), { includeParents: true, includeDoc: true, includeBranches: true });
 * // '1975ea83b712 -> 2b1ae634e5cd (head), add directors'
 * ```
 */
export function formatRevision(map: RevisionMap, info: RevisionInfo, options: RevisionFormatOptions = {}): string {
  return options.verbose === true ? logEntry(map, info, options.current ?? []) : oneLine(map, info, options);
}

function oneLine(map: RevisionMap, info: RevisionInfo, options: RevisionFormatOptions): string {
  const id = info.revision;
  let text = id;
  if (options.includeParents === true) {
    const deps = info.dependsOn.length > 0 ? ` (${info.dependsOn.join(', ')})` : '';
    text = `${formatDownRevisions(info)}${deps} -> ${id}`;
  }
  const labels = map.branchLabels(id);
  if (options.includeBranches === true && labels.length > 0) text += ` (${labels.join(', ')})`;
  const tree = options.treeIndicators ?? true;
  if (options.headIndicators ?? true) {
    if (map.isRealHead(id)) text += ' (head)';
    else if (map.isHead(id)) text += ' (effective head)';
  }
  if (tree || (options.headIndicators ?? true)) {
    if ((options.current ?? []).includes(id)) text += ' (current)';
  }
  if (tree) {
    if (map.isBranchPoint(id)) text += ' (branchpoint)';
    if (map.isMergePoint(id)) text += ' (mergepoint)';
  }
  if (options.includeDoc === true) text += `, ${info.message}`;
  return text;
}

function logEntry(map: RevisionMap, info: RevisionInfo, current: readonly string[]): string {
  const id = info.revision;
  const flags =
    (map.isHead(id) ? ' (head)' : '') +
    (map.isBranchPoint(id) ? ' (branchpoint)' : '') +
    (map.isMergePoint(id) ? ' (mergepoint)' : '') +
    (current.includes(id) ? ' (current)' : '');
  const lines = [`Rev: ${id}${flags}`];
  lines.push(map.isMergePoint(id) ? `Merges: ${formatDownRevisions(info)}` : `Parent: ${formatDownRevisions(info)}`);
  if (info.dependsOn.length > 0) lines.push(`Also depends on: ${info.dependsOn.join(', ')}`);
  if (map.isBranchPoint(id)) lines.push(`Branches into: ${map.children(id).join(', ')}`);
  const labels = map.branchLabels(id);
  if (labels.length > 0) lines.push(`Branch names: ${labels.join(', ')}`);
  lines.push(`Path: ${info.path}`, '');
  const doc = info.doc ?? info.message;
  for (const line of doc.split('\n')) lines.push(line === '' ? '' : `    ${line}`);
  return lines.join('\n');
}

/**
 * A revision as `--json` prints it (`history`, `heads`, `branches`, `show`, `current`); the README's
 * "Machine-readable output" documents the fields. Field names are part of the CLI's contract.
 */
export interface RevisionJson {
  readonly revision: string;
  /** Parents; empty for a base, several for a merge point. */
  readonly downRevisions: readonly string[];
  readonly dependsOn: readonly string[];
  /** Labels declared on this revision or inherited from its branch. */
  readonly branchLabels: readonly string[];
  readonly message: string;
  readonly path: string;
  readonly createDate: string | null;
  /** Nothing revises it (an effective head counts: only a dependency points at it). */
  readonly head: boolean;
  readonly branchPoint: boolean;
  readonly mergePoint: boolean;
  /** Whether the database is at this revision; present only when the command read the database. */
  readonly current?: boolean;
}

/** The {@link RevisionJson} of a revision; `current` given when the database's revisions are known. */
export function revisionJson(map: RevisionMap, info: RevisionInfo, current?: readonly string[]): RevisionJson {
  const id = info.revision;
  return {
    revision: id,
    downRevisions: info.downRevisions,
    dependsOn: info.dependsOn,
    branchLabels: map.branchLabels(id),
    message: info.message,
    path: info.path,
    createDate: info.createDate,
    head: map.isHead(id),
    branchPoint: map.isBranchPoint(id),
    mergePoint: map.isMergePoint(id),
    ...(current === undefined ? {} : { current: current.includes(id) }),
  };
}
