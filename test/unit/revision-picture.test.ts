/**
 * `history --graph` pictures of revision graphs built in memory: the text lanes for branches, merges,
 * several bases and ranges, Mermaid and DOT with labels, dependency edges and current revisions marked.
 */
import { expect } from 'chai';
import { RevisionMap } from '../../src/migrate/script/revision-map.js';
import { revisionPicture } from '../../src/migrate/script/revision-picture.js';
import type { RevisionInfo } from '../../src/migrate/script/revision.js';

function rev(revision: string, downRevisions: readonly string[] = [], extra: { branchLabels?: string[]; dependsOn?: string[]; message?: string } = {}): RevisionInfo {
  return {
    revision,
    downRevisions,
    branchLabels: extra.branchLabels ?? [],
    dependsOn: extra.dependsOn ?? [],
    message: extra.message ?? `${revision} step`,
    path: '',
    createDate: null,
  };
}

/** a1 branches into b2 and the labelled c3 -> d4; e5 merges them; f6 follows; x1 starts apart, depending on b2. */
const map = new RevisionMap([
  rev('a1'),
  rev('b2', ['a1']),
  rev('c3', ['a1'], { branchLabels: ['shop'] }),
  rev('d4', ['c3']),
  rev('e5', ['b2', 'd4']),
  rev('f6', ['e5']),
  rev('x1', [], { dependsOn: ['b2'], message: 'a "quoted" <thing>' }),
]);

describe('revision graph pictures', () => {
  it('text: lanes like git log --graph, with a merge, a branch joining and a revision apart', () => {
    expect(revisionPicture(map, map.history(), { format: 'text', current: ['d4'] })).to.equal(
      [
        '* f6 (shop) (head), f6 step',
        '* e5 (shop), e5 step',
        '|\\',
        '| * d4 (shop) (current), d4 step',
        '| * c3 (shop), c3 step',
        '| | * x1 (head) (depends on b2), a "quoted" <thing>',
        '* | b2, b2 step',
        '|/',
        '* a1, a1 step',
      ].join('\n'),
    );
  });

  it('text: a range draws only its revisions', () => {
    expect(revisionPicture(map, map.range('c3:f6'), { format: 'text' })).to.equal(
      ['* f6 (shop) (head), f6 step', '* e5 (shop), e5 step', '* d4 (shop), d4 step', '* c3 (shop), c3 step'].join('\n'),
    );
  });

  it('text: heads side by side join one by one; a blank row before an unrelated base', () => {
    const wide = new RevisionMap([rev('a1'), rev('b2', ['a1']), rev('c3', ['a1']), rev('d4', ['a1']), rev('z9')]);
    expect(revisionPicture(wide, wide.history(), { format: 'text' })).to.equal(
      ['* b2 (head), b2 step', '| * c3 (head), c3 step', '| | * d4 (head), d4 step', '| |/', '|/', '* a1, a1 step', '', '* z9 (head), z9 step'].join('\n'),
    );
  });

  it('mermaid: nodes oldest first, parent edges, dashed dependencies, current revisions styled, text escaped', () => {
    expect(revisionPicture(map, map.history(), { format: 'mermaid', current: ['d4', 'x1'] })).to.equal(
      [
        'flowchart BT',
        '  r0["a1<br/>a1 step"]',
        '  r1["b2<br/>b2 step"]',
        '  r2["x1 (head) (current)<br/>a #quot;quoted#quot; #lt;thing#gt;"]',
        '  r3["c3 (shop)<br/>c3 step"]',
        '  r4["d4 (shop) (current)<br/>d4 step"]',
        '  r5["e5 (shop)<br/>e5 step"]',
        '  r6["f6 (shop) (head)<br/>f6 step"]',
        '  r0 --> r1',
        '  r1 -. depends on .-> r2',
        '  r0 --> r3',
        '  r3 --> r4',
        '  r1 --> r5',
        '  r4 --> r5',
        '  r5 --> r6',
        '  classDef current stroke-width:3px,font-weight:bold',
        '  class r4,r2 current',
      ].join('\n'),
    );
  });

  it('dot: one node per revision, edges in the upgrade direction, quotes escaped', () => {
    const dot = revisionPicture(map, map.history(), { format: 'dot', current: ['f6'] });
    expect(dot.split('\n').slice(0, 3)).to.deep.equal(['digraph revisions {', '  rankdir=BT;', '  node [shape=box, fontname="Helvetica"];']);
    expect(dot).to.include('  "f6" [label="f6 (shop) (head) (current)\\nf6 step", style="bold,filled", fillcolor="#fff3b0"];\n');
    expect(dot).to.include('  "x1" [label="x1 (head)\\na \\"quoted\\" <thing>"];\n');
    expect(dot).to.include('  "a1" -> "b2";\n  "b2" -> "x1" [style=dashed, label="depends on"];\n');
    expect(dot).to.include('  "b2" -> "e5";\n  "d4" -> "e5";\n  "e5" -> "f6";\n}');
  });
});
