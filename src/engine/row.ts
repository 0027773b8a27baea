/**
 * Result rows are the driver's own row arrays with a prototype that adds one getter per column name,
 * so `row[0]`, `const [a, b] = row` and `row.title` all work without copying a value. One prototype
 * serves every row of a result (and every result with the same column names).
 */

const CACHE_LIMIT = 1000;
const prototypes = new Map<string, object>();

/**
 * The prototype for rows with these column names. Names that would hide an array member (`length`,
 * `map`, `keys`, an index) and repeated names after their first occurrence get no getter; read them by
 * position or through `result.mappings()`.
 */
export function rowPrototype(names: readonly string[]): object {
  const key = names.join('\u0000');
  let proto = prototypes.get(key);
  if (proto === undefined) {
    proto = Object.create(Array.prototype) as object;
    const seen = new Set<string>();
    names.forEach((name, index) => {
      if (seen.has(name) || name in Array.prototype || /^\d+$/.test(name)) return;
      seen.add(name);
      Object.defineProperty(proto, name, {
        get(this: unknown[]) {
          return this[index];
        },
        enumerable: false,
        configurable: false,
      });
    });
    if (prototypes.size >= CACHE_LIMIT) prototypes.delete(prototypes.keys().next().value!);
    prototypes.set(key, proto);
  }
  return proto;
}

/** The first position of each distinct name, for building `{ name: value }` mappings. */
export function uniqueColumns(names: readonly string[]): readonly (readonly [string, number])[] {
  const seen = new Set<string>();
  const columns: [string, number][] = [];
  names.forEach((name, index) => {
    if (seen.has(name)) return;
    seen.add(name);
    columns.push([name, index]);
  });
  return columns;
}

/** The values of a row from position `start` on, by key: the ORM's records of one entity, catalog rows by name. */
export type RowReader = (row: readonly unknown[], start: number) => Record<string, unknown>;

/**
 * A reader for these keys, the `i`-th read from `row[start + i]`, that writes each record as one object
 * literal: V8 then gives every record the same shape with its properties in-object, where filling an
 * empty `{}` key by key grows and rehashes each one. The generated code holds each key as a JSON string
 * literal (always a valid JavaScript string literal) and numeric offsets, so no key can become code.
 */
export function compileRowReader(keys: readonly string[]): RowReader {
  if (!keys.every(isPlainKey)) {
    return (row, start) => {
      const values: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) values[keys[i]!] = row[start + i];
      return values;
    };
  }
  const fields = keys.map((key, i) => `${JSON.stringify(key)}: row[start + ${i}]`);
  const reader = new Function('row', 'start', `return { ${fields.join(', ')} };`) as RowReader;
  // A first record of NULLs makes V8 lay out every field as a reference. Laid out for the numbers of a
  // first row instead, a float field holds a box of its own per record, another object for the garbage
  // collector to copy per loaded row; as a reference it shares the number the driver made.
  reader(new Array<null>(keys.length).fill(null), 0);
  return reader;
}

/**
 * Whether `key` can be written in an object literal: `__proto__` there would set the prototype instead of
 * a property, so such keys are assigned one by one.
 */
function isPlainKey(key: string): boolean {
  return key !== '__proto__';
}
