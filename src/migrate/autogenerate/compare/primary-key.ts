/**
 * The primary key: its columns in order and, where the database keeps primary key names and the model
 * gives one, its name. A change drops the old key and creates the new one.
 */
import { CreatePrimaryKeyOp, DropConstraintOp } from '../../operations/ops/constraint.js';
import { nameArg } from '../../operations/table-def.js';
import type { CompareContext } from '../context.js';
import { primaryKeyName } from '../names.js';
import type { TablePair } from './tables.js';
import { list, named, sameList } from './values.js';

export function comparePrimaryKey(ctx: CompareContext, { model, reflected }: TablePair): void {
  const key = model.primaryKey;
  const columns = key?.columns.map((c) => c.name) ?? [];
  const found = reflected.primaryKey?.columns ?? [];
  const modelName = key?.name.name ?? null;
  const renamed = ctx.impl.reflects.primaryKeyName && modelName !== null && modelName !== reflected.primaryKey?.name;
  if (sameList(columns, found) && !renamed) return;
  const table = model.fullName;
  if (found.length > 0) {
    // MySQL calls every primary key PRIMARY (reflection reports none); SQLite's may have no name at all,
    // and its rebuild drops the table's primary key whatever it is called.
    const name = reflected.primaryKey!.name ?? 'PRIMARY';
    const existing = new CreatePrimaryKeyOp({ constraintName: reflected.primaryKey!.name, tableName: model.name, columns: found, schema: model.schema });
    ctx.plan.add({
      phase: 'dropPrimaryKey',
      table,
      op: new DropConstraintOp({ constraintName: name, tableName: model.name, schema: model.schema, type: 'primary', existing }),
      code: 'remove_pk',
      description: `Removed primary key ${named(reflected.primaryKey!.name)}${list(found)} of '${table}'`,
    });
  }
  if (columns.length > 0) {
    const constraintName = nameArg(key!.name) ?? primaryKeyName(model.name);
    ctx.plan.add({
      phase: 'createPrimaryKey',
      table,
      op: new CreatePrimaryKeyOp({ constraintName, tableName: model.name, columns, schema: model.schema }),
      code: 'add_pk',
      description: `Added primary key ${named(constraintName)}${list(columns)} on '${table}'`,
    });
  }
}
