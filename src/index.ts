/**
 * The public API of tsmig. Re-exports only; every name is defined in its layer.
 */
export * from './errors.js';
export { t } from './types/index.js';
export type { TypeEngine, TypeName, ValueOf } from './types/type-engine.js';
export * from './types/generic.js';

export { ClauseElement } from './sql/elements/element.js';
export {
  BindParameter,
  ColumnElement,
  Label,
  OrderByExpression,
  false_,
  null_,
  true_,
  type Operand,
} from './sql/elements/column-element.js';
export { and_, bindparam, literal, not_, or_ } from './sql/elements/conjunctions.js';
export { func, FunctionCall } from './sql/elements/functions.js';
export { cast, Cast } from './sql/elements/cast.js';
export { case_, Case } from './sql/elements/case.js';
export { literalColumn, LiteralColumn, text, TextClause } from './sql/elements/text.js';
export { Exists, FromClause, Join, ScalarSubquery, Subquery } from './sql/selectable.js';
export { TableAlias, TableClause, ColumnClause } from './sql/table-clause.js';
export { CompoundSelect, Select, exists, select, union, unionAll } from './sql/statements/select.js';
export { Insert, insert } from './sql/statements/insert.js';
export { Update, update } from './sql/statements/update.js';
export { Delete, delete_ } from './sql/statements/delete.js';
export type { DmlExecutionOptions, DmlTarget, SynchronizeSession } from './sql/statements/dml-target.js';
export { Tuple, tuple_ } from './sql/elements/tuple.js';
export type { Row, RowShape } from './sql/row.js';

export { Column, column, type ColumnOptions, type ColumnServerOptions, type ComputedOptions, type IdentityOptions } from './schema/column.js';
export { Table, type TableOptions, type TableServerOptions, type RowOf, type InsertOf } from './schema/table.js';
export { Sequence, type SequenceOptions, type SequenceParameters } from './schema/sequence.js';
export { MetaData } from './schema/metadata.js';

export * from './engine/index.js';
export { Inspector, inspect } from './inspect/inspector.js';
export { getDialect, type Capabilities, type CompiledSql, type Dialect, type DialectName } from './dialects/index.js';

export { DeclarativeBase, declarativeBase, type ModelBase, type ModelStatics } from './orm/declarative/declarative-base.js';
export { mapped } from './orm/declarative/mapped.js';
export { Session, objectStatus, type SessionOptions, type PrimaryKeyValue } from './orm/session/session.js';
export { sessionmaker, type SessionFactory } from './orm/session/sessionmaker.js';
export type { InstanceStatus } from './orm/session/instance-state.js';
export { Query, type QueryItem, type QueryResult } from './orm/query/query.js';
export * from './orm/relationships/index.js';

export { defineConfig, type AutogenerateFilters, type DatabaseConfig, type PostWriteHook, type SchemaTargets, type TargetConfig, type TargetEntry, type TargetsConfig, type TsmigConfig } from './migrate/config/config.js';
export { ConfigError } from './migrate/config/config-error.js';
export type { ResolvedConfig, ResolvedDatabase } from './migrate/config/load-config.js';
export { Environment, type EnvironmentFunction, type RunMigrationsOptions } from './migrate/runtime/environment.js';
export {
  EnvironmentError,
  ForeignKeyViolationError,
  MigrationFailedError,
  MigrationLockTimeoutError,
  OfflineModeError,
  VersionTableError,
} from './migrate/runtime/errors.js';
export { op, type BatchAlterTableOptions, type CreateTableOptions, type TableSpec, type OperationContext } from './migrate/operations/operations.js';
export type { BatchOperations } from './migrate/operations/batch-operations.js';
export type { MigrationExecutor } from './migrate/operations/migration-executor.js';
export { settleOperations } from './migrate/operations/operation-queue.js';
export { MigrateOperation } from './migrate/operations/ops/operation.js';
export { CreateTableOp, DropTableOp, RenameTableOp } from './migrate/operations/ops/table.js';
export { AddColumnOp, AlterColumnOp, DropColumnOp } from './migrate/operations/ops/column.js';
export { CreateIndexOp, DropIndexOp } from './migrate/operations/ops/index-ops.js';
export { AlterSequenceOp, CreateSequenceOp, DropSequenceOp } from './migrate/operations/ops/sequence.js';
export {
  CreateCheckConstraintOp,
  CreateForeignKeyOp,
  CreatePrimaryKeyOp,
  CreateUniqueConstraintOp,
  DropConstraintOp,
  ValidateConstraintOp,
  type ConstraintType,
} from './migrate/operations/ops/constraint.js';
export type { OnlineAlterFields } from './migrate/operations/ops/online.js';
export type { MysqlAlgorithm, MysqlLock } from './schema/ddl.js';
export { CreateTableCommentOp, DropTableCommentOp } from './migrate/operations/ops/comment.js';
export { BulkInsertOp, ExecuteSqlOp } from './migrate/operations/ops/data.js';
export { BatchAlterTableOp, type RecreateMode, type TableAlterOp } from './migrate/operations/ops/batch-alter-table.js';
export type { TableDef, ColumnDef, ConstraintDef, IndexDef } from './migrate/operations/table-def.js';
export {
  CheckConstraint,
  ConventionalName,
  ForeignKeyConstraint,
  PrimaryKeyConstraint,
  UniqueConstraint,
  conventionalName,
  foreignKey,
  type ReferentialAction,
} from './schema/constraints.js';
export { Index, index, type IndexOptions, type MysqlIndexPrefix } from './schema/table-index.js';
export { compareMetadata, produceMigration, type CompareOptions, type ProduceOptions } from './migrate/autogenerate/api.js';
export { renderMigration, type RenderedMigration } from './migrate/autogenerate/render/render.js';
export { MigrationPlan, type PlannedChange, type RenameCandidate } from './migrate/autogenerate/plan.js';
export { preferOnlineDdl } from './migrate/autogenerate/online-ddl.js';
