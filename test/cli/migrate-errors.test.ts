/**
 * Every bad input of the run commands through the real CLI: one line on stderr naming the problem and
 * the next step, exit 1 (exit 2 for usage errors), nothing on stdout. SQLite only: none of these gets as
 * far as a server, except a database that is not there, on every dialect.
 */
import { expect } from 'chai';
import { parseDatabaseUrl } from '../../src/engine/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { runTsmig, type CliResult } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';

const CONFIG = "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', url: 'sqlite:///app.db' });\n";
const ENV = "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n";

function revision(id: string, down: string | null): string {
  return `/**\n * rev ${id}\n */\nexport const revision = '${id}';\nexport const downRevision = ${down === null ? 'null' : `'${down}'`};\nexport async function upgrade(): Promise<void> {}\nexport async function downgrade(): Promise<void> {}\n`;
}

/** The result's one error line, after checking the exit code and that nothing else was printed. */
function failure(result: CliResult, code = 1): string {
  expect(result.code, result.stderr).to.equal(code);
  expect(result.stdout).to.equal('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  return lines[0]!;
}

describe('cli: bad input to the run commands', function () {
  this.timeout(60_000);
  let project: TempProject;
  const tsmig = (args: readonly string[], env: Record<string, string | undefined> = {}) => runTsmig(args, { cwd: project.dir, env });

  beforeEach(() => {
    project = createTempProject();
  });
  afterEach(() => project.remove());

  it('no config: says where it looked and to run tsmig init', async () => {
    expect(failure(await tsmig(['upgrade', 'head']))).to.equal(
      `error: No alembic.config.ts found in ${project.dir} or any parent folder. Run \`tsmig init migrations\` to create a project, or pass -c FILE.`,
    );
  });

  it('a config that fails to load, a missing env.ts, an env.ts that does nothing', async () => {
    project.write('alembic.config.ts', "export default { scriptLocation: 'migrations', url: 'sqlite:///app.db' ");
    expect(failure(await tsmig(['current']))).to.match(/^error: Could not load .*alembic\.config\.ts: /);
    project.write('alembic.config.ts', CONFIG);
    project.write('migrations/versions/a1.ts', revision('a1', null));
    expect(failure(await tsmig(['current']))).to.equal(
      `error: No env.ts in ${project.path('migrations')} (scriptLocation of ${project.path('alembic.config.ts')}). Run \`tsmig init\` to create the folder, or fix scriptLocation.`,
    );
    project.write('migrations/env.ts', 'export default async function env(): Promise<void> {}\n');
    expect(failure(await tsmig(['upgrade', 'head']))).to.equal(
      `error: ${project.path('migrations/env.ts')} finished without calling ctx.runMigrations(), so the command did nothing.`,
    );
  });

  it('a syntax error in a model or revision file: file:line:col and the message, without --verbose', async () => {
    project.write('models.ts', "import { MetaData } from 'tsmig';\nexport const metadata = new MetaData();\nconst x = (1 + ;\n");
    project.write(
      'alembic.config.ts',
      "import { defineConfig } from 'tsmig';\nimport { metadata } from './models.js';\nexport default defineConfig({ scriptLocation: 'migrations', url: 'sqlite:///app.db', targetMetadata: metadata });\n",
    );
    project.write('migrations/env.ts', ENV);
    project.write('migrations/versions/a1.ts', revision('a1', null).replace('upgrade(): Promise<void> {}', 'upgrade(): Promise<void> { op.( }'));
    expect(failure(await tsmig(['history']))).to.equal(`error: Could not load ${project.path('alembic.config.ts')}: models.ts:3:16: Unexpected ";"`);
    project.write('models.ts', "import { MetaData } from 'tsmig';\nexport const metadata = new MetaData();\n");
    expect(failure(await tsmig(['upgrade', 'head']))).to.equal(
      `error: Revision file ${project.path('migrations/versions/a1.ts')} failed to load: migrations/versions/a1.ts:6:53: Expected identifier but found "("`,
    );
  });

  it('a bad or missing database URL, never showing the password', async () => {
    project.write('alembic.config.ts', "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n");
    project.write('migrations/env.ts', ENV);
    project.write('migrations/versions/a1.ts', revision('a1', null));
    expect(failure(await tsmig(['upgrade', 'head']))).to.equal(
      'error: No database URL: set DATABASE_URL (in the environment or .env) or `url` in alembic.config.ts.',
    );
    const bad = failure(await tsmig(['upgrade', 'head'], { DATABASE_URL: 'postgresql://app:s3cret@db:port/shop' }));
    expect(bad).to.match(/^error: Bad database URL in DATABASE_URL \(the environment\): /);
    expect(bad).not.to.include('s3cret');
    const unreachable = failure(await tsmig(['upgrade', 'head'], { DATABASE_URL: 'postgresql://app:s3cret@127.0.0.1:1/shop?connect_timeout=2' }));
    expect(unreachable).to.match(/^error: Could not connect to postgresql:\/\/app:\*\*\*@127\.0\.0\.1:1\/shop/);
    expect(unreachable).not.to.include('s3cret');
  });

  it('an unknown revision, an ambiguous partial id, several heads, a range online', async () => {
    project.write('alembic.config.ts', CONFIG);
    project.write('migrations/env.ts', ENV);
    project.write('migrations/versions/abcd12.ts', revision('abcd12', null));
    project.write('migrations/versions/abcd34.ts', revision('abcd34', 'abcd12'));
    project.write('migrations/versions/abef56.ts', revision('abef56', 'abcd12'));
    expect(failure(await tsmig(['upgrade', 'zzzz']))).to.match(/^error: .*'zzzz'/);
    expect(failure(await tsmig(['upgrade', 'abcd']))).to.match(/^error: Revision 'abcd' is ambiguous: it matches abcd12, abcd34/);
    expect(failure(await tsmig(['upgrade', 'head']))).to.match(/^error: Multiple heads: abcd34, abef56\. .*merge/);
    expect(failure(await tsmig(['upgrade', 'abcd12:head']))).to.equal(
      'error: upgrade abcd12:head: a range from:to is for --sql only; online, the database says where it starts.',
    );
    expect(failure(await tsmig(['downgrade', 'base', '--sql']))).to.equal(
      'error: downgrade --sql needs a range from:to (the revision the database is at, and the target), e.g. head:base.',
    );
    // Nothing above touched the database.
    expect((await tsmig(['current'])).stdout).to.equal('');
  });

  it('usage errors exit 2', async () => {
    project.write('alembic.config.ts', CONFIG);
    const missing = await tsmig(['upgrade']);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("missing required argument 'revision'");
    const timeout = await tsmig(['upgrade', 'head', '--lock-timeout', 'soon']);
    expect(timeout.code).to.equal(2);
    expect(timeout.stderr).to.include('expected a number of seconds >= 0.');
    expect((await tsmig(['stamp', '--purgee', 'head'])).code).to.equal(2);
  });
});

// The built CLI's drivers are bundled (dist/*.cjs): the server's answer still reaches the message by its
// name (mysql2 builds its table of error names only when an error first reads it).
forEachDialect('cli: a database that is not there', function (dialect) {
  this.timeout(60_000);
  let project: TempProject;

  beforeEach(() => {
    project = createTempProject();
    project.write('alembic.config.ts', "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n");
    project.write('migrations/env.ts', ENV);
  });
  afterEach(() => project.remove());

  it('is named, with what to do, in one line', async () => {
    const url = dialect.name === 'sqlite' ? `sqlite:///${project.path('missing/app.db')}` : parseDatabaseUrl(dialect.url).with({ database: 'tsmig_no_such_database' }).render({ hidePassword: false });
    const line = failure(await runTsmig(['current'], { cwd: project.dir, env: { DATABASE_URL: url } }));
    if (dialect.name === 'sqlite') expect(line).to.include(`directory "${project.path('missing')}" does not exist`);
    else expect(line).to.match(/database "tsmig_no_such_database" does not exist on .*; create it or fix the database name in the URL$/);
  });
});
