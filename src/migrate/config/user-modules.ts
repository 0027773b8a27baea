/**
 * Loading the user's TypeScript (config, env.ts, models, revisions) without a build step on their side and
 * without a loader hooked into the process: each file is compiled once by esbuild into an ES module in a
 * cache folder, keyed by its path and content, and imported from there. tsmig's own code is never
 * transformed at run time.
 *
 * Every import a compiled file makes is rewritten to an absolute target, so the cache folder's location
 * never changes what resolves: `tsmig` to the very copy of tsmig that runs (one MetaData class, one `op`,
 * whatever the project's module format), the project's own files to their compiled twins (so a model
 * imported by the config and by env.ts is one module), packages to the file esbuild resolves for them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import { ConfigError } from './config-error.js';

/** Bumped when the compiled form changes, so older cache entries are never reused. */
const FORMAT = 1;

/** The file the compiled modules import for `tsmig`: the entry of the copy of tsmig that runs this code. */
const TSMIG_ENTRY = fileURLToPath(new URL('../../index.js', import.meta.url));

/** Extensions of the user's own modules, compiled here; anything else is left to Node. */
const SOURCE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.jsx']);

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
 * Imports a user file (TypeScript or JavaScript) and returns its module namespace. Every call made for a
 * file whose content changed since the last import gets the new version.
 *
 * @example
 * ```ts
 * const config = await importUserModule('/app/alembic.config.ts');
 * config.default; // the object of `export default defineConfig({...})`
 * ```
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  const [module] = await importUserModules([file]);
  return module!;
}

/**
 * Imports several user files at once, in order: those not compiled yet are compiled in one esbuild run.
 * Migrations use it to load (and so check) every revision of a plan before the first step runs.
 */
export async function importUserModules(files: readonly string[]): Promise<Record<string, unknown>[]> {
  const sources = files.map((f) => path.resolve(f));
  const compiled = await compile(sources);
  return Promise.all(
    compiled.map(async (c, index) => {
      try {
        // The content key in the query makes a changed file a new module; an unchanged one stays the same.
        return (await import(`${pathToFileURL(c.output).href}?v=${c.key}`)) as Record<string, unknown>;
      } catch (error) {
        throw new UserModuleError(sources[index]!, firstLine(error), { cause: error });
      }
    }),
  );
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

/** Compiles what is stale among `files` and the user files they import, transitively. */
async function compile(files: readonly string[]): Promise<Compiled[]> {
  const dir = cacheDir();
  const done = new Map<string, Compiled>();
  let pending = [...new Set(files)];
  while (pending.length > 0) {
    const stale: { source: string; key: string }[] = [];
    const found: string[] = [];
    for (const source of pending) {
      const key = sourceKey(source);
      const output = outputPath(dir, source);
      done.set(source, { output, key });
      const stamp = freshStamp(output, key);
      if (stamp === null) stale.push({ source, key });
      else found.push(...stamp.sources);
    }
    if (stale.length > 0) found.push(...(await build(stale, dir)));
    pending = [...new Set(found)].filter((f) => !done.has(f));
  }
  return files.map((f) => done.get(f)!);
}

/** Compiles `stale` files (one esbuild service, concurrent builds); returns the user files they import. */
async function build(stale: readonly { source: string; key: string }[], dir: string): Promise<string[]> {
  const esbuild = await import('esbuild');
  mkdirSync(dir, { recursive: true });
  const found: string[] = [];
  const results = await Promise.allSettled(
    stale.map(async ({ source, key }) => {
      const imports: string[] = [];
      const sources: string[] = [];
      const url = pathToFileURL(source).href;
      const result = await esbuild.build({
        entryPoints: [source],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        outfile: outputPath(dir, source),
        sourcemap: 'inline',
        sourcesContent: false,
        logLevel: 'silent',
        define: {
          'import.meta.url': JSON.stringify(url),
          'import.meta.filename': JSON.stringify(source),
          'import.meta.dirname': JSON.stringify(path.dirname(source)),
          __filename: JSON.stringify(source),
          __dirname: JSON.stringify(path.dirname(source)),
        },
        banner: { js: `// tsmig\n${requireShim(source, url)}` },
        plugins: [externals(dir, imports, sources)],
      });
      found.push(...sources);
      // The stamp replaces the banner's first line, so the source map's line numbers stay right.
      const stamp: Stamp = { key, sources: [...new Set(sources)], imports: [...new Set(imports)] };
      const text = result.outputFiles[0]!.text.replace(/^.*\n/, `// tsmig ${JSON.stringify(stamp)}\n`);
      writeAtomically(outputPath(dir, source), text);
    }),
  );
  const failed = results.findIndex((r) => r.status === 'rejected');
  if (failed !== -1) throw describeFailure(stale[failed]!.source, (results[failed] as PromiseRejectedResult).reason);
  return found;
}

/**
 * The plugin that leaves every import to Node at run time, rewritten to an absolute target: user files to
 * their compiled twins (collected in `sources`), packages to their resolved file (collected in `imports`,
 * checked when the cache entry is reused), `tsmig` to the running copy.
 */
function externals(dir: string, imports: string[], sources: string[]): Plugin {
  return {
    name: 'tsmig-user-modules',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === 'resolving') return undefined;
        if (args.path === 'tsmig' || args.path.startsWith('tsmig/')) return { path: TSMIG_ENTRY, external: true };
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
        if (resolved.errors.length > 0 || resolved.external || resolved.path === '') return undefined;
        const file = resolved.path;
        if (isUserSource(file)) {
          sources.push(file);
          return { path: outputPath(dir, file), external: true };
        }
        // JSON and other data files are inlined; code of packages is imported from where it is installed.
        if (!/\.(c|m)?js$/.test(file)) return undefined;
        imports.push(file);
        return { path: file, external: true };
      });
    },
  };
}

/** A `require` for user files written in CommonJS style, resolving from the file's own folder. */
function requireShim(source: string, url: string): string {
  const text = readFileSync(source, 'utf8');
  return /\brequire\s*\(/.test(text) ? `import { createRequire as __tsmigCreateRequire } from 'node:module';\nconst require = __tsmigCreateRequire(${JSON.stringify(url)});` : '';
}

function isUserSource(file: string): boolean {
  return SOURCE_EXTENSIONS.has(path.extname(file)) && !file.split(path.sep).includes('node_modules');
}

/** The key of a source: what it says and where it is, the format, and the tsmig it binds to. */
function sourceKey(source: string): string {
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    throw new UserModuleError(source, `Cannot read ${source}: ${firstLine(error)}`, { cause: error });
  }
  return createHash('sha1').update(`${FORMAT}\0${TSMIG_ENTRY}\0${source}\0`).update(text).digest('hex').slice(0, 20);
}

/** One stable output per source path: importers refer to it by that path whatever its content is. */
function outputPath(dir: string, source: string): string {
  const id = createHash('sha1').update(source).digest('hex').slice(0, 16);
  return path.join(dir, `${path.basename(source).replace(/\.[^.]*$/, '')}-${id}.mjs`);
}

/** The stamp of a compiled file that is up to date with `key`, else null. */
function freshStamp(output: string, key: string): Stamp | null {
  let head: string;
  try {
    const text = readFileSync(output, 'utf8');
    head = text.slice(0, text.indexOf('\n'));
  } catch {
    return null;
  }
  if (!head.startsWith('// tsmig {')) return null;
  const stamp = JSON.parse(head.slice('// tsmig '.length)) as Stamp;
  return stamp.key === key && stamp.imports.every((file) => existsSync(file)) ? stamp : null;
}

/** Concurrent tsmig runs may compile the same file: each writes a whole file and renames it into place. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/**
 * Where compiled modules live: `TSMIG_CACHE_DIR`, else the project's `node_modules/.cache/tsmig` (found
 * from the working directory up), else `~/.cache/tsmig`.
 */
function cacheDir(): string {
  const configured = process.env['TSMIG_CACHE_DIR'];
  if (configured !== undefined && configured !== '') return path.resolve(configured);
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'tsmig');
    if (path.dirname(dir) === dir) break;
  }
  return path.join(process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'), 'tsmig');
}

/** An esbuild failure as one line per error: `models.ts:65:17: Unexpected ";"`. */
function describeFailure(source: string, reason: unknown): UserModuleError {
  const errors = (reason as { errors?: Message[] } | null)?.errors;
  if (errors === undefined || errors.length === 0) return new UserModuleError(source, firstLine(reason), { cause: reason });
  const lines = errors.map((e) => {
    const at = e.location === null ? '' : `${displayPath(e.location.file)}:${e.location.line}:${e.location.column + 1}: `;
    return `${at}${e.text}`;
  });
  return new UserModuleError(source, lines.join('; '), { cause: reason });
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

function displayPath(file: string): string {
  const absolute = path.resolve(file);
  const relative = path.relative(process.cwd(), absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
