/**
 * Tests of the dialect list helper. Importing it here also makes every test run print the skip lines (or
 * fail under TSMIG_TEST_ALL_DIALECTS=1) even before any integration test exists.
 */
import { expect } from 'chai';
import { ALL_DIALECT_NAMES, dialects, selectDialects, skippedDialects, TEST_ENV } from './dialects.js';

const sqlite = (): string => 'sqlite:////tmp/x/test.db';

describe('test helpers: dialect list', () => {
  it('runs SQLite alone, and says which variable to set, when no URL is given', () => {
    const { dialects: chosen, skipped } = selectDialects({}, sqlite);
    expect(chosen).to.deep.equal([{ name: 'sqlite', url: 'sqlite:////tmp/x/test.db' }]);
    expect(skipped.map((s) => s.message)).to.deep.equal([
      'postgresql tests skipped: set TSMIG_TEST_POSTGRESQL_URL (e.g. postgresql://postgres@127.0.0.1:5432/tsmig_test) to run them',
      'mysql tests skipped: set TSMIG_TEST_MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/tsmig_test) to run them',
    ]);
  });

  it('runs every dialect whose URL is set, in the fixed order', () => {
    const env = {
      [TEST_ENV.mysql]: 'mysql://root@127.0.0.1:3306/t',
      [TEST_ENV.postgresql]: 'postgresql://postgres@127.0.0.1:5432/t',
      [TEST_ENV.sqlite]: 'sqlite://',
      [TEST_ENV.allDialects]: '1',
    };
    const { dialects: chosen, skipped } = selectDialects(env, sqlite);
    expect(chosen.map((d) => `${d.name} ${d.url}`)).to.deep.equal([
      'sqlite sqlite://',
      'postgresql postgresql://postgres@127.0.0.1:5432/t',
      'mysql mysql://root@127.0.0.1:3306/t',
    ]);
    expect(skipped).to.deep.equal([]);
  });

  it('treats an empty URL as unset', () => {
    expect(selectDialects({ [TEST_ENV.postgresql]: ' ' }, sqlite).dialects.map((d) => d.name)).to.deep.equal(['sqlite']);
  });

  it('fails instead of skipping when TSMIG_TEST_ALL_DIALECTS=1', () => {
    const env = { [TEST_ENV.allDialects]: '1', [TEST_ENV.postgresql]: 'postgresql://postgres@127.0.0.1/t' };
    expect(() => selectDialects(env, sqlite)).to.throw('TSMIG_TEST_ALL_DIALECTS=1 requires every dialect, but TSMIG_TEST_MYSQL_URL is not set');
  });

  it('gives this run SQLite plus every dialect that is not skipped', () => {
    expect(dialects[0]?.name).to.equal('sqlite');
    expect([...dialects.map((d) => d.name), ...skippedDialects].sort()).to.deep.equal([...ALL_DIALECT_NAMES].sort());
  });
});
