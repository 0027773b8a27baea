/** `CASE WHEN ... THEN ... ELSE ... END`. */
import { inferType } from '../../types/infer.js';
import type { TypeEngine } from '../../types/type-engine.js';
import type { FromClause } from '../selectable.js';
import { BindParameter, ColumnElement, type Operand } from './column-element.js';
import { collectFroms } from './element.js';

/** What `case_(whens, { else })` returns; `T` is the type of its results. */
export class Case<T = unknown> extends ColumnElement<T> {
  readonly kind = 'Case';
  constructor(
    readonly whens: readonly (readonly [ColumnElement, ColumnElement])[],
    readonly else_: ColumnElement | null,
    readonly type: TypeEngine,
  ) {
    super();
  }
  override fromObjects(): readonly FromClause[] {
    return collectFroms([...this.whens.flat(), this.else_]);
  }
}

function toElement(value: unknown, type: TypeEngine): ColumnElement {
  return value instanceof ColumnElement ? value : new BindParameter(null, value, type);
}

/**
 * A searched CASE, as SQLAlchemy's `case()` (named `case_` because `case` is reserved in JavaScript).
 *
 * @example
 * case_([[movies.c.rating.ge(8), 'great'], [movies.c.rating.ge(6), 'good']], { else: 'other' })
 */
export function case_<T>(
  whens: readonly (readonly [ColumnElement<boolean>, Operand<T>])[],
  options: { else?: Operand<T> } = {},
): Case<T> {
  const results = [...whens.map(([, result]) => result), options.else];
  const typed = results.find((v) => v instanceof ColumnElement);
  const type =
    typed instanceof ColumnElement ? typed.type : inferType(results.find((v) => v !== null && v !== undefined) ?? null);
  return new Case<T>(
    whens.map(([condition, result]) => [condition, toElement(result, type)] as const),
    options.else === undefined ? null : toElement(options.else, type),
    type,
  );
}
