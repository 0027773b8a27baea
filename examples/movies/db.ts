/**
 * The example's database connection, as the manual's db.py: the URL comes from `DATABASE_URL` (the
 * environment first, then a `.env` file at the repository root) and defaults to the SQLite file
 * `movies.db` at the repository root — the same database `tsmig` migrates through alembic.config.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { type EngineOptions, createEngine, sessionmaker } from 'tsmig';

/** The repository root: where alembic.config.ts, .env and movies.db live. */
export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

function databaseUrl(): string {
  const envFile = path.join(PROJECT_DIR, '.env');
  const dotenv = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  // The environment wins over .env, which wins over the default; alembic.config.ts reads them in the same order.
  return process.env.DATABASE_URL ?? dotenv.DATABASE_URL ?? `sqlite:///${path.join(PROJECT_DIR, 'movies.db')}`;
}

/** An engine on the example's database; the caller disposes of it. */
export function connect(options: EngineOptions = {}) {
  const engine = createEngine(databaseUrl(), options);
  return { engine, Session: sessionmaker(engine) };
}
