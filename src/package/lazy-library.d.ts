/** The module bin/build-dist.mjs builds from src/index.ts for `dist/tsmig.cjs` (see src/package/bundle.ts). */
declare module 'tsmig:lazy-library' {
  /** tsmig's public names; reading one initializes the module that defines it, and what that module imports. */
  export const library: typeof import('../index.js');
}
