#!/usr/bin/env node
// `npm run build`: compiles src/ into dist/ as users install it (see src/package/loader.ts for the layout):
// dist/tsmig.cjs, all of tsmig in one script; dist/load.js, which compiles it with V8's code cache;
// dist/index.js and dist/cli/main.js, the ES module entries re-exporting its names. Type declarations
// come from tsc afterwards (package.json).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = { platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/package/bundle.ts'],
  bundle: true,
  format: 'cjs',
  // commander and chalk run in every command: bundled, they share the code cache (the drivers and knex
  // load on a first connection only and stay packages).
  external: Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).dependencies).filter((name) => name !== 'commander' && name !== 'chalk'),
  sourcemap: true,
  outfile: 'dist/tsmig.cjs',
  // The loader passes the script's own URL: code that finds tsmig's files from import.meta.url keeps working.
  define: { 'import.meta.url': '__tsmig_url' },
  // A vm.Script cannot import() on Node 20 (src/util/import-module.ts): packages are required instead.
  supported: { 'dynamic-import': false },
});
// One non-ASCII character (esbuild keeps some doc comments) makes V8 hold the whole script as UTF-16 and
// decode it on every run.
const lines = readFileSync('dist/tsmig.cjs', 'utf8').split('\n');
const wide = lines.findIndex((line) => /[^\x00-\x7f]/.test(line));
if (wide >= 0) throw new Error(`dist/tsmig.cjs:${wide + 1} is not ASCII, write its source in ASCII: ${lines[wide].trim()}`);
await build({ ...common, entryPoints: ['src/package/loader.ts'], format: 'esm', outfile: 'dist/load.js' });

// The public names, as an ES module build of src/index.ts would export them.
const probe = await build({ ...common, entryPoints: ['src/index.ts'], bundle: true, format: 'esm', packages: 'external', write: false, metafile: true, outdir: 'probe' });
const names = Object.values(probe.metafile.outputs).flatMap((output) => output.exports).sort();
if (names.includes('default')) throw new Error('src/index.ts has a default export; dist/index.js only re-exports named ones');
writeFileSync('dist/index.js', `import { tsmig } from './load.js';\n\nexport const {\n${names.map((name) => `  ${name},\n`).join('')}} = tsmig;\n`);
mkdirSync('dist/cli', { recursive: true });
writeFileSync('dist/cli/main.js', `import { tsmig } from '../load.js';\n\nexport const main = tsmig.cliMain;\n`);
