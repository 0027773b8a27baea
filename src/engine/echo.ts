/** How `echo: true` shows parameters: compact, one line, long values cut short. */
import { inspect } from 'node:util';

const SHOWN_PARAMS = 20;

/** `[parameters: 1, 'Alien', 2024-01-02T03:04:05.000Z, ... 40 more]` */
export function formatParams(values: readonly unknown[]): string {
  const shown = values.slice(0, SHOWN_PARAMS).map((value) =>
    // Integers bound as bigint (SQLite binds numbers as REAL otherwise) read as the number they are.
    typeof value === 'bigint'
      ? String(value)
      : inspect(value, { breakLength: Infinity, compact: true, depth: 2, maxArrayLength: 10, maxStringLength: 100 }),
  );
  const more = values.length > SHOWN_PARAMS ? `, ... ${values.length - SHOWN_PARAMS} more` : '';
  return `[parameters: ${shown.join(', ')}${more}]`;
}
