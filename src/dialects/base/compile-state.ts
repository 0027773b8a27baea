/**
 * The mutable state of one compilation: collected bind slots, anonymous names, the stack of enclosing
 * FROM lists used for correlation. Created per `compile()` call and discarded after.
 */
import type { BindSlot } from '../compiled.js';
import type { FromClause } from '../../sql/selectable.js';
import { keepShape } from '../../util/keep-shape.js';

export class CompileState {
  readonly binds: BindSlot[] = [];
  /**
   * FROM lists of the enclosing statements, innermost last; a nested select correlates against those
   * after the last `null`, which marks a subquery in FROM (it sees nothing outside itself).
   */
  readonly enclosingFroms: (readonly FromClause[] | null)[] = [];
  /** The labels in the SELECT list being rendered, which ORDER BY may name instead of repeating. */
  selectedLabels: ReadonlySet<unknown> = new Set();
  /** False inside SET lists, INSERT column lists and RETURNING, where columns are named bare. */
  qualifyColumns = true;
  readonly #anonymous = new Map<object, string>();
  readonly #resultNames = new Map<object, readonly (string | null)[]>();
  readonly #counters = new Map<string, number>();

  constructor(
    /** Render values as SQL literals (offline scripts) instead of parameters. */
    readonly literalBinds: boolean,
  ) {}

  /** `base_N`, numbered per base name in order of appearance (`title_1`, `title_2`, `anon_1`). */
  nextName(base: string): string {
    const n = (this.#counters.get(base) ?? 0) + 1;
    this.#counters.set(base, n);
    return `${base}_${n}`;
  }

  /** The correlation candidates: FROM objects of the enclosing statements up to a FROM-subquery barrier. */
  get correlationFroms(): readonly FromClause[] {
    const frames = this.enclosingFroms;
    const barrier = frames.lastIndexOf(null);
    return frames.slice(barrier + 1).flatMap((frame) => frame ?? []);
  }

  /** Result names of a statement's columns, computed once so the SQL labels and the row keys agree. */
  resultNames(statement: object, compute: () => readonly (string | null)[]): readonly (string | null)[] {
    let names = this.#resultNames.get(statement);
    if (names === undefined) {
      names = compute();
      this.#resultNames.set(statement, names);
    }
    return names;
  }

  /** A stable anonymous name for an unnamed label or subquery: the same object gets the same name. */
  anonymousName(element: object): string {
    let name = this.#anonymous.get(element);
    if (name === undefined) {
      name = this.nextName('anon');
      this.#anonymous.set(element, name);
    }
    return name;
  }
}

// Each compilation's state dies with it (see util/keep-shape.ts).
keepShape(new CompileState(false));
