/**
 * The legacy `session.query()` facade beyond the tutorial's examples (seed001-orm.test.ts twins those):
 * it builds the same `select()` a 2.0 query would, joins along foreign keys or given ON clauses,
 * `filterBy` after a join, LIMIT/OFFSET/slice composition, `get`, `count`, `scalar`, `fromStatement`
 * with a select or text, subqueries, EXISTS, aliases, options, and immutability.
 */
import { expect } from 'chai';
import {
  ArgumentError,
  InvalidRequestError,
  MultipleResultsFoundError,
  Select,
  aliased,
  func,
  select,
  text,
} from '../../src/index.js';
import { SELECT_OPTION, type SelectOption } from '../../src/sql/joinable.js';
import { Director, Film, useDirectorFilmSession } from '../fixtures/orm-directors.js';
import { forEachDialect } from '../helpers/dialects.js';

const D = Director.c;
const F = Film.c;

forEachDialect('orm: legacy query()', (dialect) => {
  const db = useDirectorFilmSession(dialect.url);

  describe('a thin layer over select()', () => {
    it('query.statement is the select a 2.0 query would build', () => {
      const legacy = db.session.query(Film).filter(F.year.ge(2000)).filterBy({ directorId: 2 }).orderBy(F.title).limit(2).offset(1);
      const modern = select(Film).where(F.year.ge(2000), F.directorId.eq(2)).orderBy(F.title).limit(2).offset(1);
      expect(legacy.statement).to.be.instanceOf(Select);
      expect(String(legacy.statement)).to.equal(String(modern));
    });

    it('each method returns a new query and leaves the old one as it was', async () => {
      const all = db.session.query(Film);
      const recent = all.filter(F.year.gt(2005));
      expect(await all.count()).to.equal(6);
      expect(await recent.count()).to.equal(2);
    });

    it('query() with nothing to select is an ArgumentError', () => {
      expect(() => (db.session.query as (...items: never[]) => unknown)()).to.throw(ArgumentError, 'query() needs at least one model or column');
    });
  });

  describe('join / outerJoin', () => {
    it('join(Model) follows the foreign key; filterBy() then applies to the joined model', async () => {
      const films = await db.session.query(Film).join(Director).filterBy({ name: 'Christopher Nolan' }).orderBy(F.year).all();
      expect(films.map(String)).to.deep.equal(['Film(3, "Memento")', 'Film(4, "Inception")', 'Film(5, "Interstellar")']);
      const directors = await db.session.query(Director).join(Film).filter(F.year.eq(2000)).orderBy(D.id).all();
      expect(directors.map(String)).to.deep.equal(['Director(1, "Ridley Scott")', 'Director(2, "Christopher Nolan")']);
    });

    it('join(table) of a plain Table follows the foreign key too', async () => {
      const titles = await db.session.query(F.title).join(Director.table).filter(D.name.eq('Ridley Scott')).orderBy(F.id).all();
      expect(titles.map(([t]) => t)).to.deep.equal(['Alien', 'Gladiator']);
    });

    it('join(target, on) with an explicit ON clause', async () => {
      const rows = await db.session.query(F.title, D.name).join(Director, D.id.eq(F.directorId)).filter(F.year.lt(1980)).orderBy(F.year).all();
      expect(rows.map((r) => [...r])).to.deep.equal([
        ['12 Angry Men', 'Sidney Lumet'],
        ['Alien', 'Ridley Scott'],
      ]);
    });

    it('outerJoin keeps rows without a match', async () => {
      const rows = await db.session.query(D.name, func.count(F.id).label('films')).outerJoin(Film).groupBy(D.name).orderBy(D.name).all();
      expect(rows.map((r) => [r.name, r.films])).to.deep.equal([
        ['Christopher Nolan', 3],
        ['Ridley Scott', 2],
        ['Sergio Leone', 0],
        ['Sidney Lumet', 1],
      ]);
    });

    it('a self-join through an alias', async () => {
      const other = aliased(Film, { name: 'other' });
      const pairs = await db.session
        .query(F.title, other.c.title)
        .join(other, other.c.directorId.eq(F.directorId))
        .filter(F.id.lt(other.c.id))
        .filterBy({ directorId: 1 })
        .all();
      expect(pairs.map((r) => [...r])).to.deep.equal([['Alien', 'Gladiator']]);
    });

    it('a join without ON and without a foreign key is an error naming the tables', () => {
      const other = aliased(Director, { name: 'd2' });
      expect(() => db.session.query(Director).join(other)).to.throw(ArgumentError, /^no foreign key links orm_q_directors/);
    });
  });

  describe('LIMIT, OFFSET, slice', () => {
    const titles = (rows: readonly Film[]) => rows.map((f) => f.title);
    const byId = () => db.session.query(Film).orderBy(F.id);

    it('limit/offset', async () => {
      expect(titles(await byId().limit(2).all())).to.deep.equal(['Alien', 'Gladiator']);
      expect(titles(await byId().limit(2).offset(2).all())).to.deep.equal(['Memento', 'Inception']);
      expect(titles(await byId().offset(4).all())).to.deep.equal(['Interstellar', '12 Angry Men']);
    });

    it('slice(start, stop) is relative to LIMIT/OFFSET already set', async () => {
      expect(titles(await byId().slice(1, 3).all())).to.deep.equal(['Gladiator', 'Memento']);
      expect(titles(await byId().slice(1, 5).slice(1, 2).all())).to.deep.equal(['Memento']);
      expect(titles(await byId().limit(3).slice(2, 10).all())).to.deep.equal(['Memento']);
      expect(titles(await byId().slice(3, 3).all())).to.deep.equal([]);
      expect(() => byId().slice(-1, 2)).to.throw(ArgumentError);
    });

    it('first() adds LIMIT 1 to whatever the query is', async () => {
      expect((await byId().slice(2, 5).first())!.title).to.equal('Memento');
      expect(await byId().filter(F.id.eq(99)).first()).to.equal(null);
    });
  });

  describe('results', () => {
    it('get() reads the identity map first and ignores the criteria', async () => {
      const nolan = await db.session.query(Director).filterBy({ name: 'Christopher Nolan' }).one();
      expect(await db.session.query(Director).filter(D.id.eq(1)).get(2)).to.equal(nolan);
      expect(await db.session.query(Director).get(99)).to.equal(null);
      await expectRejected(db.session.query(Director, D.name).get(1), InvalidRequestError, 'get() needs a query of exactly one model');
    });

    it('a query of one model yields each object once; rows of several items are kept as they are', async () => {
      const joined = db.session.query(Director).join(Film).orderBy(D.id);
      expect((await joined.all()).map(String)).to.deep.equal(['Director(1, "Ridley Scott")', 'Director(2, "Christopher Nolan")', 'Director(4, "Sidney Lumet")']);
      expect(await db.session.query(Director, F.title).join(Film).all()).to.have.length(6);
    });

    it('count() counts the rows of the query as a subquery', async () => {
      expect(await db.session.query(Film).filter(F.year.eq(2000)).count()).to.equal(2);
      expect(await db.session.query(F.directorId).distinct().count()).to.equal(3);
      expect(await db.session.query(Director).join(Film).count()).to.equal(6);
    });

    it('scalar(): the first column of the only row; several rows are an error', async () => {
      expect(await db.session.query(func.max(F.year)).scalar()).to.equal(2014);
      expect(await db.session.query(F.title).filter(F.id.eq(99)).scalar()).to.equal(null);
      await expectRejected(db.session.query(F.title).scalar(), MultipleResultsFoundError, 'Multiple rows were found for oneOrNone()');
    });

    it('groupBy(Model) and having()', async () => {
      const rows = await db.session.query(Director, func.count(F.id).label('n')).join(Film).groupBy(Director).having(func.count(F.id).gt(1)).orderBy(D.id).all();
      expect(rows.map((r) => [String(r[0]), r.n])).to.deep.equal([
        ['Director(1, "Ridley Scott")', 2],
        ['Director(2, "Christopher Nolan")', 3],
      ]);
    });

    it('iterating with for await runs the query', async () => {
      const seen: string[] = [];
      for await (const [title] of db.session.query(F.title).filter(F.year.ge(2010)).orderBy(F.year)) seen.push(title);
      expect(seen).to.deep.equal(['Inception', 'Interstellar']);
    });
  });

  describe('subqueries and EXISTS', () => {
    it('subquery() of a grouped query, joined to a model', async () => {
      const counts = db.session.query(F.directorId, func.count().label('film_count')).groupBy(F.directorId).subquery('counts');
      const rows = await db.session.query(Director, counts.c.film_count).join(counts, counts.c.directorId.eq(D.id)).orderBy(D.id).all();
      expect(rows.map((r) => [r[0].name, r[1]])).to.deep.equal([
        ['Ridley Scott', 2],
        ['Christopher Nolan', 3],
        ['Sidney Lumet', 1],
      ]);
    });

    it('exists() of a correlated query', async () => {
      const hasFilms = db.session.query(Film).filter(F.directorId.eq(D.id)).exists();
      const names = await db.session.query(D.name).filter(hasFilms).orderBy(D.name).all();
      expect(names.map(([n]) => n)).to.deep.equal(['Christopher Nolan', 'Ridley Scott', 'Sidney Lumet']);
    });

    it('statement as an IN list', async () => {
      const nolans = db.session.query(F.id).join(Director).filterBy({ name: 'Christopher Nolan' });
      expect(await db.session.query(Film).filter(F.id.in(nolans.statement)).count()).to.equal(3);
    });
  });

  describe('fromStatement', () => {
    it('a select: its rows load the query\'s model', async () => {
      const films = await db.session.query(Film).fromStatement(select(Film).where(F.year.eq(2000)).orderBy(F.id)).all();
      expect(films.map(String)).to.deep.equal(['Film(2, "Gladiator")', 'Film(3, "Memento")']);
    });

    it('text: columns matched by name in any order, values typed by the model, objects from the identity map', async () => {
      const memento = await db.session.get(Film, 3);
      const films = await db.session
        .query(Film)
        .fromStatement(text('SELECT year, director_id, title, id FROM orm_q_films WHERE year = :year ORDER BY id'))
        .params({ year: 2000 })
        .all();
      expect(films.map(String)).to.deep.equal(['Film(2, "Gladiator")', 'Film(3, "Memento")']);
      expect(films[1]).to.equal(memento);
      expect(films[0]!.directorId).to.equal(1);
    });

    it('text missing a column of the model is an error naming it', async () => {
      await expectRejected(
        db.session.query(Film).fromStatement(text('SELECT id, title FROM orm_q_films')).all(),
        InvalidRequestError,
        /^fromStatement\(\): the statement returns no column "director_id" \(it returns id, title\)$/,
      );
    });

    it('first(), one() and count() on a text query', async () => {
      const q = db.session.query(D.name).fromStatement(text('SELECT name FROM orm_q_directors ORDER BY name'));
      expect([...(await q.first())!]).to.deep.equal(['Christopher Nolan']);
      expect(await q.count()).to.equal(4);
      await expectRejected(q.one(), MultipleResultsFoundError);
      expect(() => q.statement).to.throw(InvalidRequestError);
    });
  });

  describe('options', () => {
    it('options() are handed to the underlying select', () => {
      const option = { [SELECT_OPTION]: true } as SelectOption;
      expect(db.session.query(Director).options(option).statement.state.options).to.deep.equal([option]);
    });
  });
});

async function expectRejected(promise: Promise<unknown>, type: new (...args: never[]) => Error, message?: string | RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').to.be.instanceOf(type);
  if (typeof message === 'string') expect((error as Error).message).to.contain(message);
  else if (message !== undefined) expect((error as Error).message).to.match(message);
}
