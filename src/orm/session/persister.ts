/**
 * The SQL side of a flush for one table: batched INSERTs (multi-row VALUES, with RETURNING where the
 * dialect has it), UPDATEs of only the changed columns, DELETEs by primary key. Generated keys and
 * server defaults are written back onto the objects. It emits Core statements only.
 */
import { catalogQuery } from '../../engine/catalog-query.js';
import type { Connection } from '../../engine/connection.js';
import { InvalidRequestError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { Table } from '../../schema/table.js';
import { bindparam } from '../../sql/elements/conjunctions.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { delete_ } from '../../sql/statements/delete.js';
import { type Insert, insert } from '../../sql/statements/insert.js';
import { update } from '../../sql/statements/update.js';
import type { Mapper } from '../mapper.js';
import { type NullFiller, type ShapeOf, compileNullFiller, compileShapeOf } from './compiled-records.js';
import type { InstanceState } from './instance-state.js';

const INTEGER_TYPES = new Set(['Integer', 'BigInteger', 'SmallInteger']);
/** Rows per INSERT statement, as the engine batches executemany (and under every bind limit). */
const MAX_BATCH = 1000;

/**
 * What INSERTs of one mapper need to know about its columns, worked out once: filling in unset
 * attributes and grouping objects by the columns they set were a third of a 10,000-object flush when
 * every object asked every column.
 */
interface InsertPlan {
  /** Sets the columns with no default of any kind and no generated value to NULL where unset. */
  readonly fillNulls: NullFiller;
  /** Columns with a client-side default (a value, or a function called per row). */
  readonly clientDefaults: readonly Column[];
  /** Columns the database may fill in: an autoincrement key, server defaults. */
  readonly serverFilled: readonly Column[];
  /** An object's shape: '1' for each of `serverFilled` the database fills in for it, '0' for the others. */
  readonly shapeOf: ShapeOf;
  /** The single primary key column when it is an autoincrement integer. */
  readonly integerKey: Column | null;
  /** The INSERT of each shape (which server-filled columns the database fills), made on first use. */
  readonly shapes: Map<string, InsertShape>;
}

/**
 * One shape of INSERT: its statement object is kept, so the engine compiles its multi-row batches and
 * their bind converters once per process, not once per flush.
 */
interface InsertShape {
  /** The columns the database fills in for rows of this shape. */
  readonly generated: readonly Column[];
  /** The attribute keys written, read straight from the objects' attribute records. */
  readonly keys: readonly string[];
  /** `INSERT INTO t`, with RETURNING of `returning` when the dialect reads generated values that way. */
  readonly statement: Insert;
  readonly returning: readonly Column[] | null;
}

const insertPlans = new WeakMap<Mapper, InsertPlan>();

function insertPlan(mapper: Mapper): InsertPlan {
  let plan = insertPlans.get(mapper);
  if (plan === undefined) {
    // A generated (computed) column is always the database's to fill: an INSERT may not name it.
    const serverFilled = mapper.columns.filter((c) => c.autoincrement || c.options.serverDefault !== undefined || c.options.computed !== undefined);
    const key = mapper.primaryKey.length === 1 ? mapper.primaryKey[0]! : null;
    plan = {
      fillNulls: compileNullFiller(mapper.columns.filter((c) => c.options.default === undefined && !serverFilled.includes(c)).map((c) => c.key)),
      clientDefaults: mapper.columns.filter((c) => c.options.default !== undefined),
      serverFilled,
      shapeOf: compileShapeOf(serverFilled.map((c) => ({ key: c.key, computed: c.options.computed !== undefined, autoincrement: c.autoincrement }))),
      integerKey: key !== null && key.autoincrement && INTEGER_TYPES.has(key.type.impl.typeName) ? key : null,
      shapes: new Map(),
    };
    insertPlans.set(mapper, plan);
  }
  return plan;
}

/** The INSERT for objects of this shape (`shapeKey`: '1' for each server-filled column the database fills). */
function insertShape(mapper: Mapper, plan: InsertPlan, shapeKey: string, returns: boolean): InsertShape {
  const id = `${shapeKey}:${returns ? 'r' : ''}`;
  let shape = plan.shapes.get(id);
  if (shape === undefined) {
    const generated = plan.serverFilled.filter((_, i) => shapeKey[i] === '1');
    const keys = mapper.columns.filter((c) => !generated.includes(c)).map((c) => c.key);
    const key = plan.integerKey;
    const returning = !returns || generated.length === 0 ? null : key !== null ? [key, ...generated.filter((c) => c !== key)] : generated;
    const statement = returning === null ? insert(mapper.table) : insert(mapper.table).returning(...returning);
    shape = { generated, keys, statement: statement as Insert, returning };
    plan.shapes.set(id, shape);
  }
  return shape;
}

/**
 * Fills in an object's unset attributes before its INSERT, as SQLAlchemy does: client-side defaults
 * (value or function), and NULL for a column with no default of either kind. Writing that NULL
 * (rather than leaving the column out) makes the database report a NOT NULL column as an
 * IntegrityError on every dialect (MySQL calls a left-out column a DataError), and lets objects that
 * set different attributes share one multi-row INSERT.
 */
function applyInsertDefaults(plan: InsertPlan, dict: Record<string, unknown>): void {
  plan.fillNulls(dict);
  for (const column of plan.clientDefaults) {
    if (column.key in dict) continue;
    const value = column.options.default;
    dict[column.key] = typeof value === 'function' ? (value as () => unknown)() : value;
  }
}

/** Applies `onupdate` values to the columns an UPDATE does not set explicitly. */
function applyOnupdate(mapper: Mapper, state: InstanceState): void {
  for (const column of mapper.columns) {
    const value = column.options.onupdate;
    if (value === undefined || state.modifiedKeys?.has(column.key)) continue;
    state.dict[column.key] = typeof value === 'function' ? (value as () => unknown)() : value;
    (state.modifiedKeys ??= new Set()).add(column.key);
  }
}


export async function insertStates(connection: Connection, mapper: Mapper, states: readonly InstanceState[]): Promise<void> {
  const plan = insertPlan(mapper);
  for (const state of states) applyInsertDefaults(plan, state.dict);
  // Consecutive objects setting the same columns share one executemany. Only consecutive ones: rows go
  // in in the order the objects were added, so generated keys follow that order (as SQLAlchemy does).
  // After the defaults every other column is set, so the server-filled ones alone decide the shape.
  const shape = plan.shapeOf;
  for (const [shapeKey, group] of runsOf(states, (state) => shape(state.dict))) await insertGroup(connection, mapper, plan, shapeKey, group);
}

async function insertGroup(
  connection: Connection,
  mapper: Mapper,
  plan: InsertPlan,
  shapeKey: string,
  states: readonly InstanceState[],
): Promise<void> {
  const capabilities = connection.dialect.capabilities;
  const key = plan.integerKey;
  const plain = insertShape(mapper, plan, shapeKey, false);
  const { generated, keys } = plain;
  const byReportedId = await keysFromReportedId(connection, mapper.table, key, generated, states.length);
  const returns = !byReportedId && capabilities.insertReturning && (key !== null || states.length === 1);
  const shape = returns ? insertShape(mapper, plan, shapeKey, true) : plain;
  const params = new Array<Record<string, unknown>>(states.length);
  for (let i = 0; i < states.length; i++) params[i] = states[i]!.dict;
  const table = mapper.table;

  if (generated.length === 0) {
    await connection.executeInsertRecords(shape.statement, keys, params);
    return;
  }
  if (byReportedId) {
    // One multi-row INSERT per batch, whose reported id is its first row's key (MySQL) or its last's
    // (SQLite), the others `step` apart (see `Dialect.insertIds`). Each batch is one statement: an
    // executemany would report one id for all. Other server-filled values are unknown until the
    // objects are reloaded.
    const insertIds = connection.dialect.insertIds!;
    const step = insertIds.increment === undefined ? 1 : await insertIds.increment(catalogQuery(connection));
    const batch = Math.max(1, Math.min(MAX_BATCH, Math.floor(capabilities.maxBindParams / Math.max(1, keys.length))));
    for (let offset = 0; offset < states.length; offset += batch) {
      const chunk = params.slice(offset, offset + batch);
      const id = (await connection.executeInsertBatch(plain.statement, keys, chunk)).lastInsertId;
      if (id === null) throw new InvalidRequestError(`INSERT into "${table.name}" reported no generated id; cannot identify the new rows`);
      const first = insertIds.reported === 'first' ? id : addToId(id, (1 - chunk.length) * step);
      for (let i = 0; i < chunk.length; i++) states[offset + i]!.dict[key!.key] = fromLastInsertId(key!, addToId(first, i * step));
    }
    expireGenerated(states, generated.filter((c) => c !== key));
    return;
  }
  if (shape.returning !== null) {
    // Generated keys of one multi-row INSERT grow with the VALUES order, so sorting the returned rows
    // by key pairs them with the objects even where RETURNING's order is unspecified (SQLite).
    const returning = shape.returning;
    const result = await connection.executeInsertRecords(shape.statement, keys, params);
    const rows = result.rawRows().slice();
    if (key !== null && !ascending(rows)) rows.sort((a, b) => compareKeys(a[0], b[0]));
    for (let i = 0; i < rows.length; i++) writeBack(states[i]!, returning, rows[i]!);
    return;
  }
  // One row at a time: a key that is not an autoincrement integer, with server defaults to learn. With
  // RETURNING each row reports them (a key filled by a sequence's DEFAULT nextval(), as PostgreSQL's
  // Sakila declares its keys, is known before the rows that refer to it are written).
  if (capabilities.insertReturning) {
    const single = insertShape(mapper, plan, shapeKey, true);
    for (let i = 0; i < states.length; i++) {
      const result = await connection.executeInsertRecords(single.statement, keys, [params[i]!]);
      writeBack(states[i]!, single.returning!, result.rawRows()[0]!);
    }
    return;
  }
  for (let i = 0; i < states.length; i++) {
    const values = Object.fromEntries(keys.map((k) => [k, params[i]![k]]));
    const result = await connection.execute(insert(table).values(values as never));
    if (key !== null && result.lastInsertId !== null) writeBack(states[i]!, [key], [fromLastInsertId(key, result.lastInsertId)]);
  }
  expireGenerated(states, generated.filter((c) => !(key !== null && c === key)));
}

/**
 * Whether a group's generated keys are taken from the id the driver reports per INSERT rather than
 * returned row by row. Without RETURNING (MySQL) that id is all there is. With it, only where the
 * dialect's check of the table vouches for the rule, the key is all the database fills in, and the
 * group is large enough for the check (one catalog query) to cost less than the RETURNING it saves
 * (`InsertIds.checkFromRows`).
 */
async function keysFromReportedId(connection: Connection, table: Table, key: Column | null, generated: readonly Column[], rows: number): Promise<boolean> {
  const insertIds = connection.dialect.insertIds;
  if (key === null || insertIds === null || !generated.includes(key)) return false;
  if (!connection.dialect.capabilities.insertReturning) return true;
  if (generated.length !== 1 || insertIds.consecutive === undefined || rows < (insertIds.checkFromRows ?? 1)) return false;
  return insertIds.consecutive(catalogQuery(connection), table, rows);
}

function addToId(id: number | bigint, n: number): number | bigint {
  return typeof id === 'bigint' ? id + BigInt(n) : id + n;
}

/** A key read from LAST_INSERT_ID() in the attribute's own type (bigint for BigInteger). */
function fromLastInsertId(column: Column, id: number | bigint): unknown {
  return column.type.impl.typeName === 'BigInteger' ? BigInt(id) : Number(id);
}

function writeBack(state: InstanceState, columns: readonly Column[], row: readonly unknown[]): void {
  for (let i = 0; i < columns.length; i++) state.dict[columns[i]!.key] = row[i];
}

/** Server-filled values the dialect could not return: unknown until the object is refreshed. */
function expireGenerated(states: readonly InstanceState[], columns: readonly Column[]): void {
  if (columns.length === 0) return;
  for (const state of states) {
    for (const column of columns) {
      delete state.dict[column.key];
      (state.expired ??= new Set()).add(column.key);
    }
  }
}

export async function updateStates(
  connection: Connection,
  mapper: Mapper,
  changes: readonly (readonly [InstanceState, Record<string, unknown>])[],
): Promise<void> {
  for (const [state] of changes) applyOnupdate(mapper, state);
  const withOnupdate = changes.map(([state, values]) => [state, { ...values, ...onupdateValues(mapper, state) }] as const);
  for (const group of groupBy(withOnupdate, ([, values]) => Object.keys(values).join(','))) {
    const keys = Object.keys(group[0]![1]);
    const stmt = update(mapper.table)
      .where(...mapper.primaryKey.map((c, i) => (c as ColumnElement).eq(bindparam(`_pk${i}`))))
      .values(Object.fromEntries(keys.map((k) => [k, bindparam(k)])));
    const params = group.map(([state, values]) => ({
      ...values,
      ...Object.fromEntries(mapper.primaryKeyKeys.map((k, i) => [`_pk${i}`, state.committed[k] ?? state.dict[k]])),
    }));
    await connection.execute(stmt, params);
  }
}

function onupdateValues(mapper: Mapper, state: InstanceState): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const column of mapper.columns) if (column.options.onupdate !== undefined) values[column.key] = state.dict[column.key];
  return values;
}

export async function deleteStates(connection: Connection, mapper: Mapper, states: readonly InstanceState[]): Promise<void> {
  const table = mapper.table;
  if (mapper.primaryKey.length === 1) {
    const [column] = mapper.primaryKey;
    const keyOf = (s: InstanceState) => s.committed[column!.key] ?? s.dict[column!.key];
    for (let offset = 0; offset < states.length; offset += MAX_BATCH) {
      const ids = states.slice(offset, offset + MAX_BATCH).map(keyOf);
      await connection.execute(delete_(table).where((column as ColumnElement).in(ids as never[])));
    }
    return;
  }
  const stmt = delete_(table).where(...mapper.primaryKey.map((c, i) => (c as ColumnElement).eq(bindparam(`_pk${i}`))));
  await connection.execute(
    stmt,
    states.map((s) => Object.fromEntries(mapper.primaryKeyKeys.map((k, i) => [`_pk${i}`, s.committed[k] ?? s.dict[k]]))),
  );
}

/** True when the rows' first values already ascend (PostgreSQL and MariaDB return them so). */
function ascending(rows: readonly (readonly unknown[])[]): boolean {
  for (let i = 1; i < rows.length; i++) if (compareKeys(rows[i - 1]![0], rows[i]![0]) > 0) return false;
  return true;
}

function compareKeys(a: unknown, b: unknown): number {
  return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
}

/** Splits items into runs of consecutive items with the same key, keeping their order. */
function runsOf<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const runs: [string, T[]][] = [];
  let last: string | null = null;
  for (const item of items) {
    const k = key(item);
    if (k === last) runs[runs.length - 1]![1].push(item);
    else {
      runs.push([k, [item]]);
      last = k;
    }
  }
  return runs;
}

/** Groups consecutive-or-not items by a key, keeping first-seen group order and item order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let group = groups.get(k);
    if (group === undefined) groups.set(k, (group = []));
    group.push(item);
  }
  return [...groups.values()];
}
