/**
 * Offline scripts that every database client runs as written (a NUL character escaped, MySQL's script
 * in utf8mb4), `t.Text(length)` big enough for its values, and bad model input refused where it is
 * defined, with one line naming it: through the real CLI on each dialect.
 */
import { expect } from 'chai';
import { createEngine } from '../../src/engine/engine.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect } from '../helpers/dialects.js';
import { applyWithClient } from '../helpers/native-client.js';
import { type CliResult, ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const ENV = "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n";

function config(extra = ''): string {
  return `import { defineConfig } from 'tsmig';\n${extra}export default defineConfig({ scriptLocation: 'migrations'${extra === '' ? '' : ', targetMetadata'} });\n`;
}

/** One revision: a `notes` table with a text column of `textType`, and rows of `values`. */
function notesRevision(textType: string, values: readonly string[]): string {
  return [
    "import { MetaData, Table, column, op, t } from 'tsmig';",
    '/**',
    ' * notes',
    ' */',
    "export const revision = 'aaaa0001';",
    'export const downRevision = null;',
    `const notes = new Table('notes', new MetaData(), { id: column(t.Integer(), { primaryKey: true }), body: column(${textType}) });`,
    'export async function upgrade(): Promise<void> {',
    `  await op.createTable('notes', { id: column(t.Integer(), { primaryKey: true }), body: column(${textType}) });`,
    `  await op.bulkInsert(notes, ${JSON.stringify(values.map((body, i) => ({ id: i + 1, body })))});`,
    '}',
    "export async function downgrade(): Promise<void> { await op.dropTable('notes'); }",
    '',
  ].join('\n');
}

function oneErrorLine(result: CliResult): string {
  expect(result.code, result.stderr).to.equal(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  return lines[0]!;
}

forEachDialect('cli: offline scripts and model input', function (dialect) {
  this.timeout(180_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url } });

  async function bodies(): Promise<string[]> {
    const engine = createEngine(db.url);
    try {
      const rows = await engine.connect((c) => c.execute(text('SELECT body FROM notes ORDER BY id')));
      return rows.all().map((r) => String((r as unknown as { body: string }).body));
    } finally {
      await engine.dispose();
    }
  }

  beforeEach(async () => {
    project = createTempProject();
    project.write('alembic.config.ts', config());
    project.write('migrations/env.ts', ENV);
    db = await createThrowawayDatabase(dialect, 'script_input');
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  it('a NUL character is escaped in the script (refused on PostgreSQL, whose text cannot hold one), and MySQL starts with SET NAMES utf8mb4', async () => {
    project.write('migrations/versions/aaaa0001.ts', notesRevision('t.String(40)', ['a\u0000b', 'clap 👏 it', "it's"]));
    const script = await tsmig(['upgrade', 'head', '--sql']);
    if (dialect.name === 'postgresql') {
      expect(script.code).to.equal(1);
      expect(script.stderr.trimEnd().split('\n').at(-1)).to.match(/^error: Writing the SQL of Upgrade base -> aaaa0001 failed: The string "a\\u0000b" contains a NUL character, which this database cannot store in text; remove it, or store the value as binary\.$/);
      return;
    }
    ok(script);
    expect(script.stdout).not.to.include('\u0000');
    if (dialect.name === 'mysql') expect(script.stdout.startsWith('SET NAMES utf8mb4;\n')).to.equal(true);
    ok(await applyWithClient(dialect, db.url, script.stdout, project.dir));
    expect(await bodies()).to.deep.equal(['a\u0000b', 'clap 👏 it', "it's"]);
  });

  it('t.Text(length) holds a value of that length (MEDIUMTEXT on MySQL)', async () => {
    const big = 'x'.repeat(1_000_000);
    project.write('migrations/versions/aaaa0001.ts', notesRevision('t.Text(1_000_000)', [big]));
    const script = ok(await tsmig(['upgrade', 'head', '--sql']));
    if (dialect.name === 'mysql') expect(script.stdout).to.include('body MEDIUMTEXT');
    else expect(script.stdout).to.match(/body TEXT[,\n]/);
    ok(await tsmig(['upgrade', 'head']));
    expect((await bodies())[0]!.length).to.equal(1_000_000);
  });

  it('bad model input is refused where it is defined, in one line naming it', async () => {
    project.write('migrations/versions/.keep', '');
    const cases: [string, RegExp][] = [
      ["t.Enum([] as string[])", /t\.Enum\(\) needs a non-empty array of strings, e\.g\. t\.Enum\(\['draft', 'published'\]\); got \[\]\./],
      ["t.Enum(undefined as unknown as string[])", /t\.Enum\(\) needs a non-empty array of strings.*; got nothing\./],
      ['t.String(-5)', /t\.String\(\): the length must be a whole number >= 1, got -5\./],
      ['t.Numeric(10, 2.5)', /t\.Numeric\(\): the scale must be a whole number >= 0, got 2\.5\./],
    ];
    for (const [type, message] of cases) {
      project.write('models.ts', `import { MetaData, Table, column, t } from 'tsmig';\nexport const metadata = new MetaData();\nnew Table('things', metadata, { id: column(t.Integer(), { primaryKey: true }), x: column(${type}) });\n`);
      project.write('alembic.config.ts', config("import { metadata as targetMetadata } from './models.js';\n"));
      expect(oneErrorLine(await tsmig(['revision', '--autogenerate', '-m', 'things']))).to.match(message);
    }
    project.write('models.ts', "import { DeclarativeBase } from 'tsmig';\nexport class Base extends DeclarativeBase {}\n");
    project.write('alembic.config.ts', config("import { Base as targetMetadata } from './models.js';\n"));
    expect(oneErrorLine(await tsmig(['revision', '--autogenerate', '-m', 'things']))).to.equal(
      `error: targetMetadata in ${project.path('alembic.config.ts')} must be a MetaData or a list of them, e.g. Base.metadata; got the class Base (pass Base.metadata).`,
    );
  });
});
