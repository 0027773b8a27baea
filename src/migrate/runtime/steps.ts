/**
 * How the runtime describes steps (`Running upgrade a -> b, message`, and the same in errors) and the
 * arithmetic of heads: what the version table holds after a step's change.
 */
import type { MigrationStep } from '../script/revision.js';
import type { VersionChange } from './version-table.js';

/** One line of progress: a migration about to run, or a stamp. */
export interface StepEvent {
  readonly kind: 'upgrade' | 'downgrade' | 'stamp';
  /** The revisions before the step (empty: base). */
  readonly from: readonly string[];
  /** The revisions after it (empty: base). */
  readonly to: readonly string[];
  readonly message: string;
  /** The database of a multidb project, or null. */
  readonly database: string | null;
  /** Where the step is in the run: the `index`th (from 1) of `total` migrations. Absent for a stamp. */
  readonly position?: { readonly index: number; readonly total: number };
}


/**
 * `Running upgrade a1b2c3 -> d4e5f6, add movies`: the stable shape of progress lines (STYLE §6), also
 * written as a comment into offline scripts.
 */
export function stepLine(event: StepEvent): string {
  const verb = event.kind === 'stamp' ? 'stamp' : event.kind;
  const from = event.from.length === 0 ? 'base' : event.from.join(', ');
  const to = event.to.length === 0 ? 'base' : event.to.join(', ');
  return `Running ${verb} ${from} -> ${to}${event.message === '' ? '' : `, ${event.message}`}`;
}

/** The heads after a version change. */
export function applyChange(heads: readonly string[], change: VersionChange): string[] {
  let next = heads.filter((h) => !change.delete.includes(h));
  if (change.update !== null) {
    const [from, to] = change.update;
    next = next.map((h) => (h === from ? to : h));
  }
  return [...next, ...change.insert];
}

/** `Upgrade a -> b (message)` and the revision, for error messages. */
export function describeStep(step: MigrationStep): { what: string; revision: string } {
  const { revision, downRevisions, message } = step.revision;
  const below = downRevisions.length === 0 ? 'base' : downRevisions.join(', ');
  const arrow = step.direction === 'up' ? `Upgrade ${below} -> ${revision}` : `Downgrade ${revision} -> ${below}`;
  return { what: `${arrow}${message === '' ? '' : ` (${message})`}`, revision };
}

/** The same revisions, in any order. */
export function sameHeads(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((h, i) => h === [...b].sort()[i]);
}

/** `a, b`, or `no revision (base)`. */
export function formatHeads(heads: readonly string[]): string {
  return heads.length === 0 ? 'no revision (base)' : heads.join(', ');
}

/** An error's message on one line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** At most `max` characters, `...` marking a cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
