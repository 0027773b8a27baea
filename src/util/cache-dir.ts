/**
 * Where tsmig keeps what it derives from the user's files between runs (compiled modules, revision
 * headers): `TSMIG_CACHE_DIR`, else the project's `node_modules/.cache/tsmig` (found from the working
 * directory up), else `~/.cache/tsmig`.
 */
import { existsSync, linkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The window of a whole-second filesystem: long enough for any clock tick (see {@link racyMs}). */
export const RACY_MS = 2_000;

/**
 * How long before a cache entry was made a file must have changed (`timeMs`, its mtime or ctime) for its
 * `stat` (size, times) to stand for its content: a second write within one tick of the filesystem's
 * clock keeps them all (git's rule for "racy" entries). A time with a fraction of a second comes from a
 * filesystem that keeps sub-second times (ext4, XFS, Btrfs, APFS, tmpfs), whose tick is the kernel's (at
 * most 10 ms), so 100 ms covers it; a time in whole seconds may come from one that keeps seconds or two
 * (FAT, HFS+, some network mounts), which needs 2 s. Commands run right after a checkout or a generator
 * then trust the files they just read instead of reading them all again for two seconds.
 */
export function racyMs(timeMs: number): number {
  return timeMs % 1000 === 0 ? RACY_MS : 100;
}

/**
 * A 64-bit hash of `text` as 16 hex digits, for naming cache entries and keying them by paths and what a
 * `stat` says. Plain JavaScript: loading node:crypto for this cost `tsmig heads` more than its own work.
 * A file's content, when it must be read, is hashed with SHA-1 (user-modules.ts).
 */
export function cacheKey(text: string): string {
  // Two multiply-xorshift lanes over the UTF-16 code units (cyrb53's construction, kept at 64 bits).
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

export function cacheDir(): string {
  const configured = process.env['TSMIG_CACHE_DIR'];
  if (configured !== undefined && configured !== '') return path.resolve(configured);
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'tsmig');
    if (path.dirname(dir) === dir) break;
  }
  return path.join(process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'), 'tsmig');
}

/**
 * Writes a whole file under a hidden temporary name in the same folder and renames it into place, so a
 * concurrent reader (another tsmig run) sees the old file or the new one, never half of it. With
 * `exclusive`, an existing file is not replaced: the EEXIST error of the link says so.
 */
export function writeAtomically(file: string, text: string | Uint8Array, options: { readonly exclusive?: boolean } = {}): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(temp, text);
  try {
    if (options.exclusive === true) linkSync(temp, file);
    else renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}
