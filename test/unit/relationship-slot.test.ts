/**
 * A relationship slot's history (src/orm/relationships/attributes.ts), kept in a record made on the
 * first change: a loaded slot has none, and setting a many-to-one, appending to and removing from a
 * collection, and clearing after a flush read as they always did.
 */
import { expect } from 'chai';
import { DeclarativeBase, type InstrumentedList, mapped, relationship, t } from '../../src/index.js';
import { mapperOf } from '../../src/orm/mapper.js';
import { UNKNOWN, type Slot, appendEvent, removeEvent, setLoaded, setScalar, slotOf } from '../../src/orm/relationships/attributes.js';
import type { Relationship } from '../../src/orm/relationships/relationship.js';
import { stateOf } from '../../src/orm/session/instance-state.js';

class SlotBase extends DeclarativeBase {}
class Studio extends SlotBase.model('slot_studios', { id: mapped(t.Integer(), { primaryKey: true }) }) {
  declare films: InstrumentedList<Film>;
  static films = relationship(() => Film);
}
class Film extends SlotBase.model('slot_films', {
  id: mapped(t.Integer(), { primaryKey: true }),
  studioId: mapped(t.Integer(), { name: 'studio_id', foreignKey: 'slot_studios.id', nullable: true }),
}) {
  declare studio: Studio | null;
  static studio = relationship(() => Studio);
}

const config = (model: typeof Studio | typeof Film, key: string) => (mapperOf(model).relationships.get(key) as Relationship).config;

/** A loaded object's slot for relationship `key`, holding `value`. */
function loadedSlot(model: typeof Studio | typeof Film, key: string, value: object | null | object[]): Slot {
  const state = mapperOf(model).newInstance({ id: 1, ...(model === Film ? { studioId: null } : {}) });
  state.setLoadedKey(1);
  return setLoaded(state, config(model, key), value);
}

function expectNoHistory(slot: Slot): void {
  expect(slot.hasHistory).to.equal(false);
  expect(slot.changed).to.equal(false);
  expect(slot.committed).to.equal(UNKNOWN);
  expect(slot.added).to.equal(null);
  expect(slot.removed).to.equal(null);
}

describe('relationship slot history', () => {
  it('a loaded slot has none', () => {
    expectNoHistory(loadedSlot(Studio, 'films', []));
    expectNoHistory(loadedSlot(Film, 'studio', null));
  });

  it('setting a many-to-one records the value before, once, until cleared', () => {
    const slot = loadedSlot(Film, 'studio', null);
    const first = new Studio({ id: 7 });
    setScalar(slot.state, slot.config, first, false);
    expect(slot.hasHistory).to.equal(true);
    expect(slot.changed).to.equal(true);
    expect(slot.committed).to.equal(null);
    setScalar(slot.state, slot.config, new Studio({ id: 8 }), false);
    expect(slot.committed).to.equal(null);
    slot.clearHistory();
    expectNoHistory(slot);
    expect(slot.value).to.be.instanceOf(Studio);
  });

  it('appending and removing record the objects added and removed; an append undone leaves no history', () => {
    const slot = loadedSlot(Studio, 'films', []);
    const [a, b] = [new Film({ id: 1 }), new Film({ id: 2 })];
    appendEvent(slot.state, slot.config, a, false);
    expect([...slot.added!]).to.deep.equal([a]);
    expect(slot.removed).to.equal(null);
    removeEvent(slot.state, slot.config, a);
    expect(slot.added!.size).to.equal(0);
    expect(slot.removed).to.equal(null);
    expect(slot.hasHistory).to.equal(false);
    removeEvent(slot.state, slot.config, b);
    expect([...slot.removed!]).to.deep.equal([b]);
    expect(slot.hasHistory).to.equal(true);
    slot.added = null;
    slot.removed = null;
    expect(slot.hasHistory).to.equal(false);
    expect(slotOf(stateOf(slot.state.obj)!, 'films')).to.equal(slot);
  });
});
