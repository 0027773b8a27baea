/**
 * `lazy: 'immediate'` / `immediateload()`: right after the query, the lazy load of each parent, one
 * SELECT per parent (a many-to-one the session already holds needs none). Eager, but N+1 statements:
 * prefer selectin for collections.
 */
import { identityMapOrRaise } from './lazy.js';
import { loadRelated } from './selectin.js';
import type { LoaderStrategy } from './strategy.js';

export const immediateLoader: LoaderStrategy = {
  name: 'immediate',
  eager: 'post',
  unloaded: identityMapOrRaise,
  async load(context, node, parents) {
    const rest = [];
    for (const parent of parents) rest.push(...(await loadRelated(context, node.config, [parent], context.childOptions(node), { force: false })));
    return rest;
  },
};
