/**
 * The progress line of a long run, the one shape every verb draws: `upgrade 37/1000 · 12.3/s · ETA 78 s`.
 * It counts, measures the rate and the time left, and hands the text to `Output.progress()`, which draws
 * it on a live terminal only (never in a pipe, a file or a CI log) and keeps it under the lines printed
 * while it is up.
 */
import type { Output } from './output.js';

/** Runs of at least this many steps (migrations, tables) get a progress line; shorter ones are over too soon. */
export const PROGRESS_MIN_STEPS = 10;

/** Redraws closer together than this are skipped (the one that reaches the total is always drawn). */
const REDRAW_MS = 100;

export class ProgressLine {
  readonly #output: Output;
  /** What is counted, first on the line. */
  readonly label: string;
  readonly #total: number;
  readonly #started = performance.now();
  #drawn = -Infinity;

  /** A line for `total` items, labelled `label` (`upgrade`, `current`, `compare [db]`); the clock starts now. */
  constructor(output: Output, label: string, total: number) {
    this.#output = output;
    this.label = label;
    this.#total = total;
  }

  /**
   * Shows `count` of the total: the item now running, or the items finished. `finished` (default `count`)
   * sets the rate and the time left; `detail` follows the count (` tables`, ` done, 1 failed, 7 left`).
   */
  update(count: number, options: { readonly finished?: number; readonly detail?: string } = {}): void {
    const finished = options.finished ?? count;
    const now = performance.now();
    const last = count >= this.#total || finished >= this.#total;
    if (now - this.#drawn < REDRAW_MS && !last) return;
    this.#drawn = now;
    const seconds = (now - this.#started) / 1000;
    const rate = finished > 0 && seconds > 0 ? finished / seconds : null;
    const eta = rate === null ? '?' : `${Math.ceil((this.#total - finished) / rate)} s`;
    this.#output.progress(`${this.label} ${count}/${this.#total}${options.detail ?? ''} · ${rate === null ? '?' : rate.toFixed(1)}/s · ETA ${eta}`);
  }

  /** Erases the line for good. */
  end(): void {
    this.#output.endProgress();
  }
}
