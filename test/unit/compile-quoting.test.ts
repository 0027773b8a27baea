/**
 * Identifier quoting on every dialect: plain lower-case names stay bare; reserved words, mixed case,
 * non-ASCII, leading digits, spaces and quote characters are quoted, with the quote character doubled.
 */
import { expect } from 'chai';
import { MetaData, Table, column, getDialect, insert, select, t, update } from '../../src/index.js';
import { quotedTable } from '../fixtures/movies.js';
import { expectSql, expectString } from '../helpers/compiled.js';

const odd = quotedTable();
const o = odd.c;
const metadata = new MetaData();
const archived = new Table('Movies', metadata, { id: column(t.Integer(), { primaryKey: true }) }, { schema: 'Archive' });
const plain = new Table('films', metadata, { id: column(t.Integer(), { primaryKey: true }), user_id: column(t.Integer()) }, { schema: 'old' });

describe('compile: identifier quoting', () => {
  it('quotes a mixed-case table name and reserved, mixed-case, Cyrillic, digit-first and quote-bearing column names', () => {
    expectSql(select(odd), {
      sqlite:
        'SELECT "Select"."key", "Select"."user", "Select"."order", "Select"."Mixed", "Select"."say ""hi"" `now`" AS quotes, "Select"."название" AS title, "Select"."1st" AS first FROM "Select"',
      postgresql:
        'SELECT "Select"."key", "Select"."user", "Select"."order", "Select"."Mixed", "Select"."say ""hi"" `now`" AS quotes, "Select"."название" AS title, "Select"."1st" AS first FROM "Select"',
      mysql:
        'SELECT `Select`.`key`, `Select`.`user`, `Select`.`order`, `Select`.`Mixed`, `Select`.`say "hi" ``now``` AS quotes, `Select`.`название` AS title, `Select`.`1st` AS first FROM `Select`',
    });
  });

  it('quotes the same names in WHERE, ORDER BY, INSERT and UPDATE', () => {
    expectSql(select(o.key).where(o.user.eq('u'), o.quotes.eq('q')).orderBy(o.order.desc()), {
      sqlite: 'SELECT "Select"."key" FROM "Select" WHERE "Select"."user" = ? AND "Select"."say ""hi"" `now`" = ? ORDER BY "Select"."order" DESC',
      postgresql: 'SELECT "Select"."key" FROM "Select" WHERE "Select"."user" = $1 AND "Select"."say ""hi"" `now`" = $2 ORDER BY "Select"."order" DESC',
      mysql: 'SELECT `Select`.`key` FROM `Select` WHERE `Select`.`user` = ? AND `Select`.`say "hi" ``now``` = ? ORDER BY `Select`.`order` DESC',
    });
    expectSql(insert(odd).values({ key: 1, order: 2, title: 'т', first: 3 }), {
      sqlite: 'INSERT INTO "Select" ("key", "order", "название", "1st") VALUES (?, ?, ?, ?)',
      postgresql: 'INSERT INTO "Select" ("key", "order", "название", "1st") VALUES ($1, $2, $3, $4)',
      mysql: 'INSERT INTO `Select` (`key`, `order`, `название`, `1st`) VALUES (?, ?, ?, ?)',
    });
    expectSql(update(odd).values({ user: 'x', Mixed: 'y' }).where(o.key.eq(1)), {
      sqlite: 'UPDATE "Select" SET "user"=?, "Mixed"=? WHERE "Select"."key" = ?',
      postgresql: 'UPDATE "Select" SET "user"=$1, "Mixed"=$2 WHERE "Select"."key" = $3',
      mysql: 'UPDATE `Select` SET `user`=?, `Mixed`=? WHERE `Select`.`key` = ?',
    });
  });

  it('quotes alias, subquery and label names that need it', () => {
    const a = odd.alias('user');
    expectString(select(a.c.key.label('Key'), a.c.Mixed.label('my label')), 'SELECT "user"."key" AS "Key", "user"."Mixed" AS "my label" FROM "Select" AS "user"');
    const sub = select(o.key, o.user).subquery('order');
    expectSql(select(sub.c.user), {
      sqlite: 'SELECT "order"."user" FROM (SELECT "Select"."key", "Select"."user" FROM "Select") AS "order"',
      postgresql: 'SELECT "order"."user" FROM (SELECT "Select"."key", "Select"."user" FROM "Select") AS "order"',
      mysql: 'SELECT `order`.`user` FROM (SELECT `Select`.`key`, `Select`.`user` FROM `Select`) AS `order`',
    });
    expectString(select(o.key.label('it"s')), 'SELECT "Select"."key" AS "it""s" FROM "Select"');
  });

  it('quotes schema names by the same rules', () => {
    expectSql(select(archived.c.id, plain.c.user_id), {
      sqlite: 'SELECT "Archive"."Movies".id, old.films.user_id FROM "Archive"."Movies", old.films',
      postgresql: 'SELECT "Archive"."Movies".id, old.films.user_id FROM "Archive"."Movies", old.films',
      mysql: 'SELECT `Archive`.`Movies`.id, old.films.user_id FROM `Archive`.`Movies`, old.films',
    });
  });

  it('leaves plain lower-case names and non-reserved keywords bare', () => {
    for (const name of ['movies', 'user_id', '_x', 'x1', 'name', 'count', 'value', 'date', 'year', 'status']) {
      for (const dialect of ['sqlite', 'postgresql', 'mysql'] as const) {
        expect(getDialect(dialect).quoteIdentifier(name), `${dialect} ${name}`).to.equal(name);
      }
    }
  });

  it('quotes words reserved by one database only on that database', () => {
    expect(['sqlite', 'postgresql', 'mysql'].map((n) => getDialect(n as 'mysql').quoteIdentifier('rank'))).to.deep.equal(['rank', 'rank', '`rank`']);
    expect(['sqlite', 'postgresql', 'mysql'].map((n) => getDialect(n as 'mysql').quoteIdentifier('analyze'))).to.deep.equal(['"analyze"', '"analyze"', '`analyze`']);
    expect(getDialect('sqlite').quoteIdentifier('pragma')).to.equal('"pragma"');
    expect(getDialect('postgresql').quoteIdentifier('verbose')).to.equal('"verbose"');
    expect(getDialect('mysql').quoteIdentifier('interval')).to.equal('`interval`');
  });

  it('quotes every word MariaDB and MySQL 8 reserve that a schema plausibly uses', () => {
    // Found by creating a column of each name on MariaDB 10.11 (and from MySQL 8.0's reserved list).
    const reserved = ['partition', 'numeric', 'before', 'recursive', 'row_number', 'system', 'of', 'empty', 'cube', 'grouping', 'varying', 'out', 'specific', 'sensitive'];
    const bare = reserved.filter((w) => getDialect('mysql').quoteIdentifier(w) === w);
    expect(bare, 'left bare on MySQL').to.deep.equal([]);
  });

  it('quotes the SQLite keywords that SQLite cannot take as a bare column name', () => {
    // SQLite 3.53 rejects both anywhere an identifier goes: CREATE TABLE t (escape INT) is a syntax error.
    expect(['escape', 'nothing'].map((w) => getDialect('sqlite').quoteIdentifier(w))).to.deep.equal(['"escape"', '"nothing"']);
  });
});
