/**
 * Running one command on many databases (`--all`): at most `concurrency` targets at a time, each with its
 * own pool (opened and closed by the command on that target) or its server's shared one
 * (runtime/server-pools.ts), every target to the end even when some fail unless `failFast`. A target's work is the ordinary command on a config of its own (targets.ts), so a
 * target's outcome is exactly what the command would do on it alone: a failure rolls back that target
 * (where DDL is transactional) and leaves the others alone, and running again does only what is left.
 */
import { TsmigError } from '../../errors.js';
import type { ResolvedTarget } from '../config/targets.js';
import { interruptSignal, onInterrupt } from '../runtime/interrupt.js';

/** What happened on one target. */
export type TargetOutcome<T> =
  | { readonly target: ResolvedTarget; readonly status: 'succeeded'; readonly result: T; readonly ms: number }
  | { readonly target: ResolvedTarget; readonly status: 'failed'; readonly error: unknown; readonly ms: number }
  | { readonly target: ResolvedTarget; readonly status: 'skipped'; readonly reason: string };

/** Counts after each finished target, for a progress line. */
export interface FleetProgress {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Neither finished nor skipped yet (running or waiting). */
  readonly remaining: number;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
}

/** Options of {@link runOnTargets}. */
export interface FleetOptions<T> {
  /** How many targets run at the same time (default 4). */
  readonly concurrency?: number;
  /** Start no further target after the first failure (the running ones finish). */
  readonly failFast?: boolean;
  /** Called after each target finishes. */
  readonly onProgress?: (progress: FleetProgress, outcome: TargetOutcome<T>) => void;
  /** A finished target whose result still counts as a failure (`check` finding differences). */
  readonly isFailure?: (result: T) => unknown;
}

/** The outcome of every target, in the targets' order. */
export interface FleetResult<T> {
  readonly outcomes: readonly TargetOutcome<T>[];
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
  readonly elapsedMs: number;
  /** The signal that stopped the run (no new target started after it), or null. */
  readonly interrupted: NodeJS.Signals | null;
}

/** A target whose result is a failure though the command ran (`check`: the models differ). */
export class TargetFailedError extends TsmigError {
  override readonly name: string = 'TargetFailedError';
}

/**
 * Runs `work` on every target, `concurrency` at a time.
 *
 * @example
 * ```ts
 * const result = await runOnTargets(targets, (target) => upgrade(configForTarget(config, target), 'head', { scripts }), { concurrency: 8 });
 * console.log(`${result.failed} failed`);
 * ```
 */
export async function runOnTargets<T>(
  targets: readonly ResolvedTarget[],
  work: (target: ResolvedTarget) => Promise<T>,
  options: FleetOptions<T> = {},
): Promise<FleetResult<T>> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const outcomes: (TargetOutcome<T> | undefined)[] = new Array(targets.length);
  const started = performance.now();
  let next = 0;
  let succeeded = 0;
  let failed = 0;
  let stopReason: string | null = null;
  // While the fleet runs, a signal stops new targets from starting (and cancels the running ones' statements)
  // instead of killing the process between two targets.
  const stopListening = onInterrupt(async () => {
    stopReason ??= 'not started: interrupted';
  });
  const worker = async (): Promise<void> => {
    for (;;) {
      if (stopReason === null && interruptSignal() !== null) stopReason = 'not started: interrupted';
      if (stopReason !== null || next >= targets.length) return;
      const index = next++;
      const target = targets[index]!;
      const t0 = performance.now();
      let outcome: TargetOutcome<T>;
      try {
        const result = await work(target);
        const failure = options.isFailure?.(result);
        outcome = failure === undefined || failure === null || failure === false
          ? { target, status: 'succeeded', result, ms: performance.now() - t0 }
          : { target, status: 'failed', error: failure, ms: performance.now() - t0 };
      } catch (error) {
        outcome = { target, status: 'failed', error, ms: performance.now() - t0 };
      }
      outcomes[index] = outcome;
      if (outcome.status === 'succeeded') succeeded++;
      else {
        failed++;
        if (options.failFast === true) stopReason ??= 'not started: --fail-fast after a failure';
      }
      options.onProgress?.(
        { total: targets.length, succeeded, failed, remaining: targets.length - succeeded - failed, elapsedMs: performance.now() - started },
        outcome,
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  } finally {
    stopListening();
  }
  // Array.from, not map: map skips the holes of targets that never started.
  const all = Array.from(outcomes, (o, i): TargetOutcome<T> => o ?? { target: targets[i]!, status: 'skipped', reason: stopReason ?? 'not started' });
  return {
    outcomes: all,
    succeeded,
    failed,
    skipped: all.length - succeeded - failed,
    elapsedMs: performance.now() - started,
    interrupted: interruptSignal(),
  };
}
