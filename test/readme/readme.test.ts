/**
 * Every code block of README.md runs here, so the README cannot rot. What each kind of block means is in
 * readme-blocks.ts; in short:
 *
 * - without a database: every block has a known kind, `no-run` blocks give a reason, excerpts are word for
 *   word in their files, the CLI reference equals the `--help` texts and the configuration table names every
 *   key of `TsmigConfig`;
 * - per dialect, on throw-away databases: the Quick start's commands in the repository (then their output
 *   excerpts), the tutorial's snippets as one program on that database (each output block compared), and the
 *   Migrations part's files and commands in a fresh project with a database of its own.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findDialect, forEachDialect } from '../helpers/dialects.js';
import { type CliResult, runCommand } from '../helpers/run-cli.js';
import { REPO_ROOT, TSMIG_BIN, createTempProject, type TempProject } from '../helpers/temp-project.js';
import { type ThrowawayDatabase, createThrowawayDatabase } from '../helpers/throwaway-database.js';
import { README, TUTORIAL, cliReferenceOf, renderCliReference, renderGenerated, renderTutorial, snippetMark } from './sync.js';
import { type Block, type BlockKind, kindOf, readBlocks, tableKeys } from './readme-blocks.js';

const TSX_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const markdown = readFileSync(README, 'utf8');
const blocks = readBlocks(markdown).map((block) => ({ ...block, kind: kindOf(block) }));
type KindedBlock = Block & { readonly kind: BlockKind };

/** The block right after `block`, when it is of `kind`. */
function followedBy(block: KindedBlock, kind: BlockKind): KindedBlock | undefined {
  const next = blocks[blocks.indexOf(block) + 1];
  return next?.kind === kind ? next : undefined;
}

/**
 * Runs an `sh` block with bash: `npx tsmig` and `npx tsx` run this checkout's binaries (as `npx` finds
 * them in a project that installed tsmig), and `npm install`, `npm ci` and `npm test` are skipped (the
 * dependencies are installed, and this test runs inside `npm test`).
 */
function runShell(script: string, cwd: string, env: Record<string, string>): Promise<CliResult> {
  const preamble = [
    'set -e',
    `npx() { local tool="$1"; shift; case "$tool" in tsmig) node "${TSMIG_BIN}" "$@" ;; tsx) "${TSX_BIN}" "$@" ;; *) echo "README test: npx $tool is not supported" >&2; return 127 ;; esac; }`,
    'npm() { case "$1" in install|ci|test) echo "README test: skipped npm $*" ;; *) command npm "$@" ;; esac; }',
  ].join('\n');
  return runCommand('bash', ['-c', `${preamble}\n${script}`], { cwd, env });
}

function ok(result: CliResult, what: string): CliResult {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  return result;
}

const snippets = blocks.filter((b) => b.kind === 'snippet');

describe('README.md: its code blocks', () => {
  it('are all of a known kind, and every no-run block says why', () => {
    expect(blocks.length).to.be.greaterThan(20);
    for (const block of blocks) {
      if (block.kind === 'output') expect(blocks[blocks.indexOf(block) - 1]?.kind, `README.md:${block.line}: output of what?`).to.equal('snippet');
      if (block.kind === 'output-excerpt') expect(blocks[blocks.indexOf(block) - 1]?.kind, `README.md:${block.line}: excerpt of what?`).to.equal('repo-sh');
    }
    // Fragments are the exception: every snippet of the tutorial runs.
    expect(blocks.filter((b) => b.kind === 'no-run').length).to.be.at.most(4);
  });

  it('quote the repository word for word (ts excerpt=PATH)', () => {
    for (const block of blocks.filter((b) => b.kind === 'excerpt')) {
      const file = block.attrs.get('excerpt')!;
      const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
      expect(text.includes(block.body), `README.md:${block.line}: this excerpt is no longer in ${file}`).to.equal(true);
    }
  });

  it('hold the CLI reference exactly as `tsmig --help` prints it (fix: npx tsx test/readme/sync.ts --write)', async () => {
    expect(cliReferenceOf(markdown)).to.equal(await renderCliReference());
  });

  it('show what the commands print for the movies project in generated=NAME blocks (fix: npx tsx test/readme/sync.ts --write)', async () => {
    const generated = blocks.filter((b) => b.kind === 'generated');
    expect(generated.map((b) => b.attrs.get('generated'))).to.include.members(['movies-erd', 'movies-history-graph']);
    for (const block of generated) expect(block.body, `README.md:${block.line}`).to.equal(await renderGenerated(block.attrs.get('generated')!));
  });

  it('are the tutorial program that npm test type-checks (fix: npx tsx test/readme/sync.ts --write)', () => {
    expect(readFileSync(TUTORIAL, 'utf8')).to.equal(renderTutorial(markdown));
  });

  it('document every key of alembic.config.ts in the configuration reference', () => {
    const source = readFileSync(path.join(REPO_ROOT, 'src/migrate/config/config.ts'), 'utf8');
    const keysOf = (name: string) => {
      const start = source.indexOf(`export interface ${name}`);
      const body = source.slice(start, source.indexOf('\n}\n', start));
      return [...body.matchAll(/^ {2}readonly (\w+)\??:/gm)].map((m) => m[1]!);
    };
    const keys = [...keysOf('TsmigConfig'), ...keysOf('AutogenerateFilters')];
    expect(keys).to.include.members(['scriptLocation', 'url', 'targetMetadata', 'includeObject']);
    expect(tableKeys(markdown, 'Configuration reference')).to.have.members(keys);
  });
});

forEachDialect('README.md: Quick start and tutorial', function (dialect) {
  this.timeout(180_000);
  let db: ThrowawayDatabase;
  before(async () => {
    db = await createThrowawayDatabase(dialect, 'readme');
  });
  after(async () => {
    await db?.drop();
  });

  /** The Quick start's commands on `db`, once; the tutorial runs on the database they fill. */
  let quickStart: Promise<void> | undefined;
  const runQuickStart = () =>
    (quickStart ??= (async () => {
      for (const block of blocks.filter((b) => b.kind === 'repo-sh')) {
        const result = ok(await runShell(block.body, REPO_ROOT, { DATABASE_URL: db.url, NO_COLOR: '1' }), `README.md:${block.line}`);
        const excerpt = followedBy(block, 'output-excerpt');
        if (excerpt === undefined) continue;
        for (const line of excerpt.body.split('\n')) {
          expect(result.stdout.includes(line) || result.stderr.includes(line), `README.md:${excerpt.line}: not printed:\n${line}\n\nstdout:\n${result.stdout}`).to.equal(true);
        }
      }
    })());

  it('Quick start: the commands run in the repository and print what the README shows', async () => {
    await runQuickStart();
  });

  it('Tutorial: the snippets run as one program on that database and print what the README shows', async () => {
    await runQuickStart();
    const result = ok(await runCommand(TSX_BIN, [TUTORIAL], { cwd: REPO_ROOT, env: { DATABASE_URL: db.url } }), 'the tutorial program');
    const outputs = new Map<number, string>();
    result.stdout.split(/^~~~ README snippet (\d+) ~~~\n/m).forEach((part, i, parts) => {
      if (i % 2 === 1) outputs.set(Number(part), parts[i + 1] ?? '');
    });
    expect(result.stdout.startsWith(`${snippetMark(0)}\n`), 'the program printed before its first snippet').to.equal(true);
    snippets.forEach((snippet, i) => {
      const expected = followedBy(snippet, 'output');
      const printed = outputs.get(i) ?? '';
      if (expected === undefined) expect(printed, `README.md:${snippet.line} prints but the README shows no output`).to.equal('');
      else expect(printed, `README.md:${snippet.line}: the output differs from README.md:${expected.line}`).to.equal(`${expected.body}\n`);
    });
  });
});

// The Migrations part's commands run on every dialect in test/cli/autogenerate-workflow.test.ts; here they
// run once, on SQLite, as the README shows them.
describe('sqlite: README.md: the Migrations part in a fresh project', function () {
  this.timeout(180_000);
  it('writes the files and runs the commands', async () => {
    const sqlite = findDialect('sqlite')!;
    const db = await createThrowawayDatabase(sqlite, 'readme_project');
    const project: TempProject = createTempProject();
    try {
      for (const block of blocks) {
        if (block.kind === 'project-file') project.write(block.attrs.get('file')!, `${block.body}\n`);
        if (block.kind !== 'project-sh') continue;
        const result = await runShell(block.body, project.dir, { DATABASE_URL: db.url, NO_COLOR: '1' });
        const expected = Number(block.attrs.get('exit') ?? '0');
        expect(result.code, `README.md:${block.line} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).to.equal(expected);
      }
    } finally {
      project.remove();
      await db.drop();
    }
  });
});
