/**
 * Every operation run against the real databases, asserting the reflected schema (and rows) afterwards.
 * Operations run as a migration would: inside `runMigrationWork`, on a connection in a transaction,
 * through the small executor of test/helpers/migration-executors.ts.
 */
import { expect } from 'chai';
import { type Engine, createEngine } from '../../src/engine/index.js';
import { op } from '../../src/migrate/operations/operations.js';
import { column } from '../../src/schema/column.js';
import { CheckConstraint, foreignKey } from '../../src/schema/constraints.js';
import { MetaData } from '../../src/schema/metadata.js';
import type { ReflectedTable } from '../../src/schema/reflected.js';
import { Table } from '../../src/schema/table.js';
import { func } from '../../src/sql/elements/functions.js';
import { literalColumn, text } from '../../src/sql/elements/text.js';
import { select } from '../../src/sql/statements/select.js';
import { update } from '../../src/sql/statements/update.js';
import { t } from '../../src/types/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { runOnline } from '../helpers/migration-executors.js';

/** Children first, so each DROP succeeds where foreign keys are enforced. */
const TABLES = ['opsx_reviews', 'opsx_movies', 'opsx_films', 'opsx_directors', 'opsx_people', 'opsx_tags'];

forEachDialect('operations online', (dialect) => {
  let engine: Engine;
  const comments = dialect.name !== 'sqlite';

  before(() => {
    engine = createEngine(dialect.url);
  });

  after(async () => {
    await cleanup();
    await engine.dispose();
  });

  beforeEach(cleanup);

  async function cleanup(): Promise<void> {
    await engine.connect(async (conn) => {
      for (const table of TABLES) {
        await conn.execute(text(`DROP TABLE IF EXISTS ${table}${dialect.name === 'postgresql' ? ' CASCADE' : ''}`));
      }
      if (dialect.name === 'postgresql') await conn.execute(text('DROP TYPE IF EXISTS opsx_mood'));
      await conn.commit();
    });
  }

  async function reflect(name: string): Promise<ReflectedTable> {
    const table = (await engine.reflectSchema()).tables.find((t) => t.name === name);
    expect(table, `table ${name}`).to.not.equal(undefined);
    return table!;
  }

  async function tableNames(): Promise<string[]> {
    return (await engine.reflectSchema()).tables.map((t) => t.name).filter((n) => n.startsWith('opsx_'));
  }

  async function rows(sql: string): Promise<Record<string, unknown>[]> {
    return engine.connect(async (conn) => (await conn.execute(text(sql))).mappings().all() as Record<string, unknown>[]);
  }

  async function count(table: string): Promise<number> {
    const [row] = await rows(`SELECT count(*) AS n FROM ${table}`);
    return Number(row!.n);
  }

  const userIndexes = (table: ReflectedTable) => table.indexes.filter((ix) => !ix.implicit);

  async function directorsAndMovies(): Promise<void> {
    await runOnline(engine, async () => {
      const directors = await op.createTable('opsx_directors', {
        id: column(t.Integer(), { primaryKey: true }),
        name: column(t.String(50), { nullable: false }),
      });
      await op.bulkInsert(directors, [
        { id: 1, name: 'Scott' },
        { id: 2, name: 'Mann' },
      ]);
      const movies = await op.createTable(
        'opsx_movies',
        {
          id: column(t.Integer(), { primaryKey: true }),
          title: column(t.String(100), { nullable: false, unique: true }),
          year: column(t.Integer(), { index: true }),
          directorId: column(t.Integer(), { name: 'director_id', foreignKey: foreignKey('opsx_directors.id', { onDelete: 'CASCADE' }) }),
        },
        { comment: 'films' },
      );
      await op.bulkInsert(movies, [
        { id: 1, title: 'Alien', year: 1979, directorId: 1 },
        { id: 2, title: 'Heat', year: 1995, directorId: 2 },
        { id: 3, title: 'Blade Runner', year: 1982, directorId: 1 },
      ]);
    });
  }

  it('createTable with constraints, an index and a comment; bulkInsert into the returned Table', async () => {
    await directorsAndMovies();
    const movies = await reflect('opsx_movies');
    expect(movies.columns.map((c) => [c.name, c.nullable])).to.deep.equal([
      ['id', false],
      ['title', false],
      ['year', true],
      ['director_id', true],
    ]);
    expect(movies.primaryKey?.columns).to.deep.equal(['id']);
    expect(movies.uniqueConstraints.map((u) => u.columns)).to.deep.equal([['title']]);
    expect(movies.foreignKeys.map((fk) => [fk.columns, fk.referredTable, fk.referredColumns, fk.onDelete])).to.deep.equal([
      [['director_id'], 'opsx_directors', ['id'], 'CASCADE'],
    ]);
    expect(userIndexes(movies).map((ix) => [ix.name, ix.columns])).to.deep.include(['ix_opsx_movies_year', ['year']]);
    expect(movies.comment).to.equal(comments ? 'films' : null);
    expect(await count('opsx_movies')).to.equal(3);
  });

  it('addColumn with a default, a foreign key and an index; dropColumn', async () => {
    await directorsAndMovies();
    await runOnline(engine, async () => {
      await op.addColumn('opsx_movies', 'rating', column(t.Integer(), { serverDefault: '5', nullable: false }));
      await op.addColumn('opsx_movies', 'mentor_id', column(t.Integer(), { foreignKey: 'opsx_directors.id', index: true }));
      await op.dropColumn('opsx_movies', 'year');
    });
    const movies = await reflect('opsx_movies');
    expect(movies.columns.map((c) => c.name)).to.deep.equal(['id', 'title', 'director_id', 'rating', 'mentor_id']);
    expect(movies.columns.find((c) => c.name === 'rating')!.nullable).to.equal(false);
    expect(movies.columns.find((c) => c.name === 'rating')!.default).to.match(/5/);
    expect(movies.foreignKeys.map((fk) => fk.columns[0]).sort()).to.deep.equal(['director_id', 'mentor_id']);
    expect(userIndexes(movies).map((ix) => ix.name)).to.include('ix_opsx_movies_mentor_id');
    expect(await rows('SELECT rating FROM opsx_movies WHERE id = 1')).to.deep.equal([{ rating: 5 }]);
  });

  it('alterColumn: nullability, type, default, comment and name', async () => {
    await directorsAndMovies();
    await runOnline(engine, async () => {
      await op.alterColumn('opsx_movies', 'year', { nullable: false, existingType: t.Integer() });
      await op.alterColumn('opsx_movies', 'title', { type: t.String(200), existingNullable: false });
      await op.alterColumn('opsx_movies', 'year', { serverDefault: '2000' });
      await op.alterColumn('opsx_movies', 'title', { comment: 'the title', existingType: t.String(200), existingNullable: false });
      await op.alterColumn('opsx_movies', 'year', { newName: 'released' });
    });
    const movies = await reflect('opsx_movies');
    const col = (name: string) => movies.columns.find((c) => c.name === name)!;
    expect(movies.columns.map((c) => c.name)).to.deep.equal(['id', 'title', 'released', 'director_id']);
    expect(col('released').nullable).to.equal(false);
    expect(col('released').default).to.match(/2000/);
    expect(String(col('title').type)).to.equal('String(200)');
    expect(col('title').nullable).to.equal(false);
    expect(col('title').comment).to.equal(comments ? 'the title' : null);
    expect(await rows('SELECT title, released FROM opsx_movies WHERE id = 2')).to.deep.equal([{ title: 'Heat', released: 1995 }]);
    // The index on the renamed column follows it.
    expect(userIndexes(movies).find((ix) => ix.name === 'ix_opsx_movies_year')?.columns).to.deep.equal(['released']);
  });

  it('createIndex (unique, expression) and dropIndex', async () => {
    await directorsAndMovies();
    await runOnline(engine, async () => {
      await op.createIndex('ix_opsx_movies_dir_year', 'opsx_movies', ['director_id', 'year'], { unique: true });
      if (engine.dialect.capabilities.expressionIndexes) {
        await op.createIndex('ix_opsx_movies_lower', 'opsx_movies', [func.lower(literalColumn('title'))]);
      }
      await op.dropIndex('ix_opsx_movies_year', { table: 'opsx_movies' });
    });
    const movies = await reflect('opsx_movies');
    const indexes = userIndexes(movies);
    // MySQL reports a UNIQUE index as a unique constraint (the same object there).
    const unique = [...indexes.filter((ix) => ix.unique), ...movies.uniqueConstraints].find((ix) => ix.name === 'ix_opsx_movies_dir_year');
    expect(unique?.columns).to.deep.equal(['director_id', 'year']);
    expect(indexes.map((ix) => ix.name)).to.not.include('ix_opsx_movies_year');
    if (engine.dialect.capabilities.expressionIndexes) {
      expect(indexes.find((ix) => ix.name === 'ix_opsx_movies_lower')?.columns).to.deep.equal([null]);
    }
  });

  it('creates and drops primary key, unique, foreign key and check constraints', async () => {
    await runOnline(engine, async () => {
      await op.createTable('opsx_people', { id: column(t.Integer(), { nullable: false, autoincrement: false }), email: column(t.String(100)) });
      await op.createTable('opsx_reviews', { person_id: column(t.Integer()), stars: column(t.Integer()) });
      await op.execute("INSERT INTO opsx_people (id, email) VALUES (1, 'a@b.c')");
      await op.execute('INSERT INTO opsx_reviews (person_id, stars) VALUES (1, 4)');
      await op.createPrimaryKey('pk_opsx_people', 'opsx_people', ['id']);
      await op.createUniqueConstraint('uq_opsx_people_email', 'opsx_people', ['email']);
      await op.createForeignKey('fk_opsx_reviews_person', 'opsx_reviews', 'opsx_people', ['person_id'], ['id'], { onDelete: 'CASCADE' });
      await op.createCheckConstraint('ck_opsx_reviews_stars', 'opsx_reviews', 'stars BETWEEN 1 AND 5');
    });
    const people = await reflect('opsx_people');
    const reviews = await reflect('opsx_reviews');
    expect(people.primaryKey?.columns).to.deep.equal(['id']);
    expect(people.uniqueConstraints).to.deep.equal([{ name: 'uq_opsx_people_email', columns: ['email'] }]);
    expect(reviews.foreignKeys.map((fk) => [fk.name, fk.referredTable, fk.onDelete])).to.deep.equal([['fk_opsx_reviews_person', 'opsx_people', 'CASCADE']]);
    expect(reviews.checkConstraints.map((c) => c.name)).to.deep.equal(['ck_opsx_reviews_stars']);
    expect(await count('opsx_reviews')).to.equal(1);

    await runOnline(engine, async () => {
      await op.dropConstraint('ck_opsx_reviews_stars', 'opsx_reviews', { type: 'check' });
      await op.dropConstraint('fk_opsx_reviews_person', 'opsx_reviews', { type: 'foreignkey' });
      await op.dropConstraint('uq_opsx_people_email', 'opsx_people', { type: 'unique' });
      await op.dropConstraint('pk_opsx_people', 'opsx_people', { type: 'primary' });
    });
    const people2 = await reflect('opsx_people');
    const reviews2 = await reflect('opsx_reviews');
    expect(people2.primaryKey?.columns ?? []).to.deep.equal([]);
    expect(people2.uniqueConstraints).to.deep.equal([]);
    expect(reviews2.foreignKeys).to.deep.equal([]);
    expect(reviews2.checkConstraints).to.deep.equal([]);
    expect(await rows('SELECT stars FROM opsx_reviews')).to.deep.equal([{ stars: 4 }]);
  });

  it('renameTable and table comments', async () => {
    await directorsAndMovies();
    await runOnline(engine, async () => {
      await op.renameTable('opsx_movies', 'opsx_films');
      await op.createTableComment('opsx_directors', 'who made it');
    });
    expect(await tableNames()).to.have.members(['opsx_directors', 'opsx_films']);
    expect((await reflect('opsx_directors')).comment).to.equal(comments ? 'who made it' : null);
    expect((await reflect('opsx_films')).foreignKeys.map((fk) => fk.referredTable)).to.deep.equal(['opsx_directors']);
    await runOnline(engine, () => op.dropTableComment('opsx_directors'));
    expect((await reflect('opsx_directors')).comment).to.equal(null);
    await runOnline(engine, () => op.dropTable('opsx_films'));
    expect(await tableNames()).to.deep.equal(['opsx_directors']);
  });

  it('execute with parameters and statements; inlineLiteral; getBind reads rows', async () => {
    await directorsAndMovies();
    const movies = new Table('opsx_movies', new MetaData(), { id: column(t.Integer(), { primaryKey: true }), title: column(t.String(100)) });
    const titles = await runOnline(engine, async () => {
      await op.execute('UPDATE opsx_movies SET year = :y WHERE id = :id', { y: 1980, id: 1 });
      await op.execute(update(movies).values({ title: op.inlineLiteral("Alien's") }).where(movies.c.id.eq(1)));
      return (await op.getBind().execute(select(movies.c.title).where(movies.c.id.eq(1)))).scalars().all();
    });
    expect(titles).to.deep.equal(["Alien's"]);
    expect(await rows('SELECT year FROM opsx_movies WHERE id = 1')).to.deep.equal([{ year: 1980 }]);
  });

  it('batchAlterTable: the same result on every dialect (one rebuild on SQLite)', async () => {
    await directorsAndMovies();
    await runOnline(engine, () =>
      op.batchAlterTable('opsx_movies', (batch) => {
        batch.addColumn('rating', column(t.Float()));
        batch.alterColumn('title', { type: t.String(150), existingNullable: false });
        batch.createCheckConstraint('ck_opsx_movies_year', 'year > 1888');
        batch.dropIndex('ix_opsx_movies_year');
      }),
    );
    const movies = await reflect('opsx_movies');
    expect(movies.columns.map((c) => [c.name, c.nullable])).to.deep.equal([
      ['id', false],
      ['title', false],
      ['year', true],
      ['director_id', true],
      ['rating', true],
    ]);
    expect(String(movies.columns[1]!.type)).to.equal('String(150)');
    expect(movies.checkConstraints.map((c) => c.name)).to.deep.equal(['ck_opsx_movies_year']);
    expect(userIndexes(movies).map((ix) => ix.name)).to.not.include('ix_opsx_movies_year');
    expect(await count('opsx_movies')).to.equal(3);
  });

  it("batchAlterTable: a column renamed, then the table rebuilt: its CHECK names the new column and still holds", async () => {
    await runOnline(engine, () =>
      op.createTable('opsx_reviews', { id: column(t.Integer(), { primaryKey: true }), stars: column(t.Integer()) }, { constraints: () => [new CheckConstraint('stars >= 0', { name: 'ck_opsx_reviews_stars' })] }),
    );
    await runOnline(engine, () =>
      op.batchAlterTable('opsx_reviews', (batch) => {
        batch.alterColumn('stars', { newName: 'score', existingType: t.Integer() });
        // SQLite rebuilds the table for this one, after the rename.
        batch.alterColumn('score', { nullable: false, existingType: t.Integer() });
      }),
    );
    const reviews = await reflect('opsx_reviews');
    expect(reviews.columns.map((c) => c.name)).to.deep.equal(['id', 'score']);
    expect(reviews.checkConstraints.map((c) => c.sqltext.replace(/[()`"]/g, ''))).to.deep.equal(['score >= 0']);
    let refused: unknown = null;
    await engine.connect((conn) => conn.execute(text('INSERT INTO opsx_reviews (id, score) VALUES (1, -1)'))).catch((e: unknown) => (refused = e));
    expect(String(refused)).to.match(/CHECK|check|ck_opsx_reviews_stars/);
  });

  if (dialect.name === 'postgresql') {
    it('creates an index CONCURRENTLY outside the transaction', async () => {
      await directorsAndMovies();
      const log = await runOnline(engine, async (executor) => {
        await op.createIndex('ix_opsx_movies_title_c', 'opsx_movies', ['title'], { concurrently: true });
        await op.dropIndex('ix_opsx_movies_title_c', { concurrently: true });
        await op.createIndex('ix_opsx_movies_title_c', 'opsx_movies', ['title'], { concurrently: true });
        return executor.log;
      });
      expect(log.slice(0, 4)).to.deep.equal(['BEGIN', 'COMMIT', 'CREATE INDEX CONCURRENTLY ix_opsx_movies_title_c ON opsx_movies (title)', 'BEGIN']);
      expect(userIndexes(await reflect('opsx_movies')).map((ix) => ix.name)).to.include('ix_opsx_movies_title_c');
    });

    it('creates a named enum type with the column that first needs it and drops it with the last', async () => {
      await directorsAndMovies();
      const mood = t.Enum(['good', 'bad'], { name: 'opsx_mood' });
      await runOnline(engine, async () => {
        await op.addColumn('opsx_movies', 'mood', column(mood));
        await op.addColumn('opsx_directors', 'mood', column(mood));
      });
      expect((await engine.reflectSchema()).enums.map((e) => e.name)).to.include('opsx_mood');
      await runOnline(engine, () => op.dropColumn('opsx_movies', 'mood', { existingType: mood }));
      expect((await engine.reflectSchema()).enums.map((e) => e.name)).to.include('opsx_mood');
      await runOnline(engine, () => op.dropColumn('opsx_directors', 'mood', { existingType: mood }));
      expect((await engine.reflectSchema()).enums.map((e) => e.name)).to.not.include('opsx_mood');
    });

    it('rolls the whole migration back when an operation fails (transactional DDL)', async () => {
      await directorsAndMovies();
      let error: unknown;
      try {
        await runOnline(engine, async () => {
          void op.addColumn('opsx_movies', 'extra', column(t.Integer()));
          void op.addColumn('opsx_movies', 'extra', column(t.Integer()));
        });
      } catch (e) {
        error = e;
      }
      expect((error as Error).name).to.equal('ProgrammingError');
      expect((await reflect('opsx_movies')).columns.map((c) => c.name)).to.not.include('extra');
    });
  }
});
