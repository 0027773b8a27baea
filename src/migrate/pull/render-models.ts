/**
 * The TypeScript source of declarative models for reflected tables, as the README writes them: a `Base`,
 * one `class X extends Base.model('x', { ...mapped columns }) {}` per table with a primary key, its
 * relationships as statics with `declare`d fields, and plain Tables on `Base.metadata` for association
 * tables and tables without a key. Columns are written by autogenerate's renderers, so types, defaults
 * and constraints read as in a revision.
 */
import type { DialectName } from '../../dialects/dialect.js';
import { renderTableIndex } from '../autogenerate/render/indexes.js';
import { indent, member, object, objectLines, RenderContext, str } from '../autogenerate/render/source.js';
import { renderTableParts, tableOptions } from '../autogenerate/render/table.js';
import type { TableDef } from '../operations/table-def.js';
import { type PlannedEntity, type PlannedRelationship, planModels } from './model-plan.js';
import { header, renderTable, type RenderTablesOptions, sequenceLines } from './render-tables.js';

/**
 * The models as one module exporting `Base`, `metadata` (= `Base.metadata`) and every class and Table.
 *
 * @example
 * ```ts
 * renderModelsModule(defs, 'sqlite', { casing: 'camel', origin: 'of the sqlite database', sequences: [] });
 * // export class Film extends Base.model('film', { filmId: mapped(t.Integer(), { name: 'film_id', primaryKey: true }), ... }) {
 * //   static language = relationship(() => Language, { backPopulates: 'films' });
 * //   declare language: Language | null;
 * // }
 * ```
 */
export function renderModelsModule(tables: readonly TableDef[], dialect: DialectName, options: RenderTablesOptions): string {
  const plan = planModels(tables, options.casing);
  const r = new RenderContext(dialect);
  const base = baseLines(r, options);
  const declarations = plan.entities.map((entity) => renderEntity(r, entity));
  return [...header(options), ...r.importLines(), '', ...base, ...declarations.flatMap((d) => ['', d]), ''].join('\n');
}

/**
 * The same models as a folder: `base.ts` (Base, metadata, sequences), one file per class or Table named
 * after it, and `index.ts` exporting them all (import the index, so every model is on `Base.metadata`).
 */
export function renderModelsFolder(tables: readonly TableDef[], dialect: DialectName, options: RenderTablesOptions): Map<string, string> {
  const plan = planModels(tables, options.casing);
  const files = new Map<string, string>();
  const r = new RenderContext(dialect);
  const base = baseLines(r, options);
  files.set('base.ts', [...header(options), ...r.importLines(), '', ...base, ''].join('\n'));
  for (const entity of plan.entities) {
    const r = new RenderContext(dialect);
    const declaration = renderEntity(r, entity);
    const local = [entity.kind === 'model' ? "import { Base } from './base.js';" : "import { metadata } from './base.js';"];
    for (const other of [...referencedNames(entity)].sort()) local.push(`import { ${other} } from './${other}.js';`);
    files.set(`${entity.name}.ts`, [...r.importLines(), ...local, '', declaration, ''].join('\n'));
  }
  const exported = plan.entities.map((e) => `export { ${e.name} } from './${e.name}.js';`);
  files.set('index.ts', [...header(options), "export { Base, metadata } from './base.js';", ...exported, ''].join('\n'));
  return files;
}

function baseLines(r: RenderContext, options: RenderTablesOptions): string[] {
  return [
    '/** The declarative base: `Base.metadata` holds every table below. */',
    `export class Base extends ${r.use('DeclarativeBase')} {}`,
    '',
    "/** alembic.config.ts's `targetMetadata`. */",
    'export const metadata = Base.metadata;',
    ...sequenceLines(r, options.sequences),
  ];
}

/** The other classes and Tables an entity's source names (for the folder's imports). */
function referencedNames(entity: PlannedEntity): Set<string> {
  const names = new Set<string>();
  for (const rel of entity.relationships) {
    names.add(rel.target);
    if (rel.secondary !== undefined) names.add(rel.secondary);
    if (rel.foreignKeys !== undefined) names.add(rel.foreignKeys.model);
  }
  names.delete(entity.name);
  return names;
}

function renderEntity(r: RenderContext, entity: PlannedEntity): string {
  if (entity.kind === 'table') return renderTable(r, entity.def, entity.name);
  const def = entity.def;
  const keyOf = (column: string) => entity.keys.get(column) ?? column;
  const { columns, constraints } = renderTableParts(r, def, { mapped: true, keyOf });
  const entries = tableOptions(def, [...constraints, ...def.indexes.map((ix) => renderTableIndex(r, ix, keyOf))]);
  const flat = object(entries);
  const head =
    flat === null
      ? `export class ${entity.name} extends Base.model(${str(def.name)}, ${columns})`
      : `export class ${entity.name} extends Base.model(\n${indent([str(def.name), columns, flat.length > 100 || flat.includes('\n') ? objectLines(entries)! : flat].map((a) => `${a},`).join('\n'))}\n)`;
  const body = entity.relationships.flatMap((rel) => renderRelationship(r, rel));
  return body.length === 0 ? `${head} {}` : `${head} {\n${indent(body.join('\n'))}\n}`;
}

function renderRelationship(r: RenderContext, rel: PlannedRelationship): string[] {
  const entries: [string, string | undefined][] = [
    ['secondary', rel.secondary === undefined ? undefined : `() => ${rel.secondary}`],
    ['backPopulates', str(rel.backPopulates)],
    ['uselist', rel.uselistFalse === true ? 'false' : undefined],
    ['foreignKeys', rel.foreignKeys === undefined ? undefined : `() => [${rel.foreignKeys.keys.map((k) => member(`${rel.foreignKeys!.model}.c`, k)).join(', ')}]`],
    ['remoteSide', rel.remoteSide === undefined ? undefined : `() => [${rel.remoteSide.map((k) => member(`${rel.target}.c`, k)).join(', ')}]`],
  ];
  const fn = r.use('relationship');
  let options = object(entries)!;
  let statement = `static ${rel.key} = ${fn}(() => ${rel.target}, ${options});`;
  if (statement.length > 118) {
    options = objectLines(entries)!;
    statement = `static ${rel.key} = ${fn}(() => ${rel.target}, ${options});`;
  }
  const type = rel.list ? `${r.use('type InstrumentedList').slice('type '.length)}<${rel.target}>` : `${rel.target} | null`;
  return [...(rel.comment === undefined ? [] : [`// ${rel.comment}`]), statement, `declare ${rel.key}: ${type};`];
}
