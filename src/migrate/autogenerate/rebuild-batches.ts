/**
 * Revisions that SQLite can run offline. Where an operation makes SQLite rebuild a table (a changed
 * column, an added or dropped constraint), `upgrade --sql` has no database to read the table from, so
 * autogenerate writes the operations on that table as one `op.batchAlterTable()` whose `copyFrom` is the
 * table before them. Whatever database the revision is generated on: it may run on SQLite. PostgreSQL and
 * MySQL run a batch's operations one by one and never read `copyFrom`; SQLite online reads the table
 * from the database; and one rebuild serves the whole batch.
 *
 * Each table is followed from where the comparison found it through every operation of the revision,
 * so a batch's `copyFrom` is the table as the operations before it leave it.
 */
import { type Dialect, getDialect } from '../../dialects/index.js';
import { MetaData } from '../../schema/metadata.js';
import { rebuildNeeded } from '../operations/batch.js';
import { planRebuild } from '../operations/batch-table.js';
import { BatchAlterTableOp, type TableAlterOp } from '../operations/ops/batch-alter-table.js';
import type { MigrateOperation } from '../operations/ops/operation.js';
import { CreateTableOp, DropTableOp, RenameTableOp } from '../operations/ops/table.js';
import { type TableDef, tableDefFromTable } from '../operations/table-def.js';
import { addedColumnTable } from '../operations/schema-objects.js';
import { reflectedTableDef } from './compare/tables.js';
import { qualified } from './context.js';
import type { PlanStart } from './plan.js';

/** An operation of `upgrade()` or `downgrade()` and the comment lines written above it (or comment lines alone: op null). */
export interface Step {
  readonly op: MigrateOperation | null;
  readonly comments: readonly string[];
}

/** A batch: the steps on one table, and the operation that runs them with the table's definition. */
export interface BatchStep {
  readonly batch: BatchAlterTableOp;
  readonly steps: readonly Step[];
}

const TABLE_ALTER_KINDS: ReadonlySet<string> = new Set<TableAlterOp['kind']>([
  'AddColumnOp',
  'DropColumnOp',
  'AlterColumnOp',
  'CreateIndexOp',
  'DropIndexOp',
  'CreatePrimaryKeyOp',
  'CreateUniqueConstraintOp',
  'CreateForeignKeyOp',
  'CreateCheckConstraintOp',
  'DropConstraintOp',
  'CreateTableCommentOp',
  'DropTableCommentOp',
]);

/** The databases whose ALTER TABLE cannot do everything, so that they rebuild tables. */
const REBUILDING: readonly Dialect[] = (['sqlite', 'postgresql', 'mysql'] as const)
  .map((name) => getDialect(name))
  .filter((d) => !d.capabilities.alterColumns || !d.capabilities.alterConstraints);

/** The tables of a revision as its operations go, by qualified name; unknown ones are absent. */
export class TableStates {
  #tables: Map<string, TableDef>;
  readonly #scratch: () => MetaData;

  constructor(start: PlanStart) {
    this.#tables = new Map(start.tables.map((t) => [qualified(t.schema, t.name), reflectedTableDef(t)]));
    const { namingConvention } = start;
    this.#scratch = () => new MetaData(namingConvention === undefined ? {} : { namingConvention });
  }

  /**
   * The upgrade's or downgrade's steps (the downgrade after the upgrade: it starts where the upgrade
   * ends), with the operations on each table that some database rebuilds as one batch. The phases of a
   * plan spread a table's operations among those of other tables; an operation joins the earlier ones on
   * its table when nothing in between touches what it touches, so each table is rebuilt once.
   */
  batch(steps: readonly Step[]): (Step | BatchStep)[] {
    const { rebuilt, touched, before: beforeStep, after } = this.#survey(steps);
    const result: (Step | BatchStep)[] = [];
    let run = null as { key: string; before: TableDef; steps: Step[] } | null;
    const close = () => {
      if (run === null) return;
      if (!rebuilt.has(run.key)) result.push(...run.steps);
      else {
        const { name: tableName, schema } = run.before;
        const ops = run.steps.map((s) => s.op as TableAlterOp);
        result.push({ batch: new BatchAlterTableOp({ tableName, schema, recreate: 'auto', copyFrom: asRebuilt(run.before), ops }), steps: run.steps });
      }
      run = null;
    };
    for (const step of gather(steps, rebuilt, touched)) {
      const key = step.op === null ? null : alteredTable(step.op);
      const before = beforeStep.get(step);
      if (key === null || before === undefined) {
        close();
        result.push(step);
      } else {
        if (run?.key !== key) close();
        run ??= { key, before, steps: [] };
        run.steps.push(step);
      }
    }
    close();
    this.#tables = after;
    return result;
  }

  /**
   * Followed on a copy of the states: the tables some operation of `steps` makes a database rebuild, what
   * each step touches (see {@link touches}), the table each step on a known table finds, and the tables
   * as all the steps leave them. {@link gather} moves a step only past steps on other tables and never
   * past one on no known table, so in its order each step finds its table as here.
   */
  #survey(steps: readonly Step[]): {
    rebuilt: Set<string>;
    touched: Map<Step, Set<string> | null>;
    before: Map<Step, TableDef>;
    after: Map<string, TableDef>;
  } {
    const saved = this.#tables;
    this.#tables = new Map(saved);
    const rebuilt = new Set<string>();
    const touched = new Map<Step, Set<string> | null>();
    const found = new Map<Step, TableDef>();
    for (const step of steps) {
      const { op } = step;
      const key = op === null ? null : alteredTable(op);
      const before = key === null ? undefined : this.#tables.get(key);
      touched.set(step, before === undefined ? null : touches(op as TableAlterOp, key!, before, this.#scratch()));
      if (before !== undefined) {
        found.set(step, before);
        if (REBUILDING.some((dialect) => rebuildNeeded(op as TableAlterOp, dialect, before))) rebuilt.add(key!);
      }
      if (op !== null) this.#apply(op);
    }
    const after = this.#tables;
    this.#tables = saved;
    return { rebuilt, touched, before: found, after };
  }

  /** The tables as `op` leaves them; a table an operation cannot be followed through becomes unknown. */
  #apply(op: MigrateOperation): void {
    if (op instanceof CreateTableOp) {
      this.#tables.set(qualified(op.schema, op.tableName), op.definition);
      return;
    }
    if (op instanceof DropTableOp) {
      this.#tables.delete(qualified(op.schema, op.tableName));
      return;
    }
    if (op instanceof RenameTableOp) {
      const from = qualified(op.schema, op.tableName);
      const def = this.#tables.get(from);
      this.#tables.delete(from);
      if (def !== undefined) this.#tables.set(qualified(op.schema, op.newTableName), { ...def, name: op.newTableName });
      return;
    }
    const key = alteredTable(op);
    const def = key === null ? undefined : this.#tables.get(key);
    if (key === null || def === undefined) return;
    try {
      this.#tables.set(key, planRebuild(def, [op as TableAlterOp], this.#scratch).table);
    } catch {
      this.#tables.delete(key);
    }
  }
}

/**
 * The steps with each operation on a table of `rebuilt` moved up to the last earlier one on its table,
 * when every step in between touches other tables and other names (`touched`; a step touching anything,
 * null, is never crossed).
 */
function gather(steps: readonly Step[], rebuilt: ReadonlySet<string>, touched: ReadonlyMap<Step, Set<string> | null>): Step[] {
  const groups: { key: string | null; steps: Step[]; touches: Set<string> | null }[] = [];
  for (const step of steps) {
    const key = step.op === null ? null : alteredTable(step.op);
    const own = touched.get(step) ?? null;
    const last = key === null || own === null || !rebuilt.has(key) ? -1 : groups.findLastIndex((g) => g.key === key);
    if (last >= 0 && groups.slice(last + 1).every((g) => g.touches !== null && ![...g.touches].some((name) => own!.has(name)))) {
      const group = groups[last]!;
      group.steps.push(step);
      for (const name of own!) group.touches?.add(name);
    } else groups.push({ key, steps: [step], touches: own === null ? null : new Set(own) });
  }
  return groups.flatMap((g) => g.steps);
}

/**
 * What an operation on a known table touches, for reordering: the table, the tables the foreign keys it
 * adds or drops name, and the names of the indexes and constraints it adds or drops (index names are
 * schema-wide on PostgreSQL and SQLite); null where it cannot be told.
 */
function touches(op: TableAlterOp, key: string, before: TableDef, metadata: MetaData): Set<string> | null {
  const found = new Set([`table ${key}`]);
  const name = (value: unknown) => value !== null && value !== undefined && found.add(`name ${String(value).toLowerCase()}`);
  const referent = (schema: string | null, table: string) => found.add(`table ${qualified(schema, table)}`);
  switch (op.kind) {
    case 'AddColumnOp': {
      const added = tableDefFromTable(addedColumnTable(op, metadata));
      for (const c of added.constraints) {
        name(c.name);
        if (c.kind === 'ForeignKey') referent(c.referredSchema, c.referredTable);
      }
      for (const ix of added.indexes) name(ix.name);
      break;
    }
    case 'CreateForeignKeyOp':
      referent(op.referentSchema, op.referentTable);
      break;
    case 'DropConstraintOp': {
      const dropped = before.constraints.find((c) => c.name !== null && String(c.name) === String(op.constraintName));
      if (dropped?.kind === 'ForeignKey') referent(dropped.referredSchema, dropped.referredTable);
      // A constraint the definition does not name could be a foreign key to any table: never crossed.
      else if (dropped === undefined && op.type !== 'unique' && op.type !== 'check') return null;
      break;
    }
  }
  if ('indexName' in op) name(op.indexName);
  if ('constraintName' in op) name(op.constraintName);
  return found;
}

/** The qualified name of the table a table-changing operation changes; null for any other operation. */
function alteredTable(op: MigrateOperation): string | null {
  if (!TABLE_ALTER_KINDS.has(op.kind)) return null;
  const alter = op as TableAlterOp;
  if (alter.kind === 'CreateForeignKeyOp') return qualified(alter.sourceSchema, alter.sourceTable);
  return alter.tableName === null ? null : qualified(alter.schema, alter.tableName);
}

/**
 * The definition without what only other databases keep (comments, MySQL's options): the databases that
 * rebuild tables (SQLite) have no use for them, and the revision reads shorter.
 */
function asRebuilt(def: TableDef): TableDef {
  const { mysqlEngine: _engine, mysqlCharset: _charset, mysqlCollation: _collation, ...table } = def;
  const columns = def.columns.map(({ comment: _comment, mysqlOnUpdate: _onUpdate, mysqlCharset: _c, mysqlCollation: _l, ...column }) => column);
  return { ...table, comment: null, columns };
}
