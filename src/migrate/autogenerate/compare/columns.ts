/**
 * Columns of a table found on both sides: added, dropped, and altered (type, nullability, server
 * default, comment: one `op.alterColumn()` per column, with every `existing*` hint, since MySQL restates
 * the whole column and the downgrade swaps the two sides). A dropped and an added column of the same
 * shape are reported as a possible rename.
 */
import type { Column } from '../../../schema/column.js';
import type { ReflectedColumn, ReflectedTable } from '../../../schema/reflected.js';
import { AddColumnOp, type AlterColumnFields, AlterColumnOp, DropColumnOp } from '../../operations/ops/column.js';
import type { CompareContext } from '../context.js';
import { EnumType } from '../../../types/generic.js';
import type { TypeEngine } from '../../../types/type-engine.js';
import { compareColumnComment } from './comments.js';
import { compareIdentity, computedDiffers, describeComputed, describeIdentity } from './generated.js';
import { compareMysqlColumn } from './mysql-columns.js';
import { compareServerDefault, describeDefault } from './server-defaults.js';
import type { TablePair } from './tables.js';
import { compareColumnType } from './types.js';
import { isBoolean, modelColumnSpec, reflectedColumnSpec, reflectedServerDefault } from './values.js';

const byName = new WeakMap<ReflectedTable, ReadonlyMap<string, ReflectedColumn>>();

/**
 * The table's columns by name, made once per reflected table: the renames, the columns and the indexes
 * of a comparison each look its columns up, and making the map was a tenth of comparing 200 tables.
 */
export function reflectedColumnsByName(table: ReflectedTable): ReadonlyMap<string, ReflectedColumn> {
  let columns = byName.get(table);
  if (columns === undefined) {
    const made = new Map<string, ReflectedColumn>();
    for (const column of table.columns) made.set(column.name, column);
    byName.set(table, (columns = made));
  }
  return columns;
}

/** Adds, drops and alters the columns of one table. */
export function compareColumns(ctx: CompareContext, pair: TablePair): void {
  const { model, reflected } = pair;
  const inDatabase = reflectedColumnsByName(reflected);
  const inModel = new Set(model.columns.map((c) => c.name));
  const added: Column[] = [];
  for (const column of model.columns) {
    if (!ctx.include('column', column.name, model.name, false)) continue;
    const found = inDatabase.get(column.name);
    if (found === undefined) {
      added.push(column);
      ctx.plan.add({
        phase: 'addColumn',
        table: model.fullName,
        op: new AddColumnOp({ tableName: model.name, columnName: column.name, column: modelColumnSpec(ctx, column), schema: model.schema }),
        code: 'add_column',
        description: `Added column '${model.fullName}.${column.name}'`,
      });
    } else if (isRecreated(ctx, column, found)) {
      recreateColumn(ctx, pair, column, found);
    } else {
      alterColumn(ctx, pair, column, found);
    }
  }
  const dropped = reflected.columns.filter((c) => !inModel.has(c.name) && ctx.include('column', c.name, model.name, true));
  for (const column of dropped) {
    ctx.plan.add({
      phase: 'dropColumn',
      table: model.fullName,
      op: new DropColumnOp({ tableName: model.name, columnName: column.name, schema: model.schema, existing: reflectedColumnSpec(ctx, column) }),
      destructive: `drops column '${model.fullName}.${column.name}' and its data`,
      code: 'remove_column',
      description: `Removed column '${model.fullName}.${column.name}'`,
    });
  }
  for (const column of added) {
    for (const old of dropped) {
      if (old.nullable === column.nullable && ctx.impl.columnTypesEquivalent(column, old)) {
        ctx.plan.addCandidate({ kind: 'column', table: model.name, schema: model.schema, from: old.name, to: column.name });
      }
    }
  }
}

/** Whether the column is dropped and added again (see {@link recreateColumn}). */
function isRecreated(ctx: CompareContext, column: Column, reflected: ReflectedColumn): boolean {
  return computedDiffers(ctx.impl, column.options.computed, reflected.computed);
}

/** The names of the table's columns that are dropped and added again: their indexes go with them. */
export function recreatedColumns(ctx: CompareContext, { model, reflected }: TablePair): Set<string> {
  const inDatabase = reflectedColumnsByName(reflected);
  return new Set(
    model.columns
      .filter((c) => ctx.include('column', c.name, model.name, false) && inDatabase.has(c.name) && isRecreated(ctx, c, inDatabase.get(c.name)!))
      .map((c) => c.name),
  );
}

/**
 * A generated column whose expression or kind changes, or a column that becomes or stops being one, is
 * dropped and added again: no database alters that in place everywhere (PostgreSQL before 17 cannot at
 * all), and a generated column's values come back by themselves. A plain column turned generated loses
 * its values, which the plan says.
 */
function recreateColumn(ctx: CompareContext, { model }: TablePair, column: Column, reflected: ReflectedColumn): void {
  const where = `'${model.fullName}.${column.name}'`;
  ctx.plan.add({
    phase: 'alterColumn',
    table: model.fullName,
    op: new DropColumnOp({ tableName: model.name, columnName: column.name, schema: model.schema, existing: reflectedColumnSpec(ctx, reflected) }),
    more: [new AddColumnOp({ tableName: model.name, columnName: column.name, column: modelColumnSpec(ctx, column), schema: model.schema })],
    destructive: reflected.computed === undefined ? `column ${where} becomes generated: its values are replaced` : null,
    code: 'modify_computed',
    description: `Changed column ${where}: ${describeComputed(ctx.impl, reflected.computed)} -> ${describeComputed(ctx.impl, column.options.computed)} (dropped and added again)`,
  });
}

function fieldsOf(op: AlterColumnOp): AlterColumnFields {
  const { kind: _kind, ...fields } = op;
  return fields;
}

/** What the column is in the database: the `existing*` hints of an `op.alterColumn()`. */
export function existingHints(
  ctx: CompareContext,
  reflected: ReflectedColumn,
  model?: Column,
): Pick<
  AlterColumnFields,
  | 'existingType'
  | 'existingNullable'
  | 'existingServerDefault'
  | 'existingComment'
  | 'existingAutoincrement'
  | 'existingMysqlOnUpdate'
  | 'existingMysqlCollation'
  | 'existingIdentity'
> {
  return {
    existingType: namedLikeModel(reflected.type, model),
    existingNullable: reflected.nullable,
    existingServerDefault: reflectedServerDefault(reflected.default, isBoolean(reflected.type) || (model !== undefined && isBoolean(model.type))),
    ...(ctx.impl.reflects.comments ? { existingComment: reflected.comment } : {}),
    ...(reflected.autoincrement ? { existingAutoincrement: true } : {}),
    ...(ctx.dialect === 'mysql'
      ? { existingMysqlOnUpdate: reflected.mysqlOnUpdate ?? null, existingMysqlCollation: reflected.mysqlCollation ?? null }
      : {}),
    ...(ctx.impl.reflects.identity && reflected.identity !== undefined ? { existingIdentity: reflected.identity } : {}),
  };
}

/**
 * The reflected type, an enum named as the model names it: MySQL keeps no enum names, and a revision
 * written there must say which PostgreSQL type the column has.
 */
function namedLikeModel(type: TypeEngine, model: Column | undefined): TypeEngine {
  const [found, wanted] = [type.impl, model?.type.impl];
  if (!(found instanceof EnumType) || found.name !== undefined || !(wanted instanceof EnumType) || wanted.name === undefined) return type;
  return new EnumType(found.values, wanted.name);
}

/** One `op.alterColumn()` for everything that differs in a column, or nothing. */
function alterColumn(ctx: CompareContext, { model, reflected: table }: TablePair, column: Column, reflected: ReflectedColumn): void {
  const where = `'${model.fullName}.${column.name}'`;
  const changes: string[] = [];
  const modify: { -readonly [K in keyof AlterColumnFields]?: AlterColumnFields[K] } = {};
  const type = compareColumnType(ctx, column, reflected);
  if (type !== null) {
    modify.modifyType = type.type;
    changes.push(`type ${reflected.type} -> ${type.type}`);
  }
  if (column.nullable !== reflected.nullable) {
    modify.modifyNullable = column.nullable;
    changes.push(column.nullable ? 'NOT NULL -> nullable' : 'nullable -> NOT NULL');
  }
  const serverDefault = compareServerDefault(ctx, column, reflected);
  if (serverDefault !== undefined) {
    modify.modifyServerDefault = serverDefault.value;
    changes.push(`server default ${describeDefault(reflectedServerDefault(reflected.default, isBoolean(column.type)))} -> ${describeDefault(serverDefault.value)}`);
  }
  const comment = compareColumnComment(ctx, column, reflected);
  if (comment !== undefined) {
    modify.modifyComment = comment.value;
    changes.push(`comment ${JSON.stringify(reflected.comment)} -> ${JSON.stringify(comment.value)}`);
  }
  const identity = compareIdentity(ctx.impl, column, reflected);
  if (identity !== undefined) {
    modify.modifyIdentity = identity.value;
    modify.existingIdentity = reflected.identity ?? null;
    changes.push(`${describeIdentity(reflected.identity)} -> ${describeIdentity(identity.value)}`);
  }
  const mysql = compareMysqlColumn(ctx.impl, table, column, reflected);
  Object.assign(modify, mysql.modify);
  changes.push(...mysql.changes);
  if (changes.length === 0) return;
  // Another kind of type may need telling how the values convert (PostgreSQL), both ways.
  const kindChanges = type !== null && type.type.impl.typeName !== reflected.type.impl.typeName;
  const using = kindChanges ? ctx.impl.castUsing(column.name, reflected.type, type.type) : null;
  const back = kindChanges ? ctx.impl.castUsing(column.name, type.type, reflected.type) : null;
  const op = new AlterColumnOp({
    tableName: model.name,
    columnName: column.name,
    schema: model.schema,
    ...existingHints(ctx, reflected, column),
    ...modify,
    ...(using === null ? {} : { postgresqlUsing: using }),
  });
  const reversed = op.reverse();
  const downgrade = back === null ? null : [new AlterColumnOp({ ...fieldsOf(reversed), postgresqlUsing: back })];
  const enumValues = type !== null && type.type.impl instanceof EnumType && reflected.type.impl instanceof EnumType;
  ctx.plan.add({
    phase: enumValues ? 'enumValues' : 'alterColumn',
    table: model.fullName,
    op,
    downgrade,
    destructive: type?.loss == null ? null : `column ${where} ${type.loss}`,
    code: 'modify_column',
    description: `Changed column ${where}: ${changes.join(', ')}`,
  });
}
