/**
 * Keeps one instance of a short-lived kind of object alive for the life of the process.
 *
 * V8 gives objects built the same way one hidden class (a map), reached from their constructor by
 * transitions it holds weakly. When no object of that kind is alive at a full garbage collection (a
 * session's objects once it is closed, a loader's records once the load is done), the map is collected
 * and every optimized function compiled against it is thrown away, so the next load runs unoptimized
 * until V8 compiles it again: a relationship load right after a full collection took twice the CPU.
 * One kept instance, built the way the others are, holds the map and with it the compiled code.
 */
const kept: object[] = [];

/** Keeps `instance`, and so the hidden class of objects built as it was, alive; returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}

/** @internal The kept instances (tests check that real objects share their hidden classes). */
export function keptShapes(): readonly object[] {
  return kept;
}
