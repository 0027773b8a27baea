/** SQLite through better-sqlite3. */
import { type Dialect, defineDialect } from '../dialect.js';
import { sqliteCapabilities } from './capabilities.js';
import { classifySqliteError } from './errors.js';
import { SqliteDdlCompiler } from './ddl-compiler.js';
import { sqliteInsertIds } from './insert-ids.js';
import { sqliteReflection } from './reflection.js';
import { SqliteSqlCompiler } from './sql-compiler.js';
import { sqliteTypes } from './type-compiler.js';
import { sqliteValues } from './type-adapters.js';

export function sqliteDialect(): Dialect {
  const compiler = new SqliteSqlCompiler(sqliteCapabilities, sqliteValues, sqliteTypes);
  return defineDialect({
    name: 'sqlite',
    knexClient: 'better-sqlite3',
    capabilities: sqliteCapabilities,
    values: sqliteValues,
    classifyError: classifySqliteError,
    compiler,
    ddlCompiler: new SqliteDdlCompiler(compiler, sqliteTypes, sqliteCapabilities),
    reflection: sqliteReflection,
    insertIds: sqliteInsertIds((name) => compiler.quote(name)),
  });
}
