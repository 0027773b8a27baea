/**
 * ORM-enabled UPDATE and DELETE (`update(User)`, `delete_(User)` run by `session.execute()`): the
 * statement runs as written, and the session's loaded objects of that model follow it, as SQLAlchemy's
 * `synchronize_session` does. Matching objects are found in JavaScript (`'evaluate'`) or by asking the
 * database for the matching keys before the statement (`'fetch'`); updated objects then take the new
 * values (evaluated, or reloaded), deleted ones leave the session.
 */
import type { Connection } from '../../engine/connection.js';
import type { Params } from '../../engine/execution-plan.js';
import type { Result } from '../../engine/result.js';
import { InvalidRequestError } from '../../errors.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { Delete } from '../../sql/statements/delete.js';
import { select } from '../../sql/statements/select.js';
import { Update } from '../../sql/statements/update.js';
import type { Mapper } from '../mapper.js';
import { CannotEvaluate, type Evaluator, evaluatorFor } from './evaluator.js';
import type { InstanceState } from './instance-state.js';
import { reloadStates } from './reload.js';

/** What the session does after the statement ran. */
export interface OrmDmlOutcome {
  readonly result: Result<any>;
  /** Loaded objects whose rows the DELETE removed: they leave the session. */
  readonly deleted: readonly InstanceState[];
  /** Loaded objects an UPDATE matched whose rows were not found again: they leave the session. */
  readonly missing: readonly InstanceState[];
}

interface Evaluated {
  readonly matched: InstanceState[];
  readonly setters: readonly (readonly [string, Evaluator])[];
}

/** Matches `states` in JavaScript; null when the statement cannot be evaluated. */
function evaluate(statement: Update<any, any> | Delete<any>, states: readonly InstanceState[], strict: boolean): Evaluated | null {
  try {
    const where = statement.whereClause;
    const test = where === null ? () => true : evaluatorFor(where, statement.table);
    const setters = statement instanceof Update ? statement.assignments.map(([c, v]) => [c.key, evaluatorFor(v, statement.table)] as const) : [];
    // An expired attribute has no value to test or compute from: those objects are reloaded instead.
    if (states.some((s) => s.expired !== null && s.expired.size > 0)) throw new CannotEvaluate('expired attributes');
    return { matched: states.filter((s) => test(s.dict) === true), setters };
  } catch (error) {
    if (!(error instanceof CannotEvaluate)) throw error;
    if (!strict) return null;
    throw new InvalidRequestError(
      `synchronizeSession: 'evaluate' cannot evaluate ${error.message} in JavaScript; use synchronizeSession: 'fetch' (or 'auto')`,
    );
  }
}

/** The loaded objects whose rows match the statement's WHERE now, asked of the database. */
async function fetchMatched(connection: Connection, statement: Update<any, any> | Delete<any>, mapper: Mapper, states: readonly InstanceState[]): Promise<InstanceState[]> {
  const query = select(...(mapper.primaryKey as readonly ColumnElement[])).where(...statement.criteria);
  const keys = new Set((await connection.execute(query)).all().map((row) => mapper.identityKey([...(row as readonly unknown[])])));
  return states.filter((s) => s.key !== null && keys.has(s.key));
}

/**
 * Runs an ORM-enabled UPDATE/DELETE on `connection` and brings `states` (the session's persistent
 * objects of the statement's model) in step.
 */
export async function executeOrmDml(
  connection: Connection,
  statement: Update<any, any> | Delete<any>,
  mapper: Mapper,
  states: readonly InstanceState[],
  params: Params | readonly Params[] | undefined,
): Promise<OrmDmlOutcome> {
  const mode = statement.executionOptionValues.synchronizeSession ?? 'auto';
  if (mode === false || states.length === 0) return { result: await connection.execute(statement, params), deleted: [], missing: [] };
  if (Array.isArray(params)) {
    // One statement per record: nothing to evaluate once; every loaded object of the model is reloaded.
    const result = await connection.execute(statement, params);
    const missing = await reloadStates(connection, states, { discardChanges: false });
    return { result, deleted: [], missing };
  }
  const evaluated = mode === 'fetch' ? null : evaluate(statement, states, mode === 'evaluate');
  const matched = evaluated?.matched ?? (await fetchMatched(connection, statement, mapper, states));
  const result = await connection.execute(statement, params);
  if (!(statement instanceof Update)) return { result, deleted: matched, missing: [] };
  // Client-side onupdate values are computed at execution: read them back rather than guess.
  const onupdate = statement.table.columns.some((c) => (c as { options?: { onupdate?: unknown } }).options?.onupdate !== undefined);
  if (evaluated === null || onupdate) {
    const missing = await reloadStates(connection, matched, { discardChanges: false });
    return { result, deleted: [], missing };
  }
  for (const state of matched) {
    const next: Record<string, unknown> = {};
    for (const [key, setter] of evaluated.setters) next[key] = setter(state.dict);
    state.load({ ...state.committed, ...next });
  }
  return { result, deleted: [], missing: [] };
}
