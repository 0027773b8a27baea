/**
 * Mapped columns of ORM models. They take the same options as Core columns, with one difference that
 * follows SQLAlchemy 2.0's `Mapped[str]` vs `Mapped[Optional[str]]`: a mapped column is NOT NULL unless
 * declared `nullable: true`, and its attribute type is then `T | null`.
 */
import { type ColumnOptions, ColumnSpec, type IsOptional } from '../../schema/column.js';
import type { TypeEngine, ValueOf } from '../../types/type-engine.js';

/** The ORM's rule, as `Mapped[str]` vs `Mapped[Optional[str]]`: NOT NULL unless declared nullable. */
type MappedNullable<O> = O extends { nullable: true } ? true : false;

/**
 * Whether `new Model({...})` may leave the column out: when an INSERT may, and for a foreign key, which
 * is usually filled from a relationship at flush (`new Address({ email, user })`).
 */
type InitOptional<TType, O> = IsOptional<TType, O, MappedNullable<O>> extends true ? true : O extends { foreignKey: unknown } ? true : false;

/**
 * Declares a column of a model: the same options as `column()`, but NOT NULL unless `nullable: true`
 * (then the attribute's type is `T | null`). `new Model({...})` may leave the attribute out when it is
 * nullable, has a default or is an auto-increment key, or is a foreign key that a relationship fills.
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
): ColumnSpec<ValueOf<TType>, MappedNullable<O>, IsOptional<TType, O, MappedNullable<O>>, InitOptional<TType, O>> {
  return new ColumnSpec(type, { ...options, nullable: options?.nullable ?? false });
}
