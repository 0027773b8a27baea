/**
 * The mutable state of one compilation: collected bind slots, anonymous names, the stack of enclosing
 * FROM lists used for correlation. Created per `compile()` call and discarded after.
 */
import type { BindSlot } from '../compiled.js';
import type { FromClause } from '../../sql/selectable.js';

export class CompileState {
  readonly binds: BindSlot[] = [];
  /** FROM lists of the enclosing selects, innermost last; a nested select correlates against them. */
  readonly enclosingFroms: (readonly FromClause[])[] = [];
  /** False inside SET lists, INSERT column lists and RETURNING, where columns are named bare. */
  qualifyColumns = true;
  readonly #anonymous = new Map<object, string>();
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
