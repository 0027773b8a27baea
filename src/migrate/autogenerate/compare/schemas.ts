/**
 * The comparison of the models with the database, schema by schema: which tables and columns are
 * renamed (stated renames only), then tables, and for each table found on both sides its columns,
 * comment, primary key, indexes, unique constraints, foreign keys and checks; then enum types. The
 * database side is first rewritten as the renames leave it, so every comparator sees new names only.
 */
import type { ReflectedSchema, ReflectedTable } from '../../../schema/reflected.js';
import type { Table } from '../../../schema/table.js';
import { ArgumentError } from '../../../errors.js';
import { identifierBytes } from '../../../util/identifier-length.js';
import { AlterColumnOp } from '../../operations/ops/column.js';
import { RenameTableOp } from '../../operations/ops/table.js';
import { isTsmigTable } from '../../runtime/version-table.js';
import { type CompareContext, qualified } from '../context.js';
import { compareCheckConstraints } from './checks.js';
import { compareColumns, existingHints, reflectedColumnsByName } from './columns.js';
import { compareTableComment } from './comments.js';
import { compareEnums } from './enums.js';
import { renameIdentifiers } from '../../../util/rename-identifiers.js';
import { compareForeignKeys } from './foreign-keys.js';
import { compareIndexes } from './indexes.js';
import { comparePrimaryKey } from './primary-key.js';
import { compareSequences } from './sequences.js';
import { compareTables } from './tables.js';
import { compareUniqueConstraints } from './unique.js';

/** The database's schemas as reflected: null is the default schema. */
export type ReflectedSchemas = ReadonlyMap<string | null, ReflectedSchema>;

/** Fills `ctx.plan` with the changes that bring the database to the models; `onTableCompared` sees each table pair done. */
export function compareSchemas(ctx: CompareContext, database: ReflectedSchemas, onTableCompared?: (done: number, total: number) => void): void {
  const reflected = defaultSchemaNamed(ctx, database);
  const schemas = [...reflected.keys()];
  // The version table is tsmig's, even where a model declares it.
  const models = [...ctx.metadata.tables.values()].filter(
    (t) => schemas.includes(t.schema) && !isTsmigTable(ctx.versionTable, t.name, t.schema === ctx.defaultSchema ? null : t.schema) && ctx.include('table', t.name, null, false),
  );
  const found = schemas.flatMap((schema) =>
    reflected.get(schema)!.tables.filter(
      (t) =>
        !isTsmigTable(ctx.versionTable, t.name, t.schema) &&
        ctx.includeName(t.name, 'table', schema) &&
        ctx.include('table', t.name, null, true),
    ),
  );
  for (const model of models) checkIdentifierLengths(ctx, model);
  ctx.plan.setStart({ tables: found, namingConvention: ctx.metadata.namingConvention.templates });
  const renamed = applyRenames(ctx, models, found);
  const pairs = compareTables(ctx, models, renamed);
  onTableCompared?.(0, pairs.length);
  for (const [i, pair] of pairs.entries()) {
    compareColumns(ctx, pair);
    compareTableComment(ctx, pair);
    comparePrimaryKey(ctx, pair);
    compareIndexes(ctx, pair);
    compareUniqueConstraints(ctx, pair);
    compareForeignKeys(ctx, pair);
    compareCheckConstraints(ctx, pair);
    onTableCompared?.(i + 1, pairs.length);
  }
  for (const schema of schemas) {
    compareEnums(
      ctx,
      schema,
      models.filter((t) => t.schema === schema),
      renamed.filter((t) => t.schema === schema),
      reflected.get(schema)!.enums,
    );
    compareSequences(ctx, schema, reflected.get(schema)!.sequences);
  }
}

/**
 * Where the database cuts or refuses long names: bytes on PostgreSQL, characters on MySQL. A UTF-16 code
 * unit is at most `perCodeUnit` of them (3 UTF-8 bytes; a character of two units is at most 4 bytes).
 */
const IDENTIFIER_LIMITS: Partial<
  Record<CompareContext['dialect'], { readonly measure: (name: string) => number; readonly perCodeUnit: number; readonly max: number; readonly what: string }>
> = {
  postgresql: { measure: identifierBytes, perCodeUnit: 3, max: 63, what: 'bytes; PostgreSQL keeps 63 and cuts the rest, so the name in the database would never match' },
  mysql: { measure: (name) => [...name].length, perCodeUnit: 1, max: 64, what: 'characters; MySQL refuses more than 64' },
};

/**
 * A model name the database would cut or refuse is refused before any revision is written: the names
 * of the table, its columns, indexes and constraints. Only a name long enough to pass the limit is
 * measured.
 */
function checkIdentifierLengths(ctx: CompareContext, table: Table): void {
  const limit = IDENTIFIER_LIMITS[ctx.dialect];
  if (limit === undefined) return;
  const check = (kind: string, name: string) => {
    if (name.length * limit.perCodeUnit <= limit.max) return;
    const size = limit.measure(name);
    if (size > limit.max) {
      throw new ArgumentError(`the ${kind} name "${name}" on table "${table.fullName}" is ${size} ${limit.what}: give it a shorter name in the model`);
    }
  };
  check('table', table.name);
  for (const column of table.columns) check('column', column.name);
  for (const index of table.indexes) check('index', index.name.name ?? '');
  for (const constraint of table.constraints) check(`${constraint.kind} constraint`, constraint.name.name ?? '');
}

/**
 * The database's schemas as the models name them: where a model names the default schema explicitly
 * (`schema: 'public'` on PostgreSQL, the database's name on MySQL, `main` on SQLite), the default
 * schema's tables the models name so are reflected under that name, and foreign keys to them too. The
 * same table is never seen twice (once as the default schema, once by name).
 */
function defaultSchemaNamed(ctx: CompareContext, reflected: ReflectedSchemas): ReflectedSchemas {
  const named = ctx.defaultSchema;
  const inDefault = reflected.get(null);
  if (named === null || inDefault === undefined) return reflected;
  const explicit = new Set([...ctx.metadata.tables.values()].filter((t) => t.schema === named).map((t) => t.name));
  if (explicit.size === 0) return new Map([...reflected].filter(([schema]) => schema !== named));
  const bare = new Set([...ctx.metadata.tables.values()].filter((t) => t.schema === null).map((t) => t.name));
  const moves = (name: string) => explicit.has(name) && !bare.has(name);
  const rename = (table: ReflectedTable, schema: string | null): ReflectedTable => ({
    ...table,
    schema,
    foreignKeys: table.foreignKeys.map((fk) => (fk.referredSchema === null && moves(fk.referredTable) ? { ...fk, referredSchema: named } : fk)),
  });
  const result = new Map<string | null, ReflectedSchema>();
  for (const [schema, contents] of reflected) {
    if (schema === named) continue;
    if (schema !== null) {
      result.set(schema, { ...contents, tables: contents.tables.map((t) => rename(t, t.schema)) });
      continue;
    }
    result.set(null, { ...contents, tables: contents.tables.filter((t) => !moves(t.name)).map((t) => rename(t, null)) });
    result.set(named, { tables: contents.tables.filter((t) => moves(t.name)).map((t) => rename(t, named)), views: [], enums: [], sequences: [] });
  }
  return result;
}

/**
 * Writes the stated renames that apply (the old name is in the database and the models do not use it,
 * the new one is not in the database) and returns the database's tables as the renames leave them.
 */
function applyRenames(ctx: CompareContext, models: readonly Table[], found: readonly ReflectedTable[]): ReflectedTable[] {
  const inDatabase = new Map(found.map((t) => [qualified(t.schema, t.name), t]));
  const modelNames = new Set(models.map((m) => m.fullName));
  /** Old full name -> new table name. */
  const tableRenames = new Map<string, string>();
  for (const model of models) {
    if (inDatabase.has(model.fullName)) continue;
    const from = ctx.renames.tableFrom(model.schema, model.name) ?? model.renamedFrom;
    const old = from === null ? undefined : inDatabase.get(qualified(model.schema, from));
    if (old === undefined || modelNames.has(qualified(model.schema, from!)) || tableRenames.has(qualified(model.schema, from!))) continue;
    tableRenames.set(qualified(model.schema, from!), model.name);
    ctx.plan.add({
      phase: 'renameTable',
      table: model.fullName,
      op: new RenameTableOp({ tableName: from!, newTableName: model.name, schema: model.schema }),
      code: 'rename_table',
      description: `Renamed table '${qualified(model.schema, from!)}' to '${model.name}'`,
    });
  }
  /** Old full table name -> old column name -> new column name. */
  const columnRenames = new Map<string, Map<string, string>>();
  for (const model of models) {
    const oldKey = [...tableRenames].find(([, to]) => qualified(model.schema, to) === model.fullName)?.[0] ?? model.fullName;
    const table = inDatabase.get(oldKey);
    if (table === undefined) continue;
    const columns = reflectedColumnsByName(table);
    const renames = new Map<string, string>();
    for (const column of model.columns) {
      if (columns.has(column.name)) continue;
      const from = ctx.renames.columnFrom(model.schema, model.name, column.name) ?? column.options.renamedFrom ?? null;
      const old = from === null ? undefined : columns.get(from);
      if (old === undefined || model.columns.some((c) => c.name === from) || renames.has(from!)) continue;
      renames.set(from!, column.name);
      ctx.plan.add({
        phase: 'renameColumn',
        table: model.fullName,
        op: new AlterColumnOp({ tableName: model.name, columnName: from!, schema: model.schema, modifyName: column.name, ...existingHints(ctx, old) }),
        code: 'rename_column',
        description: `Renamed column '${model.fullName}.${from}' to '${column.name}'`,
      });
    }
    if (renames.size > 0) columnRenames.set(oldKey, renames);
  }
  if (tableRenames.size === 0 && columnRenames.size === 0) return [...found];
  return found.map((t) => renamedTable(ctx, t, tableRenames, columnRenames));
}

/** A reflected table as it is after the renames: its name, its columns, and what its keys and indexes name. */
function renamedTable(
  ctx: CompareContext,
  table: ReflectedTable,
  tables: ReadonlyMap<string, string>,
  columns: ReadonlyMap<string, ReadonlyMap<string, string>>,
): ReflectedTable {
  const key = qualified(table.schema, table.name);
  const own = columns.get(key);
  const col = (name: string) => own?.get(name) ?? name;
  const name = tables.get(key) ?? table.name;
  return {
    ...table,
    name,
    columns: table.columns.map((c) => ({ ...c, name: col(c.name) })),
    primaryKey: table.primaryKey === null ? null : { ...table.primaryKey, columns: table.primaryKey.columns.map(col) },
    foreignKeys: table.foreignKeys.map((fk) => {
      const referred = qualified(fk.referredSchema, fk.referredTable);
      const theirs = columns.get(referred);
      return {
        ...fk,
        name: fk.name === null ? null : ctx.impl.foreignKeyNameAfterRename(fk.name, table.name, name),
        columns: fk.columns.map(col),
        referredTable: tables.get(referred) ?? fk.referredTable,
        referredColumns: fk.referredColumns.map((c) => theirs?.get(c) ?? c),
      };
    }),
    indexes: table.indexes.map((ix) => ({
      ...ix,
      columns: ix.columns.map((c) => (c === null ? null : col(c))),
      expressions: ix.expressions.map((e) => (e === null || own === undefined ? e : renameIdentifiers(e, own))),
      ...(ix.postgresqlWhere === undefined || own === undefined ? {} : { postgresqlWhere: renameIdentifiers(ix.postgresqlWhere, own) }),
    })),
    uniqueConstraints: table.uniqueConstraints.map((u) => ({ ...u, columns: u.columns.map(col) })),
    // A CHECK keeps naming the column after a rename; its text must say the new name too, or the
    // downgrade (which re-adds a dropped check before renaming the column back) would name a column
    // that does not exist yet.
    checkConstraints: table.checkConstraints.map((ck) => (own === undefined ? ck : { ...ck, sqltext: renameIdentifiers(ck.sqltext, own) })),
  };
}
