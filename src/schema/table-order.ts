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
    // Break the cycle at a foreign key between two of the tables left over, then sort again.
    const stuck = new Set(result.remaining);
    const breaker = result.remaining
      .flatMap((t) => t.foreignKeys)
      .find((fk) => !deferred.has(fk) && stuck.has(fk.referredTable) && fk.referredTable !== fk.table);
    if (breaker === undefined) return { tables: [...result.order, ...result.remaining], deferredForeignKeys: [...deferred] };
    deferred.add(breaker);
  }
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
