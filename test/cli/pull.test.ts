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
import { pathToFileURL } from 'node:url';
import { createEngine } from '../../src/engine/engine.js';
import { column } from '../../src/schema/column.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { t } from '../../src/types/index.js';
import { everything } from '../fixtures/autogenerate-cases.js';
import { forEachDialect, type TestDialect } from '../helpers/dialects.js';
import { applyWithClient } from '../helpers/native-client.js';
import { loadableSchema, REAL_SCHEMA_FILES } from '../helpers/real-schemas.js';
import { type CliResult, ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const FILES = REAL_SCHEMA_FILES;
const NO_METADATA_CONFIG = "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n";

/**
 * Uses the pulled Sakila and Chinook models as an application would: objects linked through the inferred
 * relationships (many-to-one, one-to-many, the association object film_actor, the `secondary`
 * many-to-many PlaylistTrack, the self-referential ReportsTo), flushed, then queried along them.
 */
const QUERY_SCRIPT = `import { createEngine, select, selectinload, Session } from 'tsmig';
declare const process: { env: Record<string, string | undefined> };
import { Actor, Film, FilmActor, Language } from './models/sakila.js';
import { Employee, MediaType, Playlist, Track } from './models/chinook.js';

const sakila = createEngine(process.env.SAKILA_URL!);
const session = new Session(sakila);
const lastUpdate = new Date();
const english = new Language({ name: 'English', lastUpdate });
const film = new Film({ title: 'ACADEMY DINOSAUR', language: english, lastUpdate });
for (const [firstName, lastName] of [['PENELOPE', 'GUINESS'], ['NICK', 'WAHLBERG']]) {
  session.add(new FilmActor({ film, lastUpdate, actor: new Actor({ firstName, lastName, lastUpdate }) }));
}
await session.commit();
const actors = await session.scalars(select(Actor).join(Actor.filmActors).join(FilmActor.film).where(Film.c.title.eq('ACADEMY DINOSAUR')).orderBy(Actor.c.lastName));
console.log('actors of ACADEMY DINOSAUR: ' + actors.all().map((a) => a.lastName).join(', '));
const loaded = (await session.scalar(select(Film).options(selectinload(Film.filmActors).selectinload(FilmActor.actor), selectinload(Film.language), selectinload(Film.originalLanguage))))!;
console.log('film: ' + loaded.language!.name.trim() + ', ' + loaded.filmActors.map((fa) => fa.actor!.firstName).sort().join(', ') + ', original language: ' + (loaded.originalLanguage?.name ?? 'none'));
const language = (await session.scalar(select(Language).options(selectinload(Language.films))))!;
console.log('films in ' + language.name.trim() + ': ' + language.films.map((f) => f.title).join(', '));
await session.close();
await sakila.dispose();

const chinook = createEngine(process.env.CHINOOK_URL!);
const s = new Session(chinook);
const mediaType = new MediaType({ mediaTypeId: 9001, name: 'Pulled' });
const playlist = new Playlist({ playlistId: 9001, name: 'Pulled playlist' });
for (const [trackId, name] of [[90001, 'Balls to the Wall'], [90002, 'Fast As a Shark']] as const) {
  playlist.tracks.push(new Track({ trackId, name, mediaType, milliseconds: 1, unitPrice: '0.99' }));
}
const boss = new Employee({ employeeId: 9001, lastName: 'Adams', firstName: 'Andrew' });
boss.reportsToEmployees.push(new Employee({ employeeId: 9002, lastName: 'Edwards', firstName: 'Nancy' }));
s.add(playlist);
s.add(boss);
await s.commit();
const names = await s.scalars(select(Track.c.name).join(Track.playlists).where(Playlist.c.name.eq('Pulled playlist')).orderBy(Track.c.name));
console.log('tracks of Pulled playlist: ' + names.all().join(', '));
const shark = (await s.scalar(select(Track).where(Track.c.trackId.eq(90002)).options(selectinload(Track.playlists))))!;
console.log('playlists of ' + shark.name + ': ' + shark.playlists.map((p) => p.name).join(', '));
const nancy = (await s.scalar(select(Employee).where(Employee.c.employeeId.eq(9002)).options(selectinload(Employee.reportsToEmployee).selectinload(Employee.reportsToEmployees))))!;
const manager = nancy.reportsToEmployee!;
console.log(nancy.firstName + ' ' + nancy.lastName + ' reports to ' + manager.firstName + ' ' + manager.lastName + ', who manages ' + manager.reportsToEmployees.map((e) => e.lastName).join(', '));
await s.close();
await chinook.dispose();
`;

forEachDialect('cli: tsmig pull', function (dialect) {
  this.timeout(600_000);
  let project: TempProject;
  const databases = new Map<string, ThrowawayDatabase>();
  const tsmig = (db: ThrowawayDatabase, args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url } });

  /** Pulls `db` into models/NAME.ts, then checks the database against those models. */
  async function pullAndCheck(db: ThrowawayDatabase, name: string, args: readonly string[] = []): Promise<CliResult> {
    const pulled = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--out', `models/${name}.ts`, ...args]));
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
      // The same database as Core Tables checks clean too.
      await pullAndCheck(db, `${schema}-core`, ['--core']);
      expect(project.read(`models/${schema}-core.ts`)).to.include('export const metadata = new MetaData();').and.not.include('Base.model(');
    });
  }

  it('the pulled models load, and queries follow their relationships (Sakila film -> actors, Chinook playlist -> tracks, a manager)', async function () {
    if (!databases.has('sakila') || !databases.has('chinook')) this.skip();
    project.write('query.ts', QUERY_SCRIPT);
    const env = { ...process.env, SAKILA_URL: databases.get('sakila')!.url, CHINOOK_URL: databases.get('chinook')!.url };
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href, 'query.ts'], { cwd: project.dir, env, encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.equal(
      [
        'actors of ACADEMY DINOSAUR: GUINESS, WAHLBERG',
        'film: English, NICK, PENELOPE, original language: none',
        'films in English: ACADEMY DINOSAUR',
        'tracks of Pulled playlist: Balls to the Wall, Fast As a Shark',
        'playlists of Fast As a Shark: Pulled playlist',
        'Nancy Edwards reports to Andrew Adams, who manages Edwards',
        '',
      ].join('\n'),
    );
  });

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
    // Attributes in camelCase, each naming its column where they differ; constraints over attribute keys.
    expect(source).to.include("export class Things extends Base.model(\n  'things',\n  {\n");
    expect(source).to.match(/ {4}ownerId: mapped\(t\.BigInteger\(\), \{ name: 'owner_id', nullable: true, foreignKey: foreignKey\('owners\.id', \{ name: 'fk_things_owner_id_owners', onDelete: 'CASCADE' \}\) \}\),\n/);
    expect(source).to.include('static things = relationship(() => Things, { backPopulates: \'owner\' });\n  declare things: InstrumentedList<Things>;');
    expect(source).to.include('static owner = relationship(() => Owners, { backPopulates: \'things\' });\n  declare owner: Owners | null;');
    await pullAndCheck(db, 'every-core', ['--core']);
    expect(project.read('models/every-core.ts')).to.include("export const things = new Table(\n  'things',\n  metadata,\n");
    // The same as a folder: one file per table, base.ts (metadata.ts for Core Tables) and an index.
    for (const [args, folderName, first] of [
      [[], 'every-folder', "export { Base, metadata } from './base.js';\nexport { Owners } from './Owners.js';\n"],
      [['--core'], 'every-core-folder', "export { metadata } from './metadata.js';\nexport { owners } from './owners.js';\n"],
    ] as const) {
      const folder = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--out', `models/${folderName}/`, ...args]));
      expect(folder.stderr).to.match(new RegExp(`^Wrote 3 tables to 5 files in .*${folderName}\n`));
      expect(project.read(`models/${folderName}/index.ts`)).to.include(first);
      project.write(`check-${folderName}.config.ts`, `import { defineConfig } from 'tsmig';\nimport { metadata } from './models/${folderName}/index.js';\nexport default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });\n`);
      expect(ok(await tsmig(db, ['check', '-c', `check-${folderName}.config.ts`])).stdout).to.equal('No new upgrade operations detected.\n');
    }
  });

  it('identity and generated columns round-trip, an index on a generated column too', async () => {
    const db = await database('generated');
    const engine = createEngine(db.url);
    try {
      const m = new MetaData();
      new Table(
        'lines',
        m,
        {
          // PostgreSQL keeps the identity and its options; MySQL and SQLite make it the autoincrement key.
          id: column(t.Integer(), { primaryKey: true, identity: { always: dialect.name === 'postgresql', start: 100, increment: 5 } }),
          price: column(t.Integer(), { nullable: false }),
          qty: column(t.Integer(), { nullable: false }),
          total: column(t.Integer(), { computed: { sqltext: 'price * qty', persisted: true } }),
          // PostgreSQL has no VIRTUAL generated columns.
          ...(dialect.name === 'postgresql' ? {} : { half: column(t.Integer(), { computed: { sqltext: 'price / 2', persisted: false } }) }),
        },
        { constraints: (c) => [index('ix_lines_total', [c.total])] },
      );
      await m.createAll(engine);
    } finally {
      await engine.dispose();
    }
    await pullAndCheck(db, 'generated');
    const source = project.read('models/generated.ts');
    expect(source).to.match(/total: mapped\(t\.Integer\(\), \{ nullable: true, computed: \{ sqltext: '.*price.*qty.*', persisted: true \} \}\)/);
    if (dialect.name === 'postgresql') expect(source).to.include('identity: { always: true, start: 100, increment: 5 }');
    await pullAndCheck(db, 'generated-core', ['--core']);
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
    expect(r.stdout).to.include('export class Things extends Base.model(').and.not.include("'owners'").and.not.include("'pairs'");
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

  it('--casing names the classes, attributes and exported tables; a bad casing is a usage error', async () => {
    const db = databases.get('chinook')!;
    const tables = ['--tables', 'InvoiceLine,invoice_line'];
    const camel = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', ...tables]));
    expect(camel.stdout).to.match(/export class InvoiceLine extends Base\.model\(\n {2}'(InvoiceLine|invoice_line)',/);
    expect(camel.stdout).to.match(/ {4}invoiceLineId: mapped\(t\.\w+.*\{ name: '(InvoiceLineId|invoice_line_id)'/);
    const snake = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', ...tables, '--casing', 'snake']));
    expect(snake.stdout).to.match(/ {4}invoice_line_id: mapped\(t\.\w+/);
    const preserve = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', ...tables, '--casing', 'preserve']));
    expect(preserve.stdout).to.match(/ {4}(InvoiceLineId|invoice_line_id): mapped\(t\.\w+/).and.not.match(/name: '(InvoiceLineId|invoice_line_id)'/);
    const core = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', ...tables, '--core']));
    expect(core.stdout).to.match(/export const invoiceLine = new Table\(\n {2}'(InvoiceLine|invoice_line)',/);
    const coreSnake = ok(await tsmig(db, ['pull', '-c', 'pull.config.ts', '--dry-run', ...tables, '--core', '--casing', 'snake']));
    expect(coreSnake.stdout).to.include('export const invoice_line = new Table(');
    const bad = await tsmig(db, ['pull', '--casing', 'kebab']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('expected one of camel, snake, preserve.');
  });
});
