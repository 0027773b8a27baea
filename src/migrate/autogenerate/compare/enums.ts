/**
 * Named enum types that live apart from tables (PostgreSQL's CREATE TYPE). A type whose columns exist
 * changes with them: the columns comparator alters each column from the old values to the new, which
 * runs on every dialect. What is left here is a type no existing column uses while the model's new
 * tables or columns do: CREATE TYPE would keep the old values, so they change first. A value the model
 * adds is added with `ALTER TYPE ... ADD VALUE` (placed where the model lists it); a value removed, or
 * values reordered, need the type built again (rename the old type, create the new one, drop the old).
 */
import type { ReflectedEnum, ReflectedTable } from '../../../schema/reflected.js';
import type { Table } from '../../../schema/table.js';
import { EnumType } from '../../../types/generic.js';
import { ExecuteSqlOp } from '../../operations/ops/data.js';
import { type CompareContext, qualified } from '../context.js';

/** A column using the enum at some point of the migration, with its default as SQL. */
interface EnumColumn {
  readonly table: string;
  readonly schema: string | null;
  readonly column: string;
  readonly default: string | null;
}

/**
 * Compares the model's named enums of one schema with the database's. `tables` are the model's tables
 * of the schema, `reflected` the database's as the renames leave them.
 */
export function compareEnums(
  ctx: CompareContext,
  schema: string | null,
  tables: readonly Table[],
  reflected: readonly ReflectedTable[],
  enums: readonly ReflectedEnum[],
): void {
  if (!ctx.capabilities.enumTypes) return;
  const modelEnums = new Map<string, EnumType>();
  const modelColumns = new Map<string, EnumColumn[]>();
  for (const table of tables) {
    for (const column of table.columns) {
      const type = column.type.impl;
      if (!(type instanceof EnumType) || type.name === undefined) continue;
      if (!modelEnums.has(type.name)) modelEnums.set(type.name, type);
      const list = modelColumns.get(type.name) ?? [];
      list.push({ table: table.name, schema: table.schema, column: column.name, default: ctx.impl.modelDefault(column) });
      modelColumns.set(type.name, list);
    }
  }
  for (const [name, type] of modelEnums) {
    const found = enums.find((e) => e.name === name);
    if (found === undefined || sameValues(found.values, type.values)) continue;
    const used = reflected.some((t) => t.columns.some((c) => c.type.impl instanceof EnumType && (c.type.impl as EnumType).name === name));
    if (used) continue;
    const after = modelColumns.get(name) ?? [];
    const typeName = qualified(schema, name);
    const { statements, values: intermediate } = addValues(ctx, schema, name, found.values, type.values);
    if (statements.length > 0) {
      ctx.plan.add({
        phase: 'addEnumValues',
        table: null,
        op: statements[0]!,
        more: statements.slice(1),
        downgrade: recreate(ctx, schema, name, found.values, []),
        code: 'add_enum_value',
        description: `Added value${statements.length === 1 ? '' : 's'} ${type.values.filter((v) => !found.values.includes(v)).map((v) => `'${v}'`).join(', ')} to enum type '${typeName}'`,
      });
    }
    if (sameValues(intermediate, type.values)) continue;
    const removed = found.values.filter((v) => !type.values.includes(v));
    const steps = recreate(ctx, schema, name, type.values, after);
    const undo = recreate(ctx, schema, name, intermediate, after);
    ctx.plan.add({
      phase: 'recreateEnum',
      table: null,
      op: steps[0]!,
      more: steps.slice(1),
      downgrade: undo,
      code: 'modify_enum',
      description: `Changed enum type '${typeName}': (${found.values.join(', ')}) -> (${type.values.join(', ')})`,
      ...(removed.length === 0 ? {} : { destructive: `removes ${removed.map((v) => `'${v}'`).join(', ')} from enum type '${typeName}': rows holding them make the upgrade fail` }),
    });
  }
}

const sameValues = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** SQL for `op.execute()`, which reads `:name` as a parameter: such colons are escaped. */
function execute(sql: string): ExecuteSqlOp {
  return new ExecuteSqlOp({ sql: sql.replace(/(?<![:\w\\]):(?=\w)/g, '\\:') });
}

/** `ALTER TYPE ... ADD VALUE` for each new value, placed after the value the model lists before it. */
function addValues(ctx: CompareContext, schema: string | null, name: string, old: readonly string[], wanted: readonly string[]) {
  const values = [...old];
  const statements: ExecuteSqlOp[] = [];
  const type = typeSql(ctx, schema, name);
  wanted.forEach((value, i) => {
    if (values.includes(value)) return;
    const before = wanted.slice(0, i).reverse().find((v) => values.includes(v));
    const after = wanted.slice(i + 1).find((v) => values.includes(v));
    let where = '';
    if (before !== undefined) {
      where = ` AFTER ${literal(before)}`;
      values.splice(values.indexOf(before) + 1, 0, value);
    } else if (after !== undefined) {
      where = ` BEFORE ${literal(after)}`;
      values.splice(values.indexOf(after), 0, value);
    } else values.push(value);
    statements.push(execute(`ALTER TYPE ${type} ADD VALUE ${literal(value)}${where}`));
  });
  return { statements, values };
}

function typeSql(ctx: CompareContext, schema: string | null, name: string): string {
  return schema === null ? ctx.quote(name) : `${ctx.quote(schema)}.${ctx.quote(name)}`;
}

/** The type built again with `values`: rename, create, convert each column through text, drop the old one. */
function recreate(ctx: CompareContext, schema: string | null, name: string, values: readonly string[], columns: readonly EnumColumn[]): ExecuteSqlOp[] {
  const type = typeSql(ctx, schema, name);
  const oldName = `${name}_old`;
  const sql = [
    `ALTER TYPE ${type} RENAME TO ${ctx.quote(oldName)}`,
    `CREATE TYPE ${type} AS ENUM (${values.map(literal).join(', ')})`,
  ];
  for (const c of columns) {
    const table = c.schema === null ? ctx.quote(c.table) : `${ctx.quote(c.schema)}.${ctx.quote(c.table)}`;
    const column = ctx.quote(c.column);
    const alter = `ALTER TABLE ${table} ALTER COLUMN ${column}`;
    // A default of the old type would not convert by itself.
    if (c.default !== null) sql.push(`${alter} DROP DEFAULT`);
    sql.push(`${alter} TYPE ${type} USING ${column}::text::${type}`);
    if (c.default !== null) sql.push(`${alter} SET DEFAULT ${c.default.replace(new RegExp(`::${oldName}\\b`, 'g'), `::${name}`)}`);
  }
  sql.push(`DROP TYPE ${schema === null ? ctx.quote(oldName) : `${ctx.quote(schema)}.${ctx.quote(oldName)}`}`);
  return sql.map(execute);
}
