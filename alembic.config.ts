/**
 * tsmig's configuration for this repository, which is itself a tsmig project: `migrations/` takes the
 * movies database of examples/movies/ to the models of examples/movies/models.ts.
 *
 * The database is the SQLite file movies.db next to this file, unless DATABASE_URL is set in the
 * environment or in a .env file here (e.g. DATABASE_URL=postgresql://user:pass@localhost:5432/movies).
 */
import { defineConfig } from 'tsmig';
import { Base } from './examples/movies/models.js';

export default defineConfig({
  scriptLocation: 'migrations',
  url: 'sqlite:///movies.db',
  targetMetadata: Base.metadata,
});
