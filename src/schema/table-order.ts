/**
 * Orders tables by their foreign keys so that parents are created before children. Foreign keys that
 * form a cycle cannot be created inline; they are returned separately, to be added by ALTER TABLE after
 * every table exists (and dropped before any table is dropped).
 */
import type { ForeignKeyConstraint } from './constraints.js';
import type { Table } from './table.js';

export interface TableOrder {
  /** Parents before children. */
  readonly tables: readonly Table[];
  /** Foreign keys to create after the tables (declared `useAlter`, or part of a cycle). */
  readonly deferredForeignKeys: readonly ForeignKeyConstraint[];
}

/** A stable topological sort: among tables free to go next, definition order wins. */
export function sortTables(tables: readonly Table[]): TableOrder {
  const set = new Set(tables);
  const deferred = new Set<ForeignKeyConstraint>();
  for (const table of tables) for (const fk of table.foreignKeys) if (fk.useAlter) deferred.add(fk);

  for (;;) {
    const result = kahn(tables, set, deferred);
    if (result.ok) return { tables: result.order, deferredForeignKeys: [...deferred] };
    // Break a cycle at one of its foreign keys, then sort again. A table left over may only depend on a
    // cycle without being in one; its foreign keys stay inline.
    const stuck = new Set(result.remaining);
    const breaker = result.remaining
      .flatMap((t) => t.foreignKeys)
      .find((fk) => !deferred.has(fk) && fk.referredTable !== fk.table && reaches(fk.referredTable, fk.table, stuck, deferred));
    if (breaker === undefined) return { tables: [...result.order, ...result.remaining], deferredForeignKeys: [...deferred] };
    deferred.add(breaker);
  }
}

/** Whether `from` depends on `to` through foreign keys among `within` that are not deferred. */
function reaches(from: Table, to: Table, within: ReadonlySet<Table>, deferred: ReadonlySet<ForeignKeyConstraint>): boolean {
  const seen = new Set<Table>();
  const queue = [from];
  while (queue.length > 0) {
    const table = queue.pop()!;
    if (table === to) return true;
    if (seen.has(table)) continue;
    seen.add(table);
    for (const fk of table.foreignKeys) {
      if (!deferred.has(fk) && within.has(fk.referredTable)) queue.push(fk.referredTable);
    }
  }
  return false;
}

function kahn(
  tables: readonly Table[],
  set: ReadonlySet<Table>,
  deferred: ReadonlySet<ForeignKeyConstraint>,
): { ok: true; order: Table[] } | { ok: false; order: Table[]; remaining: Table[] } {
  const parents = new Map<Table, Set<Table>>();
  for (const table of tables) {
    const own = new Set<Table>();
    for (const fk of table.foreignKeys) {
      const parent = fk.referredTable;
      if (!deferred.has(fk) && parent !== table && set.has(parent)) own.add(parent);
    }
    parents.set(table, own);
  }
  const order: Table[] = [];
  const done = new Set<Table>();
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const table of tables) {
      if (done.has(table)) continue;
      if ([...parents.get(table)!].every((p) => done.has(p))) {
        order.push(table);
        done.add(table);
        progressed = true;
      }
    }
  }
  if (order.length === tables.length) return { ok: true, order };
  return { ok: false, order, remaining: tables.filter((t) => !done.has(t)) };
}

const DELETE_ACTIONS = new Set(['CASCADE', 'SET NULL', 'SET DEFAULT']);

/**
 * A drop order for tables whose foreign key cycles cannot be broken by dropping a constraint (SQLite),
 * so they are dropped with checks deferred. SQLite's DROP TABLE runs an implicit DELETE, and compiles the
 * ON DELETE actions it sets off as programs that look up the parents of every table they touch: one that
 * is dropped already fails the DROP ("no such table"). So a table goes before the parents of the tables
 * its ON DELETE actions reach (itself included, for a self-reference); otherwise `dropOrder` (children
 * first) is kept, and kept as it is when the rules contradict each other.
 */
export function dropOrderWithActions(dropOrder: readonly Table[]): Table[] {
  const set = new Set(dropOrder);
  const referrers = (table: Table): Table[] =>
    dropOrder.filter((t) => t.foreignKeys.some((fk) => fk.referredTable === table && DELETE_ACTIONS.has(fk.onDelete ?? '')));
  const before = new Map<Table, Set<Table>>(dropOrder.map((t) => [t, new Set<Table>()]));
  for (const table of dropOrder) {
    const reached = new Set<Table>();
    const queue = referrers(table);
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (reached.has(next)) continue;
      reached.add(next);
      queue.push(...referrers(next));
    }
    for (const touched of reached) {
      for (const fk of touched.foreignKeys) {
        const parent = fk.referredTable;
        if (parent !== table && set.has(parent)) before.get(parent)!.add(table);
      }
    }
  }
  const order: Table[] = [];
  const done = new Set<Table>();
  while (order.length < dropOrder.length) {
    const next = dropOrder.find((t) => !done.has(t) && [...before.get(t)!].every((p) => done.has(p)));
    if (next === undefined) return [...dropOrder];
    order.push(next);
    done.add(next);
  }
  return order;
}
