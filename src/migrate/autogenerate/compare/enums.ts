/**
 * Named enum types that live apart from tables (PostgreSQL's CREATE TYPE). A type whose columns exist
 * changes with them: the columns comparator alters each column from the old values to the new, which
 * runs on every dialect. What is left here is a type no existing column uses while the model's new
 * tables or columns do: CREATE TYPE would keep the old values, so they change first, as the SQL that
 * `op.alterColumn()` runs for a type's values (no other dialect has such a type to change).
 */
import { getDialect } from '../../../dialects/index.js';
import { AlterEnumType } from '../../../schema/ddl.js';
import type { ReflectedEnum, ReflectedTable } from '../../../schema/reflected.js';
import type { Table } from '../../../schema/table.js';
import { EnumType } from '../../../types/generic.js';
import { ExecuteSqlOp } from '../../operations/ops/data.js';
import { type CompareContext, qualified } from '../context.js';

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
  for (const table of tables) {
    for (const column of table.columns) {
      const type = column.type.impl;
      if (type instanceof EnumType && type.name !== undefined && !modelEnums.has(type.name)) modelEnums.set(type.name, type);
    }
  }
  const used = new Set(reflected.flatMap((t) => t.columns.map((c) => c.type.impl).filter((type) => type instanceof EnumType).map((type) => (type as EnumType).name)));
  for (const [name, type] of modelEnums) {
    const found = enums.find((e) => e.name === name);
    if (found === undefined || type.hasValues(found.values) || used.has(name)) continue;
    const old = new EnumType(found.values, name);
    const removed = found.values.filter((v) => !type.values.includes(v));
    const [op, ...more] = statements(ctx, new AlterEnumType(type, old, schema));
    const typeName = qualified(schema, name);
    ctx.plan.add({
      phase: 'enumValues',
      table: null,
      op: op!,
      more,
      downgrade: statements(ctx, new AlterEnumType(old, type, schema)),
      code: 'modify_enum',
      description: `Changed enum type '${typeName}': (${found.values.join(', ')}) -> (${type.values.join(', ')})`,
      ...(removed.length === 0 ? {} : { destructive: `removes ${removed.map((v) => `'${v}'`).join(', ')} from enum type '${typeName}'` }),
    });
  }
}

/** The statements as `op.execute()` calls, which read `:name` as a parameter: such colons are escaped. */
function statements(ctx: CompareContext, element: AlterEnumType): ExecuteSqlOp[] {
  return getDialect(ctx.dialect)
    .compileDdl(element)
    .map((sql) => new ExecuteSqlOp({ sql: sql.replace(/(?<![:\w\\]):(?=\w)/g, '\\:') }));
}
