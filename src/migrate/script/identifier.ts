/**
 * The syntax of revision identifiers, without any graph: what `tsmig upgrade X`, `downgrade X`, `show X`
 * and `history -r A:B` accept. {@link RevisionMap} gives the parsed forms their meaning.
 *
 * | form                 | meaning                                                           |
 * | -------------------- | ----------------------------------------------------------------- |
 * | `1975ea83b712`       | a full revision id                                                |
 * | `1975ea`             | a unique prefix of one (at least four characters)                 |
 * | `shop`               | the revision that declares branch label `shop`                    |
 * | `head`, `heads`      | the single head (an error if there are several), every head       |
 * | `base`               | before the first revision                                         |
 * | `current`            | the database's revisions (commands that read them only)           |
 * | `shop@head`          | the head of the branch `shop`; `shop@base` its base               |
 * | `shop@1975ea`        | a revision that must belong to the branch `shop`                  |
 * | `+2`, `-1`           | steps up or down from the current revision(s)                     |
 * | `1975ea+1`, `head-1` | steps from a named revision; `shop@head-1`, `shop@+1` on a branch |
 * | `A:B`                | a range (history, offline SQL); either side may be left out       |
 */
import { RevisionGraphError } from './errors.js';

/** Words with a meaning of their own; no revision id or branch label may be one of them. */
export const RESERVED_SYMBOLS: ReadonlySet<string> = new Set(['head', 'heads', 'base', 'current']);

/** Characters that cannot appear in a revision id: they are the identifier syntax. */
export const ILLEGAL_ID_CHARACTERS = /[@:+\-\s]/;

/** An identifier taken apart; `branch` is the part before `@`, when there is one. */
export type ParsedIdentifier =
  | {
      readonly kind: 'relative';
      readonly branch: string | null;
      /** The revision (or `head`, `heads`, `base`) the steps count from; null: from the current revision(s). */
      readonly symbol: string | null;
      /** Positive: up (towards the heads); negative: down. */
      readonly steps: number;
    }
  | { readonly kind: 'absolute'; readonly branch: string | null; readonly symbol: string };

const RELATIVE = /^(?:([^@]+)@)?([^@:+\-\s]+)?([+-]\d+)$/;

/**
 * Takes an identifier apart. Syntax only: whether `shop` is a label or `1975ea` a revision is the
 * map's business.
 *
 * @example
 * ```ts
 * parseIdentifier('shop@head-1'); // { kind: 'relative', branch: 'shop', symbol: 'head', steps: -1 }
 * parseIdentifier('1975ea');      // { kind: 'absolute', branch: null, symbol: '1975ea' }
 * ```
 */
export function parseIdentifier(identifier: string): ParsedIdentifier {
  const text = identifier.trim();
  if (text === '') throw new RevisionGraphError('Empty revision identifier: give a revision id, `head`, `heads` or `base`.');
  const relative = RELATIVE.exec(text);
  if (relative !== null) {
    return { kind: 'relative', branch: relative[1] ?? null, symbol: relative[2] ?? null, steps: Number(relative[3]) };
  }
  const at = text.indexOf('@');
  if (at === -1) return { kind: 'absolute', branch: null, symbol: text };
  const branch = text.slice(0, at);
  const symbol = text.slice(at + 1);
  if (branch === '' || symbol === '') {
    throw new RevisionGraphError(`Invalid revision identifier '${identifier}': write label@head, label@base or label@<revision>.`);
  }
  return { kind: 'absolute', branch, symbol };
}

/** The two ends of `A:B`; null for a side left out (`:B` from base, `A:` to the heads). */
export interface RevisionRange {
  readonly lower: string | null;
  readonly upper: string | null;
}

/**
 * Splits a range `A:B` (history, offline SQL). Exactly one `:` is required.
 *
 * @example
 * ```ts
 * parseRange('1975ea:head'); // { lower: '1975ea', upper: 'head' }
 * parseRange(':ae10');       // { lower: null, upper: 'ae10' }
 * ```
 */
export function parseRange(range: string): RevisionRange {
  const parts = range.trim().split(':');
  if (parts.length !== 2) {
    throw new RevisionGraphError(`Invalid revision range '${range}': write start:end, start: or :end.`);
  }
  const [lower, upper] = parts.map((p) => p.trim()) as [string, string];
  return { lower: lower === '' ? null : lower, upper: upper === '' ? null : upper };
}
