/**
 * The parameter array of a multi-row INSERT batch, built by code compiled once per batch statement.
 * A batch repeats one row's slots (the same keys, the same converters) for every row; the general loop
 * of `bindParams` looked up each slot's row, key and converter again for each of 5,000 values, where
 * the compiled code reads each key as a constant property and calls each converter directly.
 *
 * The generated code holds nothing but attribute keys, each written as a JSON string literal (always a
 * valid JavaScript string literal), numeric offsets and the names of converters passed in, so no user
 * text can become code. It reads `record["key"]`, which is what the general loop's `record[key]` does,
 * for every key (`__proto__` included).
 */
import type { BindSlot } from '../dialects/compiled.js';

type Processor = (value: unknown) => unknown;

/**
 * Fills `out` from `count` records starting at `records[offset]`, or throws when a value is missing
 * or a converter fails; the caller then binds the batch again the general way, which reports the
 * first bad value with its parameter name.
 */
export type RowBinder = (records: readonly Readonly<Record<string, unknown>>[], offset: number, out: unknown[]) => void;

/**
 * The binder of a batch whose slots are `rows` repetitions of its first row's, all late-bound (values
 * from the records, none generated per row); null for any other statement.
 */
export function compileRowBinder(slots: readonly BindSlot[], processors: readonly (Processor | null)[]): RowBinder | null {
  let width = 0;
  while (width < slots.length && slots[width]!.row === 0) width++;
  if (width === 0 || slots.length % width !== 0 || slots.length === width) return null;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    const first = slots[i % width]!;
    // The same type gives the same converter (a TypeDecorator's is a new function per slot, alike).
    if (!slot.late || slot.row !== Math.floor(i / width) || slot.key !== first.key || slot.type !== first.type) return null;
  }
  const lines: string[] = [];
  for (let c = 0; c < width; c++) {
    const read = `value = record[${JSON.stringify(slots[c]!.key)}];`;
    const store = processors[c] == null ? `out[at + ${c}] = value;` : `out[at + ${c}] = value === null ? null : p${c}(value);`;
    lines.push(`${read} if (value === undefined) throw missing; ${store}`);
  }
  const converters = processors.slice(0, width).map((p, c) => (p == null ? '' : `const p${c} = processors[${c}];`)).join('\n');
  const body = `${converters}
return function bindRows(records, offset, out) {
  const rows = out.length / ${width};
  let value;
  for (let r = 0, at = 0; r < rows; r++, at += ${width}) {
    const record = records[offset + r];
    ${lines.join('\n    ')}
  }
};`;
  return new Function('processors', 'missing', body)(processors, new Error('missing value')) as RowBinder;
}
