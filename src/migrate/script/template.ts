/**
 * The revision template (`script.ts.tmpl` in each script directory) and how it is rendered: plain
 * `${name}` substitution, no code runs. The variables:
 *
 * | variable       | value                                                                        |
 * | -------------- | ---------------------------------------------------------------------------- |
 * | `message`      | the `-m` message (`*\/` is defused so it cannot end the doc comment)          |
 * | `revision`     | the new id, bare: `1975ea83b712`                                             |
 * | `revises`      | the parent ids, comma-separated, empty for a first revision (header line)    |
 * | `downRevision` | a TypeScript literal: `null`, `'1975ea83b712'` or `['ae1027a6acf0', '27c6a30d7c24']` |
 * | `branchLabels` | a TypeScript literal: `null` or `['shop']`                                   |
 * | `dependsOn`    | a TypeScript literal, as `downRevision`                                      |
 * | `createDate`   | `2024-05-01 12:30:05.123000` (with `+02:00` when a time zone is configured) |
 * | `imports`      | extra import lines (autogenerate adds them), one per line; often empty       |
 * | `upgrades`     | the body of `upgrade()`, one statement per line; empty for a new revision    |
 * | `downgrades`   | the body of `downgrade()`, likewise                                          |
 *
 * Rules: `$${` writes a literal `${`; any other `${...}` that is not a variable above is an error naming
 * the template. A value of several lines continues on each line with the indentation (and comment
 * decoration such as ` * `) that precedes its placeholder. A line holding only placeholders that all
 * render empty is left out, so an empty `${imports}` or `${upgrades}` leaves no blank line.
 */
import { TsmigError } from '../../errors.js';

/** The names a revision template may use. */
export const TEMPLATE_VARIABLES = [
  'message',
  'revision',
  'revises',
  'downRevision',
  'branchLabels',
  'dependsOn',
  'createDate',
  'imports',
  'upgrades',
  'downgrades',
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** The values of one rendering. */
export type TemplateValues = Readonly<Record<TemplateVariable, string>>;

/** The file name of the revision template inside a script directory. */
export const TEMPLATE_FILE_NAME = 'script.ts.tmpl';

/**
 * The generic template's revision template. `tsmig init` copies a template's `script.ts.tmpl`; this is
 * the reference text the `generic` one starts from.
 */
export const DEFAULT_SCRIPT_TEMPLATE = `/**
 * \${message}
 *
 * Revision ID: \${revision}
 * Revises: \${revises}
 * Create Date: \${createDate}
 */
import { op } from 'tsmig';
\${imports}

export const revision = '\${revision}';
export const downRevision: string | readonly string[] | null = \${downRevision};
export const branchLabels: string | readonly string[] | null = \${branchLabels};
export const dependsOn: string | readonly string[] | null = \${dependsOn};

export async function upgrade(): Promise<void> {
  \${upgrades}
}

export async function downgrade(): Promise<void> {
  \${downgrades}
}
`;

const PLACEHOLDER = /\$(\$?)\{([^}]*)\}/g;

/**
 * Renders a revision template. `source` names the template in errors.
 *
 * @example
 * ```ts
 * renderTemplate('export const revision = \'${revision}\';', { ...values, revision: 'ae1027a6acf0' }, 'script.ts.tmpl');
 * // "export const revision = 'ae1027a6acf0';"
 * ```
 */
export function renderTemplate(template: string, values: TemplateValues, source: string): string {
  const out: string[] = [];
  for (const line of template.split('\n')) {
    let onlyPlaceholders = true;
    let rendered = '';
    let last = 0;
    for (const match of line.matchAll(PLACEHOLDER)) {
      const before = line.slice(last, match.index);
      rendered += before;
      if (before.trim() !== '') onlyPlaceholders = false;
      last = match.index + match[0].length;
      if (match[1] === '$') {
        rendered += '${' + match[2] + '}';
        onlyPlaceholders = false;
        continue;
      }
      const name = match[2]!.trim();
      if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
        throw new TsmigError(
          `Unknown variable \${${name}} in the revision template ${source}: use ${TEMPLATE_VARIABLES.join(', ')}, or write $\${ for a literal \${.`,
        );
      }
      const value = values[name as TemplateVariable];
      if (value !== '') onlyPlaceholders = false;
      // Continuation lines take the indentation/decoration that precedes the placeholder.
      const prefix = /^[\s*/#]*$/.test(line.slice(0, match.index)) ? line.slice(0, match.index) : '';
      rendered += value.split('\n').join(`\n${prefix}`);
    }
    if (last === 0) {
      out.push(line);
      continue;
    }
    const tail = line.slice(last);
    if (tail.trim() !== '') onlyPlaceholders = false;
    if (onlyPlaceholders) continue;
    out.push((rendered + tail).replace(/[ \t]+$/gm, ''));
  }
  return out.join('\n');
}

/** A TypeScript string literal in single quotes. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `null`, `'a'` or `['a', 'b']`: how `downRevision` and `dependsOn` are written. */
export function renderIdList(ids: readonly string[]): string {
  if (ids.length === 0) return 'null';
  if (ids.length === 1) return quote(ids[0]!);
  return `[${ids.map(quote).join(', ')}]`;
}

/** `null` or `['shop']`: how `branchLabels` is written. */
export function renderLabelList(labels: readonly string[]): string {
  return labels.length === 0 ? 'null' : `[${labels.map(quote).join(', ')}]`;
}

/** What a new revision file needs; turned into {@link TemplateValues} by {@link templateValues}. */
export interface NewRevisionFields {
  readonly message: string;
  readonly revision: string;
  readonly downRevisions: readonly string[];
  readonly branchLabels: readonly string[];
  readonly dependsOn: readonly string[];
  readonly createDate: string;
  readonly imports?: readonly string[] | undefined;
  readonly upgrades?: string | undefined;
  readonly downgrades?: string | undefined;
}

/** The template values of a new revision. */
export function templateValues(fields: NewRevisionFields): TemplateValues {
  return {
    message: fields.message.replace(/\*\//g, '*\\/'),
    revision: fields.revision,
    revises: fields.downRevisions.join(', '),
    downRevision: renderIdList(fields.downRevisions),
    branchLabels: renderLabelList(fields.branchLabels),
    dependsOn: renderIdList(fields.dependsOn),
    createDate: fields.createDate,
    imports: (fields.imports ?? []).join('\n'),
    upgrades: (fields.upgrades ?? '').replace(/\n+$/, ''),
    downgrades: (fields.downgrades ?? '').replace(/\n+$/, ''),
  };
}

const TSMIG_IMPORT = /^import\s*\{([^}]*)\}\s*from\s*(['"])tsmig\2;?[ \t]*$/;

/**
 * One `import { ... } from 'tsmig'` line for a rendered revision: the template's `import { op } from
 * 'tsmig';` and the names autogenerate adds (`${imports}`) are merged into the first such line, and a
 * name the file does not use is left out, so every new revision passes `tsc --noUnusedLocals`: one
 * without changes, a merge, and a hand-written stub before the user fills it in (its first `op` call
 * brings the import back, as editors add it). `import type` lines and other modules are left as written.
 *
 * @example
 * ```ts
 * tidyTsmigImports("import { op } from 'tsmig';\nimport { column, t } from 'tsmig';\n\nawait op.addColumn('a', column('b', t.Text()));");
 * // "import { op, column, t } from 'tsmig';\n\nawait op.addColumn(...)"
 * tidyTsmigImports("import { op } from 'tsmig';\n\nexport async function upgrade() {}");
 * // "\nexport async function upgrade() {}"
 * ```
 */
export function tidyTsmigImports(source: string): string {
  const lines = source.split('\n');
  const importAt: number[] = [];
  const names: string[] = [];
  lines.forEach((line, i) => {
    const match = TSMIG_IMPORT.exec(line);
    if (match === null) return;
    importAt.push(i);
    for (const raw of match[1]!.split(',')) {
      const name = raw.trim();
      if (name !== '' && !names.includes(name)) names.push(name);
    }
  });
  if (importAt.length === 0) return source;
  const code = codeWithoutCommentsAndStrings(lines.filter((_, i) => !importAt.includes(i)).join('\n'));
  const used = names.filter((name) => {
    const local = name.split(/\s+as\s+/).pop()!.trim();
    return new RegExp(`(?<![\\w$.])${local.replace(/\$/g, '\\$')}(?![\\w$])`).test(code);
  });
  const out: string[] = [];
  let dropped = false;
  for (const [i, line] of lines.entries()) {
    if (i === importAt[0] && used.length > 0) {
      out.push(`import { ${sortNames(used).join(', ')} } from 'tsmig';`);
    } else if (importAt.includes(i)) {
      dropped = true;
      continue;
    } else if (!(dropped && line === '' && (out.length === 0 || out[out.length - 1] === ''))) {
      out.push(line); // (a line left out leaves no two blank lines in a row)
    }
    dropped = false;
  }
  return out.join('\n');
}

/** `op` first (every revision's verb), then the rest as autogenerate sorts them: case-insensitively. */
function sortNames(names: readonly string[]): string[] {
  const lower = (s: string): string => s.toLowerCase();
  return [...names].sort((a, b) => (a === 'op' ? -1 : b === 'op' ? 1 : lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0));
}

/**
 * TypeScript source with comments removed and quoted strings blanked, to look for identifiers (a template
 * literal is kept whole: its `${...}` may use a name, and keeping an import by mistake is harmless).
 */
function codeWithoutCommentsAndStrings(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g, (m) =>
    m.startsWith('/') ? ' ' : m[0]! + m[0]!,
  );
}
