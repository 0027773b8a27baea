/**
 * SQL function calls: `func.count()`, `func.lower(x)`, or any name (`func.json_extract(...)`). Known
 * aggregates and string functions carry their result type so rows are typed.
 */
import { DateTimeType, FloatType, StringType } from '../../types/generic.js';
import { NULLTYPE, type TypeEngine } from '../../types/type-engine.js';
import type { FromClause } from '../selectable.js';
import { BindParameter, ColumnElement, INTEGER_TYPE, type Operand } from './column-element.js';
import { collectFroms } from './element.js';

/** `name(arg, ...)`; `count()` without arguments renders `count(*)`. */
export class FunctionCall<T = unknown> extends ColumnElement<T> {
  readonly kind = 'FunctionCall';
  constructor(
    readonly name: string,
    readonly args: readonly ColumnElement[],
    readonly type: TypeEngine,
  ) {
    super();
  }
  /** SQLAlchemy names an unlabelled function column after the function (`count`). */
  override get naturalName(): string {
    return this.name;
  }
  override fromObjects(): readonly FromClause[] {
    return collectFroms(this.args);
  }
}

function toElement(value: unknown): ColumnElement {
  return value instanceof ColumnElement ? value : new BindParameter(null, value, NULLTYPE);
}

function call<T>(name: string, args: readonly unknown[], type: TypeEngine): FunctionCall<T> {
  return new FunctionCall<T>(name, args.map(toElement), type);
}

/** The type of the first argument, for functions that return what they are given (min, max, coalesce). */
function typeOfFirst(args: readonly unknown[]): TypeEngine {
  const first = args[0];
  return first instanceof ColumnElement ? first.type : NULLTYPE;
}

type Known = {
  /** `count(*)`, or `count(x)` / `count(DISTINCT x)` with an argument. */
  count(expr?: ColumnElement): FunctionCall<number>;
  min<T>(expr: ColumnElement<T>): FunctionCall<T | null>;
  max<T>(expr: ColumnElement<T>): FunctionCall<T | null>;
  sum<T>(expr: ColumnElement<T>): FunctionCall<T | null>;
  /** Averages are floats on every dialect (PostgreSQL's numeric result is converted). */
  avg(expr: ColumnElement): FunctionCall<number | null>;
  lower(expr: Operand<string | null>): FunctionCall<string>;
  upper(expr: Operand<string | null>): FunctionCall<string>;
  length(expr: Operand<string | null>): FunctionCall<number>;
  coalesce<T>(...args: Operand<T>[]): FunctionCall<T>;
  now(): FunctionCall<Date>;
};

const known: Known = {
  count: (expr) => call('count', expr === undefined ? [] : [expr], INTEGER_TYPE),
  min: (expr) => call('min', [expr], expr.type),
  max: (expr) => call('max', [expr], expr.type),
  sum: (expr) => call('sum', [expr], expr.type),
  avg: (expr) => call('avg', [expr], new FloatType()),
  lower: (expr) => call('lower', [expr], new StringType()),
  upper: (expr) => call('upper', [expr], new StringType()),
  length: (expr) => call('length', [expr], INTEGER_TYPE),
  coalesce: (...args) => call('coalesce', args, typeOfFirst(args)),
  now: () => call('now', [], new DateTimeType({ timezone: true })),
};

/** Any other function, untyped: `func.json_extract(doc, '$.a')`. */
type Generic = Record<string, (...args: unknown[]) => FunctionCall<unknown>>;

/**
 * The function namespace, as SQLAlchemy's `func`.
 *
 * @example
 * select(func.count()).selectFrom(movies)            // SELECT count(*) AS count FROM movies
 * select(func.max(movies.c.rating).label('best'))    // SELECT max(movies.rating) AS best FROM movies
 */
export const func: Known & Generic = new Proxy(known as Known & Generic, {
  get(target, name) {
    if (typeof name !== 'string') return undefined;
    if (name in target) return target[name];
    return (...args: unknown[]) => call(name, args, NULLTYPE);
  },
});
