/**
 * fileStat, the stat the caches validate revision and user files with: the same numbers as statSync for
 * every kind of path, statSync's own error for a path that cannot be stat'ed, and no warning where the
 * binding it uses would print one.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { fileStat } from '../../src/util/file-stat.js';

const MODULE = fileURLToPath(new URL('../../src/util/file-stat.ts', import.meta.url));

function statOf(file: string): { size: number; ino: number; mtimeMs: number; ctimeMs: number } {
  const { size, ino, mtimeMs, ctimeMs } = statSync(file);
  return { size, ino, mtimeMs, ctimeMs };
}

function thrownBy(run: () => unknown): NodeJS.ErrnoException {
  try {
    run();
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error('expected an error');
}

describe('fileStat', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tsmig-file-stat-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives what statSync gives for files, links to them and folders, before and after a change', () => {
    const file = path.join(dir, 'a.ts');
    writeFileSync(file, 'export const revision = "a";\n');
    symlinkSync(file, path.join(dir, 'link.ts'));
    mkdirSync(path.join(dir, 'folder'));
    for (const name of ['a.ts', 'link.ts', 'folder']) {
      const { size, ino, mtimeMs, ctimeMs } = fileStat(path.join(dir, name));
      expect({ size, ino, mtimeMs, ctimeMs }, name).to.deep.equal(statOf(path.join(dir, name)));
    }
    writeFileSync(file, 'export const revision = "b"; // longer\n');
    // A time with a fraction of a millisecond, which must come out as the same double.
    utimesSync(file, 1_700_000_000.123456, 1_700_000_000.987654);
    const { size, ino, mtimeMs, ctimeMs } = fileStat(file);
    expect({ size, ino, mtimeMs, ctimeMs }).to.deep.equal(statOf(file));
  });

  it("throws statSync's error for a missing file or a path through a file", () => {
    for (const missing of [path.join(dir, 'missing.ts'), path.join(dir, 'a.ts', 'x.ts')]) {
      const got = thrownBy(() => fileStat(missing));
      const want = thrownBy(() => statSync(missing));
      expect([got.constructor, got.code, got.message]).to.deep.equal([want.constructor, want.code, want.message]);
    }
  });

  it('prints no deprecation warning under --pending-deprecation, and still stats', async () => {
    const file = path.join(dir, 'a.ts');
    const script = `import { fileStat } from ${JSON.stringify(MODULE)}; process.stdout.write(String(fileStat(${JSON.stringify(file)}).size));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--pending-deprecation', '--import', 'tsx', '--input-type=module', '-e', script]);
    expect(stderr).to.equal('');
    expect(stdout).to.equal(String(statSync(file).size));
  });
});
