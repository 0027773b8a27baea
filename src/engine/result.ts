/**
 * Buffered statement results with SQLAlchemy's vocabulary: `all`, `first`, `one`, `oneOrNone`,
 * `scalar`, `scalars()`, `mappings()`, `columns()`, `unique()`, `partitions()`, `fetchone()`...
 * Every row is already in memory, so the accessors can be called in any order and as often as needed
 * (unlike SQLAlchemy, nothing is consumed, except by the cursor-style `fetch*` methods).
 */
import { MultipleResultsFoundError, NoResultFoundError } from '../errors.js';
import type { Row, RowShape } from '../sql/row.js';
import { columnPositions, partitionItems, projectRows, uniqueItems } from './result-tools.js';
import { rowPrototype, uniqueColumns } from './row.js';

/** The type of a row's first column: what `scalar()` and `scalars()` return. */
export type FirstOf<R> = R extends { readonly 0: infer F } ? F : unknown;

/** A row's named part, as `mappings()` returns it. */
export type MappingOf<R> = {
  [K in keyof R as K extends keyof readonly unknown[] | `${number}` ? never : K]: R[K];
};

/** The row type a statement produces: its phantom `__row`, or an untyped row. */
export type StatementRow<S> = S extends { readonly __row: infer R } ? R : Row<unknown[], RowShape>;

function one<T>(items: readonly T[]): T {
  if (items.length === 0) throw new NoResultFoundError('No row was found when one was required');
  if (items.length > 1) throw new MultipleResultsFoundError('Multiple rows were found when exactly one was required');
  return items[0]!;
}

function oneOrNone<T>(items: readonly T[]): T | null {
  if (items.length > 1) throw new MultipleResultsFoundError('Multiple rows were found when one or none was required');
  return items.length === 0 ? null : items[0]!;
}

/** The accessors shared by rows, scalars and mappings. */
abstract class Accessors<T> implements Iterable<T> {
  /** Position of the next `fetchone()` / `fetchmany()` item. */
  #cursor = 0;
  protected abstract get items(): readonly T[];
  /** The same kind of result over other items (for `unique()`). */
  protected abstract withItems(items: readonly T[]): this;

  /**
   * The items without repeats, first occurrence kept: values compare by value, objects (ORM instances)
   * by identity, rows column by column; `key` gives what to compare instead (SQLAlchemy's
   * `unique(strategy)`). Needed after a joined eager load, where a parent repeats once per child row.
   *
   * @example
   * const users = (await session.scalars(select(User).options(joinedload(User.addresses)))).unique().all();
   */
  unique(key?: (item: T) => unknown): this {
    return this.withItems(uniqueItems(this.items, key));
  }

  /**
   * The items in lists of at most `size` (all in one list by default), as SQLAlchemy's
   * `partitions(size)`; the result is buffered, so this is for processing in chunks, not for memory.
   *
   * @example
   * for (const chunk of result.scalars().partitions(100)) await send(chunk);
   */
  partitions(size?: number): Generator<T[], void, undefined> {
    return partitionItems(this.items, size ?? Math.max(1, this.items.length));
  }

  /**
   * The next item, or null after the last: `fetchone()`, `fetchmany()` and `fetchall()` share a cursor
   * as DB-API cursors do. The other accessors always see every item.
   */
  fetchone(): T | null {
    return this.#cursor < this.items.length ? this.items[this.#cursor++]! : null;
  }
  /** The next `size` items (fewer at the end; none after the last). */
  fetchmany(size = 1): T[] {
    const items = this.items.slice(this.#cursor, this.#cursor + size);
    this.#cursor += items.length;
    return items;
  }
  /** The items not yet fetched by `fetchone()` / `fetchmany()`. */
  fetchall(): T[] {
    const items = this.items.slice(this.#cursor);
    this.#cursor = this.items.length;
    return items;
  }

  /** Every item, as a new array. */
  all(): T[] {
    return this.items.slice();
  }
  /** The first item, or null when there is none. */
  first(): T | null {
    return this.items.length === 0 ? null : this.items[0]!;
  }
  /** Exactly one item; NoResultFoundError or MultipleResultsFoundError otherwise. */
  one(): T {
    return one(this.items);
  }
  /** One item or null; MultipleResultsFoundError when there are several. */
  oneOrNone(): T | null {
    return oneOrNone(this.items);
  }
  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}

/** The values of one column of a result (see {@link Result.scalars}). */
export class ScalarResult<T> extends Accessors<T> {
  readonly #values: readonly T[];
  /** @internal */
  constructor(values: readonly T[]) {
    super();
    this.#values = values;
  }
  protected get items(): readonly T[] {
    return this.#values;
  }
  protected withItems(items: readonly T[]): this {
    return new ScalarResult(items) as this;
  }
}

/** Rows as plain `{ column: value }` objects (see {@link Result.mappings}). */
export class MappingResult<M> extends Accessors<M> {
  readonly #rows: readonly (readonly unknown[])[];
  readonly #names: readonly string[];
  #objects: M[] | null = null;
  /** @internal */
  constructor(rows: readonly (readonly unknown[])[], names: readonly string[]) {
    super();
    this.#rows = rows;
    this.#names = names;
  }
  keys(): string[] {
    return [...new Set(this.#names)];
  }
  /** Mappings with only these keys (SQLAlchemy's `MappingResult.columns()`). */
  columns<const K extends keyof M & string>(...names: K[]): MappingResult<Pick<M, K>> {
    const positions = columnPositions(this.#names, names);
    return new MappingResult(projectRows(this.#rows, this.#names, positions).rows, names);
  }
  protected withItems(items: readonly M[]): this {
    const unique = new MappingResult<M>([], this.#names);
    unique.#objects = items.slice();
    return unique as this;
  }
  protected get items(): readonly M[] {
    if (this.#objects === null) {
      const columns = uniqueColumns(this.#names);
      this.#objects = this.#rows.map((row) => {
        const object: Record<string, unknown> = {};
        for (const [name, index] of columns) object[name] = row[index];
        return object as M;
      });
    }
    return this.#objects;
  }
}

/**
 * The result of `conn.execute()`. Rows are tuples that also answer by column name.
 *
 * @example
 * const result = await conn.execute(select(movies.c.id, movies.c.title));
 * for (const row of result) console.log(row.id, row[1]);
 * const titles = result.scalars(1).all();
 */
export class Result<R = Row> extends Accessors<R> {
  /** Rows changed by INSERT/UPDATE/DELETE (matched rows on MySQL too); the number of rows otherwise. */
  readonly rowCount: number;
  /** The id the database generated for a single-row INSERT (SQLite rowid, MySQL AUTO_INCREMENT), else null. */
  readonly lastInsertId: number | bigint | null;
  /** Warnings the server reported for a statement that returns no rows (MySQL; 0 elsewhere). */
  readonly warnings: number;
  readonly #rows: readonly R[];
  readonly #names: readonly string[];
  readonly #returnsRows: boolean;
  /** Whether the rows carry their row prototype yet (see {@link rawRows}). */
  #named: boolean;

  /**
   * @internal rows arrive with their values converted; `named` when they carry their row prototype,
   * else they are given it when first read through the result.
   */
  constructor(
    rows: readonly R[],
    names: readonly string[] | null,
    rowCount: number,
    lastInsertId: number | bigint | null,
    warnings = 0,
    named = true,
  ) {
    super();
    this.#rows = rows;
    this.#names = names ?? [];
    this.#returnsRows = names !== null;
    this.#named = named || rows.length === 0;
    this.rowCount = rowCount;
    this.lastInsertId = lastInsertId;
    this.warnings = warnings;
  }

  protected get items(): readonly R[] {
    if (!this.#named) {
      const proto = rowPrototype(this.#names);
      for (let i = 0; i < this.#rows.length; i++) Object.setPrototypeOf(this.#rows[i], proto);
      this.#named = true;
    }
    return this.#rows;
  }

  /**
   * @internal The rows as the driver's arrays, not necessarily answering by name yet: the ORM reads a
   * select's rows by position, and giving 100,000 rows their prototype (a call into the runtime per
   * row) was 3-6% of loading them as objects.
   */
  rawRows(): readonly (readonly unknown[])[] {
    return this.#rows as readonly (readonly unknown[])[];
  }

  /** True when the statement produced rows (a SELECT, RETURNING, a textual query). */
  get returnsRows(): boolean {
    return this.#returnsRows;
  }

  /** The column names, in order. */
  keys(): string[] {
    return this.#names.slice();
  }

  /** The first column of the first row, or null when there is no row. */
  scalar(): FirstOf<R> | null {
    const row = this.first() as readonly unknown[] | null;
    return row === null ? null : (row[0] as FirstOf<R>);
  }
  /** The first column of the only row; NoResultFoundError / MultipleResultsFoundError otherwise. */
  scalarOne(): FirstOf<R> {
    return (this.one() as readonly unknown[])[0] as FirstOf<R>;
  }
  /** The first column of the only row, or null when there is no row. */
  scalarOneOrNone(): FirstOf<R> | null {
    const row = this.oneOrNone() as readonly unknown[] | null;
    return row === null ? null : (row[0] as FirstOf<R>);
  }

  /** The values of one column (the first by default). */
  scalars(): ScalarResult<FirstOf<R>>;
  scalars<T = unknown>(index: number): ScalarResult<T>;
  scalars(index = 0): ScalarResult<unknown> {
    return new ScalarResult(this.#rows.map((row) => (row as readonly unknown[])[index]));
  }

  protected withItems(rows: readonly R[]): this {
    return new Result(rows, this.#returnsRows ? this.#names : null, this.rowCount, this.lastInsertId) as this;
  }

  /**
   * Rows with only the columns given, by name or position, in that order (SQLAlchemy's
   * `Result.columns()`); `result.columns('title').scalars()` reads one column by name.
   *
   * @example
   * const [id, title] = result.columns('id', 'title').one();
   */
  columns(...columns: (number | (keyof MappingOf<R> & string))[]): Result<Row<unknown[], RowShape>> {
    const { rows, names } = projectRows(this.rawRows(), this.#names, columnPositions(this.#names, columns));
    return new Result(rows as unknown as Row<unknown[], RowShape>[], names, this.rowCount, this.lastInsertId);
  }

  /** Rows as plain objects keyed by column name (the first column wins when names repeat). */
  mappings(): MappingResult<MappingOf<R>> {
    return new MappingResult(this.rawRows(), this.#names);
  }
}
