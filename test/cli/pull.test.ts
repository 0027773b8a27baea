/**
 * `tsmig pull` through the real CLI on each dialect: the published Sakila and Chinook schemas
 * (`../shared/real-schemas/`, loaded with the database's own client) and a schema of every type and
 * option tsmig knows are pulled into models that `tsmig check` finds no difference against, and that
 * compile under `tsc --strict`, as one file and as a folder; then the options (--dry-run, --force,
 * --tables/--exclude, --casing) and
 * the list of what the models cannot hold.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../src/engine/engine.js';
import { everything } from '../fixtures/autogenerate-cases.js';
import { forEachDialect, type TestDialect } from '../helpers/dialects.js';
import { applyWithClient } from '../helpers/native-client.js';
import { loadableSchema, REAL_SCHEMA_FILES } from '../helpers/real-schemas.js';
import { type CliResult, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const FILES = REAL_SCHEMA_FILES;
const NO_METADATA_CONFIG = "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n";

function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`tsmig exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

forEachDialect('cli: tsmig pull', function (dialect) {
  this.timeout(600_000);
  let project: TempProject;
  const databases = new Map<string, ThrowawayDatabase>();
  const tsmig = (db: ThrowawayDatabase, args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url } });

  /** Pulls `db` into models/NAME.ts, then checks the database against those models. */
  async function pullAndCheck(db: ThrowawayDatabase, name: string): Promise<CliResult> {
    const pulled = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--out', `models/${name}.ts`]));
    project.write(`check-${name}.config.ts`, `import { defineConfig } from 'tsmig';\nimport { metadata } from './models/${name}.js';\nexport default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });\n`);
    const checked = ok(await tsmig(db, ['check', '-c', `check-${name}.config.ts`]));
    expect(checked.stdout).to.equal('No new upgrade operations detected.\n');
    return pulled;
  }

  /** The throw-away database of one schema, kept for the option tests. */
  async function database(schema: string): Promise<ThrowawayDatabase> {
    const db = await createThrowawayDatabase(dialect, `pull_${schema}`);
    databases.set(schema, db);
    return db;
  }

  before(async () => {
    project = createTempProject();
    ok(await runTsmig(['init', 'migrations'], { cwd: project.dir }));
    project.write('pull.config.ts', NO_METADATA_CONFIG);
  });
  after(async () => {
    project.remove();
    for (const db of databases.values()) await db.drop();
  });

  for (const schema of Object.keys(FILES)) {
    it(`${schema}: the pulled models match the database (tsmig check finds nothing)`, async () => {
      const db = await database(schema);
      const loaded = await applyWithClient(dialect, db.url, loadableSchema(FILES[schema as keyof typeof FILES][dialect.name]), project.dir);
      expect(loaded.code, loaded.stderr).to.equal(0);
      const pulled = await pullAndCheck(db, schema);
      expect(pulled.stdout).to.equal('');
      expect(pulled.stderr).to.match(/^Wrote \d+ tables to .*models\/\w+\.ts\n/);
      if (schema === 'sakila') expect(pulled.stderr).to.include('warning: not in the models').and.include('  - view film_list\n');
    });
  }

  it('a schema of every type and option tsmig knows round-trips', async () => {
    const db = await database('every');
    const engine = createEngine(db.url);
    try {
      await everything(dialect.name).createAll(engine);
    } finally {
      await engine.dispose();
    }
    await pullAndCheck(db, 'every');
    const source = project.read('models/every.ts');
    expect(source).to.include("export const things = new Table(\n  'things',\n  metadata,\n");
    // The same as a folder: one file per table, metadata.ts and an index.
    const folder = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--out', 'models/every-folder/']));
    expect(folder.stderr).to.match(/^Wrote 3 tables to 5 files in .*every-folder\n/);
    expect(project.read('models/every-folder/index.ts')).to.include("export { metadata } from './metadata.js';\nexport { owners } from './owners.js';\n");
    project.write('check-folder.config.ts', "import { defineConfig } from 'tsmig';\nimport { metadata } from './models/every-folder/index.js';\nexport default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });\n");
    expect(ok(await tsmig(db, ['check', '-c', 'check-folder.config.ts'])).stdout).to.equal('No new upgrade operations detected.\n');
  });

  it('the pulled models compile under tsc --strict', function () {
    if (!existsSync(project.path('models/every.ts'))) this.skip();
    project.write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true }, include: ['models/**/*.ts'] }));
    const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', project.dir], { encoding: 'utf8' });
    expect(tsc.status, tsc.stdout + tsc.stderr).to.equal(0);
  });

  it('the adoption story: a baseline revision from a scratch database, stamp head, status up to date', async () => {
    const chinook = databases.get('chinook')!;
    const scratch = await database('scratch');
    project.write('alembic.config.ts', project.read('check-chinook.config.ts'));
    ok(await tsmig(scratch, ['revision', '--autogenerate', '-m', 'baseline', '--rev-id', 'ba5e1ba5e1ba']));
    ok(await tsmig(scratch, ['upgrade', 'head']));
    expect(ok(await tsmig(scratch, ['check'])).stdout).to.equal('No new upgrade operations detected.\n');
    expect((await tsmig(chinook, ['status'])).code).to.equal(3);
    ok(await tsmig(chinook, ['stamp', 'head']));
    expect(ok(await tsmig(chinook, ['status', '--check-models'])).stdout).to.equal(
      'Head: ba5e1ba5e1ba\nCurrent: ba5e1ba5e1ba\nModels: match the database\nUp to date.\n',
    );
  });

  it('--tables and --exclude pick tables; a foreign key to a table left out is listed, not written', async () => {
    const db = databases.get('every')!;
    const r = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', '--tables', 'thing*,pairs', '--exclude', 'pairs']));
    expect(r.stdout).to.include('export const things = new Table(').and.not.include("'owners'").and.not.include("'pairs'");
    expect(r.stderr).to.include('  - foreign key things(owner_id) -> owners: that table is not pulled\n');
    const none = await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', '--tables', 'nothing_like_this']);
    expect(none.code).to.equal(1);
    expect(none.stderr).to.equal('error: No table to pull (--tables nothing_like_this): the database has none that matches.\n');
  });

  it('--dry-run writes nothing; an existing file needs --force', async () => {
    const db = databases.get('every')!;
    const dry = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', '--out', 'dry.ts']));
    expect(dry.stdout).to.match(/^\/\*\*\n \* Models of the \w+ database, written by `tsmig pull`/);
    expect(existsSync(project.path('dry.ts'))).to.equal(false);
    project.write('mine.ts', 'hand-written\n');
    const refused = await tsmig(db, ['pull', '-c', 'pull.config.ts', '--out', 'mine.ts']);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.equal(`error: ${project.path('mine.ts')} exists; pass --force to overwrite, or --out another file.\n`);
    expect(project.read('mine.ts')).to.equal('hand-written\n');
    ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--out', 'mine.ts', '--force']));
    expect(project.read('mine.ts')).to.equal(dry.stdout);
  });

  it('--casing names the exported tables; a bad casing is a usage error', async () => {
    const db = databases.get('chinook')!;
    const camel = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', '--tables', 'InvoiceLine,invoice_line']));
    expect(camel.stdout).to.match(/export const invoiceLine = new Table\(\n {2}'(InvoiceLine|invoice_line)',/);
    const snake = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', '--tables', 'InvoiceLine,invoice_line', '--casing', 'snake']));
    expect(snake.stdout).to.include('export const invoice_line = new Table(');
    const bad = await tsmig(db, ['pull', '--casing', 'kebab']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('expected one of camel, snake, preserve.');
  });
});
