/**
 * PostgreSQL catalog reflection: reads a schema from pg_catalog in six queries whatever the number of
 * tables (relations, columns, constraints, indexes, enums, sequences). It only builds SQL text and reads rows; the
 * caller's QueryFn runs the SQL. Schema and table names always travel as parameters.
 */
import type {
  DialectReflection,
  QueryFn,
  ReflectedCheck,
  ReflectedColumn,
  ReflectedForeignKey,
  ReflectedIndex,
  ReflectedPrimaryKey,
  ReflectedSequence,
  ReflectedTable,
  ReflectedUnique,
} from '../reflection.js';
import type { SequenceParameters } from '../../schema/sequence.js';
import { canonicalIndexOrder, type IndexOrder } from '../../schema/table-index.js';
import { postgresqlColumnType } from './reflection-types.js';

/** `$1` is the schema name, or null for `current_schema()`. */
const SCHEMA = `COALESCE($1::text, current_schema())`;

/** Tables (filtered by `$2`, a JSON array of names, or null for all) and every view of the schema. */
const RELATIONS_SQL = `
SELECT c.oid::text AS oid, c.relname AS name, c.relkind AS kind,
       obj_description(c.oid, 'pg_class') AS comment, current_schema() AS default_schema
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ${SCHEMA}
  AND (c.relkind IN ('v', 'm')
       OR (c.relkind IN ('r', 'p')
           AND ($2::jsonb IS NULL OR c.relname IN (SELECT jsonb_array_elements_text($2::jsonb)))))
ORDER BY c.relname COLLATE "C"`;

/** The relations of `$1`, a JSON array of table oids. */
const IN_TABLES = `IN (SELECT value::oid FROM jsonb_array_elements_text($1::jsonb))`;

const COLUMNS_SQL = `
SELECT a.attrelid::text AS table_oid, a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS format_type, ty.typname AS type_name, ty.typtype AS type_kind,
       CASE WHEN ty.typtype = 'e' THEN
         (SELECT COALESCE(json_agg(e.enumlabel ORDER BY e.enumsortorder), '[]')
          FROM pg_catalog.pg_enum e WHERE e.enumtypid = ty.oid)
       END AS enum_values,
       CASE WHEN ty.typtype = 'd' THEN format_type(ty.typbasetype, ty.typtypmod) END AS domain_base,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default_expr,
       a.attidentity <> '' AS is_identity, a.attidentity AS identity_kind,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated_expr,
       (SELECT json_build_object('data_type', format_type(s.seqtypid, NULL), 'start', s.seqstart::text,
                 'increment', s.seqincrement::text, 'min_value', s.seqmin::text, 'max_value', s.seqmax::text,
                 'cache', s.seqcache::text, 'cycle', s.seqcycle)
        FROM pg_catalog.pg_depend dep
        JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid
        WHERE a.attidentity <> '' AND dep.classid = 'pg_catalog.pg_class'::regclass
          AND dep.refclassid = 'pg_catalog.pg_class'::regclass
          AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i') AS identity_sequence,
       EXISTS (
         SELECT 1 FROM pg_catalog.pg_depend dep
         JOIN pg_catalog.pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
         WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
           AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'
       ) AS owns_sequence,
       col_description(a.attrelid, a.attnum) AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid ${IN_TABLES} AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

/** Attribute names of `keys` (an int2[] of attnums) of relation `rel`, in key order, as a JSON array. */
const attnames = (keys: string, rel: string) => `(
         SELECT json_agg(a.attname ORDER BY k.ord)
         FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_catalog.pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum)`;

/** Primary key, unique, foreign key and check constraints; NOT NULL is a column property here. */
const CONSTRAINTS_SQL = `
SELECT con.conrelid::text AS table_oid, con.conname AS name, con.contype AS type,
       ${attnames('con.conkey', 'con.conrelid')} AS columns,
       fn.nspname AS referred_schema, fc.relname AS referred_table,
       ${attnames('con.confkey', 'con.confrelid')} AS referred_columns,
       con.confdeltype AS on_delete, con.confupdtype AS on_update,
       con.condeferrable AS is_deferrable, con.condeferred AS is_deferred,
       CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid, true) END AS definition
FROM pg_catalog.pg_constraint con
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.conrelid ${IN_TABLES} AND con.contype IN ('p', 'u', 'f', 'c')
ORDER BY con.conrelid, con.conname COLLATE "C"`;

/**
 * Indexes other than those behind PRIMARY KEY, UNIQUE and EXCLUDE constraints. Only key items are read:
 * INCLUDE columns (after `indnkeyatts`) are not part of the contract's shape.
 */
const INDEXES_SQL = `
SELECT i.indrelid::text AS table_oid, ic.relname AS name, i.indisunique AS is_unique, am.amname AS method,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       (SELECT json_agg(json_build_object(
                  'column', a.attname, 'option', i.indoption[k.ord - 1],
                  'expression', CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) END)
                ORDER BY k.ord)
        FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
        WHERE k.ord <= i.indnkeyatts) AS items
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE i.indrelid ${IN_TABLES}
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_constraint con
    WHERE con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname COLLATE "C"`;

const ENUMS_SQL = `
SELECT ty.typname AS name,
       COALESCE(json_agg(e.enumlabel ORDER BY e.enumsortorder) FILTER (WHERE e.enumlabel IS NOT NULL), '[]') AS labels
FROM pg_catalog.pg_type ty
JOIN pg_catalog.pg_namespace n ON n.oid = ty.typnamespace
LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = ty.oid
WHERE n.nspname = ${SCHEMA} AND ty.typtype = 'e'
GROUP BY ty.typname
ORDER BY ty.typname COLLATE "C"`;

/**
 * Sequences no column owns (SERIAL's are owned with deptype 'a', IDENTITY's with 'i'), with the
 * parameters that differ from what CREATE SEQUENCE would pick by itself for their type and direction.
 */
const SEQUENCES_SQL = `
SELECT c.relname AS name, format_type(s.seqtypid, NULL) AS data_type, s.seqstart::text AS start,
       s.seqincrement::text AS increment, s.seqmin::text AS min_value, s.seqmax::text AS max_value,
       s.seqcache::text AS cache, s.seqcycle AS cycle
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ${SCHEMA}
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend dep
    WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid AND dep.deptype IN ('a', 'i'))
ORDER BY c.relname COLLATE "C"`;

const TABLE_NAMES_SQL = `
SELECT c.relname AS name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ${SCHEMA} AND c.relkind IN ('r', 'p')
ORDER BY c.relname COLLATE "C"`;

/** `confdeltype` / `confupdtype` codes; `a` (NO ACTION) is the default and reads as null. */
const REFERENTIAL_ACTIONS: Readonly<Record<string, string | null>> = {
  a: null,
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

type Row = Record<string, unknown>;

/** Groups rows by their `table_oid`. */
function byTable(rows: readonly Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = String(row.table_oid);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(row);
  }
  return groups;
}

/** A `json` column: parsed by pg already, or still text when a caller's driver leaves it so. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const flag = (value: unknown): boolean => value === true || value === 't' || value === 1;

function readColumn(row: Row): ReflectedColumn {
  const rawDefault = text(row.default_expr);
  const serial = flag(row.owns_sequence) && rawDefault !== null && rawDefault.startsWith('nextval(');
  const autoincrement = flag(row.is_identity) || serial;
  const generated = text(row.generated_expr);
  const sequence = row.identity_sequence == null ? null : json<Row>(row.identity_sequence);
  return {
    name: String(row.name),
    type: postgresqlColumnType({
      formatType: String(row.format_type),
      typeName: String(row.type_name),
      typeKind: String(row.type_kind),
      enumValues: row.enum_values === null ? null : json<string[]>(row.enum_values),
      domainBase: text(row.domain_base),
    }),
    nullable: !flag(row.not_null),
    default: autoincrement ? null : rawDefault,
    autoincrement,
    comment: text(row.comment),
    ...(sequence === null ? {} : { identity: { ...(row.identity_kind === 'a' ? { always: true } : {}), ...sequenceParametersOf(sequence, { withType: false }) } }),
    // PostgreSQL up to 17 has STORED generated columns only.
    ...(generated === null ? {} : { computed: { sqltext: generated, persisted: true } }),
  };
}

/** The condition inside `CHECK (...)`, without the NO INHERIT / NOT VALID markers that may follow it. */
function checkCondition(definition: string): string {
  const match = /^CHECK \((.*)\)(?: NO INHERIT)?(?: NOT VALID)?$/s.exec(definition);
  return match ? match[1]! : definition;
}

interface TableConstraints {
  primaryKey: ReflectedPrimaryKey | null;
  foreignKeys: ReflectedForeignKey[];
  uniqueConstraints: ReflectedUnique[];
  checkConstraints: ReflectedCheck[];
}

/**
 * Sorts one table's constraint rows by kind. `referredSchema` echoes the reflected schema argument when
 * the referred table sits in that schema, is null for the default schema, and names any other schema.
 */
function readConstraints(rows: readonly Row[], schema: string | null, resolved: string, defaultSchema: string): TableConstraints {
  const result: TableConstraints = { primaryKey: null, foreignKeys: [], uniqueConstraints: [], checkConstraints: [] };
  for (const row of rows) {
    const name = String(row.name);
    const columns = json<string[]>(row.columns) ?? [];
    switch (row.type) {
      case 'p':
        result.primaryKey = { name, columns };
        break;
      case 'u':
        result.uniqueConstraints.push({ name, columns });
        break;
      case 'c':
        result.checkConstraints.push({ name, sqltext: checkCondition(String(row.definition)) });
        break;
      case 'f': {
        const referredSchema = String(row.referred_schema);
        const deferrable = flag(row.is_deferrable);
        result.foreignKeys.push({
          name,
          columns,
          referredSchema: referredSchema === resolved ? schema : referredSchema === defaultSchema ? null : referredSchema,
          referredTable: String(row.referred_table),
          referredColumns: json<string[]>(row.referred_columns) ?? [],
          onDelete: REFERENTIAL_ACTIONS[String(row.on_delete)] ?? null,
          onUpdate: REFERENTIAL_ACTIONS[String(row.on_update)] ?? null,
          deferrable,
          initially: deferrable ? (flag(row.is_deferred) ? 'DEFERRED' : 'IMMEDIATE') : null,
        });
        break;
      }
    }
  }
  return result;
}

function readIndex(row: Row): ReflectedIndex {
  const items = json<{ column: string | null; expression: string | null; option: number | null }[]>(row.items) ?? [];
  // indoption: bit 1 DESC, bit 2 NULLS FIRST; only what differs from ASC NULLS LAST / DESC NULLS FIRST is kept.
  const order: [string, IndexOrder][] = [];
  for (const item of items) {
    const option = Number(item.option ?? 0);
    const words = `${option & 1 ? 'DESC' : 'ASC'} NULLS ${option & 2 ? 'FIRST' : 'LAST'}`;
    const canonical = canonicalIndexOrder(words, true);
    if (item.column !== null && canonical !== null) order.push([item.column, canonical as IndexOrder]);
  }
  const method = String(row.method);
  const predicate = text(row.predicate);
  return {
    name: String(row.name),
    columns: items.map((item) => item.column),
    expressions: items.map((item) => item.expression),
    unique: flag(row.is_unique),
    ...(method === 'btree' ? {} : { postgresqlUsing: method }),
    ...(predicate === null ? {} : { postgresqlWhere: predicate }),
    ...(order.length === 0 ? {} : { order: Object.fromEntries(order) }),
    implicit: false,
  };
}

/**
 * PostgreSQL's catalog reader.
 *
 * @example
 * ```ts
 * const schema = await postgresqlReflection.reflect(query, null); // current_schema(), usually public
 * schema.tables[0].columns[0].type.toString();                    // 'Integer()'
 * ```
 */
export const postgresqlReflection: DialectReflection = {
  async defaultSchema(query: QueryFn) {
    const [row] = await query('SELECT current_schema() AS name');
    return text(row?.name);
  },

  async tableNames(query: QueryFn, schema: string | null) {
    const rows = await query(TABLE_NAMES_SQL, [schema]);
    return rows.map((row) => String(row.name));
  },

  async reflect(query, schema, options = {}) {
    const filter = options.tables === undefined ? null : JSON.stringify(options.tables);
    const relations = await query(RELATIONS_SQL, [schema, filter]);
    const tables = relations.filter((r) => r.kind === 'r' || r.kind === 'p');
    const oids = [JSON.stringify(tables.map((r) => String(r.oid)))];
    const columns = byTable(await query(COLUMNS_SQL, oids));
    const constraints = byTable(await query(CONSTRAINTS_SQL, oids));
    const indexes = byTable(await query(INDEXES_SQL, oids));
    const enums = await query(ENUMS_SQL, [schema]);
    const sequences = await query(SEQUENCES_SQL, [schema]);

    const defaultSchema = String(relations[0]?.default_schema ?? '');
    const resolved = schema ?? defaultSchema;
    return {
      tables: tables.map((row): ReflectedTable => {
        const oid = String(row.oid);
        return {
          name: String(row.name),
          schema,
          comment: text(row.comment),
          columns: (columns.get(oid) ?? []).map(readColumn),
          ...readConstraints(constraints.get(oid) ?? [], schema, resolved, defaultSchema),
          indexes: (indexes.get(oid) ?? []).map(readIndex),
        };
      }),
      views: relations.filter((r) => r.kind === 'v' || r.kind === 'm').map((r) => String(r.name)),
      enums: enums.map((row) => ({ name: String(row.name), schema, values: json<string[]>(row.labels) })),
      sequences: sequences.map((row) => readSequence(row, schema)),
    };
  },
};

/**
 * A sequence with the parameters CREATE SEQUENCE would not pick by itself: bigint is the default type,
 * 1 the default increment and cache, and the bounds default to 1 and the type's maximum going up (the
 * type's minimum and -1 going down), the start to the bound it counts from.
 */
function readSequence(row: Row, schema: string | null): ReflectedSequence {
  return { name: String(row.name), schema, ...sequenceParametersOf(row, { withType: true }) };
}

const TYPE_MAX: Readonly<Record<string, bigint>> = { smallint: 32767n, integer: 2147483647n, bigint: 9223372036854775807n };

/** The parameters of a sequence's catalog row that differ from its defaults (an identity's type is its column's). */
function sequenceParametersOf(row: Row, options: { withType: boolean }): SequenceParameters {
  const number = (value: unknown): number | bigint => {
    const big = BigInt(String(value));
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  };
  const typeMax = TYPE_MAX[String(row.data_type)] ?? TYPE_MAX['bigint']!;
  const ascending = BigInt(String(row.increment)) > 0n;
  const [minDefault, maxDefault] = ascending ? [1n, typeMax] : [-typeMax - 1n, -1n];
  const min = BigInt(String(row.min_value));
  const max = BigInt(String(row.max_value));
  const start = BigInt(String(row.start));
  const dataType = String(row.data_type) as NonNullable<ReflectedSequence['dataType']>;
  return {
    ...(dataType === 'bigint' || !options.withType ? {} : { dataType }),
    ...(String(row.increment) === '1' ? {} : { increment: number(row.increment) }),
    ...(min === minDefault ? {} : { minValue: number(min) }),
    ...(max === maxDefault ? {} : { maxValue: number(max) }),
    ...(start === (ascending ? min : max) ? {} : { start: number(start) }),
    ...(String(row.cache) === '1' ? {} : { cache: number(row.cache) }),
    ...(flag(row.cycle) ? { cycle: true } : {}),
  };
}
