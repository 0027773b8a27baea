/**
 * Identifier quoting. A name is quoted when it is reserved, has upper-case or non-ASCII characters, or
 * is not a plain identifier; a quote character inside a name is doubled. Case matters: PostgreSQL folds
 * unquoted names to lower case, so `Movies` must be quoted to stay `Movies`.
 */

/** Words reserved by the SQL standard and by all three supported databases' grammars. */
export const COMMON_RESERVED = new Set(
  `all alter analyse analyze and any array as asc asymmetric authorization between binary both by case cast
  check collate column constraint create cross current_catalog current_date current_role current_schema
  current_time current_timestamp current_user default deferrable delete desc distinct do drop else end except
  exists false fetch for foreign freeze from full grant group having ilike in index initially inner insert
  intersect into is isnull join key lateral leading left like limit localtime localtimestamp natural not
  notnull null offset on only or order outer overlaps placing primary references returning right select
  session_user set similar some symmetric table tablesample then to trailing true union unique update user
  using values variadic verbose when where window with`.split(/\s+/),
);

const PLAIN = /^[a-z_][a-z0-9_]*$/;

/** Quotes `name` with `quote` when the rules above require it. */
export function quoteIdentifier(name: string, quote: string, reserved: ReadonlySet<string>): string {
  if (PLAIN.test(name) && !reserved.has(name)) return name;
  return quote + name.split(quote).join(quote + quote) + quote;
}

/** A reserved-word set extended with a dialect's own words. */
export function reservedWords(extra: string): ReadonlySet<string> {
  return new Set([...COMMON_RESERVED, ...extra.split(/\s+/).filter(Boolean)]);
}
