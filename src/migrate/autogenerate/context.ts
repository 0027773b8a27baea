/**
 * What every comparator needs: the dialect's comparison rules, the user's filters and options, the
 * renames in force, and the plan the changes go into. Built once per run by `api.ts`.
 */
import type { Capabilities, DialectName } from '../../dialects/dialect.js';
import { getDialect } from '../../dialects/index.js';
import type { MetaData } from '../../schema/metadata.js';
import type { AutogenerateFilters } from '../config/config.js';
import type { DialectImpl } from '../impl/impl.js';
import { implFor } from '../impl/index.js';
import { MigrationPlan } from './plan.js';
import { RenameSet, type StatedRename } from './renames.js';

/** The kinds of object `includeObject` is asked about. */
export type ObjectType = 'table' | 'column' | 'index' | 'unique_constraint' | 'foreign_key_constraint';

/** The options of one comparison. */
export interface CompareOptions extends AutogenerateFilters {
  /** Renames stated on the command line (the models' `renamedFrom` are read by the comparison itself). */
  readonly renames?: readonly StatedRename[];
  /** The version table, never compared: its name (default `alembic_version`) and schema. */
  readonly versionTable?: { readonly name: string; readonly schema: string | null };
  /**
   * The name of the default schema (PostgreSQL's `current_schema()`, MySQL's database, SQLite's `main`):
   * a model naming it explicitly is in the default schema. Read from the connection when it is known.
   */
  readonly defaultSchema?: string | null;
  /**
   * Whether the database is MariaDB, where it differs from MySQL (no expression indexes); read from
   * the connection's dialect when it is known.
   */
  readonly capabilities?: Capabilities;
  /**
   * Called with how many of the tables found both in the models and in the database are compared, of how
   * many: with 0 before the first, then after each. The CLI's progress line over a schema of many tables.
   */
  readonly onTableCompared?: (done: number, total: number) => void;
}

/** The state shared by the comparators of one run. */
export interface CompareContext {
  readonly dialect: DialectName;
  readonly impl: DialectImpl;
  readonly capabilities: Capabilities;
  readonly metadata: MetaData;
  readonly compareType: boolean;
  readonly compareServerDefault: boolean;
  readonly renames: RenameSet;
  readonly plan: MigrationPlan;
  readonly versionTable: { readonly name: string; readonly schema: string | null };
  /** The default schema's name, when known (see {@link CompareOptions.defaultSchema}). */
  readonly defaultSchema: string | null;
  /** The config's `includeObject`, or always true. */
  include(type: ObjectType, name: string | null, tableName: string | null, reflected: boolean): boolean;
  /** The config's `includeName` for a table or schema, or always true. */
  includeName(name: string | null, type: 'schema' | 'table', schemaName: string | null): boolean;
  /** Quotes an identifier for SQL text written into a revision (enum changes). */
  quote(name: string): string;
}

/** @internal */
export function createContext(dialect: DialectName, metadata: MetaData, options: CompareOptions, renames: readonly StatedRename[]): CompareContext {
  const d = getDialect(dialect);
  const { includeObject, includeName } = options;
  return {
    dialect,
    impl: implFor(dialect),
    capabilities: options.capabilities ?? d.capabilities,
    metadata,
    compareType: options.compareType ?? true,
    compareServerDefault: options.compareServerDefault ?? true,
    renames: new RenameSet(renames),
    plan: new MigrationPlan(),
    versionTable: options.versionTable ?? { name: 'alembic_version', schema: null },
    defaultSchema: options.defaultSchema ?? (dialect === 'sqlite' ? 'main' : null),
    include: (type, name, tableName, reflected) => includeObject?.({ type, name, tableName }, reflected) ?? true,
    includeName: (name, type, schemaName) => includeName?.(name, type, { schemaName }) ?? true,
    quote: (name) => d.quoteIdentifier(name),
  };
}

/** `schema.name`, or `name` in the default schema. */
export function qualified(schema: string | null, name: string): string {
  return schema === null ? name : `${schema}.${name}`;
}
