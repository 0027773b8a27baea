/** PostgreSQL's spelling: numbered `$n` parameters, native ILIKE, bytea hex literals. */
import type { BindParameter } from '../../sql/elements/column-element.js';
import { NULLTYPE, type TypeEngine } from '../../types/type-engine.js';
import type { CompileState } from '../base/compile-state.js';
import { reservedWords } from '../base/identifiers.js';
import { renderLiteral } from '../base/literals.js';
import { SqlCompiler } from '../base/sql-compiler.js';

const RESERVED = reservedWords('binary collation concurrently freeze ilike isnull notnull overlaps similar verbose');

const TYPED_PLACEHOLDERS: Partial<Record<string, string>> = { Boolean: 'BOOLEAN', LargeBinary: 'BYTEA' };

export class PostgresqlSqlCompiler extends SqlCompiler {
  protected readonly quoteChar = '"';
  protected readonly reserved = RESERVED;

  protected placeholder(_name: string, position: number): string {
    return `$${position}`;
  }
  /** Boolean and binary values sent where nothing else tells the server their type (`SELECT $1`). */
  protected override typedPlaceholder(placeholder: string, type: TypeEngine): string {
    const cast = TYPED_PLACEHOLDERS[type.impl.typeName];
    return cast === undefined ? placeholder : `${placeholder}::${cast}`;
  }
  /** One array parameter for the whole list; the server types it from the column (`integer[]`, `text[]`, ...). */
  protected override expandingIn(left: string, negate: boolean, list: BindParameter, state: CompileState): string {
    const values = this.listAsOne(list, state, false);
    if (values === null) return super.expandingIn(left, negate, list, state);
    const placeholder = this.bindValue(null, values, NULLTYPE, false, state);
    return negate ? `${left} <> ALL (${placeholder})` : `${left} = ANY (${placeholder})`;
  }
  protected override fractionalModulo(left: string, right: string): string {
    return `mod(CAST(${left} AS NUMERIC), CAST(${right} AS NUMERIC))`;
  }
  protected override ilike(left: string, pattern: string, negate: boolean): string {
    return `${left} ${negate ? 'NOT ILIKE' : 'ILIKE'} ${pattern}`;
  }
  protected override literal(value: unknown): string {
    return renderLiteral(value, { strings: 'no-nul', binary: (hex) => `'\\x${hex}'::bytea` });
  }
}
