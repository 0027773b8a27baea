/**
 * The entry of `dist/tsmig.cjs`, the one script that holds all of tsmig as users run it: the library's
 * public names, as `library`, and the command line, as `cliMain`. `loader.ts` explains why it is one script.
 * `library` is built by bin/build-dist.mjs from src/index.ts: each name initializes its module when first read.
 */
export { library } from 'tsmig:lazy-library';
export { main as cliMain } from '../cli/main.js';
