/** MySQL and MariaDB through mysql2; they differ only in capabilities so far. */
import { type Dialect, defineDialect } from '../dialect.js';
import { mariadbCapabilities, mysqlCapabilities } from './capabilities.js';
import { classifyMysqlError } from './errors.js';
import { MysqlDdlCompiler } from './ddl-compiler.js';
import { MysqlSqlCompiler } from './sql-compiler.js';
import { mariadbInsertIds, mysqlInsertIds } from './insert-ids.js';
import { mysqlReflection } from './reflection.js';
import { mysqlTypes } from './type-compiler.js';
import { mysqlValues } from './type-adapters.js';

export function mysqlDialect(options: { mariadb?: boolean } = {}): Dialect {
  const capabilities = options.mariadb ? mariadbCapabilities : mysqlCapabilities;
  const compiler = new MysqlSqlCompiler(capabilities, mysqlValues, mysqlTypes);
  return defineDialect({
    name: 'mysql',
    knexClient: 'mysql2',
    capabilities,
    values: mysqlValues,
    classifyError: classifyMysqlError,
    compiler,
    ddlCompiler: new MysqlDdlCompiler(compiler, mysqlTypes, capabilities),
    reflection: mysqlReflection,
    insertIds: options.mariadb ? mariadbInsertIds : mysqlInsertIds,
  });
}
