/**
 * Mapped columns of ORM models. They take the same options as Core columns, with one difference that
 * follows SQLAlchemy 2.0's `Mapped[str]` vs `Mapped[Optional[str]]`: a mapped column is NOT NULL unless
 * declared `nullable: true`, and its attribute type is then `T | null`.
 */
import { type ColumnOptions, ColumnSpec } from '../../schema/column.js';
import type { BigIntegerType, IntegerType, SmallIntegerType } from '../../types/generic.js';
import type { TypeEngine, ValueOf } from '../../types/type-engine.js';

type IntegerLike = IntegerType | BigIntegerType | SmallIntegerType;

type MappedNullable<O> = O extends { nullable: true } ? true : false;

/** May be left out of an INSERT: nullable, defaulted, or a generated integer key. */
type MappedOptional<TType, O> = O extends { nullable: true }
  ? true
  : O extends { default: unknown } | { serverDefault: unknown }
    ? true
    : O extends { primaryKey: true }
      ? O extends { autoincrement: false }
        ? false
        : TType extends IntegerLike
          ? true
          : false
      : false;

/**
 * Declares a column of a model.
 *
 * @example
 * class Movie extends Base.model('movies', {
 *   id: mapped(t.Integer(), { primaryKey: true }),
 *   title: mapped(t.String(128), { unique: true }),
 *   rating: mapped(t.Float(), { nullable: true }),   // movie.rating: number | null
 * }) {}
 */
export function mapped<TType extends TypeEngine, const O extends ColumnOptions<ValueOf<TType>> = {}>(
  type: TType,
  options?: O,
): ColumnSpec<ValueOf<TType>, MappedNullable<O>, MappedOptional<TType, O>> {
  return new ColumnSpec(type, { ...options, nullable: options?.nullable ?? false });
}
