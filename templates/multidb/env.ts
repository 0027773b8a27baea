/**
 * The migration environment of a project with several databases, as Alembic's multidb env.py: every
 * command covers each database of `databases` in alembic.config.ts (or only the one named with
 * `--name`), one after the other. Each database has its own version table, and each revision file runs
 * once per database with the database's name (see script.ts.tmpl). With --sql the scripts of all the
 * databases go to stdout one after the other; pass --name to get one database's script.
 */
import type { Environment } from 'tsmig';

export default async function env(ctx: Environment): Promise<void> {
  for (const database of ctx.databaseNames) {
    ctx.status(`Database ${database}`);
    if (ctx.isOfflineMode()) {
      await ctx.runMigrations({ database });
      continue;
    }
    await ctx.withConnection((connection) => ctx.runMigrations({ connection, database }), { database });
  }
}
