/**
 * The progress line of long runs (upgrade/downgrade of at least ten migrations, autogenerate over at
 * least ten tables): drawn and redrawn in place at the bottom of stderr on a terminal (a pseudo-terminal
 * made by util-linux `script`), kept under the lines printed meanwhile and erased at the end; never
 * written into a pipe, and not on a terminal when `CI` is set.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { type TestDialect, forEachDialect } from '../helpers/dialects.js';
import { type CliResult, runCommand, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, TSMIG_BIN, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const COUNT = 12;

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function revisionFile(i: number): string {
  const id = `p${String(i).padStart(11, '0')}`;
  const down = i === 1 ? 'null' : `'p${String(i - 1).padStart(11, '0')}'`;
  return `import { column, op, t } from 'tsmig';

export const revision = '${id}';
export const downRevision: string | readonly string[] | null = ${down};
export const branchLabels: string | readonly string[] | null = null;
export const dependsOn: string | readonly string[] | null = null;

export async function upgrade(): Promise<void> {
  await op.createTable('progress_${i}', { id: column(t.Integer(), { primaryKey: true }) });
}

export async function downgrade(): Promise<void> {
  await op.dropTable('progress_${i}');
}
`;
}

const ERASE = '\r\u001b[K';

/** Models of the tables the revisions create, for autogenerate to compare with (nothing differs). */
const MODELS = `import { MetaData, Table, column, t } from 'tsmig';
export const metadata = new MetaData();
for (let i = 1; i <= ${COUNT}; i++) new Table(\`progress_\${i}\`, metadata, { id: column(t.Integer(), { primaryKey: true }) });
`;
const AUTOGENERATE = ['-c', 'models.config.ts', 'revision', '--autogenerate', '-m', 'nothing', '--skip-empty'];

forEachDialect('cli: the progress line of long runs', function (dialect: TestDialect) {
  this.timeout(120_000);
  let project: TempProject;
  let db: ThrowawayDatabase;

  /** `tsmig args` on a pseudo-terminal: stdout and stderr both go to it, and come back as one text. */
  const onTerminal = (args: readonly string[], env: Record<string, string | undefined>): Promise<CliResult> => {
    const command = [process.execPath, TSMIG_BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    return runCommand('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: project.dir, env: { DATABASE_URL: db.url, COLUMNS: '200', ...env } });
  };

  before(async function () {
    if (!hasScript()) this.skip();
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'progress');
    project.write('alembic.config.ts', "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n");
    project.write('migrations/env.ts', "import type { Environment } from 'tsmig';\nexport default async function run(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n");
    for (let i = 1; i <= COUNT; i++) project.write(`migrations/versions/p${i}.ts`, revisionFile(i));
    project.write('models.ts', MODELS);
    project.write('models.config.ts', "import { defineConfig } from 'tsmig';\nimport { metadata } from './models.js';\nexport default defineConfig({ scriptLocation: 'migrations', targetMetadata: metadata });\n");
  });
  after(async () => {
    project?.remove();
    await db?.drop();
  });

  it('a pipe gets the step lines only', async () => {
    const up = await runTsmig(['upgrade', 'head'], { cwd: project.dir, env: { DATABASE_URL: db.url, CI: undefined } });
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stderr.split('\n').filter((l) => l.startsWith('Running upgrade'))).to.have.length(COUNT);
    expect(up.stderr).not.to.include('\r').and.not.to.include('/s · ETA');
    const down = await runTsmig(['downgrade', 'base'], { cwd: project.dir, env: { DATABASE_URL: db.url, CI: undefined } });
    expect(down.code, down.stderr).to.equal(0);
    expect(down.stderr).not.to.include('\r').and.not.to.include('/s · ETA');
  });

  it('a terminal gets a progress line, redrawn in place and erased at the end', async () => {
    const up = await onTerminal(['upgrade', 'head'], { CI: undefined });
    expect(up.code, up.stdout).to.equal(0);
    const text = up.stdout;
    expect(text).to.include(`upgrade 1/${COUNT} · ?/s · ETA ?`);
    expect(text).to.match(new RegExp(`upgrade ${COUNT}/${COUNT} · [0-9.]+/s · ETA \\d+ s`));
    // Each step line starts after the progress line was erased, and the run ends with it erased.
    expect(text).to.include(`${ERASE}`);
    expect(text.trimEnd().endsWith(ERASE.trim()) || text.replace(/\r?\n$/, '').endsWith(ERASE)).to.equal(true);
    const down = await onTerminal(['downgrade', 'base'], { CI: undefined });
    expect(down.code, down.stdout).to.equal(0);
    expect(down.stdout).to.match(new RegExp(`downgrade ${COUNT}/${COUNT} · `));
  });

  it('a terminal with CI set gets no progress line', async () => {
    const up = await onTerminal(['upgrade', 'head'], { CI: 'true' });
    expect(up.code, up.stdout).to.equal(0);
    expect(up.stdout).not.to.include('/s · ETA').and.not.to.include(ERASE);
    expect(up.stdout.split('\n').filter((l) => l.includes('Running upgrade'))).to.have.length(COUNT);
    const down = await onTerminal(['downgrade', 'base'], { CI: 'true' });
    expect(down.code, down.stdout).to.equal(0);
  });

  it('autogenerate over many tables: a progress line on a terminal, none in a pipe or with CI set', async () => {
    expect((await runTsmig(['upgrade', 'head'], { cwd: project.dir, env: { DATABASE_URL: db.url } })).code).to.equal(0);
    const piped = await runTsmig(AUTOGENERATE, { cwd: project.dir, env: { DATABASE_URL: db.url, CI: undefined } });
    expect(piped.code, piped.stderr).to.equal(0);
    expect(piped.stderr).to.equal('No changes in schema detected.\nNothing written (--skip-empty).\n');
    const tty = await onTerminal(AUTOGENERATE, { CI: undefined });
    expect(tty.code, tty.stdout).to.equal(0);
    expect(tty.stdout).to.include(`${ERASE}compare 0/${COUNT} tables · ?/s · ETA ?`);
    expect(tty.stdout).to.match(new RegExp(`compare ${COUNT}/${COUNT} tables · [0-9.]+/s · ETA 0 s${ERASE.replace('[', '\\[')}No changes in schema detected`));
    const ci = await onTerminal(AUTOGENERATE, { CI: 'true' });
    expect(ci.code, ci.stdout).to.equal(0);
    expect(ci.stdout).not.to.include('/s · ETA').and.not.to.include(ERASE);
    expect((await runTsmig(['downgrade', 'base'], { cwd: project.dir, env: { DATABASE_URL: db.url } })).code).to.equal(0);
  });
});
