/**
 * Loading alembic.config.ts: where it is found, what every key defaults to, where the database URL comes
 * from (the environment, then .env, then the file; DATABASE_URL_<NAME> for a multidb database), and the
 * one-line errors for a missing, broken or incomplete configuration. No database is needed.
 */
import { expect } from 'chai';
import path from 'node:path';
import { ConfigError } from '../../src/migrate/config/config-error.js';
import { findConfigFile, loadConfig, parseXArgs, requireUrl } from '../../src/migrate/config/load-config.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';

const CONFIG = (body: string) => `import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', ${body} });\n`;

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('runtime: loading alembic.config.ts', () => {
  let project: TempProject;
  beforeEach(() => {
    project = createTempProject();
  });
  afterEach(() => project.remove());

  it('finds the file from a subfolder and fills in every default with absolute paths', async () => {
    project.write('alembic.config.ts', CONFIG("url: 'sqlite:///data/app.db'"));
    project.write('src/deep/x.txt', '');
    const config = await loadConfig({ cwd: project.path('src/deep'), env: {} });
    expect(config.configFile).to.equal(project.path('alembic.config.ts'));
    expect(config).to.deep.include({
      projectDir: project.dir,
      scriptLocation: project.path('migrations'),
      versionLocations: [project.path('migrations/versions')],
      fileTemplate: '%(rev)s_%(slug)s',
      truncateSlugLength: 40,
      timezone: null,
      versionTable: 'alembic_version',
      versionTableSchema: null,
      transactionPerMigration: false,
      lockTimeout: 60,
      postWriteHooks: [],
      databases: {},
      xArgs: {},
    });
    // A relative SQLite path is the project's, whatever folder the command runs from.
    expect(config.database?.url?.database).to.equal(project.path('data/app.db'));
    expect(config.database?.urlSource).to.equal('config');
  });

  it('takes DATABASE_URL from the environment first, then .env, then the file, and never shows the password', async () => {
    project.write('alembic.config.ts', CONFIG("url: 'postgresql://app:fromfile@db/shop'"));
    const fromFile = await loadConfig({ cwd: project.dir, env: {} });
    expect(String(fromFile.database?.url)).to.equal('postgresql://app:***@db/shop');
    project.write('.env', '# local settings\nDATABASE_URL="mysql://app:fromdotenv@localhost/shop"\nOTHER=1\n');
    const fromDotenv = await loadConfig({ cwd: project.dir, env: {} });
    expect(String(fromDotenv.database?.url)).to.equal('mysql://app:***@localhost/shop');
    expect(fromDotenv.database?.urlSource).to.equal('.env');
    expect(fromDotenv.environment['OTHER']).to.equal('1');
    const fromEnv = await loadConfig({ cwd: project.dir, env: { DATABASE_URL: 'sqlite://' } });
    expect(fromEnv.database?.urlSource).to.equal('environment');
    expect(fromEnv.database?.url?.isMemory).to.equal(true);
  });

  it('resolves the databases of a multidb project, DATABASE_URL_<NAME> first, and picks one with --name', async () => {
    project.write(
      'alembic.config.ts',
      CONFIG("databases: { engine1: { url: 'sqlite:///one.db' }, engine2: { url: 'sqlite:///two.db', urlEnv: 'SECOND_URL' } }"),
    );
    const all = await loadConfig({ cwd: project.dir, env: { DATABASE_URL_ENGINE1: 'sqlite:///env1.db', SECOND_URL: 'sqlite:///env2.db' } });
    expect(all.database).to.equal(null);
    expect(Object.keys(all.databases)).to.deep.equal(['engine1', 'engine2']);
    expect(all.databases['engine1']?.url?.database).to.equal(project.path('env1.db'));
    expect(all.databases['engine2']?.url?.database).to.equal(project.path('env2.db'));
    const one = await loadConfig({ cwd: project.dir, name: 'engine2', env: {} });
    expect(one.database?.name).to.equal('engine2');
    expect(one.database?.url?.database).to.equal(project.path('two.db'));
    expect((await failure(loadConfig({ cwd: project.dir, name: 'engine3', env: {} }))).message).to.equal(
      `--name engine3 names no database of ${project.path('alembic.config.ts')}; the databases are engine1, engine2.`,
    );
  });

  it('passes -x key=value pairs through', () => {
    expect(parseXArgs(['tenant=acme', 'dry', 'expr=a=b'])).to.deep.equal({ tenant: 'acme', dry: '', expr: 'a=b' });
    expect(() => parseXArgs(['=x'])).to.throw(ConfigError, '-x =x: expected key=value');
  });

  it('reads -c FILE relative to the working folder', async () => {
    project.write('config/tsmig.config.ts', CONFIG("url: 'sqlite://'"));
    const config = await loadConfig({ cwd: project.dir, configFile: 'config/tsmig.config.ts', env: {} });
    expect(config.scriptLocation).to.equal(project.path('config/migrations'));
    expect((await failure(loadConfig({ cwd: project.dir, configFile: 'nope.ts', env: {} }))).message).to.equal(
      `Config file ${project.path('nope.ts')} (from -c/--config) does not exist.`,
    );
  });

  it('says where it looked when there is no config file, and what to run', () => {
    const error = (() => {
      try {
        findConfigFile(project.dir);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).to.be.instanceOf(ConfigError);
    expect(error?.message).to.equal(
      `No alembic.config.ts found in ${project.dir} or any parent folder. Run \`tsmig init migrations\` to create a project, or pass -c FILE.`,
    );
  });

  it('names the file and the cause when the config fails to load', async () => {
    project.write('alembic.config.ts', "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', url: });\n");
    const error = await failure(loadConfig({ cwd: project.dir, env: {} }));
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.match(new RegExp(`^Could not load ${project.path('alembic.config.ts').replace(/[/.]/g, '\\$&')}: `));
    expect(error.message).not.to.include('\n');

    project.write('alembic.config.ts', "throw new Error('no secrets here');\n");
    expect((await failure(loadConfig({ cwd: project.dir, env: {} }))).message).to.include(': no secrets here');

    project.write('alembic.config.ts', 'export const x = 1;\n');
    expect((await failure(loadConfig({ cwd: project.dir, env: {} }))).message).to.include("must `export default defineConfig({ scriptLocation: 'migrations', ... })`");
  });

  it('rejects a bad URL where it is written, without the password', async () => {
    project.write('alembic.config.ts', CONFIG("url: 'postgresql://app:hunter2@db:notaport/shop'"));
    const error = await failure(loadConfig({ cwd: project.dir, env: {} }));
    expect(error.message).to.match(/^Bad database URL in url in .*alembic\.config\.ts: /);
    expect(error.message).not.to.include('hunter2');
    const fromEnv = await failure(loadConfig({ cwd: project.dir, env: { DATABASE_URL: 'oracle://x' } }));
    expect(fromEnv.message).to.match(/^Bad database URL in DATABASE_URL \(the environment\): /);
  });

  it('explains how to set a URL when there is none', async () => {
    project.write('alembic.config.ts', CONFIG(''));
    const config = await loadConfig({ cwd: project.dir, env: {} });
    expect(() => requireUrl(config.database!)).to.throw(
      ConfigError,
      'No database URL: set DATABASE_URL (in the environment or .env) or `url` in alembic.config.ts.',
    );
  });

  it('loads the TypeScript config of a CommonJS package', async () => {
    project.write('package.json', '{ "name": "app", "private": true }\n');
    project.write('models.ts', "import { MetaData } from 'tsmig';\nexport const metadata = new MetaData();\n");
    project.write('alembic.config.ts', "import { defineConfig } from 'tsmig';\nimport { metadata } from './models.js';\nexport default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });\n");
    const config = await loadConfig({ cwd: project.dir, env: {} });
    // (Mocha runs this file as CommonJS, so the config's MetaData is another instance of the class.)
    expect(config.database?.targetMetadata?.constructor.name).to.equal('MetaData');
  });

  it('names the file, line and column of a syntax error in a file the config imports', async () => {
    project.write('models.ts', 'export const x = (1;\n');
    project.write('alembic.config.ts', "import { x } from './models.js';\nexport default { scriptLocation: 'migrations', x };\n");
    const error = await failure(loadConfig({ cwd: project.dir, env: {} }));
    expect(error.message).to.match(/^Could not load .*alembic\.config\.ts: .*models\.ts:1:20: Expected "\)" but found ";"$/);
  });

  it('loads the file again once it changed', async () => {
    project.write('alembic.config.ts', CONFIG("url: 'sqlite:///one.db'"));
    expect((await loadConfig({ cwd: project.dir, env: {} })).database?.url?.database).to.equal(project.path('one.db'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    project.write('alembic.config.ts', CONFIG("url: 'sqlite:///two.db'"));
    expect((await loadConfig({ cwd: project.dir, env: {} })).database?.url?.database).to.equal(project.path('two.db'));
  });
});
