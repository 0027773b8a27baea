/**
 * The identity map's filing (src/orm/session/identity-map.ts): integer keys near the end of a table's
 * array are filed by index, others (far keys, negative, fractional, text, composite) in a Map; either
 * way one key is one object, and size, removal and iteration agree.
 */
import { expect } from 'chai';
import { DeclarativeBase, mapped, t } from '../../src/index.js';
import { mapperOf } from '../../src/orm/mapper.js';
import { IdentityMap } from '../../src/orm/session/identity-map.js';
import { stateOf, type InstanceState } from '../../src/orm/session/instance-state.js';

class MapBase extends DeclarativeBase {}
class Item extends MapBase.model('identity_items', { id: mapped(t.Integer(), { primaryKey: true }) }) {}
class Named extends MapBase.model('identity_named', { code: mapped(t.String(10), { primaryKey: true }) }) {}

/** A state filed under `key`, as a flush or a load leaves it. */
function itemState(key: unknown, model: typeof Item | typeof Named = Item): InstanceState {
  const state = stateOf(new model({}))!;
  state.key = mapperOf(model).identityKeyOne(key);
  return state;
}

describe('identity map', () => {
  it('files and finds integer keys, near and far, and every other kind of key, one object per key', () => {
    const map = new IdentityMap();
    const keys = [1, 2, 0, 3000, 1_000_000_000, -5, 2.5, 2 ** 53 + 2];
    const states = keys.map((k) => itemState(k));
    states.forEach((s) => map.add(s));
    const named = itemState('ab', Named);
    map.add(named);
    expect(map.size).to.equal(keys.length + 1);
    keys.forEach((k, i) => expect(map.get(mapperOf(Item).identityKeyOne(k)), String(k)).to.equal(states[i]));
    expect(map.get(mapperOf(Named).identityKeyOne('ab'))).to.equal(named);
    expect(map.get(mapperOf(Item).identityKeyOne(4))).to.equal(undefined);
    expect(map.get(mapperOf(Item).identityKeyOne('1'))).to.equal(undefined);
    // values(): per table, the array's keys ascending, then the Map's as filed.
    const order = [2, 0, 1, 3, 4, 5, 6, 7].map((i) => states[i]);
    expect(map.values()).to.have.ordered.members([...order, named]);
  });

  it('filing a key again replaces its object without growing; removal takes only the object filed', () => {
    const map = new IdentityMap();
    const first = itemState(7);
    const second = itemState(7);
    map.add(first);
    map.add(second);
    expect(map.size).to.equal(1);
    map.remove(first);
    expect(map.size).to.equal(1);
    expect(map.get(second.key!)).to.equal(second);
    map.remove(second);
    expect(map.size).to.equal(0);
    expect(map.get(second.key!)).to.equal(undefined);
    expect([...map.values()]).to.deep.equal([]);
  });

  it('a key filed while out of reach of the array stays where it was filed once the array grows past it', () => {
    const map = new IdentityMap();
    const far = itemState(1500);
    map.add(far);
    const near = Array.from({ length: 1600 }, (_, i) => itemState(i));
    near.filter((_, i) => i !== 1500).forEach((s) => map.add(s));
    expect(map.get(far.key!)).to.equal(far);
    const replacement = itemState(1500);
    map.add(replacement);
    expect(map.size).to.equal(1600);
    expect(map.get(far.key!)).to.equal(replacement);
    map.remove(replacement);
    expect(map.get(far.key!)).to.equal(undefined);
    expect(map.size).to.equal(1599);
  });

  it('clear() empties it', () => {
    const map = new IdentityMap();
    [1, 2, 10_000_000].forEach((k) => map.add(itemState(k)));
    map.clear();
    expect(map.size).to.equal(0);
    expect([...map.values()]).to.deep.equal([]);
    expect(map.tableObjects(mapperOf(Item).tableNumber).get(1)).to.equal(undefined);
  });
});
