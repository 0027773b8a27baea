/**
 * SQL literals for offline scripts (`tsmig upgrade --sql`), where no driver binds the values. Online
 * execution never uses this: values always travel as parameters.
 */
import { CompileError } from '../../errors.js';

export interface LiteralStyle {
  /** MySQL treats `\` in string literals as an escape (unless NO_BACKSLASH_ESCAPES), so it is doubled. */
  readonly backslashEscapes: boolean;
  /** Spells a binary literal from its hex digits. */
  readonly binary: (hex: string) => string;
}

/** Renders a value already converted by the dialect's bind adapter. */
export function renderLiteral(value: unknown, style: LiteralStyle): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CompileError(`cannot render ${value} as a SQL literal`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Uint8Array) return style.binary(Buffer.from(value).toString('hex'));
  if (value instanceof Date) return quoteString(value.toISOString(), style);
  if (typeof value === 'string') return quoteString(value, style);
  return quoteString(JSON.stringify(value), style);
}

function quoteString(text: string, style: LiteralStyle): string {
  const escaped = style.backslashEscapes ? text.replace(/\\/g, '\\\\') : text;
  return `'${escaped.replace(/'/g, "''")}'`;
}
