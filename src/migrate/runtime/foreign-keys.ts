/**
 * Switching foreign key enforcement off for a table rebuild, where a dialect needs that. Only SQLite
 * does: its ALTER TABLE is so limited that changing a table means creating a new one, copying the rows,
 * dropping the old one and renaming. With enforcement on, that DROP deletes the rows of child tables
 * declared ON DELETE CASCADE (or fails on RESTRICT), and `PRAGMA foreign_keys=OFF` is silently ignored
 * inside a transaction, so it must be switched before BEGIN and the result checked before COMMIT.
 */
import type { DialectName } from '../../dialects/dialect.js';
import { ForeignKeyViolationError } from './errors.js';

/** The statements that switch enforcement and find violations. */
export interface ForeignKeySwitch {
  /** Outside a transaction only. */
  readonly off: string;
  readonly on: string;
  /** Returns one row per violation: table, rowid, referenced table, foreign key index. */
  readonly check: string;
}

/** By dialect; null where enforcement need not be switched off for rebuilds. */
export const FOREIGN_KEY_SWITCHES: Readonly<Record<DialectName, ForeignKeySwitch | null>> = {
  sqlite: { off: 'PRAGMA foreign_keys = OFF', on: 'PRAGMA foreign_keys = ON', check: 'PRAGMA foreign_key_check' },
  postgresql: null,
  mysql: null,
};

/**
 * The error for the rows `PRAGMA foreign_key_check` returned, or null when there are none.
 *
 * @example
 * ```ts
 * violationError([['track', 3, 'album', 0]], 'a1b2c3');
 * // ForeignKeyViolationError: "Revision a1b2c3 leaves rows that break foreign keys: track rowid 3 -> album ..."
 * ```
 */
export function violationError(rows: readonly (readonly unknown[])[], revision: string): ForeignKeyViolationError | null {
  if (rows.length === 0) return null;
  const shown = rows.slice(0, 5).map(([table, rowid, parent]) => `${String(table)} rowid ${String(rowid)} -> ${String(parent)}`);
  const more = rows.length > 5 ? ` and ${rows.length - 5} more` : '';
  return new ForeignKeyViolationError(
    `Revision ${revision} leaves rows that break foreign keys: ${shown.join('; ')}${more}. ` +
      'Its changes were rolled back; fix the data (or the rebuild) and run it again.',
  );
}
