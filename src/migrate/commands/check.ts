/**
 * `tsmig check`: whether the models and the database at head agree, as Alembic's `check` command. The
 * CI guard against a forgotten revision: the CLI exits 1 when this finds differences.
 */
import { TsmigError } from '../../errors.js';
import type { MigrationPlan } from '../autogenerate/plan.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { type CompareDatabasesOptions, compareDatabases } from './autogenerate.js';

/** `check` found differences: the command fails (exit 1) after printing them. */
export class SchemaDriftError extends TsmigError {
  override readonly name: string = 'SchemaDriftError';
}

/** One difference between the models and a database. */
export interface CheckDifference {
  /** The multidb database name, or null. */
  readonly database: string | null;
  /** A stable machine name: `add_table`, `remove_column`, `modify_column`, `add_fk`, ... */
  readonly code: string;
  /** The table it is about (`schema.name`), or null (an enum type). */
  readonly table: string | null;
  /** The difference in words: `Added column 'movies.rating'`. */
  readonly description: string;
  /** Why the upgrade would lose data, or null. */
  readonly destructive: string | null;
}

/** What {@link check} found. */
export interface CheckResult {
  /** True when every database agrees with its models. */
  readonly ok: boolean;
  readonly differences: readonly CheckDifference[];
}

/**
 * Compares each database (which must be at the scripts' head) with its models.
 *
 * @example
 * ```ts
 * const result = await check(await loadConfig());
 * if (!result.ok) console.log(result.differences.map((d) => d.description).join('\n'));
 * ```
 */
export async function check(config: ResolvedConfig, options: Omit<CompareDatabasesOptions, 'confirmRename'> = {}): Promise<CheckResult> {
  const comparisons = await compareDatabases(config, options);
  const differences = comparisons.flatMap(({ database, plan }) => differencesOf(database, plan));
  return { ok: differences.length === 0, differences };
}

/**
 * The changes of a plan as differences of `database`.
 *
 * @internal shared with `status --check-models`.
 */
export function differencesOf(database: string | null, plan: MigrationPlan): CheckDifference[] {
  return plan.changes.map((c) => ({ database, code: c.code, table: c.table, description: c.description, destructive: c.destructive }));
}
