/** `op.execute()` with SQL text (autogenerate writes enum type changes this way). */
import { InvalidRequestError } from '../../../errors.js';
import type { ExecuteSqlOp } from '../../operations/ops/data.js';
import { call, type RenderContext, str } from './source.js';

export function renderExecute(_r: RenderContext, op: ExecuteSqlOp): string {
  if (typeof op.sql !== 'string' || op.params !== undefined) throw new InvalidRequestError('autogenerate renders op.execute() with SQL text only');
  return call('op.execute', [str(op.sql)]);
}
