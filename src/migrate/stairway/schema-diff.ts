/**
 * The differences between two reflected schemas, in words, for the stairway test: what the schema before
 * an upgrade had that the schema after the matching downgrade lacks, holds in addition, or holds
 * differently. Pure and exact: objects are matched by name (column order is ignored), everything else
 * compared as the catalog reports it.
 */
import type { ReflectedColumn, ReflectedSchema, ReflectedTable } from '../../schema/reflected.js';

/** A column as one comparable line: `VARCHAR(200) NOT NULL DEFAULT 'x'`. */
function describeColumn(c: ReflectedColumn): string {
  return [
    c.type.toString(),
    c.nullable ? 'NULL' : 'NOT NULL',
    c.default === null ? '' : `DEFAULT ${c.default}`,
    c.autoincrement ? 'AUTOINCREMENT' : '',
    c.comment === null ? '' : `COMMENT ${JSON.stringify(c.comment)}`,
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** Differences between two collections keyed by name (or, for unnamed ones, by what they say: text ''). */
function diffKeyed(label: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  const detail = (text: string) => (text === '' ? '' : ` (${text})`);
  for (const [key, text] of before) {
    const now = after.get(key);
    if (now === undefined) lines.push(`${label} ${key} is missing${detail(text)}`);
    else if (now !== text) lines.push(`${label} ${key} was ${text}, is ${now}`);
  }
  for (const [key, text] of after) if (!before.has(key)) lines.push(`${label} ${key} was not there before${detail(text)}`);
  return lines;
}

const byName = <T extends { readonly name: string | null }>(items: readonly T[], text: (item: T) => string): Map<string, string> =>
  new Map(items.map((item, i) => [item.name ?? `#${i + 1}`, text(item)]));

/** Unnamed constraints are matched by what they say. */
const bySelf = <T>(items: readonly T[]): Map<string, string> => new Map(items.map((item) => [JSON.stringify(item), '']));

function diffTable(before: ReflectedTable, after: ReflectedTable): string[] {
  const lines = [
    ...diffKeyed('column', byName(before.columns, describeColumn), byName(after.columns, describeColumn)),
    ...diffKeyed('primary key', bySelf(before.primaryKey === null ? [] : [before.primaryKey]), bySelf(after.primaryKey === null ? [] : [after.primaryKey])),
    ...diffKeyed('index', byName(before.indexes, (ix) => JSON.stringify(ix)), byName(after.indexes, (ix) => JSON.stringify(ix))),
    ...diffKeyed('foreign key', bySelf(before.foreignKeys), bySelf(after.foreignKeys)),
    ...diffKeyed('unique constraint', bySelf(before.uniqueConstraints), bySelf(after.uniqueConstraints)),
    ...diffKeyed('check constraint', bySelf(before.checkConstraints), bySelf(after.checkConstraints)),
  ];
  if (before.comment !== after.comment) lines.push(`comment was ${JSON.stringify(before.comment)}, is ${JSON.stringify(after.comment)}`);
  return lines.map((line) => `${before.name}: ${line}`);
}

/**
 * What differs between `before` and `after`, one line each (empty when they agree), ignoring the tables
 * named in `ignore` (the version table and tsmig's own).
 *
 * @example
 * ```ts
 * diffSchemas(before, after, ['alembic_version']);
 * // ["movies: column rating was not there before (Float() NULL)"]
 * ```
 */
export function diffSchemas(before: ReflectedSchema, after: ReflectedSchema, ignore: readonly string[] = []): string[] {
  const tables = (schema: ReflectedSchema) => new Map(schema.tables.filter((t) => !ignore.includes(t.name)).map((t) => [t.name, t]));
  const [b, a] = [tables(before), tables(after)];
  const lines: string[] = [];
  for (const [name, table] of b) {
    const now = a.get(name);
    if (now === undefined) lines.push(`table ${name} is missing`);
    else lines.push(...diffTable(table, now));
  }
  for (const name of a.keys()) if (!b.has(name)) lines.push(`table ${name} was not there before`);
  const enums = (schema: ReflectedSchema) => byName(schema.enums, (e) => e.values.join(', '));
  lines.push(...diffKeyed('enum type', enums(before), enums(after)));
  return lines;
}
