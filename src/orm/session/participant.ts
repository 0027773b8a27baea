/**
 * The hooks by which relationship support (`orm/relationships/`) takes part in a session: the flush
 * hooks of `unit-of-work.ts`, plus cascades on add/delete/merge, eager loading around queries,
 * explicit loading (`session.load`) and bookkeeping after flush and rollback. The session works
 * without them (no relationships); every hook is optional.
 */
import type { Select } from '../../sql/statements/select.js';
import type { InstanceState } from './instance-state.js';
import type { SlotObjects } from './loading.js';
import type { Session } from './session.js';
import type { FlushParticipant, FlushSet } from './unit-of-work.js';

/** What relationship loading adds to one ORM select. */
export interface SelectPlan {
  /** The statement to run: the user's, plus the joins and columns of joined eager loads. */
  readonly statement: Select<any, any>;
  /** Row names when the statement was rebuilt around a subquery; null keeps the result's own. */
  readonly names: readonly string[] | null;
  /**
   * Fills relationships from the raw rows (joined loads) and runs the loaders that follow the query
   * (selectin, subquery, immediate). `objects` are the select's entities by slot, row by row. Returns
   * true when a joined collection repeated the rows, which the caller then hands back once each.
   */
  finish(raw: readonly (readonly unknown[])[], objects: SlotObjects): Promise<boolean>;
}

export interface SessionHooks {
  /** How to run an ORM select; null when no relationship loading applies. */
  planSelect?(session: Session, statement: Select<any, any>): SelectPlan | null;
  /** `session.load(objects, ...keys)`: loads relationships of persistent objects. */
  load?(session: Session, states: readonly InstanceState[], keys: readonly string[]): Promise<void>;
  /** After `add()` made an object pending or persistent: save-update cascade. */
  cascadeAdd?(session: Session, state: InstanceState): void;
  /** After `delete()` marked an object: delete cascade (loading unloaded collections). */
  cascadeDelete?(session: Session, state: InstanceState): Promise<void>;
  /** After `merge()` copied an object's columns onto `target`: merge cascade. */
  cascadeMerge?(session: Session, source: InstanceState, target: InstanceState): Promise<void>;
  /** After a successful flush, with the set it wrote (cascades included). */
  afterFlush?(session: Session, set: FlushSet): void;
  /** After a rollback restored the session's objects. */
  afterRollback?(session: Session, states: readonly InstanceState[]): void;
}

/** The flush hooks and the session hooks together. */
export type SessionParticipant = FlushParticipant & SessionHooks;
