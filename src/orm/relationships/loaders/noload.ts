/**
 * `lazy: 'noload'` / `noload()`: never loaded; reading it gives an empty collection (or null), which
 * then behaves as loaded, so objects appended to it are still written at flush.
 */
import { setLoaded } from '../attributes.js';
import type { LoaderStrategy } from './strategy.js';

export const noLoader: LoaderStrategy = {
  name: 'noload',
  eager: null,
  unloaded(config, state) {
    return setLoaded(state, config, config.uselist ? [] : null).value;
  },
};
