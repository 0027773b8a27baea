/**
 * Hooks by which objects of a higher layer take part in a Core `select()` without Core knowing them:
 * a join target that computes its own joins and ON clauses (an ORM relationship:
 * `select(Movie.c.title).join(Movie.director)`), and options a select carries for the layer that
 * executes it (ORM loader options). Core builds the FROM tree from what the hook returns and otherwise
 * ignores both.
 */
import type { ColumnElement } from './elements/column-element.js';
import type { FromClause } from './selectable.js';

export const JOINABLE: unique symbol = Symbol.for('tsmig.joinable');

/** One `JOIN target ON on` of a join path. */
export interface JoinStep {
  readonly target: FromClause;
  readonly on: ColumnElement<boolean>;
}

/** Where a join path starts (a FROM object the select already has, or one inside it) and its joins. */
export interface JoinPath {
  readonly left: FromClause;
  readonly steps: readonly JoinStep[];
}

/**
 * Something `Select.join()` accepts without an ON clause because it knows how to join itself.
 * A many-to-many relationship returns two steps (through its association table).
 */
export interface Joinable {
  /**
   * The joins from one of `froms` (the select's FROM objects) to this target. `target`, when given,
   * replaces the FROM object the path ends at (`join(addressAlias, User.addresses)`).
   */
  [JOINABLE](froms: readonly FromClause[], target: FromClause | null): JoinPath;
}

export function isJoinable(value: unknown): value is Joinable {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && JOINABLE in value;
}

export const SELECT_OPTION: unique symbol = Symbol.for('tsmig.selectOption');

/**
 * An option a select carries for the layer that runs it, such as the ORM's `selectinload(...)`. Core
 * stores options and never reads them.
 */
export interface SelectOption {
  readonly [SELECT_OPTION]: true;
}
