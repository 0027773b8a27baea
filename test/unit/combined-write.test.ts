/**
 * PostgreSQL's combined write (runtime/combined-write.ts): the second statement's placeholders are
 * numbered after the first's, and a `$1` inside a quoted name or a string literal stays as it is.
 */
import { expect } from 'chai';
import { shiftPlaceholders } from '../../src/migrate/runtime/combined-write.js';

describe('combined write: placeholders', () => {
  it('shifts $n placeholders, typed ones too', () => {
    expect(shiftPlaceholders('INSERT INTO h (a, b) VALUES ($1, $2::TIMESTAMP)', 2)).to.equal('INSERT INTO h (a, b) VALUES ($3, $4::TIMESTAMP)');
  });

  it('leaves quoted identifiers and string literals alone', () => {
    expect(shiftPlaceholders(`DELETE FROM "a$1" WHERE "x""$2" = $1 AND y = 'it''s $3'`, 5)).to.equal(`DELETE FROM "a$1" WHERE "x""$2" = $6 AND y = 'it''s $3'`);
  });
});
