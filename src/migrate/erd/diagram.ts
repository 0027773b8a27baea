/**
 * An entity-relationship diagram of a MetaData (`tsmig erd`), as plain data the renderers draw: tables
 * with their columns, types and keys, and one relationship per foreign key with its cardinality. The
 * models and a reflected database both arrive as MetaData, so both draw the same way.
 */
import { ArgumentError } from '../../errors.js';
import { Column } from '../../schema/column.js';
import type { ForeignKeyConstraint } from '../../schema/constraints.js';
import type { MetaData } from '../../schema/metadata.js';
import type { Table } from '../../schema/table.js';

/** A column as the diagram shows it. */
export interface DiagramColumn {
  readonly name: string;
  /** The generic type as the models spell it after `t.` (`String(100)`, `Integer`). */
  readonly type: string;
  readonly primaryKey: boolean;
  readonly foreignKey: boolean;
  /** Unique on its own (a one-column unique constraint or unique index). */
  readonly unique: boolean;
  readonly nullable: boolean;
}

/** A table of the diagram. */
export interface DiagramEntity {
  /** `schema.name` or `name`. */
  readonly name: string;
  readonly columns: readonly DiagramColumn[];
}

/**
 * A foreign key read as a relationship: each row of `child` refers to at most one row of `parent`
 * (exactly one when the key's columns are NOT NULL); a parent row has many children, or at most one
 * when the key's columns are unique in the child.
 */
export interface DiagramRelationship {
  readonly parent: string;
  readonly child: string;
  readonly columns: readonly string[];
  /** The key's columns may be NULL: a child may have no parent. */
  readonly optionalParent: boolean;
  /** The key's columns are unique in the child (its primary key or a unique constraint): one-to-one. */
  readonly oneToOne: boolean;
  /** The key's columns are part of the child's primary key (an association table's, for instance). */
  readonly identifying: boolean;
}

/** What `tsmig erd` draws. */
export interface Diagram {
  readonly entities: readonly DiagramEntity[];
  readonly relationships: readonly DiagramRelationship[];
}

/**
 * The diagram of the tables of `metadata` (in definition order), leaving out those `skip` names (the
 * version table of a reflected database).
 */
export function diagramOf(metadata: MetaData, skip: (table: Table) => boolean = () => false): Diagram {
  const tables = [...metadata.tables.values()].filter((table) => !skip(table));
  const shown = new Set(tables.map((table) => table.fullName));
  const entities = tables.map((table): DiagramEntity => {
    const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns.map((c) => c.name)));
    const unique = uniqueSets(table);
    return {
      name: table.fullName,
      columns: table.columns.map((c) => ({
        name: c.name,
        type: typeName(c.type.toString()),
        primaryKey: c.primaryKey,
        foreignKey: fkColumns.has(c.name),
        unique: !c.primaryKey && unique.some((set) => set.length === 1 && set[0] === c.name),
        nullable: c.nullable,
      })),
    };
  });
  const relationships = tables.flatMap((table) =>
    table.foreignKeys.filter((fk) => shown.has(referredName(fk) ?? '')).map((fk) => relationshipOf(table, fk)),
  );
  return { entities, relationships };
}

/**
 * The referred table's full name, or null when it is not on the MetaData: a reflected database's key to
 * another schema or a table left out, which the diagram has no box for.
 */
function referredName(fk: ForeignKeyConstraint): string | null {
  try {
    return fk.referredTable.fullName;
  } catch (error) {
    if (error instanceof ArgumentError) return null;
    throw error;
  }
}

function relationshipOf(table: Table, fk: ForeignKeyConstraint): DiagramRelationship {
  const columns = fk.columns.map((c) => c.name);
  const pk = table.primaryKey?.columns.map((c) => c.name) ?? [];
  const covers = (set: readonly string[]) => set.length > 0 && set.every((name) => columns.includes(name));
  return {
    parent: fk.referredTable.fullName,
    child: table.fullName,
    columns,
    optionalParent: fk.columns.some((c) => c.nullable),
    oneToOne: uniqueSets(table).some(covers),
    identifying: columns.some((name) => pk.includes(name)),
  };
}

/** The column sets that are unique in a table: its primary key, unique constraints and unique indexes. */
function uniqueSets(table: Table): string[][] {
  const sets = table.uniqueConstraints.map((u) => u.columns.map((c) => c.name));
  for (const index of table.indexes) {
    if (!index.unique) continue;
    // An expression index (`lower(email)`) says nothing about a column on its own.
    if (index.items.every((item) => item instanceof Column)) sets.push(index.items.map((item) => (item as Column).name));
  }
  const pk = table.primaryKey?.columns.map((c) => c.name) ?? [];
  if (pk.length > 0) sets.push(pk);
  return sets;
}

/** `Integer()` reads as `Integer`; arguments stay (`String(100)`). */
function typeName(spelled: string): string {
  return spelled.endsWith('()') ? spelled.slice(0, -2) : spelled;
}
