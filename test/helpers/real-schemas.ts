/**
 * The published sample schemas of `shared/real-schemas/` (Sakila, Chinook), ready to load into a
 * throw-away database with the database's own client, and a catalog snapshot read with plain catalog
 * SQL (never through tsmig's reflection), so two databases can be compared as a DBA would.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../../src/engine/index.js';
import { text } from '../../src/sql/elements/text.js';
import type { TestDialect } from './dialects.js';
import { REPO_ROOT } from './temp-project.js';

/** `shared/real-schemas/` next to the checkout (`../shared`), or next to the folder of worktrees (`../../shared`). */
const REAL_SCHEMAS = ['../shared/real-schemas', '../../shared/real-schemas'].map((p) => path.resolve(REPO_ROOT, p)).find((p) => existsSync(p));

/** The script of each schema per dialect. */
export const REAL_SCHEMA_FILES: Readonly<Record<'sakila' | 'chinook', Readonly<Record<TestDialect['name'], string>>>> = {
  sakila: { sqlite: 'sakila/sqlite-sakila-schema.sql', postgresql: 'sakila/postgres-sakila-schema.sql', mysql: 'sakila/mysql-sakila-schema.sql' },
  chinook: { sqlite: 'chinook/Chinook_Sqlite.sql', postgresql: 'chinook/Chinook_PostgreSql.sql', mysql: 'chinook/Chinook_MySql.sql' },
};

/**
 * The published script, loadable into a throw-away database: without the lines that create and select a
 * database of its own (`sakila`, `Chinook`), and without that database's name in qualified references.
 */
export function loadableSchema(file: string): string {
  if (REAL_SCHEMAS === undefined) throw new Error(`shared/real-schemas/ not found next to ${REPO_ROOT}`);
  return readFileSync(path.join(REAL_SCHEMAS, file), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(DROP (SCHEMA|DATABASE)|CREATE (SCHEMA|DATABASE)|USE |\\c )/i.test(line))
    .join('\n')
    .replace(/\bsakila\./g, '');
}

/** One table as the catalog describes it: one line per fact, in a stable order. */
export type CatalogSnapshot = Readonly<Record<string, readonly string[]>>;

/**
 * Every base table of the connection's default schema (`public`, the current database, `main`) with its
 * columns, keys, indexes, checks and comments in the catalog's own words; PostgreSQL's free-standing
 * sequences under `sequence <name>`. `only` limits it to some tables.
 */
export async function catalogSnapshot(engine: Engine, only?: readonly string[]): Promise<CatalogSnapshot> {
  const rows = (sql: string, params: Record<string, unknown> = {}) =>
    engine.connect(async (conn) => (await conn.execute(text(sql), params)).mappings().all() as Record<string, unknown>[]);
  const snapshot: Record<string, string[]> = {};
  const add = (table: string, line: string) => {
    if (only !== undefined && !only.includes(table)) return;
    (snapshot[table] ??= []).push(line);
  };
  switch (engine.dialect.name) {
    case 'sqlite': {
      const tables = await rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
      for (const { name } of tables) {
        const quoted = `"${String(name).replace(/"/g, '""')}"`;
        // A declared type is text to SQLite (its affinity is what counts): `NUMERIC(10,2)` is `NUMERIC(10, 2)`.
        const declared = (type: unknown) => String(type).replace(/\s*,\s*/g, ', ');
        for (const c of await rows(`PRAGMA table_xinfo(${quoted})`)) add(String(name), `column ${c.name} ${declared(c.type)} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk} hidden=${c.hidden}`);
        // A foreign key's id is its position in the table's definition, which says nothing.
        const fks = new Map<number, string[]>();
        for (const fk of await rows(`PRAGMA foreign_key_list(${quoted})`)) {
          const parts = fks.get(Number(fk.id)) ?? [];
          parts.push(`${fk.from} -> ${fk.table}.${fk.to} update=${fk.on_update} delete=${fk.on_delete} match=${fk.match}`);
          fks.set(Number(fk.id), parts);
        }
        for (const parts of fks.values()) add(String(name), `fk ${parts.join(', ')}`);
        for (const ix of await rows(`PRAGMA index_list(${quoted})`)) {
          const items = await rows(`PRAGMA index_xinfo("${String(ix.name).replace(/"/g, '""')}")`);
          const cols = items.filter((i) => Number(i.key) === 1).map((i) => `${i.name ?? '<expr>'}${Number(i.desc) ? ' DESC' : ''} ${i.coll}`);
          add(String(name), `index ${String(ix.name).startsWith('sqlite_autoindex_') ? '<auto>' : ix.name} unique=${ix.unique} origin=${ix.origin} partial=${ix.partial} (${cols.join(', ')})`);
        }
      }
      break;
    }
    case 'postgresql': {
      const columns = await rows(`SELECT c.relname AS t, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
  pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity AS ident, a.attgenerated AS gen, col_description(c.oid, a.attnum) AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname, a.attnum`);
      for (const c of columns) add(String(c.t), `column ${c.col} ${c.type} notnull=${c.notnull} default=${c.def} identity=${c.ident} generated=${c.gen} comment=${c.comment}`);
      const constraints = await rows(`SELECT c.relname AS t, k.conname AS name, pg_get_constraintdef(k.oid) AS def
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() ORDER BY c.relname, k.conname`);
      for (const k of constraints) add(String(k.t), `constraint ${k.name} ${k.def}`);
      const indexes = await rows(`SELECT tablename AS t, indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname`);
      for (const ix of indexes) add(String(ix.t), `index ${ix.def}`);
      const comments = await rows(`SELECT c.relname AS t, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND obj_description(c.oid, 'pg_class') IS NOT NULL`);
      for (const c of comments) add(String(c.t), `comment ${c.comment}`);
      const sequences = await rows(`SELECT s.sequencename AS name, s.data_type AS type, s.start_value AS start, s.increment_by AS inc, s.min_value AS min, s.max_value AS max, s.cache_size AS cache, s.cycle AS cycle
FROM pg_sequences s WHERE s.schemaname = current_schema() ORDER BY s.sequencename`);
      for (const s of sequences) add(`sequence ${s.name}`, `${s.type} start=${s.start} increment=${s.inc} min=${s.min} max=${s.max} cache=${s.cache} cycle=${s.cycle}`);
      break;
    }
    case 'mysql': {
      const tables = await rows("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
      for (const { name } of tables) {
        const [created] = await rows(`SHOW CREATE TABLE \`${String(name).replace(/`/g, '``')}\``);
        // The next AUTO_INCREMENT value is data, not schema.
        const sql = String(created?.['Create Table']).replace(/ AUTO_INCREMENT=\d+/, '');
        for (const line of sql.split('\n')) add(String(name), line.trim().replace(/,$/, ''));
      }
      break;
    }
  }
  for (const lines of Object.values(snapshot)) lines.sort();
  return snapshot;
}
