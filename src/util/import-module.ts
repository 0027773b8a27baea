/**
 * `import(url)` of an ES module that is not tsmig's own (the user's compiled files). In the shipped build
 * tsmig runs as a `vm.Script` (see package/loader.ts), where Node 20 refuses `import()` without an
 * experimental flag; the loader, an ordinary ES module, passes its own `import` in as `__tsmig_import`.
 * Packages are `require`d there instead (Node 20.19+ requires ES-module packages too).
 */
declare const __tsmig_import: ((url: string) => Promise<unknown>) | undefined;

export const importModule: (url: string) => Promise<unknown> =
  typeof __tsmig_import === 'function' ? __tsmig_import : (url) => import(url);
