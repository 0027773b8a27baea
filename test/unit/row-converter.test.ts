/**
 * The compiled result-row converter (src/engine/row-converter.ts): each column converted by its own
 * converter, NULL left alone, columns without a converter untouched, the same by the whole result and
 * row by row, and no converter at all when no column has one. The same converter against every dialect
 * and real rows is in test/integration/types-roundtrip.test.ts.
 */
import { expect } from 'chai';
import { compileRowConverter } from '../../src/engine/row-converter.js';

describe('compiled row converter', () => {
  it('converts each column with its own converter, leaving NULL and unconverted columns as they are', () => {
    const convert = compileRowConverter([(v) => Number(v), (v) => v !== 0, null, (v) => `${String(v)}.00`])!;
    const rows = (): unknown[][] => [
      ['1', 1, 'a', 5],
      [null, 0, null, null],
      ['3', undefined, 'c', 7],
    ];
    const converted = [
      [1, true, 'a', '5.00'],
      [null, false, null, null],
      [3, undefined, 'c', '7.00'],
    ];
    const all = rows();
    convert.rows(all);
    expect(all).to.deep.equal(converted);
    // One row at a time, as a driver hands them over while the result arrives: the same values.
    const each = rows();
    for (const row of each) convert.row(row);
    expect(each).to.deep.equal(converted);
  });

  it('is null when no column has a converter', () => {
    expect(compileRowConverter(null)).to.equal(null);
    expect(compileRowConverter([null, null])).to.equal(null);
  });
});
