/**
 * The default SQL compiler. It renders every element kind; each dialect subclass overrides small hooks
 * (quoting, placeholders, boolean literals, LIMIT, ILIKE, concatenation, NULLS ordering, RETURNING)
 * rather than whole statements. Values always become bind slots unless literal binds are asked for.
 */
import { CompileError } from '../../errors.js';
import type {
  BetweenExpression,
  BinaryExpression,
  BinaryOperator,
  BindParameter,
  ClauseList,
  ColumnElement,
  InExpression,
  Keyword,
  Label,
  LikeExpression,
  OrderByExpression,
  UnaryExpression,
} from '../../sql/elements/column-element.js';
import type { Case } from '../../sql/elements/case.js';
import type { Cast } from '../../sql/elements/cast.js';
import type { ClauseElement, ElementKind } from '../../sql/elements/element.js';
import type { FunctionCall } from '../../sql/elements/functions.js';
import type { LiteralColumn, TextClause } from '../../sql/elements/text.js';
import type {
  DerivedColumn,
  Exists,
  FromClause,
  Join,
  ScalarSubquery,
  Subquery,
  SubqueryTarget,
} from '../../sql/selectable.js';
import type { Assignment } from '../../sql/statements/dml.js';
import type { Insert } from '../../sql/statements/insert.js';
import { type CompoundSelect, type Select, type SelectItem, expandItem } from '../../sql/statements/select.js';
import type { Delete } from '../../sql/statements/delete.js';
import type { Update } from '../../sql/statements/update.js';
import type { Tuple } from '../../sql/elements/tuple.js';
import type { ColumnClause, TableAlias, TableClause } from '../../sql/table-clause.js';
import { NULLTYPE, type TypeEngine } from '../../types/type-engine.js';
import type { CompiledSql, ResultColumn } from '../compiled.js';
import type { Capabilities, ValueAdapter } from '../dialect.js';
import { resultNames } from '../../sql/result-names.js';
import { CompileState } from './compile-state.js';
import { quoteIdentifier } from './identifiers.js';
import { renderLiteral } from './literals.js';
import type { TypeCompiler } from './type-compiler.js';

/** Every element class, so each handler receives its exact type. */
type AnyElement =
  | BindParameter
  | BinaryExpression
  | ClauseList
  | UnaryExpression
  | OrderByExpression
  | LikeExpression
  | InExpression
  | BetweenExpression
  | Label
  | Keyword<unknown>
  | FunctionCall
  | Cast
  | Case
  | TextClause<unknown>
  | LiteralColumn
  | ColumnClause
  | DerivedColumn
  | ScalarSubquery
  | Exists
  | TableClause
  | TableAlias
  | Subquery
  | Join
  | Select
  | CompoundSelect
  | Insert
  | Update
  | Delete
  | Tuple;

type Handlers = { [K in ElementKind]: (element: Extract<AnyElement, { kind: K }>, state: CompileState) => string };

const OPERATORS: Record<BinaryOperator, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  is: 'IS',
  isNot: 'IS NOT',
  isDistinctFrom: 'IS DISTINCT FROM',
  isNotDistinctFrom: 'IS NOT DISTINCT FROM',
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  floorDiv: '/',
  mod: '%',
  concat: '||',
};

/** Binding strength, as in SQLAlchemy's operator precedence table; atoms bind tightest. */
const PRECEDENCE: Record<BinaryOperator | 'and' | 'or' | 'not' | 'neg' | 'predicate', number> = {
  mul: 8,
  div: 8,
  floorDiv: 8,
  mod: 8,
  add: 7,
  sub: 7,
  concat: 6,
  eq: 5,
  ne: 5,
  lt: 5,
  le: 5,
  gt: 5,
  ge: 5,
  is: 5,
  isNot: 5,
  isDistinctFrom: 5,
  isNotDistinctFrom: 5,
  predicate: 5,
  not: 4,
  and: 3,
  or: 2,
  neg: 9,
};
const ATOM = 100;
const ASSOCIATIVE = new Set<BinaryOperator>(['add', 'mul', 'concat']);
/** Comparisons do not chain: `(a > b) = c` keeps its parentheses on both sides. */
const COMPARISON = new Set<BinaryOperator>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'is', 'isNot', 'isDistinctFrom', 'isNotDistinctFrom']);

export abstract class SqlCompiler {
  protected abstract readonly quoteChar: string;
  protected abstract readonly reserved: ReadonlySet<string>;

  constructor(
    protected readonly capabilities: Capabilities,
    protected readonly values: ValueAdapter,
    protected readonly types: TypeCompiler,
  ) {}

  readonly #handlers: Handlers = {
    BindParameter: (e, s) => this.bindParameter(e, s),
    BinaryExpression: (e, s) => this.binary(e, s),
    ClauseList: (e, s) => {
      const p = PRECEDENCE[e.operator];
      return e.clauses.map((c) => this.operand(c, p, false, s)).join(e.operator === 'and' ? ' AND ' : ' OR ');
    },
    UnaryExpression: (e, s) => {
      if (e.operator === 'distinct') return `DISTINCT ${this.process(e.element, s)}`;
      if (e.operator === 'neg') {
        const operand = this.operand(e.element, PRECEDENCE.neg, false, s);
        // `--x` would start a comment.
        return operand.startsWith('-') ? `-(${operand})` : `-${operand}`;
      }
      return `NOT ${this.operand(e.element, PRECEDENCE.not, false, s)}`;
    },
    OrderByExpression: (e, s) => this.orderByItem(e, s),
    LikeExpression: (e, s) => this.like(e, s),
    InExpression: (e, s) => this.inExpression(e, s),
    Tuple: (e, s) => `(${e.elements.map((element) => this.process(element, s)).join(', ')})`,
    BetweenExpression: (e, s) => {
      const p = PRECEDENCE.predicate;
      const operator = e.negate ? 'NOT BETWEEN' : 'BETWEEN';
      return `${this.operand(e.element, p, false, s)} ${operator} ${this.operand(e.lower, p, true, s)} AND ${this.operand(e.upper, p, true, s)}`;
    },
    Label: (e, s) => this.process(e.element, s),
    Keyword: (e) => (e.keyword === 'null' ? 'NULL' : this.booleanLiteral(e.keyword === 'true')),
    FunctionCall: (e, s) => this.functionCall(e.name, e.args.map((a) => this.process(a, s))),
    Cast: (e, s) => `CAST(${this.process(e.element, s)} AS ${this.types.castTarget(e.type)})`,
    Case: (e, s) => {
      const whens = e.whens.map(([c, r]) => ` WHEN ${this.process(c, s)} THEN ${this.process(r, s)}`).join('');
      const otherwise = e.else_ === null ? '' : ` ELSE ${this.process(e.else_, s)}`;
      return `CASE${whens}${otherwise} END`;
    },
    TextClause: (e, s) => this.textClause(e, s),
    LiteralColumn: (e) => e.text,
    Column: (e, s) => (s.qualifyColumns ? `${this.tableName(e.table)}.${this.quote(e.name)}` : this.quote(e.name)),
    DerivedColumn: (e, s) => `${this.fromName(e.from, s)}.${this.quote(e.sqlName)}`,
    ScalarSubquery: (e, s) => `(${this.nested(e.element, s, true)})`,
    Exists: (e, s) => `EXISTS (${this.nested(e.element, s, true)})`,
    Table: (e) => this.tableName(e),
    TableAlias: (e, s) => `${this.tableName(e.table)} AS ${this.fromName(e, s)}`,
    Subquery: (e, s) => `(${this.nested(e.element, s, false)}) AS ${this.fromName(e, s)}`,
    Join: (e, s) => this.join(e, s),
    Select: (e, s) => this.select(e, s),
    CompoundSelect: (e, s) => this.compoundSelect(e, s),
    Insert: (e, s) => this.insert(e, s),
    Update: (e, s) => this.update(e, s),
    Delete: (e, s) => this.delete(e, s),
  };

  /** Compiles a statement or expression. */
  compile(element: ClauseElement, literalBinds = false): CompiledSql {
    const state = new CompileState(literalBinds);
    const sql = this.process(element, state);
    const columns = this.resultColumns(element, state);
    const returnsRows = columns !== null ? columns.length > 0 : element.kind === 'TextClause';
    return { sql, binds: state.binds, columns, returnsRows };
  }

  /** Renders one element. */
  process(element: ClauseElement, state: CompileState): string {
    const handler = this.#handlers[element.kind] as (e: ClauseElement, s: CompileState) => string;
    return handler(element, state);
  }

  quote(name: string): string {
    return quoteIdentifier(name, this.quoteChar, this.reserved);
  }

  /** An expression as literal SQL with bare column names, as DDL needs (defaults, CHECK, index expressions). */
  inline(element: ClauseElement): string {
    const state = new CompileState(true);
    state.qualifyColumns = false;
    return this.process(element, state);
  }

  /** A JS value as a SQL literal of this dialect. */
  literalValue(value: unknown): string {
    return this.literal(value);
  }

  // ---- hooks a dialect overrides -------------------------------------------------------------

  /** Whether arithmetic operands of a concatenation need parentheses (not inside MySQL's concat()). */
  protected readonly groupInsideConcat: boolean = true;

  /** The parameter marker for the slot just added (`?`, `$3`, `:title_1`). */
  protected abstract placeholder(name: string, position: number): string;

  protected booleanLiteral(value: boolean): string {
    return value ? 'true' : 'false';
  }

  /** `LIMIT ... OFFSET ...`; each count is already rendered (a placeholder or a literal). */
  protected limitClause(limit: string | null, offset: string | null): string {
    let sql = '';
    if (limit !== null) sql += ` LIMIT ${limit}`;
    if (offset !== null) sql += ` OFFSET ${offset}`;
    return sql;
  }

  protected binaryOperator(operator: BinaryOperator, left: string, right: string): string {
    return `${left} ${OPERATORS[operator]} ${right}`;
  }

  /** Case-insensitive LIKE without ILIKE: lower() both sides. */
  protected ilike(left: string, pattern: string, negate: boolean): string {
    return `lower(${left}) ${negate ? 'NOT LIKE' : 'LIKE'} lower(${pattern})`;
  }

  /** `NULLS FIRST/LAST` where supported; dialects without it emulate with an IS NULL sort key. */
  protected nullsOrdering(expr: string, direction: string, nulls: 'first' | 'last'): string {
    return `${expr}${direction} NULLS ${nulls.toUpperCase()}`;
  }

  /** Renders `name(args)`; a dialect maps names its database spells differently. */
  protected functionCall(name: string, args: readonly string[]): string {
    if (name === 'count' && args.length === 0) return 'count(*)';
    return `${name}(${args.join(', ')})`;
  }

  /** A member of a UNION with its own ORDER BY / LIMIT, which must be grouped to keep them. */
  protected compoundMember(sql: string): string {
    return `(${sql})`;
  }

  /** A driver-ready value as a SQL literal, for offline scripts. */
  protected literal(value: unknown): string {
    return renderLiteral(value, { strings: 'char', binary: (hex) => `X'${hex}'` });
  }

  /** `INSERT` with no column values. */
  protected emptyInsert(table: string): string {
    return `INSERT INTO ${table} DEFAULT VALUES`;
  }

  // ---- expressions ---------------------------------------------------------------------------

  protected bindParameter(e: BindParameter, state: CompileState): string {
    return this.bindValue(e.key, e.value, e.type, e.named, state);
  }

  /** Adds a bind slot (or renders a literal) and returns its placeholder. */
  protected bindValue(
    key: string | null,
    value: unknown,
    type: TypeEngine,
    named: boolean,
    state: CompileState,
    // Optional rather than defaulting to `{}`: no object made per bound value (a selectin IN list has thousands).
    extra?: { late?: boolean; row?: number; generate?: () => unknown },
  ): string {
    const late = extra?.late ?? (named && value === undefined);
    if (state.literalBinds && !late && extra?.generate === undefined) {
      const adapt = this.values.bind(type);
      return this.literal(adapt === null || value === null ? value : adapt(value));
    }
    const name = named || extra?.late ? (key ?? 'param') : state.nextName(key ?? 'param');
    state.binds.push({ key: name, value, late, row: extra?.row ?? 0, type, generate: extra?.generate });
    return this.typedPlaceholder(this.placeholder(name, state.binds.length), type);
  }

  /** A placeholder the server must be told the type of (PostgreSQL types a bare `$1` as text). */
  protected typedPlaceholder(placeholder: string, _type: TypeEngine): string {
    return placeholder;
  }

  protected binary(e: BinaryExpression, state: CompileState): string {
    const p = PRECEDENCE[e.operator];
    const side = (operand: ColumnElement, right: boolean): string =>
      // `||` binds tighter than `+` on SQLite and looser on PostgreSQL: arithmetic inside it is always grouped.
      e.operator === 'concat' && this.groupInsideConcat && operand.kind === 'BinaryExpression' && (operand as BinaryExpression).operator !== 'concat'
        ? `(${this.process(operand, state)})`
        : this.operand(operand, p, (right || COMPARISON.has(e.operator)) && !ASSOCIATIVE.has(e.operator), state);
    const left = side(e.left, false);
    if (e.operator === 'div' && isInteger(e.left) && isInteger(e.right)) return this.trueDivision(left, e.right, state);
    const right = side(e.right, true);
    if (e.operator === 'floorDiv' && !(isInteger(e.left) && isInteger(e.right))) return `FLOOR(${left} / ${right})`;
    if (e.operator === 'mod' && !(isInteger(e.left) && isInteger(e.right))) return this.fractionalModulo(left, right);
    return this.binaryOperator(e.operator, left, right);
  }

  /** `%` of non-integers, keeping the fraction (SQLite's `%` truncates, PostgreSQL has none for floats). */
  protected fractionalModulo(left: string, right: string): string {
    return `${left} % ${right}`;
  }

  /** Division of two integers that keeps the fraction; PostgreSQL and SQLite would truncate. */
  protected trueDivision(left: string, right: ColumnElement, state: CompileState): string {
    return `${left} / CAST(${this.process(right, state)} AS NUMERIC)`;
  }

  /** Renders an operand, parenthesised when it binds more loosely than its parent operator. */
  protected operand(element: ClauseElement, parent: number, strictRight: boolean, state: CompileState): string {
    const own = this.precedenceOf(element);
    const sql = this.process(element, state);
    return own < parent || (strictRight && own === parent) ? `(${sql})` : sql;
  }

  protected precedenceOf(element: ClauseElement): number {
    switch (element.kind) {
      case 'BinaryExpression':
        return PRECEDENCE[(element as BinaryExpression).operator];
      case 'ClauseList':
        return PRECEDENCE[(element as ClauseList).operator];
      case 'UnaryExpression': {
        const operator = (element as UnaryExpression).operator;
        return operator === 'distinct' ? ATOM : PRECEDENCE[operator];
      }
      case 'LikeExpression':
      case 'InExpression':
      case 'BetweenExpression':
        return PRECEDENCE.predicate;
      case 'TextClause':
        // The user's SQL may hold any operator: always grouped inside an expression.
        return 0;
      default:
        return ATOM;
    }
  }

  protected like(e: LikeExpression, state: CompileState): string {
    const p = PRECEDENCE.predicate;
    const left = this.operand(e.left, p, false, state);
    const pattern = this.operand(e.pattern, p, true, state);
    const sql = e.caseInsensitive
      ? this.ilike(left, pattern, e.negate)
      : `${left} ${e.negate ? 'NOT LIKE' : 'LIKE'} ${pattern}`;
    return e.escape === null ? sql : `${sql} ESCAPE ${this.literal(e.escape)}`;
  }

  protected inExpression(e: InExpression, state: CompileState): string {
    const left = this.operand(e.left, PRECEDENCE.predicate, false, state);
    const operator = e.negate ? 'NOT IN' : 'IN';
    if (!Array.isArray(e.values) && (e.values as ClauseElement).kind === 'BindParameter') return this.expandingIn(left, e.negate, e.values as BindParameter, state);
    if (!Array.isArray(e.values)) {
      const values = e.values as SubqueryTarget | ScalarSubquery;
      const target = values.kind === 'ScalarSubquery' ? (values as ScalarSubquery).element : (values as SubqueryTarget);
      return `${left} ${operator} (${this.nested(target, state, true)})`;
    }
    // An empty IN list is not valid SQL; SQLAlchemy's answer is a condition that is always false (true for NOT IN).
    if (e.values.length === 0) return e.negate ? '1 = 1' : '1 != 1';
    const list = e.values.map((v) => this.process(v, state)).join(', ');
    // A list of row values: `IN (VALUES (..), (..))` where the dialect reads a bare list as one row.
    if (e.left.kind === 'Tuple' && !this.capabilities.rowValueInList) return `${left} ${operator} (VALUES ${list})`;
    return `${left} ${operator} (${list})`;
  }

  /**
   * `IN` over a list bound as one value (see `ColumnElement.inList`): here a parameter per value, as
   * `in()` writes it; dialects that take a whole list as one parameter override this.
   */
  protected expandingIn(left: string, negate: boolean, list: BindParameter, state: CompileState): string {
    const values = list.value as readonly unknown[];
    if (values.length === 0) return negate ? '1 = 1' : '1 != 1';
    const placeholders = values.map((value) => this.bindValue(null, value, list.type, false, state)).join(', ');
    return `${left} ${negate ? 'NOT IN' : 'IN'} (${placeholders})`;
  }

  /**
   * An expanding list's values as one parameter carries them: each adapted as its own parameter would
   * be, when all then are strings or finite numbers (or, with `bigints`, bigints), which arrays and JSON
   * carry exactly; null when not, or for offline (literal) SQL, where the list is written out.
   */
  protected listAsOne(list: BindParameter, state: CompileState, bigints: boolean): unknown[] | null {
    const values = list.value as readonly unknown[];
    if (state.literalBinds || values.length === 0) return null;
    const adapt = this.values.bind(list.type);
    const out = new Array<unknown>(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = adapt === null ? values[i] : adapt(values[i]);
      const exact = typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || (bigints && typeof value === 'bigint');
      if (!exact) return null;
      out[i] = value;
    }
    return out;
  }

  /** ORDER BY names a label of the SELECT list by its name; any other expression is written out. */
  protected orderByItem(e: OrderByExpression, state: CompileState): string {
    const selected = e.element.kind === 'Label' && state.selectedLabels.has(e.element);
    const expr = selected ? this.labelName(e.element as Label, state) : this.process(e.element, state);
    const direction = e.direction === null ? '' : ` ${e.direction.toUpperCase()}`;
    return e.nulls === null ? `${expr}${direction}` : this.nullsOrdering(expr, direction, e.nulls);
  }

  protected textClause(e: TextClause<unknown>, state: CompileState): string {
    let sql = '';
    for (const part of e.parts) {
      if ('sql' in part) {
        sql += part.sql;
        continue;
      }
      const fixed = part.param in e.values;
      sql += this.bindValue(part.param, fixed ? e.values[part.param] : undefined, NULLTYPE, true, state, {
        late: !fixed,
      });
    }
    return sql;
  }

  // ---- FROM objects ------------------------------------------------------------------------

  protected tableName(table: TableClause): string {
    return table.schema === null ? this.quote(table.name) : `${this.quote(table.schema)}.${this.quote(table.name)}`;
  }

  /** The name a FROM object is referred to by: an alias's or subquery's name (anonymous ones numbered). */
  protected fromName(from: FromClause, state: CompileState): string {
    if (from.kind === 'Table') return this.tableName(from as TableClause);
    const name = (from as TableAlias | Subquery).name;
    return this.quote(name ?? state.anonymousName(from));
  }

  protected join(e: Join, state: CompileState): string {
    const keyword = { inner: 'JOIN', left: 'LEFT OUTER JOIN', full: 'FULL OUTER JOIN' }[e.type];
    if (e.type === 'full' && !this.capabilities.fullOuterJoin) {
      throw new CompileError(`${this.constructor.name.replace('SqlCompiler', '')} has no FULL OUTER JOIN; use a UNION of two outer joins`);
    }
    const right = e.right.kind === 'Join' ? `(${this.process(e.right, state)})` : this.process(e.right, state);
    return `${this.process(e.left, state)} ${keyword} ${right} ON ${this.process(e.on, state)}`;
  }

  // ---- SELECT ------------------------------------------------------------------------------

  /**
   * Compiles a select nested in another statement. A scalar subquery, EXISTS or IN-subquery correlates:
   * its FROM objects that the enclosing query already has are left out, as SQLAlchemy does. A subquery in
   * FROM does not correlate.
   */
  protected nested(element: SubqueryTarget, state: CompileState, correlate: boolean): string {
    if (!correlate) state.enclosingFroms.push(null);
    try {
      return this.process(element, state);
    } finally {
      if (!correlate) state.enclosingFroms.pop();
    }
  }

  protected select(e: Select, state: CompileState): string {
    const outer = state.correlationFroms;
    let froms = e.froms;
    if (outer.length > 0) {
      const kept = e.state.correlateExcept;
      const own = froms.filter((from) => kept.includes(from) || !outer.some((o) => o.contains(from)));
      if (own.length > 0) froms = own;
    }
    const isNested = state.enclosingFroms.length > 0;
    const columns = e.selectedColumns;
    const names = this.columnNames(e, columns, state, isNested);
    const saved = { qualify: state.qualifyColumns, labels: state.selectedLabels };
    state.enclosingFroms.push(froms);
    state.qualifyColumns = true;
    try {
      const s = e.state;
      let sql = `SELECT ${s.distinct ? 'DISTINCT ' : ''}`;
      sql += columns.map((c, i) => this.selectColumn(c, names[i]!, isNested, state)).join(', ');
      state.selectedLabels = new Set(columns.filter((c) => c.kind === 'Label'));
      if (froms.length > 0) sql += ` FROM ${froms.map((f) => this.process(f, state)).join(', ')}`;
      const where = e.whereClause;
      if (where !== null) sql += ` WHERE ${this.process(where, state)}`;
      // GROUP BY repeats a label's expression: its output name could equal a column name and group by that.
      if (s.groupBy.length > 0) sql += ` GROUP BY ${s.groupBy.map((g) => this.process(g, state)).join(', ')}`;
      if (s.having.length > 0) sql += ` HAVING ${s.having.map((h) => this.operand(h, PRECEDENCE.and, false, state)).join(' AND ')}`;
      if (s.orderBy.length > 0) sql += ` ORDER BY ${s.orderBy.map((o) => this.process(o, state)).join(', ')}`;
      return sql + this.limitOffset(s.limit, s.offset, state);
    } finally {
      state.enclosingFroms.pop();
      state.qualifyColumns = saved.qualify;
      state.selectedLabels = saved.labels;
    }
  }

  protected limitOffset(limit: BindParameter | null, offset: BindParameter | null, state: CompileState): string {
    if (limit === null && offset === null) return '';
    return this.limitClause(
      limit === null ? null : this.process(limit, state),
      offset === null ? null : this.process(offset, state),
    );
  }

  /**
   * A column of the SELECT list, labelled when its result name differs from what the database would
   * call it, so the names the database returns match the keys rows are read by, also in subqueries.
   */
  protected selectColumn(column: ColumnElement, name: string | null, isNested: boolean, state: CompileState): string {
    const sql = this.process(column, state);
    if (column.kind === 'Column' && (column as ColumnClause).name === name) return sql;
    if (column.kind === 'DerivedColumn' && (column as DerivedColumn).sqlName === name) return sql;
    if (name === null) return isNested ? `${sql} AS ${this.quote(state.anonymousName(column))}` : sql;
    return `${sql} AS ${this.quote(name)}`;
  }

  /**
   * The result names of a statement's columns (see `sql/result-names.ts`), fixed once per compilation;
   * `unique` for a nested SELECT, whose columns a subquery's `.c` names.
   */
  protected columnNames(owner: object, columns: readonly ColumnElement[], state: CompileState, unique = false): readonly (string | null)[] {
    return state.resultNames(owner, () => resultNames(columns, (label) => state.anonymousName(label), unique));
  }

  protected labelText(label: Label, state: CompileState): string {
    return label.name ?? state.anonymousName(label);
  }

  protected labelName(label: Label, state: CompileState): string {
    return this.quote(this.labelText(label, state));
  }

  protected compoundSelect(e: CompoundSelect, state: CompileState): string {
    const keyword = e.operator === 'union' ? ' UNION ' : ' UNION ALL ';
    let sql = e.selects
      .map((member) => {
        const own = member.state;
        const sql = this.process(member, state);
        return own.orderBy.length > 0 || own.limit !== null || own.offset !== null ? this.compoundMember(sql) : sql;
      })
      .join(keyword);
    if (e.orderByItems.length > 0) {
      // A compound's ORDER BY can only name its output columns, not the tables of its members.
      const items = e.orderByItems.map((o) => {
        const name = o.element.kind === 'Label' ? this.labelText(o.element as Label, state) : o.element.naturalName;
        const expr = name === null ? this.process(o.element, state) : this.quote(name);
        const direction = o.direction === null ? '' : ` ${o.direction.toUpperCase()}`;
        return o.nulls === null ? `${expr}${direction}` : this.nullsOrdering(expr, direction, o.nulls);
      });
      sql += ` ORDER BY ${items.join(', ')}`;
    }
    return sql + this.limitOffset(e.limitParam, e.offsetParam, state);
  }

  // ---- DML ---------------------------------------------------------------------------------

  protected insert(e: Insert, state: CompileState): string {
    const table = this.tableName(e.table);
    if (e.rows.length === 0) {
      if (e.returningItems.length === 0 && !this.hasClientDefaults(e.table)) return this.emptyInsert(table);
      return this.insertRows(e, [[]], state);
    }
    return this.insertRows(e, e.rows, state);
  }

  /**
   * `INSERT INTO t (cols) VALUES (...), (...)`: the rows' own assignments, then every client-side
   * default of a column the rows leave out, one set per row.
   */
  protected insertRows(e: Insert, rows: readonly (readonly Assignment[])[], state: CompileState): string {
    const first = rows[0]!;
    const defaults = this.clientDefaults(e.table, first, 'default');
    const columns = [...first.map(([c]) => c), ...defaults.map(([c]) => c)];
    const table = this.tableName(e.table);
    if (columns.length === 0) return this.emptyInsert(table) + this.returning(e.returningItems, state, 'insert');
    const values = rows.map((row, index) => {
      const own = row.map(([, value]) => this.process(value, state));
      const generated = defaults.map(([column, gen]) => this.clientDefault(column, gen, index, state));
      return `(${[...own, ...generated].join(', ')})`;
    });
    const names = columns.map((c) => this.quote(c.name)).join(', ');
    return `INSERT INTO ${table} (${names}) VALUES ${values.join(', ')}${this.returning(e.returningItems, state, 'insert')}`;
  }

  /** The multi-row INSERT of an executemany batch: each slot reads its row's value by column key. */
  compileInsertBatch(e: Insert, keys: readonly string[], rowCount: number): CompiledSql {
    const state = new CompileState(false);
    const columns = keys.map((key) => {
      const column = e.table.column(key);
      if (column === undefined) {
        throw new CompileError(`table "${e.table.name}" has no column "${key}" (known: ${e.table.columns.map((c) => c.key).join(', ')})`);
      }
      return column;
    });
    const defaults = this.clientDefaults(e.table, columns.map((c) => [c, c] as const), 'default');
    const names = [...columns, ...defaults.map(([c]) => c)].map((c) => this.quote(c.name)).join(', ');
    const rows: string[] = [];
    for (let row = 0; row < rowCount; row++) {
      const own = columns.map((c) => this.bindValue(c.key, undefined, c.type, true, state, { late: true, row }));
      const generated = defaults.map(([column, gen]) => this.clientDefault(column, gen, row, state));
      rows.push(`(${[...own, ...generated].join(', ')})`);
    }
    const table = this.tableName(e.table);
    const sql = `INSERT INTO ${table} (${names}) VALUES ${rows.join(', ')}${this.returning(e.returningItems, state, 'insert')}`;
    const columnsOut = this.resultColumns(e, state);
    return { sql, binds: state.binds, columns: columnsOut, returnsRows: columnsOut !== null && columnsOut.length > 0 };
  }

  /** Renders a DML statement's parts with its table visible to correlated subqueries. */
  protected withTarget<T>(table: TableClause, state: CompileState, render: () => T): T {
    state.enclosingFroms.push([table]);
    try {
      return render();
    } finally {
      state.enclosingFroms.pop();
    }
  }

  protected update(e: Update, state: CompileState): string {
    return this.withTarget(e.table, state, () => this.updateBody(e, state));
  }

  protected updateBody(e: Update, state: CompileState): string {
    const onupdate = this.clientDefaults(e.table, e.assignments, 'onupdate');
    const sets = [
      ...this.unqualified(state, () => e.assignments.map(([c, v]) => `${this.quote(c.name)}=${this.process(v, state)}`)),
      ...onupdate.map(([c, gen]) => `${this.quote(c.name)}=${this.clientDefault(c, gen, 0, state)}`),
    ];
    let sql = `UPDATE ${this.tableName(e.table)} SET ${sets.join(', ')}`;
    const where = e.whereClause;
    if (where !== null) sql += ` WHERE ${this.process(where, state)}`;
    return sql + this.returning(e.returningItems, state, 'update');
  }

  protected delete(e: Delete, state: CompileState): string {
    return this.withTarget(e.table, state, () => this.deleteBody(e, state));
  }

  protected deleteBody(e: Delete, state: CompileState): string {
    let sql = `DELETE FROM ${this.tableName(e.table)}`;
    const where = e.whereClause;
    if (where !== null) sql += ` WHERE ${this.process(where, state)}`;
    return sql + this.returning(e.returningItems, state, 'delete');
  }

  /** RETURNING renders bare column names: SQLite and MariaDB reject table-qualified ones there. */
  protected returning(items: readonly SelectItem[], state: CompileState, statement: 'insert' | 'update' | 'delete'): string {
    if (items.length === 0) return '';
    const supported = {
      insert: this.capabilities.insertReturning,
      update: this.capabilities.updateReturning,
      delete: this.capabilities.deleteReturning,
    }[statement];
    if (!supported) {
      throw new CompileError(`${statement.toUpperCase()} ... RETURNING is not supported by this database; select the rows in a second statement`);
    }
    const columns = returningColumns(items);
    const names = this.columnNames(items, columns, state);
    return ` RETURNING ${this.unqualified(state, () => columns.map((c, i) => this.selectColumn(c, names[i]!, false, state))).join(', ')}`;
  }

  protected unqualified<T>(state: CompileState, render: () => T): T {
    const previous = state.qualifyColumns;
    state.qualifyColumns = false;
    try {
      return render();
    } finally {
      state.qualifyColumns = previous;
    }
  }

  /** Columns of `table` with a client-side `default`/`onupdate` that `assigned` does not set. */
  protected clientDefaults(
    table: TableClause,
    assigned: readonly (readonly [ColumnClause, unknown])[],
    option: 'default' | 'onupdate',
  ): (readonly [ColumnClause, unknown])[] {
    const set = new Set(assigned.map(([c]) => c));
    const result: (readonly [ColumnClause, unknown])[] = [];
    for (const column of table.columns) {
      const value = (column as { options?: Record<string, unknown> }).options?.[option];
      if (value !== undefined && !set.has(column)) result.push([column, value]);
    }
    return result;
  }

  protected hasClientDefaults(table: TableClause): boolean {
    return this.clientDefaults(table, [], 'default').length > 0;
  }

  protected clientDefault(column: ColumnClause, value: unknown, row: number, state: CompileState): string {
    if (typeof value === 'function') {
      return this.bindValue(column.key, undefined, column.type, false, state, { late: false, row, generate: value as () => unknown });
    }
    return this.bindValue(column.key, value, column.type, false, state, { row });
  }

  // ---- result columns ----------------------------------------------------------------------

  /** The names and types of the rows a statement returns, known at compile time. */
  resultColumns(element: ClauseElement, state: CompileState): readonly ResultColumn[] | null {
    const describe = (owner: object, columns: readonly ColumnElement[]): ResultColumn[] => {
      const names = this.columnNames(owner, columns, state);
      return columns.map((c, i) => ({ name: names[i] ?? `column_${i + 1}`, type: c.type }));
    };
    switch (element.kind) {
      case 'Select':
        return describe(element, (element as Select).selectedColumns);
      case 'CompoundSelect': {
        const first = (element as CompoundSelect).selects[0]!;
        return describe(first, first.selectedColumns);
      }
      case 'Insert':
      case 'Update':
      case 'Delete': {
        const items = (element as Insert | Update | Delete).returningItems;
        return describe(items, returningColumns(items));
      }
      case 'TextClause': {
        const types = (element as TextClause<unknown>).columnTypes;
        return types === null ? null : Object.entries(types).map(([name, type]) => ({ name, type }));
      }
      default:
        return [];
    }
  }
}

/** The columns a RETURNING list yields, with whole tables expanded. */
function returningColumns(items: readonly SelectItem[]): ColumnElement[] {
  return items.flatMap((i) => expandItem(i));
}

const INTEGER_TYPES = new Set(['Integer', 'BigInteger', 'SmallInteger']);

function isInteger(element: ColumnElement): boolean {
  return INTEGER_TYPES.has(element.type.impl.typeName);
}
