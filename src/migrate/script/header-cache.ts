/**
 * Revision headers remembered between runs, as Python keeps `__pycache__`: an entry is reused while its
 * file keeps the size and modification time it had when it was read, so `history` or `upgrade` over a
 * thousand revisions stats a thousand files instead of reading and parsing them. A file modified shortly
 * before the cache was written could change again within the same clock tick, so it is read every time
 * until it is older than that (git's rule for "racy" index entries). Each entry also keeps the file's
 * checksum (revision-checksum.ts), which the history table of applied revisions compares on every run.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, cacheKey, racyMs, writeAtomically } from '../../util/cache-dir.js';
import { type FileChecksum, fileChecksum } from './revision-checksum.js';
import { parseRevisionHeader } from './revision-header.js';
import type { RevisionInfo } from './revision.js';

/** Bumped when RevisionInfo or the parser changes, so older entries are never reused. */
const FORMAT = 2;

interface Entry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly info: RevisionInfo;
  readonly checksum: FileChecksum;
}

interface Stored {
  readonly format: number;
  readonly writtenMs: number;
  readonly entries: Readonly<Record<string, Entry>>;
}

/**
 * The headers of `files` (the revision files of the script directory `dir`, which names the cache), from
 * the cache where the file is unchanged, else read and parsed; a parse error names the file as before.
 */
export function readRevisionHeaders(dir: string, files: readonly string[]): RevisionInfo[] {
  const cacheFile = path.join(cacheDir(), `headers-${cacheKey(dir)}.json`);
  const stored = load(cacheFile);
  const writtenMs = stored?.writtenMs ?? 0;
  const entries: Record<string, Entry> = {};
  let reread = false;
  const infos = files.map((file) => {
    const { size, mtimeMs } = statSync(file);
    const known = stored?.entries[file];
    if (known !== undefined && known.size === size && known.mtimeMs === mtimeMs && mtimeMs < writtenMs - racyMs(mtimeMs)) {
      entries[file] = known;
      checksums.set(file, known.checksum);
      return known.info;
    }
    const source = readFileSync(file, 'utf8');
    const info = parseRevisionHeader(source, file);
    const checksum = fileChecksum(source);
    checksums.set(file, checksum);
    entries[file] = { size, mtimeMs, info, checksum };
    reread = true;
    return info;
  });
  if (reread || Object.keys(stored?.entries ?? {}).length !== files.length) save(cacheFile, { format: FORMAT, writtenMs: Date.now(), entries });
  return infos;
}

/** The checksums of the files this process read headers of (from the cache or the file). */
const checksums = new Map<string, FileChecksum>();

/** The checksum of a revision file whose header {@link readRevisionHeaders} read in this process, if any. */
export function knownChecksum(file: string): FileChecksum | undefined {
  return checksums.get(file);
}

function load(file: string): Stored | null {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
    return stored.format === FORMAT ? stored : null;
  } catch {
    return null;
  }
}

/** Best effort: a cache that cannot be written (read-only checkout) only costs the next run a re-read. */
function save(file: string, stored: Stored): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(file, JSON.stringify(stored));
  } catch {
    // Nothing to do: the headers were read from the files themselves.
  }
}
