/** `op.createIndex()`, `op.dropIndex()`. */
import type { CreateIndexOp, DropIndexOp } from '../../operations/ops/index-ops.js';
import type { IndexOptions } from '../../../schema/table-index.js';
import type { IndexDef } from '../../operations/table-def.js';
import { onlineOptions } from './column.js';
import { call, member, name, object, type RenderContext, str, tableCall } from './source.js';

export function renderCreateIndex(r: RenderContext, op: CreateIndexOp): string {
  const options = object([
    ['unique', op.unique ? 'true' : undefined],
    r.schemaEntry(op.schema),
    ...indexOptions(r, op),
    ['concurrently', op.concurrently === true ? 'true' : undefined],
    ...onlineOptions(op),
  ]);
  return tableCall(r, 'createIndex', [name(op.indexName), str(op.tableName), `[${op.columns.map((c) => r.item(c)).join(', ')}]`, options], 1);
}

/**
 * `index('ix_name', [c.title, literalColumn('lower(email)')], { ... })` inside a Table's constraints
 * callback.
 *
 * @internal for the Tables `tsmig pull` writes.
 */
export function renderTableIndex(r: RenderContext, ix: IndexDef, keyOf: (columnName: string) => string = (n) => n): string {
  const items = ix.items.map((item) => (typeof item === 'string' ? member('c', keyOf(item)) : r.expression(item)));
  const options = object([['unique', ix.unique ? 'true' : undefined], ...indexOptions(r, ix)]);
  return `${r.use('index')}(${name(ix.name)}, [${items.join(', ')}]${options === null ? '' : `, ${options}`})`;
}

/** The dialect options an index carries wherever it is written. */
function indexOptions(r: RenderContext, ix: Pick<IndexOptions, 'postgresqlWhere' | 'postgresqlUsing' | 'mysqlLength' | 'mysqlPrefix' | 'order'>): (readonly [string, string | undefined])[] {
  const lengths = ix.mysqlLength === undefined ? undefined : object(Object.entries(ix.mysqlLength).map(([c, n]) => [c, String(n)] as const));
  return [
    ['postgresqlWhere', ix.postgresqlWhere === undefined ? undefined : typeof ix.postgresqlWhere === 'string' ? str(ix.postgresqlWhere) : r.expression(ix.postgresqlWhere)],
    ['postgresqlUsing', ix.postgresqlUsing === undefined ? undefined : str(ix.postgresqlUsing)],
    ['mysqlLength', lengths ?? undefined],
    ['mysqlPrefix', ix.mysqlPrefix === undefined ? undefined : str(ix.mysqlPrefix)],
    ['order', ix.order === undefined ? undefined : (object(Object.entries(ix.order).map(([c, o]) => [c, str(o)] as const)) ?? undefined)],
  ];
}

export function renderDropIndex(r: RenderContext, op: DropIndexOp): string {
  const options = object([
    ['table', op.tableName === null || r.inBatch ? undefined : str(op.tableName)],
    r.schemaEntry(op.schema),
    ['concurrently', op.concurrently === true ? 'true' : undefined],
    ...onlineOptions(op),
  ]);
  return r.inBatch ? call('batch.dropIndex', [name(op.indexName), options], '') : call('op.dropIndex', [name(op.indexName), options]);
}
