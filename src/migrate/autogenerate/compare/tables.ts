/**
 * Tables: those the models have and the database lacks are created (parents first, with their indexes
 * after), those the database has and the models lack are dropped (children first), and the pairs found
 * on both sides go on to the per-table comparators. A dropped and a created table of the same shape are
 * reported as a possible rename.
 */
import type { ForeignKeyConstraint } from '../../../schema/constraints.js';
import type { ReflectedTable } from '../../../schema/reflected.js';
import type { Table } from '../../../schema/table.js';
import { sortTables } from '../../../schema/table-order.js';
import { DropConstraintOp } from '../../operations/ops/constraint.js';
import { CreateIndexOp } from '../../operations/ops/index-ops.js';
import { CreateTableOp, DropTableOp } from '../../operations/ops/table.js';
import { type ConstraintDef, nameArg, type TableDef, tableDefFromReflected, tableDefFromTable } from '../../operations/table-def.js';
import { type CompareContext, qualified } from '../context.js';
import { foreignKeyName } from '../names.js';
import { dependencyOrder } from './order.js';
import { isBoolean, modelExpression, modelForeignKeyOp, modelIndexFields, modelServerDefault, named, reflectedForeignKeyOp, reflectedServerDefault } from './values.js';

/** A table found in the models and in the database (under its new name when renamed). */
export interface TablePair {
  readonly model: Table;
  readonly reflected: ReflectedTable;
}

/**
 * Creates the model tables missing from the database and drops the database tables missing from the
 * models; returns the tables found on both sides.
 */
export function compareTables(ctx: CompareContext, models: readonly Table[], reflected: readonly ReflectedTable[]): TablePair[] {
  const inDatabase = new Map(reflected.map((r) => [qualified(r.schema, r.name), r]));
  const inModels = new Set(models.map((m) => m.fullName));
  const pairs: TablePair[] = [];
  const created: Table[] = [];
  for (const model of models) {
    const found = inDatabase.get(model.fullName);
    if (found === undefined) created.push(model);
    else pairs.push({ model, reflected: found });
  }
  const dropped = reflected.filter((r) => !inModels.has(qualified(r.schema, r.name)));
  createTables(ctx, created);
  dropTables(ctx, dropped);
  for (const table of created) {
    for (const old of dropped) {
      if (old.schema === table.schema && sameShape(ctx, table, old)) {
        ctx.plan.addCandidate({ kind: 'table', table: table.name, schema: table.schema, from: old.name, to: table.name });
      }
    }
  }
  return pairs;
}

/** Same column names, types and nullability: what a renamed table looks like. */
function sameShape(ctx: CompareContext, model: Table, reflected: ReflectedTable): boolean {
  if (model.columns.length !== reflected.columns.length) return false;
  return model.columns.every((column) => {
    const found = reflected.columns.find((c) => c.name === column.name);
    return found !== undefined && found.nullable === column.nullable && ctx.impl.columnTypesEquivalent(column, found);
  });
}

/** CREATE TABLE for each new table, parents first; a foreign key closing a cycle is added after the tables. */
function createTables(ctx: CompareContext, tables: readonly Table[]): void {
  if (tables.length === 0) return;
  const order = sortTables(tables);
  // Where foreign keys may name tables that do not exist yet (SQLite), a cycle needs no ALTER.
  const deferred = new Set<ForeignKeyConstraint>(ctx.capabilities.forwardForeignKeys ? [] : order.deferredForeignKeys);
  for (const table of order.tables) {
    const definition = modelTableDef(ctx, table, deferred);
    ctx.plan.add({
      phase: 'createTable',
      table: table.fullName,
      op: new CreateTableOp({ definition }),
      code: 'add_table',
      description: `Added table '${table.fullName}'`,
    });
    for (const index of table.indexes) {
      if (!ctx.include('index', index.name.name, table.name, false)) continue;
      const fields = modelIndexFields(ctx, index, table.name, table.schema);
      // MySQL will not drop an index a foreign key needs while the key exists; the table's DROP takes both.
      // Whatever database the revision is generated against: it may be run on MySQL.
      const needed = table.foreignKeys.some((fk) => coversColumns(fields.columns, fk));
      ctx.plan.add({
        phase: 'createIndex',
        table: table.fullName,
        op: new CreateIndexOp(fields),
        ...(needed ? { downgrade: [], downgradeComment: `${index.name.name} goes with table '${table.fullName}': MySQL keeps it while a foreign key needs it` } : {}),
        code: 'add_index',
        description: `Added index '${index.name.name}' on '${table.fullName}' ${describeItems(fields.columns)}`,
      });
    }
  }
  for (const fk of deferred) {
    const op = modelForeignKeyOp(ctx, fk, nameArg(fk.name) ?? foreignKeyName(fk.table.name, fk.columns.map((c) => c.name), fk.referredTable.name));
    ctx.plan.add({
      phase: 'createForeignKey',
      table: fk.table.fullName,
      op,
      code: 'add_fk',
      description: `Added foreign key ${named(op.constraintName)}${describeForeignKey(op)} (after the tables: it closes a cycle)`,
    });
  }
}

/** Whether an index's leading items are the foreign key's columns, so the key can use it. */
export function coversColumns(items: readonly unknown[], fk: { readonly columns: readonly { readonly name: string }[] }): boolean {
  return fk.columns.every((c, i) => items[i] === c.name);
}

export function describeItems(items: readonly unknown[]): string {
  return `(${items.map((item) => (typeof item === 'string' ? item : String((item as { text?: string }).text ?? item))).join(', ')})`;
}

export function describeForeignKey(op: { sourceTable: string; localColumns: readonly string[]; referentTable: string; remoteColumns: readonly string[]; referentSchema: string | null }): string {
  return `${op.sourceTable}(${op.localColumns.join(', ')}) -> ${qualified(op.referentSchema, op.referentTable)}(${op.remoteColumns.join(', ')})`;
}

/**
 * The definition `op.createTable()` gets for a model table: expressions in this dialect's SQL, no
 * indexes (each is an `op.createIndex()` of its own, as Alembic writes them), and without the foreign
 * keys created later by ALTER.
 */
export function modelTableDef(ctx: CompareContext, table: Table, deferred: ReadonlySet<ForeignKeyConstraint>): TableDef {
  const def = tableDefFromTable(table);
  const columns = def.columns.map(({ key: _key, serverDefault: _default, comment, ...column }, i) => {
    const serverDefault = modelServerDefault(ctx, table.columns[i]!);
    return {
      ...column,
      ...(serverDefault === null ? {} : { serverDefault }),
      // Written even where this database keeps no comments (SQLite): the revision runs on others too.
      ...(comment === undefined ? {} : { comment }),
    };
  });
  const constraints: ConstraintDef[] = [];
  table.constraints.forEach((constraint, i) => {
    const c = def.constraints[i]!;
    if (deferred.has(constraint as ForeignKeyConstraint)) return;
    if (c.kind === 'Check') constraints.push({ ...c, condition: modelExpression(ctx, c.condition) });
    else if (c.kind === 'ForeignKey' && !ctx.impl.reflects.deferrableForeignKeys) constraints.push({ ...c, deferrable: false, initially: null });
    else constraints.push(c);
  });
  return { ...def, columns, constraints, indexes: [] };
}

/** The definition of a table as the database has it, to create it again in a downgrade. */
export function reflectedTableDef(table: ReflectedTable): TableDef {
  const def = tableDefFromReflected(table);
  // btree is PostgreSQL's default access method: saying it would only add noise to the revision.
  const indexes = def.indexes.map(({ postgresqlUsing, ...ix }) => (postgresqlUsing === undefined || postgresqlUsing.toLowerCase() === 'btree' ? ix : { ...ix, postgresqlUsing }));
  // Defaults in the form every dialect takes, where they have one: the downgrade may run elsewhere.
  const columns = def.columns.map((c, i) => {
    const { default: sql, type } = table.columns[i]!;
    return sql === null ? c : { ...c, serverDefault: reflectedServerDefault(sql, isBoolean(type))! };
  });
  return { ...def, columns, indexes };
}

/** DROP TABLE for each table the models lack, children first; a foreign key cycle is cut first. */
function dropTables(ctx: CompareContext, tables: readonly ReflectedTable[]): void {
  if (tables.length === 0) return;
  const key = (schema: string | null, name: string) => qualified(schema, name);
  const byKey = new Map(tables.map((t) => [key(t.schema, t.name), t]));
  const dependencies = tables.flatMap((t) =>
    t.foreignKeys.map((fk) => ({ child: key(t.schema, t.name), parent: key(fk.referredSchema, fk.referredTable), edge: { table: t, fk } })),
  );
  const { order, broken } = dependencyOrder([...byKey.keys()], dependencies);
  const cut = ctx.capabilities.forwardForeignKeys ? [] : broken;
  for (const { table, fk } of cut) {
    ctx.plan.add({
      phase: 'dropForeignKey',
      table: key(table.schema, table.name),
      op: new DropConstraintOp({ constraintName: fk.name, tableName: table.name, schema: table.schema, type: 'foreignkey', existing: reflectedForeignKeyOp(fk, table) }),
      code: 'remove_fk',
      description: `Removed foreign key ${named(fk.name)}on '${table.name}' (before its table is dropped: it closes a cycle)`,
    });
  }
  for (const name of [...order].reverse()) {
    const table = byKey.get(name)!;
    const def = reflectedTableDef(table);
    const cutHere = cut.filter((c) => c.table === table).map((c) => c.fk.name);
    const existing = cutHere.length === 0 ? def : { ...def, constraints: def.constraints.filter((c) => !(c.kind === 'ForeignKey' && cutHere.includes(c.name as string))) };
    ctx.plan.add({
      phase: 'dropTable',
      table: name,
      op: new DropTableOp({ tableName: table.name, schema: table.schema, existing }),
      destructive: `drops table '${name}' and all its rows`,
      code: 'remove_table',
      description: `Removed table '${name}'`,
    });
  }
}
