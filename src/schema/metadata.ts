/**
 * MetaData: the collection of tables that DDL, the ORM's declarative base and autogenerate work from.
 */
import { ArgumentError } from '../errors.js';
import { type ConventionKey, DEFAULT_NAMING_CONVENTION, NamingConvention } from './naming-convention.js';
import { sequencesFromReflected, tablesFromReflected } from './from-reflected.js';
import type { ReflectedSchema } from './reflected.js';
import type { Sequence } from './sequence.js';
import type { Table } from './table.js';

export interface MetaDataOptions {
  /** The default schema of tables that do not name one. */
  readonly schema?: string;
  /**
   * Templates for constraint and index names, with SQLAlchemy's tokens:
   * `{ ix: 'ix_%(column_0_label)s', uq: 'uq_%(table_name)s_%(column_0_name)s',
   *    ck: 'ck_%(table_name)s_%(constraint_name)s', fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
   *    pk: 'pk_%(table_name)s' }`. Defaults to `{ ix: 'ix_%(column_0_label)s' }`.
   */
  readonly namingConvention?: Readonly<Partial<Record<ConventionKey, string>>>;
}

/** The options of `createAll` / `dropAll`. */
export interface SchemaRunOptions {
  /** Only create missing tables / drop existing ones (default true). */
  readonly checkFirst?: boolean;
}

/** What `createAll` and `dropAll` run on: an engine (which knows how to run DDL for its dialect). */
export interface SchemaRunner {
  createAll(metadata: MetaData, options: SchemaRunOptions): Promise<void>;
  dropAll(metadata: MetaData, options: SchemaRunOptions): Promise<void>;
}

/** What `reflect` reads from: an engine or an Inspector. */
export interface SchemaSource {
  reflectSchema(schema?: string | null): Promise<ReflectedSchema>;
}

/** Marks a MetaData across copies of tsmig (two installs in one project), where `instanceof` fails. */
const METADATA_BRAND = Symbol.for('tsmig.MetaData');

/** Whether a value is a MetaData, from this copy of tsmig or another one. */
export function isMetaData(value: unknown): value is MetaData {
  return value instanceof MetaData || (typeof value === 'object' && value !== null && METADATA_BRAND in value);
}

/**
 * The tables (and sequences) of one schema design: `createAll`/`dropAll` run their DDL, a declarative
 * base keeps its models' tables in one (`Base.metadata`), and the config's `targetMetadata` is what
 * autogenerate compares the database with. `reflect()` fills one from a live database instead.
 *
 * @example
 * const metadata = new MetaData({ namingConvention: { uq: 'uq_%(table_name)s_%(column_0_name)s' } });
 * new Table('movies', metadata, { id: column(t.Integer(), { primaryKey: true }) });
 * await metadata.createAll(engine);
 */
export class MetaData {
  readonly schema: string | null;
  readonly namingConvention: NamingConvention;
  readonly #tables = new Map<string, Table>();
  readonly #sequences = new Map<string, Sequence>();

  constructor(options: MetaDataOptions = {}) {
    this.schema = options.schema ?? null;
    this.namingConvention = new NamingConvention(options.namingConvention ?? DEFAULT_NAMING_CONVENTION);
  }

  /** Creates the tables, indexes and enum types that do not exist yet, parents before children. */
  createAll(bind: SchemaRunner, options: SchemaRunOptions = {}): Promise<void> {
    return bind.createAll(this, options);
  }

  /** Drops the tables that exist, children before parents, breaking foreign key cycles first. */
  dropAll(bind: SchemaRunner, options: SchemaRunOptions = {}): Promise<void> {
    return bind.dropAll(this, options);
  }

  /** Tables by full name (`schema.name` or `name`), in definition order. */
  get tables(): ReadonlyMap<string, Table> {
    return this.#tables;
  }

  /**
   * Adds a Table for each table of the live database (or only those named), as SQLAlchemy's
   * `metadata.reflect(bind=engine)`, with the schema's free-standing sequences when all tables are
   * asked for. Returns the tables it added.
   */
  async reflect(bind: SchemaSource, options: { schema?: string; only?: readonly string[] } = {}): Promise<Table[]> {
    const reflected = await bind.reflectSchema(options.schema ?? this.schema);
    // A sequence belongs to no table: all of them come with a whole schema, none with chosen tables.
    if (options.only === undefined) sequencesFromReflected(this, reflected);
    return tablesFromReflected(this, reflected, options.only);
  }

  /** Free-standing sequences by full name, in definition order. */
  get sequences(): ReadonlyMap<string, Sequence> {
    return this.#sequences;
  }

  /** @internal called by the Sequence constructor. */
  addSequence(sequence: Sequence): void {
    if (this.#sequences.has(sequence.fullName)) {
      throw new ArgumentError(`sequence "${sequence.fullName}" is already defined on this MetaData`);
    }
    this.#sequences.set(sequence.fullName, sequence);
  }

  /** @internal called by the Table constructor. */
  add(table: Table): void {
    if (this.#tables.has(table.fullName)) {
      throw new ArgumentError(`table "${table.fullName}" is already defined on this MetaData`);
    }
    this.#tables.set(table.fullName, table);
  }
}
Object.defineProperty(MetaData.prototype, METADATA_BRAND, { value: true });

/**
 * Several MetaData seen as one (Alembic's list of `target_metadata`): their tables and sequences, in
 * order, under the first one's naming convention. The tables stay their own MetaData's.
 *
 * @throws ArgumentError when two of them define the same table or sequence.
 */
export function combinedMetadata(list: readonly MetaData[]): MetaData {
  if (list.length === 1) return list[0]!;
  const combined = new MetaData({ namingConvention: list[0]?.namingConvention.templates });
  for (const metadata of list) {
    for (const table of metadata.tables.values()) combined.add(table);
    for (const sequence of metadata.sequences.values()) combined.addSequence(sequence);
  }
  return combined;
}
