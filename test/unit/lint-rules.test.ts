/**
 * Every rule of `tsmig lint` on operation objects, per dialect: one operation that makes it fire and one,
 * as close as possible, that keeps it quiet (the safer way the rule suggests, where there is one).
 */
import { expect } from 'chai';
import type { DialectName } from '../../src/dialects/dialect.js';
import { LINT_RULES, checkOperation } from '../../src/migrate/lint/rules.js';
import { keepsEveryValue } from '../../src/migrate/lint/type-change.js';
import type { AnyOperation } from '../../src/migrate/operations/invoke.js';
import {
  addColumnOp,
  alterColumnOp,
  createCheckConstraintOp,
  createForeignKeyOp,
  createIndexOp,
  createUniqueConstraintOp,
  dropColumnOp,
  dropConstraintOp,
  dropIndexOp,
} from '../../src/migrate/operations/op-factories.js';
import { BatchAlterTableOp } from '../../src/migrate/operations/ops/batch-alter-table.js';
import { ExecuteSqlOp } from '../../src/migrate/operations/ops/data.js';
import { DropTableOp, RenameTableOp } from '../../src/migrate/operations/ops/table.js';
import { column } from '../../src/schema/column.js';
import { t } from '../../src/types/index.js';
import type { TypeEngine } from '../../src/types/type-engine.js';

interface RuleCase {
  readonly dialects: readonly DialectName[];
  readonly fires: AnyOperation;
  readonly quiet: AnyOperation;
  /** Whether SQLite rebuilds the table for the operation (only the table-rebuild rule reads it). */
  readonly rebuilds?: { readonly fires: boolean; readonly quiet: boolean };
}

const ALL: readonly DialectName[] = ['sqlite', 'postgresql', 'mysql'];

const CASES: Readonly<Record<string, RuleCase>> = {
  'drop-table': {
    dialects: ALL,
    fires: new DropTableOp({ tableName: 'movies', schema: null }),
    quiet: new RenameTableOp({ tableName: 'movies', newTableName: 'films', schema: null }),
  },
  'drop-column': { dialects: ALL, fires: dropColumnOp('movies', 'rating'), quiet: addColumnOp('movies', 'rating', column(t.Float())) },
  'drop-constraint': {
    dialects: ALL,
    fires: dropConstraintOp('uq_movies_title', 'movies', { type: 'unique' }),
    quiet: dropConstraintOp('ck_movies_year', 'movies', { type: 'check' }),
  },
  'lossy-type-change': {
    dialects: ALL,
    fires: alterColumnOp('movies', 'title', { type: t.String(100), existingType: t.String(200) }),
    quiet: alterColumnOp('movies', 'title', { type: t.String(300), existingType: t.String(200) }),
  },
  'rename-column': {
    dialects: ALL,
    fires: alterColumnOp('movies', 'title', { newName: 'name' }),
    quiet: alterColumnOp('movies', 'title', { comment: 'the title' }),
  },
  'rename-table': {
    dialects: ALL,
    fires: new RenameTableOp({ tableName: 'movies', newTableName: 'films', schema: null }),
    quiet: new DropTableOp({ tableName: 'movies', schema: null }),
  },
  'add-not-null-column': {
    dialects: ALL,
    fires: addColumnOp('movies', 'votes', column(t.Integer(), { nullable: false })),
    quiet: addColumnOp('movies', 'votes', column(t.Integer(), { nullable: false, serverDefault: '0' })),
  },
  'set-not-null': {
    dialects: ALL,
    fires: alterColumnOp('movies', 'title', { nullable: false, existingType: t.String(200) }),
    quiet: alterColumnOp('movies', 'title', { nullable: true, existingType: t.String(200) }),
  },
  'set-not-null-scans': {
    dialects: ['postgresql'],
    fires: alterColumnOp('movies', 'title', { nullable: false, existingType: t.String(200) }),
    quiet: createCheckConstraintOp('ck_movies_title', 'movies', 'title IS NOT NULL'),
  },
  'add-unique': {
    dialects: ALL,
    fires: createUniqueConstraintOp('uq_movies_title', 'movies', ['title']),
    quiet: createIndexOp('ix_movies_title', 'movies', ['title'], { concurrently: true }),
  },
  'unique-blocks-writes': {
    dialects: ['postgresql'],
    fires: createUniqueConstraintOp('uq_movies_title', 'movies', ['title']),
    quiet: createIndexOp('uq_movies_title', 'movies', ['title'], { unique: true, concurrently: true }),
  },
  'index-not-concurrent': {
    dialects: ['postgresql'],
    fires: createIndexOp('ix_movies_title', 'movies', ['title']),
    quiet: dropIndexOp('ix_movies_title', { table: 'movies', concurrently: true }),
  },
  'type-change-rewrites': {
    dialects: ['postgresql'],
    fires: alterColumnOp('movies', 'id', { type: t.BigInteger(), existingType: t.Integer() }),
    quiet: alterColumnOp('movies', 'title', { type: t.Text(), existingType: t.String(200) }),
  },
  'constraint-validates-rows': {
    dialects: ['postgresql'],
    fires: createCheckConstraintOp('ck_movies_year', 'movies', 'year > 1888'),
    quiet: dropConstraintOp('ck_movies_year', 'movies', { type: 'check' }),
  },
  'table-copy': {
    dialects: ['mysql'],
    fires: alterColumnOp('movies', 'title', { type: t.String(100), existingType: t.String(50) }),
    quiet: alterColumnOp('movies', 'title', { type: t.String(60), existingType: t.String(50) }),
  },
  'table-rebuild': {
    dialects: ['sqlite'],
    fires: new BatchAlterTableOp({ tableName: 'movies', schema: null, recreate: 'auto', copyFrom: null, ops: [alterColumnOp('movies', 'title', { nullable: false })] }),
    quiet: new BatchAlterTableOp({ tableName: 'movies', schema: null, recreate: 'auto', copyFrom: null, ops: [addColumnOp('movies', 'rating', column(t.Float()))] }),
    rebuilds: { fires: true, quiet: false },
  },
  'destructive-sql': {
    dialects: ALL,
    fires: new ExecuteSqlOp({ sql: 'DELETE FROM movies' }),
    quiet: new ExecuteSqlOp({ sql: 'DELETE FROM movies WHERE year < 1900' }),
  },
};

function fired(op: AnyOperation, dialect: DialectName, rebuildsTable = false): string[] {
  return checkOperation(op, { dialect, rebuildsTable }).map((v) => v.rule.id);
}

describe('lint rules', () => {
  it('every rule of the catalogue has a case here, and every case names a rule', () => {
    expect(Object.keys(CASES).sort()).to.deep.equal(LINT_RULES.map((r) => r.id).sort());
  });

  for (const [id, c] of Object.entries(CASES)) {
    for (const dialect of ALL) {
      const applies = c.dialects.includes(dialect);
      it(`${dialect}: ${id} ${applies ? 'fires, and stays quiet for the safer operation' : 'does not apply'}`, () => {
        expect(fired(c.fires, dialect, c.rebuilds?.fires)).to.satisfy((ids: string[]) => ids.includes(id) === applies);
        expect(fired(c.quiet, dialect, c.rebuilds?.quiet)).not.to.include(id);
      });
    }
  }

  it('each finding says why and what to do instead, in one line', () => {
    for (const c of Object.values(CASES)) {
      for (const dialect of c.dialects) {
        for (const verdict of checkOperation(c.fires, { dialect, rebuildsTable: c.rebuilds?.fires ?? false })) {
          expect(verdict.reason).to.match(/^\S.*\S$/).and.not.include('\n');
          expect(verdict.safer).to.match(/^\S.*\S$/).and.not.include('\n');
        }
      }
    }
  });

  it('a type change without existingType is reported as unverified, since lint cannot tell it is safe', () => {
    const verdicts = checkOperation(alterColumnOp('movies', 'title', { type: t.String(300) }), { dialect: 'sqlite', rebuildsTable: false });
    expect(verdicts.map((v) => v.rule.id)).to.deep.equal(['lossy-type-change']);
    expect(verdicts[0]!.safer).to.include('existingType');
  });

  it('tells widenings from narrowings', () => {
    const cases: [TypeEngine, TypeEngine, boolean][] = [
      [t.Integer(), t.BigInteger(), true],
      [t.BigInteger(), t.Integer(), false],
      [t.Text(), t.String(50), false],
      [t.String(50), t.Text(), true],
      [t.Numeric(10, 2), t.Numeric(12, 2), true],
      [t.Numeric(10, 2), t.Numeric(10, 3), false],
      [t.Float(), t.Integer(), false],
      [t.String(20), t.Integer(), false],
    ];
    expect(cases.map(([from, to]) => keepsEveryValue(from, to))).to.deep.equal(cases.map(([, , keeps]) => keeps));
  });
});
