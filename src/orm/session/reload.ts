/**
 * Reloads objects' column values from the database in few SELECTs, for `refresh()` and for the reload
 * after commit and rollback: integer keys that lie close together are read as a key range, the rest
 * by key lists of up to 10,000 (composite keys: 1,000 per statement).
 */
import type { Connection } from '../../engine/connection.js';
import { and_, or_ } from '../../sql/elements/conjunctions.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { select } from '../../sql/statements/select.js';
import type { Mapper } from '../mapper.js';
import { innerKeyOf, splitIdentityKey } from './identity-key.js';
import type { InstanceState } from './instance-state.js';
import { rowReaderOf, rowWriterOf } from './compiled-records.js';

/** Objects per key list: a hundred round trips for 100,000 objects at 1,000, ten at this size. */
const LIST_CHUNK = 10_000;
/** Composite keys become `(a = ? AND b = ?) OR ...`, which grows fast: smaller chunks. */
const COMPOSITE_CHUNK = 1000;
/** Objects per key range: one range scan reads them all, whatever their number. */
const RANGE_CHUNK = 100_000;

/** One SELECT of a reload: the objects it covers and its WHERE clause. */
interface ReloadPart {
  readonly states: readonly InstanceState[];
  readonly where: ColumnElement<boolean>;
  /** Integer keys: `states` ascend by key, and the rows are asked for in key order to be merged in. */
  readonly sorted: boolean;
}

/** The reload reads rows by position: they are taken as converted, never given names (a call into the runtime per row). */
function positional(row: unknown[]): unknown[] {
  return row;
}

/** The primary key value an object's row has in the database (its key as last loaded or flushed). */
function storedKey(state: InstanceState, key: string): unknown {
  return state.committed[key] ?? state.dict[key];
}

/** Loads fresh values into `states`; returns those whose rows no longer exist. */
export async function reloadStates(
  connection: Connection,
  states: readonly InstanceState[],
  options: { readonly discardChanges: boolean },
): Promise<InstanceState[]> {
  const missing: InstanceState[] = [];
  const byMapper = new Map<Mapper, InstanceState[]>();
  for (const state of states) {
    const list = byMapper.get(state.mapper);
    if (list === undefined) byMapper.set(state.mapper, [state]);
    else list.push(state);
  }
  for (const [mapper, list] of byMapper) {
    const keys = mapper.columns.map((c) => c.key);
    const pkIndexes = mapper.primaryKeyKeys.map((k) => keys.indexOf(k));
    const single = pkIndexes.length === 1;
    const pkKey = mapper.primaryKeyKeys[0]!;
    // Rows are matched to objects by inner identity key (a number for an integer key), not by text.
    const rowInner = single
      ? (row: readonly unknown[]) => innerKeyOf(row[pkIndexes[0]!])
      : (row: readonly unknown[]) => splitIdentityKey(mapper.identityKey(pkIndexes.map((i) => row[i])))[1];
    const stateInner = single ? (state: InstanceState) => innerKeyOf(storedKey(state, pkKey)) : (state: InstanceState) => splitIdentityKey(state.key!)[1];
    const read = rowReaderOf(mapper);
    const write = rowWriterOf(mapper);
    const load = (state: InstanceState, row: readonly unknown[]) => {
      if (options.discardChanges) state.revert();
      // Nothing changed, expired or kept apart as committed: the row's values go into the same record.
      if (state.modifiedKeys === null && state.expired === null && state.committed === state.dict) write(state.dict, row, 0);
      else state.load(read(row, 0));
    };
    for (const part of reloadParts(mapper, list)) {
      if (part.sorted) {
        // Both sides ascend by key: a merge, with no map of 100,000 keys to build and probe.
        const pk = mapper.primaryKey[0] as ColumnElement;
        const rows = await connection.executeRead(select(mapper.table).where(part.where).orderBy(pk), undefined, positional);
        const at = pkIndexes[0]!;
        let r = 0;
        for (const state of part.states) {
          const key = storedKey(state, pkKey) as number;
          while (r < rows.length && (rows[r]![at] as number) < key) r++;
          if (r < rows.length && rows[r]![at] === key) load(state, rows[r++]!);
          else missing.push(state);
        }
        continue;
      }
      const byKey = new Map(part.states.map((state) => [stateInner(state), state]));
      for (const row of await connection.executeRead(select(mapper.table).where(part.where), undefined, positional)) {
        const inner = rowInner(row);
        const state = byKey.get(inner);
        // A key range also returns rows of objects the session does not hold.
        if (state === undefined) continue;
        byKey.delete(inner);
        load(state, row);
      }
      missing.push(...byKey.values());
    }
  }
  return missing;
}

/**
 * Splits a mapper's objects into SELECTs. Integer keys are sorted, and a run whose keys fill at least
 * half of their range (ids 1..100,000 after loading a table) is read with `pk BETWEEN lo AND hi`: a
 * range scan, where a list of 10,000 keys costs the database a lookup each (and SQLite far more).
 */
function reloadParts(mapper: Mapper, states: readonly InstanceState[]): ReloadPart[] {
  const parts: ReloadPart[] = [];
  if (mapper.primaryKey.length !== 1) {
    for (let offset = 0; offset < states.length; offset += COMPOSITE_CHUNK) {
      const chunk = states.slice(offset, offset + COMPOSITE_CHUNK);
      const match = (s: InstanceState) => and_(...mapper.primaryKey.map((c) => (c as ColumnElement).eq(storedKey(s, c.key) as never)));
      parts.push({ states: chunk, where: or_(...chunk.map(match)), sorted: false });
    }
    return parts;
  }
  const column = mapper.primaryKey[0] as ColumnElement & { key: string };
  const list = (chunk: readonly InstanceState[], sorted: boolean): ReloadPart => ({
    states: chunk,
    where: column.in(chunk.map((s) => storedKey(s, column.key)) as never[]),
    sorted,
  });
  const integers = states.every((s) => Number.isSafeInteger(storedKey(s, column.key)));
  if (!integers) {
    for (let offset = 0; offset < states.length; offset += LIST_CHUNK) parts.push(list(states.slice(offset, offset + LIST_CHUNK), false));
    return parts;
  }
  const sorted = [...states].sort((a, b) => (storedKey(a, column.key) as number) - (storedKey(b, column.key) as number));
  let start = 0;
  while (start < sorted.length) {
    const lo = storedKey(sorted[start]!, column.key) as number;
    // The longest run from `start` that stays dense (and within RANGE_CHUNK objects).
    let end = start + 1;
    while (end < sorted.length && end - start < RANGE_CHUNK && (storedKey(sorted[end]!, column.key) as number) - lo + 1 <= 2 * (end - start + 1)) end++;
    const run = sorted.slice(start, end);
    if (run.length >= 2 && run.length * 2 >= (storedKey(run.at(-1)!, column.key) as number) - lo + 1) {
      parts.push({ states: run, where: column.between(lo as never, storedKey(run.at(-1)!, column.key) as never), sorted: true });
      start = end;
    } else {
      // Sparse keys: a list of up to LIST_CHUNK, taken up to where a dense run would begin again.
      const chunk = sorted.slice(start, start + LIST_CHUNK);
      parts.push(list(chunk, true));
      start += chunk.length;
    }
  }
  return parts;
}
