/**
 * The DDL each dialect compiles, offline and exact: CREATE TABLE with its constraints, defaults, keys and
 * comments; CREATE and DROP INDEX with dialect options; ADD and DROP CONSTRAINT (which SQLite cannot);
 * PostgreSQL's enum types. The integration round trip runs the same statements against the servers.
 */
import { expect } from 'chai';
import { getDialect } from '../../src/dialects/index.js';
import { column } from '../../src/schema/column.js';
import { CheckConstraint, UniqueConstraint, foreignKey } from '../../src/schema/constraints.js';
import {
  AddConstraint,
  type AlterableConstraint,
  CreateEnumType,
  CreateIndex,
  CreateTable,
  type DdlElement,
  DropConstraint,
  DropEnumType,
  DropIndex,
  DropTable,
} from '../../src/schema/ddl.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { false_ } from '../../src/sql/elements/column-element.js';
import { func } from '../../src/sql/elements/functions.js';
import { literalColumn } from '../../src/sql/elements/text.js';
import { type EnumType, t } from '../../src/types/index.js';
import { COMPILE_TARGETS, type CompileFailure, type PerDialect, fails } from '../helpers/compiled.js';

type DdlExpectation = readonly string[] | CompileFailure;

/** The statements `element` compiles to on every dialect (`mariadb` defaults to the `mysql` expectation). */
function expectDdl(element: DdlElement, expected: PerDialect<DdlExpectation> & { readonly mariadb?: DdlExpectation }): void {
  for (const target of COMPILE_TARGETS) {
    const dialect = target === 'mariadb' ? getDialect('mysql', { mariadb: true }) : getDialect(target);
    const expectation = target === 'mariadb' ? (expected.mariadb ?? expected.mysql) : expected[target];
    if ('fails' in expectation) {
      expect(() => dialect.compileDdl(element), `${target}: expected a compile error`)
        .to.throw(expectation.fails)
        .with.property('name', 'CompileError');
    } else {
      expect(dialect.compileDdl(element), target).to.deep.equal(expectation);
    }
  }
}

/** The same statements everywhere. */
const everywhere = (...statements: string[]): PerDialect<DdlExpectation> => ({ sqlite: statements, postgresql: statements, mysql: statements });

function books() {
  const metadata = new MetaData({
    namingConvention: {
      ix: 'ix_%(column_0_label)s',
      uq: 'uq_%(table_name)s_%(column_0_N_name)s',
      ck: 'ck_%(table_name)s_%(constraint_name)s',
      fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
      pk: 'pk_%(table_name)s',
    },
  });
  const authors = new Table('authors', metadata, { id: column(t.Integer(), { primaryKey: true }) });
  const table = new Table(
    'books',
    metadata,
    {
      id: column(t.BigInteger(), { primaryKey: true }),
      title: column(t.String(100), { nullable: false, comment: "the book's title" }),
      status: column(t.Enum(['draft', 'published'], { name: 'book_status' }), { nullable: false, serverDefault: 'draft' }),
      authorId: column(t.Integer(), { name: 'author_id', foreignKey: foreignKey('authors.id', { onDelete: 'CASCADE', onUpdate: 'SET NULL' }) }),
      pages: column(t.Integer(), { serverDefault: '0' }),
      added: column(t.DateTime(), { serverDefault: func.now() }),
      slug: column(t.String(100), { serverDefault: func.lower('X') }),
      flag: column(t.Boolean(), { serverDefault: false_() }),
    },
    {
      comment: 'all books',
      constraints: (c) => [
        new CheckConstraint('pages >= 0', { name: 'pages_positive' }),
        new UniqueConstraint([c.title, c.authorId]),
        index(null, [c.title], { mysqlLength: { title: 10 }, postgresqlWhere: 'pages > 0', postgresqlUsing: 'hash' }),
        index('ix_books_lower_title', [func.lower(c.title)], { unique: true }),
      ],
    },
  );
  return { metadata, authors, table };
}

describe('DDL compile', () => {
  describe('CREATE TABLE', () => {
    it('columns with types, defaults, keys and comments, then the constraints', () => {
      const constraints = [
        'CONSTRAINT pk_books PRIMARY KEY (id)',
        'CONSTRAINT ck_books_pages_positive CHECK (pages >= 0)',
        'CONSTRAINT uq_books_title_author_id UNIQUE (title, author_id)',
        'CONSTRAINT fk_books_author_id_authors FOREIGN KEY(author_id) REFERENCES authors (id) ON DELETE CASCADE ON UPDATE SET NULL',
      ];
      const table = (lines: string[], suffix = '') => `CREATE TABLE books (\n\t${[...lines, ...constraints].join(',\n\t')}\n)${suffix}`;
      expectDdl(new CreateTable(books().table), {
        sqlite: [
          table([
            // The autoincrement key is INTEGER, the rowid, whatever its integer type.
            'id INTEGER NOT NULL',
            'title VARCHAR(100) NOT NULL',
            // An enum keeps its values in a CHECK named after it.
            "status VARCHAR(9) DEFAULT 'draft' NOT NULL CONSTRAINT book_status CHECK (status IN ('draft', 'published'))",
            'author_id INTEGER',
            "pages INTEGER DEFAULT '0'",
            'added DATETIME DEFAULT CURRENT_TIMESTAMP',
            // SQLite takes an expression default only in parentheses.
            "slug VARCHAR(100) DEFAULT (lower('X'))",
            'flag BOOLEAN DEFAULT 0',
          ]),
        ],
        postgresql: [
          table([
            'id BIGSERIAL NOT NULL',
            'title VARCHAR(100) NOT NULL',
            "status book_status DEFAULT 'draft' NOT NULL",
            'author_id INTEGER',
            "pages INTEGER DEFAULT '0'",
            'added TIMESTAMP WITHOUT TIME ZONE DEFAULT now()',
            "slug VARCHAR(100) DEFAULT lower('X')",
            'flag BOOLEAN DEFAULT false',
          ]),
          "COMMENT ON TABLE books IS 'all books'",
          "COMMENT ON COLUMN books.title IS 'the book''s title'",
        ],
        mysql: [
          table(
            [
              'id BIGINT NOT NULL AUTO_INCREMENT',
              "title VARCHAR(100) NOT NULL COMMENT 'the book''s title'",
              "status ENUM('draft', 'published') DEFAULT 'draft' NOT NULL",
              'author_id INTEGER',
              "pages INTEGER DEFAULT '0'",
              // CURRENT_TIMESTAMP and now() are the one expression MySQL takes bare.
              'added DATETIME(6) DEFAULT now()',
              "slug VARCHAR(100) DEFAULT (lower('X'))",
              'flag BOOL DEFAULT false',
            ],
            " COMMENT='all books'",
          ),
        ],
      });
    });

    it('a literal-looking expression default stays bare; a server default string is always a literal', () => {
      const metadata = new MetaData();
      const table = new Table('defaults', metadata, {
        a: column(t.Integer(), { serverDefault: literalColumn('7') }),
        b: column(t.Float(), { serverDefault: literalColumn('-1.5') }),
        c: column(t.DateTime(), { serverDefault: literalColumn('CURRENT_TIMESTAMP') }),
        d: column(t.Integer(), { serverDefault: literalColumn('1 + 2') }),
        e: column(t.String(10), { serverDefault: "it's" }),
      });
      const body = (d: string) => `CREATE TABLE defaults (\n\ta INTEGER DEFAULT 7,\n\tb ${d} DEFAULT -1.5,\n\tc `;
      expectDdl(new CreateTable(table), {
        sqlite: [`${body('FLOAT')}DATETIME DEFAULT CURRENT_TIMESTAMP,\n\td INTEGER DEFAULT (1 + 2),\n\te VARCHAR(10) DEFAULT 'it''s'\n)`],
        postgresql: [`${body('FLOAT')}TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP,\n\td INTEGER DEFAULT 1 + 2,\n\te VARCHAR(10) DEFAULT 'it''s'\n)`],
        mysql: [`${body('DOUBLE')}DATETIME(6) DEFAULT CURRENT_TIMESTAMP,\n\td INTEGER DEFAULT (1 + 2),\n\te VARCHAR(10) DEFAULT 'it''s'\n)`],
      });
    });

    it('in a schema, referring to another schema; SQLite names no schema after REFERENCES', () => {
      const metadata = new MetaData();
      new Table('owners', metadata, { id: column(t.Integer(), { primaryKey: true, autoincrement: false }) }, { schema: 'other' });
      const pets = new Table(
        'pets',
        metadata,
        {
          id: column(t.SmallInteger(), { primaryKey: true }),
          ownerId: column(t.Integer(), {
            name: 'owner_id',
            nullable: false,
            foreignKey: foreignKey('other.owners.id', { deferrable: true, initially: 'DEFERRED' }),
          }),
        },
        { schema: 'zoo' },
      );
      const fk = (target: string) => `FOREIGN KEY(owner_id) REFERENCES ${target} (id) DEFERRABLE INITIALLY DEFERRED`;
      expectDdl(new CreateTable(pets), {
        sqlite: [`CREATE TABLE zoo.pets (\n\tid INTEGER NOT NULL,\n\towner_id INTEGER NOT NULL,\n\tPRIMARY KEY (id),\n\t${fk('owners')}\n)`],
        postgresql: [`CREATE TABLE zoo.pets (\n\tid SMALLSERIAL NOT NULL,\n\towner_id INTEGER NOT NULL,\n\tPRIMARY KEY (id),\n\t${fk('other.owners')}\n)`],
        mysql: [
          `CREATE TABLE zoo.pets (\n\tid SMALLINT NOT NULL AUTO_INCREMENT,\n\towner_id INTEGER NOT NULL,\n\tPRIMARY KEY (id),\n\t${fk('other.owners')}\n)`,
        ],
      });
    });

    it('leaves out the foreign keys it is told to (a cycle, added by ALTER TABLE afterwards)', () => {
      const { table } = books();
      const element = new CreateTable(table, { omitForeignKeys: table.foreignKeys, ifNotExists: true });
      const [sql] = getDialect('postgresql').compileDdl(element);
      expect(sql).to.match(/^CREATE TABLE IF NOT EXISTS books \(/);
      expect(sql).not.to.include('FOREIGN KEY');
    });

    it('DROP TABLE, optionally IF EXISTS', () => {
      const { table } = books();
      expectDdl(new DropTable(table), everywhere('DROP TABLE books'));
      expectDdl(new DropTable(table, { ifExists: true }), everywhere('DROP TABLE IF EXISTS books'));
    });

    it('DROP TABLE of a table given by name alone, as a migration drops one', () => {
      expectDdl(new DropTable({ name: 'books', schema: null }), everywhere('DROP TABLE books'));
      expectDdl(new DropTable({ name: 'books', schema: 'library' }, { ifExists: true }), everywhere('DROP TABLE IF EXISTS library.books'));
    });
  });

  describe('identity', () => {
    it('a start: in the IDENTITY clause on PostgreSQL, the AUTO_INCREMENT= of the table on MySQL, an AUTOINCREMENT key with its counter set on SQLite', () => {
      const key = (identity: { start?: number }) =>
        new Table('tickets', new MetaData(), { id: column(t.Integer(), { primaryKey: true, identity }), note: column(t.String(20)) }, { schema: 'desk' });
      expectDdl(new CreateTable(key({ start: 100 })), {
        sqlite: ['CREATE TABLE desk.tickets (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n\tnote VARCHAR(20)\n)', "INSERT INTO desk.sqlite_sequence (name, seq) VALUES ('tickets', 99)"],
        postgresql: ['CREATE TABLE desk.tickets (\n\tid INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 100) NOT NULL,\n\tnote VARCHAR(20),\n\tPRIMARY KEY (id)\n)'],
        mysql: ['CREATE TABLE desk.tickets (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\tnote VARCHAR(20),\n\tPRIMARY KEY (id)\n) AUTO_INCREMENT=100'],
      });
      // Without a start the SQLite key is the plain rowid, counting from max(rowid) + 1.
      expectDdl(new CreateTable(key({})), {
        sqlite: ['CREATE TABLE desk.tickets (\n\tid INTEGER NOT NULL,\n\tnote VARCHAR(20),\n\tPRIMARY KEY (id)\n)'],
        postgresql: ['CREATE TABLE desk.tickets (\n\tid INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n\tnote VARCHAR(20),\n\tPRIMARY KEY (id)\n)'],
        mysql: ['CREATE TABLE desk.tickets (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\tnote VARCHAR(20),\n\tPRIMARY KEY (id)\n)'],
      });
    });
  });

  describe('indexes', () => {
    it('CREATE INDEX with the options each dialect has: USING and WHERE, prefix lengths', () => {
      const [byTitle] = books().table.indexes;
      expectDdl(new CreateIndex(byTitle!), {
        sqlite: ['CREATE INDEX ix_books_title ON books (title)'],
        postgresql: ['CREATE INDEX ix_books_title ON books USING hash (title) WHERE pages > 0'],
        mysql: ['CREATE INDEX ix_books_title ON books (title(10))'],
      });
      expectDdl(new CreateIndex(byTitle!, { ifNotExists: true }), {
        sqlite: ['CREATE INDEX IF NOT EXISTS ix_books_title ON books (title)'],
        postgresql: ['CREATE INDEX IF NOT EXISTS ix_books_title ON books USING hash (title) WHERE pages > 0'],
        mysql: ['CREATE INDEX IF NOT EXISTS ix_books_title ON books (title(10))'],
      });
    });

    it('a unique expression index; MariaDB has none', () => {
      const [, lower] = books().table.indexes;
      expectDdl(new CreateIndex(lower!), {
        ...everywhere('CREATE UNIQUE INDEX ix_books_lower_title ON books ((lower(title)))'),
        mariadb: fails(/^index "ix_books_lower_title" on "books" indexes an expression, which this database cannot; index a generated column instead$/),
      });
    });

    it('CONCURRENTLY is PostgreSQL only', () => {
      const [byTitle] = books().table.indexes;
      expectDdl(new CreateIndex(byTitle!, { concurrently: true }), {
        sqlite: fails(/CONCURRENTLY is a PostgreSQL feature/),
        postgresql: ['CREATE INDEX CONCURRENTLY ix_books_title ON books USING hash (title) WHERE pages > 0'],
        mysql: fails(/CONCURRENTLY is a PostgreSQL feature/),
      });
    });

    it('DROP INDEX: MySQL names the table, PostgreSQL the schema', () => {
      const [byTitle] = books().table.indexes;
      expectDdl(new DropIndex(byTitle!), { ...everywhere('DROP INDEX ix_books_title'), mysql: ['DROP INDEX ix_books_title ON books'] });
      const metadata = new MetaData();
      const inSchema = new Table('pets', metadata, { name: column(t.String(20), { index: true }) }, { schema: 'zoo' });
      expectDdl(new DropIndex(inSchema.indexes[0]!), { ...everywhere('DROP INDEX zoo.ix_pets_name'), mysql: ['DROP INDEX ix_pets_name ON zoo.pets'] });
    });
  });

  describe('constraints', () => {
    const constraint = (kind: string): AlterableConstraint => books().table.constraints.find((c) => c.kind === kind) as AlterableConstraint;

    it('ADD CONSTRAINT by ALTER TABLE; SQLite cannot and says what to do instead', () => {
      const cases: [string, string][] = [
        ['PrimaryKey', 'CONSTRAINT pk_books PRIMARY KEY (id)'],
        ['Unique', 'CONSTRAINT uq_books_title_author_id UNIQUE (title, author_id)'],
        ['Check', 'CONSTRAINT ck_books_pages_positive CHECK (pages >= 0)'],
        ['ForeignKey', 'CONSTRAINT fk_books_author_id_authors FOREIGN KEY(author_id) REFERENCES authors (id) ON DELETE CASCADE ON UPDATE SET NULL'],
      ];
      for (const [kind, clause] of cases) {
        expectDdl(new AddConstraint(constraint(kind)), {
          ...everywhere(`ALTER TABLE books ADD ${clause}`),
          sqlite: fails(new RegExp(`^SQLite cannot ALTER TABLE "books" to add a ${kind} constraint; use op\\.batchAlterTable\\(\\)`)),
        });
      }
    });

    it('DROP CONSTRAINT: MySQL has one spelling per kind; SQLite cannot', () => {
      const cases: [string, string, string][] = [
        ['PrimaryKey', 'DROP CONSTRAINT pk_books', 'DROP PRIMARY KEY'],
        ['Unique', 'DROP CONSTRAINT uq_books_title_author_id', 'DROP INDEX uq_books_title_author_id'],
        ['Check', 'DROP CONSTRAINT ck_books_pages_positive', 'DROP CONSTRAINT ck_books_pages_positive'],
        ['ForeignKey', 'DROP CONSTRAINT fk_books_author_id_authors', 'DROP FOREIGN KEY fk_books_author_id_authors'],
      ];
      for (const [kind, standard, mysql] of cases) {
        expectDdl(new DropConstraint(constraint(kind)), {
          sqlite: fails(/^SQLite cannot ALTER TABLE "books" to drop constraint "\w+"/),
          postgresql: [`ALTER TABLE books ${standard}`],
          mysql: [`ALTER TABLE books ${mysql}`],
        });
      }
    });

    it('dropping an unnamed constraint needs its name from the database', () => {
      const metadata = new MetaData();
      const table = new Table('plain', metadata, { a: column(t.Integer()) }, { constraints: () => [new CheckConstraint('a > 0')] });
      const check = table.checkConstraints[0]!;
      expect(() => getDialect('postgresql').compileDdl(new DropConstraint(check))).to.throw(/cannot drop an unnamed Check constraint of "plain"/);
      expectDdl(new DropConstraint(check, { name: 'plain_a_check' }), {
        sqlite: fails(/^SQLite cannot ALTER TABLE "plain"/),
        postgresql: ['ALTER TABLE plain DROP CONSTRAINT plain_a_check'],
        mysql: ['ALTER TABLE plain DROP CONSTRAINT plain_a_check'],
      });
    });
  });

  describe('enum types', () => {
    it('PostgreSQL creates and drops a named enum as a type of its own, in the table schema', () => {
      const type = books().table.c.status.type as EnumType;
      expectDdl(new CreateEnumType(type, null), {
        sqlite: [],
        postgresql: ["CREATE TYPE book_status AS ENUM ('draft', 'published')"],
        mysql: [],
      });
      expectDdl(new CreateEnumType(type, 'zoo'), { sqlite: [], postgresql: ["CREATE TYPE zoo.book_status AS ENUM ('draft', 'published')"], mysql: [] });
      expectDdl(new DropEnumType(type, null), { sqlite: [], postgresql: ['DROP TYPE book_status'], mysql: [] });
    });

    it('elsewhere an enum is a column type: MySQL ENUM, SQLite VARCHAR of the longest value with a CHECK of the values; unnamed on PostgreSQL a VARCHAR', () => {
      const metadata = new MetaData();
      const table = new Table('moods', metadata, { mood: column(t.Enum(['sad', "it's", 'back\\slash'])) });
      expectDdl(new CreateTable(table), {
        sqlite: ["CREATE TABLE moods (\n\tmood VARCHAR(10) CHECK (mood IN ('sad', 'it''s', 'back\\slash'))\n)"],
        postgresql: ['CREATE TABLE moods (\n\tmood VARCHAR(10)\n)'],
        mysql: ["CREATE TABLE moods (\n\tmood ENUM('sad', 'it''s', 'back\\\\slash')\n)"],
      });
    });
  });
});
