/**
 * Server defaults, compared after each side is put in the dialect's canonical form (casts, quotes,
 * function synonyms, number spellings), so `'0'`, `0` and `'0'::integer` agree. A generated key
 * (SERIAL, IDENTITY, AUTO_INCREMENT) reports no default and is not one.
 */
import type { Column } from '../../../schema/column.js';
import type { ReflectedColumn } from '../../../schema/reflected.js';
import type { ServerDefault } from '../../operations/ops/column.js';
import type { CompareContext } from '../context.js';
import { modelServerDefault } from './values.js';

/** The new default (null: none) when the column's default changes; undefined when it does not. */
export function compareServerDefault(ctx: CompareContext, column: Column, reflected: ReflectedColumn): { readonly value: ServerDefault | null } | undefined {
  if (!ctx.compareServerDefault) return undefined;
  const { impl } = ctx;
  const mine = impl.normalizeDefault(impl.modelDefault(column));
  const theirs = impl.normalizeDefault(reflected.default);
  if (mine === theirs) return undefined;
  return { value: modelServerDefault(ctx, column) };
}

/** A default in words, for messages. */
export function describeDefault(value: ServerDefault | null): string {
  if (value === null) return 'none';
  return typeof value === 'string' ? JSON.stringify(value) : ((value as { text?: string }).text ?? 'an expression');
}
