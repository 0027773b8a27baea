/**
 * `lazy: 'raise'` / `raiseload()`: reading the relationship while it is not loaded always raises, even
 * when the session holds the related object, so code that forgot to load it eagerly fails loudly.
 * Explicit loads (`session.load()`, loader options) still work.
 */
import { notLoaded } from '../attributes.js';
import type { LoaderStrategy } from './strategy.js';

export const raiseLoader: LoaderStrategy = {
  name: 'raise',
  eager: null,
  unloaded(config, state) {
    throw notLoaded(config, state, "is not loaded and its loader is lazy: 'raise'");
  },
};
