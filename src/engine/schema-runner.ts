/**
 * `metadata.createAll(engine)` and `metadata.dropAll(engine)`: the DDL for a whole MetaData, in foreign
 * key order, in one transaction where the dialect has transactional DDL. Foreign keys that form a cycle
 * are added after the tables (and dropped before them) where ALTER TABLE can; SQLite needs neither, as
 * it checks references only when rows change, and defers those checks while tables are dropped.
 */
import type { Dialect } from '../dialects/dialect.js';
import type { ForeignKeyConstraint } from '../schema/constraints.js';
import {
  AddConstraint,
  CreateEnumType,
  CreateIndex,
  CreateTable,
  type DdlElement,
  DeferForeignKeyChecks,
  DropConstraint,
  DropEnumType,
  DropTable,
  enumTypesOf,
} from '../schema/ddl.js';
import type { MetaData, SchemaRunOptions } from '../schema/metadata.js';
import type { ReflectedSchema } from '../schema/reflected.js';
import type { Table } from '../schema/table.js';
import { sortTables } from '../schema/table-order.js';
import type { EnumType } from '../types/generic.js';
import { catalogQuery } from './catalog-query.js';
import type { Connection } from './connection.js';

/** Runs each statement of a DDL element on `connection`. */
export async function executeDdl(connection: Connection, dialect: Dialect, element: DdlElement): Promise<void> {
  for (const sql of dialect.compileDdl(element)) {
    await connection.execute({ sql, binds: [], columns: null, returnsRows: false });
  }
}

/** What exists already, per schema, read once (a constant number of catalog queries per schema). */
async function readSchemas(connection: Connection, dialect: Dialect, tables: readonly Table[]): Promise<Map<string | null, ReflectedSchema>> {
  const query = catalogQuery(connection);
  const schemas = new Map<string | null, ReflectedSchema>();
  for (const schema of new Set(tables.map((t) => t.schema))) {
    schemas.set(schema, await dialect.reflection.reflect(query, schema));
  }
  return schemas;
}

function exists(schemas: Map<string | null, ReflectedSchema>, table: Table): boolean {
  return schemas.get(table.schema)?.tables.some((t) => t.name === table.name) ?? false;
}

function enumExists(schemas: Map<string | null, ReflectedSchema>, type: EnumType, schema: string | null): boolean {
  return schemas.get(schema)?.enums.some((e) => e.name === type.name) ?? false;
}

export async function createAll(connection: Connection, dialect: Dialect, metadata: MetaData, options: SchemaRunOptions): Promise<void> {
  const all = [...metadata.tables.values()];
  const schemas = options.checkFirst === false ? new Map<string | null, ReflectedSchema>() : await readSchemas(connection, dialect, all);
  const missing = all.filter((table) => !exists(schemas, table));
  const order = sortTables(missing);
  const deferred = dialect.capabilities.forwardForeignKeys ? [] : order.deferredForeignKeys;

  if (dialect.capabilities.enumTypes) {
    const created = new Set<string>();
    for (const table of order.tables) {
      for (const type of enumTypesOf(table.columns)) {
        const key = `${table.schema}.${type.name}`;
        if (created.has(key) || enumExists(schemas, type, table.schema)) continue;
        created.add(key);
        await executeDdl(connection, dialect, new CreateEnumType(type, table.schema));
      }
    }
  }
  for (const table of order.tables) {
    await executeDdl(connection, dialect, new CreateTable(table, { omitForeignKeys: deferred }));
    for (const index of table.indexes) await executeDdl(connection, dialect, new CreateIndex(index));
  }
  for (const fk of deferred) await executeDdl(connection, dialect, new AddConstraint(fk));
}

export async function dropAll(connection: Connection, dialect: Dialect, metadata: MetaData, options: SchemaRunOptions): Promise<void> {
  const all = [...metadata.tables.values()];
  const checkFirst = options.checkFirst !== false;
  const schemas = await readSchemas(connection, dialect, all);
  const present = checkFirst ? all.filter((table) => exists(schemas, table)) : all;
  const order = sortTables(present);

  if (order.deferredForeignKeys.length > 0) {
    if (dialect.capabilities.alterConstraints) {
      for (const fk of order.deferredForeignKeys) await dropCycleForeignKey(connection, dialect, fk, schemas);
    } else {
      await executeDdl(connection, dialect, new DeferForeignKeyChecks());
    }
  }
  for (const table of [...order.tables].reverse()) await executeDdl(connection, dialect, new DropTable(table));

  if (dialect.capabilities.enumTypes) {
    const dropped = new Set<string>();
    for (const table of present) {
      for (const type of enumTypesOf(table.columns)) {
        const key = `${table.schema}.${type.name}`;
        if (dropped.has(key) || (checkFirst && !enumExists(schemas, type, table.schema))) continue;
        dropped.add(key);
        await executeDdl(connection, dialect, new DropEnumType(type, table.schema));
      }
    }
  }
}

/**
 * Drops a foreign key that is part of a cycle, so the tables can then be dropped in any order. An
 * unnamed constraint in the model is looked up by its columns in the database.
 */
async function dropCycleForeignKey(
  connection: Connection,
  dialect: Dialect,
  fk: ForeignKeyConstraint,
  schemas: Map<string | null, ReflectedSchema>,
): Promise<void> {
  if (fk.name.name !== null) {
    await executeDdl(connection, dialect, new DropConstraint(fk));
    return;
  }
  const columns = fk.columns.map((c) => c.name).join(',');
  const reflected = schemas
    .get(fk.table.schema)
    ?.tables.find((t) => t.name === fk.table.name)
    ?.foreignKeys.find((r) => r.columns.join(',') === columns);
  if (reflected?.name == null) return;
  const named = Object.create(fk, { name: { value: { name: reflected.name, conventional: false } } }) as ForeignKeyConstraint;
  await executeDdl(connection, dialect, new DropConstraint(named));
}
