/**
 * Reloads objects' column values from the database in as few SELECTs as possible (one per table per
 * 1,000 objects), for `refresh()` and for the reload after commit and rollback.
 */
import type { Connection } from '../../engine/connection.js';
import { and_, or_ } from '../../sql/elements/conjunctions.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { select } from '../../sql/statements/select.js';
import type { Mapper } from '../mapper.js';
import type { InstanceState } from './instance-state.js';

const CHUNK = 1000;

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
    for (let offset = 0; offset < list.length; offset += CHUNK) {
      const chunk = list.slice(offset, offset + CHUNK);
      const byKey = new Map(chunk.map((state) => [state.key!, state]));
      const result = await connection.execute(select(mapper.table).where(matchKeys(mapper, chunk)));
      for (const row of result.all() as unknown as unknown[][]) {
        const state = byKey.get(mapper.identityKey(pkIndexes.map((i) => row[i])));
        if (state === undefined) continue;
        byKey.delete(state.key!);
        if (options.discardChanges) state.revert();
        const values: Record<string, unknown> = {};
        keys.forEach((key, i) => {
          values[key] = row[i];
        });
        state.load(values);
      }
      missing.push(...byKey.values());
    }
  }
  return missing;
}

/** `pk IN (...)`, or for composite keys `(a = ? AND b = ?) OR ...`. */
function matchKeys(mapper: Mapper, states: readonly InstanceState[]): ColumnElement<boolean> {
  const value = (state: InstanceState, key: string) => state.committed[key] ?? state.dict[key];
  if (mapper.primaryKey.length === 1) {
    const [column] = mapper.primaryKey;
    return (column as ColumnElement).in(states.map((s) => value(s, column!.key)) as never[]);
  }
  return or_(...states.map((s) => and_(...mapper.primaryKey.map((c) => (c as ColumnElement).eq(value(s, c.key) as never)))));
}
