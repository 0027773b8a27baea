/**
 * The shadow database of PostgreSQL projects is PGlite (`postgresql+pglite://`, PostgreSQL in WebAssembly
 * in this process): for every case of the autogenerate detection matrix (test/fixtures/autogenerate-cases.ts)
 * the `before` models are created on the PostgreSQL server and on PGlite, and autogenerate against each
 * must find the same operations and the same possible renames for the `after` models. (A SQLite
 * project's shadow is SQLite itself, which the matrix covers.)
 */
import { expect } from 'chai';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { text } from '../../src/sql/elements/text.js';
import { MATRIX } from '../fixtures/autogenerate-cases.js';
import { autogenerate, emptyDatabase, summarize } from '../helpers/autogenerate.js';
import { findDialect } from '../helpers/dialects.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../helpers/throwaway-database.js';

const postgresql = findDialect('postgresql');

(postgresql === undefined ? describe.skip : describe)('postgresql: autogenerate on PGlite answers as on the server (the shadow of --shadow)', function () {
  this.timeout(600_000);
  let db: ThrowawayDatabase;
  let server: Engine;
  let pglite: Engine;

  before(async () => {
    db = await createThrowawayDatabase(postgresql!, 'shadow_matrix');
    server = createEngine(db.url);
    pglite = createEngine('postgresql+pglite://');
  });
  after(async () => {
    await server?.dispose();
    await pglite?.dispose();
    await db?.drop();
  });

  /** The case's `before` models on `engine`, then autogenerate for `after`: operations and possible renames. */
  async function answer(engine: Engine, c: (typeof MATRIX)[number]): Promise<{ operations: string[]; renames: string[] }> {
    await emptyDatabase(engine, c.schemas ?? []);
    for (const schema of c.schemas ?? []) {
      await engine.connect(async (conn) => {
        await conn.execute(text(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
        await conn.commit();
      });
    }
    await c.before('postgresql')?.createAll(engine);
    const plan = await autogenerate(engine, c.after('postgresql'), c.options);
    return { operations: summarize(plan), renames: plan.renameCandidates.map((r) => `${r.kind}:${r.from}->${r.to}`) };
  }

  for (const c of MATRIX) {
    it(c.name, async function () {
      if (c.skip?.includes('postgresql')) this.skip();
      const live = await answer(server, c);
      expect(await answer(pglite, c)).to.deep.equal(live);
    });
  }
});
