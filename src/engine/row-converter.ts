/**
 * The result-row finisher of a statement, compiled once per execution plan: it converts each typed
 * column's values in place and gives the row the prototype with name getters. The general loop called
 * every column's converter from one call site, which V8 could not inline once it had seen a few kinds
 * (a MySQL row of an integer, a float and a boolean took three indirect calls); the compiled code calls
 * each converter from its own line and skips the columns that have none.
 *
 * The generated code holds nothing but numeric column positions and the names of converters passed in,
 * so no user text can become code.
 */
type Processor = (value: unknown) => unknown;

/** Converts the rows in place and sets their prototype. */
export type RowConverter = (rows: unknown[][]) => void;

/** The finisher of rows whose `i`-th column is converted by `processors[i]` (none where null). */
export function compileRowConverter(processors: readonly (Processor | null)[] | null, proto: object): RowConverter {
  const columns: number[] = [];
  processors?.forEach((p, c) => p !== null && columns.push(c));
  const converters = columns.map((c) => `const p${c} = processors[${c}];`).join('\n');
  const lines = columns.map((c) => `value = row[${c}]; if (value != null) row[${c}] = p${c}(value);`);
  const body = `${converters}
return function convertRows(rows) {
  let value;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    ${lines.join('\n    ')}
    setPrototypeOf(row, proto);
  }
};`;
  return new Function('processors', 'proto', 'setPrototypeOf', body)(processors, proto, Object.setPrototypeOf) as RowConverter;
}
