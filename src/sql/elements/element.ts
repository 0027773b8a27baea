/**
 * The root of the expression tree. Elements are immutable and tagged with a literal `kind`; dialect
 * compilers dispatch on it through an exhaustive `Record<Kind, Handler>`. Nothing here produces SQL.
 */
import type { FromClause } from '../selectable.js';

/** Every node kind the compilers must handle; adding one without a compiler branch is a type error. */
export type ElementKind =
  | 'BindParameter'
  | 'BinaryExpression'
  | 'ClauseList'
  | 'UnaryExpression'
  | 'OrderByExpression'
  | 'LikeExpression'
  | 'InExpression'
  | 'BetweenExpression'
  | 'Label'
  | 'Keyword'
  | 'FunctionCall'
  | 'Cast'
  | 'Case'
  | 'TextClause'
  | 'LiteralColumn'
  | 'Column'
  | 'DerivedColumn'
  | 'ScalarSubquery'
  | 'Exists'
  | 'Table'
  | 'TableAlias'
  | 'Subquery'
  | 'Join'
  | 'Select'
  | 'CompoundSelect'
  | 'Insert'
  | 'Update'
  | 'Delete'
  | 'Tuple';

/** What an element that refers to no FROM object answers: one shared empty list, not a new one per call. */
const NO_FROMS: readonly FromClause[] = Object.freeze([]);

/** A node of the expression tree. */
export abstract class ClauseElement {
  abstract readonly kind: ElementKind;

  /** The FROM objects this element refers to, used to infer a SELECT's FROM list. */
  fromObjects(): readonly FromClause[] {
    return NO_FROMS;
  }

  /** Renders the SQL in the generic dialect with `:name` placeholders, as SQLAlchemy's `str()` does. */
  toString(): string {
    return stringCompiler.render(this);
  }
}

/**
 * The compiler used by `toString()`. It lives in `dialects/`, which imports this layer, so it is plugged
 * in by the generic dialect's module when it loads (the package entry point loads it).
 */
const stringCompiler: { render: (element: ClauseElement) => string } = {
  render: () => {
    throw new Error('tsmig: the generic SQL compiler is not loaded; import from "tsmig" rather than a deep path');
  },
};

/** @internal called once by the generic dialect. */
export function setStringCompiler(render: (element: ClauseElement) => string): void {
  stringCompiler.render = render;
}

/** Collects the distinct FROM objects of several elements, keeping first-seen order. */
export function collectFroms(elements: Iterable<ClauseElement | null | undefined>): FromClause[] {
  const seen = new Set<FromClause>();
  for (const element of elements) {
    if (!element) continue;
    for (const from of element.fromObjects()) seen.add(from);
  }
  return [...seen];
}
