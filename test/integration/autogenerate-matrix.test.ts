/**
 * The detection matrix, on each database: for every kind of difference autogenerate must find, one case
 * (test/fixtures/autogenerate-cases.ts) whose database is created from the `before` models. Each case
 * asserts the exact operations produced for the `after` models, writes them as a revision file and runs
 * its `upgrade()`, asserts that a second autogenerate is empty, runs its `downgrade()`, and asserts that
 * the database compares equal to `before` again.
 */
import { expect } from 'chai';
import type { DialectName } from '../../src/dialects/dialect.js';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { text } from '../../src/sql/elements/text.js';
import { MATRIX, type MatrixCase } from '../fixtures/autogenerate-cases.js';
import { autogenerate, emptyDatabase, runRevision, summarize, writeRevision } from '../helpers/autogenerate.js';
import { forEachDialect } from '../helpers/dialects.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

function expectedOps(c: MatrixCase, dialect: DialectName): readonly string[] {
  return Array.isArray(c.expected) ? (c.expected as readonly string[]) : (c.expected as Record<DialectName, readonly string[]>)[dialect];
}

forEachDialect('autogenerate: detection matrix', function (dialect) {
  this.timeout(60_000);
  let db: ThrowawayDatabase;
  let engine: Engine;
  let project: TempProject;
  const extraSchemas = [...new Set(MATRIX.flatMap((c) => c.schemas ?? []))];

  before(async () => {
    db = await createThrowawayDatabase(dialect, 'ag_matrix');
    engine = createEngine(db.url);
    project = createTempProject();
  });

  after(async () => {
    await emptyDatabase(engine, extraSchemas).catch(() => undefined);
    if (dialect.name === 'mysql') {
      await engine.connect(async (conn) => {
        for (const schema of extraSchemas) await conn.execute(text(`DROP DATABASE IF EXISTS \`${schema}\``));
      });
    }
    await engine.dispose();
    await db.drop();
    project.remove();
  });

  for (const c of MATRIX) {
    it(c.name, async function () {
      if (c.skip?.includes(dialect.name)) this.skip();
      await emptyDatabase(engine, c.schemas ?? []);
      for (const schema of c.schemas ?? []) {
        await engine.connect(async (conn) => {
          await conn.execute(text(dialect.name === 'mysql' ? `CREATE DATABASE IF NOT EXISTS \`${schema}\`` : `CREATE SCHEMA IF NOT EXISTS "${schema}"`));
          await conn.commit();
        });
      }
      const before = c.before(dialect.name);
      const after = c.after(dialect.name);
      if (before !== null) await before.createAll(engine);

      const plan = await autogenerate(engine, after, c.options);
      expect(summarize(plan), 'the operations').to.deep.equal(expectedOps(c, dialect.name));
      expect(
        plan.renameCandidates.map((r) => `${r.kind}:${r.kind === 'column' ? `${r.table}.` : ''}${r.from}->${r.to}`),
        'possible renames',
      ).to.deep.equal(c.candidates ?? []);

      const revision = await writeRevision(project, plan, dialect.name);
      await runRevision(db.url, revision, 'upgrade', after);
      expect(summarize(await autogenerate(engine, after, c.options)), 'a second autogenerate after the upgrade').to.deep.equal([]);

      await runRevision(db.url, revision, 'downgrade', after);
      // The filters of a case hide tables from one side only; the way back compares everything.
      if (before !== null && c.name !== 'the version table is never touched') {
        const back = await autogenerate(engine, before, { includeSchemas: c.options?.includeSchemas ?? [] });
        expect(summarize(back), 'after the downgrade').to.deep.equal([]);
      }
    });
  }
});
