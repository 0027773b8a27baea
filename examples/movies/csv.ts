/**
 * A small CSV reader, Python's `csv.DictReader`: the first line names the fields, every later line is
 * a record keyed by those names. Fields may be quoted ("The Good, the Bad and the Ugly"), with `""` for
 * a quote inside; lines end in LF or CRLF.
 */

/** The records of a CSV text, with their line numbers (the header is line 1). */
export function readCsv(text: string): { line: number; record: Record<string, string> }[] {
  const [header, ...rows] = parseRows(text);
  if (header === undefined) return [];
  return rows.map(({ line, fields }) => ({
    line,
    record: Object.fromEntries(header.fields.map((name, i) => [name, fields[i] ?? ''])),
  }));
}

function parseRows(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') fields.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      rowLine = ++line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}
