/**
 * `metadata.createAll(engine)` and `metadata.dropAll(engine)`: the DDL for a whole MetaData, in foreign
 * key order, in one transaction where the dialect has transactional DDL. Foreign keys that form a cycle
 * are added after the tables (and dropped before them) where ALTER TABLE can; SQLite needs neither, as
 * it checks references only when rows change, and defers those checks while tables are dropped (in an
 * order its ON DELETE actions allow, see `dropOrderWithActions`). Every statement of createAll is compiled
 * before the first runs.
 */
import type { Dialect } from '../dialects/dialect.js';
import type { ForeignKeyConstraint } from '../schema/constraints.js';
import {
  AddConstraint,
  CreateEnumType,
  CreateIndex,
  CreateSequence,
  CreateTable,
  type DdlElement,
  DeferForeignKeyChecks,
  DropConstraint,
  DropEnumType,
  DropSequence,
  DropTable,
  enumTypesOf,
} from '../schema/ddl.js';
import type { MetaData, SchemaRunOptions } from '../schema/metadata.js';
import type { ReflectedSchema } from '../schema/reflected.js';
import type { Sequence } from '../schema/sequence.js';
import type { Table } from '../schema/table.js';
import { dropOrderWithActions, sortTables } from '../schema/table-order.js';
import type { EnumType } from '../types/generic.js';
import { catalogQuery } from './catalog-query.js';
import type { Connection } from './connection.js';

/** What exists already, per schema, read once (a constant number of catalog queries per schema). */
async function readSchemas(
  connection: Connection,
  dialect: Dialect,
  objects: readonly { readonly schema: string | null }[],
): Promise<Map<string | null, ReflectedSchema>> {
  const query = catalogQuery(connection);
  const schemas = new Map<string | null, ReflectedSchema>();
  for (const schema of new Set(objects.map((t) => t.schema))) {
    schemas.set(schema, await dialect.reflection.reflect(query, schema));
  }
  return schemas;
}

function exists(schemas: Map<string | null, ReflectedSchema>, table: Table): boolean {
  return schemas.get(table.schema)?.tables.some((t) => t.name === table.name) ?? false;
}

function sequenceExists(schemas: Map<string | null, ReflectedSchema>, sequence: Sequence): boolean {
  return schemas.get(sequence.schema)?.sequences.some((s) => s.name === sequence.name) ?? false;
}

/** The MetaData's sequences where the database has sequences (elsewhere they are skipped, as SQLAlchemy does). */
function sequencesOf(dialect: Dialect, metadata: MetaData): Sequence[] {
  return dialect.capabilities.sequences ? [...metadata.sequences.values()] : [];
}

function enumExists(schemas: Map<string | null, ReflectedSchema>, type: EnumType, schema: string | null): boolean {
  return schemas.get(schema)?.enums.some((e) => e.name === type.name) ?? false;
}

export async function createAll(connection: Connection, dialect: Dialect, metadata: MetaData, options: SchemaRunOptions): Promise<void> {
  const all = [...metadata.tables.values()];
  const sequences = sequencesOf(dialect, metadata);
  const schemas = options.checkFirst === false ? new Map<string | null, ReflectedSchema>() : await readSchemas(connection, dialect, [...all, ...sequences]);
  const missing = all.filter((table) => !exists(schemas, table));
  const order = sortTables(missing);
  const deferred = dialect.capabilities.forwardForeignKeys ? [] : order.deferredForeignKeys;

  // Sequences first: a column default may call nextval() on one.
  const statements: DdlElement[] = sequences.filter((s) => !sequenceExists(schemas, s)).map((s) => new CreateSequence(s));
  if (dialect.capabilities.enumTypes) {
    const created = new Set<string>();
    for (const table of order.tables) {
      for (const type of enumTypesOf(table.columns)) {
        const key = `${table.schema}.${type.name}`;
        if (created.has(key) || enumExists(schemas, type, table.schema)) continue;
        created.add(key);
        statements.push(new CreateEnumType(type, table.schema));
      }
    }
  }
  for (const table of order.tables) {
    statements.push(new CreateTable(table, { omitForeignKeys: deferred }));
    for (const index of table.indexes) statements.push(new CreateIndex(index));
  }
  for (const fk of deferred) statements.push(new AddConstraint(fk));
  // Compiled once before anything runs, so a model the database cannot express (an expression index on
  // MariaDB) fails with nothing created, also where DDL is not transactional.
  const compiled = statements.map((statement) => dialect.compileDdl(statement));
  for (const sql of compiled) await connection.executeDdlStatements(sql);
}

export async function dropAll(connection: Connection, dialect: Dialect, metadata: MetaData, options: SchemaRunOptions): Promise<void> {
  const all = [...metadata.tables.values()];
  const checkFirst = options.checkFirst !== false;
  const sequences = sequencesOf(dialect, metadata);
  const schemas = await readSchemas(connection, dialect, [...all, ...sequences]);
  const present = checkFirst ? all.filter((table) => exists(schemas, table)) : all;
  const order = sortTables(present);

  let dropOrder = [...order.tables].reverse();
  if (order.deferredForeignKeys.length > 0) {
    if (dialect.capabilities.alterConstraints) {
      for (const fk of order.deferredForeignKeys) await dropCycleForeignKey(connection, fk, schemas);
    } else {
      await connection.execute(new DeferForeignKeyChecks());
      dropOrder = dropOrderWithActions(dropOrder);
    }
  }
  for (const table of dropOrder) await connection.execute(new DropTable(table));
  for (const sequence of sequences) {
    if (!checkFirst || sequenceExists(schemas, sequence)) await connection.execute(new DropSequence(sequence));
  }

  if (dialect.capabilities.enumTypes) {
    const dropped = new Set<string>();
    for (const table of present) {
      for (const type of enumTypesOf(table.columns)) {
        const key = `${table.schema}.${type.name}`;
        if (dropped.has(key) || (checkFirst && !enumExists(schemas, type, table.schema))) continue;
        dropped.add(key);
        await connection.execute(new DropEnumType(type, table.schema));
      }
    }
  }
}

/**
 * Drops a foreign key that is part of a cycle, so the tables can then be dropped in any order. It is
 * looked up in the database by name or columns (a half-created schema may lack it; an unnamed one
 * has the name the database gave it).
 */
async function dropCycleForeignKey(
  connection: Connection,
  fk: ForeignKeyConstraint,
  schemas: Map<string | null, ReflectedSchema>,
): Promise<void> {
  const columns = fk.columns.map((c) => c.name).join(',');
  const modelName = fk.name.name;
  const reflected = schemas
    .get(fk.table.schema)
    ?.tables.find((t) => t.name === fk.table.name)
    ?.foreignKeys.find((r) => (modelName !== null ? r.name === modelName : r.columns.join(',') === columns));
  if (reflected?.name == null) return;
  await connection.execute(new DropConstraint(fk, { name: reflected.name }));
}
