/**
 * The rules of `tsmig lint`, as data: each names the operations it looks at, the dialects where it
 * applies, and says why an operation will hurt in production and what to do instead. Rules see
 * operations only (no database): what a revision will do, not what the tables hold.
 */
import type { DialectName } from '../../dialects/dialect.js';
import type { AnyOperation } from '../operations/invoke.js';
import type { AlterColumnOp } from '../operations/ops/column.js';
import { keepsEveryValue, mysqlCopies, postgresqlRewrites } from './type-change.js';

/** How bad a finding is; `--fail-on` picks the lowest that fails the run. */
export type Severity = 'error' | 'warning';

/** What kind of harm a rule is about. */
export type RuleCategory = 'destructive' | 'data-dependent' | 'locking' | 'backward-incompatible';

/** What a rule says about one operation. */
export interface Verdict {
  /** Why it hurts, in one line. */
  readonly reason: string;
  /** The safer way, in one line. */
  readonly safer: string;
}

/** What a rule knows besides the operation. */
export interface RuleContext {
  readonly dialect: DialectName;
  /** SQLite copies the table to carry this operation out (a batch rebuild, or ALTER it cannot do). */
  readonly rebuildsTable: boolean;
}

/** One rule of the catalogue. */
export interface LintRule {
  /** Stable id, used in output, `--json` and `tsmig-lint-ignore` comments. */
  readonly id: string;
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** The dialects it applies to. */
  readonly dialects: readonly DialectName[];
  check(op: AnyOperation, ctx: RuleContext): Verdict | null;
}

const ALL: readonly DialectName[] = ['sqlite', 'postgresql', 'mysql'];

const column = (op: { tableName: string | null; columnName: string }) => `${op.tableName ?? '?'}.${op.columnName}`;

/** An alterColumn that changes the type, with the type it had (when the revision says). */
function typeChange(op: AnyOperation): (AlterColumnOp & { modifyType: NonNullable<AlterColumnOp['modifyType']> }) | null {
  return op.kind === 'AlterColumnOp' && op.modifyType !== undefined ? (op as AlterColumnOp & { modifyType: NonNullable<AlterColumnOp['modifyType']> }) : null;
}

/** Every rule, in the order findings of one operation are listed. */
export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'drop-table',
    severity: 'error',
    category: 'destructive',
    dialects: ALL,
    check: (op) =>
      op.kind === 'DropTableOp'
        ? {
            reason: `dropping table ${op.tableName} deletes its rows, and the running app may still query it`,
            safer: 'stop using the table in one release, back it up, and drop it in a later revision',
          }
        : null,
  },
  {
    id: 'drop-column',
    severity: 'error',
    category: 'destructive',
    dialects: ALL,
    check: (op) =>
      op.kind === 'DropColumnOp'
        ? {
            reason: `dropping column ${column(op)} deletes its values, and the running app may still read or write it`,
            safer: 'release code that no longer uses the column first, then drop it in a later revision',
          }
        : null,
  },
  {
    id: 'drop-constraint',
    severity: 'warning',
    category: 'destructive',
    dialects: ALL,
    check: (op) =>
      op.kind === 'DropConstraintOp' && op.type !== 'check'
        ? {
            reason: `dropping ${op.type ?? 'constraint'} ${String(op.constraintName)} on ${op.tableName} lets rows in that it used to refuse, for good`,
            safer: 'make sure no code relies on the guarantee, or replace the constraint before dropping it',
          }
        : null,
  },
  {
    id: 'lossy-type-change',
    severity: 'error',
    category: 'destructive',
    dialects: ALL,
    check: (op) => {
      const change = typeChange(op);
      if (change === null) return null;
      if (change.existingType === undefined) {
        return {
          reason: `column ${column(change)} changes type to ${change.modifyType.toString()} from a type the revision does not state, so it may truncate or fail on existing rows`,
          safer: 'give existingType, so lint can tell a widening from a narrowing',
        };
      }
      if (keepsEveryValue(change.existingType, change.modifyType)) return null;
      return {
        reason: `column ${column(change)} changes from ${change.existingType.toString()} to ${change.modifyType.toString()}, which can truncate, round or reject existing values`,
        safer: 'add a column of the new type, copy the values with a checked conversion, and switch over',
      };
    },
  },
  {
    id: 'rename-column',
    severity: 'error',
    category: 'backward-incompatible',
    dialects: ALL,
    check: (op) =>
      op.kind === 'AlterColumnOp' && op.modifyName !== undefined
        ? {
            reason: `renaming column ${column(op)} to ${op.modifyName} breaks the running app's queries until the new code is deployed`,
            safer: 'add the new column, write to both, backfill, move readers over, then drop the old one (expand and contract)',
          }
        : null,
  },
  {
    id: 'rename-table',
    severity: 'error',
    category: 'backward-incompatible',
    dialects: ALL,
    check: (op) =>
      op.kind === 'RenameTableOp'
        ? {
            reason: `renaming table ${op.tableName} to ${op.newTableName} breaks the running app's queries until the new code is deployed`,
            safer: 'create the new table (or a view under the old name) and move readers and writers over before removing the old name',
          }
        : null,
  },
  {
    id: 'add-not-null-column',
    severity: 'error',
    category: 'data-dependent',
    dialects: ALL,
    check: (op) => {
      if (op.kind !== 'AddColumnOp') return null;
      const { nullable, primaryKey, serverDefault } = op.column.options;
      if (nullable !== false || primaryKey === true || serverDefault !== undefined) return null;
      return {
        reason: `column ${column(op)} is added NOT NULL without a server default, which fails on a table that has rows`,
        safer: 'add it nullable (or with a serverDefault), backfill it, then set NOT NULL in a later revision',
      };
    },
  },
  {
    id: 'set-not-null',
    severity: 'warning',
    category: 'data-dependent',
    dialects: ALL,
    check: (op) =>
      op.kind === 'AlterColumnOp' && op.modifyNullable === false
        ? {
            reason: `setting ${column(op)} NOT NULL fails if any row holds NULL`,
            safer: 'backfill the NULLs first (an UPDATE in an earlier revision, or a data job)',
          }
        : null,
  },
  {
    id: 'set-not-null-scans',
    severity: 'warning',
    category: 'locking',
    dialects: ['postgresql'],
    check: (op) =>
      op.kind === 'AlterColumnOp' && op.modifyNullable === false
        ? {
            reason: `SET NOT NULL on ${column(op)} scans the whole table under an ACCESS EXCLUSIVE lock`,
            safer: 'add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it in a later revision, then SET NOT NULL (PostgreSQL 12+ then skips the scan)',
          }
        : null,
  },
  {
    id: 'add-unique',
    severity: 'warning',
    category: 'data-dependent',
    dialects: ALL,
    check: (op) => {
      const table = op.kind === 'CreateUniqueConstraintOp' || (op.kind === 'CreateIndexOp' && op.unique) ? op.tableName : null;
      if (table === null) return null;
      return {
        reason: `a unique constraint on existing table ${table} fails if duplicates exist`,
        safer: 'look for duplicates first and clean them up in an earlier revision',
      };
    },
  },
  {
    id: 'unique-blocks-writes',
    severity: 'warning',
    category: 'locking',
    dialects: ['postgresql'],
    check: (op) =>
      op.kind === 'CreateUniqueConstraintOp'
        ? {
            reason: `ADD CONSTRAINT ... UNIQUE builds its index on ${op.tableName} while blocking writes`,
            safer: 'build a unique index with { concurrently: true }, then ADD CONSTRAINT ... UNIQUE USING INDEX (op.execute)',
          }
        : null,
  },
  {
    id: 'index-not-concurrent',
    severity: 'warning',
    category: 'locking',
    dialects: ['postgresql'],
    check: (op) =>
      (op.kind === 'CreateIndexOp' || op.kind === 'DropIndexOp') && op.concurrently !== true
        ? {
            reason: `${op.kind === 'CreateIndexOp' ? 'CREATE' : 'DROP'} INDEX ${String(op.indexName)} without CONCURRENTLY blocks writes to ${op.tableName ?? 'the table'} until it finishes`,
            safer: `pass { concurrently: true } (it runs outside the migration's transaction)`,
          }
        : null,
  },
  {
    id: 'type-change-rewrites',
    severity: 'warning',
    category: 'locking',
    dialects: ['postgresql'],
    check: (op) => {
      const change = typeChange(op);
      if (change === null || !postgresqlRewrites(change.existingType, change.modifyType)) return null;
      return {
        reason: `ALTER COLUMN ${column(change)} TYPE ${change.modifyType.toString()} rewrites the whole table under an ACCESS EXCLUSIVE lock`,
        safer: 'add a column of the new type, backfill it in batches, and swap (only longer VARCHAR, VARCHAR to TEXT and wider NUMERIC avoid the rewrite)',
      };
    },
  },
  {
    id: 'constraint-validates-rows',
    severity: 'warning',
    category: 'locking',
    dialects: ['postgresql'],
    check: (op) =>
      (op.kind === 'CreateForeignKeyOp' || op.kind === 'CreateCheckConstraintOp') && op.notValid !== true
        ? {
            reason: `adding ${op.kind === 'CreateForeignKeyOp' ? 'a foreign key' : 'a check'} to existing table ${op.kind === 'CreateForeignKeyOp' ? op.sourceTable : op.tableName} checks every row while holding a lock that blocks writes`,
            safer: 'pass { notValid: true }, then op.validateConstraint(name, table) (after a commit, under a lock that lets writes go on)',
          }
        : null,
  },
  {
    id: 'table-copy',
    severity: 'warning',
    category: 'locking',
    dialects: ['mysql'],
    check: (op) => {
      const change = typeChange(op);
      const copies =
        (change !== null && mysqlCopies(change.existingType, change.modifyType)) ||
        op.kind === 'CreateForeignKeyOp' ||
        (op.kind === 'DropConstraintOp' && op.type === 'primary');
      if (!copies) return null;
      const table = op.kind === 'CreateForeignKeyOp' ? op.sourceTable : (op as { tableName: string | null }).tableName ?? 'the table';
      return {
        reason: `this ALTER of ${table} cannot run with ALGORITHM=INSTANT/INPLACE, LOCK=NONE: the table is copied and writes wait`,
        safer: 'run it with an online schema change tool (gh-ost, pt-online-schema-change), or in a quiet window on big tables',
      };
    },
  },
  {
    id: 'table-rebuild',
    severity: 'warning',
    category: 'locking',
    dialects: ['sqlite'],
    check: (op, ctx) => {
      if (!ctx.rebuildsTable) return null;
      const table = op.kind === 'CreateForeignKeyOp' ? op.sourceTable : (op as { tableName: string | null }).tableName ?? 'the table';
      return {
        reason: `SQLite rebuilds ${table} (create, copy every row, drop, rename) and holds the write lock for the whole copy`,
        safer:
          op.kind === 'BatchAlterTableOp'
            ? 'fine for small tables; for big ones run it in a quiet window'
            : 'fine for small tables; for big ones group changes in one op.batchAlterTable() and run it in a quiet window',
      };
    },
  },
  {
    id: 'destructive-sql',
    severity: 'warning',
    category: 'destructive',
    dialects: ALL,
    check: (op) => {
      if (op.kind !== 'ExecuteSqlOp' || typeof op.sql !== 'string') return null;
      const sql = op.sql.replace(/\s+/g, ' ').trim();
      const hit = /\b(DROP (TABLE|COLUMN)|TRUNCATE)\b/i.exec(sql) ?? (/\bDELETE FROM\b/i.test(sql) && !/\bWHERE\b/i.test(sql) ? ['DELETE without WHERE'] : null);
      if (hit === null) return null;
      return {
        reason: `raw SQL runs ${hit[0].toUpperCase()}, which deletes data lint cannot see the extent of`,
        safer: 'use op.* operations where one exists, and back up the data the statement removes',
      };
    },
  },
];

/** One rule's verdict on one operation. */
export interface RuleVerdict extends Verdict {
  readonly rule: LintRule;
}

/**
 * The verdicts of every rule that applies to `ctx.dialect` on one operation (a batch is one operation
 * here: pass its inner operations separately).
 *
 * @example
 * ```ts
 * checkOperation(new DropTableOp({ tableName: 'movies', schema: null }), { dialect: 'sqlite', rebuildsTable: false });
 * // [{ rule: <drop-table>, reason: 'dropping table movies deletes its rows, ...', safer: '...' }]
 * ```
 */
export function checkOperation(op: AnyOperation, ctx: RuleContext): RuleVerdict[] {
  const verdicts: RuleVerdict[] = [];
  for (const rule of LINT_RULES) {
    if (!rule.dialects.includes(ctx.dialect)) continue;
    const verdict = rule.check(op, ctx);
    if (verdict !== null) verdicts.push({ rule, ...verdict });
  }
  return verdicts;
}
