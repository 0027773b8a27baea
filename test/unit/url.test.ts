import { expect } from 'chai';
import { inspect } from 'node:util';
import { createEngine, parseDatabaseUrl } from '../../src/engine/index.js';
import { UrlError } from '../../src/errors.js';
import { maskUrl } from '../../src/engine/url.js';

describe('database URLs', () => {
  describe('SQLite forms', () => {
    const cases: [string, string | null, boolean][] = [
      ['sqlite://', null, true],
      ['sqlite:///:memory:', ':memory:', true],
      ['sqlite:///relative.db', 'relative.db', false],
      ['sqlite:///data/app.db', 'data/app.db', false],
      ['sqlite:////absolute.db', '/absolute.db', false],
      ['sqlite:////var/lib/app%20data/x.db', '/var/lib/app data/x.db', false],
      ['sqlite+better-sqlite3:///x.db', 'x.db', false],
    ];
    for (const [url, database, memory] of cases) {
      it(`${url} -> ${database ?? '(memory)'}`, () => {
        const parsed = parseDatabaseUrl(url);
        expect(parsed.dialect).to.equal('sqlite');
        expect(parsed.driver).to.equal('better-sqlite3');
        expect(parsed.database).to.equal(database);
        expect(parsed.isMemory).to.equal(memory);
        expect(parsed.host).to.equal(null);
      });
    }

    it('renders back to the same text', () => {
      for (const url of ['sqlite://', 'sqlite:///:memory:', 'sqlite:///relative.db', 'sqlite:////absolute.db']) {
        expect(parseDatabaseUrl(url).render()).to.equal(url);
      }
    });

    it('rejects a host in a SQLite URL', () => {
      expect(() => parseDatabaseUrl('sqlite://host/x.db')).to.throw(UrlError, /three slashes/);
    });
  });

  describe('PGlite forms (PostgreSQL in this process)', () => {
    it('postgresql+pglite:// is in memory, postgresql+pglite:///dir a data folder; both render back', () => {
      const memory = parseDatabaseUrl('postgresql+pglite://');
      expect([memory.dialect, memory.driver, memory.database, memory.isMemory, String(memory)]).to.deep.equal(['postgresql', 'pglite', null, true, 'postgresql+pglite://']);
      const folder = parseDatabaseUrl('postgresql+pglite:////tmp/shadow');
      expect([folder.driver, folder.database, folder.isMemory, String(folder)]).to.deep.equal(['pglite', '/tmp/shadow', true, 'postgresql+pglite:////tmp/shadow']);
    });

    it('has no host', () => {
      expect(() => parseDatabaseUrl('postgresql+pglite://localhost/db')).to.throw(UrlError, /postgresql\+pglite URL has no host/);
    });
  });

  describe('server forms', () => {
    it('parses every part of a PostgreSQL URL', () => {
      const url = parseDatabaseUrl('postgresql://scott:tiger@db.example.com:5433/shop');
      expect(url).to.include({
        scheme: 'postgresql',
        dialect: 'postgresql',
        driver: 'pg',
        mariadb: false,
        username: 'scott',
        host: 'db.example.com',
        port: 5433,
        database: 'shop',
      });
      expect(url.password).to.equal('tiger');
    });

    it('accepts postgres:// and the dialect+driver form', () => {
      expect(parseDatabaseUrl('postgres://u@h/d').dialect).to.equal('postgresql');
      expect(parseDatabaseUrl('postgresql+pg://u@h/d').dialect).to.equal('postgresql');
      expect(parseDatabaseUrl('mysql+mysql2://u@h/d').dialect).to.equal('mysql');
    });

    it('tells mariadb:// from mysql://', () => {
      expect(parseDatabaseUrl('mysql://root@127.0.0.1/test')).to.include({ dialect: 'mysql', mariadb: false });
      expect(parseDatabaseUrl('mariadb://root@127.0.0.1/test')).to.include({ dialect: 'mysql', mariadb: true });
    });

    it('fills in default ports without writing them into the URL', () => {
      const pg = parseDatabaseUrl('postgresql://u@h/d');
      expect(pg.port).to.equal(null);
      expect(pg.effectivePort).to.equal(5432);
      expect(parseDatabaseUrl('mysql://u@h/d').effectivePort).to.equal(3306);
      expect(pg.render()).to.equal('postgresql://u@h/d');
    });

    it('decodes percent-encoded user, password and database', () => {
      const url = parseDatabaseUrl('postgresql://us%40er:p%40ss%2Fw%3Ard@h:5432/my%20db');
      expect(url.username).to.equal('us@er');
      expect(url.password).to.equal('p@ss/w:rd');
      expect(url.database).to.equal('my db');
      expect(url.render({ hidePassword: false })).to.equal('postgresql://us%40er:p%40ss%2Fw%3Ard@h:5432/my%20db');
    });

    it('takes an unescaped @ or / in the password up to the last @', () => {
      const url = parseDatabaseUrl('mysql://root:p@ss/word@localhost:3306/test');
      expect(url.password).to.equal('p@ss/word');
      expect(url.host).to.equal('localhost');
      expect(url.database).to.equal('test');
    });

    it('parses IPv6 hosts', () => {
      const url = parseDatabaseUrl('postgresql://u:p@[::1]:5432/d');
      expect(url.host).to.equal('::1');
      expect(url.port).to.equal(5432);
      expect(url.render()).to.equal('postgresql://u:***@[::1]:5432/d');
    });

    it('keeps query-string options for the driver', () => {
      const url = parseDatabaseUrl('postgresql://u@h/d?sslmode=require&connect_timeout=5&application_name=my%20app');
      expect(url.query).to.deep.equal({ sslmode: 'require', connect_timeout: '5', application_name: 'my app' });
      expect(parseDatabaseUrl('mysql://u@h/d?charset=utf8mb4').query).to.deep.equal({ charset: 'utf8mb4' });
    });

    it('allows a URL without user, port or database', () => {
      const url = parseDatabaseUrl('postgresql://localhost');
      expect(url).to.include({ username: null, host: 'localhost', port: null, database: null });
      expect(url.password).to.equal(null);
    });
  });

  describe('password masking', () => {
    const url = parseDatabaseUrl('postgresql://user:s3cr3t@host:5432/db');

    it('hides the password when rendered, printed, inspected or serialised', () => {
      expect(url.render()).to.equal('postgresql://user:***@host:5432/db');
      expect(String(url)).to.equal('postgresql://user:***@host:5432/db');
      expect(`${url}`).to.not.include('s3cr3t');
      expect(JSON.stringify({ url })).to.not.include('s3cr3t');
      expect(inspect(url)).to.not.include('s3cr3t');
      expect(Object.values(url).join(' ')).to.not.include('s3cr3t');
    });

    it('shows it only when asked explicitly', () => {
      expect(url.render({ hidePassword: false })).to.equal('postgresql://user:s3cr3t@host:5432/db');
    });

    it('is what engine.url shows', () => {
      const engine = createEngine('postgresql://user:s3cr3t@host:5432/db');
      expect(engine.url.toString()).to.equal('postgresql://user:***@host:5432/db');
      expect(String(engine)).to.equal('Engine(postgresql://user:***@host:5432/db)');
    });

    it('masks URLs that do not even parse', () => {
      expect(maskUrl('oracle://scott:tiger@h/x')).to.equal('oracle://scott:***@h/x');
      expect(maskUrl('postgresql://u:p@ss@h:99999/x')).to.equal('postgresql://u:***@h:99999/x');
    });
  });

  describe('bad URLs', () => {
    const bad: [string, RegExp][] = [
      ['', /does not start with dialect:\/\//],
      ['localhost:5432/db', /does not start with dialect:\/\//],
      ['oracle://scott:tiger@h/x', /Unknown database dialect "oracle"/],
      ['postgresql+psycopg2://u:secret@h/x', /Unknown driver "psycopg2" for postgresql.*postgresql\+pg/],
      ['mysql+pymysql://u@h/x', /Unknown driver "pymysql" for mysql/],
      ['postgresql://u:secret@h:port/x', /port "port" is not a number/],
      ['postgresql://u:secret@h:70000/x', /port "70000"/],
      ['postgresql://u:secret@h/a/b', /contains "\/"/],
      ['postgresql://u:%zz@h/x', /percent-encoding/],
    ];
    for (const [url, message] of bad) {
      it(`rejects ${JSON.stringify(url)}`, () => {
        let error: unknown;
        try {
          parseDatabaseUrl(url);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(UrlError);
        const text = (error as Error).message;
        expect(text).to.match(message);
        expect(text).to.not.include('secret');
        expect(text).to.not.include('tiger');
        expect(text).to.not.include('\n');
        // Each message names the accepted forms: all of them, or the dialect's own for a driver.
        expect(text).to.match(/sqlite:\/\/\/|\+(pg|mysql2):\/\//);
      });
    }

    it('rejects unknown SQLite options at createEngine()', () => {
      expect(() => createEngine('sqlite:///x.db?journal=wal')).to.throw(UrlError, /Unknown option "journal"/);
    });

    it('rejects a non-numeric connect_timeout at createEngine()', () => {
      expect(() => createEngine('postgresql://u:secret@h/d?connect_timeout=soon')).to.throw(UrlError, /seconds/);
    });
  });
});
