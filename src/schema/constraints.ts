/**
 * Table constraints: primary key, unique, foreign key, check. A constraint's name is the one given, or
 * the one the MetaData's naming convention produces, or null (the database picks one); which of these
 * it is matters to autogenerate, which renders convention names through `op.f()`.
 */
import { ArgumentError } from '../errors.js';
import type { ColumnElement } from '../sql/elements/column-element.js';
import type { Column } from './column.js';
import type { Table } from './table.js';

/** ON DELETE / ON UPDATE actions. */
export type ReferentialAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION';

/**
 * A name that already went through the naming convention, as autogenerate renders it with `op.f()`:
 * used as the final name, so the convention is not applied a second time.
 *
 * @example
 * new UniqueConstraint([c.email], { name: conventionalName('uq_users_email') })
 */
export class ConventionalName {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

/** Marks `name` as already conventional (what `op.f(name)` returns). */
export function conventionalName(name: string): ConventionalName {
  return new ConventionalName(name);
}

/** A constraint or index name as given: plain (the convention may still apply) or already conventional. */
export type NameArg = string | ConventionalName;

/** A constraint name and where it came from. */
export interface ConstraintName {
  readonly name: string | null;
  /** True when the naming convention produced the name (rendered as `op.f('...')` by autogenerate). */
  readonly conventional: boolean;
}

export abstract class Constraint {
  abstract readonly kind: 'PrimaryKey' | 'Unique' | 'ForeignKey' | 'Check';
  #table: Table | null = null;
  /** The explicit name, if the user gave one. */
  readonly explicitName: string | null;
  /** True when the explicit name is final (`op.f()`): the naming convention is not applied to it. */
  readonly finalName: boolean;

  constructor(name: NameArg | null) {
    this.explicitName = name === null ? null : String(name);
    this.finalName = name instanceof ConventionalName;
  }

  /** The table the constraint belongs to; set when the table is constructed. */
  get table(): Table {
    if (this.#table === null) throw new ArgumentError(`${this.kind} constraint is not attached to a table`);
    return this.#table;
  }

  /** @internal */
  attach(table: Table): void {
    this.#table = table;
  }

  /**
   * The effective name: from the naming convention when its template uses `%(constraint_name)s` (which
   * is then the explicit name) or when no name was given, else the explicit name, else null.
   */
  get name(): ConstraintName {
    if (this.finalName) return { name: this.explicitName, conventional: true };
    const convention = this.table.metadata.namingConvention;
    if (this.explicitName !== null && !convention.usesConstraintName(this)) {
      return { name: this.explicitName, conventional: false };
    }
    const name = convention.nameFor(this);
    return name === null ? { name: this.explicitName, conventional: false } : { name, conventional: true };
  }
}

/** `PRIMARY KEY (a, b)`; declared by `primaryKey: true` on columns or explicitly for a name. */
export class PrimaryKeyConstraint extends Constraint {
  readonly kind = 'PrimaryKey';
  constructor(
    readonly columns: readonly Column[],
    options: { name?: NameArg } = {},
  ) {
    super(options.name ?? null);
  }
}

/** `UNIQUE (a, b)`. */
export class UniqueConstraint extends Constraint {
  readonly kind = 'Unique';
  constructor(
    readonly columns: readonly Column[],
    options: { name?: NameArg } = {},
  ) {
    super(options.name ?? null);
    if (columns.length === 0) throw new ArgumentError('a unique constraint needs at least one column');
  }
}

/** `CHECK (condition)`: SQL text or a boolean expression over the table's columns. */
export class CheckConstraint extends Constraint {
  readonly kind = 'Check';
  constructor(
    readonly condition: string | ColumnElement<boolean>,
    options: { name?: NameArg } = {},
  ) {
    super(options.name ?? null);
  }
}

export interface ForeignKeyOptions {
  readonly name?: NameArg;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  /** PostgreSQL: `DEFERRABLE`, checked at commit when `initially: 'DEFERRED'`. */
  readonly deferrable?: boolean;
  readonly initially?: 'DEFERRED' | 'IMMEDIATE';
  /**
   * Create the constraint with ALTER TABLE after the tables instead of inline; needed to break a cycle of
   * foreign keys. Cycles are detected and handled this way automatically.
   */
  readonly useAlter?: boolean;
}

/** A referenced column: `'table.column'`, `'schema.table.column'`, or a thunk for forward references. */
export type ColumnTarget = string | (() => Column);

/** `FOREIGN KEY (a, b) REFERENCES t (x, y)`. Targets are resolved lazily, so tables may be declared in any order. */
export class ForeignKeyConstraint extends Constraint {
  readonly kind = 'ForeignKey';
  readonly onDelete: ReferentialAction | null;
  readonly onUpdate: ReferentialAction | null;
  readonly deferrable: boolean;
  readonly initially: 'DEFERRED' | 'IMMEDIATE' | null;
  readonly useAlter: boolean;
  #resolved: readonly Column[] | null = null;

  constructor(
    readonly columns: readonly Column[],
    readonly targets: readonly ColumnTarget[],
    options: ForeignKeyOptions = {},
  ) {
    super(options.name ?? null);
    if (columns.length === 0 || columns.length !== targets.length) {
      throw new ArgumentError(
        `a foreign key needs as many referenced columns as columns (got ${columns.length} and ${targets.length})`,
      );
    }
    this.onDelete = options.onDelete ?? null;
    this.onUpdate = options.onUpdate ?? null;
    this.deferrable = options.deferrable ?? false;
    this.initially = options.initially ?? null;
    this.useAlter = options.useAlter ?? false;
  }

  /** The referenced columns, resolved against the MetaData on first use. */
  get referredColumns(): readonly Column[] {
    if (this.#resolved === null) this.#resolved = this.targets.map((target, i) => this.#resolve(target, this.columns[i]!));
    return this.#resolved;
  }

  get referredTable(): Table {
    return this.referredColumns[0]!.table;
  }

  /** Finds the column `target` names; errors name the referring column and what it names. */
  #resolve(target: ColumnTarget, from: Column): Column {
    if (typeof target === 'function') return target();
    const what = `foreign key on ${this.table.name}.${from.name}`;
    const parts = target.split('.');
    if (parts.length < 2) {
      throw new ArgumentError(`${what}: target "${target}" must be "table.column" or "schema.table.column"`);
    }
    const columnName = parts.pop()!;
    const tableName = parts.join('.');
    const metadata = this.table.metadata;
    const table = metadata.tables.get(tableName) ?? (metadata.schema === null ? undefined : metadata.tables.get(`${metadata.schema}.${tableName}`));
    if (table === undefined) {
      throw new ArgumentError(`${what} refers to table "${tableName}", which is not defined on this MetaData`);
    }
    const column = table.columns.find((c) => c.name === columnName || c.key === columnName);
    if (column === undefined) {
      throw new ArgumentError(`${what} refers to column "${tableName}.${columnName}", which does not exist`);
    }
    return column as Column;
  }
}

/**
 * A column-level foreign key, as SQLAlchemy's `ForeignKey('directors.id')` inside `Column(...)`.
 *
 * @example
 * directorId: column(t.Integer(), { foreignKey: foreignKey('directors.id', { onDelete: 'CASCADE' }) })
 */
export class ForeignKey {
  constructor(
    readonly target: ColumnTarget,
    readonly options: ForeignKeyOptions = {},
  ) {}
}

/**
 * A column's reference to another table's column, for `column(type, { foreignKey })`: the target is
 * `'table.column'`, `'schema.table.column'` or a function returning the Column (for tables defined later).
 */
export function foreignKey(target: ColumnTarget, options: ForeignKeyOptions = {}): ForeignKey {
  return new ForeignKey(target, options);
}
