/**
 * `lazy: 'write_only'` and `lazy: 'dynamic'`: collections that are never loaded. The attribute holds a
 * WriteOnlyCollection (add, remove, select) or a DynamicCollection (also where/orderBy/all/count run
 * through the owner's session); `attributes.ts` creates it on first read, so `unloaded` is never
 * reached for them. Loader options cannot load them.
 */
import { notLoaded } from '../attributes.js';
import type { LoaderStrategy } from './strategy.js';

function unreachable(...[config, state]: Parameters<LoaderStrategy['unloaded']>): never {
  throw notLoaded(config, state, 'is write-only');
}

export const writeOnlyLoader: LoaderStrategy = { name: 'write_only', eager: null, unloaded: unreachable };

export const dynamicLoader: LoaderStrategy = { name: 'dynamic', eager: null, unloaded: unreachable };
