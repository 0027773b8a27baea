/** `op.createIndex()`, `op.dropIndex()`. */
import type { CreateIndexOp, DropIndexOp } from '../../operations/ops/index-ops.js';
import { call, name, object, type RenderContext, str } from './source.js';

export function renderCreateIndex(r: RenderContext, op: CreateIndexOp): string {
  const lengths = op.mysqlLength === undefined ? undefined : object(Object.entries(op.mysqlLength).map(([c, n]) => [c, String(n)] as const));
  const options = object([
    ['unique', op.unique ? 'true' : undefined],
    ['schema', op.schema === null ? undefined : str(op.schema)],
    ['postgresqlWhere', op.postgresqlWhere === undefined ? undefined : typeof op.postgresqlWhere === 'string' ? str(op.postgresqlWhere) : r.expression(op.postgresqlWhere)],
    ['postgresqlUsing', op.postgresqlUsing === undefined ? undefined : str(op.postgresqlUsing)],
    ['mysqlLength', lengths ?? undefined],
    ['concurrently', op.concurrently === true ? 'true' : undefined],
  ]);
  return call('op.createIndex', [name(op.indexName), str(op.tableName), `[${op.columns.map((c) => r.item(c)).join(', ')}]`, options]);
}

export function renderDropIndex(_r: RenderContext, op: DropIndexOp): string {
  const options = object([
    ['table', op.tableName === null ? undefined : str(op.tableName)],
    ['schema', op.schema === null ? undefined : str(op.schema)],
    ['concurrently', op.concurrently === true ? 'true' : undefined],
  ]);
  return call('op.dropIndex', [name(op.indexName), options]);
}
