/**
 * InnoDB's own indexes behind foreign keys (MySQL, MariaDB): made when no index starts with a key's
 * columns, dropped by InnoDB itself when a new index starts with them, and never droppable while the
 * key needs it. A new index that takes over such a key can therefore only be dropped with the key out
 * of the way: its downgrade drops the key, drops the index, and creates the key again (which makes
 * InnoDB's index again).
 */
import type { ReflectedForeignKey } from '../../../schema/reflected.js';
import { DropConstraintOp } from '../../operations/ops/constraint.js';
import type { MigrateOperation } from '../../operations/ops/operation.js';
import type { CompareContext } from '../context.js';
import type { TablePair } from './tables.js';
import { reflectedForeignKeyOp, sameList } from './values.js';

/** The database's keys that InnoDB indexes by itself and that an index on `items` takes over. */
export function takenOverKeys(ctx: CompareContext, { model, reflected }: TablePair, items: readonly unknown[]): ReflectedForeignKey[] {
  if (!ctx.impl.reflects.implicitForeignKeyIndexes) return [];
  const kept = new Set(model.foreignKeys.map((fk) => JSON.stringify(fk.columns.map((c) => c.name))));
  return reflected.foreignKeys.filter(
    (fk) =>
      kept.has(JSON.stringify(fk.columns)) &&
      fk.columns.every((c, i) => items[i] === c) &&
      reflected.indexes.some((ix) => ix.implicit && sameList(ix.columns as string[], fk.columns)),
  );
}

/** `undo` between dropping `keys` and creating them again. */
export function aroundKeys(pair: TablePair, keys: readonly ReflectedForeignKey[], undo: readonly MigrateOperation[]): MigrateOperation[] {
  const { model, reflected } = pair;
  const creates = keys.map((fk) => reflectedForeignKeyOp(fk, reflected));
  const drops = creates.map(
    (existing) => new DropConstraintOp({ constraintName: existing.constraintName, tableName: model.name, schema: model.schema, type: 'foreignkey', existing }),
  );
  return [...drops, ...undo, ...creates];
}

/**
 * True when a new index names only columns the table already has and a name no index or constraint of
 * the table uses now, so it can be created before the revision drops anything.
 */
export function onExistingColumns(pair: TablePair, name: string, items: readonly unknown[]): boolean {
  const { reflected } = pair;
  const columns = new Set(reflected.columns.map((c) => c.name));
  const names = new Set([...reflected.indexes.map((i) => i.name), ...reflected.uniqueConstraints.map((u) => u.name)]);
  return !names.has(name) && items.every((item) => typeof item === 'string' && columns.has(item));
}
