/**
 * The compiled-module cache of user files: revisions of a plan load as one bundle that shares one tsmig,
 * and bundles of plans no run loads any more are pruned, the ones in use kept.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
