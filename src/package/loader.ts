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
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

type Bundle = typeof import('./bundle.js');

const DIST = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = path.join(DIST, 'tsmig.cjs');
const CACHE = path.join(DIST, '.v8-cache', `tsmig-${process.version}-${process.arch}.bin`);

function load(): Bundle {
  const source = readFileSync(SCRIPT, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(CACHE);
  } catch {
    // First run with this Node version: compile from source and write the cache at exit.
  }
  // The wrapper shares the script's first line, so line numbers (and the source map) stay right.
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __tsmig_url, __tsmig_import) {${source}\n})`,
    { filename: SCRIPT, cachedData },
  );
  const module = { exports: {} as Bundle };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports, createRequire(SCRIPT), module, SCRIPT, DIST, pathToFileURL(SCRIPT).href, (url: string) => import(url),
  );
  if (cachedData === undefined || script.cachedDataRejected === true) process.once('exit', () => writeCache(script));
  return module.exports;
}

/** Best effort, and atomic: a concurrent process reads the old cache or the new one, never half of one. */
function writeCache(script: vm.Script): void {
  try {
    mkdirSync(path.dirname(CACHE), { recursive: true });
    const temp = `${CACHE}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, CACHE);
  } catch {
    // Nothing to do: the next run compiles from source again.
  }
}

/** All of tsmig, loaded once per process whichever entry (library or CLI) asks first. */
export const tsmig: Bundle = load();
