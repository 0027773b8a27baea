/** `CAST(expr AS type)`, with the target spelled by each dialect's type compiler. */
import type { TypeEngine, ValueOf } from '../../types/type-engine.js';
import type { FromClause } from '../selectable.js';
import { BindParameter, ColumnElement } from './column-element.js';

/** What `cast(expr, type)` returns; `T` is the JS type of the target SQL type. */
export class Cast<T = unknown> extends ColumnElement<T> {
  readonly kind = 'Cast';
  constructor(
    readonly element: ColumnElement,
    readonly type: TypeEngine,
  ) {
    super();
  }
  override fromObjects(): readonly FromClause[] {
    return this.element.fromObjects();
  }
}

/** Converts an expression or value to another SQL type: `cast(movies.c.rating, t.Integer())`. */
export function cast<TType extends TypeEngine>(expr: unknown, type: TType): Cast<ValueOf<TType>> {
  const element = expr instanceof ColumnElement ? expr : new BindParameter(null, expr);
  return new Cast(element, type);
}
