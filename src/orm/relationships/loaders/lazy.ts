/**
 * `lazy: 'select'` (the default): not loaded by queries. Reading it unloaded gives a many-to-one the
 * session already holds (found by its key, no SQL, as SQLAlchemy's lazy loader does) and otherwise
 * raises a NotLoadedError saying how to load it; `await session.load(obj, key)` is the async lazy load.
 */
import type { InstanceState } from '../../session/instance-state.js';
import { manyToOneFromIdentity, notLoaded } from '../attributes.js';
import type { RelationshipConfig } from '../relationship.js';
import type { LoaderStrategy } from './strategy.js';

/** The unloaded read of every loader that can load: the identity map, else a NotLoadedError. */
export function identityMapOrRaise(config: RelationshipConfig, state: InstanceState): unknown {
  const found = manyToOneFromIdentity(config, state);
  if (found !== undefined) return found;
  throw notLoaded(config, state);
}

export const selectLoader: LoaderStrategy = {
  name: 'select',
  eager: null,
  unloaded: identityMapOrRaise,
};
