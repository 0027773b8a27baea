/**
 * Identifier lengths: PostgreSQL keeps the first 63 bytes of a name (and silently drops the rest),
 * MySQL refuses names longer than 64 characters. A name within both limits means the same everywhere.
 */
import { createHash } from 'node:crypto';

/** The longest name, in UTF-8 bytes, that every supported database keeps whole. */
export const PORTABLE_IDENTIFIER_BYTES = 63;

/** The length of `name` in UTF-8 bytes (what PostgreSQL counts). */
export function identifierBytes(name: string): number {
  return Buffer.byteLength(name, 'utf8');
}

/**
 * `name` when it fits in `maxBytes`; otherwise its first characters and a short hash of the whole
 * (`ix_a_very_long_..._3f2a91c0`), so two long names that share a beginning stay distinct and the same
 * name always gives the same result. Never cuts a character in two.
 */
export function boundedIdentifier(name: string, maxBytes: number = PORTABLE_IDENTIFIER_BYTES): string {
  if (identifierBytes(name) <= maxBytes) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  let head = '';
  for (const char of name) {
    if (identifierBytes(head + char) > maxBytes - hash.length - 1) break;
    head += char;
  }
  return `${head}_${hash}`;
}
