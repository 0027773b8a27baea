/**
 * The pieces every renderer writes with: string literals, names (`op.f('...')` for conventional ones),
 * types (`t.` + the type's own `toString()`), server defaults and expressions, option objects, and the
 * record of what the revision must import from tsmig.
 */
import type { DialectName } from '../../../dialects/dialect.js';
import { getDialect } from '../../../dialects/index.js';
import { ConventionalName, type NameArg } from '../../../schema/constraints.js';
import { BindParameter, ColumnElement, Keyword } from '../../../sql/elements/column-element.js';
import { FunctionCall } from '../../../sql/elements/functions.js';
import { LiteralColumn } from '../../../sql/elements/text.js';
import type { TypeEngine } from '../../../types/type-engine.js';
import { tsString } from '../../../util/ts-literal.js';

/** What a revision may import from 'tsmig' besides `op` (which the template imports). */
export type ImportName =
  | 'column'
  | 't'
  | 'foreignKey'
  | 'literalColumn'
  | 'index'
  | 'PrimaryKeyConstraint'
  | 'UniqueConstraint'
  | 'ForeignKeyConstraint'
  | 'CheckConstraint'
  | 'MetaData'
  | 'Sequence'
  | 'Table'
  | 'func'
  | 'literal'
  | 'true_'
  | 'false_'
  | 'null_'
  | 'DeclarativeBase'
  | 'mapped'
  | 'relationship'
  | 'type InstrumentedList';

/** The state of one rendering: the dialect expressions are written for, and the imports used so far. */
export class RenderContext {
  readonly #imports: Set<ImportName>;

  /**
   * @param inBatch inside `op.batchAlterTable()`'s callback, where table operations are `batch.*` calls
   *   without the table and schema (the batch names them)
   */
  constructor(
    readonly dialect: DialectName,
    readonly inBatch: boolean = false,
    imports: Set<ImportName> = new Set(),
  ) {
    this.#imports = imports;
  }

  /** The context of a batch's operations: the same imports. */
  forBatch(): RenderContext {
    return new RenderContext(this.dialect, true, this.#imports);
  }

  /** A table operation's `schema` option (or another key naming it): left out inside a batch. */
  schemaEntry(schema: string | null, key = 'schema'): readonly [string, string | undefined] {
    return [key, schema === null || this.inBatch ? undefined : str(schema)];
  }

  /** Notes that the source uses `name`, and returns it. */
  use(name: ImportName): string {
    this.#imports.add(name);
    return name;
  }

  /** `import { column, t } from 'tsmig';`, or nothing when the operations need only `op`. */
  importLines(): string[] {
    if (this.#imports.size === 0) return [];
    const sortKey = (n: string) => n.replace(/^type /, '').toLowerCase();
    const names = [...this.#imports].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    return [`import { ${names.join(', ')} } from 'tsmig';`];
  }

  /** `t.String(50)`: what follows `t.` is the type's own `toString()`. */
  type(type: TypeEngine): string {
    return `${this.use('t')}.${type.toString()}`;
  }

  /**
   * A server default as the model says it, so the revision runs on every dialect: a string is a literal
   * value, `func.now()`, `true_()` and `literal(3)` stay themselves, and only SQL text (or an expression
   * with no portable spelling here) becomes `literalColumn('...')`.
   */
  serverDefault(value: string | ColumnElement | null): string {
    if (value === null) return 'null';
    if (typeof value === 'string') return str(value);
    return this.portable(value) ?? this.expression(value);
  }

  /** The TypeScript that builds `value` on any dialect, or null when there is none short of SQL text. */
  portable(value: ColumnElement): string | null {
    if (value instanceof LiteralColumn) return `${this.use('literalColumn')}(${str(value.text)})`;
    if (value instanceof Keyword) return `${this.use(`${value.keyword}_`)}()`;
    if (value instanceof BindParameter && !value.named) {
      const v = value.value;
      if (typeof v === 'string') return `${this.use('literal')}(${str(v)})`;
      if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return `${this.use('literal')}(${String(v)})`;
      return null;
    }
    if (value instanceof FunctionCall && /^[A-Za-z_$][\w$]*$/.test(value.name)) {
      const args = value.args.map((a) => this.portable(a));
      if (args.some((a) => a === null)) return null;
      return `${this.use('func')}.${value.name}(${args.join(', ')})`;
    }
    return null;
  }

  /** An SQL expression as `literalColumn('...')`, in this dialect's spelling. */
  expression(value: ColumnElement): string {
    const sql = value instanceof LiteralColumn ? value.text : getDialect(this.dialect).compileInline(value);
    return `${this.use('literalColumn')}(${str(sql)})`;
  }

  /** An index item: a column name, or an expression. */
  item(value: string | ColumnElement): string {
    return typeof value === 'string' ? str(value) : this.expression(value);
  }
}

/** A TypeScript string literal in single quotes. */
export function str(value: string): string {
  return tsString(value);
}

/** A constraint or index name: `op.f('...')` when the naming convention made it, `null` for none. */
export function name(value: NameArg | null): string {
  if (value === null) return 'null';
  return value instanceof ConventionalName ? `op.f(${str(value.name)})` : str(value);
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function key(value: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(value) ? value : str(value);
}

/** A member access on the constraints callback's columns: `c.title`, or `c['release date']`. */
export function member(object: string, value: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(value) ? `${object}.${value}` : `${object}[${str(value)}]`;
}

/** `['a', 'b']`. */
export function strings(values: readonly string[]): string {
  return `[${values.map(str).join(', ')}]`;
}

/** `{ a: 1, b: 'x' }` from rendered entries, leaving out undefined ones; null when nothing is left. */
export function object(entries: readonly (readonly [string, string | undefined])[]): string | null {
  const kept = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  if (kept.length === 0) return null;
  return `{ ${kept.map(([k, v]) => `${key(k)}: ${v}`).join(', ')} }`;
}

/** As {@link object}, one entry per line. */
export function objectLines(entries: readonly (readonly [string, string | undefined])[]): string | null {
  const kept = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  if (kept.length === 0) return null;
  return `{\n${indent(kept.map(([k, v]) => `${key(k)}: ${v},`).join('\n'))}\n}`;
}

/** `await op.name(a, b, c);`, wrapped one argument per line when it would be long. */
export function call(fn: string, args: readonly (string | null)[], prefix = 'await '): string {
  const present = args.filter((a): a is string => a !== null);
  const flat = `${prefix}${fn}(${present.join(', ')});`;
  if (flat.length <= 120 && !present.some((a) => a.includes('\n'))) return flat;
  return `${prefix}${fn}(\n${present.map((a) => `${indent(a)},`).join('\n')}\n);`;
}

/**
 * A table operation: `await op.name(...)` with the table at `tableIndex` among the arguments, or inside
 * a batch `batch.name(...)` without it (the batch's methods record and return nothing to await).
 */
export function tableCall(r: RenderContext, fn: string, args: readonly (string | null)[], tableIndex: number): string {
  if (!r.inBatch) return call(`op.${fn}`, args);
  return call(`batch.${fn}`, args.filter((_, i) => i !== tableIndex), '');
}

/** Indents every line of `text` by two spaces. */
export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}

/** True for a column expression object (as opposed to a column name). */
export function isExpression(value: unknown): value is ColumnElement {
  return value instanceof ColumnElement;
}
