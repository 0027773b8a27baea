/**
 * Indexes, matched by name. An index the database made by itself (MySQL's behind a foreign key,
 * SQLite's behind a UNIQUE constraint) is not the models' business and is left alone; a unique index
 * that MySQL keeps as a UNIQUE constraint is compared there (unique.ts). A changed index (items,
 * uniqueness, the options this dialect keeps) is dropped and created again.
 */
import type { Column } from '../../../schema/column.js';
import type { ReflectedIndex } from '../../../schema/reflected.js';
import { canonicalIndexOrder, type Index } from '../../../schema/table-index.js';
import type { DialectImpl } from '../../impl/impl.js';
import { CreateIndexOp, DropIndexOp } from '../../operations/ops/index-ops.js';
import type { CompareContext } from '../context.js';
import { aroundKeys, onExistingColumns, takenOverKeys } from './implicit-indexes.js';
import { recreatedColumns } from './columns.js';
import { describeItems, type TablePair } from './tables.js';
import { isConstraintLike } from './unique.js';
import { modelExpression, modelIndexFields, reflectedIndexFields, sameList } from './values.js';

export function compareIndexes(ctx: CompareContext, pair: TablePair): void {
  const { model, reflected } = pair;
  const unmatched = reflected.indexes.filter((ix) => !ix.implicit && ctx.include('index', ix.name, model.name, true));
  const recreated = recreatedColumns(ctx, pair);
  for (const index of model.indexes) {
    const name = index.name.name!;
    if (isConstraintLike(ctx, index) || !ctx.include('index', name, model.name, false)) continue;
    const at = unmatched.findIndex((r) => r.name === name);
    const found = at === -1 ? undefined : unmatched.splice(at, 1)[0]!;
    // An index on a column dropped and added again goes with the column: it is dropped first and created after.
    const onRecreated = index.items.find((item) => item.kind === 'Column' && recreated.has((item as Column).name)) as Column | undefined;
    const change = found === undefined ? null : (indexChange(ctx, index, found) ?? (onRecreated === undefined ? null : `column '${onRecreated.name}' is dropped and added again`));
    if (found !== undefined && change === null) continue;
    if (found !== undefined) dropIndex(ctx, pair, found, `Changed index '${name}' on '${model.fullName}': ${change} (dropped and created again)`);
    const fields = modelIndexFields(ctx, index, model.name, model.schema);
    const op = new CreateIndexOp(fields);
    const keys = takenOverKeys(ctx, pair, fields.columns);
    // MySQL and SQLite compare index names without case: one renamed only in case (SomeIndex ->
    // someindex) is dropped before it is created, wherever the revision runs.
    const collides = reflected.indexes.some((r) => r.name !== name && r.name.toLowerCase() === name.toLowerCase());
    ctx.plan.add({
      phase: found === undefined && !collides && onExistingColumns(pair, name, fields.columns) ? 'createIndexOnExisting' : 'createIndex',
      table: model.fullName,
      op,
      ...(keys.length === 0 ? {} : { downgrade: aroundKeys(pair, keys, [op.reverse()]) }),
      code: 'add_index',
      description: found === undefined ? `Added ${index.unique ? 'unique ' : ''}index '${name}' on '${model.fullName}' ${describeItems(fields.columns)}` : `Created index '${name}' on '${model.fullName}' again`,
    });
  }
  for (const ix of unmatched) dropIndex(ctx, pair, ix, `Removed index '${ix.name}' on '${model.fullName}'`);
}

/** `op.dropIndex()` of a reflected index, which its downgrade creates again. */
export function dropIndex(ctx: CompareContext, { model, reflected }: TablePair, index: ReflectedIndex, description: string): void {
  ctx.plan.add({
    phase: 'dropIndex',
    table: model.fullName,
    op: new DropIndexOp({ indexName: index.name, tableName: model.name, schema: model.schema, existing: reflectedIndexFields(ctx, index, reflected) }),
    code: 'remove_index',
    description,
  });
}

/** The non-default orders of an index's columns in the form both sides compare in (`created DESC`), or `ascending`. */
export function describeIndexOrder(impl: DialectImpl, order: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(order ?? {})
    .map(([column, o]) => [column, canonicalIndexOrder(o, impl.reflects.indexNulls)] as const)
    .filter((e): e is readonly [string, string] => e[1] !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? 'ascending' : entries.map(([c, o]) => `${c} ${o}`).join(', ');
}

/** What differs between a model index and the database's of the same name, in words; null when nothing. */
function indexChange(ctx: CompareContext, index: Index, found: ReflectedIndex): string | null {
  const { impl } = ctx;
  const items = index.items.map((item) => (item.kind === 'Column' ? (item as Column).name : impl.normalizeExpression(impl.renderExpression(item))));
  const foundItems = found.columns.map((column, i) => column ?? impl.normalizeExpression(found.expressions[i] ?? ''));
  if (!sameList(items, foundItems)) return `items (${foundItems.join(', ')}) -> (${items.join(', ')})`;
  if (index.unique !== found.unique) return index.unique ? 'now unique' : 'no longer unique';
  const [mine, theirs] = [describeIndexOrder(impl, index.options.order), describeIndexOrder(impl, found.order)];
  if (mine !== theirs) return `order ${theirs} -> ${mine}`;
  const kept = impl.reflects.indexOptions;
  if (kept.includes('postgresqlUsing')) {
    const [mine, theirs] = [(index.options.postgresqlUsing ?? 'btree').toLowerCase(), (found.postgresqlUsing ?? 'btree').toLowerCase()];
    if (mine !== theirs) return `USING ${theirs} -> ${mine}`;
  }
  if (kept.includes('postgresqlWhere')) {
    const where = index.options.postgresqlWhere;
    const mine = where === undefined ? null : impl.normalizeExpression(modelExpression(ctx, where));
    const theirs = found.postgresqlWhere === undefined ? null : impl.normalizeExpression(found.postgresqlWhere);
    if (mine !== theirs) return `WHERE ${theirs ?? 'none'} -> ${mine ?? 'none'}`;
  }
  if (kept.includes('mysqlLength')) {
    const spell = (lengths: Readonly<Record<string, number>> | undefined) =>
      Object.entries(lengths ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([c, n]) => `${c}(${n})`)
        .join(', ') || 'none';
    const [mine, theirs] = [spell(index.options.mysqlLength), spell(found.mysqlLength)];
    if (mine !== theirs) return `prefix lengths ${theirs} -> ${mine}`;
  }
  if (kept.includes('mysqlPrefix')) {
    const [mine, theirs] = [index.options.mysqlPrefix ?? 'BTREE', found.mysqlPrefix ?? 'BTREE'];
    if (mine !== theirs) return `kind ${theirs} -> ${mine}`;
  }
  return null;
}
