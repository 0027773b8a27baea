/**
 * Seed 000's models, version 1: one `movies` table, the director and the genre as strings. Kept to
 * show (and to regenerate) the first revision in `migrations/`; the application uses `models.ts`.
 */
import { DeclarativeBase, mapped, t } from 'tsmig';

export class Base extends DeclarativeBase {}

export class Movie extends Base.model('movies', {
  id: mapped(t.Integer(), { primaryKey: true }),
  title: mapped(t.String(128), { unique: true }),
  director: mapped(t.String(64)),
  releaseDate: mapped(t.Date(), { name: 'release_date' }),
  /** In minutes. */
  duration: mapped(t.Integer()),
  genre: mapped(t.String(32)),
  rating: mapped(t.Float()),
}) {
  override toString(): string {
    return `Movie(${this.id}, "${this.title}")`;
  }
}
