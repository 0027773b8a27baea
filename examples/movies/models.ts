/**
 * The movies database of seed 000 as its models finally stand (the manual's "models version 3"): a
 * director has many movies, a movie has many genres and a genre many movies, through the association
 * table `movies_genres`. `migrations/` at the repository root took the database here from version 1
 * (`models-v1.ts`) through version 2 (`models-v2.ts`).
 *
 * Attributes are camelCase (`movie.releaseDate`); the columns keep the manual's snake_case names
 * (`release_date`). Every mapped column is NOT NULL unless it says `nullable: true`, as the manual's
 * `Mapped[str]` makes it.
 */
import { DeclarativeBase, type InstrumentedList, Table, column, mapped, relationship, t } from 'tsmig';

/** The declarative base; `Base.metadata` holds the four tables (alembic.config.ts's targetMetadata). */
export class Base extends DeclarativeBase {}

/** The association table: a plain Table whose primary key is its two foreign keys. */
export const movieGenre = new Table('movies_genres', Base.metadata, {
  movieId: column(t.Integer(), { name: 'movie_id', primaryKey: true, nullable: false, foreignKey: 'movies.id' }),
  genreId: column(t.Integer(), { name: 'genre_id', primaryKey: true, nullable: false, foreignKey: 'genres.id' }),
});

export class Director extends Base.model('directors', {
  id: mapped(t.Integer(), { primaryKey: true }),
  name: mapped(t.String(64), { unique: true }),
}) {
  static movies = relationship(() => Movie, { backPopulates: 'director' });
  declare movies: InstrumentedList<Movie>;

  override toString(): string {
    return `Director(${this.id}, "${this.name}")`;
  }
}

export class Movie extends Base.model('movies', {
  id: mapped(t.Integer(), { primaryKey: true }),
  title: mapped(t.String(128), { unique: true }),
  directorId: mapped(t.Integer(), { name: 'director_id', foreignKey: 'directors.id', index: true }),
  releaseDate: mapped(t.Date(), { name: 'release_date' }),
  /** In minutes. */
  duration: mapped(t.Integer()),
  rating: mapped(t.Float()),
}) {
  static director = relationship(() => Director, { backPopulates: 'movies' });
  declare director: Director | null;
  static genres = relationship(() => Genre, { secondary: movieGenre, backPopulates: 'movies' });
  declare genres: InstrumentedList<Genre>;

  override toString(): string {
    return `Movie(${this.id}, "${this.title}")`;
  }
}

export class Genre extends Base.model('genres', {
  id: mapped(t.Integer(), { primaryKey: true }),
  name: mapped(t.String(32), { unique: true }),
}) {
  static movies = relationship(() => Movie, { secondary: movieGenre, backPopulates: 'genres' });
  declare movies: InstrumentedList<Movie>;

  override toString(): string {
    return `Genre(${this.id}, "${this.name}")`;
  }
}
