/**
 * Whether an expression default may follow DEFAULT without parentheses where a database takes only
 * literals bare (SQLite; MySQL 8 for anything but CURRENT_TIMESTAMP): a quoted or parenthesised text, a
 * number, or a single keyword (`CURRENT_TIMESTAMP`, `NULL`, `true`).
 */
export function isBareDefault(sql: string): boolean {
  return /^\s*['"(]/.test(sql) || /^[+-]?\d+(\.\d+)?$/.test(sql) || !/\W/.test(sql);
}

/** `now()`, `CURRENT_TIMESTAMP(6)`, `localtimestamp`: MySQL takes these bare after DEFAULT. */
export function isCurrentTimestamp(sql: string): boolean {
  return /^\s*(now|current_timestamp|localtimestamp|localtime)\s*(\(\s*\d*\s*\))?\s*$/i.test(sql);
}
