/** Tests of the cluster suites' switch: one variable each, `1` to run, and a skip line naming it. */
import { expect } from 'chai';
import { onDatabase, serversEnabled, skipMessage } from './clusters.js';

describe('test helpers: cluster suites', () => {
  it('runs a suite only when its variable is 1, and otherwise names the variable to set', () => {
    expect(serversEnabled('galera', {})).to.equal(false);
    expect(serversEnabled('galera', { TSMIG_TEST_GALERA: '1' })).to.equal(true);
    expect(serversEnabled('pgbouncer', { TSMIG_TEST_GALERA: '1' })).to.equal(false);
    expect(skipMessage('galera')).to.match(/^galera tests skipped: set TSMIG_TEST_GALERA=1 to run them \(needs Debian's mariadb-server and galera-4;/);
    expect(skipMessage('pgbouncer')).to.match(/^pgbouncer tests skipped: set TSMIG_TEST_PGBOUNCER=1 to run them/);
    expect(skipMessage('standby')).to.match(/^standby tests skipped: set TSMIG_TEST_PG_STANDBY=1 to run them/);
  });

  it('puts a database and query options into a server URL', () => {
    expect(onDatabase('postgresql://postgres@127.0.0.1:6439', 'shop', { pgbouncer: 'true' })).to.equal('postgresql://postgres@127.0.0.1:6439/shop?pgbouncer=true');
    expect(onDatabase('mysql://root@127.0.0.1:3311', 'shop')).to.equal('mysql://root@127.0.0.1:3311/shop');
  });
});
