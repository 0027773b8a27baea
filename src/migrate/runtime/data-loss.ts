/**
 * Data-loss warnings of MySQL and MariaDB. Without a strict `sql_mode` (tsmig's sessions set
 * TRADITIONAL, but env.ts or a migration may set another), the server does not refuse a value that does
 * not fit: shortening a VARCHAR cuts the rows' text, a NOT NULL column takes its default for NULL, an
 * out-of-range number is clamped; each only raises a warning. The migration executor reads the
 * warnings of every statement that reported some, and a data-loss warning fails the migration (or,
 * with `dataLossWarnings: 'warn'`, prints a warning line).
 */
import type { Connection } from '../../engine/connection.js';
import { TsmigError } from '../../errors.js';
import { text } from '../../sql/elements/text.js';
import { truncate } from './steps.js';

/** What a data-loss warning does: fail the migration (the default) or print a warning and go on. */
export type DataLossPolicy = 'error' | 'warn';

/**
 * The warning codes that mean the server changed data: data truncated (1265), out of range (1264),
 * too long (1406), incorrect value (1366, 1292), NULL into NOT NULL (1048, 1263), rows cut or padded
 * (1261, 1262), GROUP_CONCAT cut (1260), a result over max_allowed_packet (1301).
 */
const DATA_LOSS_CODES: ReadonlySet<number> = new Set([1048, 1260, 1261, 1262, 1263, 1264, 1265, 1292, 1301, 1366, 1406]);

/** A statement of a migration changed data instead of failing (MySQL without a strict sql_mode). */
export class DataLossError extends TsmigError {
  override readonly name: string = 'DataLossError';
}

/** Checks a statement that reported warnings; `report` prints a warning line (`warn`). */
export type WarningCheck = (sql: string) => Promise<void>;

/** The check of one run, reading `SHOW WARNINGS` on the migration connection. */
export function dataLossCheck(connection: Connection, policy: DataLossPolicy, report: (line: string) => void): WarningCheck {
  return async (sql) => {
    const rows = (await connection.execute(text('SHOW WARNINGS'))).all() as unknown as [string, number | string, string][];
    const losses = rows.filter((r) => DATA_LOSS_CODES.has(Number(r[1]))).map((r) => r[2]);
    if (losses.length === 0) return;
    const shown = losses.slice(0, 3).join('; ') + (losses.length > 3 ? ` (and ${losses.length - 3} more)` : '');
    const statement = truncate(sql.replace(/\s+/g, ' ').trim(), 200);
    if (policy === 'warn') {
      report(`warning: ${statement} changed data (the session's sql_mode is not strict): ${shown}; going on (dataLossWarnings: 'warn').`);
      return;
    }
    throw new DataLossError(
      `${statement} changed data instead of failing (the session's sql_mode is not strict): ${shown}. ` +
        "Fix the data or the migration, or set dataLossWarnings: 'warn' in the config to go on with a warning",
    );
  };
}
