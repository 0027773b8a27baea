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
    'metadata MetaData Table column t index literalColumn foreignKey PrimaryKeyConstraint UniqueConstraint ForeignKeyConstraint CheckConstraint ' +
    'Sequence Base DeclarativeBase InstrumentedList mapped relationship func literal true_ false_ null_'
  ).split(' '),
);

/** Names a model's column attributes must not take: members every instance has (`film.constructor`). */
export const INSTANCE_MEMBERS: ReadonlySet<string> = new Set('constructor awaitableAttrs toString valueOf toJSON hasOwnProperty __proto__'.split(' '));

/** Names a relationship (a static and an instance field) must not take: those and the class's statics (`Film.c`). */
export const MODEL_MEMBERS: ReadonlySet<string> = new Set([...INSTANCE_MEMBERS, ...'c table metadata model name length prototype caller arguments apply bind call'.split(' ')]);

/** The words of a name: split at `_`, `-`, spaces and lower-to-upper case changes (`FilmActor`, `film_actor`). */
export function words(name: string): string[] {
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

/** A class name: PascalCase (`film_actor` -> `FilmActor`), or the name itself with `preserve`. */
export function className(name: string, casing: Casing): string {
  if (casing === 'preserve') return caseName(name, 'preserve');
  const camel = caseName(name, 'camel');
  return camel[0]!.toUpperCase() + camel.slice(1);
}

/** `words` in `casing` (`preserve` joins them in camelCase: they are not database names). */
export function joinWords(parts: readonly string[], casing: Casing): string {
  return caseName(parts.join('_'), casing === 'snake' ? 'snake' : 'camel');
}

/** The plural of the last word (`film` -> `films`, `address` -> `addresses`, `city` -> `cities`, `things` kept). */
export function plural(parts: readonly string[]): string[] {
  const last = parts[parts.length - 1] ?? '';
  const lower = last.toLowerCase();
  const rest = parts.slice(0, -1);
  if (/(ss|x|z|ch|sh)$/.test(lower)) return [...rest, `${last}es`];
  if (lower.endsWith('s')) return parts.slice(); // already plural (`things`)
  if (/[^aeiou]y$/.test(lower)) return [...rest, `${last.slice(0, -1)}ies`];
  return [...rest, `${last}s`];
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
    readonly reserved: ReadonlySet<string> = TAKEN,
  ) {}

  /** Whether `name` may still be given. */
  isFree(name: string): boolean {
    return !this.reserved.has(name) && !this.#given.has(name);
  }

  /** Marks `name` as given. */
  take(name: string): void {
    this.#given.add(name);
  }

  /** Gives `name` as it is when free, else with a number (`language2`). */
  claim(name: string): string {
    let candidate = name;
    for (let n = 2; !this.isFree(candidate); n++) candidate = `${name}${n}`;
    this.#given.add(candidate);
    return candidate;
  }

  allocate(name: string): string {
    return this.allocateIdentifier(caseName(name, this.casing));
  }

  /** Like {@link allocate}, for a name already cased (`FilmActor`). */
  allocateIdentifier(base: string): string {
    const suffixed = this.casing === 'snake' ? `${base}_${this.suffix.toLowerCase()}` : `${base}${this.suffix}`;
    let candidate = this.isFree(base) ? base : suffixed;
    for (let n = 2; !this.isFree(candidate); n++) candidate = `${suffixed}${n}`;
    this.#given.add(candidate);
    return candidate;
  }
}
