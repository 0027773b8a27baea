/**
 * The revision graph without files: validation errors, heads/bases/branch and merge points, every
 * identifier form, ranges, and the upgrade/downgrade/stamp plans with their version-table changes,
 * checked against Alembic's semantics for branches, merges, several bases and `dependsOn`.
 */
import { expect } from 'chai';
import {
  AmbiguousRevisionError,
  CycleDetectedError,
  MultipleHeadsError,
  RevisionGraphError,
  UnknownRevisionError,
} from '../../src/migrate/script/errors.js';
import { parseIdentifier, parseRange } from '../../src/migrate/script/identifier.js';
import { RevisionMap } from '../../src/migrate/script/revision-map.js';
import type { MigrationStep, RevisionInfo } from '../../src/migrate/script/revision.js';

function rev(
  revision: string,
  downRevisions: readonly string[] = [],
  extra: { branchLabels?: readonly string[]; dependsOn?: readonly string[]; path?: string } = {},
): RevisionInfo {
  return {
    revision,
    downRevisions,
    branchLabels: extra.branchLabels ?? [],
    dependsOn: extra.dependsOn ?? [],
    message: `message of ${revision}`,
    path: extra.path ?? '',
    createDate: null,
  };
}

/** `up b2: b2<-a1` style summary of a plan: direction, revision, and the version-table change. */
function summary(steps: readonly MigrationStep[]): string[] {
  return steps.map(({ direction, revision, versionChange: v }) => {
    const parts: string[] = [];
    if (v.delete.length > 0) parts.push(`-${v.delete.join(',')}`);
    if (v.update !== null) parts.push(`${v.update[0]}>${v.update[1]}`);
    if (v.insert.length > 0) parts.push(`+${v.insert.join(',')}`);
    return `${direction} ${revision.revision}: ${parts.join(' ')}`;
  });
}

function idsOf(revisions: readonly RevisionInfo[]): string[] {
  return revisions.map((r) => r.revision);
}

/** Applies a plan's version changes to a set of heads, as the runtime will. */
function applyPlan(heads: readonly string[], steps: readonly MigrationStep[]): string[] {
  const table = new Set(heads);
  for (const { versionChange: v } of steps) {
    for (const d of v.delete) expect(table.delete(d), `delete ${d}`).to.equal(true);
    if (v.update !== null) {
      expect(table.delete(v.update[0]), `update from ${v.update[0]}`).to.equal(true);
      table.add(v.update[1]);
    }
    for (const i of v.insert) table.add(i);
  }
  return [...table].sort();
}

// a1 <- b2 <- c3
const CHAIN = [rev('1975ea83b712'), rev('2b1ae634e5cd', ['1975ea83b712']), rev('3512b954651e', ['2b1ae634e5cd'])];
const [A, B, C] = ['1975ea83b712', '2b1ae634e5cd', '3512b954651e'];

//            +-- c3 --+
// a1 <- b2 <-+        +- e5
//            +-- d4 --+      (d4 labelled 'shop')
const DIAMOND = [
  rev('a1a1a1a1'),
  rev('b2b2b2b2', ['a1a1a1a1']),
  rev('c3c3c3c3', ['b2b2b2b2']),
  rev('d4d4d4d4', ['b2b2b2b2'], { branchLabels: ['shop'] }),
  rev('e5e5e5e5', ['c3c3c3c3', 'd4d4d4d4']),
];

// Two unmerged branches from b2: c3 (trunk) and d4 <- f6 (labelled 'shop' on d4).
const FORK = [
  rev('a1a1a1a1'),
  rev('b2b2b2b2', ['a1a1a1a1']),
  rev('c3c3c3c3', ['b2b2b2b2']),
  rev('d4d4d4d4', ['b2b2b2b2'], { branchLabels: ['shop'] }),
  rev('f6f6f6f6', ['d4d4d4d4']),
];

// Two bases: the 'core' branch t1 <- t2, the 'net' branch n1 <- n2, where n2 depends on t2.
const BASES = [
  rev('t1t1t1t1', [], { branchLabels: ['core'] }),
  rev('t2t2t2t2', ['t1t1t1t1']),
  rev('n1n1n1n1', [], { branchLabels: ['net'] }),
  rev('n2n2n2n2', ['n1n1n1n1'], { dependsOn: ['t2t2t2t2'] }),
];

describe('revision map: validation', () => {
  it('rejects a duplicate id, naming both files', () => {
    expect(() => new RevisionMap([rev('aaaa', [], { path: '/v/x.ts' }), rev('aaaa', [], { path: '/v/y.ts' })]))
      .to.throw(RevisionGraphError, 'Duplicate revision id aaaa: in /v/x.ts and /v/y.ts');
  });

  it('rejects a downRevision that names no revision, naming the file', () => {
    const build = () => new RevisionMap([rev('aaaa'), rev('bbbb', ['zzzz'], { path: '/v/bbbb_x.ts' })]);
    expect(build).to.throw(UnknownRevisionError, "Revision bbbb (/v/bbbb_x.ts) has downRevision 'zzzz', which no revision file defines");
  });

  it('rejects a dependsOn that names no revision or label', () => {
    const build = () => new RevisionMap([rev('aaaa'), rev('bbbb', ['aaaa'], { dependsOn: ['nope'], path: '/v/b.ts' })]);
    expect(build).to.throw(UnknownRevisionError, "Revision bbbb (/v/b.ts) has dependsOn 'nope', which names no revision or branch label");
  });

  it('detects a cycle through downRevision and names its revisions and files', () => {
    const build = () =>
      new RevisionMap([rev('aaaa', ['cccc'], { path: '/v/a.ts' }), rev('bbbb', ['aaaa'], { path: '/v/b.ts' }), rev('cccc', ['bbbb'], { path: '/v/c.ts' })]);
    expect(build).to.throw(CycleDetectedError, /Cycle in the revision graph: (aaaa -> cccc -> bbbb -> aaaa|bbbb -> aaaa -> cccc -> bbbb|cccc -> bbbb -> aaaa -> cccc)/);
    try {
      build();
    } catch (error) {
      expect((error as CycleDetectedError).revisions).to.have.members(['aaaa', 'bbbb', 'cccc']);
      expect((error as Error).message).to.include('/v/a.ts').and.include('/v/b.ts').and.include('/v/c.ts');
    }
  });

  it('detects a cycle that goes through dependsOn, and a revision below a cycle is not blamed', () => {
    const build = () => new RevisionMap([rev('root'), rev('aaaa', ['root'], { dependsOn: ['bbbb'] }), rev('bbbb', ['aaaa']), rev('tail', ['bbbb'])]);
    expect(build).to.throw(CycleDetectedError);
    try {
      build();
    } catch (error) {
      expect((error as CycleDetectedError).revisions).to.have.members(['aaaa', 'bbbb']);
    }
  });

  it('detects a revision that names itself', () => {
    expect(() => new RevisionMap([rev('aaaa', ['aaaa'], { path: '/v/a.ts' })])).to.throw(CycleDetectedError, 'names itself in downRevision');
    expect(() => new RevisionMap([rev('aaaa', [], { dependsOn: ['aaaa'] })])).to.throw(CycleDetectedError, 'names itself in dependsOn');
  });

  it('rejects a branch label used twice, or equal to a revision id', () => {
    expect(() => new RevisionMap([rev('aaaa', [], { branchLabels: ['x'] }), rev('bbbb', [], { branchLabels: ['x'], path: '/v/b.ts' })]))
      .to.throw(RevisionGraphError, "Branch label 'x' of revision bbbb (/v/b.ts) is already used by revision aaaa");
    expect(() => new RevisionMap([rev('aaaa'), rev('bbbb', [], { branchLabels: ['aaaa'] })])).to.throw(RevisionGraphError, 'is the id of revision aaaa');
  });

  it('rejects ids with identifier syntax in them, and reserved words', () => {
    expect(() => new RevisionMap([rev('ab-cd')])).to.throw(RevisionGraphError, "Revision id 'ab-cd' of ab-cd contains '-'");
    expect(() => new RevisionMap([rev('head')])).to.throw(RevisionGraphError, 'reserved word');
    expect(() => new RevisionMap([rev('aaaa', [], { branchLabels: ['a@b'] })])).to.throw(RevisionGraphError, "contains '@'");
  });

  it('accepts an empty graph', () => {
    const map = new RevisionMap([]);
    expect(map.heads).to.deep.equal([]);
    expect(map.resolve('head')).to.deep.equal([]);
    expect(summary(map.upgradePlan([], 'heads'))).to.deep.equal([]);
  });
});

describe('revision map: shape', () => {
  it('finds heads, bases, branch points and merge points', () => {
    const map = new RevisionMap(DIAMOND);
    expect(map.heads).to.deep.equal(['e5e5e5e5']);
    expect(map.bases).to.deep.equal(['a1a1a1a1']);
    expect(map.branchPoints).to.deep.equal(['b2b2b2b2']);
    expect(map.mergePoints).to.deep.equal(['e5e5e5e5']);
    expect(map.children('b2b2b2b2')).to.deep.equal(['c3c3c3c3', 'd4d4d4d4']);
    expect(map.get('c3c3c3c3').downRevisions).to.deep.equal(['b2b2b2b2']);
    expect(() => map.get('c3c3')).to.throw(UnknownRevisionError);
  });

  it('counts a revision that only something depends on as a head, but not as a real head', () => {
    const map = new RevisionMap(BASES);
    expect(map.heads).to.deep.equal(['t2t2t2t2', 'n2n2n2n2']);
    expect(map.realHeads).to.deep.equal(['n2n2n2n2']);
    expect(map.bases).to.deep.equal(['t1t1t1t1', 'n1n1n1n1']);
    expect(map.dependents('t2t2t2t2')).to.deep.equal(['n2n2n2n2']);
    expect(map.isHead('t2t2t2t2')).to.equal(true);
    expect(map.isRealHead('t2t2t2t2')).to.equal(false);
  });

  it('propagates a branch label to the descendants and up to the branch point', () => {
    const map = new RevisionMap(FORK);
    expect(map.branchLabels('d4d4d4d4')).to.deep.equal(['shop']);
    expect(map.branchLabels('f6f6f6f6')).to.deep.equal(['shop']);
    expect(map.branchLabels('b2b2b2b2')).to.deep.equal([]);
    expect(map.branchLabels('c3c3c3c3')).to.deep.equal([]);
    // On a plain chain the label covers the whole line.
    const line = new RevisionMap([rev('aaaa'), rev('bbbb', ['aaaa'], { branchLabels: ['x'] }), rev('cccc', ['bbbb'])]);
    expect(['aaaa', 'bbbb', 'cccc'].map((id) => line.branchLabels(id))).to.deep.equal([['x'], ['x'], ['x']]);
  });

  it('drops a dependency an ancestor already declared (normalised down revisions)', () => {
    const map = new RevisionMap([
      rev('x1x1x1x1'),
      rev('a1a1a1a1', [], { dependsOn: ['x1x1x1x1'] }),
      rev('a2a2a2a2', ['a1a1a1a1'], { dependsOn: ['x1x1x1x1'] }),
    ]);
    expect(map.normalizedDownRevisions('a1a1a1a1')).to.deep.equal(['x1x1x1x1']);
    expect(map.normalizedDownRevisions('a2a2a2a2')).to.deep.equal(['a1a1a1a1']);
  });

  it('lists history newest first, one branch down to its branch point before the next', () => {
    expect(idsOf(new RevisionMap(DIAMOND).history())).to.deep.equal(['e5e5e5e5', 'c3c3c3c3', 'd4d4d4d4', 'b2b2b2b2', 'a1a1a1a1']);
    expect(idsOf(new RevisionMap(FORK).history())).to.deep.equal(['c3c3c3c3', 'f6f6f6f6', 'd4d4d4d4', 'b2b2b2b2', 'a1a1a1a1']);
    // Dependencies come after their dependents.
    expect(idsOf(new RevisionMap(BASES).history())).to.deep.equal(['n2n2n2n2', 'n1n1n1n1', 't2t2t2t2', 't1t1t1t1']);
  });
});

describe('revision map: identifiers', () => {
  const chain = new RevisionMap(CHAIN);
  const fork = new RevisionMap(FORK);
  const one = (map: RevisionMap, id: string, current?: readonly string[]) =>
    map.resolveOne(id, current === undefined ? {} : { current })?.revision ?? null;

  it('parses the identifier syntax', () => {
    expect(parseIdentifier('shop@head-1')).to.deep.equal({ kind: 'relative', branch: 'shop', symbol: 'head', steps: -1 });
    expect(parseIdentifier('+2')).to.deep.equal({ kind: 'relative', branch: null, symbol: null, steps: 2 });
    expect(parseIdentifier('ae10+1')).to.deep.equal({ kind: 'relative', branch: null, symbol: 'ae10', steps: 1 });
    expect(parseIdentifier('shop@base')).to.deep.equal({ kind: 'absolute', branch: 'shop', symbol: 'base' });
    expect(parseIdentifier('1975ea')).to.deep.equal({ kind: 'absolute', branch: null, symbol: '1975ea' });
    expect(() => parseIdentifier('@head')).to.throw(RevisionGraphError, 'Invalid revision identifier');
    expect(() => parseIdentifier('  ')).to.throw(RevisionGraphError, 'Empty revision identifier');
    expect(parseRange('a:b')).to.deep.equal({ lower: 'a', upper: 'b' });
    expect(parseRange(':b')).to.deep.equal({ lower: null, upper: 'b' });
    expect(parseRange('a:')).to.deep.equal({ lower: 'a', upper: null });
    expect(() => parseRange('ab')).to.throw(RevisionGraphError, 'write start:end');
  });

  it('resolves full ids and unique prefixes of four or more characters', () => {
    expect(one(chain, A)).to.equal(A);
    expect(one(chain, '2b1a')).to.equal(B);
    expect(() => one(chain, '2b1')).to.throw(UnknownRevisionError, "Unknown revision '2b1' (a partial id needs at least four characters)");
    expect(() => one(chain, 'ffff')).to.throw(UnknownRevisionError, "Unknown revision 'ffff'");
  });

  it('reports an ambiguous prefix with every candidate', () => {
    const map = new RevisionMap([rev('abcd1111'), rev('abcd2222', ['abcd1111'])]);
    expect(() => map.resolveOne('abcd')).to.throw(AmbiguousRevisionError, "Revision 'abcd' is ambiguous: it matches abcd1111, abcd2222");
    try {
      map.resolveOne('abcd');
    } catch (error) {
      expect((error as AmbiguousRevisionError).candidates).to.deep.equal(['abcd1111', 'abcd2222']);
    }
  });

  it('resolves head, heads and base', () => {
    expect(one(chain, 'head')).to.equal(C);
    expect(idsOf(chain.resolve('heads'))).to.deep.equal([C]);
    expect(chain.resolve('base')).to.deep.equal([]);
    expect(one(chain, 'base')).to.equal(null);
    expect(idsOf(fork.resolve('heads'))).to.deep.equal(['c3c3c3c3', 'f6f6f6f6']);
  });

  it('refuses head when there are several heads, telling to merge or target one', () => {
    expect(() => fork.resolve('head')).to.throw(
      MultipleHeadsError,
      'Multiple heads: c3c3c3c3, f6f6f6f6. Run `tsmig merge heads -m "..."` or target one head',
    );
  });

  it('resolves a branch label, label@head, label@base and label@<rev>', () => {
    expect(one(fork, 'shop')).to.equal('d4d4d4d4');
    expect(one(fork, 'shop@head')).to.equal('f6f6f6f6');
    expect(idsOf(fork.resolve('shop@heads'))).to.deep.equal(['f6f6f6f6']);
    expect(fork.resolve('shop@base')).to.deep.equal([]);
    expect(one(fork, 'shop@f6f6')).to.equal('f6f6f6f6');
    expect(() => fork.resolve('shop@c3c3c3c3')).to.throw(RevisionGraphError, "Revision c3c3c3c3 is not on branch 'shop'");
    expect(() => fork.resolve('nope@head')).to.throw(UnknownRevisionError, "No branch label or revision 'nope'");
    // A revision id serves as a branch qualifier too (Alembic allows it).
    expect(one(fork, 'c3c3@head')).to.equal('c3c3c3c3');
  });

  it('resolves relative steps from a named revision', () => {
    expect(one(chain, `${A}+1`)).to.equal(B);
    expect(one(chain, '1975+2')).to.equal(C);
    expect(one(chain, 'head-1')).to.equal(B);
    expect(one(chain, 'head-3')).to.equal(null);
    expect(one(fork, 'shop@head-1')).to.equal('d4d4d4d4');
    expect(one(fork, 'shop@b2b2b2b2+1')).to.equal('d4d4d4d4');
    expect(() => one(chain, 'head-4')).to.throw(RevisionGraphError, "Relative revision 'head-4' goes below base");
    expect(() => one(chain, 'head+1')).to.throw(RevisionGraphError, "Relative revision 'head+1' goes past the head");
    expect(() => one(fork, 'b2b2+1')).to.throw(RevisionGraphError, 'b2b2b2b2 leads to c3c3c3c3, d4d4d4d4. Qualify it with a branch label');
    expect(() => one(new RevisionMap(DIAMOND), 'head-1')).to.throw(RevisionGraphError, "'head-1' steps down across a merge to c3c3c3c3, d4d4d4d4");
    expect(idsOf(new RevisionMap(DIAMOND).resolve('head-1'))).to.deep.equal(['c3c3c3c3', 'd4d4d4d4']);
    expect(one(new RevisionMap(DIAMOND), 'head-2')).to.equal('b2b2b2b2');
  });

  it('counts bare relative steps from the current revisions, or from base/head without them', () => {
    expect(one(chain, '+1')).to.equal(A);
    expect(one(chain, '-1')).to.equal(B);
    expect(one(chain, '+1', [A])).to.equal(B);
    expect(one(chain, '-1', [B])).to.equal(A);
    expect(one(fork, 'shop@+1', ['c3c3c3c3'])).to.equal('d4d4d4d4');
    expect(() => one(fork, '+1', ['c3c3c3c3', 'f6f6f6f6'])).to.throw(RevisionGraphError, 'is ambiguous: the database is at c3c3c3c3, f6f6f6f6');
    expect(() => one(chain, '-1', [])).to.throw(RevisionGraphError, 'the database is at base');
  });

  it('resolves current only when the caller gives the current revisions', () => {
    expect(idsOf(chain.resolve('current', { current: [B] }))).to.deep.equal([B]);
    expect(() => chain.resolve('current')).to.throw(RevisionGraphError, "'current' names the database's revisions");
  });

  it('rejects current revisions that no file defines', () => {
    expect(() => chain.upgradePlan(['deadbeef0000'], 'head')).to.throw(UnknownRevisionError, "The database is at revision 'deadbeef0000', which no revision file defines");
  });
});

describe('revision map: ranges', () => {
  const chain = new RevisionMap(CHAIN);
  const bases = new RevisionMap(BASES);

  it('gives the revisions between two ends, inclusive, newest first', () => {
    expect(idsOf(chain.range(`${A}:${B}`))).to.deep.equal([B, A]);
    expect(idsOf(chain.range('2b1a:'))).to.deep.equal([C, B]);
    expect(idsOf(chain.range(':2b1a'))).to.deep.equal([B, A]);
    expect(idsOf(chain.range('base:head'))).to.deep.equal([C, B, A]);
    expect(idsOf(chain.range('-1:'))).to.deep.equal([C, B]);
    expect(idsOf(chain.range('current:', { current: [B] }))).to.deep.equal([C, B]);
  });

  it('refuses a range whose start is not below its end', () => {
    expect(() => chain.range(`${C}:${A}`)).to.throw(RevisionGraphError, `Revision ${C} is not an ancestor of ${A}`);
  });

  it('counts A:+N from A, as Alembic does', () => {
    const map = new RevisionMap(CHAIN);
    expect(idsOf(map.range(`${A}:+2`))).to.deep.equal([C, B, A]);
    expect(idsOf(map.range(`${A}:+1`))).to.deep.equal([B, A]);
    expect(idsOf(map.range(':+1'))).to.deep.equal([A]);
  });

  it('restricts label@base ranges to the branch', () => {
    expect(idsOf(bases.range('net@base:net@head'))).to.deep.equal(['n2n2n2n2', 'n1n1n1n1']);
    expect(idsOf(bases.range(':net@head'))).to.deep.equal(['n2n2n2n2', 'n1n1n1n1', 't2t2t2t2', 't1t1t1t1']);
  });
});

describe('revision map: upgrade plans', () => {
  it('applies a chain from base: insert the base row, then update it', () => {
    const map = new RevisionMap(CHAIN);
    expect(summary(map.upgradePlan([], 'head'))).to.deep.equal([`up ${A}: +${A}`, `up ${B}: ${A}>${B}`, `up ${C}: ${B}>${C}`]);
    expect(summary(map.upgradePlan([A], '+1'))).to.deep.equal([`up ${B}: ${A}>${B}`]);
    expect(summary(map.upgradePlan([A], '3512'))).to.deep.equal([`up ${B}: ${A}>${B}`, `up ${C}: ${B}>${C}`]);
    expect(summary(map.upgradePlan([C], 'head'))).to.deep.equal([]);
    expect(map.upgradePlan([A], 'head')[0]!.direction).to.equal('up');
  });

  it('refuses to upgrade to a downward step', () => {
    expect(() => new RevisionMap(CHAIN).upgradePlan([B], '-1')).to.throw(RevisionGraphError, 'use `tsmig downgrade -1`');
  });

  it('refuses head with several heads and upgrades every branch for heads', () => {
    const map = new RevisionMap(FORK);
    expect(() => map.upgradePlan([], 'head')).to.throw(MultipleHeadsError);
    const plan = map.upgradePlan([], 'heads');
    expect(summary(plan)).to.deep.equal([
      'up a1a1a1a1: +a1a1a1a1',
      'up b2b2b2b2: a1a1a1a1>b2b2b2b2',
      'up c3c3c3c3: b2b2b2b2>c3c3c3c3',
      'up d4d4d4d4: +d4d4d4d4',
      'up f6f6f6f6: d4d4d4d4>f6f6f6f6',
    ]);
    expect(applyPlan([], plan)).to.deep.equal(['c3c3c3c3', 'f6f6f6f6']);
    expect(summary(map.upgradePlan(['c3c3c3c3'], 'shop@head'))).to.deep.equal(['up d4d4d4d4: +d4d4d4d4', 'up f6f6f6f6: d4d4d4d4>f6f6f6f6']);
  });

  it('a merge consumes its parents: one row deleted, one updated', () => {
    const map = new RevisionMap(DIAMOND);
    const plan = map.upgradePlan(['c3c3c3c3', 'd4d4d4d4'], 'head');
    expect(summary(plan)).to.deep.equal(['up e5e5e5e5: -d4d4d4d4 c3c3c3c3>e5e5e5e5']);
    expect(applyPlan(['c3c3c3c3', 'd4d4d4d4'], plan)).to.deep.equal(['e5e5e5e5']);
    // From one side of the diamond, the other side runs first and the merge still ends with one row.
    const fromSide = map.upgradePlan(['c3c3c3c3'], 'head');
    expect(summary(fromSide)).to.deep.equal(['up d4d4d4d4: +d4d4d4d4', 'up e5e5e5e5: -d4d4d4d4 c3c3c3c3>e5e5e5e5']);
    expect(applyPlan(['c3c3c3c3'], fromSide)).to.deep.equal(['e5e5e5e5']);
  });

  it('starts every base of a multi-base graph with its own row', () => {
    const map = new RevisionMap([rev('aaaa'), rev('bbbb'), rev('cccc', ['bbbb'])]);
    const plan = map.upgradePlan([], 'heads');
    expect(summary(plan)).to.deep.equal(['up aaaa: +aaaa', 'up bbbb: +bbbb', 'up cccc: bbbb>cccc']);
    expect(applyPlan([], plan)).to.deep.equal(['aaaa', 'cccc']);
  });

  it('applies a dependency first; it is not a parent, and the dependent row replaces it', () => {
    const map = new RevisionMap(BASES);
    const plan = map.upgradePlan([], 'net@head');
    expect(summary(plan)).to.deep.equal([
      'up t1t1t1t1: +t1t1t1t1',
      'up t2t2t2t2: t1t1t1t1>t2t2t2t2',
      'up n1n1n1n1: +n1n1n1n1',
      'up n2n2n2n2: -t2t2t2t2 n1n1n1n1>n2n2n2n2',
    ]);
    expect(applyPlan([], plan)).to.deep.equal(['n2n2n2n2']);
    expect(map.get('n2n2n2n2').downRevisions).to.deep.equal(['n1n1n1n1']);
    // The core branch alone does not pull in the net branch.
    expect(summary(map.upgradePlan([], 'core@head'))).to.deep.equal(['up t1t1t1t1: +t1t1t1t1', 'up t2t2t2t2: t1t1t1t1>t2t2t2t2']);
    // `heads` ends at the real heads; `head` sees two heads (t2 is only depended on).
    expect(applyPlan([], map.upgradePlan([], 'heads'))).to.deep.equal(['n2n2n2n2']);
    expect(() => map.upgradePlan([], 'head')).to.throw(MultipleHeadsError);
  });

  it('refuses a target below the current revision, naming both', () => {
    const map = new RevisionMap(CHAIN);
    expect(() => map.upgradePlan([C], A)).to.throw(RevisionGraphError, `Revision ${A} is below the current revision(s) ${C}: upgrade only moves forward. Use \`tsmig downgrade ${A}\``);
    expect(summary(map.upgradePlan([C], C))).to.deep.equal([]);
    // Another branch's revision that is not applied yet is no such error.
    expect(applyPlan(['c3c3c3c3'], new RevisionMap(FORK).upgradePlan(['c3c3c3c3'], 'd4d4d4d4'))).to.deep.equal(['c3c3c3c3', 'd4d4d4d4']);
  });

  it('names the starting revision when +N goes past the head', () => {
    expect(() => new RevisionMap(CHAIN).upgradePlan([A], '+5')).to.throw(RevisionGraphError, `there are only 2 revision(s) above ${A} (the head is ${C})`);
  });

  it('refuses overlapping version rows and says which stamp --purge fixes them', () => {
    const map = new RevisionMap(CHAIN);
    for (const plan of [() => map.upgradePlan([A, C], 'head'), () => map.downgradePlan([A, C], 'base'), () => map.stampHeads([A, C], 'head')]) {
      expect(plan).to.throw(RevisionGraphError, `The version table has overlapping rows (${A}, ${C}): ${A} is below ${C}. Each row must be the newest applied revision of its branch; fix the table with \`tsmig stamp --purge ${C}\`.`);
    }
  });

  it("keeps Alembic's rows for a dependency across branches: the dependent row replaces the dependency's", () => {
    // a1 <- a2 <- a3 and b1 <- b2 (dependsOn a2) <- b3, as in the issue; Alembic's HeadMaintainer merges
    // the rows of b2's down revisions (b1 and a2) into b2 (its DependsOnBranchTestFive asserts the same).
    const map = new RevisionMap([
      rev('a1a1'),
      rev('a2a2', ['a1a1']),
      rev('a3a3', ['a2a2']),
      rev('b1b1'),
      rev('b2b2', ['b1b1'], { dependsOn: ['a2a2'] }),
      rev('b3b3', ['b2b2']),
    ]);
    expect(applyPlan([], map.upgradePlan([], 'b3b3'))).to.deep.equal(['b3b3']);
    expect(map.stampHeads([], 'b2b2').heads).to.deep.equal(['b2b2']);
    // a2 stays applied (implied by b3): upgrading heads runs a3 only, as a new row.
    expect(summary(map.upgradePlan(['b3b3'], 'heads'))).to.deep.equal(['up a3a3: +a3a3']);
  });

  it('resolves a dependency given as a branch label', () => {
    const map = new RevisionMap([rev('t1t1t1t1', [], { branchLabels: ['core'] }), rev('n1n1n1n1', [], { dependsOn: ['core'] })]);
    expect(summary(map.upgradePlan([], 'n1n1'))).to.deep.equal(['up t1t1t1t1: +t1t1t1t1', 'up n1n1n1n1: t1t1t1t1>n1n1n1n1']);
  });
});

describe('revision map: downgrade plans', () => {
  it('steps down a chain to a revision, by -1, and to base', () => {
    const map = new RevisionMap(CHAIN);
    expect(summary(map.downgradePlan([C], '-1'))).to.deep.equal([`down ${C}: ${C}>${B}`]);
    expect(summary(map.downgradePlan([C], '1975'))).to.deep.equal([`down ${C}: ${C}>${B}`, `down ${B}: ${B}>${A}`]);
    const all = map.downgradePlan([C], 'base');
    expect(summary(all)).to.deep.equal([`down ${C}: ${C}>${B}`, `down ${B}: ${B}>${A}`, `down ${A}: -${A}`]);
    expect(applyPlan([C], all)).to.deep.equal([]);
    expect(summary(map.downgradePlan([A], 'base'))).to.deep.equal([`down ${A}: -${A}`]);
    expect(summary(map.downgradePlan([B], B))).to.deep.equal([]);
  });

  it('refuses targets that are not below the current revision, and upward steps', () => {
    const map = new RevisionMap(CHAIN);
    expect(() => map.downgradePlan([B], C)).to.throw(RevisionGraphError, `Revision ${C} is not a valid downgrade target`);
    expect(() => map.downgradePlan([B], '+1')).to.throw(RevisionGraphError, 'counts up');
    expect(() => map.downgradePlan([], '-1')).to.throw(RevisionGraphError, 'the database is at base');
    expect(() => map.downgradePlan([A], '-2')).to.throw(RevisionGraphError, 'goes below base');
  });

  it('un-merges a merge point: the merge row goes back to one parent and the other is inserted', () => {
    const map = new RevisionMap(DIAMOND);
    const plan = map.downgradePlan(['e5e5e5e5'], 'b2b2b2b2');
    expect(summary(plan)).to.deep.equal([
      'down e5e5e5e5: e5e5e5e5>c3c3c3c3 +d4d4d4d4',
      'down c3c3c3c3: -c3c3c3c3',
      'down d4d4d4d4: d4d4d4d4>b2b2b2b2',
    ]);
    expect(applyPlan(['e5e5e5e5'], plan)).to.deep.equal(['b2b2b2b2']);
    expect(applyPlan(['e5e5e5e5'], map.downgradePlan(['e5e5e5e5'], 'base'))).to.deep.equal([]);
  });

  it('steps one branch down and leaves the other alone', () => {
    const map = new RevisionMap(FORK);
    const heads = ['c3c3c3c3', 'f6f6f6f6'];
    expect(summary(map.downgradePlan(heads, 'shop@-1'))).to.deep.equal(['down f6f6f6f6: f6f6f6f6>d4d4d4d4']);
    const off = map.downgradePlan(heads, 'shop@b2b2b2b2');
    expect(summary(off)).to.deep.equal(['down f6f6f6f6: f6f6f6f6>d4d4d4d4', 'down d4d4d4d4: -d4d4d4d4']);
    expect(applyPlan(heads, off)).to.deep.equal(['c3c3c3c3']);
    expect(summary(map.downgradePlan(heads, 'f6f6-2'))).to.deep.equal(['down f6f6f6f6: f6f6f6f6>d4d4d4d4', 'down d4d4d4d4: -d4d4d4d4']);
    // Unqualified, a branch point as target takes both branches down to it.
    expect(applyPlan(heads, map.downgradePlan(heads, 'b2b2b2b2'))).to.deep.equal(['b2b2b2b2']);
    expect(() => map.downgradePlan(heads, '-1')).to.throw(RevisionGraphError, "'-1' is ambiguous with several heads");
  });

  it('steps down from a merge to all of its parents with -1 and <merge>-1', () => {
    const map = new RevisionMap(DIAMOND);
    for (const target of ['-1', 'e5e5e5e5-1', 'head-1']) {
      const plan = map.downgradePlan(['e5e5e5e5'], target);
      expect(summary(plan), target).to.deep.equal(['down e5e5e5e5: e5e5e5e5>c3c3c3c3 +d4d4d4d4']);
      expect(applyPlan(['e5e5e5e5'], plan)).to.deep.equal(['c3c3c3c3', 'd4d4d4d4']);
    }
    expect(applyPlan(['e5e5e5e5'], map.downgradePlan(['e5e5e5e5'], '-2'))).to.deep.equal(['b2b2b2b2']);
    expect(applyPlan(['e5e5e5e5'], map.downgradePlan(['e5e5e5e5'], '-4'))).to.deep.equal([]);
  });

  it('downgrades one base of several with label@base', () => {
    const map = new RevisionMap([rev('aaaa', [], { branchLabels: ['x'] }), rev('bbbb', ['aaaa']), rev('cccc', [], { branchLabels: ['y'] })]);
    const plan = map.downgradePlan(['bbbb', 'cccc'], 'x@base');
    expect(summary(plan)).to.deep.equal(['down bbbb: bbbb>aaaa', 'down aaaa: -aaaa']);
    expect(applyPlan(['bbbb', 'cccc'], plan)).to.deep.equal(['cccc']);
  });

  it('undoes dependents before what they depend on', () => {
    const map = new RevisionMap(BASES);
    const plan = map.downgradePlan(['n2n2n2n2'], 't1t1t1t1');
    expect(summary(plan)).to.deep.equal(['down n2n2n2n2: n2n2n2n2>n1n1n1n1 +t2t2t2t2', 'down t2t2t2t2: t2t2t2t2>t1t1t1t1']);
    expect(applyPlan(['n2n2n2n2'], plan)).to.deep.equal(['n1n1n1n1', 't1t1t1t1']);
    expect(applyPlan(['n2n2n2n2'], map.downgradePlan(['n2n2n2n2'], 'base'))).to.deep.equal([]);
  });

  it('round-trips: upgrade heads then downgrade base leaves an empty table on every fixture', () => {
    for (const fixture of [CHAIN, DIAMOND, FORK, BASES]) {
      const map = new RevisionMap(fixture);
      const up = applyPlan([], map.upgradePlan([], 'heads'));
      expect(applyPlan(up, map.downgradePlan(up, 'base'))).to.deep.equal([]);
    }
  });
});

describe('revision map: stamp', () => {
  it('stamps onto an empty table, up and down a line, and to base', () => {
    const map = new RevisionMap(CHAIN);
    expect(map.stampHeads([], 'head')).to.deep.equal({ heads: [C], versionChange: { update: null, delete: [], insert: [C] } });
    expect(map.stampHeads([A], 'head')).to.deep.equal({ heads: [C], versionChange: { update: [A, C], delete: [], insert: [] } });
    expect(map.stampHeads([C], '1975')).to.deep.equal({ heads: [A], versionChange: { update: [C, A], delete: [], insert: [] } });
    expect(map.stampHeads([C], 'base')).to.deep.equal({ heads: [], versionChange: { update: null, delete: [C], insert: [] } });
    expect(map.stampHeads([C], C).versionChange).to.deep.equal({ update: null, delete: [], insert: [] });
  });

  it('adds a revision of another branch as a new row, and stamps several targets', () => {
    const map = new RevisionMap(FORK);
    expect(map.stampHeads(['c3c3c3c3'], 'f6f6f6f6').heads).to.deep.equal(['c3c3c3c3', 'f6f6f6f6']);
    expect(map.stampHeads([], 'heads').heads).to.deep.equal(['c3c3c3c3', 'f6f6f6f6']);
    expect(map.stampHeads(['c3c3c3c3', 'f6f6f6f6'], 'shop@base').heads).to.deep.equal(['c3c3c3c3']);
    expect(map.stampHeads(['c3c3c3c3', 'f6f6f6f6'], 'b2b2b2b2')).to.deep.equal({
      heads: ['b2b2b2b2'],
      versionChange: { update: ['f6f6f6f6', 'b2b2b2b2'], delete: ['c3c3c3c3'], insert: [] },
    });
    expect(map.stampHeads([], ['c3c3c3c3', 'shop@head']).heads).to.deep.equal(['c3c3c3c3', 'f6f6f6f6']);
  });
});
