/** `op.addColumn()`, `op.dropColumn()`, `op.alterColumn()`. */
import {
  COLUMN_SERVER_OPTIONS,
  type ColumnServerOptions,
  type ColumnSpec,
  type ComputedOptions,
  type IdentityOptions,
} from '../../../schema/column.js';
import type { OnlineAlterFields } from '../../operations/ops/online.js';
import type { AddColumnOp, AlterColumnOp, DropColumnOp } from '../../operations/ops/column.js';
import { object, objectLines, type RenderContext, str, tableCall } from './source.js';

/** `column(t.String(50), { nullable: false, ... })`. */
export function renderColumnSpec(r: RenderContext, spec: ColumnSpec): string {
  const o = spec.options;
  const options = object([
    ['nullable', o.nullable === false ? 'false' : undefined],
    ['serverDefault', o.serverDefault === undefined ? undefined : r.serverDefault(o.serverDefault)],
    ['comment', o.comment === undefined ? undefined : str(o.comment)],
    ...columnServerOptionEntries(o),
  ]);
  return `${r.use('column')}(${r.type(spec.type)}${options === null ? '' : `, ${options}`})`;
}

/** The server options of a column (`mysqlOnUpdate: 'CURRENT_TIMESTAMP'`), wherever a column is written. */
export function columnServerOptionEntries(o: ColumnServerOptions): (readonly [string, string | undefined])[] {
  return COLUMN_SERVER_OPTIONS.map((key) => {
    const value = o[key];
    if (value === undefined) return [key, undefined] as const;
    if (typeof value === 'string') return [key, str(value)] as const;
    return [key, key === 'identity' ? renderIdentity(value as IdentityOptions) : renderComputed(value as ComputedOptions)] as const;
  });
}

/** `{ always: true, start: 100 }`, or `{}` for BY DEFAULT with the database's defaults. */
export function renderIdentity(identity: IdentityOptions | null): string {
  if (identity === null) return 'null';
  const number = (n: number | bigint | undefined) => (n === undefined ? undefined : typeof n === 'bigint' ? `${n}n` : String(n));
  return (
    object([
      ['always', identity.always === true ? 'true' : undefined],
      ['start', number(identity.start)],
      ['increment', number(identity.increment)],
      ['minValue', number(identity.minValue)],
      ['maxValue', number(identity.maxValue)],
      ['cache', number(identity.cache)],
      ['cycle', identity.cycle === true ? 'true' : undefined],
    ]) ?? '{}'
  );
}

/** `{ sqltext: 'price * quantity', persisted: true }`. */
export function renderComputed(computed: ComputedOptions): string {
  return object([
    ['sqltext', str(computed.sqltext)],
    ['persisted', computed.persisted === undefined ? undefined : String(computed.persisted)],
  ])!;
}

function nullableStr(value: string | null | undefined): string | undefined {
  return value === undefined ? undefined : value === null ? 'null' : str(value);
}

export function renderAddColumn(r: RenderContext, op: AddColumnOp): string {
  return tableCall(r, 'addColumn', [str(op.tableName), str(op.columnName), renderColumnSpec(r, op.column), object([r.schemaEntry(op.schema), ...onlineOptions(op)])], 0);
}

export function renderDropColumn(r: RenderContext, op: DropColumnOp): string {
  return tableCall(r, 'dropColumn', [str(op.tableName), str(op.columnName), object([r.schemaEntry(op.schema), ...onlineOptions(op)])], 0);
}

/**
 * MySQL's `algorithm` and `lock` of an operation, when set.
 *
 * @internal shared with the index renderers.
 */
export function onlineOptions(op: OnlineAlterFields): (readonly [string, string | undefined])[] {
  return [
    ['algorithm', op.algorithm === undefined ? undefined : str(op.algorithm)],
    ['lock', op.lock === undefined ? undefined : str(op.lock)],
  ];
}

/**
 * The changes first, then the column as it is (`existing*`): MySQL restates the whole column, and a
 * reader sees what the column was.
 */
export function renderAlterColumn(r: RenderContext, op: AlterColumnOp): string {
  const entries = [
    ['nullable', op.modifyNullable === undefined ? undefined : String(op.modifyNullable)],
    ['type', op.modifyType === undefined ? undefined : r.type(op.modifyType)],
    ['serverDefault', op.modifyServerDefault === undefined ? undefined : r.serverDefault(op.modifyServerDefault)],
    ['newName', op.modifyName === undefined ? undefined : str(op.modifyName)],
    ['comment', op.modifyComment === undefined ? undefined : op.modifyComment === null ? 'null' : str(op.modifyComment)],
    ['mysqlOnUpdate', nullableStr(op.modifyMysqlOnUpdate)],
    ['mysqlCollation', nullableStr(op.modifyMysqlCollation)],
    ['identity', op.modifyIdentity === undefined ? undefined : renderIdentity(op.modifyIdentity)],
    ['existingType', op.existingType === undefined ? undefined : r.type(op.existingType)],
    ['existingNullable', op.existingNullable === undefined ? undefined : String(op.existingNullable)],
    ['existingServerDefault', op.existingServerDefault == null ? undefined : r.serverDefault(op.existingServerDefault)],
    ['existingComment', op.existingComment == null ? undefined : str(op.existingComment)],
    ['existingAutoincrement', op.existingAutoincrement === true ? 'true' : undefined],
    ['existingMysqlOnUpdate', op.existingMysqlOnUpdate == null ? undefined : str(op.existingMysqlOnUpdate)],
    ['existingMysqlCollation', op.existingMysqlCollation == null ? undefined : str(op.existingMysqlCollation)],
    ['existingIdentity', op.existingIdentity === undefined ? undefined : renderIdentity(op.existingIdentity)],
    ['postgresqlUsing', op.postgresqlUsing === undefined ? undefined : str(op.postgresqlUsing)],
    r.schemaEntry(op.schema),
    ...onlineOptions(op),
  ] as const;
  const start = r.inBatch ? `batch.alterColumn(${str(op.columnName)}, ` : `await op.alterColumn(${str(op.tableName)}, ${str(op.columnName)}, `;
  const flat = object(entries)!;
  return `${start}${`${start}${flat});`.length <= 120 ? flat : objectLines(entries)!});`;
}
