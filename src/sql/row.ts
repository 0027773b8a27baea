/**
 * Types of result rows. A row is a tuple that also answers by column name, so both
 * `const [title, year] = row` and `row.title` work, typed from the selected columns.
 */

/** The named part of a row: column name -> value type. */
export type RowShape = Record<string, unknown>;

/** A result row: positional like a tuple and named like an object. */
export type Row<Tuple extends readonly unknown[] = unknown[], Named extends RowShape = RowShape> = Readonly<Tuple> &
  Readonly<Named>;

/** Flattens intersections for readable hover types. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** `A | B` -> `A & B`. */
export type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;
