/**
 * The migration environment, as Alembic's env.py: tsmig runs this file for every command that touches
 * the database (upgrade, downgrade, stamp, current, ensure-version). Online it connects to the database
 * URL (DATABASE_URL from the environment or .env, else `url` in alembic.config.ts) and runs the
 * migrations; with --sql it writes the SQL script to stdout and connects to nothing.
 */
import type { Environment } from 'tsmig';

export default async function env(ctx: Environment): Promise<void> {
  if (ctx.isOfflineMode()) {
    await ctx.runMigrations();
    return;
  }
  await ctx.withConnection(async (connection) => {
    // Session setup goes here, before the migrations, e.g. `SET search_path TO app` with text().
    await ctx.runMigrations({ connection });
  });
}
