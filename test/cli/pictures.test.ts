/**
 * `tsmig erd` and `tsmig history --graph` on the repository's movies project, as a user runs them: the
 * models' diagram, the live schema's (`--from-db`) on every dialect, the revision graph with the database's
 * revision marked, DOT that Graphviz accepts where it is installed, `--format svg` and its message when
 * Graphviz is missing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { forEachDialect } from '../helpers/dialects.js';
import { graphvizInstalled, runDot } from '../helpers/graphviz.js';
import { ok, runTsmig } from '../helpers/run-cli.js';
import { REPO_ROOT, createTempProject } from '../helpers/temp-project.js';
import { type ThrowawayDatabase, createThrowawayDatabase } from '../helpers/throwaway-database.js';

const REVISIONS = ['6ee29ad111e3', '17b07b35716f', '501d663d5106'] as const;

/** The movies models as `tsmig erd` draws them (examples/movies/models.ts). */
const MOVIES_ERD = `erDiagram
  movies_genres {
    Integer movie_id PK, FK
    Integer genre_id PK, FK
  }
  directors {
    Integer id PK
    String(64) name UK
  }
  movies {
    Integer id PK
    String(128) title UK
    Integer director_id FK
    Date release_date
    Integer duration
    Float rating
  }
  genres {
    Integer id PK
    String(32) name UK
  }
  movies ||--o{ movies_genres : "movie_id"
  genres ||--o{ movies_genres : "genre_id"
  directors ||..o{ movies : "director_id"
`;

/** Entity blocks and relationship lines of a Mermaid ERD, each sorted: the order tables come in aside. */
function parts(mermaid: string): { entities: string[]; relationships: string[] } {
  const entities = [...mermaid.matchAll(/^ {2}(\S+) \{\n([\s\S]*?)\n {2}\}$/gm)].map((m) => `${m[1]}\n${m[2]}`).sort();
  const relationships = mermaid.split('\n').filter((line) => / : "/.test(line)).sort();
  return { entities, relationships };
}

describe('cli: erd and history --graph without a database', function () {
  this.timeout(60_000);
  const tsmig = (...args: string[]) => runTsmig(args, { cwd: REPO_ROOT, env: { NO_COLOR: '1' } });

  it('erd draws the models in Mermaid by default, with keys, unique columns and cardinalities', async () => {
    expect(ok(await tsmig('erd'))).to.deep.include({ stdout: MOVIES_ERD, stderr: '' });
  });

  it('erd --format dot and history --graph --format dot are accepted by Graphviz', async function () {
    if (!graphvizInstalled()) this.skip();
    for (const args of [['erd', '--format', 'dot'], ['history', '--graph', '--format', 'dot']]) {
      const source = ok(await tsmig(...args)).stdout;
      const drawn = runDot(source);
      expect(drawn, `${args.join(' ')}: ${drawn.stderr}`).to.deep.include({ status: 0, stderr: '' });
      expect(drawn.svg).to.include('<svg');
    }
    expect(ok(await tsmig('erd', '--format', 'dot')).stdout).to.include('"movies" -> "directors" [dir=both, arrowtail=crowodot, arrowhead=teetee, style=dashed, label="director_id"];');
  });

  it('erd --format svg --out writes Graphviz output; without Graphviz it says what to do', async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsmig-erd-'));
    try {
      const missing = await runTsmig(['erd', '--format', 'svg'], { cwd: REPO_ROOT, env: { NO_COLOR: '1', PATH: dir } });
      expect(missing).to.deep.equal({
        code: 1,
        stdout: '',
        stderr:
          'error: --format svg needs Graphviz, and `dot` is not on the PATH. Install it (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), or use --format dot or mermaid.\n',
      });
      if (!graphvizInstalled()) this.skip();
      const file = path.join(dir, 'movies.svg');
      expect(ok(await tsmig('erd', '--format', 'svg', '--out', file)).stderr).to.equal(`Wrote 4 tables to ${file}\n`);
      expect(readFileSync(file, 'utf8')).to.match(/<svg[\s\S]*movies_genres[\s\S]*<\/svg>\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('history --graph draws the lanes; --format without --graph is a usage error', async () => {
    expect(ok(await tsmig('history', '--graph')).stdout).to.equal(
      '* 501d663d5106 (head), add genres\n* 17b07b35716f, add directors\n* 6ee29ad111e3, add movies\n',
    );
    const usage = await tsmig('history', '--format', 'dot');
    expect(usage).to.deep.equal({ code: 2, stdout: '', stderr: 'error: --format goes with --graph (tsmig history --graph --format mermaid)\n' });
  });

  it('erd without targetMetadata says to set it or use --from-db', async () => {
    const project = createTempProject();
    try {
      const config = project.write('alembic.config.ts', "export default { scriptLocation: 'migrations', url: 'sqlite:///app.db' };\n");
      const run = await runTsmig(['erd'], { cwd: project.dir });
      expect(run).to.deep.equal({
        code: 1,
        stdout: '',
        stderr: `error: ${config} sets no targetMetadata, so there are no models to draw. Point it at your models' MetaData (targetMetadata: Base.metadata), or draw the database with --from-db.\n`,
      });
    } finally {
      project.remove();
    }
  });
});

forEachDialect('cli: erd --from-db and history --graph -i on the movies database', function (dialect) {
  this.timeout(120_000);
  let db: ThrowawayDatabase;
  const tsmig = (...args: string[]) => runTsmig(args, { cwd: REPO_ROOT, env: { DATABASE_URL: db.url, NO_COLOR: '1' } });

  before(async () => {
    db = await createThrowawayDatabase(dialect, 'pictures');
  });
  after(() => db.drop());

  it('erd --from-db draws the same tables, keys and relationships as the models once the database is at head', async () => {
    ok(await tsmig('upgrade', 'head'));
    const live = ok(await tsmig('erd', '--from-db')).stdout;
    expect(parts(live).relationships).to.deep.equal(parts(MOVIES_ERD).relationships);
    // Types are left out (a database spells some its own way) and columns sorted (revisions add them at the end).
    const shape = (text: string) => parts(text).entities.map((e) => e.split('\n').map((line) => line.replace(/^ {4}\S+ /, '')).sort());
    expect(shape(live)).to.deep.equal(shape(MOVIES_ERD));
    expect(live).to.not.include('alembic_version');
  });

  it('history --graph -i marks the revision the database is at, in every format', async () => {
    ok(await tsmig('downgrade', REVISIONS[1]));
    const [text, mermaid, dot] = await Promise.all([
      tsmig('history', '--graph', '-i'),
      tsmig('history', '--graph', '-i', '--format', 'mermaid'),
      tsmig('history', '--graph', '-i', '--format', 'dot'),
    ]);
    expect(ok(text).stdout).to.equal('* 501d663d5106 (head), add genres\n* 17b07b35716f (current), add directors\n* 6ee29ad111e3, add movies\n');
    expect(ok(mermaid).stdout).to.equal(
      [
        'flowchart BT',
        '  r0["6ee29ad111e3<br/>add movies"]',
        '  r1["17b07b35716f (current)<br/>add directors"]',
        '  r2["501d663d5106 (head)<br/>add genres"]',
        '  r0 --> r1',
        '  r1 --> r2',
        '  classDef current stroke-width:3px,font-weight:bold',
        '  class r1 current',
        '',
      ].join('\n'),
    );
    expect(ok(dot).stdout).to.include('  "17b07b35716f" [label="17b07b35716f (current)\\nadd directors", style="bold,filled", fillcolor="#fff3b0"];\n');
  });
});
