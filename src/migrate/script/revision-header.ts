/**
 * Reads a revision file's graph data from its text, without compiling or importing it: listing a
 * thousand revisions never runs one. The file must follow this grammar (the revision template writes it):
 *
 * ```text
 * file         := [doc-comment] ... declaration* ...
 * doc-comment  := the first `/** ... *\/` comment, before any code: the message (its first paragraph),
 *                 then lines such as `Revision ID: ...`, `Revises: ...`, `Create Date: ...`
 * declaration  := at the start of a line:
 *                 export const NAME [: TYPE] = VALUE [as const] [;]
 * NAME         := revision | downRevision | branchLabels | dependsOn
 * TYPE         := any type text without `=` (e.g. `string | readonly string[] | null`)
 * VALUE        := null | STRING | [ STRING, STRING, ... ]     (a trailing comma and comments allowed)
 * STRING       := '...' | "..." | `...` (no ${} inside)
 * ```
 *
 * `revision` (a STRING) and `downRevision` are required, each declared once; `branchLabels` and
 * `dependsOn` are optional (absent means none). Anything else in the file (imports, upgrade/downgrade,
 * helpers) is ignored here.
 */
import { RevisionFileError } from './errors.js';
import type { RevisionInfo } from './revision.js';

type Name = 'revision' | 'downRevision' | 'branchLabels' | 'dependsOn';

const DECLARATION = /^export[ \t]+const[ \t]+(revision|downRevision|branchLabels|dependsOn)\b/gm;
const AS_CONST = /as\s+const\b/y;
/** Whitespace and comments, from `lastIndex` on (sticky: no copy of the text). */
const SKIP = /(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/y;

/** The expected form, quoted in every error so the fix is on screen. */
export const HEADER_GRAMMAR_HINT =
  "each at the start of a line: export const revision = '<id>'; export const downRevision = '<id>' | ['<id>', ...] | null; " +
  'optionally branchLabels and dependsOn of the same form';

/**
 * Parses a revision file's text into its graph data.
 *
 * @example
 * ```ts
 * const info = parseRevisionHeader(readFileSync(file, 'utf8'), file);
 * info.downRevisions; // ['1975ea83b712']
 * ```
 */
export function parseRevisionHeader(text: string, path: string): RevisionInfo {
  const values = new Map<Name, string | readonly string[] | null>();
  for (const match of text.matchAll(DECLARATION)) {
    const name = match[1] as Name;
    if (values.has(name)) fail(path, `\`${name}\` is declared twice`);
    const parser = new ValueParser(text, match.index + match[0].length, path, name);
    values.set(name, parser.declaration());
  }
  if (!values.has('revision')) fail(path, "no `export const revision = '<id>'` declaration");
  if (!values.has('downRevision')) fail(path, 'no `export const downRevision = ...` declaration (null for a first revision)');
  const revision = values.get('revision');
  if (typeof revision !== 'string') fail(path, '`revision` must be a quoted string');
  const doc = docComment(text);
  return {
    revision,
    downRevisions: list(values.get('downRevision')),
    branchLabels: list(values.get('branchLabels')),
    dependsOn: list(values.get('dependsOn')),
    message: doc === null ? '' : firstParagraph(doc),
    path,
    createDate: doc === null ? null : (/^Create Date:[ \t]*(.*?)[ \t]*$/m.exec(doc)?.[1] ?? null),
    ...(doc === null ? {} : { doc }),
  };
}

function list(value: string | readonly string[] | null | undefined): readonly string[] {
  if (value === null || value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function fail(path: string, problem: string): never {
  throw new RevisionFileError(path, `Cannot read revision file ${path}: ${problem}. Revision files declare, ${HEADER_GRAMMAR_HINT}.`);
}

/** The leading `/** ... *\/` comment without its decoration, or null when the file has none. */
function docComment(text: string): string | null {
  // Skip a shebang, blank lines and line comments before it; any code first means no doc comment.
  const match = /^(?:#![^\n]*\n)?(?:\s|\/\/[^\n]*\n)*\/\*\*([\s\S]*?)\*\//.exec(text);
  if (match === null) return null;
  const lines = match[1]!.split(/\r?\n/).map((line) => line.replace(/^\s*\* ?/, '').trimEnd());
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.join('\n');
}

function firstParagraph(doc: string): string {
  const end = doc.search(/\n[ \t]*\n/);
  return (end === -1 ? doc : doc.slice(0, end)).split('\n').map((l) => l.trim()).join(' ').trim();
}

/** A tiny scanner for the right-hand side of one declaration. */
class ValueParser {
  readonly #text: string;
  readonly #path: string;
  readonly #name: Name;
  #pos: number;

  constructor(text: string, start: number, path: string, name: Name) {
    this.#text = text;
    this.#pos = start;
    this.#path = path;
    this.#name = name;
  }

  declaration(): string | readonly string[] | null {
    this.#skip();
    if (this.#text[this.#pos] === ':') {
      // A type annotation: skip to the `=` that is not part of `=>`.
      let i = this.#pos + 1;
      while (i < this.#text.length && !(this.#text[i] === '=' && this.#text[i + 1] !== '>') && this.#text[i] !== ';') i++;
      this.#pos = i;
    }
    if (this.#text[this.#pos] !== '=') this.#bad();
    this.#pos++;
    this.#skip();
    const value = this.#value();
    this.#skip();
    AS_CONST.lastIndex = this.#pos;
    if (AS_CONST.test(this.#text)) {
      this.#pos = AS_CONST.lastIndex;
      this.#skip();
    }
    const next = this.#text[this.#pos];
    if (next !== undefined && next !== ';' && next !== '\n' && next !== '\r' && !this.#text.startsWith('export', this.#pos)) this.#bad();
    return value;
  }

  #value(): string | readonly string[] | null {
    if (this.#text.startsWith('null', this.#pos) && !/[\w$]/.test(this.#text[this.#pos + 4] ?? '')) {
      this.#pos += 4;
      return null;
    }
    if (this.#text[this.#pos] === '[') {
      this.#pos++;
      const items: string[] = [];
      for (;;) {
        this.#skip();
        if (this.#text[this.#pos] === ']') break;
        items.push(this.#string());
        this.#skip();
        if (this.#text[this.#pos] === ',') this.#pos++;
        else if (this.#text[this.#pos] !== ']') this.#bad();
      }
      this.#pos++;
      return items;
    }
    return this.#string();
  }

  #string(): string {
    const quote = this.#text[this.#pos];
    if (quote !== "'" && quote !== '"' && quote !== '`') this.#bad();
    let out = '';
    let i = this.#pos + 1;
    for (;;) {
      const ch = this.#text[i];
      if (ch === undefined || (ch === '\n' && quote !== '`')) this.#bad();
      if (ch === quote) break;
      if (ch === '\\') {
        out += this.#text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (quote === '`' && ch === '$' && this.#text[i + 1] === '{') this.#bad();
      out += ch;
      i++;
    }
    this.#pos = i + 1;
    return out;
  }

  /** Whitespace and comments. */
  #skip(): void {
    SKIP.lastIndex = this.#pos;
    SKIP.exec(this.#text);
    this.#pos = SKIP.lastIndex;
  }

  #bad(): never {
    const found = this.#text.slice(this.#pos).split('\n')[0]!.trim().slice(0, 40);
    const what = this.#name === 'revision' ? 'a quoted string' : 'null, a quoted string or an array of quoted strings';
    fail(this.#path, `\`${this.#name}\` must be ${what}${found === '' ? '' : ` (found \`${found}\`)`}`);
  }
}
