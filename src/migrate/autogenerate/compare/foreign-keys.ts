/**
 * Foreign keys, matched by what they link (columns, referred table and columns), since the database
 * may have named an unnamed one; then ON DELETE / ON UPDATE, the name where the model gives one, and
 * DEFERRABLE where the database keeps it. A changed key is dropped and created again.
 *
 * InnoDB (MySQL) indexes a key's columns by itself when nothing covers them and keeps that index after
 * the key is dropped: such an index is dropped along with its key, in both directions, so neither the
 * upgrade nor the downgrade leaves one behind.
 */
import type { ForeignKeyConstraint } from '../../../schema/constraints.js';
import type { ReflectedForeignKey } from '../../../schema/reflected.js';
import type { Table } from '../../../schema/table.js';
import type { MigrateOperation } from '../../operations/ops/operation.js';
import { type CreateForeignKeyOp, DropConstraintOp } from '../../operations/ops/constraint.js';
import { DropIndexOp } from '../../operations/ops/index-ops.js';
import { nameArg } from '../../operations/table-def.js';
import { type CompareContext, qualified } from '../context.js';
import { foreignKeyName } from '../names.js';
import { dropIndex } from './indexes.js';
import { describeForeignKey, type TablePair } from './tables.js';
import { modelForeignKeyOp, named, reflectedForeignKeyOp, sameList } from './values.js';

const modelKey = (fk: ForeignKeyConstraint): string =>
  JSON.stringify([fk.columns.map((c) => c.name), qualified(fk.referredTable.schema, fk.referredTable.name), fk.referredColumns.map((c) => c.name)]);

const reflectedKey = (fk: ReflectedForeignKey): string => JSON.stringify([fk.columns, qualified(fk.referredSchema, fk.referredTable), fk.referredColumns]);

export function compareForeignKeys(ctx: CompareContext, pair: TablePair): void {
  const { model, reflected } = pair;
  const unmatched = reflected.foreignKeys.filter((fk) => ctx.include('foreign_key_constraint', fk.name, model.name, true));
  for (const fk of model.foreignKeys) {
    if (!ctx.include('foreign_key_constraint', fk.name.name, model.name, false)) continue;
    const key = modelKey(fk);
    const at = unmatched.findIndex((r) => reflectedKey(r) === key);
    const found = at === -1 ? undefined : unmatched.splice(at, 1)[0]!;
    const change = found === undefined ? null : (foreignKeyChange(ctx, fk, found) ?? losesItsIndex(ctx, pair, fk));
    if (found !== undefined && change === null) continue;
    if (found !== undefined) dropForeignKey(ctx, pair, found, `Changed foreign key ${named(found.name)}${describeForeignKey(reflectedForeignKeyOp(found, reflected))}: ${change} (dropped and created again)`);
    createForeignKey(ctx, model, fk, found === undefined ? 'Added' : 'Created again');
  }
  for (const fk of unmatched) dropForeignKey(ctx, pair, fk, `Removed foreign key ${named(fk.name)}${describeForeignKey(reflectedForeignKeyOp(fk, reflected))}`);
}

/** What differs between a model key and the database's that links the same columns; null when nothing. */
function foreignKeyChange(ctx: CompareContext, fk: ForeignKeyConstraint, found: ReflectedForeignKey): string | null {
  const { impl } = ctx;
  const facts: [string, string | null, string | null][] = [
    ['ON DELETE', impl.normalizeReferentialAction(found.onDelete), impl.normalizeReferentialAction(fk.onDelete)],
    ['ON UPDATE', impl.normalizeReferentialAction(found.onUpdate), impl.normalizeReferentialAction(fk.onUpdate)],
  ];
  if (fk.name.name !== null) facts.push(['name', found.name, fk.name.name]);
  if (impl.reflects.deferrableForeignKeys) {
    facts.push(['DEFERRABLE', String(found.deferrable), String(fk.deferrable)]);
    facts.push(['INITIALLY', found.deferrable ? (found.initially ?? 'IMMEDIATE') : null, fk.deferrable ? (fk.initially ?? 'IMMEDIATE') : null]);
  }
  const changed = facts.filter(([, theirs, mine]) => theirs !== mine);
  return changed.length === 0 ? null : changed.map(([fact, theirs, mine]) => `${fact} ${theirs ?? 'default'} -> ${mine ?? 'default'}`).join(', ');
}

/**
 * InnoDB refuses to drop the index a foreign key uses. When the models drop it (nothing left in them
 * starts with the key's columns, and the database has no index of its own for the key), the key is
 * dropped before the index and created again after, and InnoDB makes its own index for it.
 */
function losesItsIndex(ctx: CompareContext, { model, reflected }: TablePair, fk: ForeignKeyConstraint): string | null {
  if (!ctx.impl.reflects.implicitForeignKeyIndexes) return null;
  const columns = fk.columns.map((c) => c.name);
  if (coveredInModel(model, columns)) return null;
  const own = reflected.indexes.some((ix) => ix.implicit && sameList((ix.columns as string[]).slice(0, columns.length), columns));
  return own ? null : 'the index it uses is dropped, which InnoDB allows only without the key';
}

/** `op.createForeignKey()`, named (the downgrade drops it by name), with its InnoDB index dropped too on the way down. */
function createForeignKey(ctx: CompareContext, model: Table, fk: ForeignKeyConstraint, verb: string): void {
  const local = fk.columns.map((c) => c.name);
  const name = nameArg(fk.name) ?? foreignKeyName(model.name, local, fk.referredTable.name);
  const op = modelForeignKeyOp(ctx, fk, name);
  let downgrade: MigrateOperation[] | null = null;
  if (ctx.impl.reflects.implicitForeignKeyIndexes && !coveredInModel(model, local)) {
    // InnoDB creates an index named after the key; the downgrade drops it after the key.
    downgrade = [op.reverse(), new DropIndexOp({ indexName: name, tableName: model.name, schema: model.schema })];
  }
  ctx.plan.add({
    phase: 'createForeignKey',
    table: model.fullName,
    op,
    downgrade,
    code: 'add_fk',
    description: `${verb} foreign key ${named(name)}${describeForeignKey(op as CreateForeignKeyOp)}`,
  });
}

/** Whether an index, unique constraint or the primary key of the model starts with `columns`. */
function coveredInModel(model: Table, columns: readonly string[]): boolean {
  const starts = (names: readonly string[]) => sameList(names.slice(0, columns.length), columns);
  return (
    model.indexes.some((ix) => starts(ix.items.map((item) => (item.kind === 'Column' ? (item as { name: string }).name : '')))) ||
    model.uniqueConstraints.some((u) => starts(u.columns.map((c) => c.name))) ||
    starts(model.primaryKey?.columns.map((c) => c.name) ?? [])
  );
}

/** `op.dropConstraint()` of a reflected key, and on MySQL the index InnoDB made for it. */
function dropForeignKey(ctx: CompareContext, pair: TablePair, fk: ReflectedForeignKey, description: string): void {
  const { model, reflected } = pair;
  ctx.plan.add({
    phase: 'dropForeignKey',
    table: model.fullName,
    op: new DropConstraintOp({
      constraintName: fk.name,
      tableName: model.name,
      schema: model.schema,
      type: 'foreignkey',
      existing: reflectedForeignKeyOp(fk, reflected),
      ...(fk.name === null ? { columns: fk.columns } : {}),
    }),
    code: 'remove_fk',
    description,
  });
  if (!ctx.impl.reflects.implicitForeignKeyIndexes) return;
  const index = reflected.indexes.find((ix) => ix.implicit && sameList(ix.columns as string[], fk.columns));
  if (index !== undefined) dropIndex(ctx, pair, index, `Removed index '${index.name}' that ${ctx.dialect} made for the foreign key`);
}
