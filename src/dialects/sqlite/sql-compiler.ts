/** SQLite's spelling: `?` parameters, 1/0 booleans, `IS`/`IS NOT` for null-safe comparison. */
import type { BinaryOperator, BindParameter } from '../../sql/elements/column-element.js';
import { NULLTYPE } from '../../types/type-engine.js';
import { reservedWords } from '../base/identifiers.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { CompileState } from '../base/compile-state.js';
import { SqlCompiler } from '../base/sql-compiler.js';

const RESERVED = reservedWords(`abort action add after attach autoincrement before begin cascade commit conflict
  database detach each exclusive explain fail glob if ignore immediate indexed instead match no of plan pragma
  query raise recursive regexp reindex release rename replace restrict rollback row savepoint temp temporary
  transaction trigger vacuum view virtual escape nothing`);

const INTEGER_TYPES: ReadonlySet<string> = new Set(['Integer', 'SmallInteger', 'BigInteger']);

/**
 * The JSON text of a non-empty list of an integer type holding only safe integers: the text that
 * adapting each to a bigint and printing it gives, written at once (the bigints and their printing
 * were most of compiling a selectin load's statement).
 */
function integerListJson(list: BindParameter): string | null {
  const values = list.value as readonly unknown[];
  if (!INTEGER_TYPES.has(list.type.typeName) || values.length === 0) return null;
  for (let i = 0; i < values.length; i++) if (!Number.isSafeInteger(values[i])) return null;
  return JSON.stringify(values);
}

export class SqliteSqlCompiler extends SqlCompiler {
  protected readonly quoteChar = '"';
  protected readonly reserved = RESERVED;

  protected placeholder(): string {
    return '?';
  }
  protected override booleanLiteral(value: boolean): string {
    return value ? '1' : '0';
  }
  /** SQLite needs a LIMIT before an OFFSET; -1 means no limit. */
  protected override limitClause(limit: string | null, offset: string | null): string {
    return super.limitClause(limit ?? (offset === null ? null : '-1'), offset);
  }
  protected override binaryOperator(operator: BinaryOperator, left: string, right: string): string {
    if (operator === 'isDistinctFrom') return `${left} IS NOT ${right}`;
    if (operator === 'isNotDistinctFrom') return `${left} IS ${right}`;
    return super.binaryOperator(operator, left, right);
  }
  /**
   * The whole list as one JSON text parameter, read back as rows by json_each(): integers (bound as
   * bigints, see type-adapters) come back INTEGER, as JSON integers; text comes back TEXT.
   */
  protected override expandingIn(left: string, negate: boolean, list: BindParameter, state: CompileState): string {
    let json = state.literalBinds ? null : integerListJson(list);
    if (json === null) {
      const values = this.listAsOne(list, state, true);
      if (values === null) return super.expandingIn(left, negate, list, state);
      json = `[${values.map((value) => (typeof value === 'string' ? JSON.stringify(value) : String(value))).join(',')}]`;
    }
    const placeholder = this.bindValue(null, json, NULLTYPE, false, state);
    return `${left} ${negate ? 'NOT IN' : 'IN'} (SELECT value FROM json_each(${placeholder}))`;
  }
  /** SQLite's `%` works on integers; its math function mod() keeps the fraction. */
  protected override fractionalModulo(left: string, right: string): string {
    return `mod(${left}, ${right})`;
  }
  /** SQLite allows no parentheses around a compound member, only a subquery. */
  protected override compoundMember(sql: string): string {
    return `SELECT * FROM (${sql})`;
  }
  protected override trueDivision(left: string, right: ColumnElement, state: CompileState): string {
    return `${left} / CAST(${this.process(right, state)} AS REAL)`;
  }
  protected override functionCall(name: string, args: readonly string[]): string {
    // SQLite has no now(); CURRENT_TIMESTAMP is the UTC time as text.
    if (name === 'now' && args.length === 0) return 'CURRENT_TIMESTAMP';
    return super.functionCall(name, args);
  }
}
