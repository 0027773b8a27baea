/**
 * Defining tables without a database: what a Table derives from its columns and constraints, and the
 * mistakes it refuses at definition time (or, for foreign keys, which resolve lazily, when first resolved
 * by createAll), each with a message naming the table and the column.
 */
import { expect } from 'chai';
import { getDialect } from '../../src/dialects/index.js';
import { ArgumentError } from '../../src/errors.js';
import { type Column, column } from '../../src/schema/column.js';
import { CheckConstraint, ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint, foreignKey } from '../../src/schema/constraints.js';
import { CreateTable } from '../../src/schema/ddl.js';
import { MetaData } from '../../src/schema/metadata.js';
import { Table } from '../../src/schema/table.js';
import { dropOrderWithActions, sortTables } from '../../src/schema/table-order.js';
import { Index, index } from '../../src/schema/table-index.js';
import { t } from '../../src/types/index.js';

function expectArgumentError(define: () => unknown, message: string): void {
  expect(define).to.throw(ArgumentError).with.property('message', message);
}

describe('schema definition', () => {
  describe('what a table derives', () => {
    it('gathers column-level keys, uniques, indexes and foreign keys, the primary key first', () => {
      const metadata = new MetaData();
      new Table('rt_parent', metadata, { id: column(t.Integer(), { primaryKey: true }) });
      const child = new Table('rt_child', metadata, {
        a: column(t.Integer(), { primaryKey: true }),
        b: column(t.String(10), { primaryKey: true }),
        email: column(t.String(50), { unique: true }),
        slug: column(t.String(50), { unique: true, index: true }),
        parentId: column(t.Integer(), { name: 'parent_id', index: true, foreignKey: 'rt_parent.id' }),
      });
      expect(child.primaryKey?.columns.map((c) => c.name)).to.deep.equal(['a', 'b']);
      expect(child.constraints.map((c) => c.kind)).to.deep.equal(['PrimaryKey', 'Unique', 'ForeignKey']);
      expect(child.indexes.map((ix) => [ix.name.name, ix.unique])).to.deep.equal([
        ['ix_rt_child_slug', true],
        ['ix_rt_child_parent_id', false],
      ]);
      expect(child.foreignKeys[0]!.referredColumns.map((c) => `${c.table.name}.${c.name}`)).to.deep.equal(['rt_parent.id']);
      // A composite key generates nothing; its columns are NOT NULL.
      expect(child.columns.map((c) => [c.name, c.nullable, c.autoincrement])).to.deep.equal([
        ['a', false, false],
        ['b', false, false],
        ['email', true, false],
        ['slug', true, false],
        ['parent_id', true, false],
      ]);
    });

    it('an explicit primary key constraint replaces the column flags and goes first', () => {
      const metadata = new MetaData({ namingConvention: { pk: 'pk_%(table_name)s' } });
      const table = new Table(
        'rt_pk',
        metadata,
        { a: column(t.Integer(), { nullable: false }), b: column(t.Integer(), { nullable: false }) },
        { constraints: (c) => [new CheckConstraint('a > 0'), new PrimaryKeyConstraint([c.b, c.a])] },
      );
      expect(table.constraints.map((c) => c.kind)).to.deep.equal(['PrimaryKey', 'Check']);
      expect(table.primaryKey!.name).to.deep.equal({ name: 'pk_rt_pk', conventional: true });
      expect(table.c.b.primaryKey).to.equal(true);
    });

    it('names constraints by the naming convention, keeping explicit names unless the template embeds them', () => {
      const metadata = new MetaData({
        namingConvention: {
          uq: 'uq_%(table_name)s_%(column_0_N_name)s',
          ck: 'ck_%(table_name)s_%(constraint_name)s',
          fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
        },
      });
      new Table('rt_owner', metadata, { id: column(t.Integer(), { primaryKey: true }) });
      const table = new Table(
        'rt_named',
        metadata,
        {
          id: column(t.Integer(), { primaryKey: true }),
          a: column(t.Integer()),
          b: column(t.Integer()),
          ownerId: column(t.Integer(), { name: 'owner_id', foreignKey: foreignKey('rt_owner.id', { name: 'fk_explicit' }) }),
        },
        {
          constraints: (c) => [new UniqueConstraint([c.a, c.b]), new UniqueConstraint([c.b], { name: 'uq_mine' }), new CheckConstraint('a < b', { name: 'order' })],
        },
      );
      expect(table.constraints.map((c) => c.name.name)).to.deep.equal([null, 'uq_rt_named_a_b', 'uq_mine', 'ck_rt_named_order', 'fk_explicit']);
    });
  });

  describe('bad input fails at definition, naming the table and column', () => {
    it('a table without columns', () => {
      expectArgumentError(() => new Table('rt_empty', new MetaData(), {}), 'table "rt_empty" has no columns; declare at least one');
    });

    it('a column declared twice (by its database name)', () => {
      expectArgumentError(
        () => new Table('rt_dup', new MetaData(), { title: column(t.String(10)), heading: column(t.String(10), { name: 'title' }) }),
        'table "rt_dup" declares column "title" twice',
      );
    });

    it('the same table twice on one MetaData', () => {
      const metadata = new MetaData();
      new Table('rt_twice', metadata, { id: column(t.Integer()) });
      expectArgumentError(() => new Table('rt_twice', metadata, { id: column(t.Integer()) }), 'table "rt_twice" is already defined on this MetaData');
    });

    it('an index, unique constraint or key on a column the table does not have', () => {
      const unknown = 'table "rt_bad" has no column "nope" (in its constraints or indexes)';
      const define = (args: (c: Record<string, Column>) => (Index | UniqueConstraint | PrimaryKeyConstraint)[]) => () =>
        new Table('rt_bad', new MetaData(), { id: column(t.Integer()) }, { constraints: (c) => args(c as unknown as Record<string, Column>) });
      expectArgumentError(define((c) => [index(null, [c.nope!])]), unknown);
      expectArgumentError(define((c) => [new UniqueConstraint([c.id!, c.nope!])]), unknown);
      expectArgumentError(define((c) => [new PrimaryKeyConstraint([c.nope!])]), unknown);
    });

    it('an index on something that is not a column or expression', () => {
      expectArgumentError(
        () => new Table('rt_bad', new MetaData(), { id: column(t.Integer()) }, { constraints: () => [index('ix_bad', [undefined as unknown as Column])] }),
        'table "rt_bad": a constraint or index names something that is not a column (undefined)',
      );
      expectArgumentError(
        () => new Table('rt_bad', new MetaData(), { id: column(t.Integer()) }, { constraints: () => [undefined as unknown as Index] }),
        'table "rt_bad": its constraints callback returned undefined, not a constraint or index',
      );
    });

    it('an index or constraint on a column of another table', () => {
      const metadata = new MetaData();
      const other = new Table('rt_other', metadata, { id: column(t.Integer(), { primaryKey: true }) });
      const message = 'table "rt_mine": a constraint or index names column "rt_other.id" of another table';
      expectArgumentError(
        () => new Table('rt_mine', metadata, { id: column(t.Integer()) }, { constraints: () => [index('ix_mine', [other.c.id])] }),
        message,
      );
      expectArgumentError(
        () => new Table('rt_mine', metadata, { id: column(t.Integer()) }, { constraints: () => [new UniqueConstraint([other.c.id])] }),
        message,
      );
      expectArgumentError(
        () => new Table('rt_mine', metadata, { id: column(t.Integer()) }, { constraints: (c) => [new ForeignKeyConstraint([other.c.id], [() => c.id])] }),
        message,
      );
    });

    it('an index without items, a foreign key with mismatched column counts', () => {
      expectArgumentError(() => new Index('ix_empty', []), 'index ix_empty needs at least one column or expression');
      expectArgumentError(
        () =>
          new Table('rt_fk', new MetaData(), { a: column(t.Integer()), b: column(t.Integer()) }, {
            constraints: (c) => [new ForeignKeyConstraint([c.a, c.b], ['rt_parent.id'])],
          }),
        'a foreign key needs as many referenced columns as columns (got 2 and 1)',
      );
    });

    it('a convention embedding the constraint name, for a constraint without one', () => {
      const metadata = new MetaData({ namingConvention: { ck: 'ck_%(table_name)s_%(constraint_name)s' } });
      const table = new Table('rt_ck', metadata, { a: column(t.Integer()) }, { constraints: () => [new CheckConstraint('a > 0')] });
      expectArgumentError(
        () => table.checkConstraints[0]!.name,
        'naming convention "ck_%(table_name)s_%(constraint_name)s" uses %(constraint_name)s, so the constraint on "rt_ck" needs an explicit name',
      );
    });
  });

  describe('foreign keys resolve lazily, and fail when first resolved (createAll, compile)', () => {
    function orphan(target: string): Table {
      const metadata = new MetaData();
      new Table('rt_target', metadata, { id: column(t.Integer(), { primaryKey: true }) });
      return new Table('rt_orphan', metadata, {
        id: column(t.Integer(), { primaryKey: true }),
        targetId: column(t.Integer(), { name: 'target_id', foreignKey: target }),
      });
    }

    it('to a table that is not on the MetaData', () => {
      const table = orphan('rt_nowhere.id');
      const message = 'foreign key on rt_orphan.target_id refers to table "rt_nowhere", which is not defined on this MetaData';
      expectArgumentError(() => sortTables([table]), message);
      expectArgumentError(() => getDialect('postgresql').compileDdl(new CreateTable(table)), message);
    });

    it('to a column the table does not have', () => {
      const table = orphan('rt_target.nope');
      expectArgumentError(() => sortTables([table]), 'foreign key on rt_orphan.target_id refers to column "rt_target.nope", which does not exist');
    });

    it('to something that is not "table.column"', () => {
      expectArgumentError(
        () => orphan('rt_target').foreignKeys[0]!.referredColumns,
        'foreign key on rt_orphan.target_id: target "rt_target" must be "table.column" or "schema.table.column"',
      );
    });

    it('declared before its target table, it resolves once the target exists', () => {
      const metadata = new MetaData();
      const early = new Table('rt_early', metadata, { laterId: column(t.Integer(), { name: 'later_id', foreignKey: 'rt_later.id' }) });
      new Table('rt_later', metadata, { id: column(t.Integer(), { primaryKey: true }) });
      expect(early.foreignKeys[0]!.referredTable.name).to.equal('rt_later');
    });
  });

  describe('table order', () => {
    it('parents before children; a cycle is broken at one foreign key, created after the tables', () => {
      const metadata = new MetaData();
      const a = new Table('rt_a', metadata, { id: column(t.Integer(), { primaryKey: true }), bId: column(t.Integer(), { foreignKey: 'rt_b.id' }) });
      const b = new Table('rt_b', metadata, { id: column(t.Integer(), { primaryKey: true }), aId: column(t.Integer(), { foreignKey: 'rt_a.id' }) });
      const c = new Table('rt_c', metadata, { id: column(t.Integer(), { primaryKey: true }), aId: column(t.Integer(), { foreignKey: 'rt_a.id' }) });
      const order = sortTables([c, b, a]);
      // rt_c only depends on the cycle: its foreign key stays inline and it comes after rt_a.
      expect(order.tables.map((x) => x.name)).to.deep.equal(['rt_b', 'rt_a', 'rt_c']);
      expect(order.deferredForeignKeys.map((fk) => `${fk.table.name}.${fk.columns[0]!.name}`)).to.deep.equal(['rt_b.aId']);
    });

    it('without ALTER TABLE, a table whose ON DELETE actions reach a table referring elsewhere is dropped before that parent', () => {
      const metadata = new MetaData();
      const a = new Table('rt_a', metadata, {
        id: column(t.Integer(), { primaryKey: true }),
        bId: column(t.Integer(), { foreignKey: 'rt_b.id' }),
        parentId: column(t.Integer(), { foreignKey: foreignKey('rt_a.id', { onDelete: 'CASCADE' }) }),
      });
      const b = new Table('rt_b', metadata, { id: column(t.Integer(), { primaryKey: true }), aId: column(t.Integer(), { foreignKey: 'rt_a.id' }) });
      expect(dropOrderWithActions([b, a]).map((x) => x.name)).to.deep.equal(['rt_a', 'rt_b']);
      // Without actions, the order given (children first) stays.
      const plain = new MetaData();
      const p = new Table('rt_p', plain, { id: column(t.Integer(), { primaryKey: true }) });
      const q = new Table('rt_q', plain, { id: column(t.Integer(), { primaryKey: true }), pId: column(t.Integer(), { foreignKey: 'rt_p.id' }) });
      expect(dropOrderWithActions([q, p]).map((x) => x.name)).to.deep.equal(['rt_q', 'rt_p']);
    });
  });
});
