/**
 * Reads what SQLite keeps only in the text of its DDL: constraint names, CHECK conditions, foreign key
 * deferrability and the expressions of index items. The pragmas report everything else, so this is a
 * small tokenizer plus a parser of just those clauses, not a full SQL grammar.
 * @internal
 */

/** One lexical token; `value` is an identifier or string with its quotes removed and escapes undone. */
export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'punct';
  readonly value: string;
  /** Offsets of the token in the source, for slicing expressions out as written. */
  readonly start: number;
  readonly end: number;
}

export interface ParsedUnique {
  readonly name: string | null;
  readonly columns: readonly string[];
}

export interface ParsedForeignKey {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly referredTable: string;
  /** Empty when the clause names only the table (`REFERENCES parent`). */
  readonly referredColumns: readonly string[];
  readonly deferrable: boolean;
  readonly initially: 'DEFERRED' | 'IMMEDIATE' | null;
}

export interface ParsedCheck {
  readonly name: string | null;
  readonly sqltext: string;
}

export interface ParsedTable {
  readonly primaryKeyName: string | null;
  /** Every UNIQUE written in the table, column-level ones included, in the order written. */
  readonly uniques: readonly ParsedUnique[];
  readonly foreignKeys: readonly ParsedForeignKey[];
  readonly checks: readonly ParsedCheck[];
  /** The expression of each generated column (`AS (...)`), by column name, as written. */
  readonly generated: ReadonlyMap<string, string>;
}

export interface ParsedIndex {
  /** The text of each indexed item as written, without ASC/DESC and without parentheses around it all. */
  readonly items: readonly string[];
  /** The condition of a partial index, or null. */
  readonly where: string | null;
}

const QUOTE_CLOSE: Readonly<Record<string, string>> = { '"': '"', '`': '`', '[': ']', "'": "'" };
const WORD_CHAR = /[\w$\u0080-\uffff]/;

/** Splits SQL into tokens, dropping white space and comments. Unterminated quotes run to the end. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? sql.length : eol + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (ch in QUOTE_CLOSE) {
      const close = QUOTE_CLOSE[ch]!;
      let value = '';
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === close && (close === ']' || sql[j + 1] !== close)) break;
        // A doubled quote stands for one; `]` has no escape.
        value += sql[j];
        j += sql[j] === close ? 2 : 1;
      }
      const end = Math.min(j + 1, sql.length);
      tokens.push({ kind: ch === "'" ? 'string' : 'quoted', value, start: i, end });
      i = end;
    } else if (WORD_CHAR.test(ch)) {
      let j = i + 1;
      while (j < sql.length && WORD_CHAR.test(sql[j]!)) j++;
      tokens.push({ kind: 'word', value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: 'punct', value: ch, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

const isWord = (token: Token | undefined, ...words: string[]): boolean =>
  token?.kind === 'word' && words.includes(token.value.toUpperCase());
const isPunct = (token: Token | undefined, ch: string): boolean => token?.kind === 'punct' && token.value === ch;

/** Words that begin a column constraint; a column's type name runs until one of them. */
const COLUMN_CONSTRAINT_START = [
  'CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS',
];
const TABLE_CONSTRAINT_START = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];

/** A cursor over the tokens of one clause, `[i, end)`. */
class Cursor {
  constructor(
    readonly sql: string,
    readonly tokens: readonly Token[],
    public i: number,
    readonly end: number,
  ) {}
  get done(): boolean {
    return this.i >= this.end;
  }
  peek(ahead = 0): Token | undefined {
    return this.i + ahead < this.end ? this.tokens[this.i + ahead] : undefined;
  }
  /** The identifier at the cursor (a bare word, a quoted name or a string used as a name). */
  name(): string {
    const token = this.peek();
    this.i++;
    return token?.value ?? '';
  }
  /** Index of the `)` matching the `(` at `open`, or `end` when it is missing. */
  closing(open: number): number {
    let depth = 0;
    for (let j = open; j < this.end; j++) {
      const token = this.tokens[j]!;
      if (isPunct(token, '(')) depth++;
      else if (isPunct(token, ')') && --depth === 0) return j;
    }
    return this.end;
  }
  /** Moves past the token at the cursor, or past the whole group when it is a `(`. */
  skip(): void {
    this.i = isPunct(this.peek(), '(') ? this.closing(this.i) + 1 : this.i + 1;
  }
  /** The source text between two token indexes (inclusive), as written. */
  text(from: number, to: number): string {
    return from > to ? '' : this.sql.slice(this.tokens[from]!.start, this.tokens[to]!.end);
  }
  /** The comma-separated items of the parenthesised group at the cursor, as token ranges; moves past it. */
  group(): [number, number][] {
    if (!isPunct(this.peek(), '(')) return [];
    const close = this.closing(this.i);
    const items: [number, number][] = [];
    let depth = 0;
    let start = this.i + 1;
    for (let j = this.i + 1; j < close; j++) {
      const token = this.tokens[j]!;
      if (isPunct(token, '(')) depth++;
      else if (isPunct(token, ')')) depth--;
      else if (depth === 0 && isPunct(token, ',')) {
        items.push([start, j - 1]);
        start = j + 1;
      }
    }
    if (start < close) items.push([start, close - 1]);
    this.i = close + 1;
    return items;
  }
  /** A list of column names in parentheses; each item's first token is the column (COLLATE/ASC follow it). */
  columnList(): string[] {
    return this.group().map(([from]) => this.tokens[from]!.value);
  }
}

interface TableAccumulator {
  primaryKeyName: string | null;
  uniques: ParsedUnique[];
  foreignKeys: ParsedForeignKey[];
  checks: ParsedCheck[];
  generated: Map<string, string>;
}

/** Parses the `CREATE TABLE` text SQLite keeps in `sqlite_schema.sql`. */
export function parseCreateTable(sql: string): ParsedTable {
  const out: TableAccumulator = { primaryKeyName: null, uniques: [], foreignKeys: [], checks: [], generated: new Map() };
  const tokens = tokenize(sql);
  // A virtual table's arguments belong to its module, not to SQL.
  if (isWord(tokens[1], 'VIRTUAL')) return out;
  const open = tokens.findIndex((token) => isPunct(token, '('));
  if (open === -1) return out;
  const body = new Cursor(sql, tokens, open, tokens.length);
  for (const [from, to] of body.group()) parseTableElement(new Cursor(sql, tokens, from, to + 1), out);
  return out;
}

/** One column definition or table constraint. */
function parseTableElement(c: Cursor, out: TableAccumulator): void {
  let column: string | null = null;
  let starts = TABLE_CONSTRAINT_START;
  if (!isWord(c.peek(), ...TABLE_CONSTRAINT_START)) {
    column = c.name();
    starts = COLUMN_CONSTRAINT_START;
    while (!c.done && !isWord(c.peek(), ...starts)) c.skip();
  }
  const own = column === null ? [] : [column];
  let name: string | null = null;
  while (!c.done) {
    const token = c.peek();
    if (isWord(token, 'CONSTRAINT')) {
      c.i++;
      name = c.name();
      continue;
    }
    if (isWord(token, 'PRIMARY')) {
      c.i += 2;
      if (isPunct(c.peek(), '(')) c.skip();
      out.primaryKeyName = name;
    } else if (isWord(token, 'UNIQUE')) {
      c.i++;
      out.uniques.push({ name, columns: isPunct(c.peek(), '(') ? c.columnList() : own });
    } else if (isWord(token, 'CHECK')) {
      c.i++;
      const open = c.i;
      const close = c.closing(open);
      out.checks.push({ name, sqltext: c.text(open + 1, close - 1) });
      c.i = close + 1;
    } else if (isWord(token, 'FOREIGN')) {
      c.i += 2;
      const columns = c.columnList();
      if (isWord(c.peek(), 'REFERENCES')) out.foreignKeys.push(parseReferences(c, name, columns));
    } else if (isWord(token, 'REFERENCES')) {
      out.foreignKeys.push(parseReferences(c, name, own));
    } else if (isWord(token, 'AS') && column !== null && isPunct(c.peek(1), '(')) {
      // `[GENERATED ALWAYS] AS (expr) [STORED | VIRTUAL]`: a generated column's expression.
      c.i++;
      const open = c.i;
      const close = c.closing(open);
      out.generated.set(column, c.text(open + 1, close - 1));
      c.i = close + 1;
    } else {
      c.i++;
    }
    name = null;
    // Whatever follows (ASC, ON CONFLICT ..., AUTOINCREMENT, a DEFAULT's value) up to the next constraint.
    while (!c.done && !isWord(c.peek(), ...starts)) c.skip();
  }
}

/** `REFERENCES t [(cols)] [ON DELETE|UPDATE action | MATCH m]... [[NOT] DEFERRABLE [INITIALLY x]]`. */
function parseReferences(c: Cursor, name: string | null, columns: readonly string[]): ParsedForeignKey {
  c.i++;
  const referredTable = c.name();
  const referredColumns = isPunct(c.peek(), '(') ? c.columnList() : [];
  let deferrable = false;
  let initially: ParsedForeignKey['initially'] = null;
  for (;;) {
    if (isWord(c.peek(), 'ON')) {
      // ON DELETE|UPDATE, then SET NULL / SET DEFAULT / NO ACTION or one word (CASCADE, RESTRICT).
      c.i += isWord(c.peek(2), 'SET', 'NO') ? 4 : 3;
    } else if (isWord(c.peek(), 'MATCH')) {
      c.i += 2;
    } else if (isWord(c.peek(), 'NOT') && isWord(c.peek(1), 'DEFERRABLE')) {
      c.i += 2;
      deferrable = false;
    } else if (isWord(c.peek(), 'DEFERRABLE')) {
      c.i++;
      deferrable = true;
    } else if (isWord(c.peek(), 'INITIALLY')) {
      const mode = c.peek(1)?.value.toUpperCase();
      c.i += 2;
      if (mode === 'DEFERRED' || mode === 'IMMEDIATE') initially = mode;
    } else {
      break;
    }
  }
  return { name, columns, referredTable, referredColumns, deferrable, initially };
}

/** Parses the `CREATE INDEX` text SQLite keeps in `sqlite_schema.sql`. */
export function parseCreateIndex(sql: string): ParsedIndex {
  const tokens = tokenize(sql);
  const on = tokens.findIndex((token) => isWord(token, 'ON'));
  const open = tokens.findIndex((token, i) => i > on && isPunct(token, '('));
  if (on === -1 || open === -1) return { items: [], where: null };
  const c = new Cursor(sql, tokens, open, tokens.length);
  const items = c.group().map(([from, to]) => {
    if (to > from && isWord(tokens[to], 'ASC', 'DESC')) to--;
    // tsmig writes expression items in parentheses; report the expression itself, as PostgreSQL does.
    if (isPunct(tokens[from], '(') && c.closing(from) === to) {
      from++;
      to--;
    }
    return c.text(from, to);
  });
  const where = isWord(c.peek(), 'WHERE') ? c.text(c.i + 1, tokens.length - 1) : null;
  return { items, where };
}

/** A declared column type split into its name (upper case, single-spaced) and numeric arguments. */
export interface DeclaredType {
  readonly name: string;
  readonly args: readonly number[];
}

/**
 * Splits a declared type such as `VARCHAR ( 50 )` or `numeric(10,  2)`; null when the arguments are not
 * numbers (SQLite accepts almost anything there).
 */
export function parseDeclaredType(declared: string): DeclaredType | null {
  const match = /^\s*([^(]*?)\s*(?:\(([^)]*)\)\s*)?$/.exec(declared);
  if (match === null) return null;
  const name = match[1]!.toUpperCase().split(/\s+/).filter(Boolean).join(' ');
  const args = match[2] === undefined ? [] : match[2].split(',').map((arg) => (arg.trim() === '' ? NaN : Number(arg)));
  if (args.some((arg) => !Number.isFinite(arg))) return null;
  return { name, args };
}
