/**
 * Literal SQL with `:name` parameters, as SQLAlchemy's `text()`. The text is the user's; values still
 * travel as bound parameters, never spliced into it.
 */
import { ArgumentError } from '../../errors.js';
import { NULLTYPE, TypeEngine } from '../../types/type-engine.js';
import type { Row } from '../row.js';
import { ColumnElement } from './column-element.js';
import { ClauseElement } from './element.js';

/** One piece of a parsed text: literal SQL, or a parameter reference. */
export type TextPart = { readonly sql: string } | { readonly param: string };

/**
 * `:name` not preceded by a word character, a colon or a backslash and not followed by a colon, so
 * PostgreSQL's `::type` casts and `\:` escapes are left alone (the rule SQLAlchemy uses).
 */
const PARAM = /(?<![:\w\\]):(\w+)(?!:)/g;

/**
 * What `text(sql)` returns: a statement or fragment of literal SQL, executed by itself or used as a WHERE
 * criterion (`select(movies).where(text('year > :y'))`). `R` is the row type, known once `.columns()` declares the result's types.
 */
export class TextClause<R = Row> extends ClauseElement {
  readonly kind = 'TextClause';
  /** @internal phantom carrier of the row type given by `.columns()`. */
  declare readonly __row: R;
  readonly parts: readonly TextPart[];

  constructor(
    readonly text: string,
    /** Values fixed with `.bindparams()`; others are supplied at execution. */
    readonly values: Readonly<Record<string, unknown>> = {},
    /** Types of the result columns, when declared with `.columns()`. */
    readonly columnTypes: Readonly<Record<string, TypeEngine>> | null = null,
  ) {
    super();
    const parts: TextPart[] = [];
    let last = 0;
    for (const match of text.matchAll(PARAM)) {
      parts.push({ sql: text.slice(last, match.index).replace(/\\:/g, ':') }, { param: match[1]! });
      last = match.index + match[0].length;
    }
    parts.push({ sql: text.slice(last).replace(/\\:/g, ':') });
    this.parts = parts;
  }

  /** Fixes parameter values: `text('... WHERE id = :id').bindparams({ id: 5 })`. */
  bindparams(values: Record<string, unknown>): TextClause<R> {
    return new TextClause<R>(this.text, { ...this.values, ...values }, this.columnTypes);
  }

  /**
   * Declares the result columns' types so values are converted (booleans, dates, JSON) and rows typed.
   *
   * @example
   * text('SELECT id, title FROM movies').columns({ id: t.Integer(), title: t.String() })
   */
  columns<C extends Record<string, TypeEngine>>(types: C): TextClause<Row<unknown[], { [K in keyof C]: C[K]['__value'] }>> {
    // SQLAlchemy's `columns(users.c.id, users.c.name)` passes column objects; here it is a record of types.
    const typesOnly = typeof types === 'object' && types !== null && !(types instanceof ClauseElement) && Object.values(types).every((v) => v instanceof TypeEngine);
    if (!typesOnly) {
      throw new ArgumentError(
        "text().columns() takes a record of column types, e.g. text(sql).columns({ id: t.Integer(), name: t.String() }); column objects as arguments (columns(users.c.id)) are SQLAlchemy's spelling",
      );
    }
    return new TextClause(this.text, this.values, types);
  }
}

/** Literal SQL with `:name` bind parameters. */
export function text(sql: string): TextClause {
  return new TextClause(sql);
}

/** A piece of SQL used as a column expression, verbatim: a server default, a reflected index expression. */
export class LiteralColumn<T = unknown> extends ColumnElement<T> {
  readonly kind = 'LiteralColumn';
  constructor(
    readonly text: string,
    readonly type: TypeEngine = NULLTYPE,
  ) {
    super();
  }
}

/**
 * SQL text as an expression, as SQLAlchemy's `literal_column()`: `serverDefault: literalColumn('CURRENT_TIMESTAMP')`.
 * The text is used as written; never build it from user input.
 */
export function literalColumn<T = unknown>(sql: string, type?: TypeEngine<T>): LiteralColumn<T> {
  return new LiteralColumn<T>(sql, type);
}
