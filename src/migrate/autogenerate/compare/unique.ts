/**
 * UNIQUE constraints, matched by their columns (the database may have named an unnamed one), then by
 * name where the model gives one. On MySQL a plain unique index is the same object as a UNIQUE
 * constraint and reflects as one, so the model's unique indexes are compared here too.
 */
import type { Index } from '../../../schema/table-index.js';
import { CreateUniqueConstraintOp, DropConstraintOp } from '../../operations/ops/constraint.js';
import { CreateIndexOp } from '../../operations/ops/index-ops.js';
import { nameArg } from '../../operations/table-def.js';
import type { CompareContext } from '../context.js';
import { aroundKeys, onExistingColumns, takenOverKeys } from './implicit-indexes.js';
import { uniqueName } from '../names.js';
import type { TablePair } from './tables.js';
import { list, modelIndexFields, named, sameList } from './values.js';

/** A unique index the dialect keeps as a UNIQUE constraint (MySQL): plain columns, no prefix lengths. */
export function isConstraintLike(ctx: CompareContext, index: Index): boolean {
  if (!ctx.impl.reflects.uniqueIndexesAsConstraints || !index.unique) return false;
  return index.columns.length === index.items.length && Object.keys(index.options.mysqlLength ?? {}).length === 0;
}

export function compareUniqueConstraints(ctx: CompareContext, pair: TablePair): void {
  const { model, reflected } = pair;
  const table = model.fullName;
  const declared = [
    ...model.uniqueConstraints
      .filter((u) => ctx.include('unique_constraint', u.name.name, model.name, false))
      .map((u) => ({ columns: u.columns.map((c) => c.name), name: u.name, index: null as Index | null })),
    ...model.indexes
      .filter((ix) => isConstraintLike(ctx, ix) && ctx.include('index', ix.name.name, model.name, false))
      .map((ix) => ({ columns: ix.columns.map((c) => c.name), name: ix.name, index: ix as Index | null })),
  ];
  const unmatched = reflected.uniqueConstraints.filter((u) => ctx.include('unique_constraint', u.name, model.name, true));
  const drop = (found: (typeof unmatched)[number], description: string) => {
    const existing = new CreateUniqueConstraintOp({ constraintName: found.name, tableName: model.name, columns: found.columns, schema: model.schema });
    ctx.plan.add({
      phase: 'dropConstraint',
      table,
      op: new DropConstraintOp({ constraintName: found.name, tableName: model.name, schema: model.schema, type: 'unique', existing, ...(found.name === null ? { columns: found.columns } : {}) }),
      code: 'remove_unique',
      description,
    });
  };
  // Those the database has under their own name first: MySQL may hold two on the same columns.
  const ordered = [
    ...declared.filter((u) => unmatched.some((r) => r.name === u.name.name && sameList(r.columns, u.columns))),
    ...declared.filter((u) => !unmatched.some((r) => r.name === u.name.name && sameList(r.columns, u.columns))),
  ];
  for (const unique of ordered) {
    const byName = unmatched.findIndex((r) => r.name === unique.name.name && sameList(r.columns, unique.columns));
    const at = byName !== -1 ? byName : unmatched.findIndex((r) => sameList(r.columns, unique.columns));
    const found = at === -1 ? undefined : unmatched.splice(at, 1)[0]!;
    const renamed = found !== undefined && unique.name.name !== null && unique.name.name !== found.name;
    if (found !== undefined && !renamed) continue;
    if (found !== undefined) drop(found, `Renamed unique constraint ${list(unique.columns)} on '${table}': ${found.name} -> ${unique.name.name} (dropped and created again)`);
    const op =
      unique.index !== null
        ? new CreateIndexOp(modelIndexFields(ctx, unique.index, model.name, model.schema))
        : new CreateUniqueConstraintOp({
            constraintName: nameArg(unique.name) ?? uniqueName(model.name, unique.columns),
            tableName: model.name,
            columns: unique.columns,
            schema: model.schema,
          });
    const description = `Added unique constraint ${named(op instanceof CreateIndexOp ? op.indexName : op.constraintName)}${list(unique.columns)} on '${table}'`;
    // A unique index that takes over InnoDB's index of a foreign key can only go with the key out of the way.
    const keys = takenOverKeys(ctx, pair, unique.columns);
    const name = unique.index !== null ? unique.index.name.name : unique.name.name;
    const early = name !== null && onExistingColumns(pair, name, unique.columns);
    ctx.plan.add({ phase: early ? 'createIndexOnExisting' : 'createConstraint', table, op, code: 'add_unique', description, ...(keys.length === 0 ? {} : { downgrade: aroundKeys(pair, keys, [op.reverse()]) }) });
  }
  for (const found of unmatched) drop(found, `Removed unique constraint ${named(found.name)}${list(found.columns)} on '${table}'`);
}
