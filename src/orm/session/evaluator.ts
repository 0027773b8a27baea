/**
 * Evaluates simple SQL expressions over an object's attribute values, for `synchronizeSession:
 * 'evaluate'` (SQLAlchemy's `evaluator.py`): column references of one table, bound values,
 * comparisons, arithmetic, AND/OR/NOT, IN, BETWEEN, IS [NOT] NULL. SQL's NULL logic is kept (a
 * comparison with NULL is NULL, and only `true` matches). Anything else (functions, subqueries, LIKE,
 * other tables' columns) cannot be evaluated, and the caller fetches from the database instead.
 */
import type { ClauseElement } from '../../sql/elements/element.js';
import type {
  BetweenExpression,
  BinaryExpression,
  BindParameter,
  ClauseList,
  InExpression,
  Keyword,
  Label,
  UnaryExpression,
} from '../../sql/elements/column-element.js';
import type { ColumnClause, TableClause } from '../../sql/table-clause.js';

/** An expression turned into a function of an object's values. */
export type Evaluator = (values: Readonly<Record<string, unknown>>) => unknown;

/** Why an expression cannot be evaluated in JavaScript. */
export class CannotEvaluate extends Error {}

function comparable(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : typeof value === 'bigint' ? Number(value) : value;
}

const COMPARE: Record<string, (a: any, b: any) => unknown> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  mod: (a, b) => a % b,
  concat: (a, b) => `${a}${b}`,
};

/** Turns `expression` into an evaluator over `table`'s column values (keyed by column key). */
export function evaluatorFor(expression: ClauseElement, table: TableClause): Evaluator {
  switch (expression.kind) {
    case 'Column': {
      const column = expression as ColumnClause;
      if (column.table !== table) throw new CannotEvaluate(`${column.table.name}.${column.name} is a column of another table`);
      return (values) => values[column.key] ?? null;
    }
    case 'BindParameter': {
      const value = (expression as BindParameter).value;
      if (value === undefined) throw new CannotEvaluate('a parameter supplied at execution');
      return () => value;
    }
    case 'Keyword': {
      const keyword = (expression as Keyword<unknown>).keyword;
      const value = keyword === 'null' ? null : keyword === 'true';
      return () => value;
    }
    case 'Label':
      return evaluatorFor((expression as Label).element, table);
    case 'BinaryExpression':
      return binary(expression as BinaryExpression, table);
    case 'ClauseList': {
      const list = expression as ClauseList;
      const parts = list.clauses.map((c) => evaluatorFor(c, table));
      const and = list.operator === 'and';
      return (values) => {
        let sawNull = false;
        for (const part of parts) {
          const value = part(values);
          if (value === null) sawNull = true;
          else if (Boolean(value) !== and) return !and;
        }
        return sawNull ? null : and;
      };
    }
    case 'UnaryExpression': {
      const unary = expression as UnaryExpression;
      const inner = evaluatorFor(unary.element, table);
      if (unary.operator === 'not') return (values) => (inner(values) === null ? null : !inner(values));
      if (unary.operator === 'neg') return (values) => (inner(values) === null ? null : -(inner(values) as number));
      throw new CannotEvaluate(unary.operator);
    }
    case 'InExpression': {
      const e = expression as InExpression;
      const list = Array.isArray(e.values) ? null : (e.values as ClauseElement).kind === 'BindParameter' ? (e.values as BindParameter) : undefined;
      if (list === undefined) throw new CannotEvaluate('IN (subquery)');
      const left = evaluatorFor(e.left, table);
      // An expanding list (`inList()`) holds its values itself.
      const options =
        list === null ? (e.values as readonly ClauseElement[]).map((v) => evaluatorFor(v, table)) : (list.value as readonly unknown[]).map((v) => () => v);
      return (values) => {
        const value = comparable(left(values));
        if (value === null) return null;
        const found = options.some((option) => comparable(option(values)) === value);
        return e.negate ? !found : found;
      };
    }
    case 'BetweenExpression': {
      const e = expression as BetweenExpression;
      const [value, lower, upper] = [e.element, e.lower, e.upper].map((part) => evaluatorFor(part, table));
      return (values) => {
        const [v, lo, hi] = [value!, lower!, upper!].map((f) => comparable(f(values))) as [any, any, any];
        if (v === null || lo === null || hi === null) return null;
        const inside = v >= lo && v <= hi;
        return e.negate ? !inside : inside;
      };
    }
    default:
      throw new CannotEvaluate(expression.kind);
  }
}

function binary(e: BinaryExpression, table: TableClause): Evaluator {
  const left = evaluatorFor(e.left, table);
  const right = evaluatorFor(e.right, table);
  switch (e.operator) {
    case 'is':
    case 'isNotDistinctFrom':
      return (values) => comparable(left(values)) === comparable(right(values));
    case 'isNot':
    case 'isDistinctFrom':
      return (values) => comparable(left(values)) !== comparable(right(values));
    default: {
      const apply = COMPARE[e.operator];
      if (apply === undefined) throw new CannotEvaluate(e.operator);
      return (values) => {
        const a = comparable(left(values));
        const b = comparable(right(values));
        return a === null || b === null ? null : apply(a, b);
      };
    }
  }
}
