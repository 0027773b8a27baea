/**
 * Relationships without a database first (configuration, in-memory back-population, the collection's
 * bookkeeping, the SQL of relationship expressions), then the same models round-tripped per dialect:
 * forward references across files, aliased entities, one-to-one and self-referential relationships.
 */
import { inspect } from 'node:util';
import { expect } from 'chai';
import {
  ArgumentError,
  DeclarativeBase,
  type Engine,
  InstrumentedList,
  NotLoadedError,
  Session,
  aliased,
  createEngine,
  mapped,
  relationship,
  select,
  t,
} from '../../src/index.js';
import { Author } from '../fixtures/relationships-forward-author.js';
import { ForwardBase } from '../fixtures/relationships-forward-base.js';
import { Book } from '../fixtures/relationships-forward-book.js';
import { defineMovieModels, importFilms, resetMovieTables } from '../fixtures/relationships-movies.js';
import { forEachDialect } from '../helpers/dialects.js';

const strings = (items: Iterable<unknown>) => [...items].map(String);

describe('relationships: configuration', () => {
  it('finds the direction and the join from the foreign keys', () => {
    const { Director, Movie, Genre } = defineMovieModels();
    expect(Director.movies.config.direction).to.equal('oneToMany');
    expect(Movie.director.config.direction).to.equal('manyToOne');
    expect(Movie.genres.config.direction).to.equal('manyToMany');
    expect(Genre.movies.config.uselist).to.equal(true);
    expect(Movie.director.config.uselist).to.equal(false);
  });

  it('names both candidates when two foreign keys could join the tables', () => {
    class Base extends DeclarativeBase {}
    class Person extends Base.model('rel_amb_people', { id: mapped(t.Integer(), { primaryKey: true }) }) {}
    class Film extends Base.model('rel_amb_films', {
      id: mapped(t.Integer(), { primaryKey: true }),
      directorId: mapped(t.Integer(), { name: 'director_id', foreignKey: 'rel_amb_people.id' }),
      producerId: mapped(t.Integer(), { name: 'producer_id', foreignKey: 'rel_amb_people.id' }),
    }) {
      static director = relationship(() => Person);
      static producer = relationship(() => Person, { foreignKeys: () => [Film.c.producerId] });
    }
    expect(() => Film.director.config.direction).to.throw(ArgumentError, /a relationship to Person was used before the model declaring it was seen/);
    void Film.c; // any use of the model's columns (or a select, or an instance) makes it known
    expect(() => Film.director.config.direction).to.throw(
      ArgumentError,
      'Film.director: 2 foreign keys could join rel_amb_films and rel_amb_people (rel_amb_films.director_id -> rel_amb_people.id; rel_amb_films.producer_id -> rel_amb_people.id); pass foreignKeys',
    );
    expect(Film.producer.config.condition.local.map((c) => c.name)).to.deep.equal(['producer_id']);
  });

  it('reports a missing foreign key, a wrong backPopulates and a misplaced delete-orphan', () => {
    class Base extends DeclarativeBase {}
    class A extends Base.model('rel_cfg_a', { id: mapped(t.Integer(), { primaryKey: true }) }) {
      static bs = relationship(() => B, { backPopulates: 'nothing' });
    }
    class B extends Base.model('rel_cfg_b', {
      id: mapped(t.Integer(), { primaryKey: true }),
      aId: mapped(t.Integer(), { name: 'a_id', foreignKey: 'rel_cfg_a.id' }),
    }) {
      static a = relationship(() => A, { cascade: 'all, delete-orphan' });
      static other = relationship(() => C);
      static bad = relationship(() => A, { cascade: 'everything' });
    }
    class C extends Base.model('rel_cfg_c', { id: mapped(t.Integer(), { primaryKey: true }) }) {}
    expect(() => A.bs.config.reverse).to.throw(ArgumentError, 'A.bs: backPopulates names "nothing", which is not a relationship of B');
    expect(() => B.a.config.cascade).to.throw(ArgumentError, 'B.a: delete-orphan cascade belongs on the one-to-many side');
    expect(() => B.other.config.direction).to.throw(ArgumentError, 'B.other: no foreign key links rel_cfg_b and rel_cfg_c');
    expect(() => B.bad.config.cascade).to.throw(ArgumentError, /unknown cascade "everything"/);
  });

  it('resolves a relationship declared across two files that import each other', () => {
    expect(Author.books.config.target.cls).to.equal(Book);
    expect(Book.author.config.reverse).to.equal(Author.books.config);
    const author = new Author({ name: 'Ursula' });
    const book = new Book({ title: 'The Dispossessed', author });
    expect(author.books).to.deep.equal([book]);
  });

  it('refuses a class field that would hide the relationship', async () => {
    class Base extends DeclarativeBase {}
    class P extends Base.model('rel_field_p', { id: mapped(t.Integer(), { primaryKey: true }) }) {
      children: Q[] = [];
      static children = relationship(() => Q);
    }
    class Q extends Base.model('rel_field_q', {
      id: mapped(t.Integer(), { primaryKey: true }),
      pId: mapped(t.Integer(), { name: 'p_id', foreignKey: 'rel_field_p.id' }),
    }) {}
    const session = new Session(createEngine('sqlite:///:memory:'));
    expect(() => session.add(new P())).to.throw(ArgumentError, /declare children: \.\.\./);
    void Q;
    await session.close();
    await session.engine.dispose();
  });
});

describe('relationships: in memory', () => {
  const { Director, Movie, Genre } = defineMovieModels();
  // In memory only: the NOT NULL columns the types ask for are not needed here.
  const movie = (title: string) => new Movie({ title } as never);

  it('a new object has empty collections and a null many-to-one', () => {
    const d = new Director({ name: 'x' });
    expect(d.movies).to.be.instanceOf(InstrumentedList);
    expect(d.movies).to.have.length(0);
    expect(new Movie().director).to.equal(null);
  });

  it('director.movies.push(movie) sets movie.director, and the other way round', () => {
    const nolan = new Director({ name: 'Christopher Nolan' });
    const inception = movie('Inception');
    nolan.movies.push(inception);
    expect(inception.director).to.equal(nolan);
    const memento = movie('Memento');
    memento.director = nolan;
    expect(nolan.movies).to.deep.equal([inception, memento]);
    memento.director = nolan; // setting the same value again changes nothing
    expect(nolan.movies).to.have.length(2);
  });

  it('moving a movie to another director removes it from the first', () => {
    const a = new Director({ name: 'a' });
    const b = new Director({ name: 'b' });
    const m = movie('m');
    a.movies.push(m);
    b.movies.push(m);
    expect(a.movies).to.deep.equal([]);
    expect(b.movies).to.deep.equal([m]);
    expect(m.director).to.equal(b);
    m.director = a;
    expect(b.movies).to.deep.equal([]);
    expect(a.movies).to.deep.equal([m]);
    m.director = null;
    expect(a.movies).to.deep.equal([]);
  });

  it('every way of changing a list reports to the other side', () => {
    const d = new Director({ name: 'd' });
    const [m1, m2, m3, m4] = [movie('1'), movie('2'), movie('3'), movie('4')];
    d.movies.push(m1, m2, m3);
    d.movies[1] = m4;
    expect(m2.director).to.equal(null);
    expect(m4.director).to.equal(d);
    d.movies.splice(0, 1);
    expect(m1.director).to.equal(null);
    d.movies.length = 1;
    expect(m3.director).to.equal(null);
    expect(d.movies).to.deep.equal([m4]);
    expect(d.movies.remove(m1)).to.equal(false);
    d.movies.unshift(m1);
    expect(d.movies.pop()).to.equal(m4);
    expect(d.movies.shift()).to.equal(m1);
    expect([m1, m4].map((m) => m.director)).to.deep.equal([null, null]);
    d.movies = [m2, m3];
    expect([m2, m3].map((m) => m.director)).to.deep.equal([d, d]);
    d.movies.sort((x, y) => (x.title < y.title ? 1 : -1));
    expect(d.movies.map((m) => m.title)).to.deep.equal(['3', '2']);
    expect(d.movies.map((m) => m.title)).not.to.be.instanceOf(InstrumentedList);
  });

  it('a list prints, serialises and lists its keys as a plain array does', () => {
    const d = new Director({ name: 'd' });
    d.movies.push(movie('1'), movie('2'));
    expect(inspect(d.movies, { depth: 0 })).to.equal(inspect(d.movies.slice(), { depth: 0 }));
    expect(Object.keys(d.movies)).to.deep.equal(['0', '1']);
    expect(JSON.stringify(d.movies)).to.equal(JSON.stringify(d.movies.slice()));
  });

  it('many-to-many: adding or removing on one side updates the other', () => {
    const m = movie('Alien');
    const horror = new Genre({ name: 'Horror' });
    const scifi = new Genre({ name: 'Sci-Fi' });
    m.genres.push(horror);
    scifi.movies.push(m);
    expect(m.genres).to.deep.equal([horror, scifi]);
    expect(horror.movies).to.deep.equal([m]);
    horror.movies.remove(m);
    expect(m.genres).to.deep.equal([scifi]);
    m.genres.remove(scifi);
    expect(scifi.movies).to.deep.equal([]);
  });

  it('rejects objects of the wrong class', () => {
    const d = new Director({ name: 'd' });
    expect(() => d.movies.push(new Genre({ name: 'g' }) as never)).to.throw(ArgumentError, 'Director.movies holds Movie objects, got Genre');
    expect(() => {
      (movie('x') as { director: unknown }).director = new Genre();
    }).to.throw(ArgumentError, /Movie\.director holds Director objects/);
    expect(() => {
      (d as { movies: unknown }).movies = 5;
    }).to.throw(ArgumentError, /is a collection/);
  });
});

describe('relationships: SQL', () => {
  const { Director, Movie, Genre } = defineMovieModels();

  it('joins along relationships, through the association table for many-to-many', () => {
    expect(String(select(Director.c.name).join(Director.movies).join(Movie.genres))).to.equal(
      'SELECT rel_directors.name FROM rel_directors JOIN rel_movies ON rel_directors.id = rel_movies.director_id JOIN rel_movies_genres AS anon_1 ON rel_movies.id = anon_1.movie_id JOIN rel_genres ON rel_genres.id = anon_1.genre_id',
    );
    expect(String(select(Movie.c.title).outerJoin(Movie.director))).to.equal(
      'SELECT rel_movies.title FROM rel_movies LEFT OUTER JOIN rel_directors ON rel_directors.id = rel_movies.director_id',
    );
  });

  it('any(), has(), eq(), ne(), contains() and aliases', () => {
    expect(String(select(Director.c.name).where(Director.movies.any(Movie.c.rating.gt(9))))).to.equal(
      'SELECT rel_directors.name FROM rel_directors WHERE EXISTS (SELECT 1 AS anon_1 FROM rel_movies WHERE rel_directors.id = rel_movies.director_id AND rel_movies.rating > :rating_1)',
    );
    expect(String(select(Movie.c.title).where(Movie.director.has({ name: 'x' })))).to.equal(
      'SELECT rel_movies.title FROM rel_movies WHERE EXISTS (SELECT 1 AS anon_1 FROM rel_directors WHERE rel_directors.id = rel_movies.director_id AND rel_directors.name = :name_1)',
    );
    expect(String(select(Movie.c.title).where(Movie.genres.any({ name: 'Drama' })))).to.match(
      /WHERE EXISTS \(SELECT 1 AS anon_1 FROM rel_movies_genres AS anon_2, rel_genres WHERE rel_movies\.id = anon_2\.movie_id AND rel_genres\.id = anon_2\.genre_id AND rel_genres\.name = :name_1\)$/,
    );
    expect(String(select(Movie.c.title).where(Movie.director.eq(null)))).to.match(/WHERE rel_movies\.director_id IS NULL$/);
    expect(() => Movie.genres.has()).to.throw(ArgumentError, 'Movie.genres is a collection; use any()');
    expect(() => Director.movies.eq(null)).to.throw(ArgumentError, /compares a many-to-one with an object/);
    const d = aliased(Director, { name: 'd' });
    expect(String(select(d.c.name).join(d.movies).where(d.movies.any()))).to.match(
      /^SELECT d\.name FROM rel_directors AS d JOIN rel_movies ON d\.id = rel_movies\.director_id WHERE EXISTS \(SELECT 1 AS anon_1 FROM rel_movies AS anon_2 WHERE d\.id = anon_2\.director_id\)$|^SELECT d\.name FROM rel_directors AS d JOIN rel_movies ON d\.id = rel_movies\.director_id WHERE EXISTS \(SELECT 1 AS anon_1 FROM rel_movies WHERE d\.id = rel_movies\.director_id\)$/,
    );
    void Genre;
  });
});

forEachDialect('relationships round trip', (dialect) => {
  let engine: Engine;
  before(() => {
    engine = createEngine(dialect.url);
  });
  after(() => engine.dispose());

  it('forward references across files work in a session', async () => {
    await engine.dropAll(ForwardBase.metadata);
    await engine.createAll(ForwardBase.metadata);
    const session = new Session(engine);
    try {
      const author = new Author({ name: 'Ursula' });
      author.books.push(new Book({ title: 'The Lathe of Heaven' }), new Book({ title: 'The Dispossessed' }));
      session.add(author);
      await session.commit();
      const other = new Session(engine);
      const books = (await other.scalars(select(Book).join(Book.author).where(Author.c.name.eq('Ursula')).orderBy(Book.c.title))).all();
      expect(books.map((b) => b.title)).to.deep.equal(['The Dispossessed', 'The Lathe of Heaven']);
      await other.close();
    } finally {
      await session.close();
      await engine.dropAll(ForwardBase.metadata);
    }
  });

  it('aliased entities in select, join and relationships seen from an alias', async () => {
    const models = defineMovieModels();
    const { Director, Movie } = models;
    await resetMovieTables(engine, models);
    await importFilms(engine, models);
    const session = new Session(engine);
    try {
      const d = aliased(Director, { name: 'd' });
      const rows = (await session.execute(select(Movie, d).join(Movie.director.ofType(d)).where(d.c.name.eq('Ridley Scott')).orderBy(Movie.c.id))).all();
      expect(rows.map(([m, dir]) => `${String(m)} ${String(dir)}`)).to.deep.equal([
        'Movie(27, "Gladiator") Director(22, "Ridley Scott")',
        'Movie(35, "Alien") Director(22, "Ridley Scott")',
      ]);
      expect(rows[0]![1]).to.equal(await session.get(Director, 22));
      const titles = (await session.scalars(select(Movie.c.title).selectFrom(d.table).join(d.movies).where(d.c.name.eq('Alfred Hitchcock')))).all();
      expect(titles).to.deep.equal(['Psycho']);
      // A self-join: movies and another movie of the same director.
      const other = aliased(Movie, { name: 'other' });
      const pairs = (
        await session.execute(
          select(Movie.c.title, other.c.title)
            .join(other, Movie.c.directorId.eq(other.c.directorId))
            .where(Movie.c.id.lt(other.c.id), Movie.c.directorId.eq(22)),
        )
      ).all();
      expect(pairs.map((p) => [...p])).to.deep.equal([['Gladiator', 'Alien']]);
    } finally {
      await session.close();
      await engine.dropAll(models.Base.metadata);
    }
  });

  it('one-to-one (uselist: false) and a self-referential many-to-one (remoteSide)', async () => {
    class Base extends DeclarativeBase {}
    class Node extends Base.model('rel_nodes', {
      id: mapped(t.Integer(), { primaryKey: true }),
      name: mapped(t.String(20)),
      parentId: mapped(t.Integer(), { name: 'parent_id', foreignKey: 'rel_nodes.id', nullable: true }),
    }) {
      declare parent: Node | null;
      static parent = relationship(() => Node, { remoteSide: () => [Node.c.id], backPopulates: 'children' });
      declare children: InstrumentedList<Node>;
      static children = relationship(() => Node, { backPopulates: 'parent' });
      declare passport: Passport | null;
      static passport = relationship(() => Passport, { uselist: false, backPopulates: 'owner' });
    }
    class Passport extends Base.model('rel_passports', {
      id: mapped(t.Integer(), { primaryKey: true }),
      ownerId: mapped(t.Integer(), { name: 'owner_id', foreignKey: 'rel_nodes.id', unique: true, nullable: true }),
    }) {
      declare owner: Node | null;
      static owner = relationship(() => Node, { backPopulates: 'passport' });
    }
    expect(Node.parent.config.direction).to.equal('manyToOne');
    expect(Node.children.config.direction).to.equal('oneToMany');
    await engine.dropAll(Base.metadata);
    await engine.createAll(Base.metadata);
    const session = new Session(engine);
    try {
      const root = new Node({ name: 'root' });
      const leaf = new Node({ name: 'leaf', parent: root });
      expect(root.children).to.deep.equal([leaf]);
      const passport = new Passport();
      root.passport = passport;
      expect(passport.owner).to.equal(root);
      session.add(root);
      await session.commit();
      expect(leaf.parentId).to.equal(root.id);
      expect(passport.ownerId).to.equal(root.id);
      const other = new Session(engine);
      const loaded = (await other.get(Node, root.id))!;
      expect((await other.load(loaded, 'passport'))!.id).to.equal(passport.id);
      expect(strings((await other.load(loaded, 'children')).map((n) => n.name))).to.deep.equal(['leaf']);
      const child = loaded.children[0]!;
      expect(child.parent).to.equal(loaded);
      await other.close();
      expect(() => new Session(engine).add(root)).to.throw(); // still attached to `session`
    } finally {
      await session.close();
      await engine.dropAll(Base.metadata);
    }
  });

  it('reading an unloaded relationship names it and how to load it', async () => {
    const models = defineMovieModels();
    await resetMovieTables(engine, models);
    await importFilms(engine, models);
    const session = new Session(engine);
    try {
      const director = (await session.get(models.Director, 4))!;
      expect(() => director.movies).to.throw(
        NotLoadedError,
        "Director.movies is not loaded (JavaScript cannot wait inside a property read): load it with `await session.load(director, 'movies')`, or eagerly with `select(Director).options(selectinload(Director.movies))` or lazy: 'selectin' on the relationship",
      );
      expect(() => {
        director.movies = [];
      }).to.throw(NotLoadedError, /must be loaded before it is replaced/);
      await session.load(director, 'movies');
      session.expunge(director);
      expect(director.movies).to.have.length(5);
    } finally {
      await session.close();
      await engine.dropAll(models.Base.metadata);
    }
  });
});

