/**
 * The entry of `dist/tsmig.cjs`, the one script that holds all of tsmig as users run it: the library's
 * public names and, as `cliMain`, the command line. `loader.ts` explains why it is one script.
 */
export * from '../index.js';
export { main as cliMain } from '../cli/main.js';
