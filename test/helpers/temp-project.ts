/**
 * A throw-away project folder for config and CLI tests: an ES module package whose
 * `node_modules/tsmig` links to this repository, so its TypeScript files `import ... from 'tsmig'` as a
 * user's would, and resolve to the very modules the CLI runs (one `op`, one executor store).
 *
 * @example
 * ```ts
 * const project = createTempProject();
 * project.write('alembic.config.ts', "import { defineConfig } from 'tsmig'; export default defineConfig({ scriptLocation: 'migrations' });");
 * // ... project.dir ...
 * project.remove();
 * ```
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where bin/tsmig lives). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `bin/tsmig`, absolute. */
export const TSMIG_BIN = path.join(REPO_ROOT, 'bin', 'tsmig');

export interface TempProject {
  readonly dir: string;
  /** Writes a file (folders created as needed); `file` is relative to the project. */
  write(file: string, text: string): string;
  read(file: string): string;
  /** An absolute path inside the project. */
  path(file: string): string;
  remove(): void;
}

/** Creates the project; `packageJson: false` leaves package.json out (a CommonJS project). */
export function createTempProject(options: { readonly packageJson?: boolean } = {}): TempProject {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsmig-project-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'tsmig'), 'dir');
  const project: TempProject = {
    dir,
    write(file, text) {
      const target = path.join(dir, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
      return target;
    },
    read: (file) => readFileSync(path.join(dir, file), 'utf8'),
    path: (file) => path.join(dir, file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  if (options.packageJson !== false) project.write('package.json', `${JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2)}\n`);
  return project;
}
