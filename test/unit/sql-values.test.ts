/**
 * The timestamp texts tsmig binds (src/util/sql-values.ts) are computed from the time value rather than
 * cut out of `toISOString()`; they must agree with it for every instant, including the days around
 * leap years and month ends, and leave years outside 1000-9999 and invalid dates to it.
 */
import { expect } from 'chai';
import { formatIsoDateTime, formatUtcDateTime } from '../../src/util/sql-values.js';

function viaIso(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** A deterministic spread of instants over years 1000-9999 (a linear congruential sequence). */
function instants(count: number): Date[] {
  const start = Date.UTC(1000, 0, 1);
  const span = Date.UTC(10000, 0, 1) - start;
  let seed = 12345;
  return Array.from({ length: count }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return new Date(start + Math.floor((seed / 2147483648) * span));
  });
}

const EDGES = [
  Date.UTC(1000, 0, 1),
  Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  Date.UTC(1970, 0, 1),
  Date.UTC(1969, 11, 31, 23, 59, 59, 999),
  Date.UTC(2000, 1, 29, 12, 0, 0, 1),
  Date.UTC(1900, 1, 28, 23, 59, 59, 999),
  Date.UTC(1900, 2, 1),
  Date.UTC(2024, 11, 31, 23, 59, 59, 999),
  Date.UTC(2025, 0, 1),
  Date.UTC(1600, 1, 29),
].map((time) => new Date(time));

describe('timestamp text for binding', () => {
  it('formatUtcDateTime writes what toISOString() says, as a UTC wall clock with a space', () => {
    for (const date of [...EDGES, ...instants(20_000)]) expect(formatUtcDateTime(date), date.toISOString()).to.equal(viaIso(date));
  });

  it('formatIsoDateTime writes exactly toISOString()', () => {
    for (const date of [...EDGES, ...instants(20_000)]) expect(formatIsoDateTime(date)).to.equal(date.toISOString());
  });

  it('consecutive instants of one day and of the next are each written right (the day is reused only when it is the same)', () => {
    const start = Date.UTC(2024, 1, 28, 23, 59, 0);
    for (let i = 0; i < 5000; i++) {
      const date = new Date(start + i * 7_001);
      expect(formatUtcDateTime(date)).to.equal(viaIso(date));
    }
  });

  it('years outside 1000-9999 take toISOString(), and an invalid date throws as it does', () => {
    for (const date of [new Date(Date.UTC(999, 11, 31, 23, 59, 59, 999)), new Date(Date.UTC(10000, 0, 1)), new Date(-8.64e15), new Date(Date.UTC(-1, 5, 1))]) {
      expect(formatIsoDateTime(date)).to.equal(date.toISOString());
      expect(formatUtcDateTime(date)).to.equal(viaIso(date));
    }
    expect(() => formatUtcDateTime(new Date(Number.NaN))).to.throw(RangeError);
    expect(() => formatIsoDateTime(new Date(Number.NaN))).to.throw(RangeError);
  });

  it('values that are not dates pass through', () => {
    expect(formatUtcDateTime('2024-01-01 00:00:00')).to.equal('2024-01-01 00:00:00');
    expect(formatIsoDateTime(5)).to.equal(5);
  });
});
