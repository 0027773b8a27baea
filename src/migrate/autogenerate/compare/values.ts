/**
 * The model's and the database's objects as operations carry them. Every value an operation gets here
 * can be written back as TypeScript: SQL expressions become `literalColumn('...')` in this dialect's
 * spelling, types stay type objects, names that came from the naming convention stay `op.f()` names.
 * The operations run in-process exactly as the rendered revision would run them.
 */
import { type Column, type ColumnOptions, ColumnSpec, columnServerOptions } from '../../../schema/column.js';
import type { ForeignKeyConstraint } from '../../../schema/constraints.js';
import type { ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedTable } from '../../../schema/reflected.js';
import type { Index } from '../../../schema/table-index.js';
import type { ColumnElement } from '../../../sql/elements/column-element.js';
import type { TypeEngine } from '../../../types/type-engine.js';
import { false_, true_ } from '../../../sql/elements/column-element.js';
import { func } from '../../../sql/elements/functions.js';
import { literalColumn } from '../../../sql/elements/text.js';
import type { ServerDefault } from '../../operations/ops/column.js';
import { CreateForeignKeyOp } from '../../operations/ops/constraint.js';
import type { CreateIndexFields } from '../../operations/ops/index-ops.js';
import { nameArg } from '../../operations/table-def.js';
import type { NameArg } from '../../../schema/constraints.js';
import type { CompareContext } from '../context.js';

/**
 * The model column's server default as the model says it (a literal value, `func.now()`, `true_()`,
 * SQL text), so the revision compiles it for whichever database it runs on, not the one it was
 * generated against.
 */
export function modelServerDefault(_ctx: CompareContext, column: Column): ServerDefault | null {
  return column.options.serverDefault ?? null;
}

/**
 * A reflected default in a form every dialect takes where the text has one: a quoted literal (PostgreSQL's
 * cast left off) is a literal value, TRUE and FALSE are `true_()` and `false_()`, the current time is
 * `func.now()`; anything else (numbers too, which every database reads as written) stays the database's
 * own SQL text.
 */
export function reflectedServerDefault(sql: string | null, boolean = false): ServerDefault | null {
  if (sql === null) return null;
  const text = sql.trim();
  // A boolean's 0 and 1 (MySQL and SQLite keep booleans as integers; PostgreSQL refuses an integer default there).
  if (boolean && /^'?[01]'?$/.test(text)) return text.includes('1') ? true_() : false_();
  const quoted = /^'((?:[^']|'')*)'(?:::[A-Za-z_][\w ]*(?:\[\])?)?$/.exec(text);
  if (quoted !== null && !quoted[1]!.includes('\\')) return quoted[1]!.replace(/''/g, "'");
  const lower = text.toLowerCase();
  if (lower === 'true') return true_();
  if (lower === 'false') return false_();
  // CURRENT_TIMESTAMP alone is already SQL every database reads; now() and MariaDB's current_timestamp() are not.
  if (['now()', '(now())', 'current_timestamp()'].includes(lower)) return func.now();
  return literalColumn(sql);
}

/** Whether a type holds booleans (MySQL's TINYINT(1) reads back as Boolean). */
export function isBoolean(type: TypeEngine): boolean {
  return type.impl.typeName === 'Boolean';
}

/** An expression (CHECK condition, partial-index WHERE) as this dialect writes it. */
export function modelExpression(ctx: CompareContext, expression: string | ColumnElement): string {
  return typeof expression === 'string' ? expression : ctx.impl.renderExpression(expression);
}

/** The column alone (its keys, constraints and indexes are operations of their own), for `op.addColumn()`. */
export function modelColumnSpec(ctx: CompareContext, column: Column): ColumnSpec {
  const serverDefault = modelServerDefault(ctx, column);
  const options: ColumnOptions = {
    nullable: column.nullable,
    ...(serverDefault === null ? {} : { serverDefault }),
    // Written even where this database keeps no comments (SQLite): the revision runs on others too.
    ...(column.options.comment === undefined ? {} : { comment: column.options.comment }),
    ...columnServerOptions(column.options),
  };
  return new ColumnSpec(column.type, options);
}

/** The reflected column, to add it back in a downgrade. */
export function reflectedColumnSpec(ctx: CompareContext, column: ReflectedColumn): ColumnSpec {
  const { computed } = column;
  return new ColumnSpec(column.type, {
    nullable: column.nullable,
    ...(column.default === null ? {} : { serverDefault: reflectedServerDefault(column.default, isBoolean(column.type))! }),
    ...(column.comment === null || !ctx.impl.reflects.comments ? {} : { comment: column.comment }),
    ...columnServerOptions(column),
    ...(computed === undefined ? {} : { computed: { ...computed, sqltext: ctx.impl.portableExpression(computed.sqltext) } }),
  });
}

/** The fields of `op.createIndex()` for a model index, with only the options this dialect keeps. */
export function modelIndexFields(ctx: CompareContext, index: Index, tableName: string, schema: string | null): CreateIndexFields {
  const kept = ctx.impl.reflects.indexOptions;
  const { postgresqlWhere, postgresqlUsing, mysqlLength, mysqlPrefix } = index.options;
  return {
    indexName: nameArg(index.name),
    tableName,
    schema,
    columns: index.items.map((item) => (item.kind === 'Column' ? (item as Column).name : literalColumn(ctx.impl.renderExpression(item)))),
    unique: index.unique,
    ...(postgresqlWhere !== undefined && kept.includes('postgresqlWhere') ? { postgresqlWhere: modelExpression(ctx, postgresqlWhere) } : {}),
    ...(postgresqlUsing !== undefined && kept.includes('postgresqlUsing') && postgresqlUsing.toLowerCase() !== 'btree' ? { postgresqlUsing } : {}),
    ...(mysqlLength !== undefined && kept.includes('mysqlLength') && Object.keys(mysqlLength).length > 0 ? { mysqlLength } : {}),
    // What kind of index it is matters wherever the revision runs (other databases make a plain one).
    ...(mysqlPrefix === undefined ? {} : { mysqlPrefix }),
    ...(index.options.order === undefined || Object.keys(index.options.order).length === 0 ? {} : { order: index.options.order }),
  };
}

/** The fields of a reflected index, to create it again in a downgrade (its expressions in portable SQL). */
export function reflectedIndexFields(ctx: CompareContext, index: ReflectedIndex, table: ReflectedTable): CreateIndexFields {
  const portable = (sql: string) => ctx.impl.portableExpression(sql);
  return {
    indexName: index.name,
    tableName: table.name,
    schema: table.schema,
    columns: index.columns.map((name, i) => name ?? literalColumn(portable(index.expressions[i] ?? ''))),
    unique: index.unique,
    ...(index.postgresqlWhere === undefined ? {} : { postgresqlWhere: portable(index.postgresqlWhere) }),
    ...(index.postgresqlUsing === undefined || index.postgresqlUsing.toLowerCase() === 'btree' ? {} : { postgresqlUsing: index.postgresqlUsing }),
    ...(index.mysqlLength === undefined ? {} : { mysqlLength: index.mysqlLength }),
    ...(index.mysqlPrefix === undefined ? {} : { mysqlPrefix: index.mysqlPrefix }),
    ...(index.order === undefined ? {} : { order: index.order }),
  };
}

/** `op.createForeignKey()` for a model foreign key, named `name` (null: the model's own). */
export function modelForeignKeyOp(ctx: CompareContext, fk: ForeignKeyConstraint, name: ReturnType<typeof nameArg>): CreateForeignKeyOp {
  const referred = fk.referredTable;
  return new CreateForeignKeyOp({
    constraintName: name,
    sourceTable: fk.table.name,
    referentTable: referred.name,
    localColumns: fk.columns.map((c) => c.name),
    remoteColumns: fk.referredColumns.map((c) => c.name),
    sourceSchema: fk.table.schema,
    referentSchema: referred.schema,
    ...(fk.onDelete === null ? {} : { onDelete: fk.onDelete }),
    ...(fk.onUpdate === null ? {} : { onUpdate: fk.onUpdate }),
    ...(fk.deferrable && ctx.impl.reflects.deferrableForeignKeys ? { deferrable: true } : {}),
    ...(fk.deferrable && fk.initially !== null && ctx.impl.reflects.deferrableForeignKeys ? { initially: fk.initially } : {}),
  });
}

/** `op.createForeignKey()` for a reflected foreign key, to create it again in a downgrade. */
export function reflectedForeignKeyOp(fk: ReflectedForeignKey, table: ReflectedTable): CreateForeignKeyOp {
  type Action = NonNullable<CreateForeignKeyOp['onDelete']>;
  return new CreateForeignKeyOp({
    constraintName: fk.name,
    sourceTable: table.name,
    referentTable: fk.referredTable,
    localColumns: fk.columns,
    remoteColumns: fk.referredColumns,
    sourceSchema: table.schema,
    referentSchema: fk.referredSchema,
    ...(fk.onDelete === null ? {} : { onDelete: fk.onDelete as Action }),
    ...(fk.onUpdate === null ? {} : { onUpdate: fk.onUpdate as Action }),
    ...(fk.deferrable ? { deferrable: true } : {}),
    ...(fk.deferrable && fk.initially !== null ? { initially: fk.initially } : {}),
  });
}

export const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export const list = (names: readonly string[]): string => `(${names.join(', ')})`;

/** A constraint's name and a space (`uq_posts_author_title `) for a plan description; nothing for an unnamed one. */
export const named = (name: NameArg | string | null): string => (name === null ? '' : `${typeof name === 'string' ? name : name.name} `);
