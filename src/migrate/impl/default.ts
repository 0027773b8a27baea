/**
 * The comparison rules every dialect starts from. Types compare by the spelling this dialect's DDL gives
 * them (Alembic compares rendered types the same way), after a hook folds the spellings the database
 * treats as one type; defaults and expressions compare in a canonical text form after a rewrite hook.
 */
import type { TypeCompiler } from '../../dialects/base/type-compiler.js';
import type { DialectName } from '../../dialects/dialect.js';
import { getDialect } from '../../dialects/index.js';
import type { Column } from '../../schema/column.js';
import type { ReflectedColumn } from '../../schema/reflected.js';
import type { ColumnElement } from '../../sql/elements/column-element.js';
import { literal } from '../../sql/elements/conjunctions.js';
import type { TypeEngine } from '../../types/type-engine.js';
import type { DialectImpl, ReflectedFacts, ScratchDatabaseSql } from './impl.js';
import { canonicalNumber, finishSql, parseTypeSpelling, prepareSql, sameSpelling, type TypeSpelling } from './sql-text.js';

/** The rules shared by every dialect; a dialect's impl overrides the hooks at the end. */
export class DefaultImpl implements DialectImpl {
  readonly reflects: ReflectedFacts = {
    comments: true,
    primaryKeyName: true,
    deferrableForeignKeys: true,
    uniqueIndexesAsConstraints: false,
    indexOptions: [],
    implicitForeignKeyIndexes: false,
    identity: false,
    computedPersistedByDefault: false,
    indexNulls: false,
  };

  readonly scratchDatabase: ScratchDatabaseSql | null = null;
  readonly scriptPreamble: readonly string[] = [];

  constructor(
    readonly dialect: DialectName,
    /** This dialect's type compiler: the spelling a model type gets in DDL. */
    protected readonly types: TypeCompiler,
  ) {}

  typesEquivalent(model: TypeEngine, reflected: TypeEngine): boolean {
    const byEnum = this.enumsEquivalent(model.impl, reflected.impl);
    if (byEnum !== null) return byEnum;
    const [modelSql, reflectedSql] = [this.types.columnType(model), this.types.columnType(reflected)];
    // Parsing and folding are functions of the text alone, so one text is one type: that settles most
    // columns of a schema without splitting their spellings (a fifth of comparing 200 unchanged tables).
    if (modelSql === reflectedSql) return true;
    return sameSpelling(this.canonicalType(parseTypeSpelling(modelSql)), this.canonicalType(parseTypeSpelling(reflectedSql)));
  }

  columnTypesEquivalent(column: Column, reflected: ReflectedColumn): boolean {
    return this.typesEquivalent(column.type, reflected.type);
  }

  modelAutoincrement(column: Column): boolean {
    return column.autoincrement;
  }

  modelDefault(column: Column): string | null {
    const value = column.options.serverDefault;
    if (value === undefined) return null;
    // As the DDL compiler: a string is a literal value, an expression is SQL.
    return getDialect(this.dialect).compileInline(typeof value === 'string' ? literal(value) : value);
  }

  normalizeDefault(sql: string | null): string | null {
    if (sql === null) return null;
    const canonical = canonicalNumber(this.normalizeExpression(sql));
    return canonical === 'null' ? null : canonical;
  }

  renderExpression(expression: string | ColumnElement): string {
    return typeof expression === 'string' ? expression : getDialect(this.dialect).compileInline(expression);
  }

  normalizeExpression(sql: string): string {
    return finishSql(this.rewriteSql(prepareSql(sql)));
  }

  portableExpression(sql: string): string {
    return sql;
  }

  normalizeReferentialAction(action: string | null): string | null {
    const upper = action?.toUpperCase() ?? null;
    return upper === 'NO ACTION' ? null : upper;
  }

  castUsing(_column: string, _from: TypeEngine, _to: TypeEngine): string | null {
    return null;
  }

  foreignKeyNameAfterRename(name: string, _oldTable: string, _newTable: string): string {
    return name;
  }

  // ---- hooks ------------------------------------------------------------------------------

  /** The type as this dialect's DDL spells it, split into name and arguments. */
  protected spell(type: TypeEngine): TypeSpelling {
    return parseTypeSpelling(this.types.columnType(type));
  }

  /** One spelling for the names and arguments this database treats as the same type. */
  protected canonicalType(spelling: TypeSpelling): TypeSpelling {
    return spelling;
  }

  /** Enums that are types of their own compare by name and values here; null leaves it to the spelling. */
  protected enumsEquivalent(_model: TypeEngine, _reflected: TypeEngine): boolean | null {
    return null;
  }

  /**
   * Rewrites prepared SQL (lower case, no identifier quotes, single spaces) so that what the database
   * reports and what the model writes read the same: casts, function synonyms.
   */
  protected rewriteSql(sql: string): string {
    return sql;
  }
}
