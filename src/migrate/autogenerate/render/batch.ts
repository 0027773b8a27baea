/**
 * `op.batchAlterTable()`: the operations on one table that SQLite rebuilds it for (see
 * ../rebuild-batches.ts), and the table before them as `copyFrom`, written as `op.createTable()` takes
 * a table.
 */
import type { BatchAlterTableOp } from '../../operations/ops/batch-alter-table.js';
import type { TableDef } from '../../operations/table-def.js';
import { renderTableIndex } from './indexes.js';
import { call, indent, objectLines, type RenderContext, str } from './source.js';
import { renderTableParts, tableOptions } from './table.js';

/** The batch around `body`, the lines its operations were rendered to (in a {@link RenderContext.forBatch} context). */
export function renderBatch(r: RenderContext, batch: BatchAlterTableOp, body: readonly string[]): string {
  const callback = `(batch) => {\n${indent(body.join('\n'))}\n}`;
  const lines = [
    ...(batch.schema === null ? [] : [`schema: ${str(batch.schema)},`]),
    `// ${batch.tableName} as it is before these changes, for SQLite's rebuild under --sql (where no database can be read).`,
    `copyFrom: ${tableSpec(r, batch.copyFrom as TableDef)},`,
  ];
  return call('op.batchAlterTable', [str(batch.tableName), callback, `{\n${indent(lines.join('\n'))}\n}`]);
}

/** `{ columns: {...}, constraints: (c) => [...] }`: the table without its name and schema, which the batch gives. */
function tableSpec(r: RenderContext, def: TableDef): string {
  const { columns, constraints } = renderTableParts(r, def);
  const indexes = def.indexes.map((ix) => renderTableIndex(r, ix));
  return objectLines([['columns', columns], ...tableOptions({ ...def, schema: null }, [...constraints, ...indexes])])!;
}
