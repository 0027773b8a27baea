#!/usr/bin/env node
// `npm run build`: compiles src/ into dist/ as users install it (see src/package/loader.ts for the layout):
// dist/tsmig.cjs, all of tsmig in one script, and dist/knex.cjs; dist/load.js, which compiles them with
// V8's code cache; dist/index.js and dist/cli/main.js, the ES module entries re-exporting tsmig's names.
// Type declarations come from tsc afterwards (package.json).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = { platform: 'node', target: 'node20', logLevel: 'warning' };

// Bundled packages share a code cache: commander and chalk run in every command, so they are in tsmig's
// script; knex loading its ~360 modules (lodash's one file per function) cost a quarter of a second of CPU
// per connecting command, so it is a script of its own, dist/knex.cjs, loaded on the first connection.
// The drivers stay packages (native code, or loaded only for their dialect), and so do the drivers knex
// names for dialects tsmig does not use (never required, since their clients are never made).
const BUNDLED = new Set(['commander', 'chalk', 'knex']);
const manifest = (dir) => JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
const EXTERNAL = [
  ...Object.keys(manifest('.').dependencies).filter((name) => !BUNDLED.has(name)),
  ...Object.keys(manifest('node_modules/knex').peerDependenciesMeta),
  'oracledb',
];

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/package/bundle.ts'],
  bundle: true,
  format: 'cjs',
  external: [...EXTERNAL, 'knex'],
  sourcemap: true,
  outfile: 'dist/tsmig.cjs',
  // The loader passes the script's own URL: code that finds tsmig's files from import.meta.url keeps working.
  define: { 'import.meta.url': '__tsmig_url' },
  // A vm.Script cannot import() on Node 20 (src/util/import-module.ts): packages are required instead.
  supported: { 'dynamic-import': false },
});
await build({ ...common, entryPoints: ['knex'], bundle: true, format: 'cjs', external: EXTERNAL, outfile: 'dist/knex.cjs' });
// One non-ASCII character makes V8 hold the whole script as UTF-16 and decode it on every run. esbuild
// writes strings and identifiers in ASCII already; what is left is in comments it keeps, where an escape is
// as good as the character.
for (const file of ['dist/tsmig.cjs', 'dist/knex.cjs']) {
  writeFileSync(file, readFileSync(file, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
await build({ ...common, entryPoints: ['src/package/loader.ts'], bundle: true, packages: 'external', format: 'esm', outfile: 'dist/load.js' });

// The public names, as an ES module build of src/index.ts would export them.
const probe = await build({ ...common, entryPoints: ['src/index.ts'], bundle: true, format: 'esm', packages: 'external', write: false, metafile: true, outdir: 'probe' });
const names = Object.values(probe.metafile.outputs).flatMap((output) => output.exports).sort();
if (names.includes('default')) throw new Error('src/index.ts has a default export; dist/index.js only re-exports named ones');
writeFileSync('dist/index.js', `import { tsmig } from './load.js';\n\nexport const {\n${names.map((name) => `  ${name},\n`).join('')}} = tsmig;\n`);
mkdirSync('dist/cli', { recursive: true });
writeFileSync('dist/cli/main.js', `import { tsmig } from '../load.js';\n\nexport const main = tsmig.cliMain;\n`);
