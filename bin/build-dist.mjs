#!/usr/bin/env node
// `npm run build`: compiles src/ into dist/ as users install it (see src/package/loader.ts for the layout):
// dist/tsmig.cjs, all of tsmig in one script, and dist/{knex,pg,mysql2}.cjs; dist/load.js, which compiles them with
// V8's code cache; dist/index.js and dist/cli/main.js, the ES module entries re-exporting tsmig's names.
// Type declarations come from tsc afterwards (package.json).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const common = { platform: 'node', target: 'node20', logLevel: 'warning' };

// Bundled packages share a code cache: commander and chalk run in every command, so they are in tsmig's
// script. Packages that only connecting commands load are scripts of their own, each with its own cache,
// compiled on first use: knex (its ~360 modules, lodash's one file per function, cost a quarter of a second
// of CPU as a package) and the pure-JavaScript drivers pg and mysql2 (30-40 ms each as packages). The
// loader hands every script the same require, so knex's require('pg') is tsmig's pg. better-sqlite3 (native
// code) stays a package, and so do the drivers knex names for dialects tsmig does not use (never required,
// since their clients are never made) and the drivers' own optional packages (pg-native, pg-cloudflare).
const SCRIPTS = ['knex', 'pg', 'mysql2'];
const BUNDLED = new Set(['commander', 'chalk', ...SCRIPTS]);
const manifest = (dir) => JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
const EXTERNAL = [
  ...Object.keys(manifest('.').dependencies).filter((name) => !BUNDLED.has(name)),
  ...Object.keys(manifest('node_modules/knex').peerDependenciesMeta).filter((name) => !BUNDLED.has(name)),
  'oracledb',
  'pg-native',
  'pg-cloudflare',
  'cloudflare:sockets',
];

// How the scripts take Node's built-in modules. tsmig.cjs binds the functions of the few whose loading
// costs milliseconds (child_process, crypto and tty bring in net, streams and OpenSSL's bindings) on their
// first call, since most commands never make one; a name that is not a function cannot be bound so, and fails the
// build. load.js, an ES module, reads the others with process.getBuiltinModule: importing one builds a
// facade that reads every export, and node:fs's ReadStream getter alone loads streams. Such getters are
// left out, and a name that needs one fails the build.
const LAZY_BUILTINS = /^node:(child_process|crypto|tty)$/;
const builtinBinding = (name, filter, contents) => ({
  name,
  setup(b) {
    b.onResolve({ filter }, ({ path, namespace }) => (namespace === name ? { path, external: true } : { path, namespace: name }));
    b.onLoad({ filter: /.*/, namespace: name }, ({ path }) => ({ contents: contents(path, process.getBuiltinModule(path)), loader: 'js' }));
  },
});
const exportNames = (module, test) =>
  Object.keys(module).filter((key) => key !== 'default' && /^[A-Za-z_$][\w$]*$/.test(key) && Object.getOwnPropertyDescriptor(module, key).get === undefined && test(key));
const lazyBuiltins = builtinBinding('lazy-builtin', LAZY_BUILTINS, (id, module) => [
  `let module;\nconst load = () => (module ??= require(${JSON.stringify(id)}));`,
  ...exportNames(module, (key) => typeof module[key] === 'function' && /^[a-z]/.test(key)).map((key) => `export function ${key}(...args) { return load().${key}(...args); }`),
].join('\n'));
const builtinsByGetter = builtinBinding('builtin-getter', /^node:/, (id, module) => [
  `const module = process.getBuiltinModule(${JSON.stringify(id)});\nexport default module;`,
  `export const { ${exportNames(module, () => true).join(', ')} } = module;`,
].join('\n'));

// tsmig always gives chalk its colour level (src/cli/output.ts decides it): chalk's own detection would only
// load node:tty at start-up, so it is replaced by an answer of "no colour" that nothing reads.
const chalkWithoutDetection = {
  name: 'chalk-without-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, ({ path }) => ({ path, namespace: 'chalk-without-detection' }));
    b.onLoad({ filter: /.*/, namespace: 'chalk-without-detection' }, () => ({ contents: 'export default { stdout: false, stderr: false };', loader: 'js' }));
  },
};

// The library as tsmig.cjs exports it (`library`, src/package/bundle.ts): one getter per public name, which
// initializes the module src/index.ts takes that name from, and what that module imports, on first use.
// Eagerly, every command initialized all of tsmig (the ORM, the dialects, autogenerate) before its first
// line; `tsmig heads` needs the command line, the revision files and defineConfig. dist/index.js reads
// every getter, in the order src/index.ts lists them, so the library initializes as an eager bundle would.
async function libraryExports() {
  const source = readFileSync('src/index.ts', 'utf8');
  const statements = [...source.matchAll(/^export\s+(type\s+)?(\*|\{[^}]*\})\s+from\s+'([^']+)';$/gm)]
    .filter(([, type]) => type === undefined)
    .map(([, , what, specifier]) => ({ what, file: path.join('src', specifier.replace(/\.js$/, '.ts')) }));
  const stars = statements.filter(({ what }) => what === '*').map(({ file }) => file);
  const probe = await build({ ...common, entryPoints: stars, bundle: true, format: 'esm', packages: 'external', write: false, metafile: true, outdir: 'probe' });
  const starExports = new Map(Object.values(probe.metafile.outputs).map((output) => [output.entryPoint, output.exports]));
  return statements.map(({ what, file }) => ({
    file,
    names:
      what === '*'
        ? starExports.get(file).map((name) => [name, name])
        : what.slice(1, -1).split(',').map((item) => item.trim()).filter((item) => item !== '' && !item.startsWith('type ')).map((item) => {
            const [local, exported = local] = item.split(/\s+as\s+/);
            return [local, exported];
          }),
  }));
}
const modules = await libraryExports();
const lazyLibrary = {
  name: 'lazy-library',
  setup(b) {
    b.onResolve({ filter: /^tsmig:lazy-library$/ }, ({ path }) => ({ path, namespace: 'lazy-library' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-library' }, () => ({
      resolveDir: process.cwd(),
      loader: 'js',
      contents: [
        `const loaded = [];`,
        `const modules = [\n${modules.map(({ file }, i) => `  () => (loaded[${i}] ??= require(${JSON.stringify(`./${file}`)})),\n`).join('')}];`,
        `export const library = Object.defineProperties({}, {`,
        ...modules.flatMap(({ names }, i) => names.map(([local, exported]) => `  ${exported}: { enumerable: true, get: () => modules[${i}]().${local} },`)),
        `});`,
      ].join('\n'),
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/package/bundle.ts'],
  bundle: true,
  format: 'cjs',
  external: [...EXTERNAL, ...SCRIPTS],
  sourcemap: true,
  outfile: 'dist/tsmig.cjs',
  // The loader passes the script's own URL: code that finds tsmig's files from import.meta.url keeps working.
  define: { 'import.meta.url': '__tsmig_url' },
  // A vm.Script cannot import() on Node 20 (src/util/import-module.ts): packages are required instead.
  supported: { 'dynamic-import': false },
  plugins: [lazyBuiltins, chalkWithoutDetection, lazyLibrary],
});
// mysql2's table of the server's error codes (some 4,000 names, both ways) is built as mysql2 loads, on
// every connecting run (5-6 ms of CPU, the largest part of loading mysql2), though only an error packet
// reads it (its code's name) and a few error paths (a constant by name). It is built on the first read.
const lazyMysqlErrors = {
  name: 'lazy-mysql-errors',
  setup(b) {
    b.onLoad({ filter: /[\\/]mysql2[\\/]lib[\\/]constants[\\/]errors\.js$/ }, ({ path: file }) => ({
      loader: 'js',
      contents: [
        `let codes;`,
        `const load = () => (codes ??= (function (exports) {\n${readFileSync(file, 'utf8')}\nreturn exports;\n})({}));`,
        `module.exports = new Proxy({}, {`,
        `  get: (_, key) => load()[key],`,
        `  has: (_, key) => key in load(),`,
        `  ownKeys: () => Reflect.ownKeys(load()),`,
        `  getOwnPropertyDescriptor: (_, key) => Object.getOwnPropertyDescriptor(load(), key),`,
        `});`,
      ].join('\n'),
    }));
  },
};
for (const name of SCRIPTS) {
  await build({
    ...common,
    entryPoints: [name],
    bundle: true,
    format: 'cjs',
    external: [...EXTERNAL, ...SCRIPTS.filter((other) => other !== name)],
    outfile: `dist/${name}.cjs`,
    plugins: name === 'mysql2' ? [lazyMysqlErrors] : [],
  });
}
// One non-ASCII character makes V8 hold the whole script as UTF-16 and decode it on every run. esbuild
// writes strings and identifiers in ASCII already; what is left is in comments it keeps, where an escape is
// as good as the character.
for (const file of ['dist/tsmig.cjs', ...SCRIPTS.map((name) => `dist/${name}.cjs`)]) {
  writeFileSync(file, readFileSync(file, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
await build({
  ...common,
  entryPoints: ['src/package/loader.ts'],
  bundle: true,
  packages: 'external',
  format: 'esm',
  outfile: 'dist/load.js',
  define: { __TSMIG_SCRIPTS: JSON.stringify(SCRIPTS) },
  plugins: [builtinsByGetter],
});

// The public names, as an ES module build of src/index.ts would export them.
const probe = await build({ ...common, entryPoints: ['src/index.ts'], bundle: true, format: 'esm', packages: 'external', write: false, metafile: true, outdir: 'probe' });
const names = Object.values(probe.metafile.outputs).flatMap((output) => output.exports).sort();
if (names.includes('default')) throw new Error('src/index.ts has a default export; dist/index.js only re-exports named ones');
const lazyNames = modules.flatMap(({ names: pairs }) => pairs.map(([, exported]) => exported));
if (lazyNames.length !== names.length || [...lazyNames].sort().some((name, i) => name !== names[i])) {
  throw new Error('bin/build-dist.mjs read other names from src/index.ts than esbuild exports: it reads only `export {...} from` and `export * from`');
}
writeFileSync('dist/index.js', `import { loadTsmig } from './load.js';\n\nexport const {\n${lazyNames.map((name) => `  ${name},\n`).join('')}} = loadTsmig('library').library;\n`);
mkdirSync('dist/cli', { recursive: true });
writeFileSync('dist/cli/main.js', `import { cliProfile, loadTsmig } from '../load.js';\n\nexport const main = loadTsmig(cliProfile(process.argv.slice(2))).cliMain;\n`);
