/**
 * Column types. Equal when the dialect stores them as one type (its impl folds the spellings: BOOL and
 * TINYINT(1), `character varying(50)` and VARCHAR(50)); String lengths and Numeric precision count. A
 * PostgreSQL enum whose values change keeps its name: the column is altered from the old values to the
 * new, as on MySQL, so the revision runs on every dialect (PostgreSQL then changes the type itself). A
 * change that can lose data is said so.
 */
import type { Column } from '../../../schema/column.js';
import type { ReflectedColumn } from '../../../schema/reflected.js';
import {
  BigIntegerType,
  EnumType,
  FloatType,
  IntegerType,
  LargeBinaryType,
  NumericType,
  SmallIntegerType,
  StringType,
  TextType,
} from '../../../types/generic.js';
import type { TypeEngine } from '../../../types/type-engine.js';
import type { CompareContext } from '../context.js';

/** The new type when the column's type changes, and whether that can lose data; null when it does not change. */
export function compareColumnType(
  ctx: CompareContext,
  column: Column,
  reflected: ReflectedColumn,
): { readonly type: TypeEngine; readonly loss: string | null } | null {
  if (!ctx.compareType) return null;
  if (ctx.capabilities.enumTypes && sameNamedEnum(column.type.impl, reflected.type.impl)) {
    const [from, to] = [reflected.type.impl as EnumType, column.type.impl as EnumType];
    return to.hasValues(from.values) ? null : { type: column.type, loss: typeLoss(from, to) };
  }
  if (ctx.impl.columnTypesEquivalent(column, reflected)) return null;
  return { type: column.type, loss: typeLoss(reflected.type.impl, column.type.impl) };
}

/** Both named enums of one name: the type stays, only its values may differ. */
export function sameNamedEnum(a: TypeEngine, b: TypeEngine): boolean {
  return a instanceof EnumType && b instanceof EnumType && a.name !== undefined && a.name === b.name;
}

const INTEGER_RANK = new Map<Function, number>([
  [SmallIntegerType, 1],
  [IntegerType, 2],
  [BigIntegerType, 3],
]);

/**
 * Why changing `from` to `to` can lose data (a shorter string, fewer digits, a smaller integer, another
 * kind of type), or null for a widening.
 */
export function typeLoss(from: TypeEngine, to: TypeEngine): string | null {
  const [a, b] = [INTEGER_RANK.get(from.constructor), INTEGER_RANK.get(to.constructor)];
  if (a !== undefined && b !== undefined) return b < a ? `narrows ${from} to ${to}` : null;
  if (from instanceof StringType && to instanceof StringType) {
    if (to.length === undefined || (from.length !== undefined && to.length >= from.length)) return null;
    return `narrows ${from} to ${to}: longer values are cut or rejected`;
  }
  if (from instanceof StringType && to instanceof TextType) return null;
  if (from instanceof TextType && to instanceof StringType) return `narrows ${from} to ${to}: longer values are cut or rejected`;
  if (from instanceof NumericType && to instanceof NumericType) {
    const digits = (n: NumericType) => (n.precision ?? 1000) - (n.scale ?? 0);
    if (digits(to) >= digits(from) && (to.scale ?? 0) >= (from.scale ?? 0)) return null;
    return `narrows ${from} to ${to}: digits may be lost`;
  }
  if (from instanceof FloatType && to instanceof FloatType) return (to.precision ?? 53) < (from.precision ?? 53) ? `narrows ${from} to ${to}` : null;
  if (from instanceof LargeBinaryType && to instanceof LargeBinaryType) {
    return to.length !== undefined && (from.length === undefined || to.length < from.length) ? `narrows ${from} to ${to}` : null;
  }
  if (from instanceof EnumType && to instanceof EnumType) {
    const gone = from.values.filter((v) => !to.values.includes(v));
    return gone.length === 0 ? null : `drops the enum value${gone.length === 1 ? '' : 's'} ${gone.map((v) => `'${v}'`).join(', ')}`;
  }
  if (a !== undefined && (to instanceof NumericType || to instanceof FloatType || to instanceof StringType || to instanceof TextType)) return null;
  return `changes ${from} to ${to}: values that do not convert are lost or rejected`;
}
