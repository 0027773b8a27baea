/**
 * The result-row converters of a statement, compiled once per execution plan: they convert each typed
 * column's values in place (the rows get their names later, see `Result`), a whole result at once or
 * one row as the driver receives it (see `Connection.executeRead`). The general loop called every
 * column's converter from one call site, which V8 could not inline once it had seen a few kinds (a
 * MySQL row of an integer, a float and a boolean took three indirect calls); the compiled code calls
 * each converter from its own line and skips the columns that have none.
 *
 * The generated code holds nothing but numeric column positions and the names of converters passed in,
 * so no user text can become code.
 */
type Processor = (value: unknown) => unknown;

/** Converts the rows' values in place. */
export type RowConverter = (rows: unknown[][]) => void;

/** Converts one row's values in place. */
export type OneRowConverter = (row: unknown[]) => void;

/** Both forms of one statement's converter. */
export interface RowConverters {
  readonly rows: RowConverter;
  readonly row: OneRowConverter;
}

/** The converters of rows whose `i`-th column is converted by `processors[i]` (none where null); null when no column has one. */
export function compileRowConverter(processors: readonly (Processor | null)[] | null): RowConverters | null {
  const columns: number[] = [];
  processors?.forEach((p, c) => p !== null && columns.push(c));
  if (columns.length === 0) return null;
  const converters = columns.map((c) => `const p${c} = processors[${c}];`).join('\n');
  const lines = columns.map((c) => `value = row[${c}]; if (value != null) row[${c}] = p${c}(value);`).join('\n    ');
  const body = `${converters}
return {
  rows: function convertRows(rows) {
    let value;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      ${lines}
    }
  },
  row: function convertRow(row) {
    let value;
    ${lines}
  },
};`;
  return new Function('processors', body)(processors) as RowConverters;
}
