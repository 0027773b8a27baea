/**
 * SQLite has no enum type: a `t.Enum` column is a VARCHAR as wide as its longest value with a CHECK that
 * it holds one of the values, named after the enum when it has a name (SQLAlchemy's `create_constraint`).
 * The CHECK keeps the values (and the name) in the database, so reflection gives the enum back: a
 * revision generated on SQLite knows the old values of an enum it changes, as one generated on
 * PostgreSQL or MySQL does.
 */
import type { ReflectedColumn } from '../../schema/reflected.js';
import { EnumType, StringType } from '../../types/generic.js';
import { type ParsedCheck, tokenize } from './reflection-parse.js';

/** The condition of an enum column's CHECK: `column IN ('a', 'b')`, column and values already quoted. */
export function enumCondition(column: string, values: readonly string[]): string {
  return `${column} IN (${values.join(', ')})`;
}

/**
 * The reflected columns with the enums their CHECKs describe, and the checks left over. A check is an
 * enum's when it is exactly `column IN ('a', ...)` on a VARCHAR as wide as its longest value, what the
 * DDL writes; any other check stays a check.
 */
export function enumsFromChecks(columns: readonly ReflectedColumn[], checks: readonly ParsedCheck[]): { columns: ReflectedColumn[]; checks: ParsedCheck[] } {
  const types = new Map<string, EnumType>();
  const rest: ParsedCheck[] = [];
  for (const check of checks) {
    const found = enumOf(check);
    const column = found === null ? undefined : columns.find((c) => c.name === found.column);
    const type = column?.type.impl;
    const width = found === null ? 0 : Math.max(1, ...found.values.map((v) => v.length));
    if (found === null || !(type instanceof StringType) || type.length !== width || types.has(found.column) || new Set(found.values).size !== found.values.length) {
      rest.push(check);
      continue;
    }
    types.set(found.column, new EnumType(found.values, check.name ?? undefined));
  }
  return { columns: columns.map((c) => (types.has(c.name) ? { ...c, type: types.get(c.name)! } : c)), checks: rest };
}

/** The column and values of `column IN ('a', ...)`, or null for any other condition. */
function enumOf(check: ParsedCheck): { column: string; values: string[] } | null {
  const tokens = tokenize(check.sqltext);
  const [name, keyword, open] = tokens;
  const last = tokens[tokens.length - 1];
  if (name === undefined || (name.kind !== 'word' && name.kind !== 'quoted') || keyword?.kind !== 'word' || keyword.value.toUpperCase() !== 'IN') return null;
  if (open?.value !== '(' || open.kind !== 'punct' || last?.value !== ')' || last.kind !== 'punct' || tokens.length % 2 === 0) return null;
  const values: string[] = [];
  for (let i = 3; i < tokens.length - 1; i += 2) {
    const value = tokens[i]!;
    const after = tokens[i + 1]!;
    if (value.kind !== 'string' || after.kind !== 'punct' || after.value !== (i + 1 === tokens.length - 1 ? ')' : ',')) return null;
    values.push(value.value);
  }
  return values.length === 0 ? null : { column: name.value, values };
}
