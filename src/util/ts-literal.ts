/**
 * TypeScript source for a string value, in single quotes as tsmig writes every string in generated code
 * (revisions, `tsmig pull` models, a type's `toString()`).
 *
 * @example
 * ```ts
 * tsString("it's"); // "'it\\'s'"
 * ```
 */
export function tsString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `'${escaped}'`;
}
