/** `op.createPrimaryKey()`, `op.createUniqueConstraint()`, `op.createForeignKey()`, `op.createCheckConstraint()`, `op.dropConstraint()`. */
import type {
  CreateCheckConstraintOp,
  CreateForeignKeyOp,
  CreatePrimaryKeyOp,
  CreateUniqueConstraintOp,
  DropConstraintOp,
  ValidateConstraintOp,
} from '../../operations/ops/constraint.js';
import { call, name, object, type RenderContext, str, strings, tableCall } from './source.js';
import { schemaOption } from './table.js';

export function renderCreatePrimaryKey(r: RenderContext, op: CreatePrimaryKeyOp): string {
  return tableCall(r, 'createPrimaryKey', [name(op.constraintName), str(op.tableName), strings(op.columns), object([r.schemaEntry(op.schema)])], 1);
}

export function renderCreateUniqueConstraint(r: RenderContext, op: CreateUniqueConstraintOp): string {
  return tableCall(r, 'createUniqueConstraint', [name(op.constraintName), str(op.tableName), strings(op.columns), object([r.schemaEntry(op.schema)])], 1);
}

export function renderCreateForeignKey(r: RenderContext, op: CreateForeignKeyOp): string {
  const options = object([
    ['onDelete', op.onDelete === undefined ? undefined : str(op.onDelete)],
    ['onUpdate', op.onUpdate === undefined ? undefined : str(op.onUpdate)],
    ['deferrable', op.deferrable === true ? 'true' : undefined],
    ['initially', op.initially === undefined ? undefined : str(op.initially)],
    r.schemaEntry(op.sourceSchema, 'sourceSchema'),
    ['referentSchema', op.referentSchema === null ? undefined : str(op.referentSchema)],
    ['notValid', op.notValid === true ? 'true' : undefined],
  ]);
  return tableCall(r, 'createForeignKey', [name(op.constraintName), str(op.sourceTable), str(op.referentTable), strings(op.localColumns), strings(op.remoteColumns), options], 1);
}

export function renderCreateCheckConstraint(r: RenderContext, op: CreateCheckConstraintOp): string {
  const condition = typeof op.condition === 'string' ? str(op.condition) : r.expression(op.condition);
  const options = object([r.schemaEntry(op.schema), ['notValid', op.notValid === true ? 'true' : undefined]]);
  return tableCall(r, 'createCheckConstraint', [name(op.constraintName), str(op.tableName), condition, options], 1);
}

export function renderValidateConstraint(_r: RenderContext, op: ValidateConstraintOp): string {
  return call('op.validateConstraint', [str(op.constraintName), str(op.tableName), schemaOption(op.schema)]);
}

export function renderDropConstraint(r: RenderContext, op: DropConstraintOp): string {
  const options = object([
    ['type', op.type === null ? undefined : str(op.type)],
    ['columns', op.columns === undefined ? undefined : strings(op.columns)],
    ['condition', op.condition === undefined ? undefined : str(op.condition)],
    r.schemaEntry(op.schema),
  ]);
  return tableCall(r, 'dropConstraint', [name(op.constraintName), str(op.tableName), options], 1);
}
