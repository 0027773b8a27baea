/** `op.createPrimaryKey()`, `op.createUniqueConstraint()`, `op.createForeignKey()`, `op.createCheckConstraint()`, `op.dropConstraint()`. */
import type {
  CreateCheckConstraintOp,
  CreateForeignKeyOp,
  CreatePrimaryKeyOp,
  CreateUniqueConstraintOp,
  DropConstraintOp,
  ValidateConstraintOp,
} from '../../operations/ops/constraint.js';
import { call, name, object, type RenderContext, str, strings } from './source.js';
import { schemaOption } from './table.js';

export function renderCreatePrimaryKey(_r: RenderContext, op: CreatePrimaryKeyOp): string {
  return call('op.createPrimaryKey', [name(op.constraintName), str(op.tableName), strings(op.columns), schemaOption(op.schema)]);
}

export function renderCreateUniqueConstraint(_r: RenderContext, op: CreateUniqueConstraintOp): string {
  return call('op.createUniqueConstraint', [name(op.constraintName), str(op.tableName), strings(op.columns), schemaOption(op.schema)]);
}

export function renderCreateForeignKey(_r: RenderContext, op: CreateForeignKeyOp): string {
  const options = object([
    ['onDelete', op.onDelete === undefined ? undefined : str(op.onDelete)],
    ['onUpdate', op.onUpdate === undefined ? undefined : str(op.onUpdate)],
    ['deferrable', op.deferrable === true ? 'true' : undefined],
    ['initially', op.initially === undefined ? undefined : str(op.initially)],
    ['sourceSchema', op.sourceSchema === null ? undefined : str(op.sourceSchema)],
    ['referentSchema', op.referentSchema === null ? undefined : str(op.referentSchema)],
    ['notValid', op.notValid === true ? 'true' : undefined],
  ]);
  return call('op.createForeignKey', [
    name(op.constraintName),
    str(op.sourceTable),
    str(op.referentTable),
    strings(op.localColumns),
    strings(op.remoteColumns),
    options,
  ]);
}

export function renderCreateCheckConstraint(r: RenderContext, op: CreateCheckConstraintOp): string {
  const condition = typeof op.condition === 'string' ? str(op.condition) : r.expression(op.condition);
  const options = object([
    ['schema', op.schema === null ? undefined : str(op.schema)],
    ['notValid', op.notValid === true ? 'true' : undefined],
  ]);
  return call('op.createCheckConstraint', [name(op.constraintName), str(op.tableName), condition, options]);
}

export function renderValidateConstraint(_r: RenderContext, op: ValidateConstraintOp): string {
  return call('op.validateConstraint', [str(op.constraintName), str(op.tableName), schemaOption(op.schema)]);
}

export function renderDropConstraint(_r: RenderContext, op: DropConstraintOp): string {
  const options = object([
    ['type', op.type === null ? undefined : str(op.type)],
    ['columns', op.columns === undefined ? undefined : strings(op.columns)],
    ['condition', op.condition === undefined ? undefined : str(op.condition)],
    ['schema', op.schema === null ? undefined : str(op.schema)],
  ]);
  return call('op.dropConstraint', [name(op.constraintName), str(op.tableName), options]);
}
