/**
 * Expected-SQL helpers for compile tests. An expectation is a record keyed by every dialect, so a test
 * that forgets one does not type-check (Kysely's trick); MariaDB is checked too, against the MySQL text
 * unless the record says otherwise.
 *
 * @example
 * ```ts
 * expectSql(
 *   select(movies.c.title).where(movies.c.id.eq(1)),
 *   {
 *     sqlite: 'SELECT movies.title FROM movies WHERE movies.id = ?',
 *     postgresql: 'SELECT movies.title FROM movies WHERE movies.id = $1',
 *     mysql: 'SELECT movies.title FROM movies WHERE movies.id = ?',
 *   },
 *   [1],
 * );
 * expectSql(select(...).fullJoin(...), { sqlite: '...', postgresql: '...', mysql: fails(/FULL OUTER JOIN/) });
 * ```
 */
import { expect } from 'chai';
import { type ClauseElement, type CompiledSql, type DialectName, getDialect } from '../../src/index.js';

/** A value for each dialect; leaving one out is a type error. */
export type PerDialect<T> = { readonly [D in DialectName]: T };

/** The expectation that compiling fails with a CompileError whose message matches. */
export interface CompileFailure {
  readonly fails: RegExp;
}

/** Marks a dialect's expectation as a compile error (e.g. FULL OUTER JOIN on MySQL). */
export function fails(message: RegExp): CompileFailure {
  return { fails: message };
}

export type SqlExpectation = string | CompileFailure;

/** The SQL per dialect; `mariadb` defaults to the `mysql` expectation. */
export type SqlExpectations = PerDialect<SqlExpectation> & { readonly mariadb?: SqlExpectation };

/** The dialects a compile test checks, named as in {@link SqlExpectations}. */
export const COMPILE_TARGETS = ['sqlite', 'postgresql', 'mysql', 'mariadb'] as const;
export type CompileTarget = (typeof COMPILE_TARGETS)[number];

/** Compiles `stmt` for one target (`mariadb` is the MySQL dialect with MariaDB's capabilities). */
export function compileFor(stmt: ClauseElement, target: CompileTarget): CompiledSql {
  const dialect = target === 'mariadb' ? getDialect('mysql', { mariadb: true }) : getDialect(target);
  return dialect.compile(stmt);
}

/**
 * Asserts the SQL `stmt` compiles to on every dialect, and optionally its bound values in order
 * (`undefined` for a value supplied at execution). Values may differ per dialect only when the SQL
 * repeats an expression (MySQL's NULLS FIRST emulation), so they are given once or per dialect.
 */
export function expectSql(
  stmt: ClauseElement,
  expected: SqlExpectations,
  params?: readonly unknown[] | PerDialect<readonly unknown[]>,
): void {
  for (const target of COMPILE_TARGETS) {
    const expectation = target === 'mariadb' ? (expected.mariadb ?? expected.mysql) : expected[target];
    if (typeof expectation !== 'string') {
      expect(() => compileFor(stmt, target), `${target}: expected a compile error`)
        .to.throw(expectation.fails)
        .with.property('name', 'CompileError');
      continue;
    }
    const compiled = compileFor(stmt, target);
    expect(compiled.sql, `${target} SQL`).to.equal(expectation);
    if (params !== undefined) {
      const values = Array.isArray(params) ? params : (params as PerDialect<readonly unknown[]>)[target === 'mariadb' ? 'mysql' : target];
      expect(
        compiled.binds.map((b) => b.value),
        `${target} bound values`,
      ).to.deep.equal(values);
    }
  }
}

/** Asserts the generic SQL of `String(stmt)`, SQLAlchemy's `print(stmt)`: ANSI quoting, `:name` placeholders. */
export function expectString(stmt: ClauseElement, sql: string): void {
  expect(String(stmt)).to.equal(sql);
}

/** The bind slots' keys in order, on one dialect (they are the same on every dialect). */
export function bindKeys(stmt: ClauseElement, target: CompileTarget = 'postgresql'): string[] {
  return compileFor(stmt, target).binds.map((b) => b.key);
}
