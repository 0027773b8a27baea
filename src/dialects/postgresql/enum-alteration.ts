/**
 * How PostgreSQL changes the values of a named enum type, for `op.alterColumn()` from one `t.Enum` to
 * another of the same name. Values added where all the old ones stay, in their order, are
 * `ALTER TYPE ... ADD VALUE IF NOT EXISTS`: no table is rewritten, and the second column of a shared type
 * finds the value there. PostgreSQL 12 and later run it inside the migration's transaction, but a value
 * added there cannot be used (as a default or in a row) before that transaction commits.
 *
 * A value removed, or the values reordered, builds the type again in one DO block, which converts every
 * table column that uses the type (a type has one list of values, whichever column the operation names)
 * and does nothing when the catalog already shows the wanted values: a shared type is rebuilt once, and a
 * revision written elsewhere, which may not know the old values, still ends with the right ones.
 */

/** What the statements need from the DDL compiler: identifier quoting and string literals. */
export interface EnumSql {
  quote(name: string): string;
  literal(value: string): string;
}

/**
 * `ADD VALUE` for each value of `wanted` missing from `existing`, placed next to a neighbour the model
 * lists, or null when `existing` is not kept in order (a value removed or moved).
 */
export function addedValues(sql: EnumSql, type: string, existing: readonly string[], wanted: readonly string[]): string[] | null {
  let at = 0;
  for (const value of existing) {
    at = wanted.indexOf(value, at);
    if (at < 0) return null;
  }
  const values = [...existing];
  const statements: string[] = [];
  wanted.forEach((value, i) => {
    if (values.includes(value)) return;
    const before = wanted.slice(0, i).reverse().find((v) => values.includes(v));
    const after = wanted.slice(i + 1).find((v) => values.includes(v));
    let where = '';
    if (before !== undefined) {
      where = ` AFTER ${sql.literal(before)}`;
      values.splice(values.indexOf(before) + 1, 0, value);
    } else if (after !== undefined) {
      where = ` BEFORE ${sql.literal(after)}`;
      values.splice(values.indexOf(after), 0, value);
    } else values.push(value);
    statements.push(`ALTER TYPE ${type} ADD VALUE IF NOT EXISTS ${sql.literal(value)}${where}`);
  });
  return statements;
}

/**
 * One DO block giving the type `name` (in `schema`) the `values`: created when missing, else built again
 * unless it has them already (the old type renamed, the new one created, each column converted through
 * text with its default kept as its value unless the value goes (the migration sets another one), the old
 * type dropped). Columns of views, indexes and
 * inherited columns follow their tables by themselves.
 */
export function rebuiltType(sql: EnumSql, name: string, schema: string | null, values: readonly string[]): string {
  const qualify = (n: string) => (schema === null ? sql.quote(n) : `${sql.quote(schema)}.${sql.quote(n)}`);
  const type = qualify(name);
  const oldName = `${name}_old`;
  const list = values.map((v) => sql.literal(v)).join(', ');
  return [
    'DO $$ DECLARE old oid; c record; d text; BEGIN',
    `old := to_regtype(${sql.literal(type)});`,
    `IF old IS NULL THEN CREATE TYPE ${type} AS ENUM (${list}); RETURN; END IF;`,
    `IF ARRAY(SELECT enumlabel::text FROM pg_enum WHERE enumtypid = old ORDER BY enumsortorder) = ARRAY[${list}]::text[] THEN RETURN; END IF;`,
    `ALTER TYPE ${type} RENAME TO ${sql.quote(oldName)};`,
    `CREATE TYPE ${type} AS ENUM (${list});`,
    'FOR c IN SELECT a.attrelid::regclass AS tab, quote_ident(a.attname) AS col, pg_get_expr(ad.adbin, ad.adrelid) AS def',
    'FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum',
    "WHERE a.atttypid = old AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0 AND r.relkind IN ('r', 'p') LOOP",
    'd := NULL;',
    'IF c.def IS NOT NULL THEN',
    "EXECUTE format('SELECT (%s)::text', c.def) INTO d;",
    "EXECUTE format('ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT', c.tab, c.col);",
    'END IF;',
    `EXECUTE format('ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::text::%s', c.tab, c.col, ${sql.literal(type)}, c.col, ${sql.literal(type)});`,
    `IF d = ANY(ARRAY[${list}]::text[]) THEN EXECUTE format('ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %L::%s', c.tab, c.col, d, ${sql.literal(type)}); END IF;`,
    'END LOOP;',
    `DROP TYPE ${qualify(oldName)};`,
    'END $$',
  ].join('\n');
}
