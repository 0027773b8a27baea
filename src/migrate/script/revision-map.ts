/**
 * The revision graph: pure, built from `RevisionInfo`s (never from files; reading them is
 * `script-directory.ts`'s job). It validates the graph once, then answers heads, bases, branch and merge
 * points, identifier resolution, ranges, and the ordered steps of an upgrade, downgrade or stamp with the
 * version-table change of each, following Alembic's semantics (`alembic/script/revision.py`).
 *
 * Vocabulary. A revision's *parents* are its `downRevisions`; its *dependencies* (`dependsOn`) must be
 * applied first but are not parents. A *head* has no child; a *real head* has no child and nothing
 * depends on it either (what `heads` means as an upgrade target). A *base* has no parent.
 *
 * Every walk is linear in the size of the graph; nothing here is quadratic on a plain chain.
 */
import {
  AmbiguousRevisionError,
  CycleDetectedError,
  MultipleHeadsError,
  RevisionGraphError,
  UnknownRevisionError,
} from './errors.js';
import { ILLEGAL_ID_CHARACTERS, RESERVED_SYMBOLS, parseIdentifier, parseRange, type ParsedIdentifier } from './identifier.js';
import type { MigrationStep, RevisionInfo } from './revision.js';

/** A revision with its resolved edges. */
interface Node {
  readonly info: RevisionInfo;
  readonly id: string;
  /** Position in the input: the tie-breaker that keeps every answer deterministic. */
  readonly index: number;
  readonly parents: Node[];
  /** Resolved `dependsOn` (labels resolved to their revision), without any that are also parents. */
  readonly deps: Node[];
  readonly children: Node[];
  /** Revisions whose `dependsOn` names this one. */
  readonly dependents: Node[];
  /** Own labels plus those propagated along the branch (Alembic's `branch_labels`). */
  labels: Set<string>;
  /** `deps` minus those already dependencies of an ancestor; computed on first use. */
  normalizedDeps?: readonly Node[];
}

/** What an identifier names: revisions, or "base" (no revision), and the branch it was qualified with. */
interface Resolution {
  readonly nodes: readonly Node[];
  readonly base: boolean;
  readonly branch: Node | null;
  /** For a relative identifier: the revision the steps counted from. */
  readonly start: Node | null;
}

/** Options of identifier resolution. */
export interface ResolveOptions {
  /**
   * The database's current revisions (its version table). Relative identifiers without a revision
   * (`+1`, `-2`) count from them, and `current` names them. Without them, `-N` counts down from the
   * head and `+N` up from base.
   */
  readonly current?: readonly string[];
}

/** The version table after a stamp, and the change from the table before. */
export interface StampPlan {
  readonly heads: readonly string[];
  readonly versionChange: MigrationStep['versionChange'];
}

const EMPTY_LABELS: Set<string> = new Set();

/** `1975ea83b712 (versions/1975ea83b712_add_movies.ts)`, or the id alone for in-memory revisions. */
function where(info: RevisionInfo): string {
  return info.path === '' ? info.revision : `${info.revision} (${info.path})`;
}

function ids(nodes: Iterable<Node>): string[] {
  return Array.from(nodes, (n) => n.id);
}

/**
 * The revision graph of a script directory.
 *
 * @example
 * ```ts
 * const map = new RevisionMap([
 *   { revision: 'a1', downRevisions: [], dependsOn: [], branchLabels: [], message: 'add movies', path: '', createDate: null },
 *   { revision: 'b2', downRevisions: ['a1'], dependsOn: [], branchLabels: [], message: 'add directors', path: '', createDate: null },
 * ]);
 * map.heads;                          // ['b2']
 * map.resolveOne('head-1')?.revision; // 'a1'
 * map.upgradePlan([], 'head');        // two steps: insert a1, then update a1 -> b2
 * ```
 */
export class RevisionMap {
  readonly #nodes: Node[] = [];
  readonly #byId = new Map<string, Node>();
  readonly #byLabel = new Map<string, Node>();
  readonly #heads: Node[];
  readonly #realHeads: Node[];
  readonly #bases: Node[];
  #ancestorCache: { key: string; set: Set<Node> } | null = null;

  /**
   * Builds and validates the graph. Each problem is one error naming the file: a duplicate id, an id with
   * reserved characters, a `downRevision` or `dependsOn` naming no revision, a duplicate branch label,
   * a cycle ({@link CycleDetectedError}).
   */
  constructor(revisions: readonly RevisionInfo[]) {
    for (const info of revisions) {
      validateName(info.revision, 'Revision id', info);
      const existing = this.#byId.get(info.revision);
      if (existing !== undefined) {
        throw new RevisionGraphError(
          `Duplicate revision id ${info.revision}: in ${existing.info.path || '(memory)'} and ${info.path || '(memory)'}. ` +
            'Give one of them a new id, and update the revisions that name it.',
        );
      }
      const node: Node = {
        info,
        id: info.revision,
        index: this.#nodes.length,
        parents: [],
        deps: [],
        children: [],
        dependents: [],
        labels: EMPTY_LABELS,
      };
      this.#nodes.push(node);
      this.#byId.set(info.revision, node);
    }
    for (const node of this.#nodes) {
      for (const label of node.info.branchLabels) {
        validateName(label, 'Branch label', node.info);
        const owner = this.#byLabel.get(label) ?? this.#byId.get(label);
        if (owner !== undefined) {
          const what = owner.id === label ? 'is the id of revision' : 'is already used by revision';
          throw new RevisionGraphError(`Branch label '${label}' of revision ${where(node.info)} ${what} ${where(owner.info)}. Branch labels must be unique.`);
        }
        this.#byLabel.set(label, node);
      }
    }
    for (const node of this.#nodes) this.#link(node);
    this.#checkCycles();
    this.#heads = this.#nodes.filter((n) => n.children.length === 0);
    this.#realHeads = this.#heads.filter((n) => n.dependents.length === 0);
    this.#bases = this.#nodes.filter((n) => n.parents.length === 0);
    for (const node of this.#nodes) if (node.info.branchLabels.length > 0) this.#propagateLabels(node);
  }

  // -----------------------------------------------------------------------------------------------
  // The graph

  /** Every revision, in the order given (the script directory gives file-name order). */
  get revisions(): readonly RevisionInfo[] {
    return this.#nodes.map((n) => n.info);
  }

  /** How many revisions the graph has. */
  get size(): number {
    return this.#nodes.length;
  }

  /** Revisions no other revision revises (no child through `downRevision`). Usually one. */
  get heads(): readonly string[] {
    return ids(this.#heads);
  }

  /** Heads that nothing depends on either: the revisions `upgrade heads` ends at (`heads --resolve-dependencies`). */
  get realHeads(): readonly string[] {
    return ids(this.#realHeads);
  }

  /** Revisions without a `downRevision`. Several when independent branches start from scratch. */
  get bases(): readonly string[] {
    return ids(this.#bases);
  }

  /** Revisions that two or more revisions revise. */
  get branchPoints(): readonly string[] {
    return ids(this.#nodes.filter((n) => n.children.length > 1));
  }

  /** Revisions that revise two or more revisions (merges). */
  get mergePoints(): readonly string[] {
    return ids(this.#nodes.filter((n) => n.parents.length > 1));
  }

  /** Whether a revision with exactly this id exists. */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** The revision with exactly this id ({@link resolveOne} accepts partial ids and symbols). */
  get(id: string): RevisionInfo {
    return this.#node(id).info;
  }

  /** The revisions that name `id` as a `downRevision`. */
  children(id: string): readonly string[] {
    return ids(this.#node(id).children);
  }

  /** The revisions whose `dependsOn` names `id`. */
  dependents(id: string): readonly string[] {
    return ids(this.#node(id).dependents);
  }

  /** Whether nothing revises `id`. */
  isHead(id: string): boolean {
    return this.#node(id).children.length === 0;
  }

  /** Whether nothing revises `id` and nothing depends on it. */
  isRealHead(id: string): boolean {
    const node = this.#node(id);
    return node.children.length === 0 && node.dependents.length === 0;
  }

  isBranchPoint(id: string): boolean {
    return this.#node(id).children.length > 1;
  }

  isMergePoint(id: string): boolean {
    return this.#node(id).parents.length > 1;
  }

  /**
   * The branch labels that apply to a revision: its own, those of the labelled revisions it descends
   * from, and those of the descendants it leads to without a branch point in between (Alembic's rule).
   */
  branchLabels(id: string): readonly string[] {
    return [...this.#node(id).labels];
  }

  /**
   * The revisions a step of `id` moves the version table from: its parents, then the dependencies not
   * already implied by an ancestor's dependencies.
   */
  normalizedDownRevisions(id: string): readonly string[] {
    return ids(this.#normalizedDown(this.#node(id)));
  }

  // -----------------------------------------------------------------------------------------------
  // Identifiers and ranges

  /**
   * Every revision an identifier names (see `identifier.ts` for the forms): none for `base`, several for
   * `heads`. `head` with several heads is a {@link MultipleHeadsError}; an unknown id an
   * {@link UnknownRevisionError}; a prefix of several ids an {@link AmbiguousRevisionError}.
   */
  resolve(identifier: string, options: ResolveOptions = {}): readonly RevisionInfo[] {
    return this.#resolve(identifier, this.#currentOption(options), 'any').nodes.map((n) => n.info);
  }

  /** The one revision an identifier names, or null for `base`; several is a {@link MultipleHeadsError}. */
  resolveOne(identifier: string, options: ResolveOptions = {}): RevisionInfo | null {
    return this.#resolveSingle(identifier, this.#currentOption(options))?.info ?? null;
  }

  /**
   * The revisions of a range `A:B`, newest first (the order of `tsmig history`): those that descend from
   * A (inclusive) and lead to B (inclusive). A left out is base, B left out is `heads`; `label@base` as A
   * keeps the revisions of that branch only. A that is not below B is an error.
   *
   * @example
   * ```ts
   * map.range('1975ea:head').map((r) => r.revision); // ['2b1ae634e5cd', '1975ea83b712']
   * ```
   */
  range(range: string, options: ResolveOptions = {}): readonly RevisionInfo[] {
    const current = this.#currentOption(options);
    const { lower, upper } = parseRange(range);
    const top = upper === null ? { nodes: this.#realHeads, base: false, branch: null, start: null } : this.#resolve(upper, current, 'any');
    const set = this.#ancestors(top.nodes, true);
    if (lower !== null) {
      const bottom = this.#resolve(lower, current, 'any');
      if (bottom.base) {
        if (bottom.branch !== null) {
          const keep = this.#branchMembers(bottom.branch);
          for (const node of set) if (!keep(node)) set.delete(node);
        }
      } else {
        for (const node of bottom.nodes) {
          if (!set.has(node)) {
            throw new RevisionGraphError(`Revision ${node.id} is not an ancestor of ${upper ?? 'heads'}: the range ${range} is empty. Write older:newer.`);
          }
        }
        const below = this.#descendants(bottom.nodes, false);
        for (const node of set) if (!below.has(node)) set.delete(node);
      }
    }
    return this.#newestFirst(set).map((n) => n.info);
  }

  /** Every revision, newest first (`tsmig history` without a range). */
  history(): readonly RevisionInfo[] {
    return this.#newestFirst(new Set(this.#nodes)).map((n) => n.info);
  }

  // -----------------------------------------------------------------------------------------------
  // Plans

  /**
   * The steps that take a database from `currentHeads` (its version table) to `target`, in the order to
   * run them: every dependency before its dependents, each step with its version-table change (a base
   * or a new branch inserts a row, a merge deletes all but one parent row and updates the last, a plain
   * step updates one row). `heads` upgrades every branch; `head` with several heads is a
   * {@link MultipleHeadsError}. A target already applied gives no step.
   *
   * @example
   * ```ts
   * map.upgradePlan(['a1'], 'head'); // [{ revision: b2, direction: 'up', versionChange: { update: ['a1', 'b2'], delete: [], insert: [] } }]
   * ```
   */
  upgradePlan(currentHeads: readonly string[], target: string): readonly MigrationStep[] {
    const current = this.#currentNodes(currentHeads);
    const targets = this.#upgradeTargets(current, target);
    const needs = this.#ancestors(targets, true);
    for (const node of this.#ancestors(current, true)) needs.delete(node);
    const order = this.#oldestFirst(needs);
    return this.#simulate(order, 'up', currentHeads);
  }

  /**
   * The steps that take a database from `currentHeads` down to `target`, newest first: everything above
   * the target that is applied, dependents before what they depend on. `base` undoes everything,
   * `label@base` one branch; `-1` steps down once from the current revision (which must be one, or be
   * qualified: `label@-1`, `<rev>-1`); a revision on one branch leaves the other branches alone when
   * qualified with its label (`shop@1975ea`) or reached by a relative step.
   */
  downgradePlan(currentHeads: readonly string[], target: string): readonly MigrationStep[] {
    const current = this.#currentNodes(currentHeads);
    const { node: goal, restrict } = this.#downgradeTarget(current, target);
    let roots = goal === null ? this.#bases : goal.children;
    if (restrict !== null && roots.length > 1) {
      const line = this.#ancestors([restrict], false);
      roots = roots.filter((r) => line.has(r));
      if (roots.length === 0) {
        throw new RevisionGraphError(`Revision ${target} is not a valid downgrade target from the current revision(s) ${currentHeads.join(', ') || '(base)'}.`);
      }
    }
    const active = this.#ancestors(current, true);
    const drop = this.#descendants(roots, true);
    for (const node of drop) if (!active.has(node)) drop.delete(node);
    if (goal !== null && drop.size === 0 && !current.includes(goal) && !active.has(goal)) {
      throw new RevisionGraphError(
        `Revision ${goal.id} is not a valid downgrade target: it is not below the current revision(s) ${currentHeads.join(', ') || '(base)'}.`,
      );
    }
    return this.#simulate(this.#newestFirst(drop), 'down', currentHeads);
  }

  /**
   * The version table after `tsmig stamp target` (no migration runs): each target replaces the current
   * revisions on its line of history (ancestors or descendants), or is added as a new branch;
   * `base`/`label@base` removes them. Several targets may be given.
   */
  stampHeads(currentHeads: readonly string[], target: string | readonly string[]): StampPlan {
    const current = this.#currentNodes(currentHeads);
    let heads: Node[] = [...current];
    for (const identifier of typeof target === 'string' ? [target] : target) {
      const resolution = this.#resolve(identifier, current, 'any');
      if (resolution.base) {
        if (resolution.branch === null) heads = [];
        else {
          const line = this.#lineage(resolution.branch, true);
          heads = heads.filter((h) => !line.has(h));
        }
        continue;
      }
      for (const dest of resolution.nodes) {
        if (heads.includes(dest)) continue;
        const line = this.#lineage(dest, true);
        heads = heads.filter((h) => !line.has(h));
        heads.push(dest);
      }
    }
    const after = ids(heads);
    const removed = currentHeads.filter((h) => !after.includes(h));
    const added = after.filter((h) => !currentHeads.includes(h));
    const versionChange =
      removed.length > 0 && added.length > 0
        ? { update: [removed[removed.length - 1]!, added[0]!] as const, delete: removed.slice(0, -1), insert: added.slice(1) }
        : { update: null, delete: removed, insert: added };
    return { heads: after, versionChange };
  }

  // -----------------------------------------------------------------------------------------------
  // Construction

  #link(node: Node): void {
    const { info } = node;
    const seen = new Set<string>();
    for (const parentId of info.downRevisions) {
      if (seen.has(parentId)) throw new RevisionGraphError(`Revision ${where(info)} names down revision '${parentId}' twice.`);
      seen.add(parentId);
      if (parentId === node.id) throw selfLoop(node, 'downRevision');
      const parent = this.#byId.get(parentId);
      if (parent === undefined) {
        throw new UnknownRevisionError(
          parentId,
          `Revision ${where(info)} has downRevision '${parentId}', which no revision file defines. ` +
            'Restore that revision, or point downRevision at an existing one (`tsmig heads` lists them).',
        );
      }
      node.parents.push(parent);
      parent.children.push(node);
    }
    for (const dep of info.dependsOn) {
      const target = this.#byId.get(dep) ?? this.#byLabel.get(dep);
      if (target === undefined) {
        throw new UnknownRevisionError(
          dep,
          `Revision ${where(info)} has dependsOn '${dep}', which names no revision or branch label. ` +
            'Fix dependsOn, or restore the revision it names.',
        );
      }
      if (target === node) throw selfLoop(node, 'dependsOn');
      // A dependency that is also a parent adds nothing (Alembic dedupes the two lists).
      if (node.parents.includes(target) || node.deps.includes(target)) continue;
      node.deps.push(target);
      target.dependents.push(node);
    }
  }

  /** Kahn's algorithm over parents and dependencies; what it cannot order contains a cycle. */
  #checkCycles(): void {
    const pending = new Map<Node, number>();
    const ready: Node[] = [];
    for (const node of this.#nodes) {
      const count = node.parents.length + node.deps.length;
      pending.set(node, count);
      if (count === 0) ready.push(node);
    }
    let done = 0;
    while (ready.length > 0) {
      const node = ready.pop()!;
      done++;
      for (const next of [...node.children, ...node.dependents]) {
        const count = pending.get(next)! - 1;
        pending.set(next, count);
        if (count === 0) ready.push(next);
      }
    }
    if (done === this.#nodes.length) return;
    // Every node left has a parent or dependency that is also left: walking up through them must
    // come back to a node already seen, which closes a cycle.
    let node = this.#nodes.find((n) => pending.get(n)! > 0)!;
    const path: Node[] = [];
    const position = new Map<Node, number>();
    while (!position.has(node)) {
      position.set(node, path.length);
      path.push(node);
      node = [...node.parents, ...node.deps].find((up) => pending.get(up)! > 0)!;
    }
    const cycle = path.slice(position.get(node));
    const chain = [...cycle, cycle[0]!].map((n) => n.id).join(' -> ');
    const files = cycle.map((n) => n.info.path).filter((p) => p !== '');
    throw new CycleDetectedError(
      ids(cycle),
      `Cycle in the revision graph: ${chain} (each names the next in downRevision or dependsOn)` +
        `${files.length > 0 ? `; files: ${files.join(', ')}` : ''}. Fix the downRevision or dependsOn of one of them.`,
    );
  }

  #propagateLabels(owner: Node): void {
    const add = (node: Node): void => {
      if (node.labels === EMPTY_LABELS) node.labels = new Set();
      for (const label of owner.info.branchLabels) node.labels.add(label);
    };
    for (const node of this.#descendants([owner], false)) add(node);
    // Up the line of history until a branch point or a merge: the branch the label names began there.
    let node = owner;
    while (node.parents.length === 1) {
      node = node.parents[0]!;
      if (node.children.length + node.dependents.length > 1 || node.parents.length > 1) break;
      add(node);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Resolution

  #node(id: string): Node {
    const node = this.#byId.get(id);
    if (node === undefined) throw unknownRevision(id);
    return node;
  }

  #currentOption(options: ResolveOptions): readonly Node[] | undefined {
    return options.current === undefined ? undefined : this.#currentNodes(options.current);
  }

  #currentNodes(currentHeads: readonly string[]): Node[] {
    return currentHeads.map((id) => {
      const node = this.#byId.get(id);
      if (node === undefined) {
        throw new UnknownRevisionError(
          id,
          `The database is at revision '${id}', which no revision file defines. ` +
            'Restore the file, or set the version table with `tsmig stamp <revision>`.',
        );
      }
      return node;
    });
  }

  #resolveSingle(identifier: string, current: readonly Node[] | undefined): Node | null {
    const { nodes, base } = this.#resolve(identifier, current, 'any');
    if (base || nodes.length === 0) return null;
    if (nodes.length > 1) throw new MultipleHeadsError(ids(nodes), identifier);
    return nodes[0]!;
  }

  #resolve(identifier: string, current: readonly Node[] | undefined, mode: 'any' | 'up' | 'down'): Resolution {
    const text = identifier.trim();
    const exact = this.#byId.get(text) ?? this.#byLabel.get(text);
    if (exact !== undefined) return { nodes: [exact], base: false, branch: null, start: null };
    const parsed = parseIdentifier(text);
    if (parsed.kind === 'relative') return this.#resolveRelative(parsed, text, current, mode);
    return this.#resolveAbsolute(parsed.branch, parsed.symbol, text, current);
  }

  #resolveAbsolute(branchName: string | null, symbol: string, text: string, current: readonly Node[] | undefined): Resolution {
    const branch = branchName === null ? null : this.#branchNode(branchName);
    const onBranch = (nodes: readonly Node[]): Node[] => {
      if (branch === null) return [...nodes];
      const line = this.#lineage(branch, false);
      return nodes.filter((n) => line.has(n));
    };
    const result = (nodes: readonly Node[]): Resolution => ({ nodes, base: false, branch, start: null });
    switch (symbol) {
      case 'heads':
        return result(branch === null ? this.#realHeads : onBranch(this.#heads));
      case 'head': {
        const heads = onBranch(this.#heads);
        if (heads.length > 1) throw new MultipleHeadsError(ids(heads), text);
        return result(heads);
      }
      case 'base':
        return { nodes: [], base: true, branch, start: null };
      case 'current':
        if (current === undefined) {
          throw new RevisionGraphError(`'${text}' names the database's revisions, which this command does not read.`);
        }
        return result(onBranch(current));
      default: {
        const node = this.#lookup(symbol, branch);
        if (branch !== null && !this.#lineage(branch, false).has(node)) {
          throw new RevisionGraphError(`Revision ${node.id} is not on branch '${branchName}'.`);
        }
        return result([node]);
      }
    }
  }

  /** A full id, a branch label, or a unique prefix of at least four characters (among the branch's revisions). */
  #lookup(symbol: string, branch: Node | null): Node {
    const exact = this.#byId.get(symbol) ?? this.#byLabel.get(symbol);
    if (exact !== undefined) return exact;
    if (symbol.length < 4) throw unknownRevision(symbol, ' (a partial id needs at least four characters)');
    let candidates = this.#nodes.filter((n) => n.id.startsWith(symbol));
    if (branch !== null && candidates.length > 1) {
      const line = this.#lineage(branch, false);
      candidates = candidates.filter((n) => line.has(n));
    }
    if (candidates.length === 0) throw unknownRevision(symbol);
    if (candidates.length > 1) throw new AmbiguousRevisionError(symbol, ids(candidates));
    return candidates[0]!;
  }

  /** The revision a branch qualifier names: a label, or (as Alembic allows) a revision id. */
  #branchNode(name: string): Node {
    const labelled = this.#byLabel.get(name);
    if (labelled !== undefined) return labelled;
    try {
      return this.#lookup(name, null);
    } catch (error) {
      if (error instanceof UnknownRevisionError) {
        throw new UnknownRevisionError(name, `No branch label or revision '${name}'. Run \`tsmig branches\` or \`tsmig heads\` to list them.`);
      }
      throw error;
    }
  }

  #resolveRelative(parsed: Extract<ParsedIdentifier, { kind: 'relative' }>, text: string, current: readonly Node[] | undefined, mode: 'any' | 'up' | 'down'): Resolution {
    const branch = parsed.branch === null ? null : this.#branchNode(parsed.branch);
    const up = parsed.steps > 0;
    let start: Node | null;
    if (parsed.symbol !== null) {
      const from = parsed.branch === null ? parsed.symbol : `${parsed.branch}@${parsed.symbol}`;
      start = this.#resolveSingle(from, current);
    } else if (up) {
      if (mode === 'down') throw new RevisionGraphError(`'${text}' counts up from the current revision; downgrade needs a revision below it (-1, a revision id or base).`);
      start = this.#startOfUpwardWalk(current ?? [], branch, text);
    } else {
      if (mode === 'up') throw new RevisionGraphError(`'${text}' counts down from the current revision; use \`tsmig downgrade ${text}\`.`);
      start = this.#startOfDownwardWalk(current, branch, text);
    }
    const node = up ? this.#walkUp(start, parsed.steps, branch, text) : this.#walkDown(start, -parsed.steps, text);
    return node === null
      ? { nodes: [], base: true, branch, start }
      : { nodes: [node], base: false, branch, start };
  }

  /** Where `+N` starts: the current revision on the branch (or the tip of what is applied of it), else base. */
  #startOfUpwardWalk(current: readonly Node[], branch: Node | null, text: string): Node | null {
    let starts: Node[] = [...current];
    if (branch !== null) {
      const line = this.#lineage(branch, false);
      starts = current.filter((n) => line.has(n));
      if (starts.length === 0 && current.length > 0) {
        // The branch is not a current head: start from the newest applied revisions on it.
        const applied = [...this.#ancestors(current, true)].filter((n) => line.has(n));
        const below = new Set(applied.flatMap((n) => [...n.parents, ...n.deps]));
        starts = applied.filter((n) => !below.has(n));
      }
    }
    if (starts.length > 1) {
      throw new RevisionGraphError(`'${text}' is ambiguous: the database is at ${ids(starts).join(', ')}. Qualify it with a branch (label@${text}) or name the revision (<rev>${text}).`);
    }
    return starts[0] ?? null;
  }

  /** Where `-N` starts: the single current revision (on the branch), or without a database the head. */
  #startOfDownwardWalk(current: readonly Node[] | undefined, branch: Node | null, text: string): Node | null {
    let starts: Node[];
    if (current === undefined) starts = [...this.#heads];
    else if (current.length === 0) {
      throw new RevisionGraphError(`Relative revision '${text}' needs a current revision, but the database is at base.`);
    } else starts = [...current];
    if (branch !== null) {
      const line = this.#lineage(branch, false);
      let onBranch = starts.filter((n) => line.has(n));
      if (onBranch.length === 0 && current !== undefined) {
        // The branch's newest applied revision may be implied by a dependent head (Alembic's case).
        const applied = [...this.#ancestors(current, true)].filter((n) => line.has(n));
        const below = new Set(applied.flatMap((n) => [...n.parents, ...n.deps]));
        onBranch = applied.filter((n) => !below.has(n));
      }
      starts = onBranch;
      if (starts.length === 0) throw new RevisionGraphError(`Nothing of branch '${this.#branchName(branch)}' is applied; '${text}' has nowhere to start.`);
    }
    if (starts.length > 1) {
      throw new RevisionGraphError(`'${text}' is ambiguous with several heads (${ids(starts).join(', ')}). Qualify it: label@${text} or <rev>${text}.`);
    }
    return starts[0] ?? null;
  }

  #branchName(branch: Node): string {
    return branch.info.branchLabels[0] ?? branch.id;
  }

  /** N steps towards the heads; a branch point on the way must be decided by `branch`. */
  #walkUp(start: Node | null, steps: number, branch: Node | null, text: string): Node {
    const line = branch === null ? null : this.#lineage(branch, false);
    let node = start;
    for (let i = 0; i < steps; i++) {
      let next = node === null ? this.#bases : node.children;
      if (line !== null) next = next.filter((n) => line.has(n));
      if (next.length === 0) {
        throw new RevisionGraphError(`Relative revision '${text}' goes past the head: there are only ${i} revision(s) above ${node?.id ?? 'base'}.`);
      }
      if (next.length > 1) {
        throw new RevisionGraphError(
          `Relative revision '${text}' is ambiguous: ${node?.id ?? 'base'} leads to ${ids(next).join(', ')}. Qualify it with a branch label (label@${text}).`,
        );
      }
      node = next[0]!;
    }
    return node!;
  }

  /** N steps towards base; one step below a base revision is base (null); a merge point is ambiguous. */
  #walkDown(start: Node | null, steps: number, text: string): Node | null {
    let node = start;
    for (let i = 0; i < steps; i++) {
      if (node === null) {
        throw new RevisionGraphError(`Relative revision '${text}' goes below base: there are only ${i} revision(s) to step down.`);
      }
      if (node.parents.length > 1) {
        throw new RevisionGraphError(
          `Relative revision '${text}' is ambiguous: ${node.id} merges ${ids(node.parents).join(', ')}. Name the revision to go to instead.`,
        );
      }
      node = node.parents[0] ?? null;
    }
    return node;
  }

  #upgradeTargets(current: readonly Node[], target: string): readonly Node[] {
    const resolution = this.#resolve(target, current, 'up');
    return resolution.nodes;
  }

  #downgradeTarget(current: readonly Node[], target: string): { node: Node | null; restrict: Node | null } {
    const resolution = this.#resolve(target, current, 'down');
    if (resolution.nodes.length > 1) {
      throw new RevisionGraphError(`Downgrade target '${target}' names several revisions (${ids(resolution.nodes).join(', ')}); name one.`);
    }
    // A relative step stays on the line it started from; a branch qualifier on its branch.
    const restrict = resolution.branch ?? resolution.start;
    return { node: resolution.nodes[0] ?? null, restrict };
  }

  // -----------------------------------------------------------------------------------------------
  // Walks

  /** The nodes and all their ancestors (through dependencies too when asked). */
  #ancestors(nodes: Iterable<Node>, withDeps: boolean): Set<Node> {
    const seen = new Set<Node>();
    const todo = [...nodes];
    while (todo.length > 0) {
      const node = todo.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      for (const up of node.parents) if (!seen.has(up)) todo.push(up);
      if (withDeps) for (const up of node.deps) if (!seen.has(up)) todo.push(up);
    }
    return seen;
  }

  /** The nodes and all their descendants (through dependents too when asked). */
  #descendants(nodes: Iterable<Node>, withDeps: boolean): Set<Node> {
    const seen = new Set<Node>();
    const todo = [...nodes];
    while (todo.length > 0) {
      const node = todo.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      for (const down of node.children) if (!seen.has(down)) todo.push(down);
      if (withDeps) for (const down of node.dependents) if (!seen.has(down)) todo.push(down);
    }
    return seen;
  }

  /** Everything on the same line of history as `node`: its ancestors, itself and its descendants. */
  #lineage(node: Node, withDeps: boolean): Set<Node> {
    const line = this.#ancestors([node], withDeps);
    for (const n of this.#descendants([node], withDeps)) line.add(n);
    return line;
  }

  /** Members of a branch for `label@base` ranges: revisions carrying the label, or the lineage of a revision. */
  #branchMembers(branch: Node): (node: Node) => boolean {
    const label = branch.info.branchLabels[0];
    if (label !== undefined) return (node) => node.labels.has(label);
    const line = this.#lineage(branch, false);
    return (node) => line.has(node);
  }

  /**
   * Orders a set newest first: every revision before its parents and dependencies (within the set).
   * Depth first from the heads, in input order, so one branch is listed down to where it joins another
   * before the next begins, as `alembic history` prints it.
   */
  #newestFirst(set: ReadonlySet<Node>): Node[] {
    return this.#order(set, (n) => [n.children, n.dependents], (n) => [...n.parents, ...n.deps]);
  }

  /** Orders a set oldest first (the order of an upgrade): depth first from the bases, one branch at a time. */
  #oldestFirst(set: ReadonlySet<Node>): Node[] {
    return this.#order(set, (n) => [n.parents, n.deps], (n) => [...n.children, ...n.dependents]);
  }

  /**
   * A topological order of `set`: a node comes once everything `before(node)` lists (within the set) has
   * come; among the ready ones the most recently freed first, then input order. Linear in the set.
   */
  #order(set: ReadonlySet<Node>, before: (node: Node) => readonly (readonly Node[])[], after: (node: Node) => readonly Node[]): Node[] {
    const pending = new Map<Node, number>();
    const stack: Node[] = [];
    for (const node of this.#nodes) {
      if (!set.has(node)) continue;
      let count = 0;
      for (const group of before(node)) for (const other of group) if (set.has(other)) count++;
      pending.set(node, count);
      if (count === 0) stack.push(node);
    }
    stack.reverse();
    const out: Node[] = [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      out.push(node);
      const next = after(node);
      for (let i = next.length - 1; i >= 0; i--) {
        const other = next[i]!;
        const count = pending.get(other);
        if (count === undefined) continue;
        pending.set(other, count - 1);
        if (count === 1) stack.push(other);
      }
    }
    return out;
  }

  #normalizedDown(node: Node): readonly Node[] {
    if (node.normalizedDeps === undefined) {
      if (node.deps.length === 0) node.normalizedDeps = [];
      else {
        // A dependency an ancestor already declared is implied by that ancestor (Alembic's normalisation).
        const implied = new Set<Node>();
        for (const ancestor of this.#ancestors(node.parents, false)) for (const dep of ancestor.deps) implied.add(dep);
        node.normalizedDeps = node.deps.filter((d) => !implied.has(d));
      }
    }
    return node.normalizedDeps.length === 0 ? node.parents : [...node.parents, ...node.normalizedDeps];
  }

  /** Ancestors (with dependencies) of a set of heads, cached for the run of steps that keeps them. */
  #ancestorsOfHeads(heads: readonly Node[]): Set<Node> {
    const key = ids(heads).sort().join(' ');
    if (this.#ancestorCache?.key !== key) this.#ancestorCache = { key, set: this.#ancestors(heads, true) };
    return this.#ancestorCache.set;
  }

  /**
   * Replays the steps on the version table, as Alembic's HeadMaintainer does, and records each step's
   * change: insert (a base or a new branch), merge (delete parents, update one), unmerge (update one,
   * insert the others), delete (a branch goes away), or a plain update.
   */
  #simulate(order: readonly Node[], direction: 'up' | 'down', currentHeads: readonly string[]): MigrationStep[] {
    const heads = new Set<Node>(this.#currentNodes(currentHeads));
    const steps: MigrationStep[] = [];
    this.#ancestorCache = null;
    for (const node of order) {
      const down = this.#normalizedDown(node);
      let update: readonly [string, string] | null = null;
      let remove: Node[] = [];
      let insert: Node[] = [];
      if (direction === 'up') {
        const present = down.filter((d) => heads.has(d));
        if (present.length === 0) insert = [node];
        else if (present.length > 1) {
          const others = [...heads].filter((h) => !down.includes(h));
          const implied = others.length > 0 ? this.#ancestorsOfHeads(others) : new Set<Node>();
          let from = present.filter((d) => !implied.has(d));
          if (from.length === 0) from = present;
          update = [from[0]!.id, node.id];
          remove = from.slice(1);
        } else update = [present[0]!.id, node.id];
      } else if (heads.has(node)) {
        const to = this.#unmergeTargets(node, down, heads);
        if (to.length === 0) remove = [node];
        else {
          update = [node.id, to[0]!.id];
          insert = to.slice(1);
        }
      } else {
        // Not a row of its own (implied by a dependent that went first): Alembic updates it anyway.
        update = [node.id, down[0]!.id];
      }
      for (const n of remove) heads.delete(n);
      if (update !== null) {
        heads.delete(this.#byId.get(update[0])!);
        heads.add(this.#byId.get(update[1])!);
      }
      for (const n of insert) heads.add(n);
      steps.push({ revision: node.info, direction, versionChange: { update, delete: ids(remove), insert: ids(insert) } });
    }
    return steps;
  }

  /** The rows a downgrade of `node` leaves: its down revisions not already implied by other rows or by each other. */
  #unmergeTargets(node: Node, down: readonly Node[], heads: ReadonlySet<Node>): Node[] {
    if (down.length === 0) return [];
    const others = [...heads].filter((h) => h !== node);
    if (others.length > 0) {
      const implied = this.#ancestorsOfHeads(others);
      return down.filter((d) => !implied.has(d));
    }
    if (down.length === 1) return [...down];
    return down.filter((d) => !down.some((other) => other !== d && this.#ancestors([other], true).has(d)));
  }
}

function validateName(name: string, what: 'Revision id' | 'Branch label', info: RevisionInfo): void {
  if (name === '') throw new RevisionGraphError(`${what} of revision ${where(info)} is empty.`);
  const bad = what === 'Revision id' ? ILLEGAL_ID_CHARACTERS.exec(name) : /[@:\s]/.exec(name);
  if (bad !== null) {
    const allowed = what === 'Revision id' ? "'@', ':', '+', '-' or spaces" : "'@', ':' or spaces";
    throw new RevisionGraphError(`${what} '${name}' of ${where(info)} contains '${bad[0]}': it cannot contain ${allowed}.`);
  }
  if (RESERVED_SYMBOLS.has(name)) {
    throw new RevisionGraphError(`${what} '${name}' of ${where(info)} is a reserved word (head, heads, base, current).`);
  }
}

function selfLoop(node: Node, field: 'downRevision' | 'dependsOn'): CycleDetectedError {
  return new CycleDetectedError(
    [node.id],
    `Cycle in the revision graph: revision ${where(node.info)} names itself in ${field}. Point ${field} at an earlier revision.`,
  );
}

function unknownRevision(identifier: string, hint = ''): UnknownRevisionError {
  return new UnknownRevisionError(
    identifier,
    `Unknown revision '${identifier}'${hint}: no revision id, id prefix or branch label matches. Run \`tsmig history\` to list revisions.`,
  );
}
