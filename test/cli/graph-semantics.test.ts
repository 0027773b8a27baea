/**
 * The revision-graph answers an Alembic user expects, through the real CLI on each dialect: stepping down
 * from a merge, dependencies across branches, targets on the wrong side of the current revision,
 * overlapping version rows, `history -r A:+N`, `stamp --purge --sql`, several ranges in one offline
 * stamp, `current --check-heads`, and the global options (`-c` before the verb, twice, `TSMIG_CONFIG`).
 */
import { expect } from 'chai';
import { createEngine } from '../../src/engine/engine.js';
import { inspect } from '../../src/inspect/inspector.js';
import { text } from '../../src/sql/elements/text.js';
import { forEachDialect } from '../helpers/dialects.js';
import { type CliResult, ok, runTsmig } from '../helpers/run-cli.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const CONFIG = "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: 'migrations' });\n";
const ENV = "import type { Environment } from 'tsmig';\nexport default async function env(ctx: Environment): Promise<void> {\n  await ctx.runMigrations();\n}\n";

/** A revision that creates (and drops) a table named after it, so every step is visible in the schema. */
function revision(id: string, down: readonly string[], dependsOn: readonly string[] = []): string {
  const list = (ids: readonly string[]) => (ids.length === 0 ? 'null' : `[${ids.map((i) => `'${i}'`).join(', ')}]`);
  return [
    "import { column, op, t } from 'tsmig';",
    '/**',
    ` * rev ${id}`,
    ' */',
    `export const revision = '${id}';`,
    `export const downRevision = ${list(down)};`,
    ...(dependsOn.length > 0 ? [`export const dependsOn = ${list(dependsOn)};`] : []),
    `export async function upgrade(): Promise<void> { await op.createTable('t_${id}', { id: column(t.Integer(), { primaryKey: true }) }); }`,
    `export async function downgrade(): Promise<void> { await op.dropTable('t_${id}'); }`,
    '',
  ].join('\n');
}

/** The one error line of a failed run (exit 1, nothing on stdout unless `stdout` is allowed). */
function failure(result: CliResult): string {
  expect(result.code, result.stderr).to.equal(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  return lines[0]!;
}

forEachDialect('cli: revision graph semantics', function (dialect) {
  this.timeout(120_000);
  let project: TempProject;
  let db: ThrowawayDatabase;
  const tsmig = (args: readonly string[], env: Record<string, string | undefined> = {}) =>
    runTsmig(args, { cwd: project.dir, env: { DATABASE_URL: db.url, ...env } });
  const current = async () => ok(await tsmig(['current'])).stdout.trim().split('\n').map((l) => l.split(' ')[0]).filter((l) => l !== '').sort();

  async function tables(): Promise<string[]> {
    const engine = createEngine(db.url);
    try {
      return (await inspect(engine).getTableNames()).filter((n) => n.startsWith('t_')).sort();
    } finally {
      await engine.dispose();
    }
  }

  async function execute(sql: string): Promise<void> {
    const engine = createEngine(db.url);
    try {
      await engine.begin((c) => c.execute(text(sql)));
    } finally {
      await engine.dispose();
    }
  }

  function writeRevisions(revisions: Record<string, string>): void {
    project.remove();
    project = createTempProject();
    project.write('alembic.config.ts', CONFIG);
    project.write('migrations/env.ts', ENV);
    for (const [id, source] of Object.entries(revisions)) project.write(`migrations/versions/${id}.ts`, source);
  }

  beforeEach(async () => {
    project = createTempProject();
    db = await createThrowawayDatabase(dialect, 'graph_semantics');
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  it('downgrade -1 and <merge>-1 from a merge go back to both parents', async () => {
    writeRevisions({
      base0001: revision('base0001', []),
      d1d10001: revision('d1d10001', ['base0001']),
      d2d20001: revision('d2d20001', ['base0001']),
      mmmm0001: revision('mmmm0001', ['d1d10001', 'd2d20001']),
    });
    for (const target of ['-1', 'mmmm0001-1']) {
      ok(await tsmig(['upgrade', 'head']));
      const r = ok(await tsmig(['downgrade', target]));
      expect(r.stderr).to.equal('Running downgrade mmmm0001 -> d1d10001, d2d20001\n');
      expect(await current()).to.deep.equal(['d1d10001', 'd2d20001']);
      expect(await tables()).to.deep.equal(['t_base0001', 't_d1d10001', 't_d2d20001']);
    }
  });

  it("a dependency on another branch: the version table holds the dependent, as Alembic's does", async () => {
    writeRevisions({
      a1a10001: revision('a1a10001', []),
      a2a20001: revision('a2a20001', ['a1a10001']),
      a3a30001: revision('a3a30001', ['a2a20001']),
      b1b10001: revision('b1b10001', []),
      b2b20001: revision('b2b20001', ['b1b10001'], ['a2a20001']),
      b3b30001: revision('b3b30001', ['b2b20001']),
    });
    ok(await tsmig(['upgrade', 'b3b30001']));
    expect(await current()).to.deep.equal(['b3b30001']);
    expect(await tables()).to.deep.equal(['t_a1a10001', 't_a2a20001', 't_b1b10001', 't_b2b20001', 't_b3b30001']);
    // a2 is applied (b3 implies it): upgrading every head runs a3 alone, as a row of its own.
    expect(ok(await tsmig(['upgrade', 'heads'])).stderr).to.equal('Running upgrade a2a20001 -> a3a30001\n');
    expect(await current()).to.deep.equal(['a3a30001', 'b3b30001']);
    ok(await tsmig(['stamp', '--purge', 'b2b20001']));
    expect(await current()).to.deep.equal(['b2b20001']);
  });

  it('upgrade to a revision below the current one, and downgrade to one above, are errors naming both', async () => {
    writeRevisions({ aaaa0001: revision('aaaa0001', []), bbbb0001: revision('bbbb0001', ['aaaa0001']), cccc0001: revision('cccc0001', ['bbbb0001']) });
    ok(await tsmig(['upgrade', 'bbbb0001']));
    expect(failure(await tsmig(['upgrade', 'aaaa0001']))).to.equal(
      'error: Revision aaaa0001 is below the current revision(s) bbbb0001: upgrade only moves forward. Use `tsmig downgrade aaaa0001` to go back to it.',
    );
    expect(failure(await tsmig(['downgrade', 'cccc0001']))).to.equal(
      'error: Revision cccc0001 is not a valid downgrade target: it is not below the current revision(s) bbbb0001. Use `tsmig upgrade cccc0001` to move forward to it.',
    );
    expect(failure(await tsmig(['upgrade', '+5']))).to.equal(
      "error: Relative revision '+5' goes past the head: there are only 1 revision(s) above bbbb0001 (the head is cccc0001).",
    );
    expect(await current()).to.deep.equal(['bbbb0001']);
    // Already there is not an error.
    expect(ok(await tsmig(['upgrade', 'bbbb0001'])).stderr).to.equal('');
  });

  it('overlapping version rows are refused with the rows and the stamp --purge that fixes them', async () => {
    writeRevisions({ aaaa0001: revision('aaaa0001', []), bbbb0001: revision('bbbb0001', ['aaaa0001']), cccc0001: revision('cccc0001', ['bbbb0001']) });
    ok(await tsmig(['upgrade', 'bbbb0001']));
    await execute("INSERT INTO alembic_version (version_num) VALUES ('aaaa0001')");
    const message = failure(await tsmig(['upgrade', 'head']));
    expect(message).to.equal(
      'error: The version table has overlapping rows (aaaa0001, bbbb0001): aaaa0001 is below bbbb0001. ' +
        'Each row must be the newest applied revision of its branch; fix the table with `tsmig stamp --purge bbbb0001`.',
    );
    expect(await tables()).to.deep.equal(['t_aaaa0001', 't_bbbb0001']);
    ok(await tsmig(['stamp', '--purge', 'bbbb0001']));
    ok(await tsmig(['upgrade', 'head']));
    expect(await current()).to.deep.equal(['cccc0001']);
  });

  it('current --check-heads exits 1 until the database is at every head', async () => {
    writeRevisions({ aaaa0001: revision('aaaa0001', []), bbbb0001: revision('bbbb0001', ['aaaa0001']) });
    const behind = await tsmig(['current', '--check-heads']);
    expect(behind.code).to.equal(1);
    expect(behind.stderr).to.equal('error: The database is not at head: at base; the head(s): bbbb0001. Run `tsmig upgrade heads`.\n');
    ok(await tsmig(['upgrade', 'aaaa0001']));
    const partly = await tsmig(['current', '--check-heads']);
    expect(partly.code).to.equal(1);
    expect(partly.stdout).to.equal('aaaa0001\n');
    ok(await tsmig(['upgrade', 'head']));
    expect(ok(await tsmig(['current', '--check-heads'])).stdout).to.equal('bbbb0001 (head)\n');
  });

  it('stamp --purge --sql deletes the rows; one offline stamp takes several ranges from one start', async () => {
    writeRevisions({
      aaaa0001: revision('aaaa0001', []),
      bbbb0001: revision('bbbb0001', ['aaaa0001']),
      xxxx0001: revision('xxxx0001', []),
      yyyy0001: revision('yyyy0001', ['xxxx0001']),
    });
    const purge = ok(await tsmig(['stamp', '--purge', '--sql', 'bbbb0001']));
    expect(purge.stdout).to.match(/DELETE FROM [`"]?alembic_version[`"]?;\n/);
    expect(purge.stdout.indexOf('DELETE FROM')).to.be.lessThan(purge.stdout.indexOf("VALUES ('bbbb0001')"));
    const ranges = ok(await tsmig(['stamp', '--sql', 'aaaa0001:bbbb0001', 'aaaa0001:yyyy0001']));
    expect(ranges.stdout).to.include("SET version_num='bbbb0001' WHERE alembic_version.version_num = 'aaaa0001';");
    expect(ranges.stdout).to.include("INSERT INTO alembic_version (version_num) VALUES ('yyyy0001');");
    expect(failure(await tsmig(['stamp', '--sql', 'aaaa0001:bbbb0001', 'xxxx0001:yyyy0001']))).to.equal(
      'error: stamp --sql aaaa0001:bbbb0001 xxxx0001:yyyy0001: the ranges start from aaaa0001 and xxxx0001; a script has one starting point, so give them one start.',
    );
    // What the script says is what the database gets.
    ok(await tsmig(['stamp', 'aaaa0001']));
    ok(await tsmig(['stamp', '--purge', 'bbbb0001', 'yyyy0001']));
    expect(await current()).to.deep.equal(['bbbb0001', 'yyyy0001']);
  });

  it('history -r A:+2 counts from A', async () => {
    writeRevisions({ aaaa0001: revision('aaaa0001', []), bbbb0001: revision('bbbb0001', ['aaaa0001']), cccc0001: revision('cccc0001', ['bbbb0001']), dddd0001: revision('dddd0001', ['cccc0001']) });
    const r = ok(await tsmig(['history', '-r', 'aaaa0001:+2']));
    expect(r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split(' -> ')[1]!.split(/[ ,]/)[0])).to.deep.equal(['cccc0001', 'bbbb0001', 'aaaa0001']);
  });

  it('-c before the verb, -c twice, and TSMIG_CONFIG', async () => {
    writeRevisions({ aaaa0001: revision('aaaa0001', []) });
    project.write('ci/other.config.ts', "import { defineConfig } from 'tsmig';\nexport default defineConfig({ scriptLocation: '../migrations' });\n");
    ok(await tsmig(['-c', 'ci/other.config.ts', 'upgrade', 'head']));
    expect(await current()).to.deep.equal(['aaaa0001']);
    const twice = await tsmig(['-c', 'alembic.config.ts', 'current', '-c', 'ci/other.config.ts']);
    expect(twice.code).to.equal(2);
    expect(twice.stderr).to.include('-c/--config was given twice (alembic.config.ts and ci/other.config.ts); give it once.');
    expect(ok(await tsmig(['current'], { TSMIG_CONFIG: 'ci/other.config.ts' })).stdout).to.equal('aaaa0001 (head)\n');
    expect(failure(await tsmig(['current'], { TSMIG_CONFIG: 'ci/missing.config.ts' }))).to.equal(
      `error: Config file ${project.path('ci/missing.config.ts')} (from the TSMIG_CONFIG environment variable) does not exist.`,
    );
  });
});
