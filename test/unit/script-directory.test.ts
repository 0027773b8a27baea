/**
 * The script directory without a database: reading revision headers (good and bad files), new file
 * names, slugs and dates, the revision template, listing version folders, writing new revisions, and
 * loading a revision module.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { TsmigError } from '../../src/errors.js';
import { MultipleHeadsError, RevisionFileError, RevisionGraphError, UnknownRevisionError } from '../../src/migrate/script/errors.js';
import { formatCreateDate, revisionFileName, slugify } from '../../src/migrate/script/file-name.js';
import { parseRevisionHeader } from '../../src/migrate/script/revision-header.js';
import { generateRevisionId } from '../../src/migrate/script/revision-id.js';
import { ScriptDirectory } from '../../src/migrate/script/script-directory.js';
import { DEFAULT_SCRIPT_TEMPLATE, renderTemplate, templateValues } from '../../src/migrate/script/template.js';

const NOW = new Date('2024-05-01T10:30:05.123Z');

/** Awaits `promise` and checks it fails with `type` and a message containing `text`. */
async function rejects(promise: Promise<unknown>, type: new (...args: never[]) => Error, text: string): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a ${type.name}`).to.be.instanceOf(type);
  expect((error as Error).message).to.include(text);
}

function expectFileError(text: string, pattern: string): void {
  expect(() => parseRevisionHeader(text, '/v/x.ts'))
    .to.throw(RevisionFileError, 'Cannot read revision file /v/x.ts: ' + pattern)
    .with.property('message')
    .that.includes("export const revision = '<id>'");
}

/** Runs `test` with tsmig's caches in `dir` (TSMIG_CACHE_DIR), then puts the variable back as it was. */
function withCacheDir(dir: string, test: () => void): void {
  const saved = process.env['TSMIG_CACHE_DIR'];
  process.env['TSMIG_CACHE_DIR'] = dir;
  try {
    test();
  } finally {
    if (saved === undefined) delete process.env['TSMIG_CACHE_DIR'];
    else process.env['TSMIG_CACHE_DIR'] = saved;
  }
}

describe('script directory: revision headers', () => {
  it('reads the file the default template writes', () => {
    const text = renderTemplate(
      DEFAULT_SCRIPT_TEMPLATE,
      templateValues({
        message: 'add directors',
        revision: '2b1ae634e5cd',
        downRevisions: ['1975ea83b712'],
        branchLabels: ['shop'],
        dependsOn: ['ae1027a6acf0', 'core'],
        createDate: '2024-05-01 10:30:05.123000',
      }),
      'script.ts.tmpl',
    );
    expect(parseRevisionHeader(text, '/v/2b1ae634e5cd_add_directors.ts')).to.deep.equal({
      revision: '2b1ae634e5cd',
      downRevisions: ['1975ea83b712'],
      branchLabels: ['shop'],
      dependsOn: ['ae1027a6acf0', 'core'],
      message: 'add directors',
      path: '/v/2b1ae634e5cd_add_directors.ts',
      createDate: '2024-05-01 10:30:05.123000',
      doc: 'add directors\n\nRevision ID: 2b1ae634e5cd\nRevises: 1975ea83b712\nCreate Date: 2024-05-01 10:30:05.123000',
    });
  });

  it('accepts the forms a person writes by hand', () => {
    const text = [
      '// a line comment first',
      '/**',
      ' * Add the directors',
      ' * table and its index.',
      ' *',
      ' * More detail here.',
      ' */',
      "import { op } from 'tsmig';",
      '',
      'export const revision: string = "2b1ae634e5cd";',
      'export const downRevision = [',
      "  'aaaa1111', // the trunk",
      '  `bbbb2222`,',
      '] as const;',
      'export const dependsOn = null',
      '',
      'export async function upgrade() {}',
      'export async function downgrade() {}',
    ].join('\n');
    const info = parseRevisionHeader(text, '/v/x.ts');
    expect(info.revision).to.equal('2b1ae634e5cd');
    expect(info.downRevisions).to.deep.equal(['aaaa1111', 'bbbb2222']);
    expect(info.dependsOn).to.deep.equal([]);
    expect(info.branchLabels).to.deep.equal([]);
    expect(info.message).to.equal('Add the directors table and its index.');
    expect(info.createDate).to.equal(null);
  });

  it('reads a file without a doc comment as having an empty message', () => {
    const info = parseRevisionHeader("export const revision = 'abcd';\nexport const downRevision = null;\n", '/v/x.ts');
    expect(info).to.include({ revision: 'abcd', message: '', createDate: null });
    expect(info).not.to.have.property('doc');
  });

  it('names the file and the expected form when a declaration is missing', () => {
    expectFileError('export const downRevision = null;\n', "no `export const revision = '<id>'` declaration");
    expectFileError("export const revision = 'abcd';\n", 'no `export const downRevision = ...` declaration (null for a first revision)');
    expectFileError("export let revision = 'abcd';\nexport const downRevision = null;\n", 'no `export const revision');
  });

  it('names the file when a value is not a literal the header grammar allows', () => {
    expectFileError("export const revision = makeId();\nexport const downRevision = null;\n", '`revision` must be a quoted string (found `makeId();`)');
    expectFileError("export const revision = null;\nexport const downRevision = null;\n", '`revision` must be a quoted string');
    expectFileError("export const revision = 'abcd';\nexport const downRevision = PARENT;\n", '`downRevision` must be null, a quoted string or an array of quoted strings');
    expectFileError("export const revision = `a${x}`;\nexport const downRevision = null;\n", '`revision` must be a quoted string');
    expectFileError("export const revision = 'abcd' + 'x';\nexport const downRevision = null;\n", '`revision` must be a quoted string');
    expectFileError("export const revision = 'abcd;\nexport const downRevision = null;\n", '`revision` must be a quoted string');
    expectFileError("export const revision = 'abcd';\nexport const downRevision = ['a' 'b'];\n", '`downRevision` must be null');
  });

  it('refuses a declaration written twice', () => {
    expectFileError("export const revision = 'abcd';\nexport const revision = 'efgh';\nexport const downRevision = null;\n", '`revision` is declared twice');
  });
});

describe('script directory: file names, slugs and dates', () => {
  it('makes slugs as Alembic does', () => {
    expect(slugify('Add a "directors" table!')).to.equal('add_a_directors_table');
    expect(slugify('add_column  to-movies')).to.equal('add_column_to_movies');
    expect(slugify('Ajouter les réalisateurs')).to.equal('ajouter_les_réalisateurs');
    expect(slugify('add a very long message here', 12)).to.equal('add_a_very_');
    expect(slugify('abcdefghijklmnop', 5)).to.equal('abcde_');
    expect(slugify('')).to.equal('');
  });

  it('formats Create Date in the configured zone, with its offset', () => {
    expect(formatCreateDate(NOW, 'UTC')).to.equal('2024-05-01 10:30:05.123000+00:00');
    expect(formatCreateDate(NOW, 'Europe/Paris')).to.equal('2024-05-01 12:30:05.123000+02:00');
    expect(formatCreateDate(NOW, 'America/New_York')).to.equal('2024-05-01 06:30:05.123000-04:00');
    expect(formatCreateDate(NOW)).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(() => formatCreateDate(NOW, 'Mars/Olympus')).to.throw(TsmigError, "Unknown time zone 'Mars/Olympus'");
  });

  it('fills Alembic file template tokens', () => {
    const fields = { rev: 'ae1027a6acf0', message: 'Add movies', createDate: NOW, timezone: 'UTC' };
    expect(revisionFileName('%(rev)s_%(slug)s', fields)).to.equal('ae1027a6acf0_add_movies.ts');
    expect(revisionFileName('%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d%(second).2d-%(rev)s_%(slug)s', fields)).to.equal(
      '2024_05_01_103005-ae1027a6acf0_add_movies.ts',
    );
    expect(revisionFileName('%(epoch)s_%(rev)s', fields)).to.equal('1714559405_ae1027a6acf0.ts');
    expect(revisionFileName('%(month)02d%%%(rev).4s', fields)).to.equal('05%ae10.ts');
    expect(revisionFileName('%(rev)s_%(slug)s', { ...fields, message: 'a much longer message than allowed', truncateSlugLength: 10 })).to.equal(
      'ae1027a6acf0_a_much_.ts',
    );
    expect(() => revisionFileName('%(nope)s', fields)).to.throw(TsmigError, "Unknown token '%(nope)'");
    expect(() => revisionFileName('%(rev)x', fields)).to.throw(TsmigError, "Unsupported conversion '%x'");
    expect(() => revisionFileName('sub/%(rev)s', fields)).to.throw(TsmigError, 'must be a plain, non-empty name');
  });

  it('makes 12 lowercase hex character ids', () => {
    const ids = new Set(Array.from({ length: 50 }, generateRevisionId));
    expect(ids.size).to.equal(50);
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{12}$/);
  });
});

describe('script directory: the revision template', () => {
  const values = templateValues({ message: 'm', revision: 'r1', downRevisions: [], branchLabels: [], dependsOn: [], createDate: 'd' });

  it('indents every line of a multi-line value like its placeholder, and drops lines left empty', () => {
    const out = renderTemplate('a\n  ${imports}\nfunction f() {\n  ${upgrades}\n}\n', { ...values, upgrades: 'one();\ntwo();' }, 't');
    expect(out).to.equal('a\nfunction f() {\n  one();\n  two();\n}\n');
  });

  it('renders literals for the graph fields, and defuses */ in the message', () => {
    const v = templateValues({ message: 'a */ b', revision: 'r', downRevisions: ['x', "y'z"], branchLabels: ['shop'], dependsOn: ['d'], createDate: '' });
    expect(v).to.include({ message: 'a *\\/ b', downRevision: "['x', 'y\\'z']", branchLabels: "['shop']", dependsOn: "'d'", revises: "x, y'z" });
    expect(values).to.include({ downRevision: 'null', branchLabels: 'null', dependsOn: 'null', revises: '' });
  });

  it('writes $${ as a literal ${ and refuses unknown variables, naming the template', () => {
    expect(renderTemplate('`$${x}` ${revision}', values, 't')).to.equal('`${x}` r1');
    expect(() => renderTemplate('${revison}', values, '/p/script.ts.tmpl')).to.throw(TsmigError, 'Unknown variable ${revison} in the revision template /p/script.ts.tmpl');
  });
});

describe('script directory: files', () => {
  let root: string;
  let scriptDir: string;
  let versions: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'tsmig-scripts-'));
    writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
    scriptDir = path.join(root, 'migrations');
    versions = path.join(scriptDir, 'versions');
    mkdirSync(versions, { recursive: true });
    writeFileSync(path.join(scriptDir, 'script.ts.tmpl'), DEFAULT_SCRIPT_TEMPLATE);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(name: string, revision: string, down: string | null, extra = ''): string {
    const file = path.join(versions, name);
    const downText = down === null ? 'null' : `'${down}'`;
    writeFileSync(file, `/**\n * ${revision} message\n */\nexport const revision = '${revision}';\nexport const downRevision = ${downText};\n${extra}`);
    return file;
  }

  it('lists *.ts revision files sorted by name, ignoring declarations, hidden files and folders', () => {
    write('b_second.ts', 'bbbb', 'aaaa');
    write('a_first.ts', 'aaaa', null);
    writeFileSync(path.join(versions, 'types.d.ts'), 'export {};');
    writeFileSync(path.join(versions, '.#a_first.ts'), 'junk');
    writeFileSync(path.join(versions, 'notes.md'), 'junk');
    mkdirSync(path.join(versions, '__pycache__'));
    writeFileSync(path.join(versions, '__pycache__', 'c.ts'), 'junk');
    const scripts = new ScriptDirectory({ dir: scriptDir });
    expect(scripts.revisionFiles().map((f) => path.basename(f))).to.deep.equal(['a_first.ts', 'b_second.ts']);
    expect(scripts.revisionMap().heads).to.deep.equal(['bbbb']);
    expect(scripts.revisions()[0]).to.include({ revision: 'aaaa', message: 'aaaa message', path: path.join(versions, 'a_first.ts') });
  });

  it('reads several version locations; one that does not exist yet has no files', () => {
    const other = path.join(root, 'more');
    mkdirSync(other);
    write('a.ts', 'aaaa', null);
    writeFileSync(path.join(other, 'b.ts'), "export const revision = 'bbbb';\nexport const downRevision = 'aaaa';\n");
    const scripts = new ScriptDirectory({ dir: scriptDir, versionLocations: [versions, other, path.join(root, 'missing')] });
    expect(scripts.revisionMap().heads).to.deep.equal(['bbbb']);
  });

  it('remembers headers between runs while a file keeps its size and modification time', () => {
    const cache = path.join(root, 'cache');
    withCacheDir(cache, () => {
      const hourAgo = new Date(Date.now() - 3_600_000);
      const a = write('a.ts', 'aaaa', null);
      write('b.ts', 'bbbb', 'aaaa');
      for (const f of [a, path.join(versions, 'b.ts')]) utimesSync(f, hourAgo, hourAgo);
      expect(new ScriptDirectory({ dir: scriptDir }).revisions()[0]!.message).to.equal('aaaa message');
      expect(readdirSync(cache).filter((f) => f.startsWith('headers-'))).to.have.length(1);

      // Same size, same time: the remembered header is used (as Python trusts __pycache__).
      writeFileSync(a, readFileSync(a, 'utf8').replace('aaaa message', 'AAAA message'));
      utimesSync(a, hourAgo, hourAgo);
      expect(new ScriptDirectory({ dir: scriptDir }).revisions()[0]!.message).to.equal('aaaa message');

      // Edited (a new modification time): read again.
      writeFileSync(a, readFileSync(a, 'utf8').replace('AAAA message', 'edited message'));
      expect(new ScriptDirectory({ dir: scriptDir }).revisions()[0]!.message).to.equal('edited message');

      // A damaged cache is ignored.
      for (const f of readdirSync(cache)) writeFileSync(path.join(cache, f), '{not json');
      expect(new ScriptDirectory({ dir: scriptDir }).revisionMap().heads).to.deep.equal(['bbbb']);
    });
  });

  it('keeps remembering the unchanged files when files are added before them or removed', () => {
    const cache = path.join(root, 'cache');
    const hourAgo = new Date(Date.now() - 3_600_000);
    /** Replaces the message without changing the size or the modification time: only a re-read sees it. */
    const editUnseen = (file: string, from: string, to: string): void => {
      writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
      utimesSync(file, hourAgo, hourAgo);
    };
    const messages = (): string[] => new ScriptDirectory({ dir: scriptDir }).revisions().map((r) => r.message);
    withCacheDir(cache, () => {
      const b = write('b.ts', 'bbbb', null);
      const c = write('c.ts', 'cccc', 'bbbb');
      for (const f of [b, c]) utimesSync(f, hourAgo, hourAgo);
      expect(messages()).to.deep.equal(['bbbb message', 'cccc message']);
      editUnseen(c, 'cccc message', 'CCCC message');

      // A new first file moves the others down the list: they are still found, and the new one is read.
      const a = write('a.ts', 'aaaa', null);
      utimesSync(a, hourAgo, hourAgo);
      expect(messages()).to.deep.equal(['aaaa message', 'bbbb message', 'cccc message']);
      expect(new ScriptDirectory({ dir: scriptDir }).revisionMap().heads).to.deep.equal(['aaaa', 'cccc']);

      // A file removed: the ones left keep their remembered headers.
      rmSync(b);
      writeFileSync(c, readFileSync(c, 'utf8').replace("'bbbb'", 'null'.padEnd(6)));
      utimesSync(c, hourAgo, hourAgo);
      expect(messages()).to.deep.equal(['aaaa message', 'cccc message']);
      expect(() => new ScriptDirectory({ dir: scriptDir }).revisionMap()).to.throw(UnknownRevisionError, "downRevision 'bbbb'");
    });
  });

  it("trusts a file's stat 100 ms after a sub-second modification time, 2 s after a whole-second one", () => {
    const cache = path.join(root, 'cache');
    /** Replaces the message without changing the size, then puts the modification time back to `at`. */
    const editInPlace = (file: string, from: string, to: string, at: number): void => {
      writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
      utimesSync(file, at / 1000, at / 1000);
    };
    withCacheDir(cache, () => {
      const a = write('a.ts', 'aaaa', null);
      // A filesystem with sub-second times (its clock ticks in at most 10 ms): half a second is enough.
      const fine = Date.now() - 500.25;
      utimesSync(a, fine / 1000, fine / 1000);
      expect(new ScriptDirectory({ dir: scriptDir }).revisions()[0]!.message).to.equal('aaaa message');
      editInPlace(a, 'aaaa message', 'AAAA message', fine);
      expect(new ScriptDirectory({ dir: scriptDir }).revisions()[0]!.message).to.equal('aaaa message');

      // Whole seconds may come from a filesystem whose clock ticks in seconds: within 2 s, read again.
      const coarse = Math.floor(Date.now() / 1000) * 1000;
      editInPlace(a, 'AAAA message', 'bbbb message', coarse);
      expect(new ScriptDirectory({ dir: scriptDir }).revisions()[0]!.message).to.equal('bbbb message');
      editInPlace(a, 'bbbb message', 'cccc message', coarse);
      expect(new ScriptDirectory({ dir: scriptDir }).revisions()[0]!.message).to.equal('cccc message');
    });
  });

  it('says to run init when the script location does not exist', () => {
    expect(() => new ScriptDirectory({ dir: path.join(root, 'nope') }).revisions()).to.throw(TsmigError, 'Run `tsmig init`');
  });

  it('reports a bad file and a broken graph naming the file', () => {
    write('a.ts', 'aaaa', null);
    const bad = write('b.ts', 'bbbb', 'zzzz');
    expect(() => new ScriptDirectory({ dir: scriptDir }).revisionMap()).to.throw(UnknownRevisionError, `Revision bbbb (${bad}) has downRevision 'zzzz'`);
    writeFileSync(bad, 'export const revision = 1;');
    expect(() => new ScriptDirectory({ dir: scriptDir }).revisionMap()).to.throw(RevisionFileError, `Cannot read revision file ${bad}`);
  });

  it('writes a first revision, then one on the head, and reads them back', async () => {
    const scripts = new ScriptDirectory({ dir: scriptDir, timezone: 'UTC' });
    const first = await scripts.generateRevision({ message: 'Add movies', revId: '1975ea83b712', now: NOW });
    expect(first).to.include({ revision: '1975ea83b712', message: 'Add movies', createDate: '2024-05-01 10:30:05.123000+00:00' });
    expect(first.path).to.equal(path.join(versions, '1975ea83b712_add_movies.ts'));
    expect(first.downRevisions).to.deep.equal([]);
    const second = await scripts.generateRevision({ message: 'add directors', now: NOW, upgradeBody: "await op.execute('SELECT 1');" });
    expect(second.downRevisions).to.deep.equal(['1975ea83b712']);
    expect(second.revision).to.match(/^[0-9a-f]{12}$/);
    const text = readFileSync(second.path, 'utf8');
    expect(text).to.include(`export const downRevision: string | readonly string[] | null = '1975ea83b712';`);
    expect(text).to.include("export async function upgrade(): Promise<void> {\n  await op.execute('SELECT 1');\n}");
    expect(text).to.include(' * Revises: 1975ea83b712\n');
    expect(scripts.revisionMap().heads).to.deep.equal([second.revision]);
  });

  it('needs --head or a merge with several heads, --splice for a non-head, and new ids and labels', async () => {
    const scripts = new ScriptDirectory({ dir: scriptDir });
    await scripts.generateRevision({ message: 'a', revId: 'aaaa1111' });
    await scripts.generateRevision({ message: 'b', revId: 'bbbb2222' });
    await rejects(scripts.generateRevision({ message: 'c', head: 'aaaa' }), RevisionGraphError, 'Revision aaaa1111 is not a head; pass --splice');
    const branch = await scripts.generateRevision({ message: 'c', head: 'aaaa', splice: true, branchLabel: 'shop', revId: 'cccc3333' });
    expect(branch).to.deep.include({ downRevisions: ['aaaa1111'], branchLabels: ['shop'] });
    await rejects(scripts.generateRevision({ message: 'd' }), MultipleHeadsError, 'Choose the revision to build on with --head <revision>');
    const onShop = await scripts.generateRevision({ message: 'd', head: 'shop@head', dependsOn: ['bbbb', 'shop'] });
    expect(onShop.downRevisions).to.deep.equal(['cccc3333']);
    expect(onShop.dependsOn).to.deep.equal(['bbbb2222', 'shop']);
    await rejects(scripts.generateRevision({ message: 'e', head: 'bbbb', branchLabel: 'shop' }), RevisionGraphError, "Branch label 'shop' is already used by revision cccc3333");
    await rejects(scripts.generateRevision({ message: 'e', head: 'bbbb', revId: 'aaaa1111' }), RevisionGraphError, 'Revision id aaaa1111 already exists');
    await rejects(scripts.generateRevision({ message: 'e', head: 'bbbb', revId: 'a-b' }), RevisionGraphError, "contains '-'");
    const base = await scripts.generateRevision({ message: 'new root', head: 'base', revId: 'eeee5555' });
    expect(base.downRevisions).to.deep.equal([]);
    expect(scripts.revisionMap().bases).to.deep.equal(['aaaa1111', 'eeee5555']);
  });

  it('chooses the version location: --version-path, else the head’s, else an error', async () => {
    const other = path.join(root, 'more');
    const scripts = new ScriptDirectory({ dir: scriptDir, versionLocations: [versions, other] });
    await rejects(scripts.generateRevision({ message: 'a' }), TsmigError, 'several version locations');
    const first = await scripts.generateRevision({ message: 'a', versionPath: other });
    expect(path.dirname(first.path)).to.equal(other);
    const second = await scripts.generateRevision({ message: 'b' });
    expect(path.dirname(second.path)).to.equal(other);
    await rejects(scripts.generateRevision({ message: 'c', versionPath: root }), TsmigError, 'is not one of the version locations');
  });

  it('names the missing template, and a template whose output cannot be read back', async () => {
    rmSync(path.join(scriptDir, 'script.ts.tmpl'));
    await rejects(new ScriptDirectory({ dir: scriptDir }).generateRevision({ message: 'a' }), TsmigError, 'No revision template at');
    writeFileSync(path.join(scriptDir, 'script.ts.tmpl'), 'export const revision = ${revision};\n');
    await rejects(new ScriptDirectory({ dir: scriptDir }).generateRevision({ message: 'a' }), TsmigError, 'which tsmig cannot read back');
  });

  it('runs post-write hooks on the new file', async () => {
    const seen: string[] = [];
    const scripts = new ScriptDirectory({ dir: scriptDir, postWriteHooks: [{ type: 'function', run: (file) => void seen.push(file) }] });
    const created = await scripts.generateRevision({ message: 'a' });
    expect(seen).to.deep.equal([created.path]);
  });

  it('loads a revision module to run it, and names the file when it fails to load', async () => {
    write('a.ts', 'aaaa', null, 'export async function upgrade() {}\nexport async function downgrade() {}\n');
    const scripts = new ScriptDirectory({ dir: scriptDir });
    const module = await scripts.loadModule('aaaa');
    expect(module.revision).to.equal('aaaa');
    expect(module.upgrade).to.be.a('function');
    // A new file: the module cache would hand back the first import of a.ts.
    const broken = write('c.ts', 'cccc', 'aaaa', 'export async function upgrade() {}\nthis is not typescript (\n');
    await rejects(new ScriptDirectory({ dir: scriptDir }).loadModule('cccc'), RevisionFileError, `Revision file ${broken} failed to load: ${broken}:7:6: Expected ";" but found "is"`);
    const noDowngrade = write('b.ts', 'bbbb', 'aaaa', 'export async function upgrade() {}\n');
    await rejects(new ScriptDirectory({ dir: scriptDir }).loadModule('bbbb'), RevisionFileError, `Revision file ${noDowngrade} does not export an async function downgrade()`);
    // Loaded with others as one bundle, which runs as a script when the files have what it picks.
    const plan = new ScriptDirectory({ dir: scriptDir });
    await rejects(plan.loadModules(['aaaa', 'bbbb'].map((id) => plan.revisionMap().get(id))), RevisionFileError, `Revision file ${noDowngrade} does not export an async function downgrade()`);
    write('b.ts', 'bbbb', 'aaaa', 'export async function upgrade() {}\nexport async function downgrade() {}\n');
    const fixed = new ScriptDirectory({ dir: scriptDir });
    const both = await fixed.loadModules(['aaaa', 'bbbb'].map((id) => fixed.revisionMap().get(id)));
    expect(both.map((m) => [m.revision, typeof m.upgrade, typeof m.downgrade])).to.deep.equal([['aaaa', 'function', 'function'], ['bbbb', 'function', 'function']]);
  });
});
