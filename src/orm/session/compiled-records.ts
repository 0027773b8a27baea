/**
 * Records compiled once per mapper: reading one model's column values out of a result row into the
 * record an instance keeps (see `InstanceState.dict`). Each record is written as one object literal,
 * so V8 gives every record of a mapper the same shape with its properties in-object: filling an empty
 * `{}` key by key made loading 100,000 objects grow and rehash each record and cost a third more
 * garbage collection. The reload after commit writes an unchanged object's record in place, and before
 * an INSERT the unset columns of a new object's record are filled in, by compiled code too.
 *
 * The generated code holds nothing but attribute keys, each written as a JSON string literal (always a
 * valid JavaScript string literal), and numeric offsets, so no user text can become code. The reader is
 * the engine's (`compileRowReader` in engine/row.ts, which catalog queries use too).
 */
import { compileRowReader, type RowReader } from '../../engine/row.js';
import type { Mapper } from '../mapper.js';

/** `compile` of a mapper's column keys (in `mapper.columns` order), made once per mapper. */
function perMapper<T>(compile: (keys: readonly string[]) => T): (mapper: Mapper) => T {
  const compiled = new WeakMap<Mapper, T>();
  return (mapper) => {
    let made = compiled.get(mapper);
    if (made === undefined) compiled.set(mapper, (made = compile(mapper.columns.map((c) => c.key))));
    return made;
  };
}

/** The reader of `mapper`'s columns, in `mapper.columns` order (the order a select of the model lists them). */
export const rowReaderOf: (mapper: Mapper) => RowReader = perMapper(compileRowReader);

/** Writes the column values of an entity whose columns start at `start` in `row` into an existing record. */
export type RowWriter = (values: Record<string, unknown>, row: readonly unknown[], start: number) => void;

/**
 * The writer of `mapper`'s columns, in `mapper.columns` order: the reload after commit refreshes an
 * unchanged object's record in place rather than building a new one and dropping the old, whose 10,000
 * records (long-lived by then) cost the garbage collector a major collection's work.
 */
export const rowWriterOf: (mapper: Mapper) => RowWriter = perMapper(compileRowWriter);

/**
 * A writer of these keys, the `i`-th read from `row[start + i]`. An assignment to `values["__proto__"]`
 * is what a loop's `values[key]` does, so every key is written the same way.
 */
export function compileRowWriter(keys: readonly string[]): RowWriter {
  const lines = keys.map((key, i) => `values[${JSON.stringify(key)}] = row[start + ${i}];`);
  return new Function('values', 'row', 'start', lines.join('\n')) as RowWriter;
}

/** Sets each of `keys` a record does not have to null. */
export type NullFiller = (values: Record<string, unknown>) => void;

/**
 * A filler of these keys: the columns an INSERT writes as NULL when the object left them unset. Each
 * key is tested as a constant (`"title" in values`), which V8 answers from the record's shape.
 */
export function compileNullFiller(keys: readonly string[]): NullFiller {
  const lines = keys.map((key) => `if (!(${JSON.stringify(key)} in values)) values[${JSON.stringify(key)}] = null;`);
  return new Function('values', lines.join('\n')) as NullFiller;
}

/** An object's INSERT shape from its record: one character per server-filled column, '1' where the database fills it in. */
export type ShapeOf = (values: Record<string, unknown>) => string;

/**
 * The shape of these server-filled columns: the database fills in a computed column always, an
 * autoincrement one left unset or null, a server default left unset. Each column is a constant test,
 * where a loop over the columns asked each one's options again for every object.
 */
export function compileShapeOf(columns: readonly { key: string; computed: boolean; autoincrement: boolean }[]): ShapeOf {
  if (columns.length === 0) return () => '';
  const tests = columns.map(({ key, computed, autoincrement }) => {
    const k = JSON.stringify(key);
    if (computed) return "'1'";
    const filled = autoincrement ? `(value = values[${k}]) === undefined || value === null` : `values[${k}] === undefined && !(${k} in values)`;
    return `(${filled} ? '1' : '0')`;
  });
  return new Function('values', `let value;\nreturn ${tests.join(' + ')};`) as ShapeOf;
}
