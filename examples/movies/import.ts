/**
 * Seed 000's "import script № 3" in TypeScript: reads movies.csv and stores each film with its
 * director and genres, creating a Director or a Genre the first time its name is seen, in ONE
 * transaction (all or nothing). A row that cannot be read is reported and skipped, as the manual's
 * `except ValueError` does.
 *
 * Unlike the manual's script it does not drop and recreate the tables: `tsmig upgrade head` owns the
 * schema. Films already in the database (by title) are left alone, so running it again changes nothing.
 *
 *   npx tsx examples/movies/import.ts [file.csv]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Session, select } from 'tsmig';
import { readCsv } from './csv.js';
import { connect } from './db.js';
import { Director, Genre, Movie } from './models.js';

/** The films of the example, next to this file. */
export const MOVIES_CSV = fileURLToPath(new URL('./movies.csv', import.meta.url));

/** A film as read from one CSV row, checked. */
interface Film {
  readonly title: string;
  readonly director: string;
  readonly releaseDate: string;
  readonly duration: number;
  readonly genres: readonly string[];
  readonly rating: number;
}

/** What an import did. */
export interface ImportReport {
  readonly imported: number;
  readonly alreadyThere: number;
  readonly badRows: number;
  readonly newDirectors: number;
  readonly newGenres: number;
}

/** The manual's conversions (`strptime`, `int()`, `float()`), as strict: a row either reads or throws. */
function readFilm(row: Record<string, string>): Film {
  const text = (key: string, max: number) => {
    const value = (row[key] ?? '').trim();
    if (value === '') throw new Error(`${key} is empty`);
    if (value.length > max) throw new Error(`${key} is longer than ${max} characters`);
    return value;
  };
  const releaseDate = text('release_date', 10);
  const [year, month, day] = releaseDate.split('-').map(Number);
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(releaseDate) || date.toISOString().slice(0, 10) !== releaseDate) {
    throw new Error(`release_date '${releaseDate}' is not a date of the form YYYY-MM-DD`);
  }
  const duration = text('duration', 10);
  if (!/^\d+$/.test(duration)) throw new Error(`duration '${duration}' is not a whole number of minutes`);
  const rating = text('rating', 10);
  if (!/^\d+(\.\d+)?$/.test(rating)) throw new Error(`rating '${rating}' is not a number`);
  const genres = [...new Set(text('genre', 200).split(/\s+/))];
  for (const genre of genres) if (genre.length > 32) throw new Error(`genre '${genre}' is longer than 32 characters`);
  return { title: text('title', 128), director: text('director', 64), releaseDate, duration: Number(duration), genres, rating: Number(rating) };
}

/**
 * Adds the films of a CSV text to the session: the caller's transaction commits them all or none.
 * Bad rows are reported through `log` and skipped.
 */
export async function importMovies(session: Session, csv: string, log: (line: string) => void = console.log): Promise<ImportReport> {
  // Directors, genres and titles already stored, so that a second run reuses them instead of failing
  // on the UNIQUE constraints.
  const directors = new Map((await session.scalars(select(Director))).all().map((d) => [d.name, d]));
  const genres = new Map((await session.scalars(select(Genre))).all().map((g) => [g.name, g]));
  const titles = new Set((await session.scalars(select(Movie.c.title))).all());
  const counts = { imported: 0, alreadyThere: 0, badRows: 0, newDirectors: 0, newGenres: 0 };

  for (const { line, record } of readCsv(csv)) {
    let film: Film;
    try {
      film = readFilm(record);
    } catch (error) {
      log(`Error processing row ${line}: ${JSON.stringify(record)}`);
      log(`Error message: ${(error as Error).message}`);
      counts.badRows++;
      continue;
    }
    if (titles.has(film.title)) {
      counts.alreadyThere++;
      continue;
    }
    titles.add(film.title);

    const { director: directorName, genres: genreNames, ...values } = film;
    const movie = new Movie(values);
    session.add(movie);

    let director = directors.get(directorName);
    if (director === undefined) {
      director = new Director({ name: directorName });
      session.add(director);
      directors.set(directorName, director);
      counts.newDirectors++;
    }
    // The manual appends to `director.movies`; setting the many-to-one side does the same and also
    // works for a director read from the database, whose `movies` are not loaded.
    movie.director = director;

    for (const name of genreNames) {
      let genre = genres.get(name);
      if (genre === undefined) {
        genre = new Genre({ name });
        session.add(genre);
        genres.set(name, genre);
        counts.newGenres++;
      }
      movie.genres.push(genre);
    }
    counts.imported++;
  }
  return counts;
}

async function main(file = MOVIES_CSV): Promise<void> {
  const { engine, Session } = connect();
  try {
    const csv = readFileSync(file, 'utf8');
    // Session.begin(): commit at the end, roll back everything if anything fails.
    const report = await Session.begin((session) => importMovies(session, csv));
    console.log(
      `Imported ${report.imported} movies (${report.newDirectors} new directors, ${report.newGenres} new genres); ` +
        `skipped ${report.badRows} bad rows; ${report.alreadyThere} were already in the database.`,
    );
  } finally {
    await engine.dispose();
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv[2]);
}
