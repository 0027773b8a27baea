/**
 * The checksum of a revision file as the history table records it: SHA-256 of the file's code with its
 * comments removed and its whitespace reduced to what separates two words, so that reformatting a file
 * or editing its doc comment does not count as a change, while any change to what the migration does
 * (an operation, an argument, the text of a string) does.
 */
import { createHash } from 'node:crypto';

const WORD = /[\p{L}\p{N}_$\\#@]/u;
/** Characters with no special meaning to the scanner (not whitespace, a quote, a slash or a BOM); a slash that divides goes alone. */
const PLAIN = /[^\s'"`/\uFEFF]+/y;

/**
 * The file's tokens with comments dropped and whitespace kept only between two word characters.
 * Strings and template literals are kept verbatim (whitespace inside SQL text is part of the migration),
 * and so are regular expression literals, told from division by the token before the slash.
 *
 * @example
 * ```ts
 * normaliseRevisionSource("op.dropTable( 'movies' ) // gone\n");
 * // "op.dropTable('movies')"
 * ```
 */
export function normaliseRevisionSource(source: string): string {
  let out = '';
  let pendingSpace = false;
  let i = 0;
  const n = source.length;
  const emit = (token: string): void => {
    if (pendingSpace && out.length > 0 && WORD.test(out[out.length - 1]!) && WORD.test(token[0]!)) out += ' ';
    pendingSpace = false;
    out += token;
  };
  /** Index after a quoted run starting at `start` (a string, template or regex body). */
  const skipQuoted = (start: number, quote: string): number => {
    let j = start + 1;
    let inClass = false;
    while (j < n) {
      const c = source[j]!;
      if (c === '\\') j += 2;
      else if (quote === '/' && c === '[') (inClass = true), j++;
      else if (quote === '/' && c === ']') (inClass = false), j++;
      else if (c === quote && !inClass) return j + 1;
      else if (quote === '`' && c === '$' && source[j + 1] === '{') j = skipTemplateExpression(j + 2);
      else if (quote !== '`' && c === '\n') return j;
      else j++;
    }
    return n;
  };
  /** Index after the `}` closing a template's `${`, skipping nested strings and braces. */
  const skipTemplateExpression = (start: number): number => {
    let depth = 1;
    let j = start;
    while (j < n && depth > 0) {
      const c = source[j]!;
      if (c === "'" || c === '"' || c === '`') j = skipQuoted(j, c);
      else {
        if (c === '{') depth++;
        else if (c === '}') depth--;
        j++;
      }
    }
    return j;
  };
  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF') {
      pendingSpace = true;
      i++;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
      pendingSpace = true;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      pendingSpace = true;
    } else if (c === "'" || c === '"' || c === '`' || (c === '/' && startsRegex(out))) {
      const end = skipQuoted(i, c);
      emit(source.slice(i, end));
      i = end;
    } else {
      // A run of plain characters goes out at once: only its first character can need a space before it.
      PLAIN.lastIndex = i;
      const run = PLAIN.exec(source)?.[0] ?? c;
      emit(run);
      i += run.length;
    }
  }
  return out;
}

/** A slash after these (or at the start) opens a regular expression rather than dividing. */
function startsRegex(before: string): boolean {
  const last = before[before.length - 1];
  if (last === undefined) return true;
  if ('(,=:[!&|?{};+-*%<>~^'.includes(last)) return true;
  return /(?:^|[^\p{L}\p{N}_$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/u.test(before);
}

/**
 * `Replaces checksum: <hex>` lines of a file's doc comment: `tsmig squash` writes the checksum of the
 * revision whose id the new file keeps, so a database that ran the old file still matches the new one.
 */
export function replacedChecksums(source: string): string[] {
  return [...source.matchAll(/^\s*(?:\*|\/\/)?\s*Replaces checksum: ([0-9a-f]{64})\s*$/gm)].map((m) => m[1]!);
}

/** The doc comment line {@link replacedChecksums} reads. */
export function replacedChecksumLine(checksum: string): string {
  return ` * Replaces checksum: ${checksum}`;
}

/** What the history table needs of a revision file: its checksum and those it replaced (squash). */
export interface FileChecksum {
  readonly checksum: string;
  readonly replaced: readonly string[];
}

export function fileChecksum(source: string): FileChecksum {
  return { checksum: revisionChecksum(source), replaced: replacedChecksums(source) };
}

/**
 * The hex SHA-256 of a revision file's normalised source.
 *
 * @example
 * ```ts
 * revisionChecksum(readFileSync(info.path, 'utf8')); // 'a3f1...' (64 hex digits)
 * ```
 */
export function revisionChecksum(source: string): string {
  return createHash('sha256').update(normaliseRevisionSource(source)).digest('hex');
}
