/**
 * The revision-graph verbs as a user runs them: `bin/tsmig` spawned in a temporary project (a minimal
 * `alembic.config.ts`, the revision template and `migrations/versions/`), asserting exit codes, both
 * output streams and the files written.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { DEFAULT_SCRIPT_TEMPLATE } from '../../src/migrate/script/template.js';

const BIN = fileURLToPath(new URL('../../bin/tsmig', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A throw-away project; `files` are written relative to its root. */
function makeProject(files: Readonly<Record<string, string>> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'tsmig-graph-cli-'));
  mkdirSync(path.join(root, 'migrations', 'versions'), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(root, 'alembic.config.ts'), "export default { scriptLocation: 'migrations' };\n");
  writeFileSync(path.join(root, 'migrations', 'script.ts.tmpl'), DEFAULT_SCRIPT_TEMPLATE);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
  return root;
}

/** A hand-written revision file. */
function revisionFile(revision: string, down: string | readonly string[] | null, message: string, extra = ''): string {
  const downText = down === null ? 'null' : typeof down === 'string' ? `'${down}'` : `[${down.map((d) => `'${d}'`).join(', ')}]`;
  return `/**\n * ${message}\n */\nexport const revision = '${revision}';\nexport const downRevision = ${downText};\n${extra}\nexport async function upgrade() {}\nexport async function downgrade() {}\n`;
}

function tsmig(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
  const base = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'NODE_OPTIONS', 'EDITOR', 'VISUAL', 'DATABASE_URL']) delete base[name];
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cli: revision, history, heads, branches, show, merge, edit', function () {
  this.timeout(120_000);
  const projects: string[] = [];
  const project = (files?: Readonly<Record<string, string>>) => {
    const root = makeProject(files);
    projects.push(root);
    return root;
  };
  after(() => {
    for (const root of projects) rmSync(root, { recursive: true, force: true });
  });

  describe('one project, built up step by step', () => {
    let root: string;
    let versions: string;
    before(() => {
      root = project();
      versions = path.join(root, 'migrations', 'versions');
    });

    it('revision writes a file from the template and reports it on stderr', async () => {
      const first = await tsmig(root, ['revision', '-m', 'add movies', '--rev-id', '1975ea83b712']);
      const file = path.join(versions, '1975ea83b712_add_movies.ts');
      expect(first).to.deep.equal({ code: 0, stdout: '', stderr: `Generating ${file} ... done\n` });
      const text = readFileSync(file, 'utf8');
      expect(text).to.match(/^\/\*\*\n \* add movies\n \*\n \* Revision ID: 1975ea83b712\n \* Revises:\n \* Create Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\n \*\//);
      expect(text).to.include("export const revision = '1975ea83b712';\nexport const downRevision: string | readonly string[] | null = null;");

      const second = await tsmig(root, ['revision', '-m', 'add directors', '--rev-id', '2b1ae634e5cd']);
      expect(second.code).to.equal(0);
      expect(readFileSync(path.join(versions, '2b1ae634e5cd_add_directors.ts'), 'utf8')).to.include("downRevision: string | readonly string[] | null = '1975ea83b712';");
    });

    it('history lists revisions newest first, over a range, and in full with -v', async () => {
      const [all, from, to, verbose] = await Promise.all([
        tsmig(root, ['history']),
        tsmig(root, ['history', '-r', '2b1a:']),
        tsmig(root, ['history', '-r', ':1975ea']),
        tsmig(root, ['history', '-v', '-r', '2b1ae634e5cd:head']),
      ]);
      expect(all).to.deep.equal({
        code: 0,
        stdout: '1975ea83b712 -> 2b1ae634e5cd (head), add directors\n<base> -> 1975ea83b712, add movies\n',
        stderr: '',
      });
      expect(from.stdout).to.equal('1975ea83b712 -> 2b1ae634e5cd (head), add directors\n');
      expect(to.stdout).to.equal('<base> -> 1975ea83b712, add movies\n');
      expect(verbose.code).to.equal(0);
      expect(verbose.stdout).to.match(
        new RegExp(
          `^Rev: 2b1ae634e5cd \\(head\\)\nParent: 1975ea83b712\nPath: ${path.join(versions, '2b1ae634e5cd_add_directors.ts')}\n\n` +
            '    add directors\n\n    Revision ID: 2b1ae634e5cd\n    Revises: 1975ea83b712\n    Create Date: .*\n\n$',
        ),
      );
    });

    it('heads and show', async () => {
      const [heads, show, unknown] = await Promise.all([tsmig(root, ['heads']), tsmig(root, ['show', '1975']), tsmig(root, ['show', 'ffff'])]);
      expect(heads).to.deep.equal({ code: 0, stdout: '2b1ae634e5cd (head)\n', stderr: '' });
      expect(show.code).to.equal(0);
      expect(show.stdout).to.match(/^Rev: 1975ea83b712\nParent: <base>\nPath: .*1975ea83b712_add_movies\.ts\n\n {4}add movies\n/);
      expect(unknown).to.deep.equal({
        code: 1,
        stdout: '',
        stderr: "error: Unknown revision 'ffff': no revision id, id prefix or branch label matches. Run `tsmig history` to list revisions.\n",
      });
    });

    it('a branch: revision needs --head with two heads, branches and heads show both, merge joins them', async () => {
      const branch = await tsmig(root, ['revision', '-m', 'shop tables', '--head', '1975ea', '--splice', '--branch-label', 'shop', '--rev-id', 'ae1027a6acf0']);
      expect(branch.code, branch.stderr).to.equal(0);

      const [heads, branches, refused] = await Promise.all([
        tsmig(root, ['heads']),
        tsmig(root, ['branches']),
        tsmig(root, ['revision', '-m', 'more']),
      ]);
      expect(heads.stdout).to.equal('2b1ae634e5cd (head)\nae1027a6acf0 (shop) (head)\n');
      expect(branches.stdout).to.equal('1975ea83b712 (branchpoint)\n             -> 2b1ae634e5cd (head)\n             -> ae1027a6acf0 (shop) (head)\n\n');
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.equal(
        'error: Multiple heads: 2b1ae634e5cd, ae1027a6acf0. Choose the revision to build on with --head <revision>, or run `tsmig merge heads -m "..."` first.\n',
      );

      const merged = await tsmig(root, ['merge', '-m', 'merge shop', 'heads', '--rev-id', '53fffde5ad5a']);
      expect(merged.code, merged.stderr).to.equal(0);
      expect(readFileSync(path.join(versions, '53fffde5ad5a_merge_shop.ts'), 'utf8')).to.include(
        "export const downRevision: string | readonly string[] | null = ['2b1ae634e5cd', 'ae1027a6acf0'];",
      );
      const history = await tsmig(root, ['history']);
      expect(history.stdout).to.equal(
        [
          '2b1ae634e5cd, ae1027a6acf0 -> 53fffde5ad5a (shop) (head) (mergepoint), merge shop',
          '1975ea83b712 -> 2b1ae634e5cd, add directors',
          '1975ea83b712 -> ae1027a6acf0 (shop), shop tables',
          '<base> -> 1975ea83b712 (branchpoint), add movies',
          '',
        ].join('\n'),
      );
      const [onShop, range] = await Promise.all([tsmig(root, ['history', '-r', 'shop@base:shop@head']), tsmig(root, ['history', '-r', '2b1a:1975'])]);
      expect(onShop.stdout).to.equal(
        '2b1ae634e5cd, ae1027a6acf0 -> 53fffde5ad5a (shop) (head) (mergepoint), merge shop\n1975ea83b712 -> ae1027a6acf0 (shop), shop tables\n',
      );
      expect(range).to.deep.include({ code: 1, stdout: '' });
      expect(range.stderr).to.equal('error: Revision 2b1ae634e5cd is not an ancestor of 1975: the range 2b1a:1975 is empty. Write older:newer.\n');
    });

    it('-v and --verbose both print the full form, after the verb or before it', async () => {
      const runs = await Promise.all([
        tsmig(root, ['history', '-v']),
        tsmig(root, ['history', '--verbose']),
        tsmig(root, ['--verbose', 'history']),
        tsmig(root, ['heads', '--verbose']),
        tsmig(root, ['branches', '--verbose']),
      ]);
      expect(runs[0]!.stdout).to.match(/^Rev: 53fffde5ad5a \(head\) \(mergepoint\)\nMerges: 2b1ae634e5cd, ae1027a6acf0\n/);
      expect(runs[1]).to.deep.equal(runs[0]);
      expect(runs[2]).to.deep.equal(runs[0]);
      expect(runs[3]!.stdout).to.match(/^Rev: 53fffde5ad5a \(head\) \(mergepoint\)\n/);
      expect(runs[4]!.stdout).to.match(/^Rev: 1975ea83b712 \(branchpoint\)\nParent: <base>\nBranches into: 2b1ae634e5cd, ae1027a6acf0\n/);
    });

    it('--json on history, heads, branches and show: the documented fields', async () => {
      const [history, heads, branches, show] = await Promise.all(
        [['history'], ['heads'], ['branches'], ['show', 'ae10']].map((args) => tsmig(root, [...args, '--json'])),
      );
      const file = (id: string, slug: string) => path.join(versions, `${id}_${slug}.ts`);
      const entry = (id: string, down: string[], message: string, slug: string, flags: { head?: boolean; branchPoint?: boolean; mergePoint?: boolean; labels?: string[] } = {}) => ({
        revision: id,
        downRevisions: down,
        dependsOn: [],
        branchLabels: flags.labels ?? [],
        message,
        path: file(id, slug),
        head: flags.head ?? false,
        branchPoint: flags.branchPoint ?? false,
        mergePoint: flags.mergePoint ?? false,
      });
      const withoutDates = (text: string) =>
        (JSON.parse(text) as Record<string, unknown>[]).map(({ createDate, ...rest }) => {
          expect(createDate).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
          return rest;
        });
      const merge = entry('53fffde5ad5a', ['2b1ae634e5cd', 'ae1027a6acf0'], 'merge shop', 'merge_shop', { head: true, mergePoint: true, labels: ['shop'] });
      const shop = entry('ae1027a6acf0', ['1975ea83b712'], 'shop tables', 'shop_tables', { labels: ['shop'] });
      const first = entry('1975ea83b712', [], 'add movies', 'add_movies', { branchPoint: true });
      expect(withoutDates(history.stdout)).to.deep.equal([merge, entry('2b1ae634e5cd', ['1975ea83b712'], 'add directors', 'add_directors'), shop, first]);
      expect(withoutDates(heads.stdout)).to.deep.equal([merge]);
      expect(withoutDates(show.stdout)).to.deep.equal([shop]);
      const points = JSON.parse(branches.stdout) as { branches: { revision: string }[] }[];
      expect(points.map((p) => [(p as unknown as { revision: string }).revision, p.branches.map((b) => b.revision)])).to.deep.equal([
        ['1975ea83b712', ['2b1ae634e5cd', 'ae1027a6acf0']],
      ]);
      for (const run of [history, heads, branches, show]) expect(run.stderr).to.equal('');
    });

    it('--json failures print an error object on stdout as well as the error line', async () => {
      const unknown = await tsmig(root, ['show', 'ffff', '--json']);
      expect(unknown.code).to.equal(1);
      expect(JSON.parse(unknown.stdout)).to.deep.equal({
        ok: false,
        error: {
          type: 'UnknownRevisionError',
          message: "Unknown revision 'ffff': no revision id, id prefix or branch label matches. Run `tsmig history` to list revisions.",
          exitCode: 1,
        },
      });
      expect(unknown.stderr).to.match(/^error: Unknown revision 'ffff'/);
    });

    it('edit opens the file in $EDITOR, and needs one', async () => {
      const editor = path.join(root, 'editor.sh');
      writeFileSync(editor, '#!/bin/sh\necho "// edited" >> "$1"\n');
      chmodSync(editor, 0o755);
      const [edited, none] = await Promise.all([tsmig(root, ['edit', 'head'], { EDITOR: editor }), tsmig(root, ['edit', '1975'])]);
      expect(edited).to.deep.equal({ code: 0, stdout: '', stderr: '' });
      expect(readFileSync(path.join(versions, '53fffde5ad5a_merge_shop.ts'), 'utf8')).to.match(/\/\/ edited\n$/);
      expect(none.code).to.equal(1);
      expect(none.stderr).to.equal(`error: No editor: set VISUAL or EDITOR (e.g. EDITOR=vim) to edit ${path.join(versions, '1975ea83b712_add_movies.ts')}.\n`);
    });
  });

  it('history -i and a range from current read the database through env.ts (SQLite)', async () => {
    const root = project({
      'alembic.config.ts': "export default { scriptLocation: 'migrations', url: 'sqlite:///app.db' };\n",
      'migrations/env.ts': readFileSync(new URL('../../templates/generic/env.ts', import.meta.url), 'utf8'),
    });
    const dir = path.join(root, 'migrations', 'versions');
    writeFileSync(path.join(dir, 'a.ts'), revisionFile('1975ea83b712', null, 'add movies'));
    writeFileSync(path.join(dir, 'b.ts'), revisionFile('2b1ae634e5cd', '1975ea83b712', 'add directors'));
    const before = await tsmig(root, ['history', '-i']);
    expect(before).to.deep.equal({ code: 0, stdout: '1975ea83b712 -> 2b1ae634e5cd (head), add directors\n<base> -> 1975ea83b712, add movies\n', stderr: '' });
    expect((await tsmig(root, ['stamp', '1975ea'])).code).to.equal(0);
    const [marked, fromCurrent] = await Promise.all([tsmig(root, ['history', '-i']), tsmig(root, ['history', '-r', 'current:'])]);
    expect(marked.stdout).to.equal('1975ea83b712 -> 2b1ae634e5cd (head), add directors\n<base> -> 1975ea83b712 (current), add movies\n');
    expect(fromCurrent.stdout).to.equal('1975ea83b712 -> 2b1ae634e5cd (head), add directors\n<base> -> 1975ea83b712, add movies\n');
  });

  it('a revision file whose header cannot be read: exit 1, the file named', async () => {
    const root = project();
    writeFileSync(path.join(root, 'migrations', 'versions', 'a.ts'), revisionFile('aaaa1111', null, 'first'));
    const bad = path.join(root, 'migrations', 'versions', 'b.ts');
    writeFileSync(bad, "export const revision = 'bbbb2222';\nexport const downRevision = parent();\n");
    const run = await tsmig(root, ['history']);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.equal(
      `error: Cannot read revision file ${bad}: \`downRevision\` must be null, a quoted string or an array of quoted strings (found \`parent();\`). ` +
        "Revision files declare, each at the start of a line: export const revision = '<id>'; export const downRevision = '<id>' | ['<id>', ...] | null; " +
        'optionally branchLabels and dependsOn of the same form.\n',
    );
  });

  it('a downRevision that names no file: exit 1, the file named', async () => {
    const root = project();
    const file = path.join(root, 'migrations', 'versions', 'b.ts');
    writeFileSync(path.join(root, 'migrations', 'versions', 'a.ts'), revisionFile('aaaa1111', null, 'first'));
    writeFileSync(file, revisionFile('bbbb2222', 'cccc3333', 'second'));
    const run = await tsmig(root, ['heads']);
    expect(run).to.deep.equal({
      code: 1,
      stdout: '',
      stderr:
        `error: Revision bbbb2222 (${file}) has downRevision 'cccc3333', which no revision file defines. ` +
        'Restore that revision, or point downRevision at an existing one (`tsmig heads` lists them).\n',
    });
  });

  it('a cycle: exit 1, the revisions and files named', async () => {
    const root = project();
    const dir = path.join(root, 'migrations', 'versions');
    writeFileSync(path.join(dir, 'a.ts'), revisionFile('aaaa1111', null, 'first'));
    writeFileSync(path.join(dir, 'b.ts'), revisionFile('bbbb2222', ['aaaa1111', 'cccc3333'], 'second'));
    writeFileSync(path.join(dir, 'c.ts'), revisionFile('cccc3333', 'bbbb2222', 'third'));
    const run = await tsmig(root, ['history']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.equal(
      'error: Cycle in the revision graph: bbbb2222 -> cccc3333 -> bbbb2222 (each names the next in downRevision or dependsOn); ' +
        `files: ${path.join(dir, 'b.ts')}, ${path.join(dir, 'c.ts')}. Fix the downRevision or dependsOn of one of them.\n`,
    );
  });

  it('usage errors exit 2; no config is an error that says how to create one', async () => {
    const root = project();
    const empty = mkdtempSync(path.join(tmpdir(), 'tsmig-graph-noconfig-'));
    projects.push(empty);
    const [missing, unknownOption, noConfig] = await Promise.all([
      tsmig(root, ['show']),
      tsmig(root, ['history', '--frobnicate']),
      tsmig(empty, ['heads']),
    ]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("error: missing required argument 'revision'");
    expect(unknownOption.code).to.equal(2);
    expect(unknownOption.stderr).to.include("error: unknown option '--frobnicate'");
    expect(noConfig.code).to.equal(1);
    expect(noConfig.stderr).to.match(/^error: No alembic\.config\.ts found in .* Run `tsmig init migrations`/);
    expect(readdirSync(path.join(root, 'migrations', 'versions'))).to.deep.equal([]);
  });
});
