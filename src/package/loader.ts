/**
 * How compiled tsmig gets into a process. Everything (library and CLI) is one script, `dist/tsmig.cjs`,
 * compiled here through `vm.Script` with V8's code cache, and `dist/index.js` re-exports its names.
 *
 * Why not plain ES modules: a process that runs `tsmig heads` spent more CPU parsing and compiling
 * tsmig's own ~900 KB of JavaScript than doing the work, every time. Node 20 caches compiled code only
 * for its own internals (`module.enableCompileCache` arrives in Node 22.1); `vm.Script` takes V8's cache
 * on every version. The cache holds what the first process compiled, written when it exits, one file
 * per Node version and architecture; V8 refuses a cache made for other code or flags, and then the script
 * is compiled from source and the cache written again. A package folder that cannot be written (a
 * read-only install) only costs each run the compile.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { writeAtomically } from '../util/cache-dir.js';

type Bundle = typeof import('./bundle.js');

const DIST = path.dirname(fileURLToPath(import.meta.url));
const CACHE_DIR = path.join(DIST, '.v8-cache');

/** What a script's wrapper function receives, after `exports, require, module, __filename, __dirname`. */
type Extra = Readonly<Record<string, unknown>>;

/**
 * Runs `dist/<name>.cjs` as a CommonJS module compiled with its code cache. The wrapper shares the
 * script's first line, so line numbers (and the source map) stay right.
 */
function runScript<T>(name: string, require: (id: string) => unknown, extra: Extra = {}): T {
  const file = path.join(DIST, `${name}.cjs`);
  const cache = path.join(CACHE_DIR, `${name}-${process.version}-${process.arch}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cache);
  } catch {
    // First run with this Node version: compiled from source, the cache written at exit.
  }
  const params = ['exports', 'require', 'module', '__filename', '__dirname', ...Object.keys(extra)];
  const script = new vm.Script(`(function (${params.join(', ')}) {${readFileSync(file, 'utf8')}\n})`, { filename: file, cachedData });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, DIST, ...Object.values(extra));
  if (cachedData === undefined || script.cachedDataRejected === true) process.once('exit', () => writeCache(script, cache));
  return module.exports;
}

/** Best effort: a concurrent process reads the old cache or the new one, never half of one. */
function writeCache(script: vm.Script, cache: string): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeAtomically(cache, script.createCachedData());
  } catch {
    // Nothing to do: the next run compiles from source again.
  }
}

const SCRIPT = path.join(DIST, 'tsmig.cjs');
const packages = createRequire(SCRIPT);
let knex: unknown;

/**
 * knex is a script of its own, compiled on the first connection: in tsmig's cache it would make every
 * command that never connects (`heads`, `--version`) deserialize it.
 */
function tsmigRequire(id: string): unknown {
  if (id !== 'knex') return packages(id);
  knex ??= runScript('knex', packages);
  return knex;
}

/** All of tsmig, loaded once per process whichever entry (library or CLI) asks first. */
export const tsmig: Bundle = runScript<Bundle>('tsmig', tsmigRequire, {
  __tsmig_url: pathToFileURL(SCRIPT).href,
  __tsmig_import: (url: string) => import(url),
});
