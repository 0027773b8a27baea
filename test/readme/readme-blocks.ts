/**
 * README.md's fenced code blocks and what their info strings ask of the README test:
 *
 * | info string | meaning |
 * | --- | --- |
 * | `ts` | a snippet of the tutorial program (the snippets together form one file) |
 * | `ts excerpt=PATH` | must appear word for word in the repository file PATH |
 * | `ts file=NAME` | a file of the Migrations part's project, written there at this point |
 * | `sh` | commands run in the Migrations part's project; `exit=N`: the block must end with status N |
 * | `sh repo` | commands run in the repository (the Quick start) |
 * | `text output` | exactly what the `ts` snippet before it prints |
 * | `text excerpt` | lines that must each appear in the output of the `sh repo` block before it |
 * | `text help` / `text help=VERB` | the CLI reference: `tsmig --help` / `tsmig VERB --help` |
 * | `mermaid generated=NAME` / `text generated=NAME` | what `tsmig` prints for the movies project (`GENERATED` in sync.ts) |
 * | `text` | an illustration, not checked |
 * | `LANG no-run: REASON` | not run, for the reason given |
 */

/** One fenced block. */
export interface Block {
  readonly lang: string;
  /** The info string after the language. */
  readonly info: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly body: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The `##`/`###` heading the block is under. */
  readonly heading: string;
}

/** What the test does with a block. */
export type BlockKind =
  | 'snippet'
  | 'excerpt'
  | 'project-file'
  | 'project-sh'
  | 'repo-sh'
  | 'output'
  | 'output-excerpt'
  | 'help'
  | 'generated'
  | 'illustration'
  | 'no-run';

/** The fenced blocks of a Markdown text, in order. */
export function readBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const title = /^#{2,3} (.*)$/.exec(line);
    if (title !== null) heading = title[1]!;
    const fence = /^```(\S+)(?: (.*))?$/.exec(line);
    if (fence === null) continue;
    const end = lines.indexOf('```', i + 1);
    if (end === -1) throw new Error(`README.md:${i + 1}: unclosed code block`);
    const info = fence[2] ?? '';
    const attrs = new Map<string, string>();
    if (!info.startsWith('no-run')) {
      for (const word of info.split(/\s+/).filter((w) => w !== '')) {
        const eq = word.indexOf('=');
        attrs.set(eq === -1 ? word : word.slice(0, eq), eq === -1 ? '' : word.slice(eq + 1));
      }
    }
    blocks.push({ lang: fence[1]!, info, attrs, body: lines.slice(i + 1, end).join('\n'), line: i + 1, heading });
    i = end;
  }
  return blocks;
}

/** The kind of a block, or an error naming what is wrong with its info string. */
export function kindOf(block: Block): BlockKind {
  const where = `README.md:${block.line}`;
  if (block.info.startsWith('no-run')) {
    if (!/^no-run: \S/.test(block.info)) throw new Error(`${where}: \`no-run\` needs a reason: \`${block.lang} no-run: why\``);
    return 'no-run';
  }
  const keys = [...block.attrs.keys()].sort().join(' ');
  switch (`${block.lang} ${keys}`.trim()) {
    case 'ts':
      return 'snippet';
    case 'ts excerpt':
      return 'excerpt';
    case 'ts file':
      return 'project-file';
    case 'sh':
    case 'sh exit':
      return 'project-sh';
    case 'sh repo':
      return 'repo-sh';
    case 'text output':
      return 'output';
    case 'text excerpt':
      return 'output-excerpt';
    case 'text help':
      return 'help';
    case 'mermaid generated':
    case 'text generated':
      return 'generated';
    case 'text':
      return 'illustration';
    default:
      throw new Error(`${where}: unknown code block \`\`\`${block.lang} ${block.info}\` (see test/readme/readme-blocks.ts)`);
  }
}

/** The keys of the rows of the first table after a heading: `| \`key\` | ...`. */
export function tableKeys(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "## ${heading}" section`);
  const next = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, next === -1 ? undefined : next);
  return [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]!);
}
