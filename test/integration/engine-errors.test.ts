/**
 * Driver errors become tsmig's DB-API family with one-line messages, and failed connections become
 * ConnectionErrors that name the masked URL and what to check.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Engine, createEngine, parseDatabaseUrl } from '../../src/engine/index.js';
import {
  ConnectionError,
  DataError,
  DatabaseError,
  IntegrityError,
  OperationalError,
  ProgrammingError,
} from '../../src/errors.js';
import { MetaData, Table, column, insert, select, t, text } from '../../src/index.js';
import { type TestDialectName, findDialect, forEachDialect } from '../helpers/dialects.js';

const metadata = new MetaData();
const parents = new Table('eng_err_parents', metadata, {
  id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
  code: column(t.String(10), { nullable: false, unique: true }),
});
const children = new Table('eng_err_children', metadata, {
  id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
  parentId: column(t.Integer(), { name: 'parent_id' }),
  qty: column(t.Integer()),
  label: column(t.String(5)),
});

/**
 * The child table's DDL tail per dialect: SQLite refuses a string in an integer column only in a STRICT
 * table, which allows only its own type names.
 */
const CHILD_DDL: Record<TestDialectName, { label: string; suffix: string }> = {
  sqlite: { label: 'TEXT', suffix: ' STRICT' },
  postgresql: { label: 'VARCHAR(5)', suffix: '' },
  mysql: { label: 'VARCHAR(5)', suffix: '' },
};

/** The driver's code for a unique violation, as DatabaseError.code carries it. */
const UNIQUE_CODE: Record<TestDialectName, string> = {
  sqlite: 'SQLITE_CONSTRAINT_UNIQUE',
  postgresql: '23505',
  mysql: 'ER_DUP_ENTRY',
};

forEachDialect('engine errors', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.begin(async (conn) => {
      await conn.execute(text('DROP TABLE IF EXISTS eng_err_children'));
      await conn.execute(text('DROP TABLE IF EXISTS eng_err_parents'));
      await conn.execute(
        text(`CREATE TABLE eng_err_parents (id INTEGER NOT NULL PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE)`),
      );
      await conn.execute(
        text(
          `CREATE TABLE eng_err_children (id INTEGER NOT NULL PRIMARY KEY, parent_id INTEGER REFERENCES eng_err_parents (id),
           qty INTEGER, label ${CHILD_DDL[dialect.name].label})${CHILD_DDL[dialect.name].suffix}`,
        ),
      );
      await conn.execute(insert(parents).values({ id: 1, code: 'one' }));
    });
  });

  after(async () => {
    await engine.begin(async (conn) => {
      await conn.execute(text('DROP TABLE IF EXISTS eng_err_children'));
      await conn.execute(text('DROP TABLE IF EXISTS eng_err_parents'));
    });
    await engine.dispose();
  });

  async function failure(statement: Parameters<Engine['begin']>[0]): Promise<DatabaseError> {
    const error = await engine.begin(statement).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, 'expected the statement to fail').to.be.instanceOf(DatabaseError);
    return error as DatabaseError;
  }

  it('a unique violation is an IntegrityError carrying statement, params and code', async () => {
    const error = await failure((conn) => conn.execute(insert(parents).values({ id: 2, code: 'one' })));
    expect(error).to.be.instanceOf(IntegrityError);
    expect(error.code).to.equal(UNIQUE_CODE[dialect.name]);
    expect(error.statement).to.match(/^INSERT INTO eng_err_parents/);
    // As sent to the driver: SQLite gets integers as bigints.
    expect(error.params!.map(String)).to.deep.equal(['2', 'one']);
    expect(error.message).to.not.include('\n');
    expect(error.message).to.include('[SQL: INSERT INTO eng_err_parents');
    expect(error.name).to.equal('IntegrityError');
  });

  it('a foreign key violation is an IntegrityError', async () => {
    const error = await failure((conn) => conn.execute(insert(children).values({ id: 1, parentId: 99 })));
    expect(error).to.be.instanceOf(IntegrityError);
  });

  it('a NOT NULL violation is an IntegrityError', async () => {
    const error = await failure((conn) => conn.execute(text('INSERT INTO eng_err_parents (id, code) VALUES (5, NULL)')));
    expect(error).to.be.instanceOf(IntegrityError);
  });

  it('a syntax error is a ProgrammingError', async () => {
    const error = await failure((conn) => conn.execute(text('SELEC 1')));
    expect(error).to.be.instanceOf(ProgrammingError);
    expect(error.message).to.include('[SQL: SELEC 1]');
  });

  it('an unknown table is a ProgrammingError', async () => {
    const error = await failure((conn) => conn.execute(text('SELECT * FROM eng_err_no_such_table')));
    expect(error).to.be.instanceOf(ProgrammingError);
  });

  it('a value of the wrong type is a DataError', async () => {
    const error = await failure((conn) =>
      conn.execute(text("INSERT INTO eng_err_children (id, qty) VALUES (1, 'many')")),
    );
    expect(error).to.be.instanceOf(DataError);
  });

  it('a string too long for its column is a DataError where the database checks lengths', async function () {
    if (dialect.name === 'sqlite') this.skip(); // SQLite does not enforce VARCHAR lengths
    const error = await failure((conn) => conn.execute(insert(children).values({ id: 1, label: 'far too long' })));
    expect(error).to.be.instanceOf(DataError);
  });

  it('the connection is usable again after a failed statement and a rollback', async () => {
    await using conn = await engine.connect();
    const error = await conn.execute(text('SELECT * FROM eng_err_no_such_table')).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ProgrammingError);
    await conn.rollback();
    expect(await conn.scalar(select(parents.c.code).where(parents.c.id.eq(1)))).to.equal('one');
  });

  it('a savepoint contains a failure so the transaction can go on', async () => {
    await engine.begin(async (conn) => {
      const error = await conn
        .beginNested(() => conn.execute(insert(parents).values({ id: 3, code: 'one' })))
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(IntegrityError);
      expect(await conn.scalar(select(parents.c.code).where(parents.c.id.eq(1)))).to.equal('one');
    });
  });
});

/** Connection failures, per dialect: each case builds a broken URL from the working one. */
describe('engine connection errors', () => {
  const withPassword = (url: string, password: string) =>
    parseDatabaseUrl(url).with({ password, username: parseDatabaseUrl(url).username ?? 'tsmig' });

  async function connectError(url: string, options: { poolTimeout?: number } = {}): Promise<Error> {
    const engine = createEngine(url, options);
    try {
      const error = await engine.connect().then(
        async (conn) => {
          await conn.close();
          return null;
        },
        (e: unknown) => e,
      );
      expect(error, 'expected connect() to fail').to.be.instanceOf(ConnectionError);
      const message = (error as Error).message;
      expect(message).to.not.include('\n');
      return error as Error;
    } finally {
      await engine.dispose();
    }
  }

  for (const name of ['postgresql', 'mysql'] as const) {
    describe(`${name}: connection errors`, () => {
      const dialect = findDialect(name);
      before(function () {
        if (dialect === undefined) this.skip();
      });

      it('a closed port: names host:port, asks whether the server runs, hides the password', async () => {
        const url = withPassword(dialect!.url, 's3cret-pw').with({ host: '127.0.0.1', port: 1 });
        const error = await connectError(url.render({ hidePassword: false }));
        expect(error.message).to.include('127.0.0.1:1');
        expect(error.message).to.include('is the server running');
        expect(error.message).to.include(':***@');
        expect(error.message).to.not.include('s3cret-pw');
      });

      it('a database that does not exist', async () => {
        const url = parseDatabaseUrl(dialect!.url).with({ database: 'tsmig_no_such_db' });
        const error = await connectError(url.render({ hidePassword: false }));
        expect(error.message).to.match(/database "tsmig_no_such_db" does not exist/);
      });

      it('a host name that does not resolve', async () => {
        const url = parseDatabaseUrl(dialect!.url).with({ host: 'tsmig-no-such-host.invalid' });
        const error = await connectError(url.render({ hidePassword: false }));
        expect(error.message).to.match(/host "tsmig-no-such-host.invalid" not found/);
      });
    });
  }

  describe('mysql: wrong password', () => {
    const dialect = findDialect('mysql');
    let user: string;
    before(async function () {
      if (dialect === undefined) this.skip();
      // root may authenticate by socket; a user of our own has a known password.
      user = 'tsmig_eng_pw';
      const engine = createEngine(dialect.url);
      await engine.connect(async (conn) => {
        await conn.execute(text(`DROP USER IF EXISTS '${user}'@'%'`));
        await conn.execute(text(`CREATE USER '${user}'@'%' IDENTIFIED BY 'right-pw'`));
      });
      await engine.dispose();
    });
    after(async () => {
      if (dialect === undefined) return;
      const engine = createEngine(dialect.url);
      await engine.connect((conn) => conn.execute(text(`DROP USER IF EXISTS '${user}'@'%'`)));
      await engine.dispose();
    });

    it('says to check user/password and hides the password', async () => {
      const url = parseDatabaseUrl(dialect!.url).with({ username: user, password: 'wrong-pw', database: null });
      const error = await connectError(url.render({ hidePassword: false }));
      expect(error.message).to.match(/Access denied for user 'tsmig_eng_pw'/);
      expect(error.message).to.include('check user/password');
      expect(error.message).to.include('tsmig_eng_pw:***@');
      expect(error.message).to.not.include('wrong-pw');
    });

    it('the right password connects', async () => {
      const url = parseDatabaseUrl(dialect!.url).with({ username: user, password: 'right-pw', database: null });
      const engine = createEngine(url);
      try {
        expect(await engine.connect((conn) => conn.scalar(text('SELECT CURRENT_USER()')))).to.match(/^tsmig_eng_pw@/);
      } finally {
        await engine.dispose();
      }
    });
  });

  describe('sqlite: connection errors', () => {
    it('a missing directory for the database file', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'tsmig-eng-'));
      try {
        const file = path.join(dir, 'missing', 'app.db');
        const error = await connectError(`sqlite:///${file}`);
        expect(error.message).to.include(`directory "${path.join(dir, 'missing')}" does not exist`);
        expect(error.message).to.include(`sqlite:///${file}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('an exhausted pool times out with a ConnectionError saying why', async () => {
      const engine = createEngine('sqlite://', { poolTimeout: 0.2 });
      try {
        await using held = await engine.connect();
        await held.execute(text('SELECT 1'));
        const error = await engine.connect().catch((e: unknown) => e);
        expect(error).to.be.instanceOf(ConnectionError);
        expect((error as Error).message).to.match(/Timed out after 0.2s .* all 1 pooled connections are in use/);
      } finally {
        await engine.dispose();
      }
    });

    it('an in-memory database lives on its one connection across checkouts', async () => {
      const engine = createEngine('sqlite:///:memory:');
      try {
        await engine.begin((conn) => conn.execute(text('CREATE TABLE eng_mem (x INTEGER)')));
        await engine.begin((conn) => conn.execute(text('INSERT INTO eng_mem VALUES (1)')));
        expect(await engine.connect((conn) => conn.scalar(text('SELECT count(*) FROM eng_mem')))).to.equal(1);
      } finally {
        await engine.dispose();
      }
    });

    it('closing after SQL text ended the transaction keeps the in-memory database', async () => {
      const engine = createEngine('sqlite://');
      try {
        await engine.connect(async (conn) => {
          await conn.execute(text('CREATE TABLE eng_mem2 (x INTEGER)'));
          await conn.execute(text('COMMIT'));
        });
        expect(await engine.connect((conn) => conn.scalar(text('SELECT count(*) FROM eng_mem2')))).to.equal(0);
      } finally {
        await engine.dispose();
      }
    });

    it('enforces foreign keys on every connection', async () => {
      const engine = createEngine('sqlite://');
      try {
        expect(await engine.connect((conn) => conn.scalar(text('PRAGMA foreign_keys')))).to.equal(1);
      } finally {
        await engine.dispose();
      }
    });
  });
});

describe('mysql: MariaDB detection', () => {
  const dialect = findDialect('mysql');
  before(function () {
    if (dialect === undefined) this.skip();
  });

  it('mysql:// switches to the MariaDB dialect on first connect when the server is MariaDB', async () => {
    const engine = createEngine(dialect!.url);
    try {
      const version = String(await engine.connect((conn) => conn.scalar(text('SELECT VERSION()'))));
      expect(engine.dialect.capabilities.insertReturning).to.equal(/mariadb/i.test(version));
    } finally {
      await engine.dispose();
    }
  });

  it('mariadb:// is MariaDB from the start', () => {
    const url = parseDatabaseUrl(dialect!.url).with({ scheme: 'mariadb', mariadb: true });
    expect(createEngine(url).dialect.capabilities.insertReturning).to.equal(true);
  });

  it('each session is UTC and strict', async () => {
    const engine = createEngine(dialect!.url);
    try {
      const row = await engine.connect(async (conn) => (await conn.execute(text('SELECT @@session.time_zone, @@session.sql_mode'))).one());
      expect(row[0]).to.equal('+00:00');
      expect(String(row[1])).to.include('STRICT_ALL_TABLES');
    } finally {
      await engine.dispose();
    }
  });
});

describe('postgresql: prepared statements after DDL', () => {
  const dialect = findDialect('postgresql');
  before(function () {
    if (dialect === undefined) this.skip();
  });

  it('re-prepares a statement whose cached plan went stale, when it opens the transaction', async () => {
    const engine = createEngine(dialect!.url, { poolSize: 1, maxOverflow: 0 });
    const other = createEngine(dialect!.url);
    const table = new Table('eng_stale', new MetaData(), {
      id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
      n: column(t.Integer()),
    });
    try {
      await other.begin(async (conn) => {
        await conn.execute(text('DROP TABLE IF EXISTS eng_stale'));
        await conn.execute(text('CREATE TABLE eng_stale (id INTEGER PRIMARY KEY, n INTEGER)'));
        await conn.execute(text('INSERT INTO eng_stale VALUES (1, 5)'));
      });
      const query = select(table.c.n).where(table.c.id.eq(1));
      expect(await engine.connect((conn) => conn.scalar(query))).to.equal(5);
      await other.begin((conn) => conn.execute(text('ALTER TABLE eng_stale ALTER COLUMN n TYPE BIGINT')));
      // Same pooled connection, same named statement: PostgreSQL refuses the old plan once.
      expect(await engine.connect((conn) => conn.scalar(query))).to.equal(5);
    } finally {
      await other.begin((conn) => conn.execute(text('DROP TABLE IF EXISTS eng_stale')));
      await engine.dispose();
      await other.dispose();
    }
  });

  it('an error without SQLSTATE (a dropped connection) is an OperationalError', async () => {
    const engine = createEngine(dialect!.url);
    try {
      const error = await engine
        .connect(async (conn) => {
          const pid = await conn.scalar(text('SELECT pg_backend_pid()'));
          await conn.rollback();
          const killer = createEngine(dialect!.url);
          await killer.connect((k) => k.execute(text('SELECT pg_terminate_backend(:pid)'), { pid }));
          await killer.dispose();
          return conn.execute(text('SELECT 1'));
        })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(OperationalError);
      // The broken connection was discarded, not pooled.
      expect(await engine.connect((conn) => conn.scalar(text('SELECT 1')))).to.equal(1);
    } finally {
      await engine.dispose();
    }
  });
});
