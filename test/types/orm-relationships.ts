/**
 * Compile-only checks of relationship typing: the class-level attribute (`Director.movies` is a
 * `Relationship<Movie>`), the declared instance fields, `session.load()`'s result, loader options,
 * criteria and aliases. Nothing here runs; `tsc --noEmit` fails when a type drifts, and
 * `@ts-expect-error` lines must stay errors.
 */
import {
  type DynamicCollection,
  type InstrumentedList,
  type LoaderOption,
  type Relationship,
  type Session,
  DeclarativeBase,
  Table,
  aliased,
  column,
  joinedload,
  mapped,
  relationship,
  select,
  selectinload,
  t,
} from '../../src/index.js';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}
declare function valueOf<T>(): T;

class Base extends DeclarativeBase {}

const moviesGenres = new Table('t_movies_genres', Base.metadata, {
  movieId: column(t.Integer(), { name: 'movie_id', primaryKey: true, foreignKey: 't_movies.id' }),
  genreId: column(t.Integer(), { name: 'genre_id', primaryKey: true, foreignKey: 't_genres.id' }),
});

class Director extends Base.model('t_directors', {
  id: mapped(t.Integer(), { primaryKey: true }),
  name: mapped(t.String(64), { unique: true }),
}) {
  declare movies: InstrumentedList<Movie>;
  static movies = relationship(() => Movie, { backPopulates: 'director', cascade: 'all, delete-orphan' });
  declare posts: DynamicCollection<Movie>;
  static posts = relationship(() => Movie, { lazy: 'dynamic' });
}

class Movie extends Base.model('t_movies', {
  id: mapped(t.Integer(), { primaryKey: true }),
  title: mapped(t.String(128)),
  directorId: mapped(t.Integer(), { name: 'director_id', foreignKey: 't_directors.id' }),
}) {
  declare director: Director | null;
  static director = relationship(() => Director, { backPopulates: 'movies', lazy: 'joined', innerJoin: true });
  declare genres: Genre[];
  static genres = relationship(() => Genre, { secondary: moviesGenres, backPopulates: 'movies' });
}

class Genre extends Base.model('t_genres', { id: mapped(t.Integer(), { primaryKey: true }), name: mapped(t.String(32)) }) {
  declare movies: Movie[];
  static movies = relationship(() => Movie, { secondary: () => moviesGenres, backPopulates: 'genres' });
}

// ---- the class-level attribute ------------------------------------------------------------------
assertType<Equal<typeof Director.movies, Relationship<Movie>>>();
assertType<Equal<typeof Movie.director, Relationship<Director>>>();

// ---- instance fields ------------------------------------------------------------------------------
{
  const director = valueOf<Director>();
  const movie = valueOf<Movie>();
  assertType<Equal<typeof director.movies, InstrumentedList<Movie>>>();
  assertType<Equal<typeof movie.director, Director | null>>();
  director.movies.push(movie);
  const removed: boolean = director.movies.remove(movie);
  void removed;
  movie.genres = [valueOf<Genre>()];
  // @ts-expect-error a Genre is not a Movie
  director.movies.push(valueOf<Genre>());
  // The constructor takes relationship keys too (checked at run time).
  void new Movie({ title: 'Alien', director });
}

// ---- loading ---------------------------------------------------------------------------------------
async function loading(session: Session, director: Director, movie: Movie, directors: Director[]) {
  const movies = await session.load(director, 'movies');
  assertType<Equal<typeof movies, InstrumentedList<Movie>>>();
  const loaded = await session.load(movie, 'director');
  assertType<Equal<typeof loaded, Director | null>>();
  await session.load(directors, 'movies');
  // @ts-expect-error not an attribute of Director
  await session.load(director, 'films');
  const posts: Movie[] = await director.posts.where(Movie.c.title.like('A%')).all();
  void posts;
}
void loading;

// ---- options, joins and criteria ------------------------------------------------------------------
{
  const option: LoaderOption = selectinload(Director.movies).selectinload(Movie.genres);
  select(Director).options(option, joinedload(Movie.director, { innerJoin: true }));
  // @ts-expect-error options take loader options, not strings
  select(Director).options('movies');
  const stmt = select(Movie.c.title, Director.c.name).join(Movie.director);
  assertType<Equal<(typeof stmt)['__row'][0], string>>();
  select(Director).where(Director.movies.any(Movie.c.title.eq('Alien')), Director.movies.any({ title: 'Alien' }));
  // @ts-expect-error Movie has no attribute "name"
  Director.movies.any({ name: 'x' });
  select(Movie).where(Movie.director.eq(valueOf<Director>()), Movie.director.eq(null));
  // @ts-expect-error a many-to-one to Director compares with a Director
  Movie.director.eq(valueOf<Movie>());
  // @ts-expect-error unknown loader strategy
  relationship(() => Movie, { lazy: 'eager' });
}

// ---- aliases ------------------------------------------------------------------------------------
{
  const d = aliased(Director, { name: 'd' });
  assertType<Equal<typeof d.movies, Relationship<Movie>>>();
  const rows = select(Movie, d).join(Movie.director.ofType(d)).where(d.c.name.eq('x'));
  assertType<Equal<(typeof rows)['__row'][1], Director>>();
  // @ts-expect-error the alias's columns are the model's
  void d.c.title;
}
