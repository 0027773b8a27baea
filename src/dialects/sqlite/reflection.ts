/**
 * SQLite catalog reflection. A schema is read in four queries whatever its size: the table-valued
 * pragma functions (`pragma_table_xinfo`, `pragma_index_list`, ...) are joined against `sqlite_schema`
 * so one SELECT covers every table. What the pragmas do not keep (constraint names, CHECKs, foreign
 * key deferrability, index expressions) is parsed from the DDL text SQLite stores.
 */
import { t } from '../../types/index.js';
import type { TypeEngine } from '../../types/type-engine.js';
import type {
  DialectReflection,
  QueryFn,
  ReflectedForeignKey,
  ReflectedIndex,
  ReflectedSchema,
  ReflectedTable,
  ReflectedUnique,
  ReflectOptions,
} from '../reflection.js';
import { enumsFromChecks } from './enum-check.js';
import {
  type DeclaredType,
  type ParsedForeignKey,
  type ParsedTable,
  parseCreateIndex,
  parseCreateTable,
  tokenize,
  parseDeclaredType,
} from './reflection-parse.js';

type Row = Record<string, unknown>;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** Identifiers compare without case in SQLite (ASCII only, as SQLite folds them). */
const fold = (name: string): string => name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
const sameNames = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => fold(name) === fold(b[i]!));

/** Tables of `sqlite_schema AS m`, without SQLite's own (`sqlite_sequence`, `sqlite_stat1`). */
const USER_TABLES = `m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;

/** The SQL and parameters shared by the per-table pragma queries. */
interface Scope {
  /** `"main".sqlite_schema`, or the attached database's. */
  readonly master: string;
  /** The schema argument of the pragma functions. */
  readonly schema: string;
  /** The WHERE condition selecting the tables, with its parameters. */
  readonly where: string;
  readonly params: readonly unknown[];
}

function scopeOf(schema: string | null, options: ReflectOptions): Scope {
  const name = schema ?? 'main';
  const master = `${quote(name)}.sqlite_schema`;
  if (options.tables === undefined) return { master, schema: name, where: USER_TABLES, params: [] };
  // One JSON parameter keeps the statement the same whatever the number of tables asked for.
  const where = `${USER_TABLES} AND m.name IN (SELECT value FROM json_each(?))`;
  return { master, schema: name, where, params: [JSON.stringify(options.tables)] };
}

/** Groups rows by a key, keeping the rows' order within each group. */
function groupBy(rows: readonly Row[], key: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [row]);
    else group.push(row);
  }
  return groups;
}

const byTable = (row: Row): string => row.table_name as string;

export const sqliteReflection: DialectReflection = {
  async defaultSchema() {
    return null;
  },

  async tableNames(query, schema) {
    const { master, where } = scopeOf(schema, {});
    const rows = await query(`SELECT m.name AS name FROM ${master} AS m WHERE ${where} ORDER BY m.name`);
    return rows.map((row) => row.name as string);
  },

  async reflect(query, schema, options = {}) {
    const scope = scopeOf(schema, options);
    // One after another: the caller's connection may not run statements concurrently.
    const objects = await query(`SELECT m.type, m.name, m.tbl_name, m.sql FROM ${scope.master} AS m ORDER BY m.name`);
    const columns = await queryColumns(query, scope);
    const indexes = await queryIndexes(query, scope);
    const foreignKeys = await queryForeignKeys(query, scope);
    // The counters of AUTOINCREMENT keys; the table exists once such a key has.
    const hasSequences = objects.some((row) => row.type === 'table' && row.name === 'sqlite_sequence');
    const sequences = new Map(hasSequences ? (await query(`SELECT name, seq FROM ${quote(scope.schema)}.sqlite_sequence`)).map((row) => [row.name as string, BigInt(row.seq as number)]) : []);
    const sqlByName = new Map(objects.map((row) => [`${String(row.type)}:${String(row.name)}`, row.sql as string | null]));
    const columnsByTable = groupBy(columns, byTable);
    const indexesByTable = groupBy(indexes, byTable);
    const foreignKeysByTable = groupBy(foreignKeys, byTable);
    // In the queries' ORDER BY m.name (byte order), the same order tableNames() gives.
    const tables: ReflectedTable[] = [...columnsByTable.keys()].map((name) =>
      buildTable(name, schema, {
        sql: sqlByName.get(`table:${name}`) ?? null,
        columns: columnsByTable.get(name)!,
        indexes: indexesByTable.get(name) ?? [],
        foreignKeys: foreignKeysByTable.get(name) ?? [],
        sequence: sequences.get(name) ?? null,
        indexSql: (index) => sqlByName.get(`index:${index}`) ?? null,
      }),
    );
    const views = objects.filter((row) => row.type === 'view').map((row) => row.name as string);
    return { tables, views, enums: [], sequences: [] } satisfies ReflectedSchema;
  },
};

function queryColumns(query: QueryFn, scope: Scope): Promise<Row[]> {
  return query(
    `SELECT m.name AS table_name, c.cid, c.name, c.type, c."notnull" AS not_null, c.dflt_value, c.pk, c.hidden
     FROM ${scope.master} AS m JOIN pragma_table_xinfo(m.name, ?) AS c
     WHERE ${scope.where} ORDER BY m.name, c.cid`,
    [scope.schema, ...scope.params],
  );
}

/** Key columns of every index (origin 'c' CREATE INDEX, 'u' UNIQUE, 'pk' PRIMARY KEY); cid -2 is an expression. */
function queryIndexes(query: QueryFn, scope: Scope): Promise<Row[]> {
  return query(
    `SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique, il.origin, x.seqno, x.cid, x.name AS column_name, x."desc" AS is_desc
     FROM ${scope.master} AS m JOIN pragma_index_list(m.name, ?) AS il JOIN pragma_index_xinfo(il.name, ?) AS x
     WHERE ${scope.where} AND x.key = 1 ORDER BY m.name, il.name, x.seqno`,
    [scope.schema, scope.schema, ...scope.params],
  );
}

/**
 * Foreign key columns. `REFERENCES parent` without a column list leaves `to` null: it means the parent's
 * primary key, whose columns the LEFT JOIN supplies in key order. Ids count from the last key written.
 */
function queryForeignKeys(query: QueryFn, scope: Scope): Promise<Row[]> {
  return query(
    `SELECT m.name AS table_name, fk.id, fk."table" AS referred_table, fk."from" AS column_name,
            coalesce(fk."to", pk.name) AS referred_column, fk.on_update, fk.on_delete
     FROM ${scope.master} AS m JOIN pragma_foreign_key_list(m.name, ?) AS fk
     LEFT JOIN pragma_table_info(fk."table", ?) AS pk ON fk."to" IS NULL AND pk.pk = fk.seq + 1
     WHERE ${scope.where} ORDER BY m.name, fk.id DESC, fk.seq`,
    [scope.schema, scope.schema, ...scope.params],
  );
}

interface TableRows {
  readonly sql: string | null;
  readonly columns: readonly Row[];
  readonly indexes: readonly Row[];
  readonly foreignKeys: readonly Row[];
  /** The last value an AUTOINCREMENT key gave (sqlite_sequence), or null. */
  readonly sequence: bigint | null;
  readonly indexSql: (name: string) => string | null;
}

function buildTable(name: string, schema: string | null, rows: TableRows): ReflectedTable {
  const parsed = parseCreateTable(rows.sql ?? '');
  const indexes = groupBy(rows.indexes, (row) => row.index_name as string);
  const origin = (group: Row[]): string => group[0]!.origin as string;
  const keyColumns = rows.columns
    .filter((row) => Number(row.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((row) => row.name as string);
  // A rowid table's primary key gets an index unless it is the rowid itself (a lone INTEGER PRIMARY KEY);
  // WITHOUT ROWID tables always have one. So no 'pk' index and one key column means the rowid alias.
  const rowidAlias = keyColumns.length === 1 && ![...indexes.values()].some((group) => origin(group) === 'pk');
  // AUTOINCREMENT (allowed on the rowid alias only) is an identity whose start is the next value it gives.
  const counted = rowidAlias && tokenize(rows.sql ?? '').some((token) => token.kind === 'word' && token.value.toUpperCase() === 'AUTOINCREMENT');
  const next = (rows.sequence ?? 0n) + 1n;
  const identity = counted ? { identity: { start: next <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(next) : next } } : {};
  const declared = rows.columns
    // hidden 1: a virtual table's hidden column; 2 and 3 are generated columns, which are real columns.
    .filter((row) => Number(row.hidden) !== 1)
    .map((row) => {
      const alias = rowidAlias && Number(row.pk) === 1;
      // hidden 2 is a VIRTUAL generated column, 3 a STORED one.
      const hidden = Number(row.hidden);
      const expression = parsed.generated.get(row.name as string);
      return {
        name: row.name as string,
        type: reflectedType(row.type as string),
        // The rowid alias never holds NULL although the pragma reports it without NOT NULL.
        nullable: Number(row.not_null) === 0 && !alias,
        default: (row.dflt_value as string | null) ?? null,
        autoincrement: alias,
        ...(alias ? identity : {}),
        comment: null,
        ...(hidden < 2 || expression === undefined ? {} : { computed: { sqltext: expression, persisted: hidden === 3 } }),
      };
    });
  const { columns, checks } = enumsFromChecks(declared, parsed.checks);
  const groups = [...indexes].filter(([, group]) => origin(group) === 'c');
  return {
    name,
    schema,
    comment: null,
    columns,
    primaryKey: keyColumns.length === 0 ? null : { name: parsed.primaryKeyName, columns: keyColumns },
    foreignKeys: foreignKeysOf(rows.foreignKeys, parsed),
    indexes: groups.map(([indexName, group]) => indexOf(indexName, group, rows.indexSql(indexName))),
    uniqueConstraints: uniquesOf(indexes, parsed),
    checkConstraints: checks.map((check) => ({ name: check.name, sqltext: check.sqltext })),
  };
}

/** A CREATE INDEX index; expression items take their text from the index's DDL. */
function indexOf(name: string, group: readonly Row[], sql: string | null): ReflectedIndex {
  const items = sql === null ? [] : parseCreateIndex(sql).items;
  const descending = group.filter((row) => Number(row.cid) >= 0 && Number(row.is_desc) === 1).map((row) => row.column_name as string);
  return {
    name,
    columns: group.map((row) => (Number(row.cid) >= 0 ? (row.column_name as string) : null)),
    expressions: group.map((row) => (Number(row.cid) >= 0 ? null : (items[Number(row.seqno)] ?? null))),
    unique: Number(group[0]!.is_unique) === 1,
    ...(descending.length === 0 ? {} : { order: Object.fromEntries(descending.map((c) => [c, 'DESC' as const])) }),
    implicit: false,
  };
}

/**
 * UNIQUE constraints are the `sqlite_autoindex_<table>_<n>` indexes of origin 'u', in the order written.
 * SQLite drops a UNIQUE that repeats the primary key or an earlier UNIQUE, so the indexes, not the DDL,
 * say which exist; the DDL only names them. Among same-column UNIQUEs a named one wins.
 */
function uniquesOf(indexes: ReadonlyMap<string, Row[]>, parsed: ParsedTable): ReflectedUnique[] {
  const ordinal = (name: string): number => Number(/_(\d+)$/.exec(name)?.[1] ?? 0);
  const unused = [...parsed.uniques];
  return [...indexes]
    .filter(([, group]) => group[0]!.origin === 'u')
    .sort(([a], [b]) => ordinal(a) - ordinal(b))
    .map(([, group]) => {
      const columns = group.map((row) => row.column_name as string);
      const candidates = unused.filter((unique) => sameNames(unique.columns, columns));
      const match = candidates.find((unique) => unique.name !== null) ?? candidates[0];
      if (match !== undefined) unused.splice(unused.indexOf(match), 1);
      return { name: match?.name ?? null, columns };
    });
}

const ACTION_DEFAULT = 'NO ACTION';

/** Foreign keys in the order written, named and made deferrable from the DDL by their columns and parent. */
function foreignKeysOf(rows: readonly Row[], parsed: ParsedTable): ReflectedForeignKey[] {
  const unused: ParsedForeignKey[] = [...parsed.foreignKeys];
  return [...groupBy(rows, (row) => String(row.id)).values()].map((group) => {
    const first = group[0]!;
    const referredTable = first.referred_table as string;
    const columns = group.map((row) => row.column_name as string);
    const referred = group.map((row) => row.referred_column as string | null);
    const index = unused.findIndex((fk) => sameNames(fk.columns, columns) && fold(fk.referredTable) === fold(referredTable));
    const match = index === -1 ? undefined : unused.splice(index, 1)[0];
    const action = (value: unknown): string | null => (value === ACTION_DEFAULT ? null : (value as string));
    return {
      name: match?.name ?? null,
      columns,
      referredSchema: null,
      referredTable,
      // A parent that does not exist (SQLite allows it) has no key to resolve `REFERENCES parent` to.
      referredColumns: referred.every((column) => column !== null) ? referred : [],
      onDelete: action(first.on_delete),
      onUpdate: action(first.on_update),
      deferrable: match?.deferrable ?? false,
      initially: match?.initially ?? null,
    };
  });
}

// ---- types ------------------------------------------------------------------------------------

type TypeFactory = (args: readonly number[]) => TypeEngine | null;

const plain =
  (make: () => TypeEngine): TypeFactory =>
  (args) =>
    args.length === 0 ? make() : null;
const sized =
  (max: number, make: (...args: number[]) => TypeEngine): TypeFactory =>
  (args) =>
    args.length <= max ? make(...args) : null;

/**
 * Declared types read back as generic types: the spellings tsmig's SQLite DDL writes
 * (`sqlite/type-compiler.ts`), so a model round-trips. Synonyms (REAL, DOUBLE, DECIMAL) keep their
 * spelling over the generic type they mean, so a table rebuilt from reflection declares what it did.
 */
const GENERIC_SPELLINGS: Readonly<Record<string, TypeFactory>> = {
  INTEGER: plain(t.Integer),
  BIGINT: plain(t.BigInteger),
  SMALLINT: plain(t.SmallInteger),
  VARCHAR: sized(1, (length) => t.String(length)),
  TEXT: plain(t.Text),
  BOOLEAN: plain(t.Boolean),
  DATE: plain(t.Date),
  DATETIME: plain(() => t.DateTime()),
  TIME: plain(t.Time),
  FLOAT: sized(1, (precision) => t.Float(precision)),
  NUMERIC: sized(2, (precision, scale) => t.Numeric(precision, scale)),
  JSON: plain(() => t.JSON()),
  // tsmig writes t.Uuid() as CHAR(36) on SQLite, so exactly that spelling reads back as a Uuid.
  CHAR: (args) => (args.length === 1 && args[0] === 36 ? t.Uuid() : null),
  BLOB: sized(1, (length) => t.LargeBinary(length)),
};

/** Names whose values affinity would misread: TIMESTAMP has NUMERIC affinity but holds date text. */
const KNOWN_BASES: Readonly<Record<string, () => TypeEngine>> = {
  TIMESTAMP: () => t.DateTime(),
  BOOL: t.Boolean,
};

/** The generic type behind SQLite's type affinity rules (https://sqlite.org/datatype3.html#affname). */
function affinityType(name: string, args: readonly number[]): TypeEngine {
  if (name.includes('INT')) return t.Integer();
  if (/CHAR|CLOB|TEXT/.test(name)) return args.length === 1 ? t.String(args[0]) : t.Text();
  if (name.includes('BLOB')) return t.LargeBinary();
  if (/REAL|FLOA|DOUB/.test(name)) return t.Float();
  return args.length <= 2 ? t.Numeric(args[0], args[1]) : t.Numeric();
}

/**
 * The tsmig type of a declared column type. Other names keep their spelling as a SQLite-specific type
 * carrying the generic type their affinity implies (`INT` -> `t.dialectType('sqlite', 'INT', t.Integer())`).
 * A column declared without a type (it stores any value as given) is `t.dialectType('sqlite', '',
 * t.Text())`: the empty name recreates it typeless on SQLite, and Text converts no values.
 * @internal
 */
export function reflectedType(declared: string): TypeEngine {
  const parsed: DeclaredType | null = parseDeclaredType(declared);
  if (parsed === null) {
    const raw = declared.trim();
    return t.dialectType('sqlite', raw, affinityType(raw.toUpperCase(), []));
  }
  const { name, args } = parsed;
  const generic = GENERIC_SPELLINGS[name]?.(args);
  if (generic != null) return generic;
  const sqlName = args.length === 0 ? name : `${name}(${args.join(', ')})`;
  if (name === '') return t.dialectType('sqlite', '', t.Text());
  return t.dialectType('sqlite', sqlName, KNOWN_BASES[name]?.() ?? affinityType(name, args));
}
