/**
 * A bundle of revisions that imports nothing but tsmig (and Node's built-in modules) runs as a script
 * compiled with a V8 code cache kept beside it, instead of as an ES module: Node 20 keeps no compiled code
 * of ES modules, so every run parsed the whole bundle again and compiled each revision function it called
 * (a thousand-revision downgrade: 0.3 G instructions of 2.2 G outside SQLite). The script is esbuild's
 * CommonJS form of the same bundle, run in strict mode as ES modules are.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { writeAtomically } from '../../util/cache-dir.js';

/** The code cache of a script: its compiled functions, for this Node (V8 refuses another's). */
export function codeCachePath(script: string): string {
  return `${script}.${process.version}-${process.arch}.v8`;
}

/** Scripts run without a usable code cache: theirs is written when the process ends well. */
const uncached = new Map<string, vm.Script>();

/**
 * Runs the script `file` (`module.exports` in CommonJS form) and returns what it exports. `modules`
 * answers its `require()` of the files it was built to import (tsmig, already loaded); any other
 * `require()` is Node's, for built-in modules.
 */
export function runScriptBundle(file: string, modules: ReadonlyMap<string, unknown>): unknown {
  const cache = codeCachePath(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cache);
  } catch {
    // No cache yet: this run compiles the script and writes one.
  }
  // On the first line, which holds the bundle's stamp comment, so source map lines stay right.
  const source = `(function (module, exports, require) {"use strict";${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const nodeRequire = createRequire(file);
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (m: typeof module, e: object, r: (id: string) => unknown) => void)(module, module.exports, (id) =>
    modules.has(id) ? modules.get(id) : nodeRequire(id),
  );
  if (cachedData === undefined || script.cachedDataRejected === true) {
    if (uncached.size === 0) process.once('exit', writeCodeCaches);
    uncached.set(cache, script);
  }
  return module.exports;
}

/**
 * At exit, so the cache holds the functions the run compiled (the revisions' upgrade or downgrade), not
 * just the top level. Not after a failure, whose run may have stopped early. A cache that cannot be
 * written (its folder gone) is skipped: the next run compiles again.
 */
function writeCodeCaches(code: number): void {
  if (code !== 0) return;
  for (const [cache, script] of uncached) {
    try {
      writeAtomically(cache, script.createCachedData());
    } catch {
      // The next run compiles again.
    }
  }
}
