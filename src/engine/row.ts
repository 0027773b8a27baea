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
