/**
 * tsmig as users get it: `npm pack` of this repository, installed from the tarball into fresh projects
 * outside the repository (one `"type": "module"`, one CommonJS, as `npm init -y` makes), each then used the
 * way the README says: `tsmig init`, a model, `revision --autogenerate`, `upgrade head`, `check`, and a small
 * ORM script run by plain `node`, on every dialect. The installed package must work with nothing but what
 * npm put there: no TypeScript loader, no link into this repository.
 */
import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { forEachDialect } from '../helpers/dialects.js';
import { ok, runCommand } from '../helpers/run-cli.js';
import { REPO_ROOT } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const MODELS = `import { DeclarativeBase, mapped, t } from 'tsmig';

export class Base extends DeclarativeBase {}

export class Movie extends Base.model('movies', {
  id: mapped(t.Integer(), { primaryKey: true }),
  title: mapped(t.String(100)),
  year: mapped(t.Integer(), { nullable: true }),
}) {}
`;

/** The ORM script: adds two movies and reads them back (ESM flavour; the CommonJS one requires). */
const SCRIPT = (load: string) => `${load}
const { createEngine, sessionmaker, select } = tsmig;
const { Movie } = await import(process.argv[2]);
const engine = createEngine(process.env.DATABASE_URL);
const Session = sessionmaker(engine);
await Session.begin(async (session) => {
  session.addAll([new Movie({ title: 'Alien', year: 1979 }), new Movie({ title: 'Heat', year: 1995 })]);
});
const titles = await Session.run((session) => session.scalars(select(Movie.c.title).orderBy(Movie.c.title)));
console.log(titles.all().join(','));
await engine.dispose();
`;

describe('cli: the packed package installed into new projects', function () {
  this.timeout(600_000);
  let work: string;
  let tarball: string;
  const projects: Record<'esm' | 'commonjs', string> = { esm: '', commonjs: '' };

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'tsmig-install-'));
    // dist/ is built by `npm test` before the suite runs; packing must not build again.
    ok(await runCommand('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: REPO_ROOT }));
    tarball = path.join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
    for (const kind of ['esm', 'commonjs'] as const) {
      const dir = path.join(work, kind);
      projects[kind] = dir;
      mkdirSync(dir);
      // What `npm init -y` writes; only the ESM project says "type": "module".
      const pkg = { name: `app-${kind}`, version: '1.0.0', private: true, ...(kind === 'esm' ? { type: 'module' } : {}) };
      writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    }
    // better-sqlite3 compiles SQLite from source where its prebuilt binary cannot be downloaded (minutes):
    // the first project starts with this repository's compiled copy, which npm keeps as it satisfies the
    // range, and the second reuses the first one's node_modules; each then installs the tarball over it,
    // as a user's `npm install tsmig` would.
    for (const dependency of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
      cpSync(path.join(REPO_ROOT, 'node_modules', dependency), path.join(projects.esm, 'node_modules', dependency), { recursive: true });
    }
    ok(await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: projects.esm }));
    cpSync(path.join(projects.esm, 'node_modules'), path.join(projects.commonjs, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    ok(await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: projects.commonjs }));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('installs only the built package: no sources, no tests', () => {
    const installed = path.join(projects.esm, 'node_modules', 'tsmig');
    expect(readdirSync(installed).sort()).to.deep.equal(['README.md', 'bin', 'dist', 'package.json', 'templates']);
  });

  it('is imported by plain node, in ES modules and in CommonJS', async () => {
    const esm = ok(await runCommand(process.execPath, ['-e', "import('tsmig').then((m) => console.log(typeof m.createEngine))"], { cwd: projects.esm }));
    expect(esm.stdout.trim()).to.equal('function');
    const cjs = ok(await runCommand(process.execPath, ['-e', "console.log(typeof require('tsmig').MetaData)"], { cwd: projects.commonjs }));
    expect(cjs.stdout.trim()).to.equal('function');
  });

  for (const kind of ['esm', 'commonjs'] as const) {
    forEachDialect(`installed in a ${kind} project`, (dialect) => {
      let db: ThrowawayDatabase;
      let dir: string;
      const tsmig = (args: readonly string[]) =>
        runCommand(path.join(dir, 'node_modules', '.bin', 'tsmig'), args, { cwd: dir, env: { DATABASE_URL: db.url } });
      before(async () => {
        db = await createThrowawayDatabase(dialect, `install_${kind}`);
        dir = path.join(projects[kind], dialect.name);
        mkdirSync(dir);
        cpSync(path.join(projects[kind], 'package.json'), path.join(dir, 'package.json'));
        cpSync(path.join(projects[kind], 'node_modules'), path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
      });
      after(() => db.drop());

      it('init, revision --autogenerate, upgrade head and check work', async () => {
        ok(await tsmig(['init', 'migrations']));
        writeFileSync(path.join(dir, 'models.ts'), MODELS);
        writeFileSync(
          path.join(dir, 'alembic.config.ts'),
          "import { defineConfig } from 'tsmig';\nimport { Base } from './models.js';\n\nexport default defineConfig({ scriptLocation: 'migrations', targetMetadata: Base.metadata });\n",
        );
        const generated = ok(await tsmig(['revision', '--autogenerate', '-m', 'add movies']));
        expect(generated.stderr).to.include("Detected: Added table 'movies'");
        ok(await tsmig(['upgrade', 'head']));
        expect(ok(await tsmig(['check'])).stdout).to.include('No new upgrade operations detected.');
      });

      it('runs an ORM script with plain node against the same models', async () => {
        // The model file is plain JavaScript too, so node runs it as it is.
        const script = kind === 'esm' ? SCRIPT("import * as tsmig from 'tsmig';") : SCRIPT("const tsmig = require('tsmig');");
        writeFileSync(path.join(dir, kind === 'esm' ? 'script.mjs' : 'script.cjs'), kind === 'esm' ? script : `(async () => {\n${script}\n})();\n`);
        writeFileSync(path.join(dir, 'models.mjs'), MODELS);
        const run = ok(await runCommand(process.execPath, [kind === 'esm' ? 'script.mjs' : 'script.cjs', path.join(dir, 'models.mjs')], { cwd: dir, env: { DATABASE_URL: db.url } }));
        expect(run.stdout.trim()).to.equal('Alien,Heat');
      });
    });
  }
});
