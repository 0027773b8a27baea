/**
 * Loading the user's TypeScript (config, env.ts, models, revisions) without a build step on their side and
 * without a loader hooked into the process: esbuild compiles each file once into an ES module in a cache
 * folder, keyed by its path and content, and Node imports it from there. tsmig's own code is never
 * transformed at run time.
 *
 * Every import a compiled file makes is rewritten to an absolute target, so the cache folder's location
 * never changes what resolves: `tsmig` to the very copy of tsmig that runs (one MetaData class, one `op`,
 * whatever the project's module format), the project's own files to their compiled twins (so a model
 * imported by the config and by env.ts is one module), packages to the file esbuild resolves for them.
 * The revisions of a migration plan are compiled into one bundle: Node then loads one module instead of a
 * thousand, which is most of what a long upgrade used to cost.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, Message, Plugin } from 'esbuild';
import { RACY_MS, cacheDir, cacheKey, writeAtomically } from '../../util/cache-dir.js';
import { fileStat } from '../../util/file-stat.js';
import { importModule } from '../../util/import-module.js';
import { packageRoot } from '../../util/package-root.js';
import { ConfigError } from './config-error.js';
import { codeCachePath, runScriptBundle } from './script-bundle.js';
import { takeStat } from '../script/header-cache.js';

/** Bumped when the compiled form changes, so older cache entries are never reused. */
const FORMAT = 5;

/**
 * What the compiled modules import for `tsmig`: the copy of tsmig that runs this code. Compiled tsmig (what
 * users install) gives them `dist/load.js`'s lazy library, whose names initialize their module when first
 * read, so a config that only calls defineConfig does not initialize the ORM and the dialects; tsmig's
 * sources (its own tests) give them `src/index.ts`.
 */
const TSMIG = tsmigBinding(packageRoot(import.meta.url), import.meta.url.endsWith('.ts'));
const TSMIG_ENTRY = TSMIG.entry;

function tsmigBinding(root: string, sources: boolean): { readonly entry: string; readonly lazy: boolean } {
  return sources ? { entry: path.join(root, 'src', 'index.ts'), lazy: false } : { entry: path.join(root, 'dist', 'load.js'), lazy: true };
}

/** Extensions of the user's own modules, compiled here; anything else is left to Node. */
const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.jsx']);

/** esbuild's namespace of the module through which compiled files import tsmig (see userModules). */
const TSMIG_NAMESPACE = 'tsmig';

/** What each compiled user file sees as `import.meta` (and `__dirname`, `__filename`): its source's. */
const META = '__tsmig_import_meta';

/** The error of a user file that cannot be compiled or loaded; the message says file:line:column and what. */
export class UserModuleError extends ConfigError {
  override readonly name: string = 'UserModuleError';

  /** The file that was being loaded (the one asked for, even when the fault is in a file it imports). */
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.file = file;
  }
}

/**
 * Imports a user file (TypeScript or JavaScript) and returns its module namespace. A file whose content
 * changed since the last import in this process is imported anew.
 *
 * @example
 * ```ts
 * const config = await importUserModule('/app/alembic.config.ts');
 * config.default; // the object of `export default defineConfig({...})`
 * ```
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  const source = path.resolve(file);
  const [compiled] = await compileTwins([source]);
  return importOrExplain(source, `${pathToFileURL(compiled!.output).href}?v=${compiled!.key}`);
}

/**
 * Imports several user files, in order, as one bundle compiled in one esbuild run (the files they import
 * stay separate modules). Migrations load every revision of a plan this way before the first step runs,
 * so a file that does not compile stops the run before it starts. A caller that reads only some exports
 * names them in `picked`: a bundle run as a script then gives objects of those alone (a file missing one
 * gets its module namespace, as without `picked`), which keeps a thousand revisions' getters out of it.
 */
export async function importUserModules(files: readonly string[], picked?: readonly string[]): Promise<Record<string, unknown>[]> {
  // Revision files come resolved already; resolving a thousand paths again is a visible share of an upgrade.
  const sources = files.map((f) => (path.isAbsolute(f) ? f : path.resolve(f)));
  if (sources.length <= 1) return Promise.all(sources.map(importUserModule));
  const dir = cacheDir();
  const key = cacheKey([FORMAT, TSMIG_ENTRY, picked?.join(',') ?? '*', ...sources.map((s) => `${s}\0${sourceKey(s)}`)].join('\0'));
  // A bundle importing only tsmig is a script (script-bundle.ts), any other an ES module. Node maps the
  // stack traces of ES modules through their source maps when asked to, not those of scripts: then the
  // bundle stays a module, so that a failing revision is still named with its own line.
  const scripted = !process.sourceMapsEnabled;
  const script = path.join(dir, `bundle-${key}.cjs`);
  const module = path.join(dir, `bundle-${key}.mjs`);
  let output = script;
  let stamp = scripted ? freshStamp(script, key) : null;
  if (stamp === null) {
    output = module;
    stamp = freshStamp(module, key);
  }
  if (stamp === null) {
    const built = (scripted ? await buildScript(dir, script, key, sources, picked) : null) ?? { output: module, stamp: await buildFile(dir, module, key, { sources }) };
    ({ output, stamp } = built);
    pruneBundles(dir, output);
  } else {
    // Marked as used, so the prune keeps the bundles that runs still load.
    const now = new Date();
    utimesSync(output, now, now);
  }
  await compileTwins(stamp.sources);
  try {
    return (await loadBundle(output)).default;
  } catch {
    // Which file threw while the bundle ran is not known: loading them one by one names it.
    return Promise.all(sources.map(importUserModule));
  }
}

/** The bundles run in this process, by file: importing one again gives the same modules, as import() does. */
const loadedBundles = new Map<string, Promise<{ default: Record<string, unknown>[] }>>();

function loadBundle(output: string): Promise<{ default: Record<string, unknown>[] }> {
  let loaded = loadedBundles.get(output);
  if (loaded === undefined) {
    loaded = output.endsWith('.cjs')
      ? importModule(pathToFileURL(TSMIG_ENTRY).href).then((tsmig) => runScriptBundle(output, new Map([[TSMIG_ENTRY, tsmig]])) as { default: Record<string, unknown>[] })
      : (importModule(pathToFileURL(output).href) as Promise<{ default: Record<string, unknown>[] }>);
    loadedBundles.set(output, loaded);
    loaded.catch(() => loadedBundles.delete(output));
  }
  return loaded;
}

/**
 * The bundle of `sources` as a script, written with its stamp, if it can be one: it imports no file but
 * tsmig, and it compiles in that form (top-level await does not). Else null, and nothing is written.
 */
async function buildScript(dir: string, output: string, key: string, sources: readonly string[], picked: readonly string[] | undefined): Promise<{ output: string; stamp: Stamp } | null> {
  try {
    const stamp = await buildFile(dir, output, key, { sources, script: true, picked });
    return stamp === null ? null : { output, stamp };
  } catch {
    // The ES-module build that follows reports what is wrong, as it always did.
    return null;
  }
}

/** Bundles kept per cache folder: one per distinct plan (range and file contents), so they pile up otherwise. */
const KEPT_BUNDLES = 16;

/**
 * Removes all but the newest bundles, `kept` among them. A run that loses its bundle to a concurrent prune
 * loads the revisions one by one instead (see importUserModules).
 */
function pruneBundles(dir: string, kept: string): void {
  const bundles = readdirSync(dir)
    .filter((name) => name.startsWith('bundle-') && (name.endsWith('.mjs') || name.endsWith('.cjs')))
    .map((name) => path.join(dir, name))
    .filter((file) => file !== kept)
    .map((file) => ({ file, mtime: statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { file } of bundles.slice(KEPT_BUNDLES - 1)) {
    rmSync(file, { force: true });
    rmSync(codeCachePath(file), { force: true });
  }
}

async function importOrExplain(source: string, url: string): Promise<Record<string, unknown>> {
  try {
    return (await importModule(url)) as Record<string, unknown>;
  } catch (error) {
    throw new UserModuleError(source, firstLine(error), { cause: error });
  }
}

interface Compiled {
  readonly output: string;
  readonly key: string;
}

/**
 * What a compiled file's first line records: its key, the user files it imports (checked in turn, since a
 * fresh importer says nothing of its imports) and the package files it imports (which must still exist).
 */
interface Stamp {
  readonly key: string;
  readonly sources: readonly string[];
  readonly imports: readonly string[];
}

/** Compiles what is stale among `files` and the user files they import, transitively, one module each. */
async function compileTwins(files: readonly string[]): Promise<Compiled[]> {
  const dir = cacheDir();
  const done = new Map<string, Compiled>();
  let pending = [...new Set(files)];
  while (pending.length > 0) {
    const found: string[] = [];
    const builds: Promise<Stamp>[] = [];
    for (const source of pending) {
      const key = sourceKey(source);
      const output = twinPath(dir, source);
      done.set(source, { output, key });
      const stamp = freshStamp(output, key);
      if (stamp === null) builds.push(buildFile(dir, output, key, { entry: source }));
      else found.push(...stamp.sources);
    }
    for (const stamp of await settleAll(builds)) found.push(...stamp.sources);
    pending = [...new Set(found)].filter((f) => !done.has(f));
  }
  return files.map((f) => done.get(f)!);
}

/** Like Promise.all, but lets every build finish before reporting the first failure. */
async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * Compiles one file (`entry`, which becomes one module) or several (`sources`, bundled into one module
 * whose default export lists their namespaces in order) and writes the result with its stamp.
 */
async function buildFile(dir: string, output: string, key: string, what: { entry: string } | { sources: readonly string[] }): Promise<Stamp>;
/** As a script (CommonJS form), written only if it imports no file but tsmig: else null. */
async function buildFile(dir: string, output: string, key: string, what: { sources: readonly string[]; script: true; picked: readonly string[] | undefined }): Promise<Stamp | null>;
async function buildFile(
  dir: string,
  output: string,
  key: string,
  what: { entry: string } | { sources: readonly string[]; script?: true; picked?: readonly string[] | undefined },
): Promise<Stamp | null> {
  const esbuild = await import('esbuild');
  const bundled = new Set('entry' in what ? [what.entry] : what.sources);
  const imports: string[] = [];
  const sources: string[] = [];
  const entry: Partial<BuildOptions> =
    'entry' in what
      ? { entryPoints: [what.entry] }
      : {
          stdin: {
            contents: bundleEntry(what.sources, what.picked),
            resolveDir: path.dirname(what.sources[0]!),
            sourcefile: 'revisions',
            loader: 'js',
          },
        };
  const firstSource = 'entry' in what ? what.entry : what.sources[0]!;
  let text: string;
  try {
    const result = await esbuild.build({
      ...entry,
      bundle: true,
      write: false,
      format: 'script' in what ? 'cjs' : 'esm',
      platform: 'node',
      target: 'node20',
      outfile: output,
      // A script runs only while source maps are off (importUserModules): a map in it would be read for nothing.
      sourcemap: 'script' in what ? false : 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      banner: { js: '// tsmig' },
      define: { 'import.meta': META, __dirname: `${META}.dirname`, __filename: `${META}.filename` },
      // A name tsmig does not export fails the build, as it would fail linking an ES module.
      logOverride: { 'import-is-undefined': 'error' },
      plugins: [userModules(dir, bundled, imports, sources, await tsmigExports())],
    });
    text = result.outputFiles[0]!.text;
  } catch (error) {
    throw describeFailure(firstSource, bundled, error);
  }
  const stamp: Stamp = { key, sources: [...new Set(sources)], imports: [...new Set(imports)] };
  if ('script' in what && (stamp.sources.length > 0 || stamp.imports.length > 0)) return null;
  mkdirSync(dir, { recursive: true });
  // The stamp replaces the banner's line, so the source map's line numbers stay right.
  writeAtomically(output, text.replace(/^.*\n/, `// tsmig ${JSON.stringify(stamp)}\n`));
  return stamp;
}

/** The bundle's entry: it exports the list of the files' namespaces, or of objects of their `picked` exports. */
function bundleEntry(sources: readonly string[], picked: readonly string[] | undefined): string {
  const from = (i: number) => `from ${JSON.stringify(sources[i])};`;
  if (picked === undefined) return `${sources.map((_, i) => `import * as m${i} ${from(i)}`).join('\n')}\nexport default [${sources.map((_, i) => `m${i}`).join(', ')}];\n`;
  const imports = sources.map((_, i) => `import { ${picked.map((name, j) => `${name} as m${i}_${j}`).join(', ')} } ${from(i)}`);
  const objects = sources.map((_, i) => `{ ${picked.map((name, j) => `${JSON.stringify(name)}: m${i}_${j}`).join(', ')} }`);
  return `${imports.join('\n')}\nexport default [${objects.join(', ')}];\n`;
}

/** The names the running copy of tsmig exports (it is loaded already: this costs no module load). */
async function tsmigExports(): Promise<readonly string[]> {
  const module = (await importModule(pathToFileURL(TSMIG_ENTRY).href)) as { lazyLibrary?: () => object };
  return Object.keys(TSMIG.lazy ? module.lazyLibrary!() : module);
}

/**
 * The plugin that compiles the `bundled` files and leaves every other import to Node at run time,
 * rewritten to an absolute target: other user files to their compiled twins (collected in `sources`),
 * packages to their resolved file (collected in `imports`, checked when the cache entry is reused),
 * `tsmig` to the running copy. Each bundled file gets its own `import.meta` and, if it calls `require`,
 * a `require` resolving from its folder; both go on its first line so line numbers do not move.
 *
 * `tsmig` resolves to one module inside the output that imports the running copy once and names its
 * exports (`tsmigNames`) as plain variables, each read only if a compiled file uses it (esbuild drops the
 * others), so a lazy library initializes what the files use. Left external, every file of a bundle would
 * import it anew, and V8 searches a module's imports one by one each time it compiles a function that
 * uses one: with three imports per revision, compiling the revisions of a thousand-step plan cost that
 * search 0.1 s.
 */
function userModules(dir: string, bundled: ReadonlySet<string>, imports: string[], sources: string[], tsmigNames: readonly string[]): Plugin {
  return {
    name: 'tsmig-user-modules',
    setup(b) {
      b.onLoad({ filter: /.*/, namespace: TSMIG_NAMESPACE }, () => ({
        contents: [
          TSMIG.lazy ? `import { lazyLibrary } from ${JSON.stringify(TSMIG_ENTRY)};\nconst tsmig = lazyLibrary();` : `import * as tsmig from ${JSON.stringify(TSMIG_ENTRY)};`,
          'const read = (name) => tsmig[name];',
          ...tsmigNames.map((name) => `export const ${name} = /* @__PURE__ */ read(${JSON.stringify(name)});`),
        ].join('\n'),
        loader: 'js',
      }));
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === 'resolving') return undefined;
        if (args.namespace === TSMIG_NAMESPACE) return { path: TSMIG_ENTRY, external: true };
        if (args.path === 'tsmig' || args.path.startsWith('tsmig/')) return { path: 'tsmig', namespace: TSMIG_NAMESPACE };
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
        if (resolved.errors.length > 0 || resolved.external || resolved.path === '') return undefined;
        const file = resolved.path;
        if (bundled.has(file)) return { path: file };
        if (isUserSource(file)) {
          sources.push(file);
          return { path: twinPath(dir, file), external: true };
        }
        // JSON and other data files are inlined; code of packages is imported from where it is installed.
        if (!/\.(c|m)?js$/.test(file)) return undefined;
        imports.push(file);
        return { path: file, external: true };
      });
      b.onLoad({ filter: /.*/ }, (args) => {
        if (!bundled.has(args.path)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const url = pathToFileURL(args.path).href;
        const meta = JSON.stringify({ url, filename: args.path, dirname: path.dirname(args.path) });
        const require = /\brequire\s*\(/.test(text)
          ? `import { createRequire as __tsmigCreateRequire } from 'node:module'; const require = __tsmigCreateRequire(${JSON.stringify(url)}); `
          : '';
        return { contents: `${require}const ${META} = ${meta}; ${text}`, loader: loaderOf(args.path), resolveDir: path.dirname(args.path) };
      });
    },
  };
}

function loaderOf(file: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  const ext = path.extname(file);
  return ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : ext === '.js' || ext === '.mjs' ? 'js' : 'ts';
}

function isUserSource(file: string): boolean {
  return SOURCE_EXTENSIONS.has(path.extname(file)) && !file.split(path.sep).includes('node_modules');
}

/** The key of a source: what it says and where it is, the format, and the tsmig it binds to. */
function sourceKey(source: string): string {
  try {
    // Size, inode and change time stand for the content once the change is older than RACY_MS: reading
    // and hashing a thousand revisions cost more than the rest of loading them. The change time is the
    // kernel's; `touch -d` cannot set it back. The key taken from the content and the one taken from the
    // stat differ, so a file leaving the window costs its bundle one more compile: the full window, not
    // racyMs()'s short one, keeps the commands run right after an edit on one key.
    const { size, ino, ctimeMs } = takeStat(source) ?? fileStat(source);
    if (Date.now() - ctimeMs > RACY_MS) return cacheKey(`${FORMAT}\0${TSMIG_ENTRY}\0${source}\0${size}\0${ino}\0${ctimeMs}`);
    return createHash('sha1').update(`${FORMAT}\0${TSMIG_ENTRY}\0${source}\0${readFileSync(source, 'utf8')}`).digest('hex').slice(0, 20);
  } catch (error) {
    throw new UserModuleError(source, `Cannot read ${source}: ${firstLine(error)}`, { cause: error });
  }
}

/** One stable output per source path: importers refer to it by that path whatever its content is. */
function twinPath(dir: string, source: string): string {
  return path.join(dir, `${path.basename(source).replace(/\.[^.]*$/, '')}-${cacheKey(source)}.mjs`);
}

/** The stamp of a compiled file that is up to date with `key`, else null. */
function freshStamp(output: string, key: string): Stamp | null {
  const head = readHeadLine(output);
  if (head === null || !head.startsWith('// tsmig {')) return null;
  const stamp = JSON.parse(head.slice('// tsmig '.length)) as Stamp;
  return stamp.key === key && stamp.imports.every((file) => existsSync(file)) ? stamp : null;
}

/** The first line of `file` (a bundle of a thousand revisions is megabytes: only its stamp is needed), or null if it cannot be read. */
function readHeadLine(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const chunks: Buffer[] = [];
    for (;;) {
      const chunk = Buffer.alloc(16_384);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      const end = chunk.subarray(0, read).indexOf(10);
      chunks.push(chunk.subarray(0, end === -1 ? read : end));
      if (end !== -1 || read === 0) return Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * An esbuild failure as one line per error (`models.ts:65:17: Unexpected ";"`), attributed to the bundled
 * file it is in (or `fallback`, when it is in a file that one imports).
 */
function describeFailure(fallback: string, bundled: ReadonlySet<string>, reason: unknown): UserModuleError {
  const errors = (reason as { errors?: Message[] } | null)?.errors;
  if (errors === undefined || errors.length === 0) return new UserModuleError(fallback, firstLine(reason), { cause: reason });
  const where = errors[0]!.location === null ? fallback : path.resolve(errors[0]!.location.file);
  const lines = errors.map((e) => {
    if (e.location === null) return e.text;
    // The first line carries the added `import.meta` prelude: its columns are counted without it.
    const column = e.location.line === 1 ? e.location.column - (e.location.lineText.length - firstSourceLine(e.location.file).length) : e.location.column;
    return `${displayPath(e.location.file)}:${e.location.line}:${column + 1}: ${e.text}`;
  });
  return new UserModuleError(bundled.has(where) ? where : fallback, lines.join('; '), { cause: reason });
}

function firstSourceLine(file: string): string {
  try {
    return readFileSync(path.resolve(file), 'utf8').split('\n')[0]!;
  } catch {
    return '';
  }
}

function displayPath(file: string): string {
  const absolute = path.resolve(file);
  const relative = path.relative(process.cwd(), absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
