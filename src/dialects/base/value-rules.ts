/**
 * The shape of a dialect's value-adapter tables (type-adapters.ts) and the rules all three dialects
 * share. Each dialect spreads SHARED_BIND / SHARED_RESULT and states the rest itself: its table is typed
 * as a full `ValueRules`, so the compiler rejects one that leaves a type out.
 */
import type { NumericType } from '../../types/generic.js';
import type { TypeEngine, TypeName } from '../../types/type-engine.js';
import {
  always,
  decimalResult,
  formatDate,
  parseDateTime,
  parseJsonText,
  requireFinite,
  toBigInt,
  toBuffer,
  toDecimalString,
  toJsonText,
  type Processor,
} from '../../util/sql-values.js';
import type { ValueAdapter } from '../dialect.js';

/** How one generic type converts, given the type instance; null when the driver's value is used as is. */
export type ValueRule = ((type: TypeEngine) => Processor | null) | null;

export type ValueRules = Record<TypeName, ValueRule>;

/** Bind rules every driver needs; the types left out (integers, Boolean, DateTime, Uuid, NullType) differ. */
export const SHARED_BIND = {
  Float: null,
  Numeric: always(toDecimalString),
  String: null,
  Text: null,
  Enum: null,
  Date: always(formatDate),
  Time: null,
  // Always as text: node-postgres would send a JS array as a PostgreSQL array, not as JSON.
  JSON: always(toJsonText),
  LargeBinary: always(toBuffer),
} satisfies Partial<ValueRules>;

/** Result rules every driver needs; the types left out (Integer, SmallInteger, Float, Boolean, Time, Uuid) differ. */
export const SHARED_RESULT = {
  BigInteger: always(toBigInt),
  Numeric: (type) => decimalResult((type as NumericType).scale),
  String: null,
  Text: null,
  Enum: null,
  Date: null,
  DateTime: always(parseDateTime),
  JSON: always(parseJsonText),
  LargeBinary: null,
  NullType: null,
} satisfies Partial<ValueRules>;

/** The types whose bound numbers must be finite on every dialect (see `requireFinite`). */
const NUMERIC_TYPES: ReadonlySet<TypeName> = new Set(['Integer', 'SmallInteger', 'BigInteger', 'Float', 'Numeric']);

function finiteFirst(rule: Processor | null): Processor {
  return rule === null ? requireFinite : (value) => rule(requireFinite(value));
}

/** The adapter that looks a type up in the two tables; numeric binds refuse non-finite numbers first. */
export function valueAdapter(bind: ValueRules, result: ValueRules): ValueAdapter {
  return {
    bind: (type) => {
      const rule = bind[type.typeName]?.(type) ?? null;
      return NUMERIC_TYPES.has(type.typeName) ? finiteFirst(rule) : rule;
    },
    result: (type) => result[type.typeName]?.(type) ?? null,
  };
}
