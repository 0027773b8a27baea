/**
 * The version-table change of each step of a plan, computed by replaying the steps on the table's rows
 * as Alembic's HeadMaintainer does: a base or a revision whose parents have no row inserts one; a merge
 * deletes all its parents' rows but one and updates that one; undoing a merge updates its row to one
 * parent and inserts the others; a downgrade that leaves nothing on its line deletes the row; anything
 * else updates one row.
 *
 * @internal the machinery of `RevisionMap.upgradePlan` / `downgradePlan`.
 */
import { ancestors, ids, normalizedDown, type RevisionNode } from './revision-graph.js';
import type { MigrationStep } from './revision.js';

/**
 * The steps for `order` (already in running order) from the rows `heads`.
 *
 * @example
 * ```ts
 * versionSteps([a1, b2], 'up', new Set()); // a1: insert a1; b2: update a1 -> b2
 * ```
 */
export function versionSteps(order: readonly RevisionNode[], direction: 'up' | 'down', start: Iterable<RevisionNode>): MigrationStep[] {
  const heads = new Set(start);
  const implied = impliedByCache();
  const steps: MigrationStep[] = [];
  for (const node of order) {
    const down = normalizedDown(node);
    let update: readonly [RevisionNode, RevisionNode] | null = null;
    let remove: RevisionNode[] = [];
    let insert: RevisionNode[] = [];
    if (direction === 'up') {
      const present = down.filter((d) => heads.has(d));
      if (present.length === 0) insert = [node];
      else if (present.length > 1) {
        // A merge (or a dependency's row): the rows of its down revisions collapse into one, except
        // those still implied by another row.
        const others = [...heads].filter((h) => !down.includes(h));
        const kept = others.length > 0 ? implied(others) : new Set<RevisionNode>();
        let from = present.filter((d) => !kept.has(d));
        if (from.length === 0) from = present;
        update = [from[0]!, node];
        remove = from.slice(1);
      } else update = [present[0]!, node];
    } else if (heads.has(node)) {
      const to = unmergeTargets(node, down, heads, implied);
      if (to.length === 0) remove = [node];
      else {
        update = [node, to[0]!];
        insert = to.slice(1);
      }
    } else {
      // Not a row of its own (implied by a dependent that went first): Alembic updates it anyway.
      update = [node, down[0]!];
    }
    for (const n of remove) heads.delete(n);
    if (update !== null) {
      heads.delete(update[0]);
      heads.add(update[1]);
    }
    for (const n of insert) heads.add(n);
    steps.push({
      revision: node.info,
      direction,
      versionChange: { update: update === null ? null : [update[0].id, update[1].id], delete: ids(remove), insert: ids(insert) },
    });
  }
  return steps;
}

/** The rows a downgrade of `node` leaves: its down revisions not already implied by other rows or by each other. */
function unmergeTargets(
  node: RevisionNode,
  down: readonly RevisionNode[],
  heads: ReadonlySet<RevisionNode>,
  implied: (heads: readonly RevisionNode[]) => Set<RevisionNode>,
): RevisionNode[] {
  if (down.length === 0) return [];
  const others = [...heads].filter((h) => h !== node);
  if (others.length > 0) {
    const kept = implied(others);
    return down.filter((d) => !kept.has(d));
  }
  if (down.length === 1) return [...down];
  return down.filter((d) => !down.some((other) => other !== d && ancestors([other], true).has(d)));
}

/**
 * Ancestors (with dependencies) of a set of rows, kept while the set stays the same: stepping one branch
 * down while another stays put asks for the same set at every step, which would otherwise be quadratic.
 */
function impliedByCache(): (heads: readonly RevisionNode[]) => Set<RevisionNode> {
  let cached: { key: string; set: Set<RevisionNode> } | null = null;
  return (heads) => {
    const key = ids(heads).sort().join(' ');
    if (cached?.key !== key) cached = { key, set: ancestors(heads, true) };
    return cached.set;
  };
}
