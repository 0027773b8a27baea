/**
 * The revision graph as a picture (`tsmig history --graph`): Mermaid (renders on GitHub and in most
 * editors), Graphviz DOT, or text lanes drawn like `git log --graph`. Edges point from a revision to the
 * one that revises it (the upgrade direction); `dependsOn` edges are dashed. Pure text from the map.
 */
import { formatRevision } from './revision-format.js';
import type { RevisionMap } from './revision-map.js';
import type { RevisionInfo } from './revision.js';

/** The formats of `history --graph --format`. */
export const REVISION_GRAPH_FORMATS = ['text', 'mermaid', 'dot'] as const;
export type RevisionGraphFormat = (typeof REVISION_GRAPH_FORMATS)[number];

/** What to draw: the revisions of a range (newest first, as `history` lists them) and the marks. */
export interface RevisionPictureOptions {
  readonly format: RevisionGraphFormat;
  /** The database's revisions, marked `(current)` and highlighted. */
  readonly current?: readonly string[] | undefined;
}

/**
 * The picture of `revisions` (newest first); edges to revisions outside the list are left out, so a range
 * draws only itself.
 *
 * @example
 * ```ts
 * revisionPicture(map, map.history(), { format: 'mermaid' });
 * // 'flowchart BT\n  r0["6ee29ad111e3<br/>add movies"]\n  ...'
 * ```
 */
export function revisionPicture(map: RevisionMap, revisions: readonly RevisionInfo[], options: RevisionPictureOptions): string {
  const current = options.current ?? [];
  switch (options.format) {
    case 'text':
      return textLanes(map, revisions, current);
    case 'mermaid':
      return mermaid(map, revisions, current);
    case 'dot':
      return dot(map, revisions, current);
  }
}

/** `id (labels) (head) (current), message`: the words of a node, the same in every format. */
function caption(map: RevisionMap, info: RevisionInfo, current: readonly string[]): { title: string; message: string } {
  const title = formatRevision(map, info, { includeBranches: true, treeIndicators: false, current });
  return { title, message: info.message };
}

/** Parents and dependencies that are drawn: those in the picture. */
function edges(revisions: readonly RevisionInfo[]): { from: string; to: string; dependency: boolean }[] {
  const shown = new Set(revisions.map((r) => r.revision));
  const list: { from: string; to: string; dependency: boolean }[] = [];
  for (const info of [...revisions].reverse()) {
    for (const parent of info.downRevisions) if (shown.has(parent)) list.push({ from: parent, to: info.revision, dependency: false });
    for (const dep of info.dependsOn) if (shown.has(dep)) list.push({ from: dep, to: info.revision, dependency: true });
  }
  return list;
}

function mermaid(map: RevisionMap, revisions: readonly RevisionInfo[], current: readonly string[]): string {
  const nodeId = new Map([...revisions].reverse().map((info, i) => [info.revision, `r${i}`]));
  const text = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  const lines = ['flowchart BT'];
  for (const info of [...revisions].reverse()) {
    const { title, message } = caption(map, info, current);
    lines.push(`  ${nodeId.get(info.revision)}["${text(title)}${message === '' ? '' : `<br/>${text(message)}`}"]`);
  }
  for (const e of edges(revisions)) {
    lines.push(`  ${nodeId.get(e.from)} ${e.dependency ? '-. depends on .->' : '-->'} ${nodeId.get(e.to)}`);
  }
  const marked = revisions.filter((r) => current.includes(r.revision));
  if (marked.length > 0) {
    lines.push('  classDef current stroke-width:3px,font-weight:bold');
    lines.push(`  class ${marked.map((r) => nodeId.get(r.revision)).join(',')} current`);
  }
  return lines.join('\n');
}

function dot(map: RevisionMap, revisions: readonly RevisionInfo[], current: readonly string[]): string {
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = ['digraph revisions {', '  rankdir=BT;', '  node [shape=box, fontname="Helvetica"];'];
  for (const info of [...revisions].reverse()) {
    const { title, message } = caption(map, info, current);
    const style = current.includes(info.revision) ? ', style="bold,filled", fillcolor="#fff3b0"' : '';
    lines.push(`  ${quote(info.revision)} [label=${quote(message === '' ? title : `${title}\n${message}`)}${style}];`);
  }
  for (const e of edges(revisions)) {
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)}${e.dependency ? ' [style=dashed, label="depends on"]' : ''};`);
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * Lanes as `git log --graph` draws them, newest first: `*` is a revision, `|` a lane waiting for an
 * older revision, `/` two lanes joining at a branch point, `\` a merge opening a lane per extra parent.
 * Lane k sits in column 2k; the joins and splits use the odd columns between.
 */
function textLanes(map: RevisionMap, revisions: readonly RevisionInfo[], current: readonly string[]): string {
  const shown = new Set(revisions.map((r) => r.revision));
  /** What each lane waits for: the id of an older revision. */
  let lanes: string[] = [];
  const out: string[] = [];
  const row = (marks: ReadonlyMap<number, string>, width: number) => {
    const cells = Array.from({ length: width }, (_, i) => marks.get(i) ?? ' ');
    return cells.join('').trimEnd();
  };
  const straight = (count: number, except: ReadonlySet<number> = new Set()) =>
    new Map(Array.from({ length: count }, (_, k) => k).filter((k) => !except.has(k)).map((k) => [2 * k, '|']));

  for (const info of revisions) {
    let col = lanes.indexOf(info.revision);
    if (col < 0) {
      lanes.push(info.revision);
      col = lanes.length - 1;
    }
    // Other lanes that wait for this revision join its lane first (it is a branch point), a row per join.
    for (let j = lanes.length - 1; j > col; j--) {
      if (lanes[j] !== info.revision) continue;
      const join = straight(j);
      join.set(2 * j - 1, '/');
      for (let k = j + 1; k < lanes.length; k++) join.set(2 * k - 1, '/');
      out.push(row(join, 2 * lanes.length));
      lanes = [...lanes.slice(0, j), ...lanes.slice(j + 1)];
    }
    const marks = straight(lanes.length);
    marks.set(2 * col, '*');
    const { title } = caption(map, info, current);
    const deps = info.dependsOn.length > 0 ? ` (depends on ${info.dependsOn.join(', ')})` : '';
    out.push(`${row(marks, 2 * lanes.length)} ${title}${deps}${info.message === '' ? '' : `, ${info.message}`}`);


    const parents = info.downRevisions.filter((p) => shown.has(p));
    if (parents.length === 0) {
      // A base (or the oldest of a range): its lane ends and the lanes to its right move left.
      if (col < lanes.length - 1) {
        const close = straight(col);
        for (let k = col + 1; k < lanes.length; k++) close.set(2 * k - 1, '/');
        out.push(row(close, 2 * lanes.length));
      }
      lanes = [...lanes.slice(0, col), ...lanes.slice(col + 1)];
      // A blank row keeps the next, unrelated revision from reading as this one's child.
      if (lanes.length === 0 && info !== revisions[revisions.length - 1]) out.push('');
      continue;
    }
    lanes[col] = parents[0]!;
    // A merge: a new lane right of this one for each further parent; the lanes beyond move right.
    for (const extra of parents.slice(1)) {
      const split = straight(col + 1);
      split.set(2 * col + 1, '\\');
      for (let k = col + 1; k < lanes.length; k++) split.set(2 * k + 1, '\\');
      out.push(row(split, 2 * lanes.length + 2));
      lanes = [...lanes.slice(0, col + 1), extra, ...lanes.slice(col + 1)];
    }
  }
  return out.join('\n');
}
