/**
 * The configuration a project writes in `alembic.config.ts`: `export default defineConfig({...})`.
 * Every key is optional except the script location; the database URL comes from `DATABASE_URL` (the
 * environment, then a `.env` file next to the config) before the one written here, as seed 000 does.
 */
import type { MetaData } from '../../schema/metadata.js';

/** A post-write hook: run on each new revision file (e.g. a formatter). */
export type PostWriteHook =
  | { readonly type: 'exec'; readonly command: string; readonly args?: readonly string[] }
  | { readonly type: 'function'; readonly run: (path: string) => void | Promise<void> };

/** Filters for autogenerate, as Alembic's include_object / include_name. */
export interface AutogenerateFilters {
  /** Called for each table, column, index, unique or foreign key constraint; false leaves it alone. */
  readonly includeObject?: (
    object: { readonly type: 'table' | 'column' | 'index' | 'unique_constraint' | 'foreign_key_constraint'; readonly name: string | null; readonly tableName: string | null },
    reflected: boolean,
  ) => boolean;
  /** Called with names of schemas and tables before reflecting them. */
  readonly includeName?: (name: string | null, type: 'schema' | 'table', parent: { readonly schemaName: string | null }) => boolean;
  /** Also compare these non-default schemas. */
  readonly includeSchemas?: readonly string[];
  /** Compare column types (default true). */
  readonly compareType?: boolean;
  /** Compare server defaults (default true). */
  readonly compareServerDefault?: boolean;
}

/** One database of a `multidb` project. */
export interface DatabaseConfig extends AutogenerateFilters {
  readonly url?: string;
  /** The environment variable whose value wins over `url` (default `DATABASE_URL_<NAME>`). */
  readonly urlEnv?: string;
  /** The models' MetaData, or several (Alembic's list of `target_metadata`). */
  readonly targetMetadata?: MetaData | readonly MetaData[];
}

/**
 * A project's configuration, the default export of `alembic.config.ts` (written through `defineConfig()`):
 * where the revisions live, the database URL (`DATABASE_URL` wins) and the models to compare with.
 */
export interface TsmigConfig extends AutogenerateFilters {
  /** The folder holding `env.ts` and `versions/`, relative to the config file. */
  readonly scriptLocation: string;
  /** The database URL when `DATABASE_URL` is not set. */
  readonly url?: string;
  /**
   * The models' MetaData, for autogenerate and `check`; or several (`[users.metadata, billing.metadata]`,
   * Alembic's list), compared as one.
   */
  readonly targetMetadata?: MetaData | readonly MetaData[];
  /** Folders of revision files (default `<scriptLocation>/versions`). */
  readonly versionLocations?: readonly string[];
  /** Revision file names, with Alembic's tokens: `%(rev)s`, `%(slug)s`, `%(year)d`, `%(month).2d`, ... (default `%(rev)s_%(slug)s`). */
  readonly fileTemplate?: string;
  /** The longest slug taken from the message (default 40). */
  readonly truncateSlugLength?: number;
  /** The IANA time zone of "Create Date" in new revision files (default the local zone). */
  readonly timezone?: string;
  /** The version table (default `alembic_version`, Alembic's shape, so a project can move over). */
  readonly versionTable?: string;
  readonly versionTableSchema?: string;
  /**
   * false (the default, as Alembic's): one transaction for the whole run, so a failure on a database with
   * transactional DDL (PostgreSQL, SQLite) leaves it where it was. true: one per revision, so a long run keeps
   * what it did up to a failure, at the price of a commit (and on SQLite a disk sync) per revision.
   */
  readonly transactionPerMigration?: boolean;
  /** Seconds to wait for another tsmig holding the migration lock (default 60). */
  readonly lockTimeout?: number;
  /**
   * MySQL and MariaDB: what a migration statement that changed data with a warning does (a VARCHAR
   * shortened under a sql_mode that is not strict, which truncates instead of failing). 'error' (the
   * default) fails the migration; 'warn' prints a warning line and goes on.
   */
  readonly dataLossWarnings?: 'error' | 'warn';
  readonly hooks?: { readonly postWrite?: readonly PostWriteHook[] };
  /** Several databases (`tsmig init --template multidb`); `--name` picks one for a command. */
  readonly databases?: Readonly<Record<string, DatabaseConfig>>;
  /**
   * The databases of `--all` (`tsmig upgrade head --all`): many copies of the same schema, such as one per
   * tenant. `--targets-file FILE` on the command line takes their place.
   */
  readonly targets?: TargetsConfig;
  /**
   * Autogenerate writes online schema changes for tables that exist: PostgreSQL indexes `concurrently`,
   * foreign keys and checks `NOT VALID` then `op.validateConstraint()`; MySQL `algorithm: 'INSTANT'` for
   * new columns, `algorithm: 'INPLACE', lock: 'NONE'` for indexes and dropped columns (default false).
   */
  readonly onlineDdl?: boolean;
}

/**
 * One database of a fleet run (`--all`): a URL, or a URL with a name for the report and, on PostgreSQL
 * and MySQL, the schema of one tenant on that server.
 */
export interface TargetConfig {
  /** The name in the report (default: the schema, else the URL with its password hidden). */
  readonly name?: string;
  /** The database URL (relative SQLite paths are relative to the config file's folder). */
  readonly url: string;
  /**
   * PostgreSQL: the tenant's schema; every connection runs with `search_path` set to it and the version
   * table lives in it. MySQL: the tenant's database on the URL's server (it replaces the URL's database).
   */
  readonly schema?: string;
}

/** A target as written in `targets`: a URL string or a {@link TargetConfig}. */
export type TargetEntry = string | TargetConfig;

/** One schema (PostgreSQL) or database (MySQL) per tenant on one server. */
export interface SchemaTargets {
  /** The server (default: the project's database URL). */
  readonly url?: string;
  /** The tenants' schemas, or a function returning them (e.g. read from a tenants table). */
  readonly schemas: readonly string[] | (() => readonly string[] | Promise<readonly string[]>);
}

/**
 * The databases `--all` runs on: a list, a function returning one (read when a command runs with `--all`,
 * never otherwise), or one schema per tenant on a server.
 */
export type TargetsConfig =
  | readonly TargetEntry[]
  | (() => readonly TargetEntry[] | Promise<readonly TargetEntry[]>)
  | SchemaTargets;

/** Declares the configuration with type checking: `export default defineConfig({ ... })`. */
export function defineConfig(config: TsmigConfig): TsmigConfig {
  return config;
}
