/**
 * Shell-style name patterns (`film_*`, `tmp?`), for options that pick objects by name.
 */

/**
 * A RegExp matching the whole name against `pattern`: `*` any run of characters, `?` one character,
 * everything else literally.
 *
 * @example
 * ```ts
 * globToRegExp('film_*').test('film_actor'); // true
 * ```
 */
export function globToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** True when `name` matches one of `patterns`. */
export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globToRegExp(p).test(name));
}
