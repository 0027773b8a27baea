/**
 * Revision headers remembered between runs, as Python keeps `__pycache__`: an entry is reused while its
 * file keeps the size and modification time it had when it was read, so `history` or `upgrade` over a
 * thousand revisions stats a thousand files instead of reading and parsing them. A file modified shortly
 * before the cache was written could change again within the same clock tick, so it is read every time
 * until it is older than that (git's rule for "racy" index entries). Each entry also keeps the file's
 * checksum (revision-checksum.ts), which the history table of applied revisions compares on every run.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, cacheKey, racyMs, writeAtomically } from '../../util/cache-dir.js';
import { type FileStat, fileStat } from '../../util/file-stat.js';
import { type FileChecksum, fileChecksum } from './revision-checksum.js';
import { parseRevisionHeader } from './revision-header.js';
import type { RevisionInfo } from './revision.js';

/** Bumped when RevisionInfo, the parser or the layout below changes, so older entries are never reused. */
const FORMAT = 3;

/**
 * One file's header and checksum. The cache lists them in the order of the files, each found by its
 * `info.path`, with the checksum's fields beside the others: JSON.parse of an object keyed by a thousand
 * paths, holding a checksum object per entry, cost `tsmig heads` a third more than this list.
 */
interface Entry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly info: RevisionInfo;
  readonly checksum: string;
  readonly replaced: readonly string[];
}

interface Stored {
  readonly format: number;
  readonly writtenMs: number;
  readonly entries: readonly Entry[];
}

/**
 * The headers of `files` (the revision files of the script directory `dir`, which names the cache), from
 * the cache where the file is unchanged, else read and parsed; a parse error names the file as before.
 */
export function readRevisionHeaders(dir: string, files: readonly string[]): RevisionInfo[] {
  const cacheFile = path.join(cacheDir(), `headers-${cacheKey(dir)}.json`);
  const stored = load(cacheFile);
  const known = stored?.entries ?? [];
  const writtenMs = stored?.writtenMs ?? 0;
  // Files keep their places unless some were added or removed; then the rest are found by path.
  let byPath: Map<string, Entry> | null = null;
  let reread = false;
  stats.clear();
  const entries = files.map((file, index): Entry => {
    const stat = fileStat(file);
    stats.set(file, stat);
    const { size, mtimeMs } = stat;
    let entry: Entry | undefined = known[index];
    if (entry?.info.path !== file) entry = (byPath ??= new Map(known.map((e) => [e.info.path, e]))).get(file);
    if (entry !== undefined && entry.size === size && entry.mtimeMs === mtimeMs && mtimeMs < writtenMs - racyMs(mtimeMs)) return entry;
    const source = readFileSync(file, 'utf8');
    const { checksum, replaced } = fileChecksum(source);
    reread = true;
    return { size, mtimeMs, info: parseRevisionHeader(source, file), checksum, replaced };
  });
  read.set(cacheFile, entries);
  readByPath = null;
  if (reread || known.length !== files.length) save(cacheFile, { format: FORMAT, writtenMs: Date.now(), entries });
  return entries.map((entry) => entry.info);
}

/** What the last read found of each file, until {@link takeStat} takes it. */
const stats = new Map<string, FileStat>();

/**
 * The stat of a revision file taken by the last {@link readRevisionHeaders} of this process, once: the
 * loader keys its compiled bundle by the same size, inode and change time, and a second stat of a thousand
 * files cost an upgrade 2-4% of its CPU. A second ask (a run planning again) gets undefined and stats anew.
 */
export function takeStat(file: string): FileStat | undefined {
  const stat = stats.get(file);
  if (stat !== undefined) stats.delete(file);
  return stat;
}

/** The entries of each script directory read in this process (its last read), by cache file. */
const read = new Map<string, readonly Entry[]>();
/** Those entries by file, made when {@link knownChecksum} first asks after a read. */
let readByPath: Map<string, Entry> | null = null;

/** The checksum of a revision file whose header {@link readRevisionHeaders} read in this process, if any. */
export function knownChecksum(file: string): FileChecksum | undefined {
  if (readByPath === null) {
    readByPath = new Map();
    for (const entries of read.values()) for (const entry of entries) readByPath.set(entry.info.path, entry);
  }
  const entry = readByPath.get(file);
  return entry === undefined ? undefined : { checksum: entry.checksum, replaced: entry.replaced };
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
