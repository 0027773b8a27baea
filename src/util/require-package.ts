/**
 * `require(id)` of a package from tsmig's own code. In the shipped build the loader (package/loader.ts)
 * passes its own require as `__tsmig_require`: it serves knex and the pure-JavaScript drivers from scripts
 * compiled with V8's code cache, one copy each, shared with knex. Run from source, Node's require.
 */
import { createRequire } from 'node:module';

declare const __tsmig_require: ((id: string) => unknown) | undefined;

export const requirePackage: (id: string) => unknown = typeof __tsmig_require === 'function' ? __tsmig_require : createRequire(import.meta.url);
