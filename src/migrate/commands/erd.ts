/**
 * `tsmig erd`: the diagram of the models (`targetMetadata`) or, with `fromDb`, of the live schema read
 * through env.ts (nothing written, tsmig's own tables left out). Drawing is `erd/render.ts`'s.
 */
import { MetaData } from '../../schema/metadata.js';
import { tablesFromReflected } from '../../schema/from-reflected.js';
import { reflectSchemas } from '../autogenerate/api.js';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig, ResolvedDatabase } from '../config/load-config.js';
import { type Diagram, diagramOf } from '../erd/diagram.js';
import type { RunReporter } from '../runtime/migration-context.js';
import { isTsmigTable } from '../runtime/version-table.js';
import { inspectDatabases } from './run.js';

/** Options of {@link erd}. */
export interface ErdOptions {
  /** Draw the live database instead of the models. */
  readonly fromDb?: boolean;
  readonly reporter?: RunReporter;
}

/**
 * The diagram of the selected database's models, or of its live schema.
 *
 * @example
 * ```ts
 * const diagram = await erd(await loadConfig());
 * mermaidErd(diagram); // 'erDiagram\n  directors {\n ...'
 * ```
 */
export async function erd(config: ResolvedConfig, options: ErdOptions = {}): Promise<Diagram> {
  const database = selectedDatabase(config);
  const versionTable = { name: config.versionTable, schema: config.versionTableSchema };
  const isTsmigOwn = (table: { name: string; schema: string | null }) => isTsmigTable(versionTable, table.name, table.schema);
  if (options.fromDb !== true) {
    if (database.targetMetadata === null) {
      throw new ConfigError(
        `${config.configFile} sets no targetMetadata, so there are no models to draw. Point it at your models' MetaData (targetMetadata: Base.metadata), or draw the database with --from-db.`,
      );
    }
    return diagramOf(database.targetMetadata, isTsmigOwn);
  }
  const metadata = new MetaData();
  await inspectDatabases(
    config,
    async (connection) => {
      tablesFromReflected(metadata, (await reflectSchemas(connection)).get(null)!);
    },
    { reporter: options.reporter ?? {} },
  );
  return diagramOf(metadata, isTsmigOwn);
}

function selectedDatabase(config: ResolvedConfig): ResolvedDatabase {
  if (config.database === null) {
    throw new ConfigError(`This project has several databases (${Object.keys(config.databases).join(', ')}); draw one at a time with --name.`);
  }
  return config.database;
}
