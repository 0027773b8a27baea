/**
 * The names `tsmig pull` gives to what it declares: database names turned into TypeScript identifiers
 * in the project's casing, never a reserved word nor a name the file imports, never twice the same.
 */

/** How database names become TypeScript names. */
export type Casing = 'camel' | 'snake' | 'preserve';

// Strict-mode and module reserved words, plus names a models file declares or imports itself.
const TAKEN = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'implements import in instanceof interface let new null package private protected public return static super switch this throw ' +
    'true try typeof var void while with yield await arguments eval undefined ' +
    'metadata MetaData Table column t index literalColumn foreignKey PrimaryKeyConstraint UniqueConstraint ForeignKeyConstraint CheckConstraint'
  ).split(' '),
);

/** The words of a name: split at `_`, `-`, spaces and lower-to-upper case changes (`FilmActor`, `film_actor`). */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
}

/** `name` in `casing`, as a valid identifier (not yet checked against reserved words). */
export function caseName(name: string, casing: Casing): string {
  let result: string;
  if (casing === 'preserve') result = name.replace(/[^\w$]/g, '_');
  else {
    const parts = words(name).map((w) => w.toLowerCase());
    result = casing === 'snake' ? parts.join('_') : parts.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  }
  if (result === '') result = '_';
  return /^[0-9]/.test(result) ? `_${result}` : result;
}

/**
 * Hands out identifiers: each database name cased, with `suffix` added (`classTable`) when the cased
 * name is reserved or already given, then a number if that is taken too.
 */
export class NameAllocator {
  readonly #given = new Set<string>();

  constructor(
    readonly casing: Casing,
    readonly suffix: string,
  ) {}

  allocate(name: string): string {
    const base = caseName(name, this.casing);
    const suffixed = this.casing === 'snake' ? `${base}_${this.suffix.toLowerCase()}` : `${base}${this.suffix}`;
    let candidate = TAKEN.has(base) || this.#given.has(base) ? suffixed : base;
    for (let n = 2; TAKEN.has(candidate) || this.#given.has(candidate); n++) candidate = `${suffixed}${n}`;
    this.#given.add(candidate);
    return candidate;
  }
}
