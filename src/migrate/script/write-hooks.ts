/**
 * Post-write hooks: run on each new revision file (a formatter, a linter's --fix), as Alembic's
 * `post_write_hooks`. A failing hook is an error naming the hook and the file; the file stays.
 */
import { execFile } from 'node:child_process';
import { TsmigError } from '../../errors.js';
import type { PostWriteHook } from '../config/config.js';

/** The argument an `exec` hook writes where the new file's path goes; without it the path is appended. */
export const REVISION_FILE_TOKEN = 'REVISION_SCRIPT_FILENAME';

/** Runs every hook on `path`, in order. */
export async function runPostWriteHooks(hooks: readonly PostWriteHook[], path: string): Promise<void> {
  for (const hook of hooks) {
    if (hook.type === 'function') {
      try {
        await hook.run(path);
      } catch (error) {
        throw new TsmigError(`The post-write hook failed on ${path}: ${(error as Error).message ?? String(error)}`, { cause: error });
      }
      continue;
    }
    const given = hook.args ?? [];
    const args = given.includes(REVISION_FILE_TOKEN) ? given.map((a) => (a === REVISION_FILE_TOKEN ? path : a)) : [...given, path];
    await new Promise<void>((resolve, reject) => {
      execFile(hook.command, args, (error, _stdout, stderr) => {
        if (error === null) resolve();
        else {
          const detail = stderr.trim().split('\n')[0] ?? error.message;
          reject(new TsmigError(`The post-write hook \`${[hook.command, ...args].join(' ')}\` failed on ${path}: ${detail || error.message}`, { cause: error }));
        }
      });
    });
  }
}
