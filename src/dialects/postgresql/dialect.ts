/** PostgreSQL through pg. */
import { type Dialect, defineDialect } from '../dialect.js';
import { postgresqlCapabilities } from './capabilities.js';
import { classifyPostgresqlError } from './errors.js';
import { PostgresqlDdlCompiler } from './ddl-compiler.js';
import { postgresqlReflection } from './reflection.js';
import { PostgresqlSqlCompiler } from './sql-compiler.js';
import { postgresqlTypes } from './type-compiler.js';
import { postgresqlValues } from './type-adapters.js';

export function postgresqlDialect(): Dialect {
  const compiler = new PostgresqlSqlCompiler(postgresqlCapabilities, postgresqlValues, postgresqlTypes);
  return defineDialect({
    name: 'postgresql',
    knexClient: 'pg',
    capabilities: postgresqlCapabilities,
    values: postgresqlValues,
    classifyError: classifyPostgresqlError,
    compiler,
    ddlCompiler: new PostgresqlDdlCompiler(compiler, postgresqlTypes, postgresqlCapabilities),
    reflection: postgresqlReflection,
    insertIds: null,
  });
}
