/**
 * The rename prompt of `tsmig revision --autogenerate`, with `main()` in process: a question is asked
 * only when the CLI has a terminal to ask on (the `ask` of its io, which `processIo()` sets only when
 * stdin and stderr are terminals) and `CI` is not set; a "y" makes the possible rename a rename, anything
 * else (or no terminal) keeps the drop and the add, reported.
 */
import { expect } from 'chai';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliIo } from '../../src/cli/output.js';
import { createEngine } from '../../src/engine/engine.js';
import { column } from '../../src/schema/column.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { t } from '../../src/types/index.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../helpers/temp-project.js';

/**
 * main() as an ES module, as bin/tsmig loads it: mocha loads this file as CommonJS, and the CLI's own
 * dynamic imports (the autogenerate part) would otherwise meet objects of the other copy of the modules.
 */
const loadMain = async () => ((await import(pathToFileURL(path.join(REPO_ROOT, 'src/cli/main.ts')).href)) as typeof import('../../src/cli/main.js')).main;

const MODELS = `import { MetaData, Table, column, t } from 'tsmig';
export const metadata = new MetaData();
new Table('people', metadata, { id: column(t.Integer(), { primaryKey: true }), nickname: column(t.String(20)) });
`;

const CONFIG = `import { defineConfig } from 'tsmig';
import { metadata } from './models.js';
export default defineConfig({ scriptLocation: 'migrations', url: 'sqlite:///app.db', targetMetadata: metadata });
`;

describe('cli: autogenerate asks about a possible rename only on a terminal', function () {
  this.timeout(60_000);
  let project: TempProject;

  async function run(argv: readonly string[], io: Partial<CliIo>): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const main = await loadMain();
    const code = await main(argv, { stdout: () => undefined, stderr: (s) => (stderr += s), ...io }, { cwd: project.dir });
    return { code, stderr };
  }

  /** The file the command wrote, removed again so the database stays at the (empty) head. */
  const written = (stderr: string) => {
    const file = /Generating (.+\.ts) \.\.\. done/.exec(stderr)![1]!;
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    return text;
  };

  before(async () => {
    project = createTempProject();
    expect((await run(['init', 'migrations'], { env: {} })).code).to.equal(0);
    project.write('alembic.config.ts', CONFIG);
    project.write('models.ts', MODELS);
    const engine = createEngine(`sqlite:///${project.path('app.db')}`);
    const before = new MetaData();
    new Table('people', before, { id: column(t.Integer(), { primaryKey: true }), nick: column(t.String(20)) });
    await before.createAll(engine);
    await engine.dispose();
  });

  after(() => project.remove());

  it('asks on a terminal, and writes a rename when the answer is yes', async () => {
    const asked: string[] = [];
    const r = await run(['revision', '--autogenerate', '-m', 'rename', '--rev-id', 'aaaaaaaaaaa1'], {
      env: {},
      ask: async (question) => {
        asked.push(question);
        return 'y';
      },
    });
    expect(r.code).to.equal(0);
    expect(asked).to.deep.equal(["Was column 'people.nick' renamed to 'nickname'? [y/N] "]);
    expect(written(r.stderr)).to.include(
      "await op.alterColumn('people', 'nick', { newName: 'nickname', existingType: t.String(20), existingNullable: true });",
    );
  });

  it('keeps the drop and the add when the answer is no', async () => {
    const r = await run(['revision', '--autogenerate', '-m', 'no', '--rev-id', 'aaaaaaaaaaa2'], { env: {}, ask: async () => 'n' });
    expect(r.code).to.equal(0);
    expect(written(r.stderr)).to.include("await op.dropColumn('people', 'nick');");
    expect(r.stderr).to.include("warning: possible rename: column 'people.nick' -> 'nickname'");
  });

  it('never asks with CI set, nor without a terminal', async () => {
    for (const [io, rev] of [
      [{ env: { CI: 'true' }, ask: async () => { throw new Error('asked in CI'); } }, 'aaaaaaaaaaa3'],
      [{ env: {} }, 'aaaaaaaaaaa4'],
    ] as const) {
      const r = await run(['revision', '--autogenerate', '-m', 'ci', '--rev-id', rev], io as Partial<CliIo>);
      expect(r.code, r.stderr).to.equal(0);
      expect(written(r.stderr)).to.include("await op.dropColumn('people', 'nick');");
    }
  });
});
