/**
 * Column expressions and the operators on them. The operator classes live in this one module because
 * `ColumnElement`'s methods construct them and they extend `ColumnElement`: split across files, the ESM
 * cycle would make evaluation order decide whether `extends` sees a defined class.
 */
import { ArgumentError } from '../../errors.js';
import { keepShape } from '../../util/keep-shape.js';
import { BooleanType, FloatType, IntegerType, StringType } from '../../types/generic.js';
import { inferType } from '../../types/infer.js';
import { NULLTYPE, type TypeEngine } from '../../types/type-engine.js';
import type { FromClause } from '../selectable.js';
import { ClauseElement, collectFroms } from './element.js';

/** Binary operators, named; each dialect compiler spells them (MySQL has no `||` concatenation). */
export type BinaryOperator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'isDistinctFrom'
  | 'isNotDistinctFrom'
  | 'is'
  | 'isNot'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'floorDiv'
  | 'mod'
  | 'concat';

/** A value or an expression of type `T`. */
export type Operand<T> = T | ColumnElement<T>;

/**
 * What a `T` expression compares with: a value, or an expression of the same type, nullable or not
 * (comparing two nullable columns is fine SQL; a NULL simply compares as unknown).
 */
export type Comparable<T> = NonNullable<T> | ColumnElement<NonNullable<T>> | ColumnElement<NonNullable<T> | null>;

const BOOLEAN = new BooleanType();
const INTEGER_TYPES = new Set(['Integer', 'BigInteger', 'SmallInteger']);
const INTEGER = new IntegerType();

/**
 * An expression with a SQL type whose values are `T`. `N` is the name the expression gets as a result
 * column when it has a natural one (a column's name, a label), `string` otherwise.
 */
export abstract class ColumnElement<T = unknown, N extends string = string> extends ClauseElement {
  /** @internal phantom carrier of the value type. */
  declare readonly __value: T;
  /** @internal phantom carrier of the result name. */
  declare readonly __name: N;
  /** The SQL type: it converts values bound to or read from this expression. */
  abstract readonly type: TypeEngine;

  /** The result column name this expression gets when selected without a label, if it has one. */
  get naturalName(): string | null {
    return null;
  }

  /** `=`; comparing to `null` renders `IS NULL`. */
  eq(other: Comparable<T> | null): ColumnElement<boolean> {
    return other === null ? this.isNull() : this.#compare('eq', other);
  }
  /** `!=`; comparing to `null` renders `IS NOT NULL`. */
  ne(other: Comparable<T> | null): ColumnElement<boolean> {
    return other === null ? this.isNotNull() : this.#compare('ne', other);
  }
  /** `<` */
  lt(other: Comparable<T>): ColumnElement<boolean> {
    return this.#compare('lt', other);
  }
  /** `<=` */
  le(other: Comparable<T>): ColumnElement<boolean> {
    return this.#compare('le', other);
  }
  /** `>` */
  gt(other: Comparable<T>): ColumnElement<boolean> {
    return this.#compare('gt', other);
  }
  /** `>=` */
  ge(other: Comparable<T>): ColumnElement<boolean> {
    return this.#compare('ge', other);
  }
  /** `IS NULL` */
  isNull(): ColumnElement<boolean> {
    return new BinaryExpression('is', this, NULL, BOOLEAN);
  }
  /** `IS NOT NULL` */
  isNotNull(): ColumnElement<boolean> {
    return new BinaryExpression('isNot', this, NULL, BOOLEAN);
  }
  /** Null-safe comparison (`IS DISTINCT FROM`, `<=>` on MySQL, `IS NOT` on SQLite). */
  isDistinctFrom(other: Comparable<T> | null): ColumnElement<boolean> {
    return this.#compare('isDistinctFrom', other);
  }
  /** Null-safe equality (`IS NOT DISTINCT FROM`, `<=>` on MySQL, `IS` on SQLite): NULL matches NULL. */
  isNotDistinctFrom(other: Comparable<T> | null): ColumnElement<boolean> {
    return this.#compare('isNotDistinctFrom', other);
  }

  /** `LIKE`, with the database's own case rules (case-insensitive for ASCII on SQLite and MySQL's default collations). */
  like(pattern: Operand<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return new LikeExpression(this, this.coerce(pattern), false, false, options.escape ?? null);
  }
  /** `NOT LIKE` */
  notLike(pattern: Operand<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return new LikeExpression(this, this.coerce(pattern), false, true, options.escape ?? null);
  }
  /** Case-insensitive LIKE: ILIKE on PostgreSQL, `lower(x) LIKE lower(p)` elsewhere. */
  ilike(pattern: Operand<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return new LikeExpression(this, this.coerce(pattern), true, false, options.escape ?? null);
  }
  /** The negation of {@link ilike}. */
  notIlike(pattern: Operand<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return new LikeExpression(this, this.coerce(pattern), true, true, options.escape ?? null);
  }
  /** `LIKE 'value%'` with `%`, `_` and the escape character in `value` escaped. */
  startsWith(value: string): ColumnElement<boolean> {
    return this.like(`${escapeLike(value)}%`, { escape: LIKE_ESCAPE });
  }
  /** `LIKE '%value'`, with `value`'s wildcards escaped. */
  endsWith(value: string): ColumnElement<boolean> {
    return this.like(`%${escapeLike(value)}`, { escape: LIKE_ESCAPE });
  }
  /** `LIKE '%value%'`, with `value`'s wildcards escaped. */
  contains(value: string): ColumnElement<boolean> {
    return this.like(`%${escapeLike(value)}%`, { escape: LIKE_ESCAPE });
  }

  /** `IN (...)`; an empty list is always false (and `notIn([])` always true), as in SQLAlchemy. */
  in(values: readonly Comparable<T>[] | SelectLike): ColumnElement<boolean> {
    return new InExpression(this, this.#inTarget(values), false);
  }
  /** `NOT IN (...)`; an empty list is always true. */
  notIn(values: readonly Comparable<T>[] | SelectLike): ColumnElement<boolean> {
    return new InExpression(this, this.#inTarget(values), true);
  }
  /**
   * @internal `IN` over a list bound as one value of this column's type: as `in()` renders it on MySQL,
   * `= ANY (?)` with one array parameter on PostgreSQL and `IN (SELECT value FROM json_each(?))` on
   * SQLite when every value is a string or a number the column takes as it is, so a list of thousands
   * of keys costs one parameter and the statement's text does not depend on its length.
   */
  inList(values: readonly Comparable<T>[]): ColumnElement<boolean> {
    return new InExpression(this, new BindParameter(null, values, this.type, false, true), false);
  }
  /** `BETWEEN lower AND upper`, both ends included. */
  between(lower: Comparable<T>, upper: Comparable<T>): ColumnElement<boolean> {
    return new BetweenExpression(this, this.coerce(lower), this.coerce(upper), false);
  }
  /** `NOT BETWEEN lower AND upper` */
  notBetween(lower: Comparable<T>, upper: Comparable<T>): ColumnElement<boolean> {
    return new BetweenExpression(this, this.coerce(lower), this.coerce(upper), true);
  }

  /** `+` */
  add(other: Operand<NonNullable<T>>): ColumnElement<T> {
    return new BinaryExpression('add', this, this.coerce(other), this.type);
  }
  /** `-` */
  sub(other: Operand<NonNullable<T>>): ColumnElement<T> {
    return new BinaryExpression('sub', this, this.coerce(other), this.type);
  }
  /** `*` */
  mul(other: Operand<NonNullable<T>>): ColumnElement<T> {
    return new BinaryExpression('mul', this, this.coerce(other), this.type);
  }
  /**
   * True division, as SQLAlchemy 2.0's `/`: `7 / 2` is 3.5 on every dialect (integers are cast so
   * PostgreSQL and SQLite do not truncate). Use {@link floorDiv} for integer division.
   */
  div(other: Operand<NonNullable<T>>): ColumnElement<T> {
    const type = INTEGER_TYPES.has(this.type.impl.typeName) ? new FloatType() : this.type;
    return new BinaryExpression('div', this, this.coerce(other), type);
  }
  /** Integer division of integers (`DIV` on MySQL), as SQLAlchemy's `//`; other numbers are floored. */
  floorDiv(other: Operand<NonNullable<T>>): ColumnElement<T> {
    return new BinaryExpression('floorDiv', this, this.coerce(other), this.type);
  }
  /** `%`: the remainder of the division (non-integers too, on every dialect). */
  mod(other: Operand<NonNullable<T>>): ColumnElement<T> {
    return new BinaryExpression('mod', this, this.coerce(other), this.type);
  }
  /** String concatenation: `||`, or `concat()` on MySQL. */
  concat(other: Operand<string>): ColumnElement<string> {
    return new BinaryExpression('concat', this, this.coerce(other), new StringType());
  }
  /** Unary minus. */
  neg(): ColumnElement<T> {
    return new UnaryExpression('neg', this, this.type);
  }

  /** Ascending, in `orderBy()` or an index; `.nullsFirst()`/`.nullsLast()` place the NULLs. */
  asc(): OrderByExpression {
    return new OrderByExpression(this, 'asc', null);
  }
  /** Descending, in `orderBy()` or an index; `.nullsFirst()`/`.nullsLast()` place the NULLs. */
  desc(): OrderByExpression {
    return new OrderByExpression(this, 'desc', null);
  }
  /** `DISTINCT x`, as inside `count(x.distinct())`. */
  distinct(): ColumnElement<T> {
    return new UnaryExpression('distinct', this, this.type);
  }
  /** Names the expression in a result; `label(null)` gives a unique anonymous name (`anon_1`). */
  label<const L extends string>(name: L): Label<T, L>;
  label(name: null): Label<T, string>;
  label(name: string | null): Label<T, string> {
    return new Label(this, name);
  }

  /** @internal turns a user value into a bind parameter typed like this expression. */
  coerce<V>(value: Operand<V>): ColumnElement<V> {
    if (value instanceof ColumnElement) return value;
    return new BindParameter<V>(this.bindKey(), value, this.type);
  }

  /** @internal the base name of bind parameters compared to this expression (`title` -> `:title_1`). */
  bindKey(): string | null {
    return null;
  }

  #compare(operator: BinaryOperator, other: Operand<unknown> | null): ColumnElement<boolean> {
    const right = other === null ? NULL : this.coerce(other);
    return new BinaryExpression(operator, this, right, BOOLEAN);
  }

  #inTarget(values: readonly Operand<unknown>[] | SelectLike): readonly ColumnElement[] | SelectLike {
    if (!Array.isArray(values)) return values as SelectLike;
    return values.map((v) => this.coerce(v));
  }
}

/** Anything that can stand as the right side of `IN (SELECT ...)`: a select or a scalar subquery. */
export interface SelectLike extends ClauseElement {
  readonly kind: 'Select' | 'CompoundSelect' | 'ScalarSubquery' | 'TextClause';
}

const LIKE_ESCAPE = '/';

/** Escapes LIKE wildcards so a user's text matches literally. */
function escapeLike(value: string): string {
  return value.replace(/[/%_]/g, (c) => `${LIKE_ESCAPE}${c}`);
}

/** A bound value. Its text never appears in SQL; `value === undefined` means it is supplied at execution. */
export class BindParameter<T = unknown> extends ColumnElement<T> {
  readonly kind = 'BindParameter';
  readonly type: TypeEngine;
  constructor(
    /** The name it has in `text()` and `bindparam()`, or the base of an anonymous name. */
    readonly key: string | null,
    readonly value: T | undefined,
    type: TypeEngine = NULLTYPE,
    /** True for `bindparam('x')` / `text(':x')`: the key is the name the caller supplies. */
    readonly named = false,
    /**
     * True for a list of values bound as one (`value` is the list, `type` each value's type), which an
     * IN renders the way its dialect takes a list best (see `ColumnElement.inList()`).
     */
    readonly expanding = false,
  ) {
    super();
    // An untyped value takes the type its JS value implies, so `literal(7)` reads back as a number.
    this.type = type === NULLTYPE && !expanding ? inferType(value) : type;
  }
}

// The values of a statement made per call die with it (see util/keep-shape.ts).
keepShape(new BindParameter(null, null));

export class BinaryExpression<T = unknown> extends ColumnElement<T> {
  readonly kind = 'BinaryExpression';
  constructor(
    readonly operator: BinaryOperator,
    readonly left: ColumnElement,
    readonly right: ColumnElement,
    readonly type: TypeEngine,
  ) {
    super();
  }
  override fromObjects(): readonly FromClause[] {
    return collectFroms([this.left, this.right]);
  }
}

/** `a AND b AND c` / `a OR b`. */
export class ClauseList extends ColumnElement<boolean> {
  readonly kind = 'ClauseList';
  readonly type = BOOLEAN;
  constructor(
    readonly operator: 'and' | 'or',
    /** Expressions, or `text()` conditions. */
    readonly clauses: readonly ClauseElement[],
  ) {
    super();
  }
  override fromObjects(): readonly FromClause[] {
    return collectFroms(this.clauses);
  }
}

export class UnaryExpression<T = unknown> extends ColumnElement<T> {
  readonly kind = 'UnaryExpression';
  constructor(
    readonly operator: 'not' | 'neg' | 'distinct',
    readonly element: ColumnElement,
    readonly type: TypeEngine,
  ) {
    super();
  }
  override fromObjects(): readonly FromClause[] {
    return this.element.fromObjects();
  }
}

/** An ORDER BY item: direction and NULLS FIRST/LAST (emulated on MySQL). */
export class OrderByExpression extends ClauseElement {
  readonly kind = 'OrderByExpression';
  constructor(
    readonly element: ColumnElement,
    readonly direction: 'asc' | 'desc' | null,
    readonly nulls: 'first' | 'last' | null,
  ) {
    super();
  }
  nullsFirst(): OrderByExpression {
    return new OrderByExpression(this.element, this.direction, 'first');
  }
  nullsLast(): OrderByExpression {
    return new OrderByExpression(this.element, this.direction, 'last');
  }
  override fromObjects(): readonly FromClause[] {
    return this.element.fromObjects();
  }
}

export class LikeExpression extends ColumnElement<boolean> {
  readonly kind = 'LikeExpression';
  readonly type = BOOLEAN;
  constructor(
    readonly left: ColumnElement,
    readonly pattern: ColumnElement,
    readonly caseInsensitive: boolean,
    readonly negate: boolean,
    readonly escape: string | null,
  ) {
    super();
    if (escape !== null && escape.length !== 1) {
      throw new ArgumentError(`LIKE escape must be a single character, got ${JSON.stringify(escape)}`);
    }
  }
  override fromObjects(): readonly FromClause[] {
    return collectFroms([this.left, this.pattern]);
  }
}

export class InExpression extends ColumnElement<boolean> {
  readonly kind = 'InExpression';
  readonly type = BOOLEAN;
  constructor(
    readonly left: ColumnElement,
    /** The listed values, a select, or an expanding bound list (see `ColumnElement.inList()`). */
    readonly values: readonly ColumnElement[] | SelectLike | BindParameter,
    readonly negate: boolean,
  ) {
    super();
  }
  override fromObjects(): readonly FromClause[] {
    if (!Array.isArray(this.values)) return this.left.fromObjects();
    // A list of thousands of bound values (a selectin load's keys) is walked in place, not copied first.
    const values = this.values as readonly ColumnElement[];
    const seen = new Set<FromClause>(this.left.fromObjects());
    for (let i = 0; i < values.length; i++) {
      const froms = values[i]!.fromObjects();
      for (let j = 0; j < froms.length; j++) seen.add(froms[j]!);
    }
    return [...seen];
  }
}

export class BetweenExpression extends ColumnElement<boolean> {
  readonly kind = 'BetweenExpression';
  readonly type = BOOLEAN;
  constructor(
    readonly element: ColumnElement,
    readonly lower: ColumnElement,
    readonly upper: ColumnElement,
    readonly negate: boolean,
  ) {
    super();
  }
  override fromObjects(): readonly FromClause[] {
    return collectFroms([this.element, this.lower, this.upper]);
  }
}

/** `expr AS name`. A `null` name is replaced by a unique `anon_N` when compiled. */
export class Label<T = unknown, N extends string = string> extends ColumnElement<T, N> {
  readonly kind = 'Label';
  constructor(
    readonly element: ColumnElement,
    readonly name: string | null,
  ) {
    super();
  }
  get type(): TypeEngine {
    return this.element.type;
  }
  override get naturalName(): string | null {
    return this.name;
  }
  override fromObjects(): readonly FromClause[] {
    return this.element.fromObjects();
  }
}

/** SQL keywords used as values: NULL, TRUE, FALSE (1/0 where the dialect has no boolean literals). */
export class Keyword<T> extends ColumnElement<T> {
  readonly kind = 'Keyword';
  constructor(
    readonly keyword: 'null' | 'true' | 'false',
    readonly type: TypeEngine,
  ) {
    super();
  }
}

export const NULL = new Keyword<null>('null', NULLTYPE);

/** `NULL` as an expression. */
export function null_(): ColumnElement<null> {
  return NULL;
}
/** `TRUE` (or `1`). */
export function true_(): ColumnElement<boolean> {
  return new Keyword<boolean>('true', BOOLEAN);
}
/** `FALSE` (or `0`). */
export function false_(): ColumnElement<boolean> {
  return new Keyword<boolean>('false', BOOLEAN);
}

/** @internal the integer type used for counts. */
export const INTEGER_TYPE = INTEGER;
