/**
 * The names result columns go by, shared by the compilers (which label the SQL with them) and by
 * subqueries (whose `.c` must offer the same names): labels and natural names as given, a computed name
 * seen twice numbered (`count`, `count_1`, as SQLAlchemy does) around the explicit names, which are
 * reserved first. Plain columns keep theirs even when repeated in a top-level SELECT (they are also
 * reachable by position); in a subquery every name must be unique (`users.id` and `addresses.id` are
 * `id` and `id_1`, as in SQLAlchemy), or the database reports an ambiguous or duplicate column (SQLite
 * silently picks one).
 */
import type { ColumnElement, Label } from './elements/column-element.js';

/**
 * @param anonymous names an unnamed label (the compiler's `anon_N`); null leaves it unnamed.
 * @param unique number repeated plain column names too (a subquery's columns).
 */
export function resultNames(
  columns: readonly ColumnElement[],
  anonymous: (label: Label) => string | null,
  unique = false,
): (string | null)[] {
  const explicit = (column: ColumnElement): string | null =>
    column.kind === 'Label' ? ((column as Label).name ?? anonymous(column as Label)) : column.naturalName;
  const computed = (column: ColumnElement) => column.kind !== 'Column' && column.kind !== 'DerivedColumn' && column.kind !== 'Label';
  const used = new Set<string>();
  for (const column of columns) {
    const name = explicit(column);
    if (name !== null && !computed(column)) used.add(name);
  }
  const seen = new Set<string>();
  const plain = new Set<string>();
  return columns.map((column) => {
    let name = explicit(column);
    if (name === null) return name;
    if (!computed(column) && (!unique || !plain.has(name))) {
      plain.add(name);
      return name;
    }
    if (used.has(name) || seen.has(name)) {
      let n = 1;
      while (used.has(`${name}_${n}`) || seen.has(`${name}_${n}`)) n++;
      name = `${name}_${n}`;
    }
    seen.add(name);
    return name;
  });
}
