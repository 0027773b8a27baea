/**
 * SQL literals for offline scripts (`tsmig upgrade --sql`), where no driver binds the values. Online
 * execution never uses this: values always travel as parameters.
 */
import { CompileError } from '../../errors.js';

export interface LiteralStyle {
  /**
   * How a string literal escapes: `backslash` (MySQL, unless NO_BACKSLASH_ESCAPES: `\` is doubled, NUL is
   * `\0`); `char` (SQLite: quotes doubled, a NUL concatenated as `char(0)`); `no-nul` (PostgreSQL: quotes
   * doubled, and text cannot hold a NUL at all). Written raw, a NUL would end the statement in every client.
   */
  readonly strings: 'backslash' | 'char' | 'no-nul';
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
  if (style.strings === 'backslash') return `'${text.replace(/\\/g, '\\\\').replace(/\0/g, '\\0').replace(/'/g, "''")}'`;
  const quoted = (part: string) => `'${part.replace(/'/g, "''")}'`;
  if (!text.includes('\0')) return quoted(text);
  if (style.strings === 'no-nul') {
    throw new CompileError(`The string ${JSON.stringify(text.slice(0, 40))} contains a NUL character, which this database cannot store in text; remove it, or store the value as binary.`);
  }
  return `(${text.split('\0').map(quoted).join(" || char(0) || ")})`;
}
