/**
 * What a compiler hands to the engine: SQL text plus the recipe for its parameters and result columns.
 * It holds no connection and no driver object, so offline SQL and online execution share it.
 */
import type { TypeEngine } from '../types/type-engine.js';

/** One positional parameter slot of a compiled statement. */
export interface BindSlot {
  /** The name the caller supplies for a late-bound parameter (`bindparam('x')`, `text(':x')`, executemany). */
  readonly key: string;
  /** The value fixed at statement-construction time; `undefined` when it must come from the caller. */
  readonly value: unknown;
  /** True when the value comes from execution parameters, looked up by `key`. */
  readonly late: boolean;
  /** The row index of a multi-row executemany batch this slot reads from (0 for single-row). */
  readonly row: number;
  /** The SQL type, whose dialect adapter converts the JS value for the driver. */
  readonly type: TypeEngine;
  /**
   * A client-side column default that is a function: called once per row at execution, because a
   * compiled statement is cached and reused (a timestamp must not be frozen at compile time).
   */
  readonly generate?: () => unknown;
}

/** One result column of a statement that returns rows. */
export interface ResultColumn {
  readonly name: string;
  readonly type: TypeEngine;
}

/** A statement compiled for one dialect. */
export interface CompiledSql {
  readonly sql: string;
  readonly binds: readonly BindSlot[];
  /** Result columns when they are known at compile time (a SELECT or RETURNING); null for `text()`. */
  readonly columns: readonly ResultColumn[] | null;
  /** True when the statement returns rows (SELECT, RETURNING, a textual query). */
  readonly returnsRows: boolean;
}
