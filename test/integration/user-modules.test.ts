/**
 * The compiled-module cache of user files: revisions of a plan load as one bundle that shares one tsmig,
 * and bundles of plans no run loads any more are pruned, the ones in use kept.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { UserModuleError, importUserModules } from '../../src/migrate/config/user-modules.js';

describe('runtime: the compiled user-module cache', () => {
  let dir: string;
  let saved: string | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tsmig-user-modules-'));
    saved = process.env['TSMIG_CACHE_DIR'];
    process.env['TSMIG_CACHE_DIR'] = path.join(dir, 'cache');
  });

  afterEach(() => {
    if (saved === undefined) delete process.env['TSMIG_CACHE_DIR'];
    else process.env['TSMIG_CACHE_DIR'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  const bundles = () => readdirSync(path.join(dir, 'cache')).filter((f) => f.startsWith('bundle-')).sort();

  it('loads several files as one bundle, in order', async () => {
    const files = ['a', 'b', 'c'].map((name) => {
      const file = path.join(dir, `${name}.ts`);
      writeFileSync(file, `export const name: string = '${name}';\n`);
      return file;
    });
    const modules = await importUserModules(files);
    expect(modules.map((m) => m['name'])).to.deep.equal(['a', 'b', 'c']);
    expect(bundles()).to.have.length(1);
  });

  it('runs a bundle that imports only tsmig as a strict-mode script, and one that imports more as an ES module', async () => {
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const body = `import { op } from 'tsmig';\nimport { sep } from 'node:path';\nexport const strict = (function (this: unknown) { return this === undefined; })();\nexport const url = import.meta.url;\nexport const got = [typeof op, sep];\n`;
    const script = [write('a.ts', body), write('b.ts', body)];
    // The test runner maps stack traces (tsx turns source maps on); with them on, bundles stay ES modules.
    const maps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    try {
      const scripts = await importUserModules(script);
      expect(scripts.map((m) => [m['strict'], m['url'], m['got']])).to.deep.equal(script.map((f) => [true, pathToFileURL(f).href, ['object', path.sep]]));
      expect(bundles()).to.have.length(1).and.satisfy((names: string[]) => names[0]!.endsWith('.cjs'));
      // Loaded again in the same process: the same modules, as import() gives.
      expect((await importUserModules(script))[0]).to.equal(scripts[0]);
      // Only the exports a caller picks, when a file has them all; else its namespace.
      expect(await importUserModules(script, ['strict', 'url'])).to.deep.equal(script.map((f) => ({ strict: true, url: pathToFileURL(f).href })));
      expect(Object.keys((await importUserModules(script, ['strict', 'absent']))[0]!).sort()).to.deep.equal(['got', 'strict', 'url']);

      write('helper.ts', 'export const helped = 1;\n');
      const more = [write('c.ts', `${body}export { helped } from './helper.js';\n`), write('d.ts', 'export const later = await Promise.resolve(2);\n')];
      const modules = await importUserModules(more);
      expect([modules[0]!['strict'], modules[0]!['helped'], modules[1]!['later']]).to.deep.equal([true, 1, 2]);
      expect(bundles().filter((name) => name.endsWith('.mjs'))).to.have.length(2);
      // Top-level await, which a script cannot hold, also makes an ES module.
      await importUserModules([more[1]!, script[0]!]);
      expect(bundles().filter((name) => name.endsWith('.mjs'))).to.have.length(3);
      // With source maps on, an ES module, whose stack traces Node maps to the files' own lines.
      process.setSourceMapsEnabled(true);
      await importUserModules([script[1]!, script[0]!]);
      expect(bundles().filter((name) => name.endsWith('.mjs'))).to.have.length(4);
    } finally {
      process.setSourceMapsEnabled(maps);
    }
  });

  it('gives every file of a bundle the same tsmig, whichever way it imports it', async () => {
    const files = ['a', 'b'].map((name) => {
      const file = path.join(dir, `${name}.ts`);
      writeFileSync(file, `import { op, t } from 'tsmig';\nimport * as tsmig from 'tsmig';\nexport const got = [op, t, tsmig.op];\n`);
      return file;
    });
    const modules = await importUserModules(files);
    const [[opA, tA, nsOpA], [opB, tB]] = modules.map((m) => m['got'] as unknown[]);
    expect(typeof opA).to.equal('object');
    expect(typeof tA).to.equal('object');
    expect([opA === opB, tA === tB, nsOpA === opA]).to.deep.equal([true, true, true]);
  });

  it('refuses a name tsmig does not export, naming the file and line, as linking the module would', async () => {
    const good = path.join(dir, 'good.ts');
    const bad = path.join(dir, 'bad.ts');
    writeFileSync(good, `import { op } from 'tsmig';\nexport const got = op;\n`);
    writeFileSync(bad, `export const n = 1;\nimport { opp } from 'tsmig';\nexport const got = opp;\n`);
    const error = await importUserModules([good, bad]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(UserModuleError);
    expect((error as UserModuleError).file).to.equal(bad);
    expect((error as Error).message).to.match(/bad\.ts:2:\d+: .*"opp"/);
  });

  it('keeps the 16 most recently used bundles of distinct plans', async () => {
    const first = path.join(dir, 'first.ts');
    writeFileSync(first, 'export const n = 0;\n');
    const plan = (i: number) => {
      const file = path.join(dir, `r${i}.ts`);
      writeFileSync(file, `export const n = ${i};\n`);
      return [first, file];
    };
    await importUserModules(plan(0));
    const inUse = bundles()[0]!;
    for (let i = 1; i <= 20; i++) {
      await importUserModules(plan(i));
      // A plan that runs again is used again: its bundle is reused and stays.
      if (i % 5 === 0) await importUserModules(plan(0));
    }
    expect(bundles()).to.have.length(16).and.include(inUse);
  });
});
