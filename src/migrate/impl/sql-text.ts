/**
 * Text helpers for comparing SQL as a model and a database spell it: a type spelling split into name and
 * arguments, and an expression reduced to a canonical form (case, identifier quotes, spacing, grouping
 * parentheses). Pure string work; what is equivalent on which dialect is decided in the impls.
 */

/** A column type split for comparison: `NUMERIC(10, 2)` -> `{ name: 'NUMERIC', args: ['10', '2'] }`. */
export interface TypeSpelling {
  /** Upper case, single spaces, without the argument list: `TIMESTAMP(3) WITH TIME ZONE` -> `TIMESTAMP WITH TIME ZONE`. */
  readonly name: string;
  /** The arguments as written, trimmed; quoted ones (ENUM values) keep their quotes and case. */
  readonly args: readonly string[];
}

/** Splits `sql` into the pieces outside and inside single-quoted literals, quotes included in the latter. */
function segments(sql: string): { readonly text: string; readonly literal: boolean }[] {
  const parts: { text: string; literal: boolean }[] = [];
  let i = 0;
  while (i < sql.length) {
    const open = sql.indexOf("'", i);
    if (open === -1) {
      parts.push({ text: sql.slice(i), literal: false });
      break;
    }
    if (open > i) parts.push({ text: sql.slice(i, open), literal: false });
    let close = open + 1;
    // A doubled quote stands for one and does not end the literal.
    while (close < sql.length && (sql[close] !== "'" || sql[close + 1] === "'")) close += sql[close] === "'" ? 2 : 1;
    parts.push({ text: sql.slice(open, close + 1), literal: true });
    i = close + 1;
  }
  return parts;
}

/** Rewrites the SQL outside string literals, leaving the literals as they are. */
export function outsideLiterals(sql: string, rewrite: (text: string) => string): string {
  return segments(sql)
    .map((part) => (part.literal ? part.text : rewrite(part.text)))
    .join('');
}

/** Splits a comma-separated list at top-level commas outside literals. */
function splitArgs(list: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (const part of segments(list)) {
    if (part.literal) {
      current += part.text;
      continue;
    }
    for (const ch of part.text) {
      if (ch === '(') depth += 1;
      if (ch === ')') depth -= 1;
      if (ch === ',' && depth === 0) {
        args.push(current.trim());
        current = '';
      } else current += ch;
    }
  }
  if (current.trim() !== '') args.push(current.trim());
  return args;
}

/** Splits a type as DDL or the catalog spells it: `timestamp(3) with time zone`, `ENUM('a', 'b')`. */
export function parseTypeSpelling(sql: string): TypeSpelling {
  const parts = segments(sql.trim());
  let before = '';
  let inner = '';
  let after = '';
  let depth = 0;
  let seen = false;
  for (const part of parts) {
    for (const ch of part.literal ? [part.text] : part.text) {
      if (seen) after += ch;
      else if (ch === '(' && depth++ === 0) continue;
      else if (ch === ')' && --depth === 0) seen = true;
      else if (depth > 0) inner += ch;
      else before += ch;
    }
  }
  const name = `${before} ${after}`.trim().replace(/\s+/g, ' ').toUpperCase();
  return { name, args: seen ? splitArgs(inner) : [] };
}

/** Same name and arguments. */
export function sameSpelling(a: TypeSpelling, b: TypeSpelling): boolean {
  return a.name === b.name && a.args.length === b.args.length && a.args.every((arg, i) => arg === b.args[i]);
}

/**
 * The first step of canonical SQL: lower case, no identifier quotes (`"a"`, `` `a` ``), single spaces, all
 * outside string literals. Dialect rewrites (casts, function synonyms) run on this form.
 */
export function prepareSql(sql: string): string {
  // `!=` is how tsmig compiles ne(); PostgreSQL and MariaDB give a CHECK back with `<>`.
  return outsideLiterals(sql.trim(), (text) => text.toLowerCase().replace(/["`]/g, '').replace(/\s+/g, ' ').replace(/!=/g, '<>'));
}

/**
 * The last step: no spaces around punctuation and no grouping parentheses (those not after a name, which
 * call a function). Dropping grouping loses precedence, so `(a or b) and c` equals `a or b and c`: the
 * servers add and remove such parentheses freely, and a false "changed" is worse here than a missed one.
 */
export function finishSql(sql: string): string {
  let ungrouped = '';
  const stack: boolean[] = [];
  for (const part of segments(sql)) {
    if (part.literal) {
      ungrouped += part.text;
      continue;
    }
    for (const ch of part.text) {
      if (ch === '(') {
        const call = /[\w$]$/.test(ungrouped);
        stack.push(call);
        ungrouped += call ? ch : ' ';
      } else if (ch === ')') ungrouped += (stack.pop() ?? true) ? ch : ' ';
      else ungrouped += ch;
    }
  }
  return outsideLiterals(ungrouped, (text) => text.replace(/\s+/g, ' ').replace(/ ?([^\w\s.$]) ?/g, '$1')).trim();
}

/** A number in one spelling: `'1.50'`, `1.5` and `+1.500` all read `1.5`; anything else is returned as it is. */
export function canonicalNumber(sql: string): string {
  const match = /^'?([+-]?)(\d+)(?:\.(\d*))?'?$/.exec(sql);
  if (match === null || (sql.startsWith("'") !== sql.endsWith("'"))) return sql;
  const [, sign = '', whole = '', fraction = ''] = match;
  const digits = whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  const body = decimals === '' ? digits : `${digits}.${decimals}`;
  return sign === '-' && body !== '0' ? `-${body}` : body;
}
