/**
 * Indexes: on columns or expressions, unique or not, with dialect options (PostgreSQL partial indexes
 * and access methods, MySQL prefix lengths).
 */
import { ArgumentError } from '../errors.js';
import { type ColumnElement, OrderByExpression } from '../sql/elements/column-element.js';
import type { Column } from './column.js';
import { type ConstraintName, ConventionalName, type NameArg } from './constraints.js';
import type { Table } from './table.js';

/** The options of `index()` and `op.createIndex()`; the dialect-prefixed ones are ignored elsewhere. */
export interface IndexOptions {
  readonly unique?: boolean;
  /** PostgreSQL: `WHERE` of a partial index, as SQL text or an expression. */
  readonly postgresqlWhere?: string | ColumnElement<boolean>;
  /** PostgreSQL: the access method (`btree`, `gin`, `gist`, `hash`, `brin`). */
  readonly postgresqlUsing?: string;
  /** MySQL: prefix lengths by column name, `{ title: 20 }` -> `(title(20))`. */
  readonly mysqlLength?: Readonly<Record<string, number>>;
  /** MySQL: a FULLTEXT or SPATIAL index instead of a B-tree one (`CREATE FULLTEXT INDEX ...`). */
  readonly mysqlPrefix?: MysqlIndexPrefix;
  /**
   * The order of column items whose order is not ascending, by column name: `{ created: 'DESC' }`. A
   * model may write `c.created.desc()` (and `.nullsLast()`) in the items instead, which lands here.
   * NULLS FIRST/LAST is PostgreSQL's; MySQL, MariaDB and SQLite keep the direction only.
   */
  readonly order?: Readonly<Record<string, IndexOrder>>;
}

/** How an index orders a column. */
export type IndexOrder = 'ASC' | 'DESC' | 'ASC NULLS FIRST' | 'ASC NULLS LAST' | 'DESC NULLS FIRST' | 'DESC NULLS LAST';

/**
 * The order in the form two sides compare in: null for the default (ASC, with NULLS LAST where the
 * database orders NULLs: PostgreSQL puts them last going up and first going down), else the words
 * that differ from it. Without NULLS (`nulls` false) only the direction counts.
 */
export function canonicalIndexOrder(order: string | undefined, nulls: boolean): string | null {
  if (order === undefined) return null;
  const words = order.toUpperCase().split(/\s+/).filter(Boolean);
  const desc = words[0] === 'DESC';
  const at = words.indexOf('NULLS');
  const first = at === -1 ? desc : words[at + 1] === 'FIRST';
  const direction = desc ? 'DESC' : null;
  if (!nulls || first === desc) return direction;
  return `${desc ? 'DESC' : 'ASC'} NULLS ${first ? 'FIRST' : 'LAST'}`;
}

/** The kinds of MySQL index that are not B-trees. */
export type MysqlIndexPrefix = 'FULLTEXT' | 'SPATIAL';

/** The dialect options of an index (all but `unique`). */
export type IndexDialectOptions = Omit<IndexOptions, 'unique'>;

const DIALECT_OPTIONS = ['postgresqlWhere', 'postgresqlUsing', 'mysqlLength', 'mysqlPrefix', 'order'] as const satisfies readonly (keyof IndexDialectOptions)[];

/** The dialect options `source` states, and nothing else (no undefined keys), for copying between shapes. */
export function indexDialectOptions(source: IndexDialectOptions): IndexDialectOptions {
  const picked: Record<string, unknown> = {};
  for (const key of DIALECT_OPTIONS) if (source[key] !== undefined) picked[key] = source[key];
  return picked as IndexDialectOptions;
}

/** An index item: a column, or an expression such as `func.lower(users.c.email)`. */
export type IndexItem = Column | ColumnElement;

/** What an index takes as items: also a column in order, `c.created.desc()`, `c.name.asc().nullsFirst()`. */
export type IndexItemArg = IndexItem | OrderByExpression;

/**
 * An index of a table, declared with `index()` in the table's `constraints` callback (or a column's
 * `index: true`). Without a name it takes the MetaData's naming convention (`ix_<table>_<column>`).
 */
export class Index {
  #table: Table | null = null;
  readonly unique: boolean;
  /** The explicit name; null to take the naming convention's (`ix_<table>_<column>` by default). */
  readonly explicitName: string | null;
  /** True when the explicit name came through `op.f()` (already conventional). */
  readonly finalName: boolean;

  readonly items: readonly IndexItem[];
  readonly options: IndexOptions;

  constructor(name: NameArg | null, items: readonly IndexItemArg[], options: IndexOptions = {}) {
    this.explicitName = name === null ? null : String(name);
    const order: Record<string, IndexOrder> = { ...options.order };
    this.items = items.map((item) => {
      if (!(item instanceof OrderByExpression)) return item;
      if (item.element.kind !== 'Column') {
        throw new ArgumentError(`index ${this.explicitName ?? ''}: only a column item takes asc()/desc(); an expression item is indexed ascending`);
      }
      const words = [item.direction === 'desc' ? 'DESC' : 'ASC', ...(item.nulls === null ? [] : [`NULLS ${item.nulls.toUpperCase()}`])];
      order[(item.element as Column).name] = words.join(' ') as IndexOrder;
      return item.element as Column;
    });
    this.options = Object.keys(order).length === 0 ? options : { ...options, order };
    this.finalName = name instanceof ConventionalName;
    if (items.length === 0) throw new ArgumentError(`index ${this.explicitName ?? ''} needs at least one column or expression`);
    this.unique = options.unique ?? false;
  }

  get table(): Table {
    if (this.#table === null) throw new ArgumentError(`index "${this.explicitName}" is not attached to a table`);
    return this.#table;
  }

  /** The table, or null for an index known by name only (`op.dropIndex('ix')` without a table). */
  get attachedTable(): Table | null {
    return this.#table;
  }

  /** @internal */
  attach(table: Table): void {
    this.#table = table;
  }

  /** The columns among the items (an expression index may have none). */
  get columns(): readonly Column[] {
    return this.items.filter((item): item is Column => item.kind === 'Column') as Column[];
  }

  get name(): ConstraintName {
    if (this.explicitName !== null) return { name: this.explicitName, conventional: this.finalName };
    const name = this.table.metadata.namingConvention.nameFor(this);
    if (name === null) {
      throw new ArgumentError(`an index on "${this.table.name}" has no name and the naming convention gives none; pass a name`);
    }
    return { name, conventional: true };
  }
}

/**
 * Declares an index in a table's `constraints` callback.
 *
 * @example
 * new Table('users', metadata, { ... }, { constraints: (c) => [index('ix_users_email_lower', [func.lower(c.email)], { unique: true })] })
 */
export function index(name: NameArg | null, items: readonly IndexItemArg[], options: IndexOptions = {}): Index {
  return new Index(name, items, options);
}
