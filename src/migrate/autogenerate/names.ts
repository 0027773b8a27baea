/**
 * Names for constraints that autogenerate adds to an existing table when the model leaves them unnamed.
 * The database would pick one (`movies_ibfk_1` on MySQL, none at all on SQLite), and the downgrade could
 * not drop it again; a predictable name in the revision makes the downgrade exact. The model keeps no
 * name, so a later comparison matches the constraint by its columns and stays quiet.
 */
import { createHash } from 'node:crypto';

/** The longest identifier every supported database keeps whole (PostgreSQL: 63, MySQL: 64). */
const MAX_IDENTIFIER = 60;

/** `name` cut to {@link MAX_IDENTIFIER} characters, the cut part replaced by a short hash so names stay distinct. */
export function boundedName(name: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - hash.length - 1)}_${hash}`;
}

/** `uq_movies_title`, `uq_movies_a_b`. */
export function uniqueName(table: string, columns: readonly string[]): string {
  return boundedName(`uq_${table}_${columns.join('_')}`);
}

/** `fk_movies_director_id_directors`. */
export function foreignKeyName(table: string, columns: readonly string[], referredTable: string): string {
  return boundedName(`fk_${table}_${columns.join('_')}_${referredTable}`);
}

/** `pk_movies`. */
export function primaryKeyName(table: string): string {
  return boundedName(`pk_${table}`);
}

/** `ck_movies_1a2b3c4d`: a check has no columns to name it after, so its condition is hashed. */
export function checkName(table: string, condition: string): string {
  return boundedName(`ck_${table}_${createHash('sha1').update(condition).digest('hex').slice(0, 8)}`);
}

/** `ix_movies_title`, for a model index without a name or a convention (rare: the default convention names them). */
export function indexName(table: string, columns: readonly string[]): string {
  return boundedName(`ix_${table}_${columns.join('_')}`);
}
