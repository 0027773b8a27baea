/**
 * The queries of seed 000, run on the example's database and printed with their results: filters,
 * like/ilike, between, ordering, single columns, count/min/max, distinct, group_by + having with a
 * label, limit/offset and keyset pagination, get by primary key, joins through relationships, loaders
 * (with the number of statements each one runs) and many-to-many queries.
 *
 * The manual's first queries filter on `Movie.director`, a string in its version 1; here the director
 * is a Director, so those queries join through `Movie.director` instead.
 *
 *   npx tsx examples/movies/queries.ts        (after `npx tsmig upgrade head` and import.ts)
 */
import { InstrumentedList, type Session, and_, func, joinedload, or_, select, selectinload } from 'tsmig';
import { connect } from './db.js';
import { Director, Genre, Movie } from './models.js';

/** The echo log of the engine, for counting statements (see `statementsOf`). */
const log: string[] = [];
const { engine, Session: SessionLocal } = connect({ logger: (line) => log.push(line) });

/**
 * A value as the manual prints it: objects by their toString(), result rows as tuples `(a, b)`, lists
 * in brackets and cut short past six items (with their length).
 */
function show(value: unknown): string {
  // Result rows are arrays with a prototype of their own (their columns read by name too).
  const isRow = Array.isArray(value) && !(value instanceof InstrumentedList) && Object.getPrototypeOf(value) !== Array.prototype;
  if (isRow) return `(${value.map(show).join(', ')})`;
  if (Array.isArray(value)) {
    const items = value.map(show);
    if (items.length <= 6) return `[${items.join(', ')}]`;
    return `[${[...items.slice(0, 3), '...', items[items.length - 1]].join(', ')}] (${items.length})`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}

function print(label: string, value: unknown): void {
  console.log(`${label}: ${show(value)}`);
}

/** Runs `work` and returns how many SQL statements it sent (transaction control left out). */
async function statementsOf(work: () => Promise<unknown>): Promise<number> {
  log.length = 0;
  engine.echo = true;
  try {
    await work();
  } finally {
    engine.echo = false;
  }
  return log.filter((line) => !line.startsWith('[parameters') && !/^(BEGIN|COMMIT|ROLLBACK)\b/.test(line)).length;
}

async function queries(session: Session): Promise<void> {
  heading('Executing queries');
  print('select(Movie), scalars', (await session.scalars(select(Movie).orderBy(Movie.c.id))).all());
  print('the first, scalar()', await session.scalar(select(Movie).orderBy(Movie.c.id)));
  print('select(func.count(Movie.c.id))', await session.scalar(select(func.count(Movie.c.id))));
  print('select(func.count()).selectFrom(Movie)', await session.scalar(select(func.count()).selectFrom(Movie)));

  heading('Filters');
  const byDirector = (name: string) => select(Movie).join(Movie.director).where(Director.c.name.eq(name)).orderBy(Movie.c.id);
  print('directed by Ridley Scott', (await session.scalars(byDirector('Ridley Scott'))).all());
  print('released from 2010 on', (await session.scalars(select(Movie).where(Movie.c.releaseDate.ge('2010-01-01')).orderBy(Movie.c.id))).all());
  print(
    'Ridley Scott, from 2000 on (two where calls)',
    (await session.scalars(byDirector('Ridley Scott').where(Movie.c.releaseDate.ge('2000-01-01')))).all(),
  );
  print(
    'the same with and_()',
    (await session.scalars(select(Movie).join(Movie.director).where(and_(Director.c.name.eq('Ridley Scott'), Movie.c.releaseDate.ge('2000-01-01'))))).all(),
  );
  const oldOrNew = select(Movie).where(or_(Movie.c.releaseDate.lt('1969-12-31'), Movie.c.releaseDate.gt('2010-01-01'))).orderBy(Movie.c.releaseDate);
  print('before 1970 or after 2010, or_()', (await session.scalars(oldOrNew)).all());
  print("director like '%David%'", (await session.scalars(select(Movie).join(Movie.director).where(Director.c.name.like('%David%')).orderBy(Movie.c.id))).all());
  // LIKE follows the database's collation: case-sensitive on PostgreSQL, not on SQLite (ASCII) or MySQL.
  print("director like '%david%'", (await session.scalars(select(Movie).join(Movie.director).where(Director.c.name.like('%david%')).orderBy(Movie.c.id))).all());
  print("director ilike '%david%'", (await session.scalars(select(Movie).join(Movie.director).where(Director.c.name.ilike('%david%')).orderBy(Movie.c.id))).all());
  const topRated = select(Movie).where(Movie.c.rating.between(9, 10)).orderBy(Movie.c.id);
  print('rating between 9 and 10', (await session.scalars(topRated)).all());
  console.log(`its SQL, String(query): ${String(topRated)}`);

  heading('Ordering');
  print('by title', (await session.scalars(select(Movie).orderBy(Movie.c.title))).all());
  print('by title, descending', (await session.scalars(select(Movie).orderBy(Movie.c.title.desc()))).all());
  print('newest first, then by title', (await session.scalars(select(Movie).orderBy(Movie.c.releaseDate.desc(), Movie.c.title.asc()).limit(3))).all());

  heading('Single columns');
  print('select(Movie.c.title)', (await session.scalars(select(Movie.c.title).orderBy(Movie.c.id))).all());
  print(
    'select(Movie.c.title, Director.c.name)',
    (await session.execute(select(Movie.c.title, Director.c.name).join(Movie.director).orderBy(Movie.c.id))).all(),
  );

  heading('Aggregates');
  print('first and last release dates', (await session.execute(select(func.min(Movie.c.releaseDate), func.max(Movie.c.releaseDate)))).one());
  print('directors, distinct()', (await session.scalars(select(Director.c.name).join(Director.movies).orderBy(Director.c.name).distinct())).all());
  print('count(distinct director_id)', await session.scalar(select(func.count(Movie.c.directorId.distinct()))));
  print(
    'first year, last year and movies per director',
    (
      await session.execute(
        select(Director.c.name, func.min(Movie.c.releaseDate), func.max(Movie.c.releaseDate), func.count())
          .join(Director.movies)
          .groupBy(Director.c.name)
          .orderBy(Director.c.name),
      )
    ).all(),
  );
  const numMovies = func.count().label('num_movies');
  const prolific = select(Director.c.name, numMovies).join(Director.movies).groupBy(Director.c.name).having(numMovies.ge(2)).orderBy(Director.c.name);
  print('directors with two movies or more, having()', (await session.execute(prolific)).all());

  heading('Pagination');
  const byTitle = select(Movie).orderBy(Movie.c.title);
  print('page 1, limit(3)', (await session.scalars(byTitle.limit(3))).all());
  print('page 2, limit(3).offset(3)', (await session.scalars(byTitle.limit(3).offset(3))).all());
  print('page 2 by keyset, after "American History X"', (await session.scalars(byTitle.where(Movie.c.title.gt('American History X')).limit(3))).all());
  print(
    'page 1 by keyset, backwards from "Apocalypse Now"',
    (await session.scalars(select(Movie).orderBy(Movie.c.title.desc()).where(Movie.c.title.lt('Apocalypse Now')).limit(3))).all(),
  );

  heading('By primary key');
  print('select(Movie).where(Movie.c.id.eq(23))', await session.scalar(select(Movie).where(Movie.c.id.eq(23))));
  print('session.get(Movie, 23)', await session.get(Movie, 23));
  print('session.get(Movie, 1000)', await session.get(Movie, 1000));

  heading('One to many');
  const interstellar = (await session.scalar(select(Movie).where(Movie.c.title.eq('Interstellar'))))!;
  print('Interstellar', interstellar);
  print("await session.load(movie, 'director')", await session.load(interstellar, 'director'));
  print("await session.load(movie.director, 'movies')", await session.load(interstellar.director!, 'movies'));
  print(
    'select(Movie.c.title, Director.c.name).join(Movie.director)',
    (await session.execute(select(Movie.c.title, Director.c.name).join(Movie.director).orderBy(Movie.c.id))).all(),
  );
  const perDirector = select(Director, func.count(Movie.c.id)).join(Director.movies).groupBy(Director).orderBy(Director.c.name);
  print('directors with their number of movies', (await session.execute(perDirector)).all());
  console.log(`its SQL: ${String(perDirector)}`);
  print('directors with a movie rated 9 or more, any()', (await session.scalars(select(Director).where(Director.movies.any(Movie.c.rating.ge(9))).orderBy(Director.c.name))).all());

  heading('Many to many');
  print("Interstellar's genres", await session.load(interstellar, 'genres'));
  const sciFi = (await session.scalar(select(Genre).where(Genre.c.name.eq('Sci-Fi'))))!;
  print('the Sci-Fi movies', await session.load(sciFi, 'movies'));
  const genreCount = func.count(Genre.c.id).label(null);
  print(
    'movies with two genres or more',
    (await session.execute(select(Movie, genreCount).join(Movie.genres).groupBy(Movie).having(genreCount.ge(2)).orderBy(Movie.c.title))).all(),
  );
  print(
    'directors of Sci-Fi movies',
    (await session.scalars(select(Director).join(Director.movies).join(Movie.genres).where(Genre.c.name.eq('Sci-Fi')).orderBy(Director.c.name).distinct())).all(),
  );
  const distinctGenres = func.count(Genre.c.id.distinct()).label(null);
  print(
    'directors working in three genres or more',
    (await session.execute(select(Director, distinctGenres).join(Director.movies).join(Movie.genres).groupBy(Director).having(distinctGenres.ge(3)).orderBy(Director.c.name))).all(),
  );
}

/** Loaders, each in a session of its own so nothing is loaded already. */
async function loaders(): Promise<void> {
  heading('Loaders (statements sent to the database)');
  const directorsOfAllMovies = async (session: Session, lazy: boolean) => {
    const movies = (await session.scalars(lazy ? select(Movie) : select(Movie).options(joinedload(Movie.director)))).all();
    for (const movie of movies) if (lazy) await session.load(movie, 'director');
    return movies.map((movie) => movie.director!.name);
  };
  print('every movie, then session.load() of each director (lazy)', await SessionLocal.run((s) => statementsOf(() => directorsOfAllMovies(s, true))));
  print('select(Movie).options(joinedload(Movie.director))', await SessionLocal.run((s) => statementsOf(() => directorsOfAllMovies(s, false))));
  print(
    'select(Director).options(selectinload(Director.movies).selectinload(Movie.genres))',
    await SessionLocal.run((s) =>
      statementsOf(async () => {
        const directors = (await s.scalars(select(Director).options(selectinload(Director.movies).selectinload(Movie.genres)))).all();
        return directors.flatMap((d) => d.movies.flatMap((m) => m.genres.map((g) => g.name)));
      }),
    ),
  );
}

try {
  await SessionLocal.run(queries);
  await loaders();
} finally {
  await engine.dispose();
}
