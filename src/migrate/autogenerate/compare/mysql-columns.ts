/**
 * MySQL's own column clauses: ON UPDATE and the collation. ON UPDATE compares in the canonical default
 * form (`now()`, `current_timestamp()` and `CURRENT_TIMESTAMP` agree). A collation is reflected only
 * where it differs from the table's, so a model column without one means "the table's"; one that names
 * only a character set leaves the collation alone. Other databases have neither clause.
 */
import type { Column } from '../../../schema/column.js';
import type { ReflectedColumn, ReflectedTable } from '../../../schema/reflected.js';
import type { AlterColumnFields } from '../../operations/ops/column.js';
import type { DialectImpl } from '../../impl/impl.js';

type MysqlChange = Pick<AlterColumnFields, 'modifyMysqlOnUpdate' | 'modifyMysqlCollation'>;

/** The MySQL clauses that change, and the words describing them. */
export function compareMysqlColumn(
  impl: DialectImpl,
  table: ReflectedTable,
  column: Column,
  reflected: ReflectedColumn,
): { readonly modify: MysqlChange; readonly changes: readonly string[] } {
  if (impl.dialect !== 'mysql') return { modify: {}, changes: [] };
  const modify: { -readonly [K in keyof MysqlChange]: MysqlChange[K] } = {};
  const changes: string[] = [];
  const { mysqlOnUpdate, mysqlCollation, mysqlCharset } = column.options;
  const [mine, theirs] = [impl.normalizeDefault(mysqlOnUpdate ?? null), impl.normalizeDefault(reflected.mysqlOnUpdate ?? null)];
  if (mine !== theirs) {
    modify.modifyMysqlOnUpdate = mysqlOnUpdate ?? null;
    changes.push(`ON UPDATE ${reflected.mysqlOnUpdate ?? 'none'} -> ${mysqlOnUpdate ?? 'none'}`);
  }
  const current = (reflected.mysqlCollation ?? table.mysqlCollation)?.toLowerCase();
  const wanted = mysqlCollation?.toLowerCase();
  const differs = wanted === undefined ? mysqlCharset === undefined && reflected.mysqlCollation !== undefined : wanted !== current;
  if (differs) {
    modify.modifyMysqlCollation = mysqlCollation ?? null;
    changes.push(`collation ${current ?? 'the table\'s'} -> ${mysqlCollation ?? "the table's"}`);
  }
  return { modify, changes };
}
