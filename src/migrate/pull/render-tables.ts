/**
 * The TypeScript source of Core `Table`s for reflected tables, as a careful engineer would write them: one
 * `new Table(...)` per table on a shared `metadata`, with the same column, constraint, type and default
 * rendering autogenerate uses for `op.createTable()`, and indexes in the constraints callback.
 */
import type { DialectName } from '../../dialects/dialect.js';
import type { ReflectedSequence } from '../../schema/reflected.js';
import { renderTableIndex } from '../autogenerate/render/indexes.js';
import { sequenceParameterEntries } from '../autogenerate/render/sequences.js';
import { indent, objectLines, object, RenderContext, str } from '../autogenerate/render/source.js';
import { renderTableParts, tableOptions } from '../autogenerate/render/table.js';
import type { TableDef } from '../operations/table-def.js';
import { type Casing, NameAllocator } from './casing.js';

/** Options of {@link renderTablesModule}. */
export interface RenderTablesOptions {
  /** How table names become the exported constants' names. */
  readonly casing: Casing;
  /** A line for the file's doc comment saying where the models came from. */
  readonly origin: string;
  /** Free-standing sequences (PostgreSQL), declared on `metadata` after it. */
  readonly sequences: readonly ReflectedSequence[];
}

/**
 * A module exporting `metadata` and one Table per definition.
 *
 * @example
 * ```ts
 * renderTablesModule([tableDefFromReflected(reflected)], 'postgresql', { casing: 'camel', origin: 'pulled from app' });
 * // export const filmActor = new Table('film_actor', metadata, { ... }, { constraints: (c) => [...] });
 * ```
 */
export function renderTablesModule(tables: readonly TableDef[], dialect: DialectName, options: RenderTablesOptions): string {
  const r = new RenderContext(dialect);
  const names = new NameAllocator(options.casing, 'Table');
  const declarations = tables.map((def) => renderTable(r, def, names.allocate(def.name)));
  const metadata = metadataLines(r, options.sequences);
  return [...header(options), ...r.importLines(), '', ...metadata, ...declarations.flatMap((d) => ['', d]), ''].join('\n');
}

/**
 * The same models as a folder: `metadata.ts`, one file per table named after its constant, and
 * `index.ts` exporting them all (import the index, so every table is on `metadata`).
 *
 * @example
 * ```ts
 * renderTablesFolder(defs, 'mysql', options).keys(); // 'metadata.ts', 'film.ts', 'filmActor.ts', ..., 'index.ts'
 * ```
 */
export function renderTablesFolder(tables: readonly TableDef[], dialect: DialectName, options: RenderTablesOptions): Map<string, string> {
  const files = new Map<string, string>();
  const r = new RenderContext(dialect);
  const metadata = metadataLines(r, options.sequences);
  files.set('metadata.ts', [...header(options), ...r.importLines(), '', ...metadata, ''].join('\n'));
  const names = new NameAllocator(options.casing, 'Table');
  const exported: string[] = [];
  for (const def of tables) {
    const r = new RenderContext(dialect);
    const constName = names.allocate(def.name);
    const declaration = renderTable(r, def, constName);
    files.set(`${constName}.ts`, [...r.importLines(), "import { metadata } from './metadata.js';", '', declaration, ''].join('\n'));
    exported.push(`export { ${constName} } from './${constName}.js';`);
  }
  files.set('index.ts', [...header(options), "export { metadata } from './metadata.js';", ...exported, ''].join('\n'));
  return files;
}

/** `export const metadata = new MetaData();` and the sequences declared on it, which column defaults call. */
function metadataLines(r: RenderContext, sequences: readonly ReflectedSequence[]): string[] {
  return [`export const metadata = new ${r.use('MetaData')}();`, ...sequenceLines(r, sequences)];
}

/** The sequences declared on `metadata`. @internal shared with the declarative models. */
export function sequenceLines(r: RenderContext, sequences: readonly ReflectedSequence[]): string[] {
  const lines: string[] = [];
  for (const sequence of sequences) {
    const options = object([['schema', sequence.schema === null ? undefined : str(sequence.schema)], ...sequenceParameterEntries(sequence)]);
    lines.push(`new ${r.use('Sequence')}(${str(sequence.name)}, metadata${options === null ? '' : `, ${options}`});`);
  }
  return lines;
}

/** The file's doc comment. @internal shared with the declarative models. */
export function header(options: Pick<RenderTablesOptions, 'origin'>): string[] {
  return [
    '/**',
    ` * Models ${options.origin}, written by \`tsmig pull\`. Edit them freely: from now on they are the`,
    ' * source of truth, and `tsmig revision --autogenerate` turns each change into a revision.',
    ' */',
  ];
}

/** `export const film = new Table('film', metadata, {...});` @internal shared with the declarative models. */
export function renderTable(r: RenderContext, def: TableDef, constName: string): string {
  const { columns, constraints } = renderTableParts(r, def);
  const entries = tableOptions(def, [...constraints, ...def.indexes.map((ix) => renderTableIndex(r, ix))]);
  const flat = object(entries);
  const table = r.use('Table');
  if (flat === null) return `export const ${constName} = new ${table}(${str(def.name)}, metadata, ${columns});`;
  const options = flat.length > 100 || flat.includes('\n') ? objectLines(entries)! : flat;
  return `export const ${constName} = new ${table}(\n${indent([str(def.name), 'metadata', columns, options].map((a) => `${a},`).join('\n'))}\n);`;
}
