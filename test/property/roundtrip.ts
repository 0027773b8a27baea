/**
 * One database walked through a scenario of schema changes, checking at each step what the property
 * test promises: the revision autogenerate writes (as a real file, imported and run) upgrades the
 * database so that a second autogenerate is empty, and its downgrade brings the database back to a
 * schema the previous models compare equal to.
 *
 * The property test (a CommonJS module under mocha) imports this file as an ES module, so that this
 * file, tsmig and the revision files share one copy of tsmig's modules (see runRevision in
 * test/helpers/autogenerate.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { produceMigration } from '../../src/migrate/autogenerate/api.js';
import type { MigrationPlan } from '../../src/migrate/autogenerate/plan.js';
import { renderMigration } from '../../src/migrate/autogenerate/render/render.js';
import { DEFAULT_SCRIPT_TEMPLATE, renderTemplate, templateValues } from '../../src/migrate/script/template.js';
import type { MetaData } from '../../src/schema/metadata.js';
import { describeOp, emptyDatabase } from '../helpers/autogenerate.js';
import { runOnline } from '../helpers/migration-executors.js';
import { applyChanges, buildMetadata, type Change, EMPTY_SCHEMA, type SchemaSpec } from './schema-spec.js';

/** What a scenario found: how many steps it checked and the catalog queries of each autogenerate. */
export interface ScenarioResult {
  readonly steps: number;
  readonly operations: number;
}

export class Roundtrip {
  readonly #engine: Engine;
  #files = 0;

  constructor(
    readonly url: string,
    /** A folder whose `node_modules/tsmig` links to this repository. */
    readonly dir: string,
  ) {
    this.#engine = createEngine(url);
  }

  async dispose(): Promise<void> {
    await this.#engine.dispose();
  }

  /** Empties the database, then checks every step of the scenario; throws a description of the first failure. */
  async run(scenario: readonly (readonly Change[])[]): Promise<ScenarioResult> {
    await emptyDatabase(this.#engine);
    let spec: SchemaSpec = EMPTY_SCHEMA;
    let operations = 0;
    for (const [i, changes] of scenario.entries()) {
      const next = applyChanges(spec, changes);
      operations += await this.#step(spec, next, i);
      spec = next;
    }
    return { steps: scenario.length, operations };
  }

  async #step(from: SchemaSpec, to: SchemaSpec, index: number): Promise<number> {
    const before = buildMetadata(from);
    const after = buildMetadata(to);
    const plan = await this.#autogenerate(after);
    const revision = await this.#write(plan);
    const context = () => `step ${index + 1}\nfrom: ${JSON.stringify(from.tables)}\nto: ${JSON.stringify(to.tables)}\nrevision:\n${revision.source}`;
    try {
      await runOnline(this.#engine, () => revision.module.upgrade(), after);
    } catch (error) {
      throw new Error(`upgrade failed: ${(error as Error).message}\n${context()}`, { cause: error });
    }
    const again = await this.#autogenerate(after);
    if (!again.isEmpty) throw new Error(`a second autogenerate is not empty: ${again.upgradeOps().map(describeOp).join('; ')}\n${context()}`);
    try {
      await runOnline(this.#engine, () => revision.module.downgrade(), after);
    } catch (error) {
      throw new Error(`downgrade failed: ${(error as Error).message}\n${context()}`, { cause: error });
    }
    const back = await this.#autogenerate(before);
    if (!back.isEmpty) throw new Error(`after the downgrade the previous models differ: ${back.upgradeOps().map(describeOp).join('; ')}\n${context()}`);
    await runOnline(this.#engine, () => revision.module.upgrade(), after);
    return plan.upgradeOps().length;
  }

  #autogenerate(metadata: MetaData): Promise<MigrationPlan> {
    return this.#engine.connect((connection) => produceMigration(connection, metadata));
  }

  async #write(plan: MigrationPlan) {
    const rendered = renderMigration(plan, this.#engine.dialect.name);
    const revision = `${(this.#files++).toString(16).padStart(12, '0')}`;
    const source = renderTemplate(
      DEFAULT_SCRIPT_TEMPLATE,
      templateValues({
        message: 'property test',
        revision,
        downRevisions: [],
        branchLabels: [],
        dependsOn: [],
        createDate: '2026-01-01 00:00:00.000000',
        imports: rendered.imports,
        upgrades: rendered.upgradeBody,
        downgrades: rendered.downgradeBody,
      }),
      'DEFAULT_SCRIPT_TEMPLATE',
    );
    const file = path.join(this.dir, `r${process.pid}_${revision}.ts`);
    writeFileSync(file, source);
    const module = (await import(pathToFileURL(file).href)) as { upgrade(): Promise<void>; downgrade(): Promise<void> };
    return { source, module };
  }
}
