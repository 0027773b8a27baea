/**
 * The revision files as the history table sees them (runtime/revision-history.ts): each revision's
 * checksum, kept with its header in the header cache (or computed when first asked for), and the
 * revisions a set of heads implies.
 */
import { readFileSync } from 'node:fs';
import type { RevisionLedger } from '../runtime/revision-history.js';
import { knownChecksum } from './header-cache.js';
import { type FileChecksum, fileChecksum } from './revision-checksum.js';
import type { RevisionMap } from './revision-map.js';

/**
 * A {@link RevisionLedger} over a revision map whose revisions carry their file paths.
 *
 * @example
 * ```ts
 * const ledger = revisionLedger(scripts.revisionMap());
 * ledger.applied(['c3']); // ['c3', 'b2', 'a1']
 * ```
 */
export function revisionLedger(revisions: RevisionMap | (() => RevisionMap)): RevisionLedger {
  const files = new Map<string, FileChecksum | null>();
  let opened: RevisionMap | null = typeof revisions === 'function' ? null : revisions;
  // A function opens the scripts on first use only.
  const mapOf = (): RevisionMap => (opened ??= (revisions as () => RevisionMap)());
  const fileOf = (revision: string) => {
    let file = files.get(revision);
    if (file === undefined) {
      const map = mapOf();
      const where = map.has(revision) ? map.get(revision).path : '';
      // Mostly known already: reading the graph took it from the header cache (or the file) just before.
      file = where === '' ? null : (knownChecksum(where) ?? fileChecksum(readFileSync(where, 'utf8')));
      files.set(revision, file);
    }
    return file;
  };
  return {
    checksum(revision) {
      return fileOf(revision)?.checksum ?? null;
    },
    matches(revision, recorded) {
      const file = fileOf(revision);
      return file === null || file.checksum === recorded || file.replaced.includes(recorded);
    },
    path(revision) {
      const map = mapOf();
      return map.has(revision) ? map.get(revision).path : revision;
    },
    applied(heads) {
      const map = mapOf();
      const seen = new Set<string>();
      const stack = heads.filter((h) => map.has(h));
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        for (const below of map.normalizedDownRevisions(id)) if (!seen.has(below)) stack.push(below);
      }
      return [...seen];
    },
  };
}
