/**
 * How compiled tsmig gets into a process. Everything (library and CLI) is one script, `dist/tsmig.cjs`,
 * compiled here through `vm.Script` with V8's code cache, and `dist/index.js` re-exports its names.
 *
 * Why not plain ES modules: a process that runs `tsmig heads` spent more CPU parsing and compiling
 * tsmig's own ~900 KB of JavaScript than doing the work, every time. Node 20 caches compiled code only
 * for its own internals (`module.enableCompileCache` arrives in Node 22.1); `vm.Script` takes V8's cache
 * on every version.
 *
 * A cache holds the functions the process that wrote it had compiled when it exited, so there is one per
 * *profile*: each CLI command (`heads`, `upgrade`, ...) and the library. `tsmig heads` then deserializes
 * what `heads` runs, neither less (compiled again on every run) nor the union of every command (all of it
 * deserialized on every run). The first run of a profile that did not fail writes its cache, one file per Node
 * version and architecture; V8 refuses a cache made for other code or flags, and the script is then
 * compiled from source and the cache written again. A package folder that cannot be written (a read-only
 * install) only costs each run the compile.
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
 * Runs `dist/<name>.cjs` as a CommonJS module compiled with the code cache of `profile`. The wrapper
 * shares the script's first line, so line numbers (and the source map) stay right. The build keeps the
 * script ASCII, so Latin-1 reads it without UTF-8 decoding.
 */
function runScript<T>(name: string, profile: string, require: (id: string) => unknown, extra: Extra = {}): T {
  const file = path.join(DIST, `${name}.cjs`);
  const cache = path.join(CACHE_DIR, `${profile}-${process.version}-${process.arch}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cache);
  } catch {
    // First run of this profile with this Node version: compiled from source, the cache written at exit.
  }
  const params = ['exports', 'require', 'module', '__filename', '__dirname', ...Object.keys(extra)];
  const script = new vm.Script(`(function (${params.join(', ')}) {${readFileSync(file, 'latin1')}\n})`, { filename: file, cachedData });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, DIST, ...Object.values(extra));
  if (cachedData === undefined || script.cachedDataRejected === true) process.once('exit', (code) => !failed(code) && writeCache(script, cache));
  return module.exports;
}

/**
 * Whether a process's exit code says it failed (1), was misused (2: a mistyped command) or was stopped by
 * a signal (128 and up): such a run may have compiled little, and its cache would serve the next run worse
 * than none. Other codes are answers (`tsmig status` says 3 to 6) and their runs did the whole work.
 */
function failed(code: number): boolean {
  return code === 1 || code === 2 || code >= 128;
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

/**
 * The profile of a CLI run: its command, the first argument that looks like one (an option's value that
 * does too only names another cache). Help and version output, and anything unusual, share `cli`.
 */
export function cliProfile(args: readonly string[]): string {
  const command = args.find((arg) => !arg.startsWith('-'));
  return command !== undefined && /^[a-z][a-z-]{0,31}$/.test(command) ? `cli-${command}` : 'cli';
}

const SCRIPT = path.join(DIST, 'tsmig.cjs');
const packages = createRequire(SCRIPT);

/** The packages bin/build-dist.mjs made scripts of their own (knex and the drivers), which it names here. */
declare const __TSMIG_SCRIPTS: readonly string[];

/**
 * Packages that are scripts of their own, compiled on first use: in tsmig's cache they would make every
 * command that never connects (`heads`, `--version`) deserialize them.
 */
const SCRIPTS = new Set(__TSMIG_SCRIPTS);
const scripts = new Map<string, unknown>();

/** The require of every script: one copy of each package, whichever script (tsmig's, knex's) asks. */
function tsmigRequire(id: string): unknown {
  if (!SCRIPTS.has(id)) return packages(id);
  if (!scripts.has(id)) scripts.set(id, runScript(id, id, tsmigRequire));
  return scripts.get(id);
}

let tsmig: Bundle | undefined;

/** All of tsmig, loaded once per process whichever entry (library or CLI) asks first, with that entry's cache. */
export function loadTsmig(profile: string): Bundle {
  tsmig ??= runScript<Bundle>('tsmig', profile, tsmigRequire, {
    __tsmig_url: pathToFileURL(SCRIPT).href,
    __tsmig_import: (url: string) => import(url),
    __tsmig_require: tsmigRequire,
  });
  return tsmig;
}

/**
 * The library's names as the user's compiled files import them (src/migrate/config/user-modules.ts): each
 * initializes its module when first read, so a config that only calls defineConfig initializes nothing else.
 */
export function lazyLibrary(): Bundle['library'] {
  return loadTsmig('library').library;
}
