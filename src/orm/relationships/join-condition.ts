/**
 * How a relationship joins its two tables, found from the MetaData's foreign keys (as SQLAlchemy's
 * `JoinCondition` does): the direction (many-to-one, one-to-many, many-to-many through an association
 * table) and the pairs of columns that must be equal. Ambiguity is an error naming every candidate.
 * It also builds ON clauses over tables or their aliases, and infers `join(Address)` from foreign keys.
 */
import { ArgumentError } from '../../errors.js';
import type { Column } from '../../schema/column.js';
import type { ForeignKeyConstraint } from '../../schema/constraints.js';
import { Table } from '../../schema/table.js';
import { BinaryExpression, ClauseList, type ColumnElement } from '../../sql/elements/column-element.js';
import { and_ } from '../../sql/elements/conjunctions.js';
import type { JoinPath } from '../../sql/joinable.js';
import { type FromClause, Join, Subquery } from '../../sql/selectable.js';
import { TableAlias } from '../../sql/table-clause.js';

export type Direction = 'manyToOne' | 'oneToMany' | 'manyToMany';

/** The resolved join of a relationship. */
export interface JoinCondition {
  readonly direction: Direction;
  /**
   * Columns of the parent's table and the columns they equal: in the target's table (one-to-many: the
   * parent's key and the target's foreign key; many-to-one: the parent's foreign key and the target's
   * key) or in the association table (many-to-many).
   */
  readonly local: readonly Column[];
  readonly remote: readonly Column[];
  /** Many-to-many only: the target's key columns and the association columns referring to them. */
  readonly targetColumns: readonly Column[];
  readonly secondaryColumns: readonly Column[];
  readonly secondary: Table | null;
}

/** What a relationship declares about its join. */
export interface JoinSpec {
  /** `Director.movies`, for messages. */
  readonly name: string;
  readonly parent: Table;
  readonly target: Table;
  readonly secondary: Table | null;
  /** The foreign key columns to use when several could join the tables. */
  readonly foreignKeys: readonly Column[] | null;
  /** Self-referential: the columns on the "remote" side (the key of a many-to-one to the same table). */
  readonly remoteSide: readonly Column[] | null;
  readonly primaryJoin: ColumnElement<boolean> | null;
  readonly secondaryJoin: ColumnElement<boolean> | null;
}

function describe(fk: ForeignKeyConstraint): string {
  const cols = (cs: readonly Column[]) => cs.map((c) => `${c.table.name}.${c.name}`).join(', ');
  return `${cols(fk.columns)} -> ${cols(fk.referredColumns)}`;
}

/** Foreign keys of `from` referring to `to`, narrowed to `only` (the declared foreignKeys) when given. */
function keysBetween(from: Table, to: Table, only: readonly Column[] | null): ForeignKeyConstraint[] {
  return from.foreignKeys.filter(
    (fk) => fk.referredTable === to && (only === null || fk.columns.every((c) => only.includes(c))),
  );
}

function ambiguity(spec: JoinSpec, between: string, candidates: readonly ForeignKeyConstraint[]): ArgumentError {
  if (candidates.length === 0) {
    return new ArgumentError(
      `${spec.name}: no foreign key links ${between}; add foreignKey to the column, or pass primaryJoin`,
    );
  }
  return new ArgumentError(
    `${spec.name}: ${candidates.length} foreign keys could join ${between} (${candidates.map(describe).join('; ')}); ` +
      'pass foreignKeys: () => [Model.c.<column>] to choose one',
  );
}

/** Resolves a relationship's direction and column pairs from the MetaData. */
export function resolveJoinCondition(spec: JoinSpec): JoinCondition {
  if (spec.secondary !== null) return manyToMany(spec, spec.secondary);
  if (spec.primaryJoin !== null) return fromExpression(spec);
  const self = spec.parent === spec.target;
  const toTarget = keysBetween(spec.parent, spec.target, spec.foreignKeys);
  const toParent = self ? [] : keysBetween(spec.target, spec.parent, spec.foreignKeys);
  const candidates = [...toTarget, ...toParent];
  if (candidates.length !== 1) {
    throw ambiguity(spec, `${spec.parent.name} and ${spec.target.name}`, candidates);
  }
  const fk = candidates[0]!;
  // A self-referential key reads both ways: many-to-one when remoteSide names the referred key.
  const manyToOne = self ? (spec.remoteSide?.some((c) => fk.referredColumns.includes(c)) ?? false) : toTarget.length === 1;
  return manyToOne
    ? simple('manyToOne', fk.columns, fk.referredColumns)
    : simple('oneToMany', fk.referredColumns, fk.columns);
}

function simple(direction: Direction, local: readonly Column[], remote: readonly Column[]): JoinCondition {
  return { direction, local, remote, targetColumns: [], secondaryColumns: [], secondary: null };
}

function manyToMany(spec: JoinSpec, secondary: Table): JoinCondition {
  const between = (t: Table) => `${secondary.name} and ${t.name}`;
  let toParent: ForeignKeyConstraint[];
  let toTarget: ForeignKeyConstraint[];
  if (spec.parent === spec.target) {
    // Both keys refer to the same table: foreignKeys names the parent's side.
    if (spec.foreignKeys === null) {
      throw new ArgumentError(
        `${spec.name}: ${secondary.name} refers to ${spec.parent.name} twice; pass foreignKeys: () => [<the ${secondary.name} column referring to the parent>]`,
      );
    }
    toParent = keysBetween(secondary, spec.parent, spec.foreignKeys);
    toTarget = secondary.foreignKeys.filter((fk) => fk.referredTable === spec.target && !toParent.includes(fk));
  } else {
    toParent = keysBetween(secondary, spec.parent, spec.foreignKeys);
    toTarget = keysBetween(secondary, spec.target, null);
  }
  if (toParent.length !== 1) throw ambiguity(spec, between(spec.parent), toParent);
  if (toTarget.length !== 1) throw ambiguity(spec, between(spec.target), toTarget);
  return {
    direction: 'manyToMany',
    local: toParent[0]!.referredColumns,
    remote: toParent[0]!.columns,
    targetColumns: toTarget[0]!.referredColumns,
    secondaryColumns: toTarget[0]!.columns,
    secondary,
  };
}

/** The `a = b` column pairs of an `eq` or an AND of them. */
function equalities(expression: ColumnElement<boolean>, name: string): [Column, Column][] {
  if (expression instanceof ClauseList && expression.operator === 'and') {
    return expression.clauses.flatMap((c) => equalities(c as ColumnElement<boolean>, name));
  }
  if (expression instanceof BinaryExpression && expression.operator === 'eq') {
    const { left, right } = expression;
    if (left.kind === 'Column' && right.kind === 'Column') return [[left as Column, right as Column]];
  }
  throw new ArgumentError(`${name}: primaryJoin must be column equalities joined with and_(), e.g. Director.c.id.eq(Movie.c.directorId)`);
}

/** True when `column` is declared (or constrained) as referring to `other`. */
function refersTo(column: Column, other: Column, declared: readonly Column[] | null): boolean {
  if (declared !== null) return declared.includes(column);
  return column.table.foreignKeys.some((fk) => fk.columns.some((c, i) => c === column && fk.referredColumns[i] === other));
}

/** A join given as `primaryJoin`: its pairs, with the foreign key side from the constraints or foreignKeys. */
function fromExpression(spec: JoinSpec): JoinCondition {
  const local: Column[] = [];
  const remote: Column[] = [];
  let manyToOne: boolean | null = null;
  for (const [a, b] of equalities(spec.primaryJoin!, spec.name)) {
    const [p, t] = a.table === spec.parent && (b.table === spec.target || spec.parent === spec.target) ? [a, b] : [b, a];
    if (p.table !== spec.parent || t.table !== spec.target) {
      throw new ArgumentError(`${spec.name}: primaryJoin compares ${a.table.name}.${a.name} with ${b.table.name}.${b.name}, not columns of ${spec.parent.name} and ${spec.target.name}`);
    }
    const parentSide = spec.parent === spec.target && spec.remoteSide !== null ? !spec.remoteSide.includes(p) : refersTo(p, t, spec.foreignKeys);
    manyToOne ??= parentSide;
    local.push(p);
    remote.push(t);
  }
  if (manyToOne === null) throw new ArgumentError(`${spec.name}: primaryJoin has no column equality`);
  return simple(manyToOne ? 'manyToOne' : 'oneToMany', local, remote);
}

// ---- ON clauses over tables and aliases ----------------------------------------------------------

/** Where a table's column is found in a FROM object (the table, an alias of it, a subquery of it). */
export type ColumnAdapter = (column: Column) => ColumnElement;

/** The adapter for a FROM object standing for `column.table`. */
export function adapterFor(from: FromClause): ColumnAdapter {
  if (from instanceof Table) return (column) => column;
  if (from instanceof TableAlias || from instanceof Subquery) {
    const c = from.c as Record<string, ColumnElement>;
    return (column) => {
      const found = (from instanceof Subquery ? from.correspondingColumn(column) : undefined) ?? c[column.key];
      if (found === undefined) throw new ArgumentError(`${column.table.name}.${column.name} is not a column of this alias or subquery`);
      return found;
    };
  }
  throw new ArgumentError(`cannot find columns of a ${from.kind} here; use a table, alias or subquery`);
}

/** `a1 = b1 AND a2 = b2 ...`. */
export function pairsEqual(left: readonly ColumnElement[], right: readonly ColumnElement[]): ColumnElement<boolean> {
  return and_(...left.map((l, i) => l.eq(right[i] as never)));
}

/** The table a FROM object stands for, if it is a table or an alias of one. */
export function tableOfFrom(from: FromClause): Table | null {
  if (from instanceof Table) return from;
  if (from instanceof TableAlias && from.table instanceof Table) return from.table;
  return null;
}

function flatten(froms: readonly FromClause[]): FromClause[] {
  return froms.flatMap((from) => (from instanceof Join ? flatten([from.left, from.right]) : [from]));
}

/**
 * `join(Address)` with no ON clause: the one foreign key between `target`'s table and a FROM object of
 * the select; none or several is an error asking for an explicit ON clause or relationship.
 */
export function inferEntityJoin(froms: readonly FromClause[], target: FromClause): JoinPath {
  const right: Table | null = tableOfFrom(target);
  if (right === null) throw new ArgumentError('join() cannot infer an ON clause for this target; pass one');
  const found: { left: FromClause; on: ColumnElement<boolean> }[] = [];
  const names: string[] = [];
  for (const left of flatten(froms)) {
    const table: Table | null = tableOfFrom(left);
    if (table === null || left === target) continue;
    names.push(table.name);
    const l: ColumnAdapter = adapterFor(left);
    const r: ColumnAdapter = adapterFor(target);
    const inward: readonly ForeignKeyConstraint[] = right.foreignKeys.filter((fk) => fk.referredTable === table);
    for (const fk of inward) found.push({ left, on: pairsEqual(fk.referredColumns.map(l), fk.columns.map(r)) });
    if (table === right) continue;
    const outward: readonly ForeignKeyConstraint[] = table.foreignKeys.filter((fk) => fk.referredTable === right);
    for (const fk of outward) found.push({ left, on: pairsEqual(fk.referredColumns.map(r), fk.columns.map(l)) });
  }
  if (found.length !== 1) {
    const what = found.length === 0 ? 'no foreign key links' : `${found.length} foreign keys link`;
    throw new ArgumentError(`${what} ${right.name} to ${names.join(', ') || 'the select'}; join along a relationship or pass the ON condition`);
  }
  return { left: found[0]!.left, steps: [{ target, on: found[0]!.on }] };
}
