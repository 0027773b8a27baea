/**
 * The identity key of a row: which table, and which primary key values. Its text form,
 * `<table number>\0<key part>`, is what `Mapper.identityKey()` returns and objects carry; the identity
 * map files objects under the table number and an inner key (the number itself for a numeric key) so
 * that looking up 100,000 loaded rows hashes numbers, not strings.
 */

/** Stable text for one primary key value: `1` and `1n` are the same row. */
export function keyPart(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** The inner key of a key part: a number when the part is one written as JavaScript writes it, else the text. */
export function innerKeyOfPart(part: string): unknown {
  const n = Number(part);
  return part !== '' && String(n) === part ? n : part;
}

/** The inner key of a one-column primary key value (the same as `innerKeyOfPart(keyPart(value))`). */
export function innerKeyOf(value: unknown): unknown {
  return typeof value === 'number' ? value : innerKeyOfPart(keyPart(value));
}

/** The table number and inner key of a text identity key. */
export function splitIdentityKey(key: string): readonly [number, unknown] {
  const at = key.indexOf('\u0000');
  return [Number(key.slice(0, at)), innerKeyOfPart(key.slice(at + 1))];
}
