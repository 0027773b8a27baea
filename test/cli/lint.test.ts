/**
 * `tsmig lint` through the real CLI on each dialect, in a project whose database URL points nowhere (lint
 * never connects): findings with file and line, the dialect's own rules, `tsmig-lint-ignore` comments,
 * `--json`, `--fail-on` and ranges.
 */
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import type { LintReport } from '../../src/migrate/commands/lint.js';
import { forEachDialect, type TestDialectName } from '../helpers/dialects.js';
import { type CliResult, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';

/** A URL of the dialect where no server listens: lint must not need one. */
const NOWHERE: Readonly<Record<TestDialectName, string>> = {
  sqlite: 'sqlite:///no/such/folder/app.db',
  postgresql: 'postgresql://nobody@127.0.0.1:9/nowhere',
  mysql: 'mysql://nobody@127.0.0.1:9/nowhere',
};

const R1 = 'a1a1a1a1a1a1';
const R2 = 'b2b2b2b2b2b2';
const R3 = 'c3c3c3c3c3c3';

function revisionFile(id: string, down: string | null, upgrade: string, downgrade: string): string {
  return [
    `/**\n * step ${id}\n *\n * Revision ID: ${id}\n * Revises: ${down ?? ''}\n * Create Date: 2024-05-01 12:00:00.000000\n */`,
    "import { column, op, t } from 'tsmig';",
    '',
    `export const revision = '${id}';`,
    `export const downRevision: string | null = ${down === null ? 'null' : `'${down}'`};`,
    '',
    `export async function upgrade(): Promise<void> {\n${upgrade}\n}`,
    '',
    `export async function downgrade(): Promise<void> {\n${downgrade}\n}`,
    '',
  ].join('\n');
}

/** A new table and everything done to it in the same revision: nothing to report. */
const CREATE_USERS = revisionFile(
  R1,
  null,
  `  await op.createTable('users', { id: column(t.Integer(), { primaryKey: true }), email: column(t.String(100)), legacy: column(t.Text()) });
  await op.createUniqueConstraint('uq_users_email', 'users', ['email']);
  await op.addColumn('users', 'created', column(t.DateTime(), { nullable: false }));`,
  "  await op.dropTable('users');",
);

const CHANGE_USERS = revisionFile(
  R2,
  R1,
  `  // tsmig-lint-ignore drop-column: nothing has read users.legacy since release 3
  await op.dropColumn('users', 'legacy');
  await op.addColumn('users', 'age', column(t.Integer(), { nullable: false }));
  // tsmig-lint-ignore rename-column
  await op.alterColumn('users', 'email', { newName: 'mail' });
  await op.createIndex('ix_users_age', 'users', ['age']);`,
  "  throw new Error('users.legacy cannot come back');",
);

const DROP_UNIQUE = revisionFile(R3, R2, "  await op.dropConstraint('uq_users_email', 'users', { type: 'unique' });", '  await op.createUniqueConstraint(\'uq_users_email\', \'users\', [\'mail\']);');

/** The 1-based line of the first line of `text` containing `marker`. */
function lineOf(text: string, marker: string): number {
  return text.split('\n').findIndex((l) => l.includes(marker)) + 1;
}

forEachDialect('cli: lint', function (dialect) {
  this.timeout(60_000);
  let project: TempProject;
  const tsmig = (args: readonly string[]): Promise<CliResult> => runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: NOWHERE[dialect.name] } });
  const file = (id: string) => `migrations/versions/${id}_step.ts`;

  before(async () => {
    project = createTempProject();
    const init = await runTsmig(['init', 'migrations'], { cwd: project.dir });
    expect(init.code, init.stderr).to.equal(0);
    project.write(file(R1), CREATE_USERS);
    project.write(file(R2), CHANGE_USERS);
    project.write(file(R3), DROP_UNIQUE);
  });
  after(() => project.remove());

  it('reports each finding with its rule, file and line, honours a reasoned ignore comment, and exits 1 on errors', async () => {
    const r = await tsmig(['lint', '--json']);
    expect(r.code, r.stderr).to.equal(1);
    const report = JSON.parse(r.stdout) as LintReport;
    expect(report.dialect).to.equal(dialect.name);
    expect(report.revisions).to.deep.equal([R1, R2, R3]);
    const found = report.findings.map((f) => `${f.revision} ${f.rule} ${f.severity} ${f.line ?? '-'}`);
    const expected = [
      `${R2} add-not-null-column error ${lineOf(CHANGE_USERS, "'age'")}`,
      ...(dialect.name === 'sqlite' ? [`${R2} table-rebuild warning ${lineOf(CHANGE_USERS, "'age'")}`] : []),
      `${R2} rename-column error ${lineOf(CHANGE_USERS, 'newName')}`,
      ...(dialect.name === 'postgresql' ? [`${R2} index-not-concurrent warning ${lineOf(CHANGE_USERS, 'createIndex')}`] : []),
      `${R2} irreversible-downgrade warning -`,
      `${R3} drop-constraint warning ${lineOf(DROP_UNIQUE, 'dropConstraint')}`,
      ...(dialect.name === 'sqlite' ? [`${R3} table-rebuild warning ${lineOf(DROP_UNIQUE, 'dropConstraint')}`] : []),
    ];
    expect(found).to.deep.equal(expected);
    expect(report.findings.every((f) => f.file === file(f.revision))).to.equal(true);
    // The comment without a reason does not count, and the finding says so.
    expect(report.findings.find((f) => f.rule === 'rename-column')!.reason).to.include('gives no reason');
    expect(report.silenced.map((f) => [f.rule, f.silencedBecause])).to.deep.equal([['drop-column', 'nothing has read users.legacy since release 3']]);
    expect(r.stderr).to.include(`2 errors, ${expected.length - 2} warnings in 3 revisions (${dialect.name}); 1 silenced`);
  });

  it('prints findings as text: file:line, severity, rule, reason and the safer way', async () => {
    const r = await tsmig(['lint']);
    expect(r.code).to.equal(1);
    const line = lineOf(CHANGE_USERS, "'age'");
    expect(r.stdout).to.include(`${file(R2)}:${line}: error add-not-null-column (${R2} upgrade): column users.age is added NOT NULL without a server default`);
    expect(r.stdout).to.match(/\n {2}safer: add it nullable \(or with a serverDefault\), backfill it/);
    expect(r.stderr).to.match(/^error: .*2 errors, \d+ warnings in 3 revisions/m);
    expect(r.stderr).not.to.include('    at ');
  });

  it('checks a range or one revision only; warnings pass unless --fail-on warning', async () => {
    const first = await tsmig(['lint', `:${R1}`]);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.equal('');
    expect(first.stderr).to.include(`0 errors, 0 warnings in 1 revision (${dialect.name})`);

    const last = await tsmig(['lint', R3]);
    expect(last.code, last.stderr).to.equal(0);
    expect(last.stdout).to.include('warning drop-constraint');
    const strict = await tsmig(['lint', R3, '--fail-on', 'warning']);
    expect(strict.code).to.equal(1);
    expect(strict.stderr).to.include('0 errors');
  });

  it('reports each operation of a batch at its own line, where an ignore comment above it counts', async () => {
    const R4 = 'd4d4d4d4d4d4';
    const batch = revisionFile(
      R4,
      R3,
      `  await op.batchAlterTable('users', (batch) => {
    batch.addColumn('height', column(t.Integer(), { nullable: false }));
    // tsmig-lint-ignore drop-column: users.age was never read
    batch.dropColumn('age');
  });`,
      "  throw new Error('one way');",
    );
    project.write(file(R4), batch);
    try {
      const report = JSON.parse((await tsmig(['lint', R4, '--json'])).stdout) as LintReport;
      expect(report.findings.filter((f) => f.direction === 'upgrade').map((f) => `${f.rule} ${f.line}`)).to.have.members([
        `add-not-null-column ${lineOf(batch, "'height'")}`,
        ...(dialect.name === 'sqlite' ? [`table-rebuild ${lineOf(batch, 'batchAlterTable')}`] : []),
      ]);
      expect(report.silenced.map((f) => [f.rule, f.line])).to.deep.equal([['drop-column', lineOf(batch, "dropColumn('age')")]]);
    } finally {
      rmSync(project.path(file(R4)));
    }
  });
});

describe('cli: lint without a database URL', function () {
  this.timeout(60_000);
  let project: TempProject;
  before(async () => {
    project = createTempProject();
    expect((await runTsmig(['init', 'migrations'], { cwd: project.dir })).code).to.equal(0);
    project.write('alembic.config.ts', "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n");
    project.write(`migrations/versions/${R1}_step.ts`, CREATE_USERS);
  });
  after(() => project.remove());

  it('says so when a revision reads the database, having checked what it called before', async () => {
    const reads = revisionFile(
      R2,
      R1,
      `  await op.dropColumn('users', 'legacy');
  const bind = op.getBind();
  await op.dropTable(String(bind));`,
      '',
    );
    project.write(`migrations/versions/${R2}_step.ts`, reads);
    try {
      const r = await runTsmig(['lint', '--dialect', 'sqlite', '--json'], { cwd: project.dir });
      expect(r.code, r.stderr).to.equal(1);
      const report = JSON.parse(r.stdout) as LintReport;
      expect(report.findings.map((f) => f.rule)).to.deep.equal(['drop-column', 'not-recorded']);
      expect(report.findings[1]!.reason).to.include('op.getBind()').and.include('not checked');
    } finally {
      rmSync(project.path(`migrations/versions/${R2}_step.ts`));
    }
  });

  it('asks for the dialect in one line, and lints for the one --dialect names', async () => {
    const missing = await runTsmig(['lint'], { cwd: project.dir });
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim()).to.match(/^error: lint needs to know the dialect: set DATABASE_URL .* or pass --dialect sqlite\|postgresql\|mysql\.$/);
    const named = await runTsmig(['lint', '--dialect', 'postgresql'], { cwd: project.dir });
    expect(named.code, named.stderr).to.equal(0);
    expect(named.stderr).to.include('(postgresql)');
    const wrong = await runTsmig(['lint', '--dialect', 'oracle'], { cwd: project.dir });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.include('expected one of: sqlite, postgresql, mysql');
  });
});
