/**
 * Loading revision modules ahead of the migration that runs, for the migration context.
 */
import type { MigrationStep, RevisionInfo, RevisionModule } from '../script/revision.js';

/**
 * Loads revision modules a few steps ahead of the one running, so that importing the next files (tsx
 * transforms them on its own thread) overlaps with the database's work on this one. A module that fails
 * to load fails its own step only, when that step comes.
 */
export class ModulePrefetch {
  readonly #load: (revision: RevisionInfo) => Promise<RevisionModule>;
  readonly #loading = new Map<string, Promise<RevisionModule>>();
  readonly #ahead: number;

  constructor(load: (revision: RevisionInfo) => Promise<RevisionModule>, ahead = 4) {
    this.#load = load;
    this.#ahead = ahead;
  }

  get(steps: readonly MigrationStep[], index: number): Promise<RevisionModule> {
    for (let i = index; i < Math.min(steps.length, index + 1 + this.#ahead); i++) {
      const info = steps[i]!.revision;
      if (this.#loading.has(info.revision)) continue;
      const loading = this.#load(info);
      loading.catch(() => undefined);
      this.#loading.set(info.revision, loading);
    }
    return this.#loading.get(steps[index]!.revision.revision)!;
  }
}
