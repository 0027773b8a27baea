/**
 * The record readers, writers, null fillers and INSERT shapes the ORM compiles with `new Function` (src/orm/session/compiled-records.ts, and src/engine/row.ts's row reader):
 * attribute keys that are awkward as code (quotes, backslashes, line separators, digits, `__proto__`) are
 * data, never code, and every key comes out as an own property with its value.
 */
import { expect } from 'chai';
import { compileRowReader } from '../../src/engine/row.js';
import { compileNullFiller, compileRowWriter, compileShapeOf } from '../../src/orm/session/compiled-records.js';

const AWKWARD = ['id', 'it"s', "it's", 'back\\slash', 'line\u2028sep', 'new\nline', '`${x}`', '0', '12', 'constructor', 'toString', '}); throw 1; ({'];

describe('compiled ORM records', () => {
  it('a row reader takes each key from its position after the start', () => {
    const read = compileRowReader(AWKWARD);
    const row = ['skipped', ...AWKWARD.map((_, i) => i * 10), 'after'];
    const values = read(row, 1);
    expect(Object.keys(values).sort()).to.deep.equal([...AWKWARD].sort());
    AWKWARD.forEach((key, i) => expect(values[key], key).to.equal(i * 10));
    expect(Object.getPrototypeOf(values)).to.equal(Object.prototype);
  });

  it('a row reader keeps NULLs and undefined apart, and every record is new', () => {
    const read = compileRowReader(['a', 'b']);
    const first = read([null, undefined], 0);
    expect(first).to.deep.equal({ a: null, b: undefined });
    expect(Object.hasOwn(first, 'b')).to.equal(true);
    expect(read([null, undefined], 0)).to.not.equal(first);
  });

  it('records read floats, integers, text and NULL in any mix (the reader was first run on a row of NULLs)', () => {
    const read = compileRowReader(['id', 'score', 'name']);
    const rows = [[1, 0.5, 'a'], [2, null, null], [null, 2, 'c'], [2 ** 40, -1.25e300, '']];
    for (const row of rows) expect(Object.values(read(row, 0))).to.deep.equal(row);
  });

  it('__proto__ is an ordinary assignment, as before: it never becomes an own key of the record', () => {
    const read = compileRowReader(['id', '__proto__']);
    const values = read([1, { injected: true }], 0);
    expect(values.id).to.equal(1);
    expect(Object.keys(values)).to.deep.equal(['id']);
  });

  it('a null filler sets exactly the keys a record lacks, keeping values set, undefined ones included', () => {
    // Names an object inherits (constructor, toString) count as present, as the `in` test always had them.
    const keys = AWKWARD.filter((k) => !(k in {}));
    const fill = compileNullFiller(keys);
    const values: Record<string, unknown> = { [keys[0]!]: 5, [keys[3]!]: undefined, extra: 'kept' };
    fill(values);
    expect(values).to.deep.equal({ ...Object.fromEntries(keys.map((k) => [k, null])), [keys[0]!]: 5, [keys[3]!]: undefined, extra: 'kept' });
    expect(Object.getPrototypeOf(values)).to.equal(Object.prototype);
  });

  it('a row writer puts each key from its position after the start into the same record, NULLs and undefined too', () => {
    const write = compileRowWriter(AWKWARD);
    const values: Record<string, unknown> = Object.fromEntries(AWKWARD.map((k) => [k, 'old']));
    values.extra = 'kept';
    write(values, ['skipped', ...AWKWARD.map((_, i) => (i === 0 ? null : i === 1 ? undefined : i * 10)), 'after'], 1);
    AWKWARD.forEach((key, i) => expect(values[key], key).to.equal(i === 0 ? null : i === 1 ? undefined : i * 10));
    expect(Object.hasOwn(values, AWKWARD[1]!)).to.equal(true);
    expect(values.extra).to.equal('kept');
    const proto = compileRowWriter(['id', '__proto__']);
    const record: Record<string, unknown> = {};
    proto(record, [1, { injected: true }], 0);
    expect(Object.keys(record)).to.deep.equal(['id']);
  });

  it('an INSERT shape: computed always filled, autoincrement when unset or null, a server default only when unset', () => {
    const shapeOf = compileShapeOf([
      { key: 'it"s', computed: false, autoincrement: true },
      { key: '}); throw 1; ({', computed: false, autoincrement: false },
      { key: 'total', computed: true, autoincrement: false },
    ]);
    expect(shapeOf({})).to.equal('111');
    expect(shapeOf({ 'it"s': null, '}); throw 1; ({': undefined })).to.equal('101');
    expect(shapeOf({ 'it"s': 5, '}); throw 1; ({': null, total: 3 })).to.equal('001');
    expect(compileShapeOf([])({ a: 1 })).to.equal('');
  });
});
