/**
 * Renames the user states, so that autogenerate writes `renameTable` / `alterColumn({ newName })` and
 * keeps the data, instead of a drop and an add. A rename is stated in the model (`renamedFrom: 'old'` on
 * a table or column) or on the command line (`--rename old:new` for a table, `--rename table.old:new` for a
 * column); a possible rename found by shape is only reported, or confirmed at an interactive prompt.
 */
import { ArgumentError } from '../../errors.js';
import type { MetaData } from '../../schema/metadata.js';
import type { RenameCandidate } from './plan.js';

/** A rename, by the names of the model (the new ones). */
export interface StatedRename {
  readonly kind: 'table' | 'column';
  /** For a column, its table's new name; for a table, null. */
  readonly table: string | null;
  readonly schema: string | null;
  readonly from: string;
  readonly to: string;
}

/** The renames of one run, looked up by new name. */
export class RenameSet {
  /** `schema.table` (new) -> old table name. */
  readonly #tables = new Map<string, string>();
  /** `schema.table` (new) -> new column name -> old column name. */
  readonly #columns = new Map<string, Map<string, string>>();

  constructor(renames: readonly StatedRename[] = []) {
    for (const rename of renames) this.add(rename);
  }

  add(rename: StatedRename): void {
    if (rename.kind === 'table') {
      this.#tables.set(key(rename.schema, rename.to), rename.from);
      return;
    }
    const table = key(rename.schema, rename.table!);
    let columns = this.#columns.get(table);
    if (columns === undefined) this.#columns.set(table, (columns = new Map()));
    columns.set(rename.to, rename.from);
  }

  /** The old name of the table the model calls `name`, if it was renamed. */
  tableFrom(schema: string | null, name: string): string | null {
    return this.#tables.get(key(schema, name)) ?? null;
  }

  /** The old name of column `name` of table `table` (new name), if it was renamed. */
  columnFrom(schema: string | null, table: string, name: string): string | null {
    return this.#columns.get(key(schema, table))?.get(name) ?? null;
  }
}

const key = (schema: string | null, name: string): string => (schema === null ? name : `${schema}.${name}`);

/**
 * Parses `--rename` values: `old:new` renames a table, `table.old:new` a column of `table` (the new
 * table name when the table is renamed too); `schema.` before either names a non-default schema, which
 * is told apart by the model: `a.b:c` is a column when the model has a table `a`.
 *
 * @example
 * parseRenameArgs(['movies.director:director_name', 'film:movies'], metadata);
 * // [{ kind: 'column', table: 'movies', from: 'director', to: 'director_name', schema: null },
 * //  { kind: 'table', table: null, from: 'film', to: 'movies', schema: null }]
 */
export function parseRenameArgs(args: readonly string[], metadata: MetaData | null): StatedRename[] {
  return args.map((arg) => {
    const colon = arg.lastIndexOf(':');
    const left = colon === -1 ? '' : arg.slice(0, colon);
    const to = colon === -1 ? '' : arg.slice(colon + 1);
    const parts = left.split('.');
    if (to === '' || to.includes('.') || parts.some((p) => p === '') || parts.length > 3) {
      throw new ArgumentError(`--rename ${arg}: expected old:new (a table) or table.old:new (a column)`);
    }
    const hasTable = (schema: string | null, name: string) =>
      metadata === null || metadata.tables.has(key(schema, name)) || metadata.tables.has(key(metadata.schema, name));
    if (parts.length === 3) return { kind: 'column', schema: parts[0]!, table: parts[1]!, from: parts[2]!, to };
    if (parts.length === 2 && hasTable(null, parts[0]!)) return { kind: 'column', schema: metadata?.schema ?? null, table: parts[0]!, from: parts[1]!, to };
    if (parts.length === 2) return { kind: 'table', schema: parts[0]!, table: null, from: parts[1]!, to };
    return { kind: 'table', schema: metadata?.schema ?? null, table: null, from: parts[0]!, to };
  });
}

/** The `--rename` argument that states a candidate, for messages. */
export function renameArg(candidate: RenameCandidate): string {
  const schema = candidate.schema === null ? '' : `${candidate.schema}.`;
  return candidate.kind === 'table' ? `${schema}${candidate.from}:${candidate.to}` : `${schema}${candidate.table}.${candidate.from}:${candidate.to}`;
}

/** A candidate as a stated rename (after the user confirmed it). */
export function candidateRename(candidate: RenameCandidate): StatedRename {
  return {
    kind: candidate.kind,
    table: candidate.kind === 'column' ? candidate.table : null,
    schema: candidate.schema,
    from: candidate.from,
    to: candidate.to,
  };
}
