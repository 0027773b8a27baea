/**
 * The nodes behind {@link RevisionMap}: building them from `RevisionInfo`s with every validation, and
 * the walks over them (ancestors, descendants, topological orders). Pure and linear in the graph size.
 *
 * @internal the map's machinery; use `RevisionMap`.
 */
import { CycleDetectedError, RevisionGraphError, UnknownRevisionError } from './errors.js';
import { ILLEGAL_ID_CHARACTERS, RESERVED_SYMBOLS } from './identifier.js';
import type { RevisionInfo } from './revision.js';

/** A revision with its resolved edges. */
export interface RevisionNode {
  readonly info: RevisionInfo;
  readonly id: string;
  /** Position in the input: the tie-breaker that keeps every answer deterministic. */
  readonly index: number;
  readonly parents: RevisionNode[];
  /** Resolved `dependsOn` (labels resolved to their revision), without any that are also parents. */
  readonly deps: RevisionNode[];
  readonly children: RevisionNode[];
  /** Revisions whose `dependsOn` names this one. */
  readonly dependents: RevisionNode[];
  /** Own labels plus those propagated along the branch (Alembic's `branch_labels`). */
  labels: Set<string>;
  /** `deps` minus those already dependencies of an ancestor; computed on first use. */
  normalizedDeps?: readonly RevisionNode[];
}

/** The validated graph: nodes in input order, by id and by branch label. */
export interface RevisionGraph {
  readonly nodes: readonly RevisionNode[];
  readonly byId: ReadonlyMap<string, RevisionNode>;
  readonly byLabel: ReadonlyMap<string, RevisionNode>;
}

const EMPTY_LABELS: Set<string> = new Set();

/** `1975ea83b712 (versions/1975ea83b712_add_movies.ts)`, or the id alone for in-memory revisions. */
export function where(info: RevisionInfo): string {
  return info.path === '' ? info.revision : `${info.revision} (${info.path})`;
}

export function ids(nodes: Iterable<RevisionNode>): string[] {
  return Array.from(nodes, (n) => n.id);
}

/**
 * Builds and validates the graph. Each problem is one error naming the file: a duplicate id, an id with
 * reserved characters, a `downRevision` or `dependsOn` naming no revision, a duplicate branch label,
 * a cycle ({@link CycleDetectedError}).
 */
export function buildRevisionGraph(revisions: readonly RevisionInfo[]): RevisionGraph {
  const nodes: RevisionNode[] = [];
  const byId = new Map<string, RevisionNode>();
  const byLabel = new Map<string, RevisionNode>();
  for (const info of revisions) {
    validateName(info.revision, 'Revision id', info);
    const existing = byId.get(info.revision);
    if (existing !== undefined) {
      throw new RevisionGraphError(
        `Duplicate revision id ${info.revision}: in ${existing.info.path || '(memory)'} and ${info.path || '(memory)'}. ` +
          'Give one of them a new id, and update the revisions that name it.',
      );
    }
    const node: RevisionNode = { info, id: info.revision, index: nodes.length, parents: [], deps: [], children: [], dependents: [], labels: EMPTY_LABELS };
    nodes.push(node);
    byId.set(info.revision, node);
  }
  for (const node of nodes) {
    for (const label of node.info.branchLabels) {
      validateName(label, 'Branch label', node.info);
      const owner = byLabel.get(label) ?? byId.get(label);
      if (owner !== undefined) {
        const what = owner.id === label ? 'is the id of revision' : 'is already used by revision';
        throw new RevisionGraphError(`Branch label '${label}' of revision ${where(node.info)} ${what} ${where(owner.info)}. Branch labels must be unique.`);
      }
      byLabel.set(label, node);
    }
  }
  const graph = { nodes, byId, byLabel };
  for (const node of nodes) link(graph, node);
  checkCycles(nodes);
  for (const node of nodes) if (node.info.branchLabels.length > 0) propagateLabels(node);
  return graph;
}

function link(graph: RevisionGraph, node: RevisionNode): void {
  const { info } = node;
  const seen = new Set<string>();
  for (const parentId of info.downRevisions) {
    if (seen.has(parentId)) throw new RevisionGraphError(`Revision ${where(info)} names down revision '${parentId}' twice.`);
    seen.add(parentId);
    if (parentId === node.id) throw selfLoop(node, 'downRevision');
    const parent = graph.byId.get(parentId);
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
    const target = graph.byId.get(dep) ?? graph.byLabel.get(dep);
    if (target === undefined) {
      throw new UnknownRevisionError(
        dep,
        `Revision ${where(info)} has dependsOn '${dep}', which names no revision or branch label. Fix dependsOn, or restore the revision it names.`,
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
function checkCycles(nodes: readonly RevisionNode[]): void {
  const pending = new Map<RevisionNode, number>();
  const ready: RevisionNode[] = [];
  for (const node of nodes) {
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
  if (done === nodes.length) return;
  // Every node left has a parent or dependency that is also left: walking up through them must come
  // back to a node already seen, which closes a cycle.
  let node = nodes.find((n) => pending.get(n)! > 0)!;
  const path: RevisionNode[] = [];
  const position = new Map<RevisionNode, number>();
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

/** A label covers its revision's descendants, and its ancestors back to the branch point or merge. */
function propagateLabels(owner: RevisionNode): void {
  const add = (node: RevisionNode): void => {
    if (node.labels === EMPTY_LABELS) node.labels = new Set();
    for (const label of owner.info.branchLabels) node.labels.add(label);
  };
  for (const node of descendants([owner], false)) add(node);
  let node = owner;
  while (node.parents.length === 1) {
    node = node.parents[0]!;
    if (node.children.length + node.dependents.length > 1 || node.parents.length > 1) break;
    add(node);
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

function selfLoop(node: RevisionNode, field: 'downRevision' | 'dependsOn'): CycleDetectedError {
  return new CycleDetectedError(
    [node.id],
    `Cycle in the revision graph: revision ${where(node.info)} names itself in ${field}. Point ${field} at an earlier revision.`,
  );
}

// -------------------------------------------------------------------------------------------------
// Walks

/** The nodes and all their ancestors (through dependencies too when asked). */
export function ancestors(nodes: Iterable<RevisionNode>, withDeps: boolean): Set<RevisionNode> {
  return reachable(nodes, withDeps ? ['parents', 'deps'] : ['parents']);
}

/** The nodes and all their descendants (through dependents too when asked). */
export function descendants(nodes: Iterable<RevisionNode>, withDeps: boolean): Set<RevisionNode> {
  return reachable(nodes, withDeps ? ['children', 'dependents'] : ['children']);
}

/** The nodes and every node reachable from them through the given edge lists, depth first. */
function reachable(nodes: Iterable<RevisionNode>, edges: readonly ('parents' | 'deps' | 'children' | 'dependents')[]): Set<RevisionNode> {
  const seen = new Set<RevisionNode>();
  const todo = [...nodes];
  while (todo.length > 0) {
    const node = todo.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const edge of edges) for (const next of node[edge]) if (!seen.has(next)) todo.push(next);
  }
  return seen;
}

/** Everything on the same line of history as `node`: its ancestors, itself and its descendants. */
export function lineage(node: RevisionNode, withDeps: boolean): Set<RevisionNode> {
  const line = ancestors([node], withDeps);
  for (const n of descendants([node], withDeps)) line.add(n);
  return line;
}

/**
 * Orders `set` newest first: every revision before its parents and dependencies (within the set).
 * Depth first from the heads, in input order, so one branch is listed down to where it joins another
 * before the next begins, as `alembic history` prints it.
 */
export function newestFirst(all: readonly RevisionNode[], set: ReadonlySet<RevisionNode>): RevisionNode[] {
  return topologicalOrder(all, set, (n) => [n.children, n.dependents], (n) => [...n.parents, ...n.deps]);
}

/** Orders `set` oldest first (the order of an upgrade): depth first from the bases, one branch at a time. */
export function oldestFirst(all: readonly RevisionNode[], set: ReadonlySet<RevisionNode>): RevisionNode[] {
  return topologicalOrder(all, set, (n) => [n.parents, n.deps], (n) => [...n.children, ...n.dependents]);
}

/**
 * A topological order of `set`: a node comes once everything `before(node)` lists (within the set) has
 * come; among the ready ones the most recently freed first, then input order. Linear in the set.
 */
function topologicalOrder(
  all: readonly RevisionNode[],
  set: ReadonlySet<RevisionNode>,
  before: (node: RevisionNode) => readonly (readonly RevisionNode[])[],
  after: (node: RevisionNode) => readonly RevisionNode[],
): RevisionNode[] {
  const pending = new Map<RevisionNode, number>();
  const stack: RevisionNode[] = [];
  for (const node of all) {
    if (!set.has(node)) continue;
    let count = 0;
    for (const group of before(node)) for (const other of group) if (set.has(other)) count++;
    pending.set(node, count);
    if (count === 0) stack.push(node);
  }
  stack.reverse();
  const out: RevisionNode[] = [];
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

/**
 * The revisions a step of `node` moves the version table from: its parents, then the dependencies not
 * already implied by an ancestor's dependencies (Alembic's normalisation).
 */
export function normalizedDown(node: RevisionNode): readonly RevisionNode[] {
  if (node.normalizedDeps === undefined) {
    if (node.deps.length === 0) node.normalizedDeps = [];
    else {
      const implied = new Set<RevisionNode>();
      for (const ancestor of ancestors(node.parents, false)) for (const dep of ancestor.deps) implied.add(dep);
      node.normalizedDeps = node.deps.filter((d) => !implied.has(d));
    }
  }
  return node.normalizedDeps.length === 0 ? node.parents : [...node.parents, ...node.normalizedDeps];
}
