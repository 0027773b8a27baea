/**
 * Renders DOT to SVG with Graphviz's `dot` program, when it is installed; tsmig has no drawing engine of
 * its own, and a missing `dot` is a one-line error saying how to get it or what to use instead.
 */
import { spawnSync } from 'node:child_process';
import { TsmigError } from '../../errors.js';

/** Graphviz is missing or rejected the input. */
export class GraphvizError extends TsmigError {
  override readonly name: string = 'GraphvizError';
}

/**
 * `dot -Tsvg` over `source`; `command` is the program to run (default `dot` on the PATH).
 *
 * @example
 * ```ts
 * const svg = renderSvg('digraph { a -> b }');
 * ```
 */
export function renderSvg(source: string, command = 'dot'): string {
  const run = spawnSync(command, ['-Tsvg'], { input: source, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error !== undefined) {
    if ((run.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GraphvizError(
        `--format svg needs Graphviz, and \`${command}\` is not on the PATH. Install it (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), or use --format dot or mermaid.`,
      );
    }
    throw new GraphvizError(`Could not run Graphviz (${command}): ${run.error.message}`, { cause: run.error });
  }
  if (run.status !== 0) {
    const reason = run.stderr.trim().split('\n')[0] ?? `exit ${run.status}`;
    throw new GraphvizError(`Graphviz could not draw the diagram: ${reason}`);
  }
  return run.stdout;
}
