/**
 * Where tsmig's own package lies on disk, for the files it ships beside its code (templates, package.json)
 * and for the entry its compiled user files import. Found by walking up from a module's URL, because the
 * bundler moves code between files: a path relative to one source file is not relative to its output.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of tsmig's package.json, found from `moduleUrl` (pass `import.meta.url`). */
export function packageRoot(moduleUrl: string): string {
  for (let dir = path.dirname(fileURLToPath(moduleUrl)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'tsmig') return dir;
    if (path.dirname(dir) === dir) throw new Error(`tsmig's package.json was not found above ${moduleUrl}`);
  }
}
