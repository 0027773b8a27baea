/**
 * MySQL and MariaDB catalog reflection over information_schema, which both servers have. A schema is read
 * in seven queries whatever its size (server, tables, columns, foreign key columns, their rules, index
 * columns, checks);
 * rows in, the plain shapes of `../reflection.ts` out. It runs no DDL and knows no driver.
 */
import { InvalidRequestError } from '../../errors.js';
import type { ColumnServerOptions } from '../../schema/column.js';
import type { TableServerOptions } from '../../schema/table.js';
import type { MysqlIndexPrefix } from '../../schema/table-index.js';
import { t } from '../../types/index.js';
import type {
  DialectReflection,
  QueryFn,
  ReflectedCheck,
  ReflectedColumn,
  ReflectedForeignKey,
  ReflectedIndex,
  ReflectedSchema,
  ReflectedTable,
  ReflectOptions,
} from '../reflection.js';
import { mysqlColumnDefault, mysqlColumnType } from './reflection-types.js';

type Row = Record<string, unknown>;

/** What the first query learns about the server; the shape of the later queries depends on it. */
interface Server {
  readonly mariadb: boolean;
  /** STATISTICS.EXPRESSION (functional indexes): MySQL 8.0.13+; MariaDB has no functional indexes. */
  readonly indexExpressions: boolean;
  /** information_schema.CHECK_CONSTRAINTS: MySQL 8.0.16+, MariaDB 10.3.10+ (with a TABLE_NAME column). */
  readonly checkConstraints: boolean;
  /** `DATABASE()`: null when the connection selected none. */
  readonly currentSchema: string | null;
}

type ForeignKeyDraft = Omit<ReflectedForeignKey, 'columns' | 'referredColumns'> & {
  readonly columns: string[];
  readonly referredColumns: string[];
};

/** One table while its rows are being read; frozen into a ReflectedTable at the end. */
interface TableDraft {
  readonly name: string;
  readonly comment: string | null;
  readonly options: TableServerOptions;
  readonly columns: ReflectedColumn[];
  readonly primaryKey: string[];
  readonly foreignKeys: Map<string, ForeignKeyDraft>;
  readonly uniques: Map<string, string[]>;
  readonly indexes: ReflectedIndex[];
  readonly checks: ReflectedCheck[];
}

/** Table types that are tables: MariaDB reports system-versioned tables apart (and SEQUENCE objects too). */
const TABLE_TYPES = new Set(['BASE TABLE', 'SYSTEM VERSIONED']);

const SERVER_SQL = 'SELECT VERSION() AS version, DATABASE() AS current_schema';

const TABLES_SQL = `SELECT t.TABLE_NAME AS table_name, t.TABLE_TYPE AS table_type, t.TABLE_COMMENT AS table_comment,
  t.ENGINE AS engine, t.TABLE_COLLATION AS table_collation, c.CHARACTER_SET_NAME AS table_charset
FROM information_schema.TABLES t
LEFT JOIN information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION
WHERE t.TABLE_SCHEMA = ?`;

const COLUMNS_SQL = `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type,
  DATA_TYPE AS data_type, IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default, EXTRA AS extra,
  COLUMN_COMMENT AS column_comment, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation,
  GENERATION_EXPRESSION AS generation_expression
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`;

// The columns of the foreign keys: KEY_COLUMN_USAGE names the referenced column on those rows only. The
// primary key and the unique constraints are the PRIMARY and the unique indexes of STATISTICS, which
// that query reads anyway: joined with TABLE_CONSTRAINTS for their kind, KEY_COLUMN_USAGE took MariaDB
// 65-85 ms for 200 tables, where alone it takes 2 ms, and sent 600 more rows. Constraint names are unique
// per table only, and each information_schema table is filtered by the schema as a constant: MariaDB
// then reads only that schema's tables. The referential rules are read apart and matched here: joined
// in, they made the query three times slower (0.09 s against 0.03 s for 200 tables with keys).
const FOREIGN_KEYS_SQL = `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, COLUMN_NAME AS column_name,
  REFERENCED_TABLE_SCHEMA AS referenced_schema, REFERENCED_TABLE_NAME AS referenced_table,
  REFERENCED_COLUMN_NAME AS referenced_column
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL`;

const RULES_SQL = `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name,
  DELETE_RULE AS delete_rule, UPDATE_RULE AS update_rule
FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`;

// NON_UNIQUE and SUB_PART are BIGINTs, which the driver reads into text through a 64-bit integer object
// per value (the engine's connections ask for BIGINT as text): sent as text, they cost one string each.
const indexesSql = (server: Server) => `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name,
  CAST(NON_UNIQUE AS CHAR) AS non_unique, COLUMN_NAME AS column_name, CAST(SUB_PART AS CHAR) AS sub_part, INDEX_TYPE AS index_type,
  COLLATION AS collation,
  ${server.indexExpressions ? 'EXPRESSION' : 'NULL'} AS expression
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`;

// MariaDB's CHECK_CONSTRAINTS names the table, and a check's name is unique per table only (a column
// check is named after its column). MySQL's lacks the table; its check names are unique per schema, so
// TABLE_CONSTRAINTS supplies the table.
const checksSql = (server: Server) =>
  server.mariadb
    ? `SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, CHECK_CLAUSE AS check_clause
FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`
    : `SELECT tc.TABLE_NAME AS table_name, cc.CONSTRAINT_NAME AS constraint_name, cc.CHECK_CLAUSE AS check_clause
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc
  ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
  AND tc.CONSTRAINT_TYPE = 'CHECK'
WHERE cc.CONSTRAINT_SCHEMA = ?`;

/**
 * Catalog reflection for MySQL 8 and MariaDB 10.3+.
 *
 * @example
 * ```ts
 * const schema = await mysqlReflection.reflect(query, null, { tables: ['movies'] });
 * schema.tables[0].columns; // [{ name: 'id', type: Integer(), autoincrement: true, ... }, ...]
 * ```
 */
export const mysqlReflection: DialectReflection = {
  async defaultSchema(query) {
    const [row] = await query('SELECT DATABASE() AS current_schema');
    return text(row?.['current_schema']);
  },

  async tableNames(query, schema) {
    const rows = await query(
      'SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE())',
      [schema],
    );
    return rows
      .filter((row) => TABLE_TYPES.has(String(row['table_type'])))
      .map((row) => String(row['table_name']))
      .sort(compare);
  },

  async reflect(query, schema, options = {}) {
    const server = await readServer(query);
    const schemaName = schema ?? server.currentSchema;
    if (schemaName === null) {
      throw new InvalidRequestError('no database is selected: name one in the connection URL or pass a schema');
    }
    /** `sql` names the schema `schemaParams` times, then this adds the table filter and the order. */
    const select = async (sql: string, tableColumn: string, order: string, schemaParams = 1) => {
      const filter = tableFilter(tableColumn, options);
      return query(`${sql}${filter.sql} ORDER BY ${order}`, [...Array<string>(schemaParams).fill(schemaName), ...filter.params]);
    };
    const tableRows = await query(TABLES_SQL, [schemaName]);
    const columnRows = await select(COLUMNS_SQL, 'TABLE_NAME', 'TABLE_NAME, ORDINAL_POSITION');
    const keyRows = await select(FOREIGN_KEYS_SQL, 'TABLE_NAME', 'TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION', 2);
    const ruleRows = await select(RULES_SQL, 'TABLE_NAME', 'TABLE_NAME, CONSTRAINT_NAME');
    const indexRows = await select(indexesSql(server), 'TABLE_NAME', 'TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX');
    const checkTable = server.mariadb ? 'TABLE_NAME' : 'tc.TABLE_NAME';
    const checkRows = server.checkConstraints ? await select(checksSql(server), checkTable, 'table_name, constraint_name') : [];

    const wanted = options.tables === undefined ? null : new Set(options.tables);
    const drafts = new Map<string, TableDraft>();
    const views: string[] = [];
    for (const row of tableRows) {
      const name = String(row['table_name']);
      const type = text(row['table_type']) ?? '';
      if (type === 'VIEW') views.push(name);
      else if (TABLE_TYPES.has(type) && (wanted === null || wanted.has(name))) {
        drafts.set(name, newDraft(name, text(row['table_comment']) || null, tableOptions(row)));
      }
    }
    // Checks first: reading the columns folds MariaDB's JSON checks into the column type.
    readChecks(checkRows, drafts);
    readColumns(columnRows, drafts, server);
    readForeignKeys(keyRows, ruleRows, drafts, server);
    readIndexes(indexRows, drafts);

    const tables = [...drafts.values()].sort((a, b) => compare(a.name, b.name)).map((d) => freeze(d, schema));
    return { tables, views: views.sort(compare), enums: [], sequences: [] } satisfies ReflectedSchema;
  },
};

async function readServer(query: QueryFn): Promise<Server> {
  const [row] = await query(SERVER_SQL);
  const version = text(row?.['version']) ?? '';
  const mariadb = /mariadb/i.test(version);
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  const atLeast = (a: number, b: number, c: number) => major !== a ? major > a : minor !== b ? minor > b : patch >= c;
  return {
    mariadb,
    indexExpressions: !mariadb && atLeast(8, 0, 13),
    checkConstraints: mariadb ? atLeast(10, 3, 10) : atLeast(8, 0, 16),
    currentSchema: text(row?.['current_schema']),
  };
}

/** `AND <column> IN (?, ...)` for `options.tables`: one statement however many names. */
function tableFilter(column: string, options: ReflectOptions): { sql: string; params: string[] } {
  if (options.tables === undefined) return { sql: '', params: [] };
  if (options.tables.length === 0) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND ${column} IN (${options.tables.map(() => '?').join(', ')})`, params: [...options.tables] };
}

/** ENGINE, DEFAULT CHARSET and COLLATE, as the table has them (a table always has all three). */
function tableOptions(row: Row): TableServerOptions {
  const [mysqlEngine, mysqlCharset, mysqlCollation] = [text(row['engine']), text(row['table_charset']), text(row['table_collation'])];
  return {
    ...(mysqlEngine === null ? {} : { mysqlEngine }),
    ...(mysqlCharset === null ? {} : { mysqlCharset }),
    ...(mysqlCollation === null ? {} : { mysqlCollation }),
  };
}

function newDraft(name: string, comment: string | null, options: TableServerOptions): TableDraft {
  return { name, comment, options, columns: [], primaryKey: [], foreignKeys: new Map(), uniques: new Map(), indexes: [], checks: [] };
}

function readChecks(rows: readonly Row[], drafts: ReadonlyMap<string, TableDraft>): void {
  for (const row of rows) {
    const draft = drafts.get(String(row['table_name']));
    // MySQL 8 keeps the outer parentheses (`(\`b\` >= 0)`), MariaDB does not (`\`b\` >= 0`).
    draft?.checks.push({ name: text(row['constraint_name']), sqltext: text(row['check_clause']) ?? '' });
  }
}

function readColumns(rows: readonly Row[], drafts: ReadonlyMap<string, TableDraft>, server: Server): void {
  for (const row of rows) {
    const draft = drafts.get(String(row['table_name']));
    if (draft === undefined) continue; // a view's columns, or a table not asked for
    const name = String(row['column_name']);
    // EXTRA also says DEFAULT_GENERATED (MySQL) and VIRTUAL/STORED GENERATED.
    const extra = text(row['extra']) ?? '';
    const onUpdate = /\bon update (\w+(?:\(\d*\))?)/i.exec(extra)?.[1];
    const autoincrement = extra.toLowerCase().includes('auto_increment');
    const generated = /\b(stored|virtual|persistent) generated\b/i.exec(extra)?.[1]?.toLowerCase();
    const expression = text(row['generation_expression']);
    const dataType = text(row['data_type']) ?? '';
    const json = server.mariadb && dataType === 'longtext' && takeJsonCheck(draft, name);
    draft.columns.push({
      name,
      type: json ? t.JSON() : mysqlColumnType(String(row['column_type'])),
      nullable: row['is_nullable'] === 'YES',
      default: autoincrement || generated !== undefined ? null : mysqlColumnDefault(text(row['column_default']), { dataType, extra, mariadb: server.mariadb }),
      autoincrement,
      comment: text(row['column_comment']) || null,
      ...(onUpdate === undefined ? {} : { mysqlOnUpdate: onUpdate }),
      ...(generated === undefined || expression === null ? {} : { computed: { sqltext: expression, persisted: generated !== 'virtual' } }),
      ...(json ? {} : columnText(row, draft.options)),
    });
  }
}

/**
 * A text column's character set and collation, where they differ from its table's (the common case,
 * inheriting them, says nothing, so a model need not repeat its table's).
 */
function columnText(row: Row, table: TableServerOptions): ColumnServerOptions {
  const [charset, collation] = [text(row['charset']), text(row['collation'])];
  if (collation === null || collation === table.mysqlCollation) return {};
  return { ...(charset === null || charset === table.mysqlCharset ? {} : { mysqlCharset: charset }), mysqlCollation: collation };
}

/**
 * MariaDB's JSON is an alias: the column is LONGTEXT (utf8mb4_bin) plus a column-level CHECK named after
 * the column, `json_valid(\`col\`)`. Finds and removes that check, so the column reads back as `t.JSON()`
 * and no check appears that the model never declared. The server adds it only when the column has no
 * CHECK of its own; a JSON column with one reads back as LONGTEXT. (MySQL's JSON is a type of its own.)
 */
function takeJsonCheck(draft: TableDraft, column: string): boolean {
  const clause = `json_valid(\`${column.replace(/`/g, '``')}\`)`;
  const at = draft.checks.findIndex((check) => check.name === column && check.sqltext.toLowerCase() === clause.toLowerCase());
  if (at >= 0) draft.checks.splice(at, 1);
  return at >= 0;
}

/** Foreign keys, with their columns in order and their ON DELETE / ON UPDATE rules. */
function readForeignKeys(rows: readonly Row[], ruleRows: readonly Row[], drafts: ReadonlyMap<string, TableDraft>, { currentSchema, mariadb }: Server): void {
  const rules = new Map(ruleRows.map((rule) => [`${String(rule['table_name'])}\0${String(rule['constraint_name'])}`, rule]));
  for (const row of rows) {
    const draft = drafts.get(String(row['table_name']));
    const column = text(row['column_name']);
    if (draft === undefined || column === null) continue;
    const name = String(row['constraint_name']);
    let fk = draft.foreignKeys.get(name);
    if (fk === undefined) {
      const referredSchema = text(row['referenced_schema']);
      const rule = rules.get(`${String(row['table_name'])}\0${name}`);
      fk = {
        name,
        columns: [],
        referredSchema: referredSchema === currentSchema ? null : referredSchema,
        referredTable: String(row['referenced_table']),
        referredColumns: [],
        onDelete: referentialAction(rule?.['delete_rule'], mariadb),
        onUpdate: referentialAction(rule?.['update_rule'], mariadb),
        deferrable: false,
        initially: null,
      };
      draft.foreignKeys.set(name, fk);
    }
    fk.columns.push(column);
    fk.referredColumns.push(String(row['referenced_column']));
  }
}

/**
 * CASCADE, SET NULL and SET DEFAULT as such; the default as null. InnoDB checks NO ACTION at once,
 * exactly like RESTRICT; MySQL reports its default as NO ACTION, MariaDB as RESTRICT, and MariaDB keeps
 * a NO ACTION that was written out, which is kept here so that a rebuilt table says it too. InnoDB
 * rejects SET DEFAULT, so it only appears on other engines.
 */
function referentialAction(rule: unknown, mariadb: boolean): string | null {
  const action = text(rule)?.toUpperCase() ?? null;
  return action === null || action === 'RESTRICT' || (action === 'NO ACTION' && !mariadb) ? null : action;
}

interface IndexDraft {
  readonly table: TableDraft;
  readonly name: string;
  readonly unique: boolean;
  readonly columns: (string | null)[];
  readonly expressions: (string | null)[];
  readonly lengths: [string, number][];
  readonly descending: string[];
  readonly prefix: MysqlIndexPrefix | null;
}

/**
 * Indexes from STATISTICS, one row per indexed column, and the constraints that are indexes in MySQL: the
 * `PRIMARY` index is the primary key (read back unnamed: MySQL calls every one `PRIMARY` and cannot name
 * it otherwise), and a unique index is a UNIQUE constraint (the servers list every unique index as one
 * in TABLE_CONSTRAINTS), unless it has a prefix length, a descending column or an expression, which a
 * unique constraint cannot say: then it is an index. An index InnoDB made for a foreign key reads as
 * `implicit`.
 */
function readIndexes(rows: readonly Row[], drafts: ReadonlyMap<string, TableDraft>): void {
  const indexes = new Map<string, IndexDraft>();
  for (const row of rows) {
    const table = drafts.get(String(row['table_name']));
    const name = String(row['index_name']);
    if (table === undefined) continue;
    if (name === 'PRIMARY') {
      const column = text(row['column_name']);
      if (column !== null) table.primaryKey.push(column);
      continue;
    }
    const key = `${table.name}\0${name}`;
    let index = indexes.get(key);
    if (index === undefined) {
      const type = text(row['index_type'])?.toUpperCase();
      const prefix = type === 'FULLTEXT' || type === 'SPATIAL' ? type : null;
      index = { table, name, unique: Number(row['non_unique']) === 0, columns: [], expressions: [], lengths: [], descending: [], prefix };
      indexes.set(key, index);
    }
    const column = text(row['column_name']);
    const subPart = row['sub_part'] === null || row['sub_part'] === undefined ? null : Number(row['sub_part']);
    index.columns.push(column);
    index.expressions.push(column === null ? text(row['expression']) : null);
    if (column !== null && subPart !== null) index.lengths.push([column, subPart]);
    // COLLATION: 'A' ascending, 'D' descending (MySQL 8, MariaDB 10.8), NULL not ordered (FULLTEXT).
    if (column !== null && text(row['collation']) === 'D') index.descending.push(column);
  }
  for (const { table, name, unique, columns, expressions, lengths, descending, prefix } of indexes.values()) {
    const plain = lengths.length === 0 && descending.length === 0 && columns.every((c) => c !== null);
    if (unique && plain) {
      table.uniques.set(name, columns as string[]);
      continue;
    }
    table.indexes.push({
      name,
      columns,
      expressions,
      unique,
      ...(lengths.length > 0 ? { mysqlLength: Object.fromEntries(lengths) } : {}),
      ...(prefix === null ? {} : { mysqlPrefix: prefix }),
      ...(descending.length === 0 ? {} : { order: Object.fromEntries(descending.map((c) => [c, 'DESC' as const])) }),
      implicit: !unique && plain && prefix === null && isForeignKeyIndex(table, name, columns as string[]),
    });
  }
}

/**
 * InnoDB needs an index on a foreign key's columns and creates one when none exists, named after the
 * constraint when it is named (`CONSTRAINT fk_x FOREIGN KEY ...`); an unnamed constraint becomes
 * `<table>_ibfk_<n>` and its index is named after its first column (`_2`, `_3` ... on a clash).
 */
function isForeignKeyIndex(table: TableDraft, name: string, columns: readonly string[]): boolean {
  for (const fk of table.foreignKeys.values()) {
    if (!sameList(fk.columns, columns)) continue;
    if (fk.name === name) return true;
    const first = fk.columns[0] ?? '';
    const generated = fk.name !== null && fk.name.startsWith(`${table.name}_ibfk_`);
    const suffix = name.startsWith(`${first}_`) ? name.slice(first.length + 1) : null;
    if (generated && (name === first || (suffix !== null && /^\d+$/.test(suffix)))) return true;
  }
  return false;
}

function freeze(draft: TableDraft, schema: string | null): ReflectedTable {
  return {
    name: draft.name,
    schema,
    comment: draft.comment,
    ...draft.options,
    columns: draft.columns,
    primaryKey: draft.primaryKey.length === 0 ? null : { name: null, columns: draft.primaryKey },
    foreignKeys: [...draft.foreignKeys.values()].sort(byName),
    indexes: draft.indexes.sort(byName),
    uniqueConstraints: [...draft.uniques].map(([name, columns]) => ({ name, columns })).sort(byName),
    checkConstraints: draft.checks.sort(byName),
  };
}

/** A catalog value as text; information_schema columns can come back as Buffers with a binary collation. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** Code-unit order, so the result does not depend on the server's collation or the process locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName(a: { readonly name: string | null }, b: { readonly name: string | null }): number {
  return compare(a.name ?? '', b.name ?? '');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
