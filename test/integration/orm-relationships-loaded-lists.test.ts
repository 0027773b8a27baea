/**
 * Collections as loaders hand them over: a loaded collection keeps the loader's array until it is first
 * read and only then becomes its InstrumentedList, and parents of one key each get their own list. Seen
 * from outside, nothing of that shows: a list first read after the session closed, changed by
 * back-population before it was read, compared, serialized, printed and iterated is the list it always was.
 */
import { inspect } from 'node:util';
import { expect } from 'chai';
import {
  DeclarativeBase,
  type Engine,
  InstrumentedList,
  Session,
  createEngine,
  insert,
  joinedload,
  mapped,
  relationship,
  select,
  selectinload,
  subqueryload,
  t,
} from '../../src/index.js';
import { type MovieModels, defineMovieModels, filmsOf, importFilms, resetMovieTables } from '../fixtures/relationships-movies.js';
import { forEachDialect } from '../helpers/dialects.js';

const NOLAN = filmsOf('Christopher Nolan').map((f) => f.id);

forEachDialect('relationship lists as loaded', (dialect) => {
  let engine: Engine;
  let models: MovieModels;

  before(async () => {
    engine = createEngine(dialect.url);
    models = defineMovieModels();
    await resetMovieTables(engine, models);
    await importFilms(engine, models);
  });
  after(async () => {
    await engine.dropAll(models.Base.metadata);
    await engine.dispose();
  });

  const ids = (objects: Iterable<{ id: number }>) => [...objects].map((o) => o.id);

  for (const [name, option] of [
    ['selectin', () => selectinload(models.Director.movies)],
    ['joined', () => joinedload(models.Director.movies)],
    ['subquery', () => subqueryload(models.Director.movies)],
  ] as const) {
    it(`${name}: a collection first read after the session closed is the full InstrumentedList`, async () => {
      const session = new Session(engine);
      const nolan = await session.scalar(select(models.Director).where(models.Director.c.id.eq(4)).options(option()));
      await session.close();
      const movies = nolan!.movies;
      expect(movies).to.be.instanceOf(InstrumentedList);
      expect(Array.isArray(movies)).to.equal(true);
      expect(ids(movies)).to.deep.equal(NOLAN);
      expect(movies).to.equal(nolan!.movies);
    });
  }

  it('a loaded collection changed by back-population before its first read holds the change, and the flush writes it', async () => {
    const session = new Session(engine);
    try {
      const [nolan, hitchcock] = (await session.scalars(select(models.Director).where(models.Director.c.id.in([4, 21])).options(selectinload(models.Director.movies)).orderBy(models.Director.c.id))).all();
      const psycho = await session.get(models.Movie, 26);
      // Neither director's collection was read yet: moving Psycho goes through both lists unread.
      psycho!.director = nolan!;
      expect(ids(nolan!.movies)).to.deep.equal([...NOLAN, 26]);
      expect(ids(hitchcock!.movies)).to.deep.equal([]);
      await session.flush();
      expect(await session.scalar(select(models.Movie.c.directorId).where(models.Movie.c.id.eq(26)))).to.equal(4);
    } finally {
      await session.rollback();
      await session.close();
    }
  });

  it('compares, serializes, prints and iterates as the plain array of its items', async () => {
    const session = new Session(engine);
    try {
      const nolan = await session.scalar(select(models.Director).where(models.Director.c.id.eq(4)).options(selectinload(models.Director.movies)));
      const movies = nolan!.movies;
      const plain = [...movies];
      expect(movies).to.deep.equal(plain);
      expect(JSON.stringify(movies)).to.equal(JSON.stringify(plain));
      expect(inspect(movies)).to.equal(inspect(plain));
      expect(Object.keys(movies)).to.deep.equal(NOLAN.map((_, i) => String(i)));
      // Iteration sees the list as it is now, whichever way it changed.
      const [first, ...others] = NOLAN;
      const extra = movies[0]!;
      movies.splice(0, 1);
      expect(ids(movies)).to.deep.equal(others);
      expect(Array.from(movies, (m) => m.id)).to.deep.equal(others);
      movies[movies.length] = extra;
      const seen: number[] = [];
      for (const movie of movies) seen.push(movie.id);
      expect(seen).to.deep.equal([...others, first]);
      expect(movies.map((m) => m.id)).to.deep.equal([...others, first]);
    } finally {
      await session.rollback();
      await session.close();
    }
  });

  it('a collection never read is never wrapped, and reading it later still works after a rollback expired it', async () => {
    const session = new Session(engine);
    try {
      const directors = (await session.scalars(select(models.Director).options(selectinload(models.Director.movies)).orderBy(models.Director.c.id))).all();
      expect(directors).to.have.length(33);
      await session.rollback();
      const reloaded = (await session.scalars(select(models.Director).where(models.Director.c.id.eq(4)).options(selectinload(models.Director.movies)))).all();
      expect(ids(reloaded[0]!.movies)).to.deep.equal(NOLAN);
    } finally {
      await session.close();
    }
  });
});

forEachDialect('relationship lists of parents sharing a key', (dialect) => {
  class Base extends DeclarativeBase {}
  class Team extends Base.model('rel_lists_teams', { code: mapped(t.String(8), { primaryKey: true }) }) {}
  class Badge extends Base.model('rel_lists_badges', {
    id: mapped(t.Integer(), { primaryKey: true }),
    teamCode: mapped(t.String(8), { name: 'team_code', foreignKey: 'rel_lists_teams.code' }),
  }) {}
  // People of one team share their badges: the local column is not the parent's primary key.
  class Person extends Base.model('rel_lists_people', {
    id: mapped(t.Integer(), { primaryKey: true }),
    teamCode: mapped(t.String(8), { name: 'team_code', foreignKey: 'rel_lists_teams.code' }),
  }) {
    declare badges: InstrumentedList<Badge>;
    static badges = relationship(() => Badge, { primaryJoin: () => Person.c.teamCode.eq(Badge.c.teamCode as never), foreignKeys: () => [Badge.c.teamCode] });
  }
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.dropAll(Base.metadata);
    await engine.createAll(Base.metadata);
    await engine.begin(async (conn) => {
      for (const code of ['red', 'blue']) await conn.execute(insert(Team.table).values({ code }));
      for (const [id, teamCode] of [[1, 'red'], [2, 'red'], [3, 'blue']] as const) {
        await conn.execute(insert(Badge.table).values({ id, teamCode }));
        await conn.execute(insert(Person.table).values({ id, teamCode }));
      }
    });
  });
  after(async () => {
    await engine.dropAll(Base.metadata);
    await engine.dispose();
  });

  it('each parent of a shared key gets its own list of the same objects', async () => {
    const session = new Session(engine);
    try {
      const [ann, bob, cy] = (await session.scalars(select(Person).options(selectinload(Person.badges)).orderBy(Person.c.id))).all();
      expect(ann!.badges.map((b) => b.id)).to.deep.equal([1, 2]);
      expect(bob!.badges.map((b) => b.id)).to.deep.equal([1, 2]);
      expect(cy!.badges.map((b) => b.id)).to.deep.equal([3]);
      expect(ann!.badges).not.to.equal(bob!.badges);
      expect(ann!.badges[0]).to.equal(bob!.badges[0]);
      ann!.badges.remove(ann!.badges[0]!);
      expect(ann!.badges.map((b) => b.id)).to.deep.equal([2]);
      expect(bob!.badges.map((b) => b.id)).to.deep.equal([1, 2]);
    } finally {
      await session.rollback();
      await session.close();
    }
  });
});
