/**
 * A stable topological order over tables named by key, for the tables a revision creates (parents
 * first) or drops (children first). A foreign key that closes a cycle is returned apart, to be created
 * after the tables (or dropped before them) by ALTER TABLE.
 */

/** A dependency of `child` on `parent`, carried by `edge` (a foreign key). */
export interface Dependency<E> {
  readonly child: string;
  readonly parent: string;
  readonly edge: E;
}

export interface DependencyOrder<E> {
  /** Parents before children; among tables free to go next, the given order wins. */
  readonly order: readonly string[];
  /** The edges left out to break cycles. */
  readonly broken: readonly E[];
}

/** Orders `keys` so each parent comes before its children, breaking cycles at one edge each. */
export function dependencyOrder<E>(keys: readonly string[], dependencies: readonly Dependency<E>[]): DependencyOrder<E> {
  const known = new Set(keys);
  const live = dependencies.filter((d) => d.child !== d.parent && known.has(d.child) && known.has(d.parent));
  const broken: E[] = [];
  for (;;) {
    const parents = new Map<string, Set<string>>(keys.map((k) => [k, new Set<string>()]));
    for (const d of live) parents.get(d.child)!.add(d.parent);
    const order: string[] = [];
    const done = new Set<string>();
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const key of keys) {
        if (done.has(key) || ![...parents.get(key)!].every((p) => done.has(p))) continue;
        order.push(key);
        done.add(key);
        progressed = true;
      }
    }
    if (order.length === keys.length) return { order, broken };
    // Break the cycle at an edge between two tables that are both stuck, and sort again.
    const at = live.findIndex((d) => !done.has(d.child) && !done.has(d.parent) && reaches(d.parent, d.child, live, done));
    if (at === -1) return { order: [...order, ...keys.filter((k) => !done.has(k))], broken };
    broken.push(live[at]!.edge);
    live.splice(at, 1);
  }
}

function reaches<E>(from: string, to: string, edges: readonly Dependency<E>[], done: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (key === to) return true;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const d of edges) if (d.child === key && !done.has(d.parent)) queue.push(d.parent);
  }
  return false;
}
