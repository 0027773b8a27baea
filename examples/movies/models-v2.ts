/**
 * Seed 000's models, version 2: directors get their own table and `movies.director` becomes the
 * foreign key `director_id` (indexed); the genre is still a string. Kept to show (and to regenerate)
 * the second revision in `migrations/`; the application uses `models.ts`.
 */
import { DeclarativeBase, type InstrumentedList, mapped, relationship, t } from 'tsmig';

export class Base extends DeclarativeBase {}

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
  genre: mapped(t.String(32)),
  rating: mapped(t.Float()),
}) {
  static director = relationship(() => Director, { backPopulates: 'movies' });
  declare director: Director | null;

  override toString(): string {
    return `Movie(${this.id}, "${this.title}")`;
  }
}
