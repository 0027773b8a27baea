/**
 * The database side of `tsmig revision --autogenerate` and `tsmig check`: runs env.ts (so its session
 * setup applies) with an `inspect` action that, on each database, makes sure the database is at the
 * scripts' head, reads its catalog and compares it with the models of the config. Returns the plans;
 * writing the revision and printing are the callers'.
 */
import { preferOnlineDdl } from '../autogenerate/online-ddl.js';
import { readFileSync } from 'node:fs';
import type { DialectName } from '../../dialects/dialect.js';
import type { Connection } from '../../engine/connection.js';
import { TsmigError } from '../../errors.js';
import type { MetaData } from '../../schema/metadata.js';
import { produceMigration } from '../autogenerate/api.js';
import type { MigrationPlan, RenameCandidate } from '../autogenerate/plan.js';
import { parseRenameArgs } from '../autogenerate/renames.js';
import { renderMigration } from '../autogenerate/render/render.js';
import { ConfigError } from '../config/config-error.js';
import type { AutogenerateFilters } from '../config/config.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { InspectedDatabase, RunReporter } from '../runtime/migration-context.js';
import type { RevisionInfo } from '../script/revision.js';
import type { ScriptDirectory } from '../script/script-directory.js';
import { openScriptDirectory, type RevisionOptions, revision } from './graph.js';
import { inspectDatabases } from './run.js';

/** One database compared with its models. */
export interface DatabaseComparison {
  /** The multidb database name, or null. */
  readonly database: string | null;
  readonly dialect: DialectName;
  readonly plan: MigrationPlan;
}

/** Options of {@link compareDatabases}. */
export interface CompareDatabasesOptions {
  /** `--rename` arguments: `old:new` (a table), `table.old:new` (a column). */
  readonly renames?: readonly string[];
  /** Asked about each possible rename; the CLI asks on an interactive terminal only. */
  readonly confirmRename?: (candidate: RenameCandidate) => Promise<boolean>;
  readonly reporter?: RunReporter;
  /** Sees each table compared (`done` of `total`) in `database` (multidb) or null: for a progress line. */
  readonly onTableCompared?: (database: string | null, done: number, total: number) => void;
  readonly scripts?: ScriptDirectory;
  /**
   * Compare even when an applied revision's file changed since it ran (a warning); without it that is a
   * `ModifiedRevisionError`. Autogenerate allows it by default: it builds on the schema, not on the files.
   */
  readonly allowModified?: boolean;
}

/**
 * Compares each database the command covers with its models. A database that is not at the scripts'
 * head is an error: comparing it would write again what an unapplied revision already does.
 *
 * @example
 * ```ts
 * const [{ plan }] = await compareDatabases(await loadConfig());
 * plan.changes.map((c) => c.description); // ["Added table 'movies'"]
 * ```
 */
export async function compareDatabases(config: ResolvedConfig, options: CompareDatabasesOptions = {}): Promise<DatabaseComparison[]> {
  const scripts = options.scripts ?? openScriptDirectory(config);
  const heads = [...scripts.revisionMap().heads].sort();
  const results: DatabaseComparison[] = [];
  await inspectDatabases(
    config,
    async (connection, found) => {
    const where = found.database === null ? 'The database' : `Database ${found.database}`;
    const at = [...found.heads].sort();
    if (at.length !== heads.length || at.some((h, i) => h !== heads[i])) {
      const now = at.length === 0 ? 'base (no revision applied)' : at.join(', ');
      throw new TsmigError(`${where} is not up to date: it is at ${now}, the scripts' head is ${heads.join(', ') || 'base'}. Run \`tsmig upgrade head\` first.`);
    }
    const plan = await compareWithModels(config, connection, found, options);
    results.push({ database: found.database, dialect: connection.dialect.name, plan });
  },
    { reporter: options.reporter ?? {}, allowModified: options.allowModified === true, scripts },
  );
  return results;
}

/**
 * Compares one database, on the connection env.ts opened, with its models: the plan of what a revision
 * would have to do. The caller has made sure the database is at the scripts' head.
 *
 * @internal shared by {@link compareDatabases} and `status --check-models`.
 */
export function compareWithModels(
  config: ResolvedConfig,
  connection: Connection,
  found: InspectedDatabase,
  options: Pick<CompareDatabasesOptions, 'renames' | 'confirmRename' | 'onTableCompared'> = {},
): Promise<MigrationPlan> {
  const metadata = requireMetadata(config, found.database, found.targetMetadata);
  const { onTableCompared } = options;
  return produceMigration(connection, metadata, {
    ...filtersOf(config, found.database),
    renames: parseRenameArgs(options.renames ?? [], metadata),
    versionTable: { name: config.versionTable, schema: config.versionTableSchema },
    ...(options.confirmRename === undefined ? {} : { confirmRename: options.confirmRename }),
    ...(onTableCompared === undefined ? {} : { onTableCompared: (done: number, total: number) => onTableCompared(found.database, done, total) }),
  });
}

/**
 * The operations must land in the file: a revision template without `${upgrades}` and `${downgrades}`
 * (the multidb one routes each database to its own functions) would drop them without a word.
 */
function requirePlaceholders(templateFile: string): void {
  let template: string;
  try {
    template = readFileSync(templateFile, 'utf8');
  } catch {
    return; // generateRevision reports a missing template.
  }
  const missing = ['upgrades', 'downgrades'].filter((name) => !new RegExp(`(^|[^$])\\$\\{\\s*${name}\\s*\\}`).test(template));
  if (missing.length > 0) {
    throw new TsmigError(
      `The revision template ${templateFile} has no ${missing.map((m) => `\${${m}}`).join(' or ')}, so autogenerate has nowhere to write the operations; add them to upgrade() and downgrade() (see templates/generic/script.ts.tmpl).`,
    );
  }
}

function requireMetadata(config: ResolvedConfig, database: string | null, metadata: MetaData | null): MetaData {
  if (metadata !== null) return metadata;
  const where = database === null ? '' : ` of database "${database}"`;
  throw new ConfigError(
    `No targetMetadata${where} in ${config.configFile}: import your models' MetaData there and set \`targetMetadata: metadata\`, which autogenerate compares the database with.`,
  );
}

function filtersOf(config: ResolvedConfig, database: string | null): AutogenerateFilters {
  if (database === null) return config.database?.filters ?? {};
  return config.databases[database]?.filters ?? {};
}

/** Options of {@link autogenerateRevision}. */
export interface AutogenerateRevisionOptions extends CompareDatabasesOptions {
  /** Write no file when nothing changed (`--skip-empty`). */
  readonly skipEmpty?: boolean;
}

/** What {@link autogenerateRevision} did. */
export interface AutogeneratedRevision {
  /** The file written; null when nothing changed and `skipEmpty` was given. */
  readonly revision: RevisionInfo | null;
  readonly comparison: DatabaseComparison;
}

/**
 * `tsmig revision --autogenerate`: compares the database with the models and writes a revision whose
 * `upgrade()` and `downgrade()` hold the operations (an empty one when nothing changed, unless
 * `skipEmpty`). One database at a time: in a multidb project, name it (`--name`).
 */
export async function autogenerateRevision(
  config: ResolvedConfig,
  revisionOptions: RevisionOptions,
  options: AutogenerateRevisionOptions = {},
): Promise<AutogeneratedRevision> {
  if (config.database === null) {
    throw new ConfigError(`This project has several databases (${Object.keys(config.databases).join(', ')}); autogenerate one at a time with --name.`);
  }
  const scripts = options.scripts ?? openScriptDirectory(config);
  requirePlaceholders(scripts.templateFile);
  const [comparison] = await compareDatabases(config, { ...options, scripts, allowModified: options.allowModified ?? true });
  if (comparison === undefined) throw new TsmigError('env.ts compared no database; it must call ctx.runMigrations().');
  if (comparison.plan.isEmpty && options.skipEmpty === true) return { revision: null, comparison };
  const plan = config.source.onlineDdl === true ? preferOnlineDdl(comparison.plan, comparison.dialect) : comparison.plan;
  const rendered = renderMigration(plan, comparison.dialect);
  const written = await revision(scripts, {
    ...revisionOptions,
    upgradeBody: rendered.upgradeBody,
    downgradeBody: rendered.downgradeBody,
    imports: [...(revisionOptions.imports ?? []), ...rendered.imports],
  });
  return { revision: written, comparison };
}
