/**
 * `--all`: one command on many databases, through the real CLI on each dialect. The targets are one SQLite
 * file per tenant, one PostgreSQL schema per tenant (search_path and the version table in the schema) and
 * one MySQL database per tenant on one server. A failing target leaves the others done and the exit code
 * says so; running again does only what is left; `--fail-fast` starts nothing after a failure; `--json`
 * and `--targets-file`; current, status, check, stamp and downgrade over the same targets; no progress
 * line in a pipe.
 */
import { expect } from 'chai';
import { mkdirSync, rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { main } from '../../src/cli/main.js';
import { getDialect } from '../../src/dialects/index.js';
import { createEngine } from '../../src/engine/engine.js';
import { parseDatabaseUrl } from '../../src/engine/url.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect, type TestDialect, tsmigTables } from '../helpers/dialects.js';
import { type CliResult, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const TENANTS = ['a', 'b', 'c', 'd'] as const;

function revisionFile(id: string, down: string | null): string {
  return `/**
 * table ${id}
 *
 * Revision ID: ${id}
 * Revises: ${down ?? ''}
 */
import { column, op, t } from 'tsmig';

export const revision = '${id}';
export const downRevision = ${down === null ? 'null' : `'${down}'`};

export async function upgrade(): Promise<void> {
  await op.createTable('t_${id}', { id: column(t.Integer(), { primaryKey: true }) });
}

export async function downgrade(): Promise<void> {
  await op.dropTable('t_${id}');
}
`;
}

const ENV = `import type { Environment } from 'tsmig';
export default async function env(ctx: Environment): Promise<void> {
  await ctx.withConnection(async (connection) => ctx.runMigrations({ connection }));
}
`;

/** Where each dialect keeps its tenants, and how a test reaches one. */
interface Tenants {
  /** The `targets` of alembic.config.ts. */
  readonly config: string;
  /** The tables of one tenant, sorted. */
  tables(tenant: string): Promise<string[]>;
  /** Runs SQL in one tenant; `{t}` stands for the tenant's qualifier (`"b".` on PostgreSQL). */
  exec(tenant: string, sql: string): Promise<void>;
  /** One URL per tenant, for --targets-file. */
  urls(): string[];
  drop(): Promise<void>;
}

async function sqliteTenants(project: TempProject): Promise<Tenants> {
  mkdirSync(project.path('tenants'), { recursive: true });
  const url = (tenant: string) => `sqlite:///${project.path(`tenants/${tenant}.db`)}`;
  return {
    // Objects with names, and one bare URL string (named by its path in the project).
    config: `[${TENANTS.map((x) => `{ name: '${x}', url: 'sqlite:///tenants/${x}.db' }`).join(', ')}]`,
    tables: (tenant) => withEngine(url(tenant), async (engine) => (await engine.reflectSchema()).tables.map((t) => t.name).sort()),
    exec: (tenant, sql) => withEngine(url(tenant), async (engine) => { await engine.begin((c) => c.execute(text(sql.replaceAll('{t}', '')))); }),
    urls: () => TENANTS.map(url),
    drop: async () => undefined,
  };
}

async function postgresqlTenants(db: ThrowawayDatabase): Promise<Tenants> {
  await withEngine(db.url, (engine) => engine.begin(async (c) => {
    for (const x of TENANTS) await c.execute(text(`CREATE SCHEMA "${x}"`));
  }));
  return {
    // A function, as a project reading its tenants table would write; the server is DATABASE_URL.
    config: `{ schemas: async () => ${JSON.stringify(TENANTS)} }`,
    tables: (tenant) => withEngine(db.url, async (engine) => (await engine.reflectSchema(tenant)).tables.map((t) => t.name).sort()),
    exec: (tenant, sql) => withEngine(db.url, async (engine) => { await engine.begin((c) => c.execute(text(sql.replaceAll('{t}', `"${tenant}".`)))); }),
    urls: () => TENANTS.map((x) => `${db.url}?options=${encodeURIComponent(`-c search_path=${x}`)}`),
    drop: async () => undefined,
  };
}

async function mysqlTenants(dialect: TestDialect): Promise<Tenants> {
  const prefix = `tsmig_i18a_${Math.random().toString(36).slice(2, 7)}`;
  const server = parseDatabaseUrl(dialect.url);
  const admin = () =>
    mysql.createConnection({ host: server.host ?? 'localhost', port: server.effectivePort ?? 3306, user: server.username ?? undefined, password: server.password ?? undefined });
  const onServer = async (sql: string) => {
    const c = await admin();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  for (const x of TENANTS) await onServer(`CREATE DATABASE \`${prefix}_${x}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = (tenant: string) => server.with({ database: `${prefix}_${tenant}` }).render({ hidePassword: false });
  return {
    // A function returning { name, url, schema }: the schema (a database on MySQL) replaces the URL's.
    config: `async () => ${JSON.stringify(TENANTS.map((x) => ({ name: x, url: dialect.url, schema: `${prefix}_${x}` })))}`,
    tables: (tenant) => withEngine(url(tenant), async (engine) => (await engine.reflectSchema()).tables.map((t) => t.name).sort()),
    exec: (tenant, sql) => withEngine(url(tenant), async (engine) => { await engine.begin((c) => c.execute(text(sql.replaceAll('{t}', '')))); }),
    urls: () => TENANTS.map(url),
    drop: async () => {
      for (const x of TENANTS) await onServer(`DROP DATABASE IF EXISTS \`${prefix}_${x}\``);
    },
  };
}

async function withEngine<T>(url: string, work: (engine: ReturnType<typeof createEngine>) => Promise<T>): Promise<T> {
  const engine = createEngine(url);
  try {
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}

interface JsonReport {
  ok: boolean;
  command: string;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  targets: { target: string; status: string; result?: unknown; error?: string; reason?: string; schema: string | null }[];
}

function report(r: CliResult): JsonReport {
  return JSON.parse(r.stdout) as JsonReport;
}

forEachDialect('cli: one command on many databases (--all)', function (dialect) {
  this.timeout(180_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  let tenants: Tenants;
  const tsmig = (args: readonly string[]) => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url } });
  const heads = async () => {
    const r = await tsmig(['current', '--all', '--json']);
    return Object.fromEntries(report(r).targets.map((t) => [t.target, (t.result as { revisions: string[] }[])[0]!.revisions.join(',')]));
  };

  before(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'i18a_fleet');
    tenants = dialect.name === 'sqlite' ? await sqliteTenants(project) : dialect.name === 'postgresql' ? await postgresqlTenants(db) : await mysqlTenants(dialect);
    project.write('alembic.config.ts', `import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations', targets: ${tenants.config} });\n`);
    project.write('migrations/env.ts', ENV);
    ['c1', 'c2', 'c3'].forEach((id, i, ids) => project.write(`migrations/versions/${id}.ts`, revisionFile(id, i === 0 ? null : ids[i - 1]!)));
  });
  after(async () => {
    project.remove();
    await tenants.drop();
    await db.drop();
  });

  it('upgrade head --all: every tenant at head, each with its own version table; a pipe gets no progress line', async () => {
    const r = await tsmig(['upgrade', 'head', '--all', '--concurrency', '3']);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4).map((l) => l.replace(/\(\d+ ms\)/, '(N ms)'))).to.deep.equal(TENANTS.map((x) => `ok       ${x}  base -> c3 (3 migrations) (N ms)`));
    expect(lines[4]).to.match(/^4 targets: 4 succeeded, 0 failed in \d+\.\d s\.$/);
    expect(r.stderr).to.equal('');
    for (const x of TENANTS) expect(await tenants.tables(x)).to.deep.equal([...tsmigTables(dialect.name), 't_c1', 't_c2', 't_c3']);
    if (dialect.name === 'postgresql') {
      // Nothing in the server's default schema: search_path and the version table are the tenant's.
      expect(await tenants.tables('public')).to.deep.equal([]);
    }
    expect(await heads()).to.deep.equal({ a: 'c3', b: 'c3', c: 'c3', d: 'c3' });
  });

  it('downgrade, stamp and status --all; a failing tenant leaves the others done, exit 1; running again does what is left', async () => {
    let r = await tsmig(['downgrade', 'c1', '--all']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('ok       b  c3 -> c1 (2 migrations)');
    r = await tsmig(['status', '--all']);
    expect(r.code).to.equal(3);
    expect(r.stdout).to.include('ok       a  pending: 2 revisions (at c1)');
    expect(r.stderr).to.equal('error: 4 of 4 targets are not up to date (the worst: pending). Run `tsmig upgrade head --all` for pending revisions.\n');

    // Tenant b already has a table c2 creates: its upgrade fails, the others reach head.
    await tenants.exec('b', 'CREATE TABLE {t}t_c2 (id INTEGER)');
    r = await tsmig(['upgrade', 'head', '--all', '--concurrency', '2']);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/\nfailed   b  .*t_c2/);
    expect(r.stdout).to.match(/4 targets: 3 succeeded, 1 failed in/);
    expect(r.stderr).to.equal('error: 1 of 4 targets failed (b). Fix them and run the command again; the targets that succeeded are done.\n');
    // SQLite and PostgreSQL roll b's run back; MySQL keeps nothing of c2 either, since CREATE TABLE failed first.
    expect(await heads()).to.deep.equal({ a: 'c3', b: 'c1', c: 'c3', d: 'c3' });

    await tenants.exec('b', 'DROP TABLE {t}t_c2');
    r = await tsmig(['upgrade', 'head', '--all', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const json = report(r);
    expect(json).to.include({ ok: true, command: 'upgrade', total: 4, succeeded: 4, failed: 0, skipped: 0 });
    expect(json.targets.map((t) => [t.target, t.status, t.result])).to.deep.equal([
      ['a', 'succeeded', [{ headsBefore: ['c3'], headsAfter: ['c3'], steps: 0 }]],
      ['b', 'succeeded', [{ headsBefore: ['c1'], headsAfter: ['c3'], steps: 2 }]],
      ['c', 'succeeded', [{ headsBefore: ['c3'], headsAfter: ['c3'], steps: 0 }]],
      ['d', 'succeeded', [{ headsBefore: ['c3'], headsAfter: ['c3'], steps: 0 }]],
    ]);
    r = await tsmig(['status', '--all', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    expect(report(r).targets.every((t) => (t.result as { state: string }[])[0]!.state === 'up-to-date')).to.equal(true);

    r = await tsmig(['stamp', 'c2', '--all']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('ok       d  c3 -> c2 (stamped)');
    expect(await heads()).to.deep.equal({ a: 'c2', b: 'c2', c: 'c2', d: 'c2' });
    r = await tsmig(['current', '--all', '--check-heads']);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('failed   a  not at head: at c2, the head(s): c3');
    expect((await tsmig(['stamp', 'head', '--all'])).code).to.equal(0);
  });

  it('--fail-fast starts no tenant after the first failure; the report says which did not start', async () => {
    await tenants.exec('a', 'CREATE TABLE {t}t_c4 (id INTEGER)');
    project.write('migrations/versions/c4.ts', revisionFile('c4', 'c3'));
    try {
      const r = await tsmig(['upgrade', 'head', '--all', '--concurrency', '1', '--fail-fast']);
      expect(r.code).to.equal(1);
      expect(r.stdout, r.stdout).to.match(/^failed   a  /);
      expect(r.stdout, r.stdout).to.include('skipped  b  not started: --fail-fast after a failure');
      expect(r.stdout).to.match(/4 targets: 0 succeeded, 1 failed, 3 not started in/);
      expect(r.stderr).to.equal('error: 1 of 4 targets failed (a), 3 not started. Fix them and run the command again; the targets that succeeded are done.\n');
      expect(await heads()).to.deep.equal({ a: 'c3', b: 'c3', c: 'c3', d: 'c3' });
    } finally {
      rmSync(project.path('migrations/versions/c4.ts'));
      await tenants.exec('a', 'DROP TABLE {t}t_c4');
    }
  });

  it('a kill -9 during upgrade --all leaves each tenant as its version table says; running again does the rest', async () => {
    project.write('migrations/versions/c4.ts', revisionFile('c4', 'c3'));
    // c5 stops for a long while in the third tenant it runs in (the run is one tenant at a time): the kill comes then.
    project.write(
      'migrations/versions/c5.ts',
      revisionFile('c5', 'c4').replace(
        'export async function upgrade(): Promise<void> {',
        `export async function upgrade(): Promise<void> {
  const { appendFileSync, readFileSync } = await import('node:fs');
  appendFileSync('c5.log', 'started\\n');
  if (process.env['SLEEP_IN_THIRD'] === '1' && readFileSync('c5.log', 'utf8').split('\\n').length > 3) {
    process.stderr.write('c5 is sleeping\\n');
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }`,
      ),
    );
    try {
      const killed = await runTsmig(['upgrade', 'head', '--all', '--concurrency', '1'], {
        cwd: project.dir,
        env: { DATABASE_URL: db.url, SLEEP_IN_THIRD: '1' },
        onStart: (child) => child.stderr!.on('data', (chunk: Buffer | string) => String(chunk).includes('c5 is sleeping') && child.kill('SIGKILL')),
      });
      expect(killed.code, killed.stderr).to.equal(-1);
      // a and b are done; c was in c5 (SQLite and PostgreSQL roll its whole run back; MySQL has committed c4); d never started.
      const found = await heads();
      expect(found).to.deep.equal({ a: 'c5', b: 'c5', c: getDialect(dialect.name).capabilities.transactionalDdl ? 'c3' : 'c4', d: 'c3' });
      const revisions = ['c1', 'c2', 'c3', 'c4', 'c5'];
      for (const x of TENANTS) {
        const applied = revisions.slice(0, revisions.indexOf(found[x]!) + 1);
        expect(await tenants.tables(x), x).to.deep.equal([...tsmigTables(dialect.name), ...applied.map((id) => `t_${id}`)].sort());
      }
      const again = await tsmig(['upgrade', 'head', '--all', '--json']);
      expect(again.code, again.stderr).to.equal(0);
      expect(report(again).targets.map((t) => (t.result as { steps: number }[])[0]!.steps)).to.deep.equal([0, 0, getDialect(dialect.name).capabilities.transactionalDdl ? 2 : 1, 2]);
      for (const x of TENANTS) expect(await tenants.tables(x), x).to.deep.equal([...tsmigTables(dialect.name), ...revisions.map((id) => `t_${id}`)].sort());
    } finally {
      expect((await tsmig(['downgrade', 'c3', '--all'])).code).to.equal(0);
      rmSync(project.path('migrations/versions/c4.ts'));
      rmSync(project.path('migrations/versions/c5.ts'));
    }
  });

  if (dialect.name === 'postgresql') {
    it("the schemas of one server share its connections: four tenants at --concurrency 2 run on two backends, each in its own schema", async () => {
      project.write(
        'migrations/versions/c4.ts',
        revisionFile('c4', 'c3').replace(
          "await op.createTable('t_c4', { id: column(t.Integer(), { primaryKey: true }) });",
          "await op.createTable('t_c4', { id: column(t.Integer(), { primaryKey: true }) });\n  await op.execute('INSERT INTO t_c4 (id) SELECT pg_backend_pid()');",
        ),
      );
      try {
        const r = await tsmig(['upgrade', 'head', '--all', '--concurrency', '2']);
        expect(r.code, r.stderr).to.equal(0);
        const pids = await withEngine(db.url, (engine) =>
          engine.connect(async (c) => Promise.all(TENANTS.map(async (x) => Number((await c.execute(text(`SELECT id FROM "${x}".t_c4`))).scalar())))),
        );
        expect(new Set(pids).size).to.be.at.most(2);
      } finally {
        expect((await tsmig(['downgrade', 'c3', '--all'])).code).to.equal(0);
        rmSync(project.path('migrations/versions/c4.ts'));
      }
    });
  }

  it('--targets-file names the databases instead (one URL per line, comments skipped); check --all compares each with the models', async () => {
    project.write('targets.txt', `# every tenant\n${tenants.urls().map((u, i) => (i === 0 ? `first=${u}` : u)).join('\n')}\n\n`);
    const r = await tsmig(['current', '--targets-file', 'targets.txt', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const json = report(r);
    expect(json.total).to.equal(4);
    expect(json.targets[0]!.target).to.equal('first');
    // Passwords never show in a target's name or URL.
    expect(json.targets.every((t) => !t.target.includes(':') || !/:[^*@/]+@/.test(t.target))).to.equal(true);
    expect(json.targets.map((t) => (t.result as { revisions: string[] }[])[0]!.revisions)).to.deep.equal([['c3'], ['c3'], ['c3'], ['c3']]);
    // Without models there is nothing to compare: check says so for each tenant.
    const c = await tsmig(['check', '--all']);
    expect(c.code).to.equal(1);
    expect(c.stdout).to.match(/^failed   a  .*targetMetadata/m);
  });

  it('a terminal gets a progress line (done, failed, left, rate, ETA) redrawn in place and cleared; CI gets none', async () => {
    const inProcess = async (env: Record<string, string>) => {
      let stdout = '';
      let stderr = '';
      const saved = process.env['DATABASE_URL'];
      process.env['DATABASE_URL'] = db.url;
      try {
        const code = await main(['current', '--all', '--concurrency', '1'], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: { stdout: true, stderr: true }, env }, { cwd: project.dir });
        return { code, stdout, stderr };
      } finally {
        if (saved === undefined) delete process.env['DATABASE_URL'];
        else process.env['DATABASE_URL'] = saved;
      }
    };
    const tty = await inProcess({ TERM: 'xterm' });
    expect(tty.code, tty.stderr).to.equal(0);
    expect(tty.stderr).to.match(/^\r\u001b\[Kcurrent \d\/4 done, 0 failed, \d left · [\d.]+\/s · ETA \d+ s/);
    expect(tty.stderr).to.include('current 4/4 done, 0 failed, 0 left');
    expect(tty.stderr.endsWith('\r\u001b[K')).to.equal(true);
    expect(tty.stdout).to.match(/^ok {7}a {2}c3 \(\d+ ms\)\n/);
    const ci = await inProcess({ TERM: 'xterm', CI: 'true' });
    expect(ci.code).to.equal(0);
    expect(ci.stderr).to.equal('');
  });

  it('usage: the --all options without --all, --sql with --all, and a project without targets', async () => {
    let r = await tsmig(['upgrade', 'head', '--concurrency', '2']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal('error: --concurrency goes with --all (or --targets-file); add it, or leave --concurrency out.\n');
    r = await tsmig(['upgrade', 'head', '--all', '--sql']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--sql writes a script for one');
    r = await tsmig(['upgrade', 'head', '--all', '--concurrency', '0']);
    expect(r.code).to.equal(2);
    const config = project.read('alembic.config.ts');
    project.write('alembic.config.ts', "export default { scriptLocation: 'migrations' };\n");
    try {
      r = await tsmig(['status', '--all']);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^error: --all needs targets: add `targets` .* or pass --targets-file FILE\.\n$/);
    } finally {
      project.write('alembic.config.ts', config);
    }
  });
});
