/**
 * Revision ids: 12 lowercase hex characters from a cryptographic random source, as Alembic makes them,
 * or an id the user chose with `--rev-id` (checked for the characters the identifier syntax reserves).
 */
import { randomBytes } from 'node:crypto';
import { RevisionGraphError } from './errors.js';
import { ILLEGAL_ID_CHARACTERS, RESERVED_SYMBOLS } from './identifier.js';

/**
 * A new random revision id.
 *
 * @example
 * ```ts
 * generateRevisionId(); // '1975ea83b712'
 * ```
 */
export function generateRevisionId(): string {
  return randomBytes(6).toString('hex');
}

/** Throws when `id` cannot be a revision id: empty, a reserved word, or containing `@ : + -` or spaces. */
export function checkRevisionId(id: string): void {
  if (id === '') throw new RevisionGraphError('A revision id cannot be empty.');
  const bad = ILLEGAL_ID_CHARACTERS.exec(id);
  if (bad !== null) throw new RevisionGraphError(`Revision id '${id}' contains '${bad[0]}': ids cannot contain '@', ':', '+', '-' or spaces.`);
  if (RESERVED_SYMBOLS.has(id)) throw new RevisionGraphError(`Revision id '${id}' is a reserved word (head, heads, base, current).`);
}
