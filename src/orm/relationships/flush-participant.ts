/**
 * Relationships in the unit of work (SQLAlchemy's `dependency.py`, in one pass): before anything is
 * written, the flush set grows by cascades (save-update, delete, delete-orphan) and every object whose
 * foreign key must change gets a sync rule; each object's rules run just before its row is written,
 * when the parent's key is known (the unit of work inserts parent tables first). Association rows of
 * many-to-many relationships are written after the saves; before the deletes, a deleted object's
 * association rows go, and the foreign keys of its unloaded children are set to NULL in one UPDATE.
 *
 * The session calls the other hooks: cascades when objects are added, deleted and merged, explicit
 * and eager loading (`load-plan.ts`), and bookkeeping after flush and rollback.
 */
import type { Connection } from '../../engine/connection.js';
import { ArgumentError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { Table } from '../../schema/table.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { and_, bindparam, not_ } from '../../sql/elements/conjunctions.js';
import { delete_ } from '../../sql/statements/delete.js';
import { insert } from '../../sql/statements/insert.js';
import { update } from '../../sql/statements/update.js';
import { type Mapper, mapperOf } from '../mapper.js';
import { type InstanceState, stateOf } from '../session/instance-state.js';
import type { SessionParticipant } from '../session/participant.js';
import type { Session } from '../session/session.js';
import type { FlushSet } from '../session/unit-of-work.js';
import { UNKNOWN, dropSlot, hasSlots, isLoaded, purgeDeleted, slotOf, slotsOf } from './attributes.js';
import { InstrumentedList } from './collections.js';
import { contextFor, loadAttributes, planSelect } from './load-plan.js';
import { loadRelated, loadedObjects } from './loaders/selectin.js';
import { localValues, matchValues, tupleKey } from './queries.js';
import { type Relationship, type RelationshipConfig, allRelationships } from './relationship.js';

/** Set `columns` of an object from `source`'s `sourceColumns` (or NULL) just before its row is written. */
interface SyncRule {
  /** Later rules win: a collection's removal (0) before an addition (1) before the object's own many-to-one (2). */
  readonly priority: number;
  readonly config: RelationshipConfig;
  readonly columns: readonly Column[];
  readonly source: InstanceState | null;
  readonly sourceColumns: readonly Column[];
}

const rulesBySession = new WeakMap<Session, Map<InstanceState, SyncRule[]>>();

function configsOf(mapper: Mapper): RelationshipConfig[] {
  return [...mapper.relationships.values()].map((property) => (property as Relationship).config);
}

function configOf(state: InstanceState, key: string): RelationshipConfig | null {
  const property = state.mapper.relationships.get(key) as Relationship | undefined;
  return property?.config ?? null;
}

function isWriteOnly(config: RelationshipConfig): boolean {
  return config.strategy.name === 'write_only' || config.strategy.name === 'dynamic';
}

/** A class field named like a relationship hides its accessor: say so instead of losing the data silently. */
function checkDeclared(state: InstanceState): void {
  for (const key of state.mapper.relationships.keys()) {
    if (Object.hasOwn(state.obj, key)) {
      throw new ArgumentError(
        `${state.mapper.name} instance has its own "${key}" field, which hides the relationship; declare it with \`declare ${key}: ...\` instead of a class field`,
      );
    }
  }
}

/** The related objects an instance's loaded relationship holds now. */
function currentObjects(state: InstanceState, config: RelationshipConfig): object[] {
  const slot = slotOf(state, config.key!);
  if (slot === undefined || !slot.loaded) return [];
  if (slot.value instanceof InstrumentedList) return [...slot.value];
  if (isWriteOnly(config)) return [...(slot.added ?? [])];
  return slot.value !== null && typeof slot.value === 'object' ? [slot.value] : [];
}

/** One flush's expansion: cascades, orphans and sync rules. */
class Expansion {
  readonly pending: Set<InstanceState>;
  readonly dirty: Set<InstanceState>;
  readonly deleted: Set<InstanceState>;
  readonly rules = new Map<InstanceState, SyncRule[]>();
  readonly #queue: InstanceState[];
  readonly #seen = new Set<InstanceState>();
  readonly #orphans: [InstanceState, RelationshipConfig][] = [];
  readonly #adopted = new Map<RelationshipConfig, Set<object>>();

  constructor(
    readonly session: Session | null,
    input: FlushSet,
  ) {
    this.pending = new Set(input.pending);
    this.dirty = new Set(input.dirty);
    this.deleted = new Set(input.deleted);
    this.#queue = [...input.pending, ...input.dirty, ...input.deleted];
  }

  run(): FlushSet {
    for (;;) {
      // An index, not shift(): shifting a queue of 10,000 objects one by one is quadratic.
      for (let next = 0; next < this.#queue.length; next++) this.#process(this.#queue[next]!);
      this.#queue.length = 0;
      const orphans = this.#orphans.splice(0);
      if (orphans.length === 0) break;
      for (const [state, config] of orphans) if (this.#isOrphan(state, config)) this.#deleteObject(state);
    }
    for (const state of this.deleted) {
      this.pending.delete(state);
      this.dirty.delete(state);
    }
    return { pending: [...this.pending], dirty: [...this.dirty], deleted: [...this.deleted] };
  }

  #enqueue(state: InstanceState): void {
    if (!this.#seen.has(state)) this.#queue.push(state);
  }

  /** Brings an object whose row must change into the flush. */
  #include(state: InstanceState): void {
    if (this.pending.has(state) || this.dirty.has(state) || this.deleted.has(state)) return;
    if (state.status === 'pending') this.pending.add(state);
    else if (state.status === 'persistent') this.dirty.add(state);
    else return;
    this.#enqueue(state);
  }

  #rule(state: InstanceState, rule: SyncRule): void {
    const list = this.rules.get(state);
    if (list === undefined) this.rules.set(state, [rule]);
    else list.push(rule);
    this.#include(state);
  }

  #deleteObject(state: InstanceState): void {
    if (this.deleted.has(state)) return;
    if (state.status === 'pending') {
      // Never written: simply not inserted.
      this.pending.delete(state);
      this.session?.expunge(state.obj);
      return;
    }
    if (state.status !== 'persistent') return;
    this.dirty.delete(state);
    this.deleted.add(state);
    this.#enqueue(state);
  }

  #process(state: InstanceState): void {
    if (this.#seen.has(state)) return;
    this.#seen.add(state);
    const deleting = this.deleted.has(state);
    for (const [key, slot] of slotsOf(state)) {
      const config = configOf(state, key);
      if (config === null) continue;
      if (deleting) {
        this.#processDeleted(state, config);
        continue;
      }
      if (config.cascade.saveUpdate && this.session !== null) {
        for (const obj of currentObjects(state, config)) {
          const related = stateOf(obj)!;
          if (related.owner === null && (related.status === 'transient' || related.status === 'detached')) this.session.add(obj);
          if (related.status === 'pending' && related.owner === this.session) this.#include(related);
        }
      }
      if (!slot.hasHistory) continue;
      const c = config.condition;
      if (c.direction === 'manyToOne') {
        const target = slot.value === null ? null : stateOf(slot.value as object)!;
        this.#rule(state, { priority: 2, config, columns: c.local, source: target, sourceColumns: c.remote });
        const reverse = config.reverse;
        if (target === null && reverse?.cascade.deleteOrphan) this.#orphans.push([state, reverse]);
        continue;
      }
      if (c.direction === 'manyToMany') continue;
      // One-to-many (a collection, or a one-to-one's scalar): the children's foreign keys change.
      const removed = config.uselist ? [...(slot.removed ?? [])] : slot.changed && slot.committed !== null && slot.committed !== UNKNOWN ? [slot.committed as object] : [];
      const added = config.uselist ? [...(slot.added ?? [])] : slot.changed && slot.value !== null ? [slot.value as object] : [];
      for (const obj of added) {
        const child = stateOf(obj)!;
        let adopted = this.#adopted.get(config);
        if (adopted === undefined) this.#adopted.set(config, (adopted = new Set()));
        adopted.add(obj);
        this.#rule(child, { priority: 1, config, columns: c.remote, source: state, sourceColumns: c.local });
      }
      for (const obj of removed) {
        const child = stateOf(obj)!;
        if (this.deleted.has(child)) continue;
        if (config.cascade.deleteOrphan) this.#orphans.push([child, config]);
        this.#rule(child, { priority: 0, config, columns: c.remote, source: null, sourceColumns: c.local });
      }
    }
  }

  /** A deleted object: delete cascade to loaded objects, and loaded children's foreign keys to NULL. */
  #processDeleted(state: InstanceState, config: RelationshipConfig): void {
    const c = config.condition;
    if (config.cascade.delete) {
      for (const obj of currentObjects(state, config)) this.#deleteObject(stateOf(obj)!);
      return;
    }
    if (c.direction !== 'oneToMany' || config.passiveDeletes === 'all') return;
    for (const obj of currentObjects(state, config)) {
      const child = stateOf(obj)!;
      if (!this.deleted.has(child)) this.#rule(child, { priority: 0, config, columns: c.remote, source: null, sourceColumns: c.local });
    }
  }

  /** Still without a parent: its many-to-one (the other side) is empty and no collection adopted it. */
  #isOrphan(state: InstanceState, config: RelationshipConfig): boolean {
    if (this.deleted.has(state) || this.#adopted.get(config)?.has(state.obj)) return false;
    const reverse = config.reverse;
    if (reverse !== null && isLoaded(state, reverse)) return slotOf(state, reverse.key!)!.value === null;
    return true;
  }
}

function sessionOfSet(set: FlushSet): Session | null {
  for (const list of [set.pending, set.dirty, set.deleted]) {
    for (const state of list) if (state.owner !== null) return state.owner as Session;
  }
  return null;
}

/** The association row linking `parent` and `target` through a many-to-many relationship. */
function associationRow(config: RelationshipConfig, parent: InstanceState, target: InstanceState): Record<string, unknown> {
  const c = config.condition;
  const row: Record<string, unknown> = {};
  c.local.forEach((column, i) => (row[c.remote[i]!.key] = parent.dict[column.key]));
  c.targetColumns.forEach((column, i) => (row[c.secondaryColumns[i]!.key] = target.dict[column.key]));
  return row;
}

function rowKey(table: Table, row: Record<string, unknown>): string {
  return `${table.fullName}\u0000${tupleKey(Object.keys(row).sort().map((k) => [k, row[k]]))}`;
}

/** Deletes rows of `table` matching each record (all of one shape), as one executemany. */
async function deleteRows(connection: Connection, table: Table, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]!);
  const where = and_(...keys.map((key) => (table.c as Record<string, ColumnElement>)[key]!.eq(bindparam(key))));
  await connection.execute(delete_(table).where(where), rows);
}

function allKeyed(values: readonly (readonly unknown[] | null)[]): unknown[][] {
  return values.filter((v): v is unknown[] => v !== null);
}

/**
 * Flush sets `expand` found without relationship data and returned as they were: `afterSaves` knows
 * the answer without a second pass over every object (nothing in between gives an object such data).
 */
const plainSets = new WeakSet<FlushSet>();

/** True when no object of the flush holds relationship data: nothing to cascade, sync or link. */
function withoutRelationshipData(set: FlushSet): boolean {
  for (const list of [set.pending, set.dirty, set.deleted]) {
    for (const state of list) if (hasSlots(state)) return false;
  }
  return true;
}

export const relationshipParticipant: SessionParticipant = {
  expand(input) {
    // The common bulk case (models without relationships, or relationships never touched): the
    // expansion would find nothing, and building its sets for 10,000 objects was a tenth of a flush.
    const session = sessionOfSet(input);
    if (input.deleted.length === 0 && withoutRelationshipData(input)) {
      if (session !== null) rulesBySession.delete(session);
      plainSets.add(input);
      return input;
    }
    const expansion = new Expansion(session, input);
    const set = expansion.run();
    if (session !== null) rulesBySession.set(session, expansion.rules);
    return set;
  },

  syncForeignKeys(states) {
    // One session's objects: its rules are looked up once, not once per object of a bulk flush.
    const bySession = states.length === 0 ? undefined : rulesBySession.get(states[0]!.owner as Session);
    if (bySession === undefined || bySession.size === 0) return;
    for (const state of states) {
      const rules = bySession.get(state);
      if (rules === undefined) continue;
      for (const rule of [...rules].sort((a, b) => a.priority - b.priority)) {
        rule.columns.forEach((column, i) => {
          const value = rule.source === null ? null : rule.source.dict[rule.sourceColumns[i]!.key];
          if (value === undefined) {
            throw new ArgumentError(`${rule.config.name}: the ${rule.source!.mapper.name} has no ${rule.sourceColumns[i]!.key} yet when its ${state.mapper.name} is written (a cycle between rows of one table is not supported)`);
          }
          if (state.dict[column.key] !== value) state.set(column.key, value);
        });
      }
    }
  },

  insertBatches(states) {
    // Rows whose sync rules read the key of another new row of the same table wait for it.
    const rules = rulesBySession.get(states[0]!.owner as Session);
    if (rules === undefined || rules.size === 0) return [states];
    const inBatch = new Set(states);
    const waitsFor = new Map<InstanceState, InstanceState[]>();
    for (const state of states) {
      const sources = (rules.get(state) ?? []).map((r) => r.source).filter((s): s is InstanceState => s !== null && s !== state && inBatch.has(s));
      if (sources.length > 0) waitsFor.set(state, sources);
    }
    if (waitsFor.size === 0) return [states];
    const batches: InstanceState[][] = [];
    const done = new Set<InstanceState>();
    let left = [...states];
    while (left.length > 0) {
      const ready = left.filter((s) => (waitsFor.get(s) ?? []).every((source) => done.has(source)));
      // A cycle: insert the rest together; syncForeignKeys reports the missing key.
      const batch = ready.length > 0 ? ready : left;
      batches.push(batch);
      batch.forEach((s) => done.add(s));
      left = left.filter((s) => !done.has(s));
    }
    return batches;
  },

  async afterSaves(connection, set) {
    if (plainSets.has(set) || withoutRelationshipData(set)) return;
    const deleted = new Set(set.deleted);
    const inserts = new Map<Table, Map<string, Record<string, unknown>>>();
    const deletes = new Map<Table, Map<string, Record<string, unknown>>>();
    const put = (into: typeof inserts, table: Table, row: Record<string, unknown>) => {
      let rows = into.get(table);
      if (rows === undefined) into.set(table, (rows = new Map()));
      rows.set(rowKey(table, row), row);
    };
    for (const state of [...set.pending, ...set.dirty]) {
      for (const [key, slot] of slotsOf(state)) {
        const config = configOf(state, key);
        if (config === null || config.direction !== 'manyToMany' || !slot.hasHistory) continue;
        const table = config.condition.secondary!;
        for (const obj of slot.removed ?? []) put(deletes, table, associationRow(config, state, stateOf(obj)!));
        for (const obj of slot.added ?? []) {
          const target = stateOf(obj)!;
          if (!deleted.has(target)) put(inserts, table, associationRow(config, state, target));
        }
      }
    }
    for (const [table, rows] of deletes) await deleteRows(connection, table, [...rows.values()]);
    for (const [table, rows] of inserts) {
      const list = [...rows.values()];
      if (list.length > 0) await connection.execute(insert(table), list);
    }
  },

  async beforeDeletes(connection, set) {
    if (set.deleted.length === 0) return;
    const deleted = new Set(set.deleted);
    const session = sessionOfSet(set);
    const byMapper = new Map<Mapper, InstanceState[]>();
    for (const state of set.deleted) {
      const list = byMapper.get(state.mapper);
      if (list === undefined) byMapper.set(state.mapper, [state]);
      else list.push(state);
    }
    // Association rows of deleted objects, from either side; each table and column set once.
    const done = new Set<string>();
    for (const config of allRelationships()) {
      // Only many-to-many relationships touching a deleted model are resolved (others may never be used).
      if (config.parent === null || config.options.secondary === undefined || config.passiveDeletes) continue;
      if (!byMapper.has(config.parent) && !byMapper.has(mapperOf(config.targetClass ?? config.targetThunk()))) continue;
      const c = config.condition;
      for (const [side, columns, keyColumns] of [
        [config.parentMapper, c.remote, c.local],
        [config.target, c.secondaryColumns, c.targetColumns],
      ] as const) {
        const states = byMapper.get(side);
        const id = `${c.secondary!.fullName}\u0000${columns.map((col) => col.key).join(',')}`;
        if (states === undefined || done.has(id)) continue;
        done.add(id);
        const keys = allKeyed(states.map((s) => keyColumns.map((col) => s.committed[col.key] ?? s.dict[col.key])));
        if (keys.length > 0) await connection.execute(delete_(c.secondary!).where(matchValues(columns, keys)));
      }
    }
    // Unloaded children of deleted parents: their foreign key to NULL (what the ORM would do row by
    // row after loading them); a NOT NULL column makes the database refuse, as in SQLAlchemy.
    for (const [mapper, states] of byMapper) {
      for (const config of configsOf(mapper)) {
        if (config.direction !== 'oneToMany' || config.cascade.delete || config.passiveDeletes !== false) continue;
        const parents = states.filter((s) => !isLoaded(s, config));
        const keys = allKeyed(parents.map((s) => localValues(config, s)));
        if (keys.length === 0) continue;
        const c = config.condition;
        const target = config.target;
        const going = [...deleted].filter((s) => s.mapper === target);
        let criteria = matchValues(c.remote, keys);
        if (going.length > 0) {
          const pks = going.map((s) => target.primaryKeyKeys.map((k) => s.committed[k] ?? s.dict[k]));
          // Children deleted in this flush go anyway (and a NOT NULL key must not stop them).
          criteria = and_(criteria, not_(matchValues(target.primaryKey as readonly ColumnElement[], pks)));
        }
        await connection.execute(update(target.table).values(Object.fromEntries(c.remote.map((col) => [col.key, null]))).where(criteria));
        // The session's copies of those rows now hold NULL too.
        if (session === null) continue;
        const gone = new Set(keys.map(tupleKey));
        for (const child of session.identityMap.values()) {
          if (child.mapper !== target || deleted.has(child)) continue;
          if (!gone.has(tupleKey(c.remote.map((col) => child.dict[col.key])))) continue;
          for (const col of c.remote) {
            child.dict[col.key] = null;
            if (child.committed !== child.dict) child.committed[col.key] = null;
          }
        }
      }
    }
  },

  planSelect,

  load: loadAttributes,

  cascadeAdd(session, state) {
    checkDeclared(state);
    for (const [key, slot] of slotsOf(state)) {
      const config = configOf(state, key);
      if (config === null || !config.cascade.saveUpdate || !slot.loaded) continue;
      for (const obj of currentObjects(state, config)) {
        const related = stateOf(obj)!;
        if (related.owner === null && (related.status === 'transient' || related.status === 'detached')) session.add(obj);
      }
    }
  },

  async cascadeDelete(session, state) {
    const guard = deleting.get(session) ?? new Set<InstanceState>();
    if (guard.has(state)) return;
    deleting.set(session, guard.add(state));
    try {
      for (const config of configsOf(state.mapper)) {
        if (!config.cascade.delete || isWriteOnly(config)) continue;
        if (!isLoaded(state, config)) {
          if (config.passiveDeletes !== false) continue;
          await loadRelated(contextFor(session, null, null), config, [state], [], { force: false });
        }
        for (const obj of loadedObjects(state, config)) {
          const related = stateOf(obj)!;
          if (related.owner !== session) continue;
          if (related.status === 'pending') session.expunge(obj);
          else if (related.status === 'persistent') await session.delete(obj);
        }
      }
    } finally {
      guard.delete(state);
    }
  },

  async cascadeMerge(session, source, target) {
    let memo = merging.get(session);
    const top = memo === undefined;
    if (memo === undefined) merging.set(session, (memo = new Map()));
    memo.set(source.obj, target.obj);
    try {
      for (const config of configsOf(source.mapper)) {
        if (!config.cascade.merge || isWriteOnly(config) || !isLoaded(source, config)) continue;
        const merged: object[] = [];
        for (const obj of loadedObjects(source, config)) merged.push(memo.get(obj) ?? (await session.merge(obj)));
        if (config.uselist && !isLoaded(target, config) && target.key !== null) {
          await loadRelated(contextFor(session, null, null), config, [target], [], { force: false });
        }
        (target.obj as Record<string, unknown>)[config.key!] = config.uselist ? merged : (merged[0] ?? null);
      }
    } finally {
      if (top) merging.delete(session);
    }
  },

  afterFlush(session, set) {
    for (const list of [set.pending, set.dirty, set.deleted]) {
      for (const state of list) if (hasSlots(state)) for (const [, slot] of slotsOf(state)) slot.clearHistory();
    }
    rulesBySession.delete(session);
    if (set.deleted.length === 0) return;
    const gone = new Set(set.deleted.map((s) => s.obj));
    for (const state of session.identityMap.values()) {
      for (const [key] of slotsOf(state)) {
        const config = configOf(state, key);
        if (config !== null) purgeDeleted(state, config, gone);
      }
    }
  },

  afterRollback(_session, states) {
    // What was loaded may no longer match the database: relationships are unloaded, as SQLAlchemy
    // expires everything on rollback (a many-to-one still reads from the identity map).
    for (const state of states) {
      for (const [key, slot] of slotsOf(state)) {
        const config = configOf(state, key);
        if (config !== null && isWriteOnly(config)) slot.clearHistory();
        else dropSlot(state, key);
      }
    }
  },
};

const deleting = new WeakMap<Session, Set<InstanceState>>();
const merging = new WeakMap<Session, Map<object, object>>();

