/**
 * `lazy: 'raise_on_sql'` / `raiseload(rel, { sqlOnly: true })`: like `raise`, except that a many-to-one
 * the session already holds (found without SQL) reads normally.
 */
import { manyToOneFromIdentity, notLoaded } from '../attributes.js';
import type { LoaderStrategy } from './strategy.js';

export const raiseOnSqlLoader: LoaderStrategy = {
  name: 'raise_on_sql',
  eager: null,
  unloaded(config, state) {
    const found = manyToOneFromIdentity(config, state);
    if (found !== undefined) return found;
    throw notLoaded(config, state, "would need SQL to load and its loader is lazy: 'raise_on_sql'");
  },
};
