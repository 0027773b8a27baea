/**
 * `tsmig init` and `tsmig list-templates` through the real CLI, and the projects they create at work on
 * SQLite: the generic template (also in a package that is not an ES module), the async alias, and the
 * multidb template with two databases.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { withTsmigImport } from '../helpers/revision-text.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../helpers/temp-project.js';

function tables(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);
  } finally {
    db.close();
  }
}

/** Replaces the empty body of `upgrade()` in a generated revision file. */
function fillUpgrade(file: string, body: string): void {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, withTsmigImport(text, ['op']).replace(/export async function upgrade\(\): Promise<void> \{\n\}/, `export async function upgrade(): Promise<void> {\n  ${body}\n}`));
}

describe('cli: init and list-templates', function () {
  this.timeout(60_000);
  let project: TempProject;
  const tsmig = (args: readonly string[], env: Record<string, string | undefined> = {}) => runTsmig(args, { cwd: project.dir, env });

  beforeEach(() => {
    project = createTempProject();
  });
  afterEach(() => project.remove());

  it('lists the templates with their descriptions', async () => {
    const r = ok(await tsmig(['list-templates']));
    expect(r.stdout).to.equal(
      [
        'Available templates:',
        '',
        'async   - Generic single-database configuration with an async app; in tsmig the same as generic.',
        'generic - Generic single-database configuration.',
        'multidb - Several databases, one revision per change with a function per database.',
        '',
        'Templates are used by the init command, e.g.:',
        '',
        '  tsmig init --template generic ./migrations',
        '',
      ].join('\n'),
    );
  });

  it('init creates a working project: a revision, upgrade head and current on the default SQLite URL', async () => {
    const r = ok(await tsmig(['init', 'db/migrations']));
    expect(r.stdout).to.equal('');
    expect(r.stderr.split('\n')).to.include.members([
      `Creating directory ${project.path('db/migrations')}`,
      `Generating ${project.path('db/migrations/env.ts')}`,
      `Generating ${project.path('alembic.config.ts')}`,
    ]);
    expect(readdirSync(project.path('db/migrations')).sort()).to.deep.equal(['README.md', 'env.ts', 'script.ts.tmpl', 'versions']);
    expect(readdirSync(project.path('db/migrations/versions'))).to.deep.equal([]);
    const config = project.read('alembic.config.ts');
    expect(config).to.include("scriptLocation: 'db/migrations'").and.include("url: 'sqlite:///app.db'").and.include("// import { Base } from './src/models.js';").and.include('// targetMetadata: Base.metadata,');
    for (const file of ['env.ts', 'script.ts.tmpl', 'README.md']) {
      expect(project.read(`db/migrations/${file}`)).to.equal(readFileSync(path.join(REPO_ROOT, 'templates/generic', file), 'utf8'));
    }

    ok(await tsmig(['revision', '-m', 'create things', '--rev-id', 'aa11bb22cc33']));
    fillUpgrade(project.path('db/migrations/versions/aa11bb22cc33_create_things.ts'), "await op.execute('CREATE TABLE things (id INTEGER PRIMARY KEY)');");
    // From a subfolder: the relative SQLite path is the project's, not the working folder's.
    const sub = path.join(project.dir, 'db');
    expect(ok(await runTsmig(['upgrade', 'head'], { cwd: sub })).stderr).to.equal('Running upgrade base -> aa11bb22cc33, create things\n');
    expect(tables(project.path('app.db'))).to.deep.equal(['alembic_version', 'alembic_version_history', 'things']);
    expect(ok(await tsmig(['current'])).stdout).to.equal('aa11bb22cc33 (head)\n');
    expect(ok(await tsmig(['ensure-version', '--sql'])).stdout).to.include('CREATE TABLE alembic_version (');
  });

  it('refuses a folder that is not empty, keeps an existing config, rejects an unknown template', async () => {
    project.write('migrations/keep.txt', 'mine');
    const refused = await tsmig(['init', 'migrations']);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.equal(`error: Directory ${project.path('migrations')} already exists and is not empty; choose another one.\n`);
    expect(existsSync(project.path('alembic.config.ts'))).to.equal(false);

    project.write('alembic.config.ts', '// mine\n');
    const kept = ok(await tsmig(['init', 'other']));
    expect(project.read('alembic.config.ts')).to.equal('// mine\n');
    expect(kept.stderr).to.include("warning: alembic.config.ts exists and was left as it is: check that its scriptLocation is 'other'.");

    const unknown = await tsmig(['init', '--template', 'nope', 'third']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.equal('error: No template named nope; the templates are async, generic, multidb (see `tsmig list-templates`).\n');
  });

  it('the async template is the generic one under the name Alembic users look for', async () => {
    ok(await tsmig(['init', '--template', 'async', 'migrations']));
    expect(project.read('migrations/env.ts')).to.equal(readFileSync(path.join(REPO_ROOT, 'templates/generic/env.ts'), 'utf8'));
    expect(project.read('migrations/README.md')).to.include('in tsmig the same as generic');
  });

  it('in a package that is not an ES module, writes alembic.config.mts and a module package.json for the scripts', async () => {
    const cjs = createTempProject({ packageJson: false });
    try {
      const run = (args: readonly string[]) => runTsmig(args, { cwd: cjs.dir });
      ok(await run(['init', 'migrations']));
      expect(existsSync(cjs.path('alembic.config.mts'))).to.equal(true);
      expect(JSON.parse(cjs.read('migrations/package.json'))).to.deep.equal({ type: 'module' });
      ok(await run(['revision', '-m', 'first', '--rev-id', 'f1f1f1f1f1f1']));
      expect(ok(await run(['upgrade', 'head'])).stderr).to.equal('Running upgrade base -> f1f1f1f1f1f1, first\n');
    } finally {
      cjs.remove();
    }
  });

  it('multidb: one revision, a function per database, each database with its own version table', async () => {
    ok(await tsmig(['init', '--template', 'multidb', 'migrations']));
    expect(project.read('alembic.config.ts')).to.include("engine1: { url: 'sqlite:///engine1.db' }");
    ok(await tsmig(['revision', '-m', 'split', '--rev-id', 'ab12cd34ef56']));
    const file = project.path('migrations/versions/ab12cd34ef56_split.ts');
    writeFileSync(
      file,
      withTsmigImport(readFileSync(file, 'utf8'), ['op'])
        .replace('  engine1: async () => {},\n  engine2: async () => {},\n};\n\nconst downgrades', "  engine1: async () => op.execute('CREATE TABLE accounts (id INTEGER)'),\n  engine2: async () => op.execute('CREATE TABLE audit (id INTEGER)'),\n};\n\nconst downgrades")
        .replace("  engine1: async () => {},\n  engine2: async () => {},\n};\n", "  engine1: async () => op.execute('DROP TABLE accounts'),\n  engine2: async () => op.execute('DROP TABLE audit'),\n};\n"),
    );
    const up = ok(await tsmig(['upgrade', 'head']));
    expect(up.stderr).to.equal(
      'Database engine1\nRunning upgrade base -> ab12cd34ef56, split [engine1]\nDatabase engine2\nRunning upgrade base -> ab12cd34ef56, split [engine2]\n',
    );
    expect(tables(project.path('engine1.db'))).to.deep.equal(['accounts', 'alembic_version', 'alembic_version_history']);
    expect(tables(project.path('engine2.db'))).to.deep.equal(['alembic_version', 'alembic_version_history', 'audit']);
    expect(ok(await tsmig(['current'])).stdout).to.equal('engine1:\nab12cd34ef56 (head)\nengine2:\nab12cd34ef56 (head)\n');

    ok(await tsmig(['downgrade', 'base', '--name', 'engine2']));
    expect(tables(project.path('engine2.db'))).to.deep.equal(['alembic_version', 'alembic_version_history']);
    expect(tables(project.path('engine1.db'))).to.deep.equal(['accounts', 'alembic_version', 'alembic_version_history']);
    expect(ok(await tsmig(['current', '--name', 'engine2'])).stdout).to.equal('engine2:\n');

    const sql = ok(await tsmig(['upgrade', 'head', '--sql'])).stdout;
    expect(sql.indexOf('-- tsmig: database engine1')).to.be.lessThan(sql.indexOf('CREATE TABLE accounts (id INTEGER);'));
    expect(sql.indexOf('-- tsmig: database engine2')).to.be.lessThan(sql.indexOf('CREATE TABLE audit (id INTEGER);'));
    const wrongName = await tsmig(['current', '--name', 'engine3']);
    expect(wrongName.stderr).to.equal(`error: --name engine3 names no database of ${project.path('alembic.config.ts')}; the databases are engine1, engine2.\n`);
  });
});
