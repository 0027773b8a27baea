/**
 * The base of every SQL type. A type knows its generic name and parameters and carries the TypeScript
 * value type as a phantom; it never produces SQL text or talks to a driver (dialects do both).
 */

/** Names of the generic types; dialect compilers and value adapters are keyed by them. */
export type TypeName =
  | 'Integer'
  | 'BigInteger'
  | 'SmallInteger'
  | 'String'
  | 'Text'
  | 'Boolean'
  | 'Date'
  | 'DateTime'
  | 'Time'
  | 'Float'
  | 'Numeric'
  | 'JSON'
  | 'Uuid'
  | 'LargeBinary'
  | 'Enum'
  | 'NullType';

/**
 * A SQL type whose values are `T` in TypeScript.
 *
 * `T` is a phantom: it exists for inference only (`select(movies.c.id)` yields `number` rows).
 */
export abstract class TypeEngine<T = unknown> {
  /** @internal phantom carrier of the value type; never set at runtime. */
  declare readonly __value: T;
  abstract readonly typeName: TypeName;

  /**
   * A user-level conversion applied before the dialect's own (see {@link TypeDecorator}); null when the
   * value goes to the dialect adapter as it is.
   */
  bindValue: BindConverter<T> | null = null;
  /** The inverse of {@link bindValue}, applied after the dialect adapter. */
  resultValue: ((value: unknown) => T) | null = null;

  /** The type the dialect adapters and compilers see; a decorator answers with its implementation. */
  get impl(): TypeEngine {
    return this;
  }

  /** How the type is written after `t.` in TypeScript (`String(50)`); the revision renderer uses it. */
  abstract toString(): string;
}

/** The type of an expression whose type is unknown (a raw parameter, `text()` output). */
export class NullType extends TypeEngine<unknown> {
  readonly typeName = 'NullType';
  toString(): string {
    return 'NullType()';
  }
}

/** Shared instance for untyped values. */
export const NULLTYPE = new NullType();

/**
 * A conversion from `T`, declared through a method so it is bivariant in `T`: a `TypeEngine<boolean>`
 * must still be usable where any `TypeEngine` is expected.
 */
type BindConverter<T> = { convert(value: T): unknown }['convert'];

/** The TypeScript value type of a SQL type. */
export type ValueOf<TType> = TType extends TypeEngine<infer T> ? T : never;
