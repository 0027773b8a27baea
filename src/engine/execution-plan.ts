/**
 * What the engine works out once per compiled statement: the value converters of every parameter slot
 * and result column (the dialect's adapter plus a TypeDecorator's own hooks) and the driver hints. The
 * per-execution work is then two tight loops: build the parameter array, convert the row values.
 */
import type { BindSlot, CompiledSql } from '../dialects/compiled.js';
import type { ValueAdapter } from '../dialects/dialect.js';
import { ArgumentError, InvalidRequestError } from '../errors.js';
import type { TypeEngine } from '../types/type-engine.js';
import type { DriverResult, DriverStatement } from './drivers/index.js';
import { type RowBinder, compileRowBinder } from './row-binder.js';
import { type RowConverters, compileRowConverter } from './row-converter.js';

type Processor = (value: unknown) => unknown;

/** Execution parameters: values of late-bound slots by key. */
export type Params = Readonly<Record<string, unknown>>;

export interface ExecutionPlan {
  readonly compiled: CompiledSql;
  readonly bindProcessors: readonly (Processor | null)[];
  /** The compiled parameter builder of a multi-row INSERT batch; null for other statements. */
  readonly rowBinder: RowBinder | null;
  /** Converters of the compiled result columns; null when the statement has no typed columns. */
  readonly resultProcessors: readonly (Processor | null)[] | null;
  /** The compiled column names, when known. */
  readonly columnNames: readonly string[] | null;
  /** Convert the values of a result whose columns are the compiled ones (see `row-converter.ts`); null when none needs it. */
  readonly convert: RowConverters | null;
  /**
   * Match result columns to the compiled ones by name rather than position: `text().columns()`
   * declares types by name, in any order and possibly for only some columns.
   */
  readonly byName: boolean;
  /** What the driver is asked to run. */
  readonly statement: DriverStatement;
}

/** A type's bind converter: the TypeDecorator's `bindValue` first, then the dialect's. */
export function bindProcessor(values: ValueAdapter, type: TypeEngine): Processor | null {
  const dialect = values.bind(type.impl);
  const user = type.bindValue as Processor | null;
  if (user === null) return dialect;
  if (dialect === null) return user;
  return (value) => {
    const converted = user(value);
    return converted == null ? converted : dialect(converted);
  };
}

/** A type's result converter: the dialect's first, then the TypeDecorator's `resultValue`. */
export function resultProcessor(values: ValueAdapter, type: TypeEngine): Processor | null {
  const dialect = values.result(type.impl);
  const user = type.resultValue as Processor | null;
  if (user === null) return dialect;
  if (dialect === null) return user;
  return (value) => user(dialect(value));
}

/** better-sqlite3's safeIntegers applies to the whole statement; other columns go back to numbers. */
function bigintToNumber(next: Processor | null): Processor {
  return next === null
    ? (value) => (typeof value === 'bigint' ? Number(value) : value)
    : (value) => next(typeof value === 'bigint' ? Number(value) : value);
}

export function makePlan(
  compiled: CompiledSql,
  values: ValueAdapter,
  options: { reusable: boolean; byName: boolean; exactIntegersOnRequest: boolean },
): ExecutionPlan {
  const columns = compiled.columns;
  const bigints =
    options.exactIntegersOnRequest && columns !== null && columns.some((c) => c.type.impl.typeName === 'BigInteger');
  let resultProcessors: (Processor | null)[] | null = null;
  if (columns !== null) {
    resultProcessors = columns.map((c) => {
      const processor = resultProcessor(values, c.type);
      return bigints && c.type.impl.typeName !== 'BigInteger' ? bigintToNumber(processor) : processor;
    });
  }
  const columnNames = columns === null ? null : columns.map((c) => c.name);
  const statement: DriverStatement = {
    sql: compiled.sql,
    bigints,
    reusable: options.reusable,
    freshNames: columnNames === null || options.byName,
  };
  const bindProcessors = compiled.binds.map((slot) => bindProcessor(values, slot.type));
  return {
    compiled,
    statement,
    bindProcessors,
    rowBinder: compiled.binds.length > 0 && compiled.binds.at(-1)!.row > 0 ? compileRowBinder(compiled.binds, bindProcessors) : null,
    resultProcessors,
    columnNames,
    convert: compileRowConverter(resultProcessors),
    byName: options.byName,
  };
}

/**
 * The driver's parameter array for one execution. `rows[offset + slot.row]` supplies late-bound values
 * (one record for a plain execution, a batch of records for a multi-row INSERT).
 */
export function bindParams(plan: ExecutionPlan, rows: readonly Params[], offset: number): unknown[] {
  const slots = plan.compiled.binds;
  const processors = plan.bindProcessors;
  const out = new Array<unknown>(slots.length);
  if (plan.rowBinder !== null) {
    try {
      plan.rowBinder(rows, offset, out);
      return out;
    } catch {
      // A missing value or a failed conversion: the loop below meets it again and names it.
    }
  }
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    let value: unknown;
    if (slot.late) {
      const source = rows[offset + slot.row];
      value = source === undefined ? undefined : source[slot.key];
      if (value === undefined) throw missingValue(slot);
    } else {
      // A function default is called per row and per execution: the compiled statement is reused.
      value = slot.generate === undefined ? slot.value : slot.generate();
    }
    if (value == null) {
      out[i] = null;
      continue;
    }
    const processor = processors[i];
    if (processor == null) {
      out[i] = value;
      continue;
    }
    try {
      out[i] = processor(value);
    } catch (error) {
      throw new ArgumentError(
        `Cannot bind ${String(slot.type)} parameter '${slotName(slot)}': ${(error as Error).message ?? error}`,
        { cause: error },
      );
    }
  }
  return out;
}

/** A slot's name as the user wrote it: the compiler numbers the values it binds (`count_1`) after their column. */
function slotName(slot: BindSlot): string {
  return slot.late ? slot.key : slot.key.replace(/_\d+$/, '');
}

function missingValue(slot: BindSlot): InvalidRequestError {
  return new InvalidRequestError(
    `A value is required for bind parameter '${slot.key}'; pass it in the execute() parameters, e.g. { ${slot.key}: ... }`,
  );
}

/** Whether a result's columns are the plan's compiled ones, converted by position. */
export function hasCompiledColumns(plan: ExecutionPlan, names: readonly string[]): plan is ExecutionPlan & { readonly columnNames: readonly string[] } {
  return !plan.byName && plan.columnNames !== null && plan.columnNames.length === names.length;
}

/**
 * Converts the driver's row values in place (the result gives the rows their names when they are first
 * read, see `Result`). Returns the column names.
 */
export function finishRows(
  plan: ExecutionPlan,
  result: DriverResult,
  values: ValueAdapter,
): readonly string[] | null {
  const rows = result.rows;
  if (result.names === null) return null;
  if (hasCompiledColumns(plan, result.names)) {
    plan.convert?.rows(rows);
    return plan.columnNames;
  }
  // text(), typed by name or not at all: names come from the driver, types from the declared columns
  // or else from the driver's column metadata.
  const names = result.names;
  const processors = names.map((name, i) => {
    const declared = plan.columnNames?.indexOf(name) ?? -1;
    if (declared !== -1) return plan.resultProcessors![declared]!;
    const type = result.types?.[i];
    return type == null ? null : resultProcessor(values, type);
  });
  if (!processors.some((p) => p !== null)) return names;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < processors.length; c++) {
      const processor = processors[c];
      if (processor != null) {
        const value = row[c];
        if (value != null) row[c] = processor(value);
      }
    }
  }
  return names;
}
