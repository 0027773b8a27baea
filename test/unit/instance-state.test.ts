/**
 * An InstanceState's change tracking (src/orm/session/instance-state.ts), whose committed values,
 * modified keys and expired keys live in a record made on first use: a loaded state that is only read
 * has none, and every transition (set, flush, revert, reload, expire) reads the same as before it.
 */
import { expect } from 'chai';
import { DeclarativeBase, mapped, t } from '../../src/index.js';
import { mapperOf } from '../../src/orm/mapper.js';
import type { InstanceState } from '../../src/orm/session/instance-state.js';

class StateBase extends DeclarativeBase {}
class Film extends StateBase.model('state_films', {
  id: mapped(t.Integer(), { primaryKey: true }),
  title: mapped(t.String(50)),
  year: mapped(t.Integer()),
}) {}

function loaded(): InstanceState {
  return mapperOf(Film).newInstance({ id: 1, title: 'Alien', year: 1979 });
}

const COLUMNS = new Set(['id', 'title', 'year']);

describe('instance state', () => {
  it('a loaded state shares one record for current and committed values, with nothing modified or expired', () => {
    const state = loaded();
    expect(state.obj).to.be.instanceOf(Film);
    expect((state.obj as Film).title).to.equal('Alien');
    expect(state.committed).to.equal(state.dict);
    expect(state.modifiedKeys).to.equal(null);
    expect(state.expired).to.equal(null);
    expect(state.changes(COLUMNS)).to.equal(null);
  });

  it('set copies the committed values once, records the key, and a value set back is no change', () => {
    const state = loaded();
    state.set('title', 'Aliens');
    expect(state.committed).to.not.equal(state.dict);
    expect(state.committed.title).to.equal('Alien');
    expect([...state.modifiedKeys!]).to.deep.equal(['title']);
    expect(state.changes(COLUMNS)).to.deep.equal({ title: 'Aliens' });
    state.set('title', 'Alien');
    expect(state.changes(COLUMNS)).to.equal(null);
  });

  it('markFlushed makes the current values the committed ones; revert goes back to the committed ones', () => {
    const flushed = loaded();
    flushed.set('year', 1986);
    flushed.markFlushed();
    expect(flushed.committed).to.equal(flushed.dict);
    expect(flushed.committed.year).to.equal(1986);
    expect(flushed.modifiedKeys).to.equal(null);
    const reverted = loaded();
    reverted.set('year', 1986);
    reverted.revert();
    expect(reverted.dict.year).to.equal(1979);
    expect(reverted.committed).to.equal(reverted.dict);
    expect(reverted.modifiedKeys).to.equal(null);
    expect(() => loaded().revert()).to.not.throw();
  });

  it('load keeps unflushed changes over the new row, or takes the row whole when there are none', () => {
    const state = loaded();
    state.set('title', 'Mine');
    state.expired = new Set(['year']);
    state.load({ id: 1, title: 'Theirs', year: 2000 });
    expect(state.dict).to.deep.equal({ id: 1, title: 'Mine', year: 2000 });
    expect(state.committed).to.deep.equal({ id: 1, title: 'Theirs', year: 2000 });
    expect(state.expired).to.equal(null);
    const clean = loaded();
    clean.expired = new Set(['title']);
    const row = { id: 1, title: 'Fresh', year: 2001 };
    clean.load(row);
    expect(clean.dict).to.equal(row);
    expect(clean.committed).to.equal(row);
    expect(clean.expired).to.equal(null);
  });

  it('committed, modifiedKeys and expired can be assigned and cleared', () => {
    const state = loaded();
    const copy = { ...state.dict };
    state.committed = copy;
    expect(state.committed).to.equal(copy);
    state.committed = state.dict;
    expect(state.committed).to.equal(state.dict);
    state.modifiedKeys = new Set(['year']);
    expect([...state.modifiedKeys]).to.deep.equal(['year']);
    state.modifiedKeys = null;
    state.expired = null;
    expect(state.modifiedKeys).to.equal(null);
    expect(state.expired).to.equal(null);
    state.loadFresh({ id: 1, title: 'New', year: 1 });
    expect(state.committed).to.equal(state.dict);
  });
});
