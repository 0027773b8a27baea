/**
 * Autogenerate: compares the models' MetaData with a live database and produces the operations that
 * bring the database to the models, ready to run or to render as a revision (Alembic's
 * `compare_metadata` and `produce_migrations`). It reads the catalog in a constant number of queries
 * per schema and never changes the database; the CLI and `migrate/commands` decide what to do with the
 * result.
 */
import type { Connection } from '../../engine/connection.js';
import { catalogQuery } from '../../engine/catalog-query.js';
import type { DialectName } from '../../dialects/dialect.js';
import type { MetaData } from '../../schema/metadata.js';
import { type CompareOptions, createContext } from './context.js';
import { compareSchemas, type ReflectedSchemas } from './compare/schemas.js';
import type { MigrationPlan, RenameCandidate } from './plan.js';
import { candidateRename, type StatedRename } from './renames.js';

export type { CompareOptions } from './context.js';
export type { ReflectedSchemas } from './compare/schemas.js';

/**
 * The changes that bring a database, as reflected, to the models. Pure: the reflected schemas come in
 * (the default schema under `null`, and each of `includeSchemas`).
 *
 * @example
 * const reflected = new Map([[null, await engine.reflectSchema()]]);
 * const plan = compareMetadata(metadata, 'postgresql', reflected);
 * plan.changes.map((c) => c.description); // ["Added column 'movies.rating'"]
 */
export function compareMetadata(metadata: MetaData, dialect: DialectName, reflected: ReflectedSchemas, options: CompareOptions = {}): MigrationPlan {
  const ctx = createContext(dialect, metadata, options, options.renames ?? []);
  compareSchemas(ctx, reflected, options.onTableCompared);
  return ctx.plan;
}

/** Options of {@link produceMigration}. */
export interface ProduceOptions extends CompareOptions {
  /** Sees each catalog query (the bench counts them). */
  readonly onQuery?: (sql: string) => void;
  /**
   * Asked about each possible rename (a dropped and an added table or column of the same shape); true
   * makes it a rename. The CLI asks on an interactive terminal only, never in CI.
   */
  readonly confirmRename?: (candidate: RenameCandidate) => Promise<boolean>;
}

/**
 * Reads the database on `connection` (the default schema, and `includeSchemas`) and compares it with
 * `metadata`; possible renames are put to `confirmRename`, and the comparison runs again with those
 * confirmed.
 *
 * @example
 * const plan = await engine.connect((connection) => produceMigration(connection, metadata));
 * await runOnline(engine, async () => { for (const op of plan.upgradeOps()) await op.invoke(op); });
 */
export async function produceMigration(connection: Connection, metadata: MetaData, options: ProduceOptions = {}): Promise<MigrationPlan> {
  const reflected = await reflectSchemas(connection, options);
  const dialect = connection.dialect;
  const defaultSchema = options.defaultSchema ?? (await dialect.reflection.defaultSchema(catalogQuery(connection, options.onQuery)));
  const compare = (renames: readonly StatedRename[]) =>
    compareMetadata(metadata, dialect.name, reflected, { capabilities: dialect.capabilities, ...options, ...(defaultSchema === null ? {} : { defaultSchema }), renames });
  const stated = options.renames ?? [];
  let plan = compare(stated);
  if (options.confirmRename === undefined || plan.renameCandidates.length === 0) return plan;
  const confirmed: StatedRename[] = [];
  for (const candidate of plan.renameCandidates) {
    // A table or column taken by an earlier answer cannot be renamed twice.
    const taken = confirmed.some((c) => c.kind === candidate.kind && c.table === (candidate.kind === 'column' ? candidate.table : null) && (c.from === candidate.from || c.to === candidate.to));
    if (!taken && (await options.confirmRename(candidate))) confirmed.push(candidateRename(candidate));
  }
  if (confirmed.length > 0) plan = compare([...stated, ...confirmed]);
  return plan;
}

/** The default schema and each of `includeSchemas`, read on `connection` (read-only, rolled back after). */
export async function reflectSchemas(
  connection: Connection,
  options: Pick<ProduceOptions, 'includeSchemas' | 'includeName' | 'onQuery'> = {},
): Promise<ReflectedSchemas> {
  const query = catalogQuery(connection, options.onQuery);
  const reflection = connection.dialect.reflection;
  const result = new Map<string | null, Awaited<ReturnType<typeof reflection.reflect>>>();
  result.set(null, await reflection.reflect(query, null));
  for (const schema of options.includeSchemas ?? []) {
    if (options.includeName !== undefined && !options.includeName(schema, 'schema', { schemaName: null })) continue;
    result.set(schema, await reflection.reflect(query, schema));
  }
  return result;
}
