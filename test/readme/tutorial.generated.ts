// Generated from the ```ts snippets of README.md by `npx tsx test/readme/sync.ts --write`; do not edit.
// `npm test` type-checks it and test/readme/readme.test.ts runs it and compares what it prints.

console.log("~~~ README snippet 0 ~~~");
import { createEngine, text } from 'tsmig';

const engine = createEngine(process.env.DATABASE_URL ?? 'sqlite:///movies.db');

const movieCount = await engine.connect(async (conn) => (await conn.execute(text('SELECT count(*) FROM movies'))).scalar());
console.log(`${movieCount} movies`);

console.log("~~~ README snippet 1 ~~~");
const remote = createEngine('postgresql://scott:tiger@db.example.com:5432/movies?connect_timeout=5', { echo: true, poolSize: 5 });
console.log(String(remote.url));
await remote.dispose();

console.log("~~~ README snippet 2 ~~~");
try {
  await engine.begin(async (conn) => {
    await conn.execute(text('DELETE FROM movies_genres'));
    throw new Error('changed my mind');
  });
} catch (error) {
  console.log((error as Error).message);
}
console.log(`${await engine.connect(async (conn) => (await conn.execute(text('SELECT count(*) FROM movies_genres'))).scalar())} rows`);

console.log("~~~ README snippet 3 ~~~");
import { Base, Director, Genre, Movie } from '../../examples/movies/models.js';

const bladeRunner = new Movie({ title: 'Blade Runner', releaseDate: '1982-06-25', duration: 117, rating: 8.1 });
console.log(String(bladeRunner), bladeRunner.directorId);

console.log("~~~ README snippet 4 ~~~");
import { CheckConstraint, DeclarativeBase, type InstrumentedList, UniqueConstraint, foreignKey, mapped, relationship, t, true_ } from 'tsmig';

class BlogBase extends DeclarativeBase {}

class Author extends BlogBase.model('authors', {
  id: mapped(t.Integer(), { primaryKey: true }),
  name: mapped(t.String(64)),
}) {
  static posts = relationship(() => Post, { cascade: 'all', passiveDeletes: true });
  declare posts: InstrumentedList<Post>;
}

class Post extends BlogBase.model(
  'posts',
  {
    id: mapped(t.Integer(), { primaryKey: true }),
    authorId: mapped(t.Integer(), { name: 'author_id', foreignKey: foreignKey(() => Author.c.id, { onDelete: 'CASCADE' }) }),
    title: mapped(t.String(128)),
    status: mapped(t.Enum(['draft', 'published'], { name: 'post_status' }), { serverDefault: 'draft' }),
    listed: mapped(t.Boolean(), { serverDefault: true_() }),
  },
  { constraints: (c) => [new UniqueConstraint([c.authorId, c.title]), new CheckConstraint(c.title.ne(''), { name: 'ck_posts_title' })] },
) {}

console.log([...BlogBase.metadata.tables.keys()], String(Post.c.status.type));

console.log("~~~ README snippet 5 ~~~");
console.log([...Base.metadata.tables.keys()].join(', '));
console.log(Movie.table.columns.map((column) => column.name).join(', '));

const scratch = createEngine('sqlite://');
await Base.metadata.createAll(scratch);
console.log((await scratch.reflectSchema()).tables.map((table) => table.name).join(', '));
await scratch.dispose();

console.log("~~~ README snippet 6 ~~~");
import { IntegrityError, Session, func, select, sessionmaker } from 'tsmig';

const SessionLocal = sessionmaker(engine);

await SessionLocal.begin(async (session) => {
  bladeRunner.director = await session.scalar(select(Director).where(Director.c.name.eq('Ridley Scott')));
  bladeRunner.genres.push((await session.scalar(select(Genre).where(Genre.c.name.eq('Sci-Fi'))))!);
  session.add(bladeRunner);
});
console.log(bladeRunner.title, typeof bladeRunner.id, String(bladeRunner.director));

console.log("~~~ README snippet 7 ~~~");
{
  await using session = new Session(engine);
  session.add(new Movie({ title: 'Alien', directorId: bladeRunner.directorId, releaseDate: '1979-05-25', duration: 117, rating: 8.5 }));
  try {
    await session.commit();
  } catch (error) {
    console.log(error instanceof IntegrityError ? 'IntegrityError: there is an Alien already' : error);
    await session.rollback();
  }
}

console.log("~~~ README snippet 8 ~~~");
const session = SessionLocal();

const scottSince2000 = select(Movie).join(Movie.director).where(Director.c.name.eq('Ridley Scott')).where(Movie.c.releaseDate.ge('2000-01-01'));
console.log((await session.scalars(scottSince2000)).all().join(', '));
console.log(String(scottSince2000));

console.log("~~~ README snippet 9 ~~~");
const davids = select(Movie.c.title).join(Movie.director).where(Director.c.name.ilike('%david%')).orderBy(Movie.c.title);
console.log((await session.scalars(davids)).all().join(', '));

const topRated = select(Movie.c.title, Movie.c.rating).where(Movie.c.rating.between(9, 10)).orderBy(Movie.c.rating.desc(), Movie.c.title);
for (const [title, rating] of await session.execute(topRated)) console.log(title, rating);

console.log("~~~ README snippet 10 ~~~");
const byTitle = select(Movie.c.title).orderBy(Movie.c.title).limit(3);
console.log((await session.scalars(byTitle)).all().join(', '));
console.log((await session.scalars(byTitle.offset(3))).all().join(', '));
console.log((await session.scalars(byTitle.where(Movie.c.title.gt('American History X')))).all().join(', '));

console.log("~~~ README snippet 11 ~~~");
console.log(await session.scalar(select(func.count()).selectFrom(Movie)), await session.scalar(select(func.count(Movie.c.directorId.distinct()))));

const [first, last] = (await session.execute(select(func.min(Movie.c.releaseDate), func.max(Movie.c.releaseDate)))).one();
console.log(first, last);

const numMovies = func.count(Movie.c.id).label('num_movies');
const prolific = select(Director.c.name, numMovies).join(Director.movies).groupBy(Director.c.name).having(numMovies.ge(3)).orderBy(numMovies.desc());
for (const [name, count] of await session.execute(prolific)) console.log(name, count);

console.log("~~~ README snippet 12 ~~~");
console.log(String(await session.get(Movie, 23)), await session.get(Movie, 1000));
console.log((await session.get(Movie, 23)) === (await session.scalar(select(Movie).where(Movie.c.title.eq('Terminator 2: Judgment Day')))));

console.log("~~~ README snippet 13 ~~~");
import { NotLoadedError, joinedload, selectinload } from 'tsmig';

const interstellar = (await session.scalar(select(Movie).where(Movie.c.title.eq('Interstellar'))))!;
try {
  console.log(interstellar.director);
} catch (error) {
  console.log(error instanceof NotLoadedError, (error as Error).message);
}
const nolan = (await session.load(interstellar, 'director'))!;
console.log(String(nolan), (await session.load(nolan, 'movies')).join(', '));

console.log("~~~ README snippet 14 ~~~");
const credits = await session.scalars(select(Movie).options(joinedload(Movie.director)).orderBy(Movie.c.releaseDate).limit(2));
console.log(credits.all().map((movie) => `${movie.title} (${movie.director!.name})`).join(', '));

const directors = await session.scalars(
  select(Director).where(Director.c.name.in(['Ridley Scott', 'Quentin Tarantino'])).options(selectinload(Director.movies).selectinload(Movie.genres)).orderBy(Director.c.name),
);
for (const director of directors) console.log(director.name, director.movies.map((movie) => `${movie.title}: ${movie.genres.map((genre) => genre.name).join('/')}`).join(', '));

console.log("~~~ README snippet 15 ~~~");
const perDirector = select(Director, func.count(Movie.c.id)).join(Director.movies).groupBy(Director).orderBy(Director.c.name).limit(2);
console.log(String(perDirector));
for (const [director, count] of await session.execute(perDirector)) console.log(String(director), count);

const sciFi = select(Director.c.name).join(Director.movies).join(Movie.genres).where(Genre.c.name.eq('Sci-Fi')).orderBy(Director.c.name).distinct();
console.log((await session.scalars(sciFi)).all().join(', '));
console.log((await session.scalars(select(Director.c.name).where(Director.movies.any(Movie.c.rating.ge(9))).orderBy(Director.c.name))).all().join(', '));

console.log("~~~ README snippet 16 ~~~");
await session.delete((await session.scalar(select(Director).where(Director.c.name.eq('Robert Zemeckis'))))!);
try {
  await session.commit();
} catch (error) {
  console.log(error instanceof IntegrityError);
  await session.rollback();
}

console.log("~~~ README snippet 17 ~~~");
const forrestGump = (await session.scalar(select(Movie).where(Movie.c.title.eq('Forrest Gump'))))!;
const drama = (await session.load(forrestGump, 'genres')).find((genre) => genre.name === 'Drama')!;
forrestGump.genres.remove(drama);
await session.commit();
console.log((await session.load(forrestGump, 'genres')).join(', '));
forrestGump.genres.push(drama);
await session.commit();
console.log((await session.load(forrestGump, 'genres')).join(', '));

await session.delete((await session.get(Movie, bladeRunner.id))!);
await session.commit();
console.log(await session.scalar(select(func.count()).selectFrom(Movie)));

console.log("~~~ README snippet 18 ~~~");
const [movies, genres] = await Promise.all([
  SessionLocal.run((s) => s.scalar(select(func.count()).selectFrom(Movie))),
  SessionLocal.run((s) => s.scalar(select(func.count()).selectFrom(Genre))),
]);
console.log(movies, genres);

await session.close();
await engine.dispose();
