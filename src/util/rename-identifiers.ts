/**
 * Column renames inside SQL text the database gave back (a CHECK's condition, an index expression): the
 * text keeps naming a renamed column until it is rewritten.
 */

/** SQL text with column identifiers renamed (bare ones matched case-insensitively); string literals are left alone. */
export function renameIdentifiers(sql: string, renames: ReadonlyMap<string, string>): string {
  const lower = new Map([...renames].map(([from, to]) => [from.toLowerCase(), to]));
  return sql.replace(/'(?:[^']|'')*'|"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\b([A-Za-z_][A-Za-z0-9_$]*)\b/g, (token, dq?: string, bq?: string, bare?: string) => {
    if (dq !== undefined) return renames.has(dq) ? `"${renames.get(dq)!.replace(/"/g, '""')}"` : token;
    if (bq !== undefined) return renames.has(bq) ? `\`${renames.get(bq)!.replace(/`/g, '``')}\`` : token;
    if (bare !== undefined) return lower.get(bare.toLowerCase()) ?? token;
    return token;
  });
}
