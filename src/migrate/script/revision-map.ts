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
import { AmbiguousRevisionError, type CycleDetectedError, MultipleHeadsError, RevisionGraphError, UnknownRevisionError } from './errors.js';
import { parseIdentifier, parseRange, type ParsedIdentifier } from './identifier.js';
import {
  ancestors,
  buildRevisionGraph,
  descendants,
  ids,
  lineage,
  newestFirst,
  normalizedDown,
  oldestFirst,
  type RevisionNode as Node,
} from './revision-graph.js';
import type { MigrationStep, RevisionInfo } from './revision.js';
import { versionSteps } from './version-steps.js';

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
  readonly #nodes: readonly Node[];
  readonly #byId: ReadonlyMap<string, Node>;
  readonly #byLabel: ReadonlyMap<string, Node>;
  readonly #heads: Node[];
  readonly #realHeads: Node[];
  readonly #bases: Node[];

  /**
   * Builds and validates the graph. Each problem is one error naming the file: a duplicate id, an id with
   * reserved characters, a `downRevision` or `dependsOn` naming no revision, a duplicate branch label,
   * a cycle ({@link CycleDetectedError}).
   */
  constructor(revisions: readonly RevisionInfo[]) {
    const graph = buildRevisionGraph(revisions);
    this.#nodes = graph.nodes;
    this.#byId = graph.byId;
    this.#byLabel = graph.byLabel;
    this.#heads = this.#nodes.filter((n) => n.children.length === 0);
    this.#realHeads = this.#heads.filter((n) => n.dependents.length === 0);
    this.#bases = this.#nodes.filter((n) => n.parents.length === 0);
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

  /** Whether two or more revisions revise `id`. */
  isBranchPoint(id: string): boolean {
    return this.#node(id).children.length > 1;
  }

  /** Whether `id` revises two or more revisions. */
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
    return ids(normalizedDown(this.#node(id)));
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
    const bottom = lower === null ? null : this.#resolve(lower, current, 'any');
    // `A:+2` counts from A, as Alembic's history does; `:+2` from base.
    const upFrom = upperCountsFromLower(upper) ? (bottom?.nodes ?? []) : current;
    const top = upper === null ? { nodes: this.#realHeads, base: false, branch: null, start: null } : this.#resolve(upper, upFrom, 'any');
    const set = ancestors(top.nodes, true);
    if (bottom !== null) {
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
        const below = descendants(bottom.nodes, false);
        for (const node of set) if (!below.has(node)) set.delete(node);
      }
    }
    return newestFirst(this.#nodes, set).map((n) => n.info);
  }

  /** Every revision, newest first (`tsmig history` without a range). */
  history(): readonly RevisionInfo[] {
    return newestFirst(this.#nodes, new Set(this.#nodes)).map((n) => n.info);
  }

  // -----------------------------------------------------------------------------------------------
  // Plans

  /**
   * The steps that take a database from `currentHeads` (its version table) to `target`, in the order to
   * run them: every dependency before its dependents, each step with its version-table change (a base
   * or a new branch inserts a row, a merge updates one parent's row and deletes the others, a plain
   * step updates one row). `heads` upgrades every branch; `head` with several heads is a
   * {@link MultipleHeadsError}. A target already applied gives no step.
   *
   * @example
   * ```ts
   * map.upgradePlan(['a1'], 'head'); // [{ revision: b2, direction: 'up', versionChange: { update: ['a1', 'b2'], delete: [], insert: [] } }]
   * ```
   */
  upgradePlan(currentHeads: readonly string[], target: string): readonly MigrationStep[] {
    const current = this.#currentRows(currentHeads);
    const targets = this.#upgradeTargets(current, target);
    const applied = ancestors(current, true);
    const below = targets.filter((t) => applied.has(t) && !current.includes(t));
    if (below.length > 0 && targets.every((t) => applied.has(t))) {
      throw new RevisionGraphError(
        `Revision ${ids(below).join(', ')} is below the current revision(s) ${currentHeads.join(', ')}: upgrade only moves forward. ` +
          `Use \`tsmig downgrade ${target}\` to go back to it.`,
      );
    }
    const needs = ancestors(targets, true);
    for (const node of applied) needs.delete(node);
    const order = oldestFirst(this.#nodes, needs);
    return versionSteps(order, 'up', current);
  }

  /**
   * The steps that take a database from `currentHeads` down to `target`, newest first: everything above
   * the target that is applied, dependents before what they depend on. `base` undoes everything,
   * `label@base` one branch; `-1` steps down once from the current revision (which must be one, or be
   * qualified: `label@-1`, `<rev>-1`); a revision on one branch leaves the other branches alone when
   * qualified with its label (`shop@1975ea`) or reached by a relative step.
   */
  downgradePlan(currentHeads: readonly string[], target: string): readonly MigrationStep[] {
    const current = this.#currentRows(currentHeads);
    const resolution = this.#resolve(target, current, 'down');
    if (resolution.start !== null) {
      // A relative step (`-1`, `m-2`) undoes the revisions it stepped over, and what is applied above them;
      // stepping down from a merge goes back to all of its parents.
      const roots = ancestors([resolution.start], false);
      for (const node of ancestors(resolution.nodes, false)) roots.delete(node);
      return this.#downgradeSteps(current, roots);
    }
    const { node: goal, restrict } = this.#downgradeTarget(target, resolution);
    let roots = goal === null ? this.#bases : goal.children;
    if (restrict !== null && roots.length > 1) {
      const line = ancestors([restrict], false);
      roots = roots.filter((r) => line.has(r));
      if (roots.length === 0) {
        throw new RevisionGraphError(`Revision ${target} is not a valid downgrade target from the current revision(s) ${currentHeads.join(', ') || '(base)'}.`);
      }
    }
    const active = ancestors(current, true);
    if (goal !== null && !active.has(goal)) {
      throw new RevisionGraphError(
        `Revision ${goal.id} is not a valid downgrade target: it is not below the current revision(s) ${currentHeads.join(', ') || '(base)'}. ` +
          `Use \`tsmig upgrade ${target}\` to move forward to it.`,
      );
    }
    return this.#downgradeSteps(current, roots);
  }

  /** The steps that undo `roots` and every applied revision above them, newest first. */
  #downgradeSteps(current: readonly Node[], roots: Iterable<Node>): readonly MigrationStep[] {
    const active = ancestors(current, true);
    const drop = descendants(roots, true);
    for (const node of drop) if (!active.has(node)) drop.delete(node);
    return versionSteps(newestFirst(this.#nodes, drop), 'down', current);
  }

  /**
   * The version table after `tsmig stamp target` (no migration runs): each target replaces the current
   * revisions on its line of history (ancestors or descendants), or is added as a new branch;
   * `base`/`label@base` removes them. Several targets may be given.
   */
  stampHeads(currentHeads: readonly string[], target: string | readonly string[]): StampPlan {
    const current = this.#currentRows(currentHeads);
    let heads: Node[] = [...current];
    for (const identifier of typeof target === 'string' ? [target] : target) {
      const resolution = this.#resolve(identifier, current, 'any');
      if (resolution.base) {
        if (resolution.branch === null) heads = [];
        else {
          const line = lineage(resolution.branch, true);
          heads = heads.filter((h) => !line.has(h));
        }
        continue;
      }
      for (const dest of resolution.nodes) {
        if (heads.includes(dest)) continue;
        const line = lineage(dest, true);
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

  /**
   * The version table's rows as nodes, refusing rows that overlap (one an ancestor of another): a run
   * would plan from a state no sequence of migrations produces, and the stale row would survive it.
   */
  #currentRows(currentHeads: readonly string[]): Node[] {
    const rows = this.#currentNodes(currentHeads);
    if (rows.length < 2) return rows;
    const implied = new Map<Node, Node>();
    for (const row of rows) {
      for (const node of ancestors([row], true)) if (node !== row && !implied.has(node)) implied.set(node, row);
    }
    const stale = rows.filter((r) => implied.has(r));
    if (stale.length === 0) return rows;
    const keep = ids(rows.filter((r) => !implied.has(r)));
    const pairs = stale.map((r) => `${r.id} is below ${implied.get(r)!.id}`).join('; ');
    throw new RevisionGraphError(
      `The version table has overlapping rows (${currentHeads.join(', ')}): ${pairs}. ` +
        `Each row must be the newest applied revision of its branch; fix the table with \`tsmig stamp --purge ${keep.join(' ')}\`.`,
    );
  }

  #resolveSingle(identifier: string, current: readonly Node[] | undefined): Node | null {
    const { nodes, base, start } = this.#resolve(identifier, current, 'any');
    if (base || nodes.length === 0) return null;
    if (nodes.length > 1 && start !== null) {
      throw new RevisionGraphError(`'${identifier}' steps down across a merge to ${ids(nodes).join(', ')}; name one of them.`);
    }
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
      const line = lineage(branch, false);
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
        if (branch !== null && !lineage(branch, false).has(node)) {
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
      const line = lineage(branch, false);
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
    const nodes = up ? [this.#walkUp(start, parsed.steps, branch, text)] : this.#walkDown(start, -parsed.steps, text);
    return { nodes, base: nodes.length === 0, branch, start };
  }

  /** Where `+N` starts: the current revision on the branch (or the tip of what is applied of it), else base. */
  #startOfUpwardWalk(current: readonly Node[], branch: Node | null, text: string): Node | null {
    let starts: Node[] = [...current];
    if (branch !== null) {
      const line = lineage(branch, false);
      starts = current.filter((n) => line.has(n));
      if (starts.length === 0 && current.length > 0) {
        // The branch is not a current head: start from the newest applied revisions on it.
        const applied = [...ancestors(current, true)].filter((n) => line.has(n));
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
      const line = lineage(branch, false);
      let onBranch = starts.filter((n) => line.has(n));
      if (onBranch.length === 0 && current !== undefined) {
        // The branch's newest applied revision may be implied by a dependent head (Alembic's case).
        const applied = [...ancestors(current, true)].filter((n) => line.has(n));
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
    const line = branch === null ? null : lineage(branch, false);
    let node = start;
    for (let i = 0; i < steps; i++) {
      let next = node === null ? this.#bases : node.children;
      if (line !== null) next = next.filter((n) => line.has(n));
      if (next.length === 0) {
        throw new RevisionGraphError(
          `Relative revision '${text}' goes past the head: there are only ${i} revision(s) above ${start?.id ?? 'base'} (the head is ${node?.id ?? 'base'}).`,
        );
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

  /**
   * N steps towards base. A merge steps to all of its parents (undoing a merge leaves them all), one step
   * below a base revision is base; the result is every revision reached, none for base.
   */
  #walkDown(start: Node | null, steps: number, text: string): Node[] {
    let frontier: Node[] = start === null ? [] : [start];
    for (let i = 0; i < steps; i++) {
      if (frontier.length === 0) {
        throw new RevisionGraphError(`Relative revision '${text}' goes below base: there are only ${i} revision(s) to step down.`);
      }
      frontier = [...new Set(frontier.flatMap((n) => n.parents))];
    }
    return frontier;
  }

  #upgradeTargets(current: readonly Node[], target: string): readonly Node[] {
    const resolution = this.#resolve(target, current, 'up');
    return resolution.nodes;
  }

  #downgradeTarget(target: string, resolution: Resolution): { node: Node | null; restrict: Node | null } {
    if (resolution.nodes.length > 1) {
      throw new RevisionGraphError(`Downgrade target '${target}' names several revisions (${ids(resolution.nodes).join(', ')}); name one.`);
    }
    // A branch qualifier keeps the downgrade on its branch.
    return { node: resolution.nodes[0] ?? null, restrict: resolution.branch };
  }

  /** Members of a branch for `label@base` ranges: revisions carrying the label, or the lineage of a revision. */
  #branchMembers(branch: Node): (node: Node) => boolean {
    const label = branch.info.branchLabels[0];
    if (label !== undefined) return (node) => node.labels.has(label);
    const line = lineage(branch, false);
    return (node) => line.has(node);
  }
}

function unknownRevision(identifier: string, hint = ''): UnknownRevisionError {
  return new UnknownRevisionError(
    identifier,
    `Unknown revision '${identifier}'${hint}: no revision id, id prefix or branch label matches. Run \`tsmig history\` to list revisions.`,
  );
}

/** Whether the upper end of a range is a bare `+N`, which counts from the lower end (`A:+2`). */
function upperCountsFromLower(upper: string | null): boolean {
  if (upper === null) return false;
  const parsed = parseIdentifier(upper);
  return parsed.kind === 'relative' && parsed.symbol === null && parsed.branch === null && parsed.steps > 0;
}
