/** Boolean combinators and standalone value constructors: `and_`, `or_`, `not_`, `literal`, `bindparam`. */
import { ArgumentError } from '../../errors.js';
import { BooleanType } from '../../types/generic.js';
import { NULLTYPE, type TypeEngine, type ValueOf } from '../../types/type-engine.js';
import { BindParameter, ClauseList, ColumnElement, UnaryExpression } from './column-element.js';
import type { TextClause } from './text.js';

/** A boolean condition: an expression, or SQL text (`where(text('rating > 8'))`). */
export type Criterion = ColumnElement<boolean> | TextClause<unknown>;

/** `a AND b AND ...`; a single expression is returned as it is. */
export function and_(...clauses: Criterion[]): ColumnElement<boolean> {
  return combine('and', clauses);
}

/** `a OR b OR ...`. */
export function or_(...clauses: Criterion[]): ColumnElement<boolean> {
  return combine('or', clauses);
}

/** `NOT clause`. */
export function not_(clause: ColumnElement<boolean>): ColumnElement<boolean> {
  return new UnaryExpression<boolean>('not', clause, new BooleanType());
}

function combine(operator: 'and' | 'or', clauses: Criterion[]): ColumnElement<boolean> {
  if (clauses.length === 0) throw new ArgumentError(`${operator}_() needs at least one clause`);
  const [first] = clauses;
  if (clauses.length === 1 && first instanceof ColumnElement) return first;
  return new ClauseList(operator, clauses);
}

/** A value as a bound parameter expression: `select(literal(1).label('one'))`. */
export function literal<T>(value: T, type?: TypeEngine<T>): ColumnElement<T> {
  return new BindParameter<T>(null, value, type ?? NULLTYPE);
}

/**
 * A named parameter whose value is given now or at execution:
 * `conn.execute(select(users).where(users.c.name.eq(bindparam('name'))), { name: 'ed' })`.
 */
export function bindparam<TType extends TypeEngine = TypeEngine<any>>(
  key: string,
  options: { value?: ValueOf<TType>; type?: TType } = {},
): ColumnElement<ValueOf<TType>> {
  return new BindParameter<ValueOf<TType>>(key, options.value, options.type ?? NULLTYPE, true);
}
