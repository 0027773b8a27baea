/**
 * `withParent(obj, Parent.children)`: the criteria selecting the objects related to one parent, as
 * SQLAlchemy's `with_parent()` (what the lazy loader itself queries by).
 */
import { ArgumentError } from '../../errors.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { and_ } from '../../sql/elements/conjunctions.js';
import { literalColumn } from '../../sql/elements/text.js';
import { select } from '../../sql/statements/select.js';
import { stateOf } from '../session/instance-state.js';
import { localValues, matchValues } from './queries.js';
import type { Relationship } from './relationship.js';

/**
 * Criteria for the target objects of `relationship` on `parent`.
 *
 * @example
 * select(Address).where(withParent(jack, User.addresses))
 * // SELECT addresses.* FROM addresses WHERE addresses.user_id = ?
 */
export function withParent<T extends object>(parent: object, relationship: Relationship<T>): ColumnElement<boolean> {
  const config = relationship.config;
  const state = stateOf(parent);
  if (state === undefined || state.mapper !== config.parentMapper) throw new ArgumentError(`withParent(): the object is not a ${config.parentMapper.name}`);
  const values = localValues(config, state);
  if (values === null) throw new ArgumentError(`withParent(): the ${config.parentMapper.name} has no key for ${config.name} yet; flush first`);
  const c = config.condition;
  if (c.direction === 'manyToMany') {
    const inner = select(literalColumn('1')).where(
      and_(...c.targetColumns.map((col, i) => (col as ColumnElement).eq(c.secondaryColumns[i] as never))),
      matchValues(c.remote, [values]),
    );
    return inner.correlateExcept(c.secondary!).exists();
  }
  return matchValues(c.remote, [values]);
}
