/**
 * Where in a revision file an operation was called, and the `tsmig-lint-ignore` comments there. A
 * comment on the line of the `op.*` call, or in the comment lines right above it, silences one rule
 * for that operation, and must say why:
 *
 *   // tsmig-lint-ignore drop-column: nothing has read legacy_flags since release 4.2
 *   await op.dropColumn('users', 'legacy_flags');
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A frame's location at the end of a stack line: `(file:///x.ts:12:5)` or `at /x.ts:12:5`. */
const FRAME = /(?:\(|at )((?:file:\/\/)?[^()\s]+?):(\d+):\d+\)?$/;

const IGNORE = /tsmig-lint-ignore\s+([a-z][a-z0-9-]*)\s*(?::\s*(.*?))?\s*(?:\*\/)?$/;

/** The same file, told apart from tsx's or the loader's rewriting of the name. */
function samePath(candidate: string, file: string): boolean {
  const plain = candidate.startsWith('file://') ? fileURLToPath(candidate.replace(/\?.*$/, '')) : candidate;
  if (plain === file) return true;
  try {
    return realpathSync(plain) === realpathSync(file);
  } catch {
    return false;
  }
}

/** The 1-based line of `file` in the call stack of an `op.*` call, or null when no frame names it. */
export function callLine(callStack: string, file: string): number | null {
  for (const line of callStack.split('\n')) {
    const match = FRAME.exec(line.trim());
    if (match !== null && samePath(match[1]!, file)) return Number(match[2]);
  }
  return null;
}

/** A `tsmig-lint-ignore` comment: the rule it names and its reason (null when it gives none). */
export interface Suppression {
  readonly rule: string;
  readonly reason: string | null;
}

/** The comments that apply to the operation called on `line` (1-based) of `source`. */
export function suppressionsAt(source: readonly string[], line: number): readonly Suppression[] {
  const lines: string[] = [source[line - 1] ?? ''];
  for (let i = line - 2; i >= 0; i -= 1) {
    const text = source[i]!.trim();
    if (!(text.startsWith('//') || text.startsWith('/*') || text.startsWith('*'))) break;
    lines.push(text);
  }
  const found: Suppression[] = [];
  for (const text of lines) {
    const match = IGNORE.exec(text);
    if (match !== null) found.push({ rule: match[1]!, reason: match[2] === undefined || match[2] === '' ? null : match[2] });
  }
  return found;
}
