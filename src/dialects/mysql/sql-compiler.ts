/**
 * MySQL and MariaDB's spelling: backquotes, `?` parameters, `concat()` (in MySQL `||` means OR),
 * `<=>` for null-safe comparison, and NULLS FIRST/LAST emulated with an `IS NULL` sort key.
 */
import type { BinaryOperator } from '../../sql/elements/column-element.js';
import { reservedWords } from '../base/identifiers.js';
import { type LiteralStyle, renderLiteral } from '../base/literals.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import type { CompileState } from '../base/compile-state.js';
import { SqlCompiler } from '../base/sql-compiler.js';

const RESERVED = reservedWords(`accessible add bigint blob call cascade change char character condition continue
  convert cursor database databases dec decimal declare delayed describe distinctrow div double dual each
  elseif enclosed escaped exit explain float float4 float8 force fulltext function generated groups high_priority
  if ignore infile inout int integer interval iterate keys kill lag lead leave linear lines load lock long
  loop low_priority match mediumint mod modifies optimize option outfile over precision procedure purge range
  rank read reads real regexp release rename repeat replace require restrict return revoke rlike row rows
  schema schemas separator show signal smallint spatial sql ssl starting straight_join terminated tinyint
  trigger undo unlock unsigned usage use utc_date varchar while write xor year_month zerofill partition numeric
  before recursive row_number system of empty cube grouping varying out specific sensitive cume_dist dense_rank
  first_value json_table last_value lateral nth_value ntile percent_rank window`);

/** MySQL string literals treat `\` as an escape unless NO_BACKSLASH_ESCAPES is set, so it is doubled. */
export const MYSQL_LITERALS: LiteralStyle = { strings: 'backslash', binary: (hex) => `X'${hex}'` };

/** The largest LIMIT MySQL accepts: how its manual says to write "no limit" before an OFFSET. */
const NO_LIMIT = '18446744073709551615';

export class MysqlSqlCompiler extends SqlCompiler {
  protected readonly quoteChar = '`';
  protected readonly reserved = RESERVED;
  protected override readonly groupInsideConcat = false;

  protected placeholder(): string {
    return '?';
  }
  protected override limitClause(limit: string | null, offset: string | null): string {
    return super.limitClause(limit ?? (offset === null ? null : NO_LIMIT), offset);
  }
  protected override binaryOperator(operator: BinaryOperator, left: string, right: string): string {
    if (operator === 'concat') return `concat(${left}, ${right})`;
    if (operator === 'floorDiv') return `${left} DIV ${right}`;
    if (operator === 'isNotDistinctFrom') return `${left} <=> ${right}`;
    if (operator === 'isDistinctFrom') return `NOT (${left} <=> ${right})`;
    return super.binaryOperator(operator, left, right);
  }
  /** MySQL's `/` never truncates. */
  protected override trueDivision(left: string, right: ColumnElement, state: CompileState): string {
    return `${left} / ${this.operand(right, 8, true, state)}`;
  }
  protected override nullsOrdering(expr: string, direction: string, nulls: 'first' | 'last'): string {
    return `${expr} IS NULL${nulls === 'first' ? ' DESC' : ''}, ${expr}${direction}`;
  }
  protected override functionCall(name: string, args: readonly string[]): string {
    // MySQL's length() counts bytes; char_length() counts characters like the other databases.
    return super.functionCall(name === 'length' ? 'char_length' : name, args);
  }
  protected override emptyInsert(table: string): string {
    return `INSERT INTO ${table} () VALUES ()`;
  }
  protected override literal(value: unknown): string {
    return renderLiteral(value, MYSQL_LITERALS);
  }
}
