/**
 * One flush: collect what changed, order it by the tables' foreign keys (parents inserted first,
 * children deleted first), write it through the persister, then move the objects to their new states.
 * Relationship bookkeeping (cascades, foreign key sync, association rows) joins through FlushParticipant.
 */
import type { Connection } from '../../engine/connection.js';
import type { Table } from '../../schema/table.js';
import { sortTables } from '../../schema/table-order.js';
import type { Mapper } from '../mapper.js';
import type { InstanceState } from './instance-state.js';
import { deleteStates, insertStates, updateStates } from './persister.js';

/** What a flush works on; the session owns these collections. */
export interface FlushSet {
  /** Pending objects, in the order they were added. */
  readonly pending: readonly InstanceState[];
  /** Persistent objects with attribute changes. */
  readonly dirty: readonly InstanceState[];
  /** Persistent objects marked for deletion. */
  readonly deleted: readonly InstanceState[];
}

/**
 * Relationship processing hooks: before anything is written (cascade and collect more objects, set
 * foreign keys from related objects) and around each table's writes (association rows).
 */
export interface FlushParticipant {
  /** May add objects to the flush (save-update and delete cascades); called until nothing changes. */
  expand(set: FlushSet): FlushSet;
  /** Before the states' rows are inserted or updated: copy related objects' keys into their foreign keys. */
  syncForeignKeys(states: readonly InstanceState[]): void;
  /**
   * Splits one table's new rows into batches inserted one after another, when some rows need the
   * generated key of others of the same table (a self-referential relationship). Optional.
   */
  insertBatches?(states: readonly InstanceState[]): readonly (readonly InstanceState[])[];
  /** After every insert and update, before deletes: write association rows (many-to-many). */
  afterSaves(connection: Connection, set: FlushSet): Promise<void>;
  /** Before the deletes: remove association rows and null out children's foreign keys. */
  beforeDeletes(connection: Connection, set: FlushSet): Promise<void>;
}

export interface FlushOutcome {
  readonly inserted: readonly InstanceState[];
  readonly deleted: readonly InstanceState[];
  /** The objects considered for UPDATE, cascades included (whether or not a column changed). */
  readonly updated: readonly InstanceState[];
  /** The whole set written, after the participant expanded it. */
  readonly set: FlushSet;
}

export async function flushChanges(connection: Connection, input: FlushSet, participant: FlushParticipant | null): Promise<FlushOutcome> {
  const set = participant === null ? input : participant.expand(input);
  const byTable = (states: readonly InstanceState[]) => {
    const map = new Map<Table, InstanceState[]>();
    for (const state of states) {
      const list = map.get(state.mapper.table);
      if (list === undefined) map.set(state.mapper.table, [state]);
      else list.push(state);
    }
    return map;
  };
  const pending = byTable(set.pending);
  const dirty = byTable(set.dirty);
  const deleted = byTable(set.deleted);
  const tables = [...new Set([...pending.keys(), ...dirty.keys(), ...deleted.keys()])];
  const order = sortTables(tables).tables;

  for (const table of order) {
    const inserts = pending.get(table) ?? [];
    const batches = inserts.length === 0 ? [] : (participant?.insertBatches?.(inserts) ?? [inserts]);
    for (const batch of batches) {
      participant?.syncForeignKeys(batch);
      if (batch.length > 0) await insertStates(connection, batch[0]!.mapper, batch);
    }
    const updates: [InstanceState, Record<string, unknown>][] = [];
    const changed = dirty.get(table) ?? [];
    participant?.syncForeignKeys(changed);
    for (const state of changed) {
      const changes = state.changes(state.mapper.columnKeys);
      if (changes !== null) updates.push([state, changes]);
    }
    if (updates.length > 0) await updateStates(connection, updates[0]![0].mapper, updates);
  }
  if (participant !== null) {
    await participant.afterSaves(connection, set);
    await participant.beforeDeletes(connection, set);
  }
  for (const table of [...order].reverse()) {
    const deletes = deleted.get(table);
    if (deletes !== undefined) await deleteStates(connection, deletes[0]!.mapper as Mapper, deletes);
  }
  return { inserted: set.pending, deleted: set.deleted, updated: set.dirty, set };
}
