/**
 * The compiled result-row finisher (src/engine/row-converter.ts): each column converted by its own
 * converter, NULL left alone, columns without a converter untouched, and the row given the prototype
 * that names its columns. The same finisher against every dialect and real rows is in
 * test/integration/types-roundtrip.test.ts.
 */
import { expect } from 'chai';
import { compileRowConverter } from '../../src/engine/row-converter.js';
import { rowPrototype } from '../../src/engine/row.js';

describe('compiled row converter', () => {
  it('converts each column with its own converter, leaves NULL and unconverted columns, names the columns', () => {
    const proto = rowPrototype(['id', 'flag', 'name', 'price']);
    const convert = compileRowConverter([(v) => Number(v), (v) => v !== 0, null, (v) => `${String(v)}.00`], proto);
    const rows: unknown[][] = [
      ['1', 1, 'a', 5],
      [null, 0, null, null],
      ['3', undefined, 'c', 7],
    ];
    convert(rows);
    expect(rows.map((row) => [...row])).to.deep.equal([
      [1, true, 'a', '5.00'],
      [null, false, null, null],
      [3, undefined, 'c', '7.00'],
    ]);
    expect((rows[0] as unknown as Record<string, unknown>).flag).to.equal(true);
    expect((rows[2] as unknown as Record<string, unknown>).name).to.equal('c');
  });

  it('with no converters (or none known) only names the columns', () => {
    const proto = rowPrototype(['a', 'b']);
    for (const processors of [null, [null, null]]) {
      const rows: unknown[][] = [[1, 'x']];
      compileRowConverter(processors, proto)(rows);
      expect([...rows[0]!]).to.deep.equal([1, 'x']);
      expect((rows[0] as unknown as Record<string, unknown>).b).to.equal('x');
    }
  });
});
