/**
 * The session's position-keyed lists of objects (src/orm/session/state-list.ts) behave as insertion-
 * ordered sets: no duplicates, removal during iteration, re-adding after removal, clearing, and the
 * gaps closed as the list is reused.
 */
import { expect } from 'chai';
import { DeclarativeBase, mapped, t } from '../../src/index.js';
import { type InstanceState, stateOf } from '../../src/orm/session/instance-state.js';
import { StateList } from '../../src/orm/session/state-list.js';

class ListBase extends DeclarativeBase {}
class Thing extends ListBase.model('state_list_things', { id: mapped(t.Integer(), { primaryKey: true }) }) {}

const states = (count: number): InstanceState[] => Array.from({ length: count }, (_, id) => stateOf(new Thing({ id }))!);

describe('state lists', () => {
  it('keep insertion order without duplicates, and answer has() and size', () => {
    const list = new StateList('pendingAt');
    const [a, b, c] = states(3) as [InstanceState, InstanceState, InstanceState];
    list.add(b);
    list.add(a);
    list.add(b);
    list.add(c);
    expect([...list]).to.deep.equal([b, a, c]);
    expect(list.size).to.equal(3);
    expect(list.has(a) && !new StateList('insertedAt').has(a)).to.equal(true);
    list.delete(a);
    list.delete(a);
    expect([...list]).to.deep.equal([b, c]);
    expect(list.has(a)).to.equal(false);
    list.add(a);
    expect([...list]).to.deep.equal([b, c, a]);
    expect(list.size).to.equal(3);
  });

  it('an object may be in a list of each kind at once', () => {
    const pending = new StateList('pendingAt');
    const inserted = new StateList('insertedAt');
    const [a] = states(1) as [InstanceState];
    pending.add(a);
    inserted.add(a);
    pending.delete(a);
    expect([...pending]).to.deep.equal([]);
    expect([...inserted]).to.deep.equal([a]);
  });

  it('members removed while iterating are not met again; the rest are', () => {
    const list = new StateList('pendingAt');
    const all = states(10);
    all.forEach((s) => list.add(s));
    const seen: InstanceState[] = [];
    for (const state of list) {
      seen.push(state);
      list.delete(state);
      if (state === all[2]) list.delete(all[5]!);
    }
    expect(seen).to.deep.equal(all.filter((_, i) => i !== 5));
    expect(list.size).to.equal(0);
  });

  it('reuse after many removals keeps order and positions right', () => {
    const list = new StateList('pendingAt');
    const all = states(200);
    all.forEach((s) => list.add(s));
    all.filter((_, i) => i % 10 !== 0).forEach((s) => list.delete(s));
    const extra = states(5);
    extra.forEach((s) => list.add(s));
    const expected = [...all.filter((_, i) => i % 10 === 0), ...extra];
    expect([...list]).to.deep.equal(expected);
    expected.forEach((s) => list.delete(s));
    expect([...list]).to.deep.equal([]);
    expect(list.size).to.equal(0);
  });

  it('clear() empties it and lets its members join again', () => {
    const list = new StateList('insertedAt');
    const all = states(3);
    all.forEach((s) => list.add(s));
    list.clear();
    expect(list.size).to.equal(0);
    expect(all.some((s) => list.has(s))).to.equal(false);
    list.add(all[1]!);
    expect([...list]).to.deep.equal([all[1]]);
  });
});
