/**
 * The Inspector: a neutral facade over the dialects' catalog queries, as SQLAlchemy's `inspect(engine)`.
 * A schema is read once, in a constant number of queries, and answered from that snapshot until
 * `clearCache()`; it never changes the database.
 */
import { InvalidRequestError } from '../errors.js';
import type {
  ReflectedCheck,
  ReflectedColumn,
  ReflectedEnum,
  ReflectedForeignKey,
  ReflectedIndex,
  ReflectedPrimaryKey,
  ReflectedSchema,
  ReflectedTable,
  ReflectedUnique,
} from '../dialects/reflection.js';
import type { Engine } from '../engine/index.js';
import { catalogQuery } from '../engine/catalog-query.js';

/**
 * Reads a live database's schema: tables, views, columns, keys, indexes, constraints, comments and enums,
 * in the same shapes on every dialect. Get one with `inspect(engine)`; answers are cached per schema until
 * `clearCache()`, so call it after changing the schema.
 */
export class Inspector {
  readonly #engine: Engine;
  readonly #schemas = new Map<string, Promise<ReflectedSchema>>();
  #defaultSchema: Promise<string | null> | null = null;
  #queries = 0;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** Catalog queries issued so far (the bench reports it: it must not grow with the table count). */
  get queryCount(): number {
    return this.#queries;
  }

  /** The schema unqualified names resolve to (`public`, the connected database); null on SQLite. */
  defaultSchemaName(): Promise<string | null> {
    this.#defaultSchema ??= this.#run((query) => this.#engine.dialect.reflection.defaultSchema(query));
    return this.#defaultSchema;
  }

  /** Everything about a schema (null: the default one), read once and cached. */
  reflectSchema(schema: string | null = null): Promise<ReflectedSchema> {
    const key = schema ?? '';
    let cached = this.#schemas.get(key);
    if (cached === undefined) {
      cached = this.#run((query) => this.#engine.dialect.reflection.reflect(query, schema));
      this.#schemas.set(key, cached);
      cached.catch(() => this.#schemas.delete(key));
    }
    return cached;
  }

  /** Forgets what was read, so the next call sees the database as it is now. */
  clearCache(): void {
    this.#schemas.clear();
    this.#defaultSchema = null;
  }

  /** The tables of `schema` (null: the default one), tsmig's version tables included; views are not tables. */
  async getTableNames(schema: string | null = null): Promise<string[]> {
    return (await this.reflectSchema(schema)).tables.map((t) => t.name);
  }
  /** The views of `schema`. */
  async getViewNames(schema: string | null = null): Promise<string[]> {
    return [...(await this.reflectSchema(schema)).views];
  }
  /** Whether `table` exists in `schema`. */
  async hasTable(table: string, schema: string | null = null): Promise<boolean> {
    return (await this.getTableNames(schema)).includes(table);
  }
  /** Everything read about one table; an InvalidRequestError when it does not exist. */
  async getTable(table: string, schema: string | null = null): Promise<ReflectedTable> {
    const found = (await this.reflectSchema(schema)).tables.find((t) => t.name === table);
    if (found === undefined) {
      throw new InvalidRequestError(`table "${schema === null ? table : `${schema}.${table}`}" does not exist in the database`);
    }
    return found;
  }
  /** The table's columns in table order, each with its type, nullability, default, comment and more. */
  async getColumns(table: string, schema: string | null = null): Promise<readonly ReflectedColumn[]> {
    return (await this.getTable(table, schema)).columns;
  }
  /** The primary key (its name where the database keeps one, and columns), or null. */
  async getPkConstraint(table: string, schema: string | null = null): Promise<ReflectedPrimaryKey | null> {
    return (await this.getTable(table, schema)).primaryKey;
  }
  /** The foreign keys, with the referred table and columns and their ON DELETE / ON UPDATE actions. */
  async getForeignKeys(table: string, schema: string | null = null): Promise<readonly ReflectedForeignKey[]> {
    return (await this.getTable(table, schema)).foreignKeys;
  }
  /** Indexes, without the ones the database made by itself for constraints. */
  async getIndexes(table: string, schema: string | null = null): Promise<readonly ReflectedIndex[]> {
    return (await this.getTable(table, schema)).indexes.filter((i) => !i.implicit);
  }
  /** The UNIQUE constraints (unique indexes are in {@link getIndexes}). */
  async getUniqueConstraints(table: string, schema: string | null = null): Promise<readonly ReflectedUnique[]> {
    return (await this.getTable(table, schema)).uniqueConstraints;
  }
  /** The CHECK constraints, each with its SQL as the database gives it back. */
  async getCheckConstraints(table: string, schema: string | null = null): Promise<readonly ReflectedCheck[]> {
    return (await this.getTable(table, schema)).checkConstraints;
  }
  /** The table's comment, or null (SQLite keeps none). */
  async getTableComment(table: string, schema: string | null = null): Promise<string | null> {
    return (await this.getTable(table, schema)).comment;
  }
  /** Named enum types (PostgreSQL); empty on other dialects. */
  async getEnums(schema: string | null = null): Promise<readonly ReflectedEnum[]> {
    return (await this.reflectSchema(schema)).enums;
  }

  async #run<T>(work: (query: ReturnType<typeof catalogQuery>) => Promise<T>): Promise<T> {
    return this.#engine.connect(async (connection) => {
      try {
        return await work(catalogQuery(connection, () => this.#queries++));
      } finally {
        await connection.rollback();
      }
    });
  }
}

/** An Inspector over `engine`: `const insp = inspect(engine); await insp.getTableNames()`. */
export function inspect(engine: Engine): Inspector {
  return new Inspector(engine);
}
