/**
 * Graphviz for the tests that check DOT output is accepted: installed or not (the tests that need it skip
 * with a reason when it is not), and `dot -Tsvg` over a source.
 */
import { spawnSync } from 'node:child_process';

/** Whether `dot` runs on this machine. */
export function graphvizInstalled(): boolean {
  return spawnSync('dot', ['-V'], { encoding: 'utf8' }).status === 0;
}

/** Graphviz's verdict on `source`: its exit status and stderr, with the SVG it drew. */
export function runDot(source: string): { status: number | null; stderr: string; svg: string } {
  const run = spawnSync('dot', ['-Tsvg'], { input: source, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, svg: run.stdout };
}
