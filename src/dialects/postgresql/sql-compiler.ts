/** PostgreSQL's spelling: numbered `$n` parameters, native ILIKE, bytea hex literals. */
import { reservedWords } from '../base/identifiers.js';
import { renderLiteral } from '../base/literals.js';
import { SqlCompiler } from '../base/sql-compiler.js';

const RESERVED = reservedWords('binary collation concurrently freeze ilike isnull notnull overlaps similar verbose');

export class PostgresqlSqlCompiler extends SqlCompiler {
  protected readonly quoteChar = '"';
  protected readonly reserved = RESERVED;

  protected placeholder(_name: string, position: number): string {
    return `$${position}`;
  }
  protected override ilike(left: string, pattern: string, negate: boolean): string {
    return `${left} ${negate ? 'NOT ILIKE' : 'ILIKE'} ${pattern}`;
  }
  protected override literal(value: unknown): string {
    return renderLiteral(value, { backslashEscapes: false, binary: (hex) => `'\\x${hex}'::bytea` });
  }
}
