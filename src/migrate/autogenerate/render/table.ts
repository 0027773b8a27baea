/**
 * `op.createTable()`, `op.dropTable()`, `op.renameTable()`. A new table is written as a careful engineer
 * would: one `column()` per column in the house style, a single-column primary key, unique constraint
 * or foreign key on its column (`primaryKey: true`, `unique: true`, `foreignKey: 'directors.id'`), the
 * rest in the `constraints` callback.
 */
import { CreateIndexOp } from '../../operations/ops/index-ops.js';
import type { CreateTableOp, DropTableOp, RenameTableOp } from '../../operations/ops/table.js';
import { TABLE_SERVER_OPTIONS } from '../../../schema/table.js';
import { columnServerOptionEntries } from './column.js';
import { renderCreateIndex } from './indexes.js';
import type { ColumnDef, ConstraintDef, ForeignKeyDef, TableDef } from '../../operations/table-def.js';
import { call, indent, key, member, name, object, objectLines, type RenderContext, str } from './source.js';

export function renderCreateTable(r: RenderContext, op: CreateTableOp): string {
  const def = op.definition;
  const { columns, constraints } = renderTableParts(r, def);
  const entries = [...tableOptions(def, constraints), ['ifNotExists', op.ifNotExists === true ? 'true' : undefined]] as const;
  const options = object(entries);
  const table =
    options === null
      ? `await op.createTable(${str(def.name)}, ${columns});`
      : call('op.createTable', [str(def.name), columns, options.length > 100 || options.includes('\n') ? objectLines(entries)! : options]);
  // `op.createTable()` takes no indexes: each follows as an `op.createIndex()`, as Alembic writes them.
  const indexes = def.indexes.map(({ name: indexName, items, unique, ...rest }) =>
    renderCreateIndex(r, new CreateIndexOp({ indexName, tableName: def.name, schema: def.schema, columns: items, unique, ...rest })),
  );
  return [table, ...indexes].join('\n');
}

/**
 * A table's columns object (`{\n  id: column(...),\n}`) and its table-level constraints, each rendered
 * for the `constraints: (c) => [...]` callback.
 *
 * @internal shared by `op.createTable()` and the Tables `tsmig pull` writes.
 */
export function renderTableParts(r: RenderContext, def: TableDef, style: ColumnStyle = CORE_STYLE): { columns: string; constraints: string[] } {
  const plan = placeConstraints(def);
  const columns = def.columns.map((c) => `${key(style.keyOf(c.name))}: ${renderColumn(r, def, c, plan, style)},`);
  return { columns: `{\n${indent(columns.join('\n'))}\n}`, constraints: plan.table.map((c) => renderConstraint(r, c, style.keyOf)) };
}

/**
 * How a table's columns are written: Core `column()`s keyed by column name (nullable unless said), or a
 * model's `mapped()` columns keyed by attribute (NOT NULL unless said, `name` when it differs).
 *
 * @internal shared with `tsmig pull`.
 */
export interface ColumnStyle {
  readonly mapped: boolean;
  /** The key of a column in the columns object and the constraints callback's `c`. */
  readonly keyOf: (columnName: string) => string;
}

const CORE_STYLE: ColumnStyle = { mapped: false, keyOf: (n) => n };

/**
 * The options of a table after its columns: schema, comment and the constraints callback.
 *
 * @internal shared with `tsmig pull`.
 */
export function tableOptions(def: TableDef, constraints: readonly string[]): (readonly [string, string | undefined])[] {
  return [
    ['schema', def.schema === null ? undefined : str(def.schema)],
    ['comment', def.comment === null ? undefined : str(def.comment)],
    ...TABLE_SERVER_OPTIONS.map((k) => [k, def[k] === undefined ? undefined : str(def[k])] as const),
    ['constraints', constraints.length === 0 ? undefined : constraintsArrow(constraints)],
  ];
}

function constraintsArrow(items: readonly string[]): string {
  const flat = `(c) => [${items.join(', ')}]`;
  return flat.length <= 90 ? flat : `(c) => [\n${indent(items.map((i) => `${i},`).join('\n'))}\n]`;
}

/** Which constraints go on their column (by column name) and which into the `constraints` callback. */
interface Placement {
  readonly primaryKey: ReadonlySet<string>;
  readonly unique: ReadonlySet<string>;
  readonly foreignKeys: ReadonlyMap<string, ForeignKeyDef>;
  readonly table: readonly ConstraintDef[];
}

function placeConstraints(def: TableDef): Placement {
  const primaryKey = new Set<string>();
  const unique = new Set<string>();
  const foreignKeys = new Map<string, ForeignKeyDef>();
  const table: ConstraintDef[] = [];
  const order = def.columns.map((c) => c.name);
  for (const c of def.constraints) {
    if (c.kind === 'PrimaryKey') {
      // Columns marked primaryKey form the key in the table's column order; another order needs the constraint.
      const inOrder = order.filter((n) => c.columns.includes(n));
      if (c.name === null && inOrder.every((n, i) => n === c.columns[i])) c.columns.forEach((n) => primaryKey.add(n));
      else table.push(c);
    } else if (c.kind === 'Unique' && c.name === null && c.columns.length === 1 && !unique.has(c.columns[0]!)) {
      unique.add(c.columns[0]!);
    } else if (c.kind === 'ForeignKey' && c.columns.length === 1 && !foreignKeys.has(c.columns[0]!)) {
      foreignKeys.set(c.columns[0]!, c);
    } else table.push(c);
  }
  return { primaryKey, unique, foreignKeys, table };
}

/** The autoincrement the Table would decide for a column left at `'auto'`: a lone integer key without a foreign key. */
function autoAutoincrement(def: TableDef, column: ColumnDef): boolean {
  const pk = def.constraints.find((c) => c.kind === 'PrimaryKey');
  const integer = ['Integer', 'BigInteger', 'SmallInteger'].includes(column.type.impl.typeName);
  const referring = def.constraints.some((c) => c.kind === 'ForeignKey' && c.columns.includes(column.name));
  return pk !== undefined && pk.columns.length === 1 && pk.columns[0] === column.name && integer && !referring;
}

function renderColumn(r: RenderContext, def: TableDef, c: ColumnDef, plan: Placement, style: ColumnStyle): string {
  const inKey = def.constraints.some((k) => k.kind === 'PrimaryKey' && k.columns.includes(c.name));
  // An identity column generates its values whatever its place.
  const auto = c.identity !== undefined || autoAutoincrement(def, c);
  const autoincrement = c.autoincrement === undefined || c.autoincrement === 'auto' || c.autoincrement === auto ? undefined : String(c.autoincrement);
  const fk = plan.foreignKeys.get(c.name);
  const options = object([
    ['name', style.keyOf(c.name) === c.name ? undefined : str(c.name)],
    ['primaryKey', plan.primaryKey.has(c.name) ? 'true' : undefined],
    ['nullable', style.mapped ? (c.nullable ? 'true' : undefined) : c.nullable === !(inKey || c.identity !== undefined) ? undefined : String(c.nullable)],
    ['unique', plan.unique.has(c.name) ? 'true' : undefined],
    ['serverDefault', c.serverDefault === undefined ? undefined : r.serverDefault(c.serverDefault)],
    ['autoincrement', autoincrement],
    ['foreignKey', fk === undefined ? undefined : renderColumnForeignKey(r, fk)],
    ['comment', c.comment === undefined ? undefined : str(c.comment)],
    ...columnServerOptionEntries(c),
  ]);
  return `${r.use(style.mapped ? 'mapped' : 'column')}(${r.type(c.type)}${options === null ? '' : `, ${options}`})`;
}

function target(fk: ForeignKeyDef, column: string): string {
  return [fk.referredSchema, fk.referredTable, column].filter((p) => p !== null).join('.');
}

function foreignKeyOptions(fk: ForeignKeyDef): string | null {
  return object([
    ['name', fk.name === null ? undefined : name(fk.name)],
    ['onDelete', fk.onDelete === null ? undefined : str(fk.onDelete)],
    ['onUpdate', fk.onUpdate === null ? undefined : str(fk.onUpdate)],
    ['deferrable', fk.deferrable ? 'true' : undefined],
    ['initially', fk.initially === null || !fk.deferrable ? undefined : str(fk.initially)],
  ]);
}

function renderColumnForeignKey(r: RenderContext, fk: ForeignKeyDef): string {
  const options = foreignKeyOptions(fk);
  const targetArg = str(target(fk, fk.referredColumns[0]!));
  return options === null ? targetArg : `${r.use('foreignKey')}(${targetArg}, ${options})`;
}

function renderConstraint(r: RenderContext, c: ConstraintDef, keyOf: (columnName: string) => string): string {
  const cols = (names: readonly string[]) => `[${names.map((n) => member('c', keyOf(n))).join(', ')}]`;
  const named = c.name === null ? '' : `, { name: ${name(c.name)} }`;
  switch (c.kind) {
    case 'PrimaryKey':
      return `new ${r.use('PrimaryKeyConstraint')}(${cols(c.columns)}${named})`;
    case 'Unique':
      return `new ${r.use('UniqueConstraint')}(${cols(c.columns)}${named})`;
    case 'Check':
      return `new ${r.use('CheckConstraint')}(${typeof c.condition === 'string' ? str(c.condition) : r.expression(c.condition)}${named})`;
    case 'ForeignKey': {
      const options = foreignKeyOptions(c);
      const targets = `[${c.referredColumns.map((col) => str(target(c, col))).join(', ')}]`;
      return `new ${r.use('ForeignKeyConstraint')}(${cols(c.columns)}, ${targets}${options === null ? '' : `, ${options}`})`;
    }
  }
}

export function renderDropTable(_r: RenderContext, op: DropTableOp): string {
  return call('op.dropTable', [str(op.tableName), schemaOption(op.schema)]);
}

export function renderRenameTable(_r: RenderContext, op: RenameTableOp): string {
  return call('op.renameTable', [str(op.tableName), str(op.newTableName), schemaOption(op.schema)]);
}

/** `{ schema: 'x' }`, or nothing for the default schema. */
export function schemaOption(schema: string | null): string | null {
  return schema === null ? null : `{ schema: ${str(schema)} }`;
}
