/**
 * The `cascade` option of a relationship: which session operations on a parent also apply to the
 * objects it refers to. The vocabulary is SQLAlchemy's: `save-update`, `merge`, `expunge`, `delete`,
 * `delete-orphan`, `refresh-expire`, `all` (every one but `delete-orphan`) and `none`.
 */
import { ArgumentError } from '../../errors.js';

/** The parsed cascade settings of one relationship. */
export interface Cascade {
  /** `session.add(parent)` adds the related objects; appending to a parent in a session adds the child. */
  readonly saveUpdate: boolean;
  /** `session.merge(parent)` merges the related objects too. */
  readonly merge: boolean;
  /** Accepted for SQLAlchemy compatibility; `session.expunge()` does not cascade yet. */
  readonly expunge: boolean;
  /** `session.delete(parent)` deletes the related objects (loading an unloaded collection first). */
  readonly delete: boolean;
  /** A child removed from the collection (or left without a parent) is deleted at the next flush. */
  readonly deleteOrphan: boolean;
  /** Accepted for SQLAlchemy compatibility; `refresh()` and `expire()` do not cascade yet. */
  readonly refreshExpire: boolean;
}

const NAMES = ['save-update', 'merge', 'expunge', 'delete', 'delete-orphan', 'refresh-expire'] as const;
const ALL: readonly (typeof NAMES)[number][] = ['save-update', 'merge', 'expunge', 'delete', 'refresh-expire'];

/** SQLAlchemy's default, `save-update, merge`. */
export const DEFAULT_CASCADE = 'save-update, merge';

/**
 * Parses a cascade string such as `'all, delete-orphan'`.
 *
 * @param where the relationship, for error messages (`Director.movies`).
 */
export function parseCascade(text: string, where: string): Cascade {
  const set = new Set<string>();
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '' || name === 'none') continue;
    if (name === 'all') ALL.forEach((n) => set.add(n));
    else if ((NAMES as readonly string[]).includes(name)) set.add(name);
    else throw new ArgumentError(`${where}: unknown cascade "${name}" (known: all, none, ${NAMES.join(', ')})`);
  }
  return {
    saveUpdate: set.has('save-update'),
    merge: set.has('merge'),
    expunge: set.has('expunge'),
    delete: set.has('delete'),
    deleteOrphan: set.has('delete-orphan'),
    refreshExpire: set.has('refresh-expire'),
  };
}
