/**
 * Helpers for the autogenerate tests: compare a MetaData with a live database, describe the produced
 * operations in one short line each (so a test states the exact operations), write a rendered revision
 * as a real file in a temporary project and run its `upgrade()` or `downgrade()` in-process, and empty
 * a throw-away database between cases.
 *
 * @example
 * const plan = await autogenerate(engine, after);
 * expect(summarize(plan)).to.deep.equal(['addColumn movies.rating Float() NULL']);
 * await runRendered(engine, project, plan, 'upgrade', after);
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Engine } from '../../src/engine/index.js';
import { text } from '../../src/sql/elements/text.js';
import { type ProduceOptions, produceMigration } from '../../src/migrate/autogenerate/api.js';
import type { MigrationPlan } from '../../src/migrate/autogenerate/plan.js';
import { renderMigration } from '../../src/migrate/autogenerate/render/render.js';
import type { MigrateOperation } from '../../src/migrate/operations/ops/operation.js';
import { DEFAULT_SCRIPT_TEMPLATE, renderTemplate, templateValues } from '../../src/migrate/script/template.js';
import { ConventionalName } from '../../src/schema/constraints.js';
import type { MetaData } from '../../src/schema/metadata.js';
import { LiteralColumn } from '../../src/sql/elements/text.js';
import { Keyword } from '../../src/sql/elements/column-element.js';
import { FunctionCall } from '../../src/sql/elements/functions.js';
import { REPO_ROOT, type TempProject } from './temp-project.js';

/** Autogenerate against the engine's database. */
export function autogenerate(engine: Engine, metadata: MetaData, options: ProduceOptions = {}): Promise<MigrationPlan> {
  return engine.connect((connection) => produceMigration(connection, metadata, options));
}

const n = (name: unknown): string => (name === null || name === undefined ? '<unnamed>' : name instanceof ConventionalName ? `f(${name.name})` : String(name));
const v = (value: unknown): string => {
  if (value instanceof LiteralColumn) return `sql(${value.text})`;
  if (value instanceof FunctionCall) return `func.${value.name}(${value.args.map(v).join(', ')})`;
  if (value instanceof Keyword) return `${value.keyword}_()`;
  return value === null ? 'null' : JSON.stringify(value);
};
const at = (schema: string | null, table: string): string => (schema === null ? table : `${schema}.${table}`);

/** One line per operation: its kind and what it changes (the `existing*` hints are left out). */
export function describeOp(op: MigrateOperation): string {
  const o = op as unknown as Record<string, any>;
  switch (op.kind) {
    case 'CreateTableOp':
      return `createTable ${at(o.definition.schema, o.definition.name)}(${o.definition.columns.map((c: { name: string }) => c.name).join(', ')})`;
    case 'DropTableOp':
      return `dropTable ${at(o.schema, o.tableName)}`;
    case 'RenameTableOp':
      return `renameTable ${at(o.schema, o.tableName)} -> ${o.newTableName}`;
    case 'AddColumnOp':
      return `addColumn ${at(o.schema, o.tableName)}.${o.columnName} ${o.column.type} ${o.column.options.nullable === false ? 'NOT NULL' : 'NULL'}${o.column.options.serverDefault === undefined ? '' : ` default=${v(o.column.options.serverDefault)}`}`;
    case 'DropColumnOp':
      return `dropColumn ${at(o.schema, o.tableName)}.${o.columnName}`;
    case 'AlterColumnOp': {
      const parts: string[] = [];
      if (o.modifyName !== undefined) parts.push(`newName=${o.modifyName}`);
      if (o.modifyType !== undefined) parts.push(`type=${o.modifyType}`);
      if (o.modifyNullable !== undefined) parts.push(`nullable=${o.modifyNullable}`);
      if (o.modifyServerDefault !== undefined) parts.push(`default=${v(o.modifyServerDefault)}`);
      if (o.modifyComment !== undefined) parts.push(`comment=${v(o.modifyComment)}`);
      return `alterColumn ${at(o.schema, o.tableName)}.${o.columnName} ${parts.join(' ')}`;
    }
    case 'CreateIndexOp':
      return `createIndex ${n(o.indexName)} on ${at(o.schema, o.tableName)}(${o.columns.map((c: unknown) => (typeof c === 'string' ? c : v(c))).join(', ')})${o.unique ? ' unique' : ''}`;
    case 'DropIndexOp':
      return `dropIndex ${n(o.indexName)} on ${o.tableName}`;
    case 'CreatePrimaryKeyOp':
      return `createPrimaryKey ${n(o.constraintName)} on ${at(o.schema, o.tableName)}(${o.columns.join(', ')})`;
    case 'CreateUniqueConstraintOp':
      return `createUnique ${n(o.constraintName)} on ${at(o.schema, o.tableName)}(${o.columns.join(', ')})`;
    case 'CreateForeignKeyOp':
      return `createForeignKey ${n(o.constraintName)} on ${at(o.sourceSchema, o.sourceTable)}(${o.localColumns.join(', ')}) -> ${at(o.referentSchema, o.referentTable)}(${o.remoteColumns.join(', ')})${o.onDelete === undefined ? '' : ` onDelete=${o.onDelete}`}${o.onUpdate === undefined ? '' : ` onUpdate=${o.onUpdate}`}`;
    case 'CreateCheckConstraintOp':
      return `createCheck ${n(o.constraintName)} on ${at(o.schema, o.tableName)}: ${o.condition}`;
    case 'DropConstraintOp':
      return `dropConstraint ${n(o.constraintName)} on ${at(o.schema, o.tableName)} (${o.type})`;
    case 'CreateTableCommentOp':
      return `tableComment ${at(o.schema, o.tableName)} ${v(o.comment)}`;
    case 'DropTableCommentOp':
      return `dropTableComment ${at(o.schema, o.tableName)}`;
    case 'ExecuteSqlOp':
      return `execute ${o.sql}`;
    default:
      return op.kind;
  }
}

/** The upgrade's operations in order, one line each. */
export function summarize(plan: MigrationPlan): string[] {
  return plan.upgradeOps().map(describeOp);
}

let counter = 0;

/** The revision file autogenerate would write for `plan`, as text. */
export function revisionSource(plan: MigrationPlan, dialect: Engine['dialect']['name']): { readonly source: string; readonly revision: string } {
  const rendered = renderMigration(plan, dialect);
  const revision = `${(Date.now() % 1e8).toString(16)}${(counter++).toString(16).padStart(4, '0')}`.padStart(12, '0').slice(-12);
  const source = renderTemplate(
    DEFAULT_SCRIPT_TEMPLATE,
    templateValues({
      message: 'autogenerated in a test',
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
  return { source, revision };
}

/** A written revision file of a test: its text and the module loaded from it. */
export interface WrittenRevision {
  readonly source: string;
  readonly module: { upgrade(): Promise<void>; downgrade(): Promise<void> };
}

/** Renders `plan` into a revision file in `project` (which links `node_modules/tsmig` to this repository) and loads it. */
export async function writeRevision(project: TempProject, plan: MigrationPlan, dialect: Engine['dialect']['name']): Promise<WrittenRevision> {
  const { source, revision } = revisionSource(plan, dialect);
  const file = project.write(`versions/${revision}_test.ts`, source);
  const module = (await import(pathToFileURL(file).href)) as WrittenRevision['module'];
  return { source, module };
}

/**
 * Runs the file's `upgrade()` or `downgrade()` as the runtime would, in one transaction where DDL has
 * them, on the database at `url`.
 *
 * Mocha loads test files as CommonJS (through tsx), while a revision file is imported as an ES module:
 * the two get separate copies of tsmig's modules, and `op` only sees a migration started by its own
 * copy. So the engine and the executor are taken from the ES module copy here, as the CLI would have them.
 */
export async function runRevision(url: string, revision: WrittenRevision, direction: 'upgrade' | 'downgrade', metadata: MetaData | null): Promise<void> {
  const { createEngine } = (await import(esm('src/engine/index.ts'))) as typeof import('../../src/engine/index.js');
  const { runOnline } = (await import(esm('test/helpers/migration-executors.ts'))) as typeof import('./migration-executors.js');
  const engine = createEngine(url);
  try {
    await runOnline(engine, () => revision.module[direction](), metadata);
  } finally {
    await engine.dispose();
  }
}

/**
 * The SQL script of the file's `upgrade()` or `downgrade()` (what `--sql` writes), for the database at
 * `url`, run on it statement by statement. The dialect is the one the engine finds (MariaDB's, say).
 */
export async function runRevisionOffline(url: string, revision: WrittenRevision, direction: 'upgrade' | 'downgrade', metadata: MetaData | null): Promise<string[]> {
  const { createEngine } = (await import(esm('src/engine/index.ts'))) as typeof import('../../src/engine/index.js');
  const { runOffline } = (await import(esm('test/helpers/migration-executors.ts'))) as typeof import('./migration-executors.js');
  const engine = createEngine(url);
  try {
    await engine.connect(async () => undefined);
    const lines = await runOffline(engine.dialect, () => revision.module[direction](), metadata);
    await engine.connect(async (conn) => {
      for (const sql of lines) if (!sql.startsWith('--')) await conn.execute({ sql, binds: [], columns: null, returnsRows: false });
      await conn.commit();
    });
    return lines;
  } finally {
    await engine.dispose();
  }
}

function esm(file: string): string {
  return pathToFileURL(path.join(REPO_ROOT, file)).href;
}

/** Drops every table (and, on PostgreSQL, every enum type and extra schema) of a throw-away database. */
export async function emptyDatabase(engine: Engine, extraSchemas: readonly string[] = []): Promise<void> {
  const dialect = engine.dialect.name;
  await engine.connect(async (conn) => {
    const run = (sql: string) => conn.execute(text(sql));
    if (dialect === 'postgresql') {
      for (const schema of ['public', ...extraSchemas]) await run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await run('CREATE SCHEMA public');
      await conn.commit();
      return;
    }
    if (dialect === 'mysql') {
      await run('SET FOREIGN_KEY_CHECKS = 0');
      for (const schema of [null, ...extraSchemas]) {
        const tables = (await engine.reflectSchema(schema)).tables;
        for (const t of tables) await run(`DROP TABLE ${schema === null ? '' : `\`${schema}\`.`}\`${t.name}\``);
      }
      await run('SET FOREIGN_KEY_CHECKS = 1');
      await conn.commit();
      return;
    }
    // PRAGMA foreign_keys works outside a transaction only: step out of the one the connection began.
    const tables = (await engine.reflectSchema()).tables;
    await run('COMMIT');
    await run('PRAGMA foreign_keys = OFF');
    for (const t of tables) await run(`DROP TABLE "${t.name}"`);
    await run('PRAGMA foreign_keys = ON');
    await run('BEGIN');
    await conn.rollback();
  });
}
