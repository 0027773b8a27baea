/**
 * The loader strategy contract. A strategy decides two things for a relationship: what reading it
 * does while it is not loaded, and how a query loads it eagerly (by adding a join to the query itself,
 * or by statements run after it). One strategy per file; `index.ts` maps the `lazy` names to them.
 */
import type { InstanceState } from '../../session/instance-state.js';
import type { LoadContext, LoadNode } from '../load-plan.js';
import type { RelationshipConfig } from '../relationship.js';

/** The `lazy` option of a relationship, SQLAlchemy's names. */
export type LazyStrategy =
  | 'select'
  | 'selectin'
  | 'joined'
  | 'subquery'
  | 'immediate'
  | 'raise'
  | 'raise_on_sql'
  | 'noload'
  | 'write_only'
  | 'dynamic';

export interface LoaderStrategy {
  readonly name: LazyStrategy;
  /**
   * How a query loads it: `join` adds a LEFT (or INNER) JOIN and columns to the query itself, `post`
   * runs statements after the query (`load`), null leaves it unloaded.
   */
  readonly eager: 'join' | 'post' | null;
  /** Reading the attribute of a persistent or detached object while it is not loaded: a value, or an error. */
  unloaded(config: RelationshipConfig, state: InstanceState): unknown;
  /**
   * `post` strategies: loads the relationship of those `parents` that do not have it loaded, running
   * nested loader options through the child queries. Returns the related objects that did not come
   * from such a query (found in the identity map, or already loaded), to which nested options must
   * still be applied.
   */
  load?(context: LoadContext, node: LoadNode, parents: readonly InstanceState[]): Promise<InstanceState[]>;
}
