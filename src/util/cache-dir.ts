/**
 * Where tsmig keeps what it derives from the user's files between runs (compiled modules, revision
 * headers): `TSMIG_CACHE_DIR`, else the project's `node_modules/.cache/tsmig` (found from the working
 * directory up), else `~/.cache/tsmig`.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export function cacheDir(): string {
  const configured = process.env['TSMIG_CACHE_DIR'];
  if (configured !== undefined && configured !== '') return path.resolve(configured);
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'tsmig');
    if (path.dirname(dir) === dir) break;
  }
  return path.join(process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'), 'tsmig');
}

/** Concurrent tsmig runs may write the same cache file: each writes a whole file and renames it into place. */
export function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}
