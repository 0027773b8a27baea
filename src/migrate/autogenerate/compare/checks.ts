/**
 * CHECK constraints, where the database reports them (all three do here: PostgreSQL and MySQL from the
 * catalog, SQLite from its DDL text). A named check is matched by name, an unnamed one by its condition
 * in canonical form; a changed condition drops the check and creates it again.
 */
import { CreateCheckConstraintOp, DropConstraintOp } from '../../operations/ops/constraint.js';
import { nameArg } from '../../operations/table-def.js';
import type { CompareContext } from '../context.js';
import { checkName } from '../names.js';
import type { TablePair } from './tables.js';
import { modelExpression, named } from './values.js';

export function compareCheckConstraints(ctx: CompareContext, { model, reflected }: TablePair): void {
  const { impl } = ctx;
  const table = model.fullName;
  const unmatched = reflected.checkConstraints.map((c) => ({ ...c, text: impl.normalizeExpression(c.sqltext) }));
  const drop = (found: (typeof unmatched)[number], description: string) => {
    const existing = new CreateCheckConstraintOp({ constraintName: found.name, tableName: model.name, condition: impl.portableExpression(found.sqltext), schema: model.schema });
    ctx.plan.add({
      phase: 'dropConstraint',
      table,
      op: new DropConstraintOp({ constraintName: found.name, tableName: model.name, schema: model.schema, type: 'check', existing, ...(found.name === null ? { condition: found.sqltext } : {}) }),
      code: 'remove_check',
      description,
    });
  };
  for (const check of model.checkConstraints) {
    const condition = modelExpression(ctx, check.condition);
    const text = impl.normalizeExpression(condition);
    const name = check.name.name;
    const at = unmatched.findIndex((r) => (name === null ? r.text === text : r.name === name));
    const found = at === -1 ? undefined : unmatched.splice(at, 1)[0]!;
    if (found !== undefined && found.text === text) continue;
    const what = name === null ? `(${condition})` : `'${name}'`;
    if (found !== undefined) drop(found, `Changed check constraint ${what} on '${table}': ${found.sqltext} -> ${condition} (dropped and created again)`);
    const constraintName = nameArg(check.name) ?? checkName(model.name, text);
    // An unnamed check is named here for the revision: show that name and the condition it was made from.
    const shown = name === null ? `${named(constraintName)}${what}` : what;
    ctx.plan.add({
      phase: 'createConstraint',
      table,
      op: new CreateCheckConstraintOp({ constraintName, tableName: model.name, condition, schema: model.schema }),
      code: 'add_check',
      description: found === undefined ? `Added check constraint ${shown} on '${table}'` : `Created check constraint ${shown} on '${table}' again`,
    });
  }
  for (const found of unmatched) drop(found, `Removed check constraint ${found.name === null ? `(${found.sqltext})` : `'${found.name}'`} on '${table}'`);
}
