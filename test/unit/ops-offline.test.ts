/**
 * Every operation compiled offline, per dialect: the exact SQL lines a migration writes to the `--sql`
 * script (Alembic's op fixture). Expectations are keyed by every dialect, so forgetting one is a type
 * error; MariaDB is checked against the MySQL lines unless it has its own.
 */
import { expect } from 'chai';
import { getDialect } from '../../src/dialects/index.js';
import { op } from '../../src/migrate/operations/operations.js';
import { AddColumnOp, AlterColumnOp, DropColumnOp } from '../../src/migrate/operations/ops/column.js';
import { CreateTableCommentOp, DropTableCommentOp } from '../../src/migrate/operations/ops/comment.js';
import { CreateForeignKeyOp, DropConstraintOp } from '../../src/migrate/operations/ops/constraint.js';
import { CreateIndexOp, DropIndexOp } from '../../src/migrate/operations/ops/index-ops.js';
import { CreateTableOp, DropTableOp, RenameTableOp } from '../../src/migrate/operations/ops/table.js';
import { BatchAlterTableOp } from '../../src/migrate/operations/ops/batch-alter-table.js';
import { type ColumnSpec, column } from '../../src/schema/column.js';
import { AlterColumn, SetColumnComment } from '../../src/schema/ddl.js';
import { CheckConstraint, UniqueConstraint, foreignKey } from '../../src/schema/constraints.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { func } from '../../src/sql/elements/functions.js';
import { literalColumn, text } from '../../src/sql/elements/text.js';
import { update } from '../../src/sql/statements/update.js';
import { t } from '../../src/types/index.js';
import { COMPILE_TARGETS, type PerDialect, fails, type CompileFailure } from '../helpers/compiled.js';
import { CollectingExecutor, runOffline } from '../helpers/migration-executors.js';
import { runMigrationWork } from '../../src/migrate/runtime/current-executor.js';
import { rebuildNeeded } from '../../src/migrate/operations/batch.js';

type Lines = readonly string[] | CompileFailure;
type Expectations = PerDialect<Lines> & { readonly mariadb?: Lines };

const dialectFor = (target: (typeof COMPILE_TARGETS)[number]) =>
  target === 'mariadb' ? getDialect('mysql', { mariadb: true }) : getDialect(target);

/** Runs `work` as an offline migration on every dialect and compares the SQL lines. */
async function expectOps(work: () => Promise<unknown>, expected: Expectations, targetMetadata: MetaData | null = null): Promise<void> {
  for (const target of COMPILE_TARGETS) {
    const expectation = target === 'mariadb' ? (expected.mariadb ?? expected.mysql) : expected[target];
    let lines: string[] | null = null;
    let error: unknown = null;
    try {
      lines = await runOffline(dialectFor(target), work, targetMetadata);
    } catch (e) {
      error = e;
    }
    if ('fails' in expectation) {
      expect(error, `${target}: expected an error, got ${JSON.stringify(lines)}`).to.be.instanceOf(Error);
      expect((error as Error).message, `${target} error`).to.match(expectation.fails);
      continue;
    }
    if (error !== null) throw error;
    expect(lines, `${target} SQL`).to.deep.equal(expectation);
  }
}

const same = (lines: readonly string[]): PerDialect<readonly string[]> => ({ sqlite: lines, postgresql: lines, mysql: lines });
const rebuildOffline = fails(/rebuilding table "movies" offline \(--sql\) needs its current definition.*copyFrom/);

describe('operations offline: tables', () => {
  it('createTable renders constraints inline, then indexes, enum types and comments', async () => {
    await expectOps(
      () =>
        op.createTable(
          'movies',
          {
            id: column(t.Integer(), { primaryKey: true }),
            title: column(t.String(100), { nullable: false }),
            mood: column(t.Enum(['good', 'bad'], { name: 'mood' })),
            directorId: column(t.Integer(), { name: 'director_id', foreignKey: foreignKey('directors.id', { onDelete: 'CASCADE' }) }),
            year: column(t.Integer(), { index: true, serverDefault: '2000', comment: 'release' }),
          },
          { comment: 'films', constraints: (c) => [new UniqueConstraint([c.title, c.year], { name: 'uq_movies_title_year' })] },
        ),
      {
        sqlite: [
          "CREATE TABLE movies (\n\tid INTEGER NOT NULL,\n\ttitle VARCHAR(100) NOT NULL,\n\tmood VARCHAR(4) CONSTRAINT mood CHECK (mood IN ('good', 'bad')),\n\tdirector_id INTEGER,\n" +
            "\tyear INTEGER DEFAULT '2000',\n\tPRIMARY KEY (id),\n\tCONSTRAINT uq_movies_title_year UNIQUE (title, year),\n" +
            '\tFOREIGN KEY(director_id) REFERENCES directors (id) ON DELETE CASCADE\n)',
          'CREATE INDEX ix_movies_year ON movies (year)',
        ],
        postgresql: [
          "DO $$ BEGIN CREATE TYPE mood AS ENUM ('good', 'bad'); EXCEPTION WHEN duplicate_object THEN NULL; END $$",
          'CREATE TABLE movies (\n\tid SERIAL NOT NULL,\n\ttitle VARCHAR(100) NOT NULL,\n\tmood mood,\n\tdirector_id INTEGER,\n' +
            "\tyear INTEGER DEFAULT '2000',\n\tPRIMARY KEY (id),\n\tCONSTRAINT uq_movies_title_year UNIQUE (title, year),\n" +
            '\tFOREIGN KEY(director_id) REFERENCES directors (id) ON DELETE CASCADE\n)',
          "COMMENT ON TABLE movies IS 'films'",
          "COMMENT ON COLUMN movies.year IS 'release'",
          'CREATE INDEX ix_movies_year ON movies (year)',
        ],
        mysql: [
          "CREATE TABLE movies (\n\tid INTEGER NOT NULL AUTO_INCREMENT,\n\ttitle VARCHAR(100) NOT NULL,\n\tmood ENUM('good', 'bad'),\n" +
            "\tdirector_id INTEGER,\n\tyear INTEGER DEFAULT '2000' COMMENT 'release',\n\tPRIMARY KEY (id),\n" +
            '\tCONSTRAINT uq_movies_title_year UNIQUE (title, year),\n\tFOREIGN KEY(director_id) REFERENCES directors (id) ON DELETE CASCADE\n' +
            ") COMMENT='films'",
          'CREATE INDEX ix_movies_year ON movies (year)',
        ],
      },
    );
  });

  it('createTable returns the Table, usable with bulkInsert (one INSERT per row offline, values inline)', async () => {
    await expectOps(
      async () => {
        const genres = await op.createTable('genres', { id: column(t.Integer(), { primaryKey: true, autoincrement: false }), name: column(t.String(20)) });
        await op.bulkInsert(genres, [
          { id: 1, name: "drama's" },
          { id: 2, name: null },
        ]);
      },
      {
        sqlite: [
          'CREATE TABLE genres (\n\tid INTEGER NOT NULL,\n\tname VARCHAR(20),\n\tPRIMARY KEY (id)\n)',
          "INSERT INTO genres (id, name) VALUES (1, 'drama''s')",
          'INSERT INTO genres (id, name) VALUES (2, NULL)',
        ],
        postgresql: [
          'CREATE TABLE genres (\n\tid INTEGER NOT NULL,\n\tname VARCHAR(20),\n\tPRIMARY KEY (id)\n)',
          "INSERT INTO genres (id, name) VALUES (1, 'drama''s')",
          'INSERT INTO genres (id, name) VALUES (2, NULL)',
        ],
        mysql: [
          'CREATE TABLE genres (\n\tid INTEGER NOT NULL,\n\tname VARCHAR(20),\n\tPRIMARY KEY (id)\n)',
          "INSERT INTO genres (id, name) VALUES (1, 'drama''s')",
          'INSERT INTO genres (id, name) VALUES (2, NULL)',
        ],
      },
    );
  });

  it('names unnamed constraints by the naming convention, and never re-applies it to op.f() names', async () => {
    const target = new MetaData({
      namingConvention: { ix: 'ix_%(column_0_label)s', uq: 'uq_%(table_name)s_%(column_0_name)s', ck: 'ck_%(table_name)s_%(constraint_name)s', fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s' },
    });
    await expectOps(
      async () => {
        await op.createUniqueConstraint(null, 'users', ['email']);
        await op.createCheckConstraint('positive', 'users', 'age > 0');
        await op.createCheckConstraint(op.f('ck_users_positive'), 'users', 'age > 0');
        await op.createForeignKey(null, 'users', 'teams', ['team_id'], ['id']);
        await op.createIndex(null, 'users', ['email']);
      },
      {
        sqlite: fails(/SQLite needs to rebuild|rebuilding table "users" offline/),
        postgresql: [
          'ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email)',
          'ALTER TABLE users ADD CONSTRAINT ck_users_positive CHECK (age > 0)',
          'ALTER TABLE users ADD CONSTRAINT ck_users_positive CHECK (age > 0)',
          'ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY(team_id) REFERENCES teams (id)',
          'CREATE INDEX ix_users_email ON users (email)',
        ],
        mysql: [
          'ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email)',
          'ALTER TABLE users ADD CONSTRAINT ck_users_positive CHECK (age > 0)',
          'ALTER TABLE users ADD CONSTRAINT ck_users_positive CHECK (age > 0)',
          'ALTER TABLE users ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY(team_id) REFERENCES teams (id)',
          'CREATE INDEX ix_users_email ON users (email)',
        ],
      },
      target,
    );
  });

  it('dropTable and renameTable, with a schema', async () => {
    await expectOps(
      async () => {
        await op.renameTable('movies', 'films', { schema: 'media' });
        await op.dropTable('films', { schema: 'media' });
        await op.dropTable('old', { ifExists: true });
      },
      {
        sqlite: ['ALTER TABLE media.movies RENAME TO films', 'DROP TABLE media.films', 'DROP TABLE IF EXISTS old'],
        postgresql: ['ALTER TABLE media.movies RENAME TO films', 'DROP TABLE media.films', 'DROP TABLE IF EXISTS old'],
        mysql: ['ALTER TABLE media.movies RENAME TO media.films', 'DROP TABLE media.films', 'DROP TABLE IF EXISTS old'],
      },
    );
  });

  it('dropTable with its definition drops the PostgreSQL enum types no other column uses', async () => {
    const definition = new CreateTableOp({
      definition: {
        name: 'moods',
        schema: null,
        comment: null,
        columns: [{ name: 'm', type: t.Enum(['a'], { name: 'mood' }), nullable: true }],
        constraints: [],
        indexes: [],
      },
    });
    await expectOps(() => op.invoke(definition.reverse()), {
      sqlite: ['DROP TABLE moods'],
      postgresql: ['DROP TABLE moods', 'DO $$ BEGIN DROP TYPE IF EXISTS mood; EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END $$'],
      mysql: ['DROP TABLE moods'],
    });
  });
});

describe('operations offline: columns', () => {
  it('addColumn with a default and a comment', async () => {
    await expectOps(() => op.addColumn('movies', 'rating', column(t.Float(), { serverDefault: '0', comment: 'stars' })), {
      sqlite: ["ALTER TABLE movies ADD COLUMN rating FLOAT DEFAULT '0'"],
      postgresql: ["ALTER TABLE movies ADD COLUMN rating FLOAT DEFAULT '0'", "COMMENT ON COLUMN movies.rating IS 'stars'"],
      mysql: ["ALTER TABLE movies ADD COLUMN rating DOUBLE DEFAULT '0' COMMENT 'stars'"],
    });
  });

  it('addColumn with a foreign key and an index: inline REFERENCES on SQLite, ADD CONSTRAINT elsewhere', async () => {
    await expectOps(
      () => op.addColumn('movies', 'genre_id', column(t.Integer(), { foreignKey: foreignKey('genres.id', { onDelete: 'SET NULL', name: 'fk_movies_genre' }), index: true })),
      {
        sqlite: [
          'ALTER TABLE movies ADD COLUMN genre_id INTEGER REFERENCES genres (id) ON DELETE SET NULL',
          'CREATE INDEX ix_movies_genre_id ON movies (genre_id)',
        ],
        postgresql: [
          'ALTER TABLE movies ADD COLUMN genre_id INTEGER',
          'ALTER TABLE movies ADD CONSTRAINT fk_movies_genre FOREIGN KEY(genre_id) REFERENCES genres (id) ON DELETE SET NULL',
          'CREATE INDEX ix_movies_genre_id ON movies (genre_id)',
        ],
        mysql: [
          'ALTER TABLE movies ADD COLUMN genre_id INTEGER',
          'ALTER TABLE movies ADD CONSTRAINT fk_movies_genre FOREIGN KEY(genre_id) REFERENCES genres (id) ON DELETE SET NULL',
          'CREATE INDEX ix_movies_genre_id ON movies (genre_id)',
        ],
      },
    );
  });

  it('addColumn that SQLite cannot ALTER (NOT NULL without default, UNIQUE) needs the rebuild, and so copyFrom offline', async () => {
    await expectOps(() => op.addColumn('movies', 'code', column(t.String(10), { nullable: false, unique: true })), {
      sqlite: rebuildOffline,
      postgresql: ['ALTER TABLE movies ADD COLUMN code VARCHAR(10) NOT NULL', 'ALTER TABLE movies ADD UNIQUE (code)'],
      mysql: ['ALTER TABLE movies ADD COLUMN code VARCHAR(10) NOT NULL', 'ALTER TABLE movies ADD UNIQUE (code)'],
    });
  });

  it('addColumn needs a rebuild on SQLite exactly for what its ADD COLUMN refuses, on no other dialect', () => {
    const cases: [string, ColumnSpec, boolean][] = [
      ['nullable', column(t.Integer()), false],
      ['NOT NULL without default', column(t.Integer(), { nullable: false }), true],
      ['NOT NULL with a constant default', column(t.Integer(), { nullable: false, serverDefault: '5' }), false],
      ['a quoted constant default', column(t.String(10), { serverDefault: literalColumn("'it''s'") }), false],
      ['a NULL default', column(t.Integer(), { serverDefault: literalColumn('NULL') }), false],
      ['a default that is not a constant', column(t.DateTime(), { serverDefault: func.now() }), true],
      ['a constant default and a foreign key', column(t.Integer(), { serverDefault: '1', foreignKey: 'genres.id' }), true],
      ['a foreign key', column(t.Integer(), { foreignKey: 'genres.id' }), false],
      ['primary key', column(t.Integer(), { primaryKey: true }), true],
      ['primary key, nullable', column(t.Integer(), { primaryKey: true, nullable: true }), true],
      ['identity', column(t.Integer(), { identity: {} }), true],
      ['identity, nullable', column(t.Integer(), { identity: {}, nullable: true }), false],
      ['unique', column(t.Integer(), { unique: true }), true],
      ['unique index', column(t.Integer(), { unique: true, index: true }), false],
      ['index', column(t.Integer(), { index: true }), false],
      ['stored generated', column(t.Integer(), { computed: { sqltext: 'a + 1', persisted: true } }), true],
      ['virtual generated', column(t.Integer(), { computed: { sqltext: 'a + 1', persisted: false } }), false],
    ];
    for (const target of COMPILE_TARGETS) {
      const dialect = dialectFor(target);
      for (const [what, spec, sqlite] of cases) {
        const op = new AddColumnOp({ tableName: 'movies', columnName: 'c', column: spec, schema: null });
        expect(rebuildNeeded(op, dialect, null), `${target}: ${what}`).to.equal(target === 'sqlite' && sqlite);
      }
    }
  });

  it('addColumn of a named enum creates the type first on PostgreSQL', async () => {
    await expectOps(() => op.addColumn('movies', 'mood', column(t.Enum(['good', 'bad'], { name: 'mood' }))), {
      sqlite: ["ALTER TABLE movies ADD COLUMN mood VARCHAR(4) CONSTRAINT mood CHECK (mood IN ('good', 'bad'))"],
      postgresql: [
        "DO $$ BEGIN CREATE TYPE mood AS ENUM ('good', 'bad'); EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        'ALTER TABLE movies ADD COLUMN mood mood',
      ],
      mysql: ["ALTER TABLE movies ADD COLUMN mood ENUM('good', 'bad')"],
    });
  });

  it('dropColumn (offline SQLite cannot see constraints, so it drops natively)', async () => {
    await expectOps(() => op.dropColumn('movies', 'rating', { schema: 'media' }), same(['ALTER TABLE media.movies DROP COLUMN rating']));
  });

  it('alterColumn nullability: SET/DROP NOT NULL, MySQL MODIFY restating the column from the hints', async () => {
    await expectOps(
      async () => {
        await op.alterColumn('movies', 'title', { nullable: false, existingType: t.String(100), existingServerDefault: 'x', existingComment: 'name' });
        await op.alterColumn('movies', 'title', { nullable: true, existingType: t.String(100) });
      },
      {
        sqlite: rebuildOffline,
        postgresql: ['ALTER TABLE movies ALTER COLUMN title SET NOT NULL', 'ALTER TABLE movies ALTER COLUMN title DROP NOT NULL'],
        mysql: [
          "ALTER TABLE movies MODIFY title VARCHAR(100) NOT NULL DEFAULT 'x' COMMENT 'name'",
          'ALTER TABLE movies MODIFY title VARCHAR(100) NULL',
        ],
      },
    );
  });

  it('alterColumn on MySQL without the hints it needs is an error naming the hint', async () => {
    await expectOps(() => op.alterColumn('movies', 'title', { nullable: false }), {
      sqlite: rebuildOffline,
      postgresql: ['ALTER TABLE movies ALTER COLUMN title SET NOT NULL'],
      mysql: fails(/MySQL restates the whole column to alter "movies"."title": pass existingType to op.alterColumn\(\)/),
    });
    await expectOps(() => op.alterColumn('movies', 'title', { type: t.Text() }), {
      sqlite: rebuildOffline,
      postgresql: ['ALTER TABLE movies ALTER COLUMN title TYPE TEXT'],
      mysql: fails(/pass existingNullable to op.alterColumn\(\)/),
    });
  });

  it('alterColumn type with USING, and a default that changes with it', async () => {
    await expectOps(
      () =>
        op.alterColumn('movies', 'year', {
          type: t.Integer(),
          serverDefault: '1900',
          postgresqlUsing: 'year::integer',
          existingType: t.String(4),
          existingNullable: true,
          existingAutoincrement: false,
        }),
      {
        sqlite: rebuildOffline,
        postgresql: [
          'ALTER TABLE movies ALTER COLUMN year DROP DEFAULT',
          'ALTER TABLE movies ALTER COLUMN year TYPE INTEGER USING year::integer',
          "ALTER TABLE movies ALTER COLUMN year SET DEFAULT '1900'",
        ],
        mysql: ["ALTER TABLE movies MODIFY year INTEGER NULL DEFAULT '1900'"],
      },
    );
  });

  it('alterColumn default alone, and rename alone, need no hints anywhere', async () => {
    await expectOps(
      async () => {
        await op.alterColumn('movies', 'year', { serverDefault: literalColumn('CURRENT_TIMESTAMP') });
        await op.alterColumn('movies', 'year', { serverDefault: null });
        await op.alterColumn('movies', 'year', { newName: 'released' });
      },
      {
        sqlite: rebuildOffline,
        postgresql: [
          'ALTER TABLE movies ALTER COLUMN year SET DEFAULT CURRENT_TIMESTAMP',
          'ALTER TABLE movies ALTER COLUMN year DROP DEFAULT',
          'ALTER TABLE movies RENAME COLUMN year TO released',
        ],
        mysql: [
          'ALTER TABLE movies ALTER COLUMN year SET DEFAULT CURRENT_TIMESTAMP',
          'ALTER TABLE movies ALTER COLUMN year DROP DEFAULT',
          'ALTER TABLE movies RENAME COLUMN year TO released',
        ],
      },
    );
    await expectOps(() => op.alterColumn('movies', 'year', { newName: 'released' }), {
      ...same(['ALTER TABLE movies RENAME COLUMN year TO released']),
    });
  });

  it('alterColumn rename with a type change is MySQL CHANGE; a comment is COMMENT ON (nothing on SQLite)', async () => {
    await expectOps(() => op.alterColumn('movies', 'year', { newName: 'released', type: t.SmallInteger(), existingNullable: false }), {
      sqlite: rebuildOffline,
      postgresql: ['ALTER TABLE movies ALTER COLUMN year TYPE SMALLINT', 'ALTER TABLE movies RENAME COLUMN year TO released'],
      mysql: ['ALTER TABLE movies CHANGE year released SMALLINT NOT NULL'],
    });
    await expectOps(
      async () => {
        await op.alterColumn('movies', 'title', { comment: 'the title', existingType: t.String(100), existingNullable: false });
        await op.alterColumn('movies', 'title', { comment: null, existingType: t.String(100), existingNullable: false });
      },
      {
        sqlite: [],
        postgresql: ["COMMENT ON COLUMN movies.title IS 'the title'", 'COMMENT ON COLUMN movies.title IS NULL'],
        mysql: ["ALTER TABLE movies MODIFY title VARCHAR(100) NOT NULL COMMENT 'the title'", 'ALTER TABLE movies MODIFY title VARCHAR(100) NOT NULL'],
      },
    );
  });

  it('alterColumn to a named enum creates the type; away from one drops it when unused (PostgreSQL)', async () => {
    await expectOps(
      async () => {
        await op.alterColumn('movies', 'mood', { type: t.Enum(['good', 'bad'], { name: 'mood' }), postgresqlUsing: 'mood::mood', existingType: t.String(4), existingNullable: true });
        await op.alterColumn('movies', 'mood', { type: t.String(4), existingType: t.Enum(['good', 'bad'], { name: 'mood' }), existingNullable: true });
      },
      {
        sqlite: rebuildOffline,
        postgresql: [
          moodType(['good', 'bad']),
          'ALTER TABLE movies ALTER COLUMN mood TYPE mood USING mood::mood',
          'ALTER TABLE movies ALTER COLUMN mood TYPE VARCHAR(4)',
          'DO $$ BEGIN DROP TYPE IF EXISTS mood; EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END $$',
        ],
        mysql: ["ALTER TABLE movies MODIFY mood ENUM('good', 'bad') NULL", 'ALTER TABLE movies MODIFY mood VARCHAR(4) NULL'],
      },
    );
  });
});

describe('operations offline: enum values', () => {
  const mood = (values: readonly string[]) => t.Enum(values, { name: 'mood' });
  const hints = { existingNullable: false, existingServerDefault: 'ok' };

  it('values added in order: ADD VALUE IF NOT EXISTS on PostgreSQL, the column restated on MySQL, a rebuild on SQLite', async () => {
    await expectOps(() => op.alterColumn('movies', 'mood', { type: mood(['new', 'sad', 'ok', 'happy']), existingType: mood(['sad', 'happy']), ...hints }), {
      sqlite: rebuildOffline,
      postgresql: ["ALTER TYPE mood ADD VALUE IF NOT EXISTS 'new' BEFORE 'sad'", "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok' AFTER 'sad'"],
      mysql: ["ALTER TABLE movies MODIFY mood ENUM('new', 'sad', 'ok', 'happy') NOT NULL DEFAULT 'ok'"],
    });
  });

  it('a value removed or the values reordered: the type built again on PostgreSQL, with its columns and defaults', async () => {
    await expectOps(() => op.alterColumn('movies', 'mood', { type: mood(['happy', 'ok']), existingType: mood(['ok', 'sad', 'happy']), ...hints }), {
      sqlite: rebuildOffline,
      postgresql: [moodType(['happy', 'ok'])],
      mysql: ["ALTER TABLE movies MODIFY mood ENUM('happy', 'ok') NOT NULL DEFAULT 'ok'"],
    });
    await expectOps(() => op.alterColumn('movies', 'mood', { type: mood(['happy', 'ok']), existingType: mood(['ok', 'happy']), nullable: true, ...hints }), {
      sqlite: rebuildOffline,
      postgresql: [moodType(['happy', 'ok']), 'ALTER TABLE movies ALTER COLUMN mood DROP NOT NULL'],
      mysql: ["ALTER TABLE movies MODIFY mood ENUM('happy', 'ok') NULL DEFAULT 'ok'"],
    });
  });
});

/** PostgreSQL's DO block giving the type mood these values (created if missing, else rebuilt with its columns). */
function moodType(values: readonly string[]): string {
  const list = values.map((v) => `'${v}'`).join(', ');
  return [
    'DO $$ DECLARE old oid; c record; d text; BEGIN',
    "old := to_regtype('mood');",
    `IF old IS NULL THEN CREATE TYPE mood AS ENUM (${list}); RETURN; END IF;`,
    `IF ARRAY(SELECT enumlabel::text FROM pg_enum WHERE enumtypid = old ORDER BY enumsortorder) = ARRAY[${list}]::text[] THEN RETURN; END IF;`,
    'ALTER TYPE mood RENAME TO mood_old;',
    `CREATE TYPE mood AS ENUM (${list});`,
    'FOR c IN SELECT a.attrelid::regclass AS tab, quote_ident(a.attname) AS col, pg_get_expr(ad.adbin, ad.adrelid) AS def',
    'FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum',
    "WHERE a.atttypid = old AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0 AND r.relkind IN ('r', 'p') LOOP",
    'd := NULL;',
    'IF c.def IS NOT NULL THEN',
    "EXECUTE format('SELECT (%s)::text', c.def) INTO d;",
    "EXECUTE format('ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT', c.tab, c.col);",
    'END IF;',
    "EXECUTE format('ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::text::%s', c.tab, c.col, 'mood', c.col, 'mood');",
    `IF d = ANY(ARRAY[${list}]::text[]) THEN EXECUTE format('ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %L::%s', c.tab, c.col, d, 'mood'); END IF;`,
    'END LOOP;',
    'DROP TYPE mood_old;',
    'END $$',
  ].join('\n');
}

describe('operations offline: indexes', () => {
  it('createIndex on columns and expressions, with dialect options', async () => {
    await expectOps(
      async () => {
        await op.createIndex('ix_movies_title', 'movies', ['title', 'year'], { unique: true, mysqlLength: { title: 20 } });
        await op.createIndex('ix_movies_lower', 'movies', [func.lower(literalColumn('title'))], { postgresqlWhere: 'year > 2000', postgresqlUsing: 'btree' });
        await op.createIndex(op.f('ix_movies_year'), 'movies', ['year'], { ifNotExists: true, schema: 'media' });
      },
      {
        sqlite: [
          'CREATE UNIQUE INDEX ix_movies_title ON movies (title, year)',
          'CREATE INDEX ix_movies_lower ON movies ((lower(title)))',
          'CREATE INDEX IF NOT EXISTS media.ix_movies_year ON movies (year)',
        ],
        postgresql: [
          'CREATE UNIQUE INDEX ix_movies_title ON movies (title, year)',
          'CREATE INDEX ix_movies_lower ON movies USING btree ((lower(title))) WHERE year > 2000',
          'CREATE INDEX IF NOT EXISTS ix_movies_year ON media.movies (year)',
        ],
        mysql: [
          'CREATE UNIQUE INDEX ix_movies_title ON movies (title(20), year)',
          'CREATE INDEX ix_movies_lower ON movies ((lower(title)))',
          'CREATE INDEX IF NOT EXISTS ix_movies_year ON media.movies (year)',
        ],
        mariadb: fails(/indexes an expression, which this database cannot/),
      },
    );
  });

  it('CONCURRENTLY runs in an autocommit block on PostgreSQL and is ignored elsewhere', async () => {
    await expectOps(
      async () => {
        await op.createIndex('ix_movies_title', 'movies', ['title'], { concurrently: true });
        await op.dropIndex('ix_movies_title', { table: 'movies', concurrently: true });
      },
      {
        sqlite: ['CREATE INDEX ix_movies_title ON movies (title)', 'DROP INDEX ix_movies_title'],
        postgresql: [
          'COMMIT',
          'CREATE INDEX CONCURRENTLY ix_movies_title ON movies (title)',
          'BEGIN',
          'COMMIT',
          'DROP INDEX CONCURRENTLY ix_movies_title',
          'BEGIN',
        ],
        mysql: ['CREATE INDEX ix_movies_title ON movies (title)', 'DROP INDEX ix_movies_title ON movies'],
      },
    );
  });

  it('dropIndex: MySQL needs the table', async () => {
    await expectOps(() => op.dropIndex('ix_movies_title', { schema: 'media', ifExists: true }), {
      sqlite: ['DROP INDEX IF EXISTS media.ix_movies_title'],
      postgresql: ['DROP INDEX IF EXISTS media.ix_movies_title'],
      mysql: fails(/MySQL drops an index with its table: op.dropIndex\('ix_movies_title', \{ table: '...' \}\)/),
    });
  });
});

describe('operations offline: constraints and comments', () => {
  it('creates primary key, unique, foreign key and check constraints (SQLite rebuilds: copyFrom offline)', async () => {
    await expectOps(
      async () => {
        await op.createPrimaryKey('pk_movies', 'movies', ['id']);
        await op.createUniqueConstraint('uq_movies_title', 'movies', ['title', 'year']);
        await op.createForeignKey('fk_movies_director', 'movies', 'directors', ['director_id'], ['id'], {
          onDelete: 'CASCADE',
          onUpdate: 'SET NULL',
          sourceSchema: 'media',
          referentSchema: 'people',
        });
        await op.createCheckConstraint('ck_movies_year', 'movies', literalColumn('year').gt(1888));
      },
      {
        sqlite: fails(/rebuilding table "movies" offline/),
        postgresql: [
          'ALTER TABLE movies ADD CONSTRAINT pk_movies PRIMARY KEY (id)',
          'ALTER TABLE movies ADD CONSTRAINT uq_movies_title UNIQUE (title, year)',
          'ALTER TABLE media.movies ADD CONSTRAINT fk_movies_director FOREIGN KEY(director_id) REFERENCES people.directors (id) ON DELETE CASCADE ON UPDATE SET NULL',
          'ALTER TABLE movies ADD CONSTRAINT ck_movies_year CHECK (year > 1888)',
        ],
        mysql: [
          'ALTER TABLE movies ADD CONSTRAINT pk_movies PRIMARY KEY (id)',
          'ALTER TABLE movies ADD CONSTRAINT uq_movies_title UNIQUE (title, year)',
          'ALTER TABLE media.movies ADD CONSTRAINT fk_movies_director FOREIGN KEY(director_id) REFERENCES people.directors (id) ON DELETE CASCADE ON UPDATE SET NULL',
          'ALTER TABLE movies ADD CONSTRAINT ck_movies_year CHECK (year > 1888)',
        ],
      },
    );
  });

  it('dropConstraint: one spelling per kind on MySQL, which needs the type', async () => {
    await expectOps(
      async () => {
        await op.dropConstraint('pk_movies', 'movies', { type: 'primary' });
        await op.dropConstraint('uq_movies_title', 'movies', { type: 'unique' });
        await op.dropConstraint('fk_movies_director', 'movies', { type: 'foreignkey' });
        await op.dropConstraint('ck_movies_year', 'movies', { type: 'check' });
      },
      {
        sqlite: rebuildOffline,
        postgresql: [
          'ALTER TABLE movies DROP CONSTRAINT pk_movies',
          'ALTER TABLE movies DROP CONSTRAINT uq_movies_title',
          'ALTER TABLE movies DROP CONSTRAINT fk_movies_director',
          'ALTER TABLE movies DROP CONSTRAINT ck_movies_year',
        ],
        mysql: [
          'ALTER TABLE movies DROP PRIMARY KEY',
          'ALTER TABLE movies DROP INDEX uq_movies_title',
          'ALTER TABLE movies DROP FOREIGN KEY fk_movies_director',
          'ALTER TABLE movies DROP CONSTRAINT ck_movies_year',
        ],
      },
    );
    await expectOps(() => op.dropConstraint('fk_x', 'movies'), {
      sqlite: rebuildOffline,
      postgresql: ['ALTER TABLE movies DROP CONSTRAINT fk_x'],
      mysql: fails(/MySQL has no generic DROP CONSTRAINT: say which kind "fk_x" on "movies" is/),
    });
  });

  it('table comments (SQLite keeps none)', async () => {
    await expectOps(
      async () => {
        await op.createTableComment('movies', "what's on");
        await op.dropTableComment('movies');
      },
      {
        sqlite: [],
        postgresql: ["COMMENT ON TABLE movies IS 'what''s on'", 'COMMENT ON TABLE movies IS NULL'],
        mysql: ["ALTER TABLE movies COMMENT 'what''s on'", "ALTER TABLE movies COMMENT ''"],
      },
    );
  });
});

describe('operations offline: data', () => {
  it('execute runs SQL text (with parameters inlined) and statements; inlineLiteral stays literal', async () => {
    const movies = new Table('movies', new MetaData(), { id: column(t.Integer(), { primaryKey: true }), status: column(t.String(10)) });
    await expectOps(
      async () => {
        await op.execute('UPDATE movies SET status = :s WHERE id > :n', { s: 'old', n: 3 });
        await op.execute(update(movies).values({ status: op.inlineLiteral('new') }).where(movies.c.id.eq(1)));
      },
      {
        sqlite: ["UPDATE movies SET status = 'old' WHERE id > 3", "UPDATE movies SET status='new' WHERE movies.id = 1"],
        postgresql: ["UPDATE movies SET status = 'old' WHERE id > 3", "UPDATE movies SET status='new' WHERE movies.id = 1"],
        mysql: ["UPDATE movies SET status = 'old' WHERE id > 3", "UPDATE movies SET status='new' WHERE movies.id = 1"],
      },
    );
  });
});

describe('operations offline: batch', () => {
  const metadata = new MetaData();
  new Table('directors', metadata, { id: column(t.Integer(), { primaryKey: true }) });
  const movies = new Table(
    'movies',
    metadata,
    {
      id: column(t.Integer(), { primaryKey: true }),
      title: column(t.String(100), { nullable: false }),
      year: column(t.Integer(), { serverDefault: '2000' }),
      directorId: column(t.Integer(), { name: 'director_id', foreignKey: 'directors.id' }),
    },
    { constraints: (c) => [index('ix_movies_title', [c.title]), new CheckConstraint('year > 1888', { name: 'ck_movies_year' })] },
  );

  it('rebuilds the table on SQLite from copyFrom, ALTERs it elsewhere', async () => {
    await expectOps(
      () =>
        op.batchAlterTable(
          'movies',
          (batch) => {
            batch.addColumn('rating', column(t.Float()));
            batch.alterColumn('title', { nullable: true, type: t.String(200), existingType: t.String(100), existingNullable: false });
            batch.dropColumn('year');
            batch.dropConstraint('ck_movies_year', { type: 'check' });
            batch.createUniqueConstraint('uq_movies_title', ['title']);
            batch.alterColumn('director_id', { newName: 'dir_id' });
          },
          { copyFrom: movies },
        ),
      {
        sqlite: [
          '-- foreign keys off',
          'CREATE TABLE _tsmig_tmp_movies (\n\tid INTEGER NOT NULL,\n\ttitle VARCHAR(200),\n\tdir_id INTEGER,\n\trating FLOAT,\n' +
            '\tPRIMARY KEY (id),\n\tFOREIGN KEY(dir_id) REFERENCES directors (id),\n\tCONSTRAINT uq_movies_title UNIQUE (title)\n)',
          'INSERT INTO _tsmig_tmp_movies (id, title, dir_id) SELECT id, title, director_id FROM movies',
          'DROP TABLE movies',
          'PRAGMA legacy_alter_table = ON',
          'ALTER TABLE _tsmig_tmp_movies RENAME TO movies',
          'PRAGMA legacy_alter_table = OFF',
          'CREATE INDEX ix_movies_title ON movies (title)',
          '-- foreign keys on',
        ],
        postgresql: [
          'ALTER TABLE movies ADD COLUMN rating FLOAT',
          'ALTER TABLE movies ALTER COLUMN title TYPE VARCHAR(200)',
          'ALTER TABLE movies ALTER COLUMN title DROP NOT NULL',
          'ALTER TABLE movies DROP COLUMN year',
          'ALTER TABLE movies DROP CONSTRAINT ck_movies_year',
          'ALTER TABLE movies ADD CONSTRAINT uq_movies_title UNIQUE (title)',
          'ALTER TABLE movies RENAME COLUMN director_id TO dir_id',
        ],
        mysql: [
          'ALTER TABLE movies ADD COLUMN rating DOUBLE',
          'ALTER TABLE movies MODIFY title VARCHAR(200) NULL',
          'ALTER TABLE movies DROP COLUMN year',
          'ALTER TABLE movies DROP CONSTRAINT ck_movies_year',
          'ALTER TABLE movies ADD CONSTRAINT uq_movies_title UNIQUE (title)',
          'ALTER TABLE movies RENAME COLUMN director_id TO dir_id',
        ],
      },
    );
  });

  it('names a batch error before writing anything', async () => {
    await expectOps(() => op.batchAlterTable('movies', (batch) => batch.dropColumn('nope'), { copyFrom: movies, recreate: 'always' }), {
      sqlite: fails(/table "movies" has no column "nope" \(it has id, title, year, director_id\)/),
      postgresql: fails(/tables are rebuilt on SQLite only/),
      mysql: fails(/tables are rebuilt on SQLite only/),
    });
  });

  it('a standalone operation on SQLite offline rebuilds from copyFrom through batchAlterTable', async () => {
    const lines = await runOffline(getDialect('sqlite'), () =>
      op.batchAlterTable('movies', (batch) => batch.createForeignKey('fk_movies_director', 'directors', ['director_id'], ['id'], { onDelete: 'CASCADE' }), {
        copyFrom: movies,
      }),
    );
    expect(lines[1]).to.equal(
      'CREATE TABLE _tsmig_tmp_movies (\n\tid INTEGER NOT NULL,\n\ttitle VARCHAR(100) NOT NULL,\n\tyear INTEGER DEFAULT \'2000\',\n\tdirector_id INTEGER,\n' +
        '\tPRIMARY KEY (id),\n\tCONSTRAINT ck_movies_year CHECK (year > 1888),\n\tFOREIGN KEY(director_id) REFERENCES directors (id),\n' +
        '\tCONSTRAINT fk_movies_director FOREIGN KEY(director_id) REFERENCES directors (id) ON DELETE CASCADE\n)',
    );
  });
});

describe('ALTER DDL elements', () => {
  it('SetColumnComment restates the whole column on MySQL, from the column itself', () => {
    const movies = new Table('movies', new MetaData(), {
      id: column(t.Integer(), { primaryKey: true }),
      title: column(t.String(100), { nullable: false, serverDefault: 'untitled' }),
    });
    const element = new SetColumnComment(movies.c.title, 'the title');
    expect(COMPILE_TARGETS.map((target) => dialectFor(target).compileDdl(element))).to.deep.equal([
      [],
      ["COMMENT ON COLUMN movies.title IS 'the title'"],
      ["ALTER TABLE movies MODIFY title VARCHAR(100) NOT NULL DEFAULT 'untitled' COMMENT 'the title'"],
      ["ALTER TABLE movies MODIFY title VARCHAR(100) NOT NULL DEFAULT 'untitled' COMMENT 'the title'"],
    ]);
    expect(dialectFor('mysql').compileDdl(new SetColumnComment(movies.c.id, null))).to.deep.equal([
      'ALTER TABLE movies MODIFY id INTEGER NOT NULL AUTO_INCREMENT',
    ]);
  });

  it('SQLite compiles only a rename of ALTER COLUMN, naming what it cannot do', () => {
    const element = new AlterColumn({ name: 'movies', schema: null }, 'title', { nullable: false, type: t.Text() });
    expect(() => getDialect('sqlite').compileDdl(element)).to.throw(/SQLite cannot ALTER COLUMN "movies"."title" \(nullable, type\)/);
  });
});

describe('operations: call order and forgotten awaits', () => {
  it('runs un-awaited calls in call order', async () => {
    const lines = await runOffline(getDialect('postgresql'), async () => {
      void op.addColumn('a', 'x', column(t.Integer()));
      void op.execute('SELECT 1');
      void op.dropColumn('a', 'x');
    });
    expect(lines).to.deep.equal(['ALTER TABLE a ADD COLUMN x INTEGER', 'SELECT 1', 'ALTER TABLE a DROP COLUMN x']);
  });

  it('fails the migration when an un-awaited call fails, and skips the calls queued behind it', async () => {
    const dialect = getDialect('mysql');
    let error: unknown;
    let lines: string[] = [];
    const executor = new CollectingExecutor(dialect);
    try {
      await runMigrationWork(executor, async () => {
        void op.execute('SELECT 1');
        void op.dropIndex('ix_without_table');
        void op.execute('SELECT 2');
      });
    } catch (e) {
      error = e;
    }
    lines = executor.lines;
    expect(String(error)).to.match(/MySQL drops an index with its table/);
    expect(lines).to.deep.equal(['SELECT 1']);
  });

  it('lets a migration catch an awaited failure and go on', async () => {
    const lines = await runOffline(getDialect('mysql'), async () => {
      try {
        await op.dropIndex('ix_without_table');
      } catch {
        // deliberately ignored
      }
      await op.execute('SELECT 2');
    });
    expect(lines).to.deep.equal(['SELECT 2']);
  });

  it('runs op calls made inside a batch callback at once, in order', async () => {
    const lines = await runOffline(getDialect('postgresql'), () =>
      op.batchAlterTable('a', async (batch) => {
        await op.execute('SELECT 1');
        batch.addColumn('x', column(t.Integer()));
      }),
    );
    expect(lines).to.deep.equal(['SELECT 1', 'ALTER TABLE a ADD COLUMN x INTEGER']);
  });

  it('runs op calls of an un-awaited batch callback after the migration returned, as part of the batch', async () => {
    const lines = await runOffline(getDialect('postgresql'), async () => {
      void op.batchAlterTable('a', async (batch) => {
        await new Promise((resolve) => setImmediate(resolve));
        await op.execute('SELECT 1');
        batch.addColumn('x', column(t.Integer()));
      });
    });
    expect(lines).to.deep.equal(['SELECT 1', 'ALTER TABLE a ADD COLUMN x INTEGER']);
  });

  it('gives each of two migrations running at once in one process its own executor', async () => {
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { open, opened };
    };
    const first = COMPILE_TARGETS[0]!;
    const second = COMPILE_TARGETS[1]!;
    const secondStarted = gate();
    const firstWent = gate();
    const one = runOffline(dialectFor(first), async () => {
      await op.execute("SELECT 'one 1'");
      await secondStarted.opened;
      await op.execute("SELECT 'one 2'");
      expect(op.getContext().dialect.name).to.equal(dialectFor(first).name);
      firstWent.open();
    });
    const two = runOffline(dialectFor(second), async () => {
      secondStarted.open();
      await op.execute("SELECT 'two 1'");
      await firstWent.opened;
      await op.execute("SELECT 'two 2'");
      expect(op.getContext().dialect.name).to.equal(dialectFor(second).name);
    });
    expect(await one).to.deep.equal(["SELECT 'one 1'", "SELECT 'one 2'"]);
    expect(await two).to.deep.equal(["SELECT 'two 1'", "SELECT 'two 2'"]);
  });

  it('gives a migration run from inside another one its own executor, and the outer one its own back', async () => {
    for (const target of COMPILE_TARGETS) {
      let inner: string[] = [];
      const outer = await runOffline(dialectFor(target), async () => {
        await op.execute("SELECT 'outer 1'");
        inner = await runOffline(dialectFor(target), async () => {
          await op.execute("SELECT 'inner'");
        });
        await op.execute("SELECT 'outer 2'");
      });
      expect(outer, target).to.deep.equal(["SELECT 'outer 1'", "SELECT 'outer 2'"]);
      expect(inner, target).to.deep.equal(["SELECT 'inner'"]);
    }
  });

  it('says where op may be used when no migration runs', async () => {
    expect(() => op.addColumn('a', 'x', column(t.Integer()))).to.throw(/op\.\* can only be used inside upgrade\(\) or downgrade\(\)/);
    expect(() => op.getContext()).to.throw(/op\.\* can only be used inside upgrade\(\) or downgrade\(\)/);
  });

  it('getContext() names the running migration\'s dialect and says it is offline', async () => {
    for (const target of COMPILE_TARGETS) {
      let seen: { name: string; offline: boolean } | null = null;
      await runOffline(dialectFor(target), async () => {
        const { dialect, offline } = op.getContext();
        seen = { name: dialect.name, offline };
      });
      expect(seen, target).to.deep.equal({ name: target === 'mariadb' ? 'mysql' : target, offline: true });
    }
  });
});

describe('operations: reverse()', () => {
  it('pairs each operation with its inverse, swapping modify and existing hints', () => {
    const add = new AddColumnOp({ tableName: 'm', columnName: 'c', column: column(t.Integer()), schema: null });
    const drop = add.reverse();
    expect(drop).to.be.instanceOf(DropColumnOp);
    expect(drop.reverse()).to.deep.include({ tableName: 'm', columnName: 'c' });
    expect(() => new DropColumnOp({ tableName: 'm', columnName: 'c', schema: null }).reverse()).to.throw(/DropColumnOp cannot be reversed/);

    const alter = new AlterColumnOp({
      tableName: 'm',
      columnName: 'c',
      schema: null,
      modifyNullable: false,
      existingNullable: true,
      modifyName: 'd',
      modifyType: t.BigInteger(),
      existingType: t.Integer(),
      existingServerDefault: '1',
    });
    expect({ ...alter.reverse() }).to.deep.equal({
      kind: 'AlterColumnOp',
      tableName: 'm',
      columnName: 'd',
      schema: null,
      modifyNullable: true,
      existingNullable: false,
      modifyName: 'c',
      modifyType: t.Integer(),
      existingType: t.BigInteger(),
      existingServerDefault: '1',
    });
    expect(() => new AlterColumnOp({ tableName: 'm', columnName: 'c', schema: null, modifyNullable: false }).reverse()).to.throw(
      /changes nullable but its existingNullable is not given/,
    );

    const rename = new RenameTableOp({ tableName: 'a', newTableName: 'b', schema: 's' }).reverse();
    expect({ ...rename }).to.deep.equal({ kind: 'RenameTableOp', tableName: 'b', newTableName: 'a', schema: 's' });

    const index = new CreateIndexOp({ indexName: 'ix', tableName: 'm', columns: ['c'], schema: null, unique: true });
    expect(index.reverse()).to.be.instanceOf(DropIndexOp);
    expect(index.reverse().reverse()).to.deep.include({ indexName: 'ix', unique: true });

    const fk = new CreateForeignKeyOp({ constraintName: 'fk', sourceTable: 'm', referentTable: 'p', localColumns: ['p_id'], remoteColumns: ['id'], sourceSchema: null, referentSchema: null });
    const dropFk = fk.reverse();
    expect(dropFk).to.be.instanceOf(DropConstraintOp);
    expect(dropFk).to.deep.include({ constraintName: 'fk', tableName: 'm', type: 'foreignkey' });
    expect(dropFk.reverse()).to.equal(fk);

    const comment = new CreateTableCommentOp({ tableName: 'm', comment: 'new', schema: null, existingComment: 'old' });
    expect(comment.reverse()).to.deep.include({ comment: 'old', existingComment: 'new' });
    expect(new CreateTableCommentOp({ tableName: 'm', comment: 'new', schema: null }).reverse()).to.be.instanceOf(DropTableCommentOp);

    const create = new CreateTableOp({ definition: { name: 'm', schema: null, comment: null, columns: [], constraints: [], indexes: [] } });
    expect(create.reverse()).to.be.instanceOf(DropTableOp);
    expect(create.reverse().reverse()).to.be.instanceOf(CreateTableOp);
    expect(() => new DropTableOp({ tableName: 'm', schema: null }).reverse()).to.throw(/DropTableOp cannot be reversed/);

    const batch = new BatchAlterTableOp({ tableName: 'm', schema: null, recreate: 'auto', copyFrom: null, ops: [add, alter] });
    expect(batch.reverse().ops.map((o) => o.kind)).to.deep.equal(['AlterColumnOp', 'DropColumnOp']);
  });

  it('keeps op data plain: text() conditions and expressions are kept as given', () => {
    const condition = text('a > 1');
    expect(condition.text).to.equal('a > 1');
  });
});
