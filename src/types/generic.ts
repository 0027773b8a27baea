/**
 * The generic SQL types, named as in SQLAlchemy. They are exposed through the `t` namespace
 * (`t.String(50)`) so that user code never shadows the JavaScript globals `String`, `Date`, `Boolean`
 * or `JSON`; the revision renderer spells them the same way.
 */
import { ArgumentError } from '../errors.js';
import { tsString } from '../util/ts-literal.js';
import { TypeEngine } from './type-engine.js';

/**
 * Checks a size given to a type constructor when the model is defined, so `t.String(-5)` fails where it
 * is written instead of as a database error (or not at all) much later.
 */
function checkSize(type: string, what: string, value: number | undefined, min = 1): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ArgumentError(`t.${type}(): ${what} must be a whole number >= ${min}, got ${String(value)}.`);
  }
}

/** `t.Integer()`: INTEGER, a JS `number`. For values past 2^31 use `t.BigInteger()`. */
export class IntegerType extends TypeEngine<number> {
  readonly typeName = 'Integer';
  toString(): string {
    return 'Integer()';
  }
}

/** `t.SmallInteger()`: SMALLINT, a JS `number` (-32768 to 32767 outside SQLite). */
export class SmallIntegerType extends TypeEngine<number> {
  readonly typeName = 'SmallInteger';
  toString(): string {
    return 'SmallInteger()';
  }
}

/** 64-bit integers are `bigint` in TypeScript, so values above 2^53 stay exact. */
export class BigIntegerType extends TypeEngine<bigint> {
  readonly typeName = 'BigInteger';
  toString(): string {
    return 'BigInteger()';
  }
}

/**
 * `t.Float(precision?)`: approximate numbers as a JS `number`. FLOAT(precision) (the precision in binary
 * digits: up to 24 is single precision on PostgreSQL), and DOUBLE on MySQL, which ignores the precision.
 */
export class FloatType extends TypeEngine<number> {
  readonly typeName = 'Float';
  constructor(readonly precision?: number) {
    super();
    checkSize('Float', 'the precision', precision);
  }
  toString(): string {
    return this.precision === undefined ? 'Float()' : `Float(${this.precision})`;
  }
}

/**
 * Exact decimals. Values are strings (`"12.50"`) because JavaScript has no decimal type and a float
 * would silently round money; results are normalised to the declared scale on every dialect.
 */
export class NumericType extends TypeEngine<string> {
  readonly typeName = 'Numeric';
  constructor(
    readonly precision?: number,
    readonly scale?: number,
  ) {
    super();
    checkSize('Numeric', 'the precision', precision);
    checkSize('Numeric', 'the scale', scale, 0);
  }
  toString(): string {
    if (this.precision === undefined) return 'Numeric()';
    return this.scale === undefined ? `Numeric(${this.precision})` : `Numeric(${this.precision}, ${this.scale})`;
  }
}

/**
 * `t.String(length?)`: VARCHAR(length) as a JS `string`. MySQL needs the length; SQLite does not enforce
 * it. For long or unbounded text use `t.Text()`.
 */
export class StringType extends TypeEngine<string> {
  readonly typeName = 'String';
  constructor(readonly length?: number) {
    super();
    checkSize('String', 'the length', length);
  }
  toString(): string {
    return this.length === undefined ? 'String()' : `String(${this.length})`;
  }
}

/**
 * Unbounded text. `length` is the longest value expected, in characters: MySQL then picks MEDIUMTEXT or
 * LONGTEXT where TEXT (64 KB) is too small, as SQLAlchemy's MySQL dialect does; other databases ignore it.
 */
export class TextType extends TypeEngine<string> {
  readonly typeName = 'Text';
  constructor(readonly length?: number) {
    super();
    checkSize('Text', 'the length', length);
  }
  toString(): string {
    return this.length === undefined ? 'Text()' : `Text(${this.length})`;
  }
}

/**
 * `t.Boolean()`: `true`/`false` in JS on every dialect. BOOLEAN (SQLite keeps 0 and 1), BOOL on MySQL,
 * which is TINYINT(1). Use `true_()`/`false_()` for defaults that read the same on all three.
 */
export class BooleanType extends TypeEngine<boolean> {
  readonly typeName = 'Boolean';
  toString(): string {
    return 'Boolean()';
  }
}

/** Calendar dates as ISO strings (`"1982-06-25"`): a JS `Date` is an instant and would shift with time zones. */
export class DateType extends TypeEngine<string> {
  readonly typeName = 'Date';
  toString(): string {
    return 'Date()';
  }
}

/**
 * Timestamps as JS `Date`. Without `timezone` the stored wall-clock time is read and written as UTC, so a
 * value round-trips unchanged whatever the server's or the process's time zone.
 */
export class DateTimeType extends TypeEngine<Date> {
  readonly typeName = 'DateTime';
  readonly timezone: boolean;
  constructor(options: { timezone?: boolean } = {}) {
    super();
    this.timezone = options.timezone ?? false;
  }
  toString(): string {
    return this.timezone ? 'DateTime({ timezone: true })' : 'DateTime()';
  }
}

/** Times of day as strings (`"13:45:00"`). */
export class TimeType extends TypeEngine<string> {
  readonly typeName = 'Time';
  toString(): string {
    return 'Time()';
  }
}

/** JSON documents; `T` is the document type the user declares (`t.JSON<{ tags: string[] }>()`). */
export class JsonType<T = unknown> extends TypeEngine<T> {
  readonly typeName = 'JSON';
  toString(): string {
    return 'JSON()';
  }
}

/** UUIDs as lower-case canonical strings; native on PostgreSQL, CHAR(36) elsewhere. */
export class UuidType extends TypeEngine<string> {
  readonly typeName = 'Uuid';
  toString(): string {
    return 'Uuid()';
  }
}

/** Binary data as Node `Buffer`s (a `Uint8Array` is accepted when binding). */
export class LargeBinaryType extends TypeEngine<Buffer> {
  readonly typeName = 'LargeBinary';
  constructor(readonly length?: number) {
    super();
    checkSize('LargeBinary', 'the length', length);
  }
  toString(): string {
    return this.length === undefined ? 'LargeBinary()' : `LargeBinary(${this.length})`;
  }
}

/** A closed set of string values: ENUM(...) on MySQL, a named type on PostgreSQL when given a name, else VARCHAR. */
export class EnumType<V extends string = string> extends TypeEngine<V> {
  readonly typeName = 'Enum';
  constructor(
    readonly values: readonly V[],
    readonly name?: string,
  ) {
    super();
    const given = values as unknown;
    // PostgreSQL keeps a named type with no labels yet (CREATE TYPE e AS ENUM ()), so reflection can meet one.
    if (!Array.isArray(given) || (given.length === 0 && name === undefined) || !given.every((v) => typeof v === 'string')) {
      throw new ArgumentError(`t.Enum() needs a non-empty array of strings, e.g. t.Enum(['draft', 'published']); got ${JSON.stringify(given) ?? 'nothing'}.`);
    }
    const duplicate = given.find((v, i) => given.indexOf(v) !== i);
    if (duplicate !== undefined) throw new ArgumentError(`t.Enum(): the value ${JSON.stringify(duplicate)} is listed twice.`);
    if (name !== undefined && (typeof name !== 'string' || name === '')) throw new ArgumentError('t.Enum(): name must be a non-empty string.');
  }
  /** Whether the enum has exactly `values`, in that order (PostgreSQL sorts an enum by it). */
  hasValues(values: readonly string[]): boolean {
    return values.length === this.values.length && values.every((v, i) => v === this.values[i]);
  }
  toString(): string {
    const values = this.values.map(tsString).join(', ');
    return this.name === undefined ? `Enum([${values}])` : `Enum([${values}], { name: ${tsString(this.name)} })`;
  }
}

/**
 * A user type built on an existing one: values are converted by `bindValue` before the implementation
 * type's own adapter and by `resultValue` after it.
 *
 * @example
 * const Tags = t.decorate(t.Text(), {
 *   bindValue: (tags: string[]) => tags.join(','),
 *   resultValue: (text) => (text as string).split(','),
 * });
 */
export class TypeDecorator<T, TImpl extends TypeEngine> extends TypeEngine<T> {
  constructor(
    readonly implType: TImpl,
    options: { bindValue: (value: T) => unknown; resultValue: (value: unknown) => T },
  ) {
    super();
    this.bindValue = options.bindValue;
    this.resultValue = options.resultValue;
  }
  get typeName() {
    return this.implType.typeName;
  }
  override get impl(): TypeEngine {
    return this.implType.impl;
  }
  toString(): string {
    return this.implType.toString();
  }
}
