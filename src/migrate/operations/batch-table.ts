/**
 * The table a rebuild creates: the existing table's definition with a batch's operations applied, and
 * which new column is copied from which old one. Pure: it edits plain definitions (table-def.ts) and
 * never runs SQL, so every error (a column that does not exist, a constraint name that is not there)
 * comes before the rebuild touches anything.
 */
import { indexDialectOptions } from '../../schema/table-index.js';
import { ArgumentError } from '../../errors.js';
import { renameIdentifiers } from '../../util/rename-identifiers.js';
import type { MetaData } from '../../schema/metadata.js';
import type { TypeEngine } from '../../types/type-engine.js';
import type { AddColumnOp, AlterColumnOp } from './ops/column.js';
import type { ConstraintType, DropConstraintOp } from './ops/constraint.js';
import type { TableAlterOp } from './ops/batch-alter-table.js';
import { addedColumnTable, CONSTRAINT_KIND, constraintOf, indexOf } from './schema-objects.js';
import { type ColumnDef, type ConstraintDef, type IndexDef, nameArg, type TableDef, tableDefFromTable } from './table-def.js';

export interface RebuildPlan {
  /** The new definition, under the table's own name. */
  readonly table: TableDef;
  /** New columns filled from old ones (renamed columns keep their data); added columns are not listed. */
  readonly copies: readonly { readonly target: string; readonly source: string; readonly cast?: TypeEngine }[];
}

interface WorkingColumn {
  def: ColumnDef;
  /** The old column it is copied from; null for a column the batch adds. */
  readonly source: string | null;
  /** The type the values are CAST to on the way, when the batch changes the column's kind of type. */
  cast: TypeEngine | null;
}

/**
 * The kinds of type a copied value is CAST to when a column becomes one, as an ALTER would convert it
 * (text and reals in an INTEGER column become integers). Dates and booleans are left as stored: SQLite's
 * CAST would turn '2024-01-01' into 2024.
 */
const CAST_TO: ReadonlySet<string> = new Set(['Integer', 'BigInteger', 'SmallInteger', 'Float', 'Double', 'Numeric', 'String', 'Text']);

/**
 * Applies `ops` to `existing`. `scratch` gives a fresh MetaData (with the naming convention) for the
 * stand-in objects that name unnamed constraints and indexes as the standalone operations would.
 */
export function planRebuild(existing: TableDef, ops: readonly TableAlterOp[], scratch: () => MetaData): RebuildPlan {
  const table = existing.name;
  const columns: WorkingColumn[] = existing.columns.map((def) => ({ def, source: def.name, cast: null }));
  let constraints: ConstraintDef[] = [...existing.constraints];
  let indexes: IndexDef[] = [...existing.indexes];
  let comment = existing.comment;

  const find = (name: string): WorkingColumn => {
    const column = columns.find((c) => c.def.name === name);
    if (column === undefined) {
      throw new ArgumentError(`table "${table}" has no column "${name}" (it has ${columns.map((c) => c.def.name).join(', ')})`);
    }
    return column;
  };
  const requireColumns = (names: readonly string[]) => names.forEach(find);
  const onOwnTable = (op: { tableName: string }) => {
    if (op.tableName !== table) throw new ArgumentError(`a batch for table "${table}" cannot change table "${op.tableName}"`);
  };

  for (const op of ops) {
    switch (op.kind) {
      case 'AddColumnOp': {
        onOwnTable(op);
        if (columns.some((c) => c.def.name === op.columnName)) throw new ArgumentError(`table "${table}" already has a column "${op.columnName}"`);
        const added = addedDef(op, scratch());
        columns.push({ def: added.columns[0]!, source: null, cast: null });
        for (const def of added.constraints) {
          if (def.kind !== 'PrimaryKey') constraints.push(def);
          else constraints = withPrimaryKeyColumn(constraints, op.columnName);
        }
        indexes.push(...added.indexes);
        break;
      }
      case 'DropColumnOp': {
        onOwnTable(op);
        const column = find(op.columnName);
        columns.splice(columns.indexOf(column), 1);
        // As PostgreSQL does: constraints and indexes on the column go with it.
        constraints = constraints.filter((c) => !constraintColumns(c).includes(op.columnName));
        indexes = indexes.filter((ix) => !ix.items.includes(op.columnName));
        break;
      }
      case 'AlterColumnOp': {
        onOwnTable(op);
        const column = find(op.columnName);
        const before = existing.columns.find((c) => c.name === column.source)?.type;
        column.def = alteredDef(column.def, op);
        if (op.modifyType !== undefined && column.source !== null) {
          const to = op.modifyType.impl.typeName;
          column.cast = before !== undefined && before.impl.typeName !== to && CAST_TO.has(to) ? op.modifyType : null;
        }
        if (op.modifyName !== undefined && op.modifyName !== op.columnName) {
          if (columns.some((c) => c !== column && c.def.name === op.modifyName)) {
            throw new ArgumentError(`table "${table}" already has a column "${op.modifyName}"`);
          }
          const rename = (n: string) => (n === op.columnName ? op.modifyName! : n);
          const renames = new Map([[op.columnName, op.modifyName]]);
          constraints = constraints.map((c) => renameInConstraint(c, rename, table, existing.schema, renames));
          indexes = indexes.map((ix) => ({ ...ix, items: ix.items.map((item) => (typeof item === 'string' ? rename(item) : item)) }));
        }
        break;
      }
      case 'CreateIndexOp': {
        onOwnTable(op);
        requireColumns(op.columns.filter((c): c is string => typeof c === 'string'));
        const index = indexOf(op, scratch());
        indexes.push({
          name: nameArg(index.name),
          items: op.columns,
          unique: op.unique,
          ...indexDialectOptions(op),
        });
        break;
      }
      case 'DropIndexOp': {
        const name = String(op.indexName);
        const found = indexes.find((ix) => ix.name !== null && String(ix.name) === name);
        if (found === undefined) throw new ArgumentError(`table "${table}" has no index "${name}"`);
        indexes = indexes.filter((ix) => ix !== found);
        break;
      }
      case 'CreatePrimaryKeyOp':
      case 'CreateUniqueConstraintOp':
      case 'CreateCheckConstraintOp':
      case 'CreateForeignKeyOp': {
        onOwnTable(op);
        const built = constraintOf(op, scratch());
        const def = tableDefFromTable(built.table).constraints.find((c) => c.kind === built.kind)!;
        requireColumns(constraintColumns(def));
        if (def.kind === 'PrimaryKey') constraints = constraints.filter((c) => c.kind !== 'PrimaryKey');
        constraints.push(def);
        break;
      }
      case 'DropConstraintOp': {
        onOwnTable(op);
        const name = op.constraintName ?? (op.existing === undefined ? null : constraintOf(op.existing, scratch()).name.name);
        const unnamed = name === null ? unnamedConstraint(constraints, op) : undefined;
        if (name === null && unnamed === undefined) throw new ArgumentError(`op.dropConstraint() on "${table}" needs the constraint's name`);
        const found =
          unnamed ??
          constraints.find((c) => c.name !== null && String(c.name) === String(name) && kindMatches(c, op.type)) ??
          // A table has one primary key, whatever it is called (SQLite's often has no name).
          (op.type === 'primary' ? constraints.find((c) => c.kind === 'PrimaryKey') : undefined);
        if (found === undefined) {
          const known = constraints.filter((c) => c.name !== null).map((c) => String(c.name));
          throw new ArgumentError(`table "${table}" has no constraint "${String(name)}"${known.length > 0 ? ` (named ones: ${known.join(', ')})` : ''}`);
        }
        constraints = constraints.filter((c) => c !== found);
        break;
      }
      case 'CreateTableCommentOp':
        comment = op.comment;
        break;
      case 'DropTableCommentOp':
        comment = null;
        break;
    }
  }

  if (columns.length === 0) throw new ArgumentError(`the batch leaves table "${table}" without columns; drop the table instead`);
  return {
    table: { ...existing, comment, columns: columns.map((c) => c.def), constraints, indexes },
    // A generated column takes no values: the new table computes its own.
    copies: columns
      .filter((c) => c.source !== null && c.def.computed === undefined)
      .map((c) => ({ target: c.def.name, source: c.source!, ...(c.cast === null ? {} : { cast: c.cast }) })),
  };
}

/** The added column's definition with the constraints and index its options declare, named as standalone. */
function addedDef(op: AddColumnOp, metadata: MetaData): TableDef {
  return tableDefFromTable(addedColumnTable(op, metadata));
}

function alteredDef(def: ColumnDef, op: AlterColumnOp): ColumnDef {
  const next: { -readonly [K in keyof ColumnDef]: ColumnDef[K] } = { ...def };
  if (op.modifyName !== undefined) next.name = op.modifyName;
  if (op.modifyType !== undefined) next.type = op.modifyType;
  if (op.modifyNullable !== undefined) next.nullable = op.modifyNullable;
  if (op.modifyServerDefault === null) delete next.serverDefault;
  else if (op.modifyServerDefault !== undefined) next.serverDefault = op.modifyServerDefault;
  if (op.modifyComment === null) delete next.comment;
  else if (op.modifyComment !== undefined) next.comment = op.modifyComment;
  return next;
}

function constraintColumns(c: ConstraintDef): readonly string[] {
  return c.kind === 'Check' ? [] : c.columns;
}

function withPrimaryKeyColumn(constraints: ConstraintDef[], column: string): ConstraintDef[] {
  const pk = constraints.find((c) => c.kind === 'PrimaryKey');
  if (pk === undefined) return [{ kind: 'PrimaryKey', name: null, columns: [column] }, ...constraints];
  return constraints.map((c) => (c === pk ? { ...pk, columns: [...pk.columns, column] } : c));
}

function renameInConstraint(c: ConstraintDef, rename: (n: string) => string, table: string, schema: string | null, renames: ReadonlyMap<string, string>): ConstraintDef {
  // A CHECK read from the database is SQL text naming the column; one built as an expression names the column object.
  if (c.kind === 'Check') return typeof c.condition === 'string' ? { ...c, condition: renameIdentifiers(c.condition, renames) } : c;
  if (c.kind !== 'ForeignKey') return { ...c, columns: c.columns.map(rename) };
  const self = c.referredTable === table && c.referredSchema === schema;
  return { ...c, columns: c.columns.map(rename), referredColumns: self ? c.referredColumns.map(rename) : c.referredColumns };
}

/** The unnamed constraint a drop without a name identifies by its kind and columns, or by its condition. */
function unnamedConstraint(constraints: readonly ConstraintDef[], op: DropConstraintOp): ConstraintDef | undefined {
  const existing = op.existing;
  const type = op.type ?? (existing === undefined ? null : TYPE_OF_OP[existing.kind]);
  if (type === null) return undefined;
  const columns = op.columns ?? (existing === undefined ? undefined : existing.kind === 'CreateForeignKeyOp' ? existing.localColumns : existing.kind === 'CreateCheckConstraintOp' ? undefined : existing.columns);
  const condition = op.condition ?? (existing?.kind === 'CreateCheckConstraintOp' && typeof existing.condition === 'string' ? existing.condition : undefined);
  const squeeze = (sql: string) => sql.replace(/\s+/g, ' ').trim().toLowerCase();
  return constraints.find((c) => {
    if (c.name !== null || !kindMatches(c, type)) return false;
    if (c.kind === 'Check') return condition !== undefined && typeof c.condition === 'string' && squeeze(c.condition) === squeeze(condition);
    return columns !== undefined && c.columns.length === columns.length && c.columns.every((n, i) => n === columns[i]);
  });
}

const TYPE_OF_OP: Readonly<Record<NonNullable<DropConstraintOp['existing']>['kind'], ConstraintType>> = {
  CreatePrimaryKeyOp: 'primary',
  CreateUniqueConstraintOp: 'unique',
  CreateForeignKeyOp: 'foreignkey',
  CreateCheckConstraintOp: 'check',
};

function kindMatches(c: ConstraintDef, type: ConstraintType | null): boolean {
  return type === null || CONSTRAINT_KIND[type] === c.kind;
}
