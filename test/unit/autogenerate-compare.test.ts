/**
 * The autogenerate comparator without a database: models against hand-written reflected schemas (the
 * shapes each dialect's catalog reading returns), asserting the exact operations, their order, what is
 * flagged as destructive, and what is left alone (each dialect's own spellings, filters, the version
 * table, stated renames).
 */
import { expect } from 'chai';
import type { DialectName } from '../../src/dialects/dialect.js';
import { mysqlColumnType } from '../../src/dialects/mysql/reflection-types.js';
import { compareMetadata } from '../../src/migrate/autogenerate/api.js';
import type { CompareOptions } from '../../src/migrate/autogenerate/context.js';
import { parseRenameArgs } from '../../src/migrate/autogenerate/renames.js';
import { column } from '../../src/schema/column.js';
import { foreignKey } from '../../src/schema/constraints.js';
import { MetaData } from '../../src/schema/metadata.js';
import type { ReflectedColumn, ReflectedEnum, ReflectedTable } from '../../src/schema/reflected.js';
import { Table } from '../../src/schema/table.js';
import { index } from '../../src/schema/table-index.js';
import { false_ } from '../../src/sql/elements/column-element.js';
import { t } from '../../src/types/index.js';
import type { TypeEngine } from '../../src/types/type-engine.js';
import { describeOp } from '../helpers/autogenerate.js';

function col(name: string, type: TypeEngine, extra: Partial<ReflectedColumn> = {}): ReflectedColumn {
  return { name, type, nullable: true, default: null, autoincrement: false, comment: null, ...extra };
}

const id = (extra: Partial<ReflectedColumn> = {}) => col('id', t.Integer(), { nullable: false, autoincrement: true, ...extra });

function table(name: string, columns: readonly ReflectedColumn[], extra: Partial<ReflectedTable> = {}): ReflectedTable {
  return {
    name,
    schema: null,
    comment: null,
    columns,
    primaryKey: columns.some((c) => c.name === 'id') ? { name: null, columns: ['id'] } : null,
    foreignKeys: [],
    indexes: [],
    uniqueConstraints: [],
    checkConstraints: [],
    ...extra,
  };
}

function compare(metadata: MetaData, dialect: DialectName, tables: readonly ReflectedTable[], options: CompareOptions = {}, enums: readonly ReflectedEnum[] = []) {
  return compareMetadata(metadata, dialect, new Map([[null, { tables, views: [], enums, sequences: [] }]]), options);
}

const ops = (plan: ReturnType<typeof compare>) => plan.upgradeOps().map(describeOp);
const downOps = (plan: ReturnType<typeof compare>) => plan.downgradeOps().map(describeOp);

function people(metadata: MetaData, extra: Record<string, ReturnType<typeof column>> = {}) {
  return new Table('people', metadata, { id: column(t.Integer(), { primaryKey: true }), ...extra });
}

describe('autogenerate: comparison (no database)', () => {
  describe('what is the same is left alone', () => {
    it("MySQL's BOOL read back as TINYINT(1), its integer display widths and its index behind a foreign key", () => {
      const m = new MetaData();
      new Table('teams', m, { id: column(t.Integer(), { primaryKey: true }) });
      people(m, { active: column(t.Boolean(), { nullable: false, serverDefault: false_() }), team_id: column(t.Integer(), { foreignKey: 'teams.id' }) });
      const reflected = [
        table('teams', [id()]),
        table('people', [id({ type: mysqlColumnType('int(11)') }), col('active', mysqlColumnType('tinyint(1)'), { nullable: false, default: '0' }), col('team_id', mysqlColumnType('int(11)'))], {
          foreignKeys: [{ name: 'people_ibfk_1', columns: ['team_id'], referredSchema: null, referredTable: 'teams', referredColumns: ['id'], onDelete: null, onUpdate: null, deferrable: false, initially: null }],
          indexes: [{ name: 'team_id', columns: ['team_id'], expressions: [null], unique: false, implicit: true }],
        }),
      ];
      expect(ops(compare(m, 'mysql', reflected))).to.deep.equal([]);
    });

    it("PostgreSQL's spellings of types and defaults, and a SERIAL key without a default", () => {
      const m = new MetaData();
      people(m, { name: column(t.String(50), { serverDefault: 'abc' }), price: column(t.Numeric(10), { serverDefault: '1.50' }), at: column(t.DateTime({ timezone: true })) });
      const reflected = [
        table('people', [
          id(),
          col('name', t.String(50), { default: "'abc'::character varying" }),
          col('price', t.Numeric(10, 0), { default: '1.5' }),
          col('at', t.DateTime({ timezone: true })),
        ]),
      ];
      expect(ops(compare(m, 'postgresql', reflected))).to.deep.equal([]);
    });

    it("SQLite's unnamed constraints match the model's by what they are", () => {
      const m = new MetaData();
      new Table('teams', m, { id: column(t.Integer(), { primaryKey: true }) });
      people(m, { email: column(t.String(80), { unique: true }), team_id: column(t.Integer(), { foreignKey: 'teams.id' }) });
      const reflected = [
        table('teams', [id()]),
        table('people', [id(), col('email', t.String(80)), col('team_id', t.Integer())], {
          uniqueConstraints: [{ name: null, columns: ['email'] }],
          foreignKeys: [{ name: null, columns: ['team_id'], referredSchema: null, referredTable: 'teams', referredColumns: ['id'], onDelete: null, onUpdate: null, deferrable: false, initially: null }],
          indexes: [{ name: 'sqlite_autoindex_people_1', columns: ['email'], expressions: [null], unique: true, implicit: true }],
        }),
      ];
      expect(ops(compare(m, 'sqlite', reflected))).to.deep.equal([]);
    });

    it('the version table, under its configured name', () => {
      const reflected = [table('versions', [col('version_num', t.String(32), { nullable: false })])];
      expect(ops(compare(new MetaData(), 'postgresql', reflected, { versionTable: { name: 'versions', schema: null } }))).to.deep.equal([]);
      expect(ops(compare(new MetaData(), 'postgresql', reflected))).to.deep.equal(['dropTable versions']);
    });

    it("the version table's lock table (Galera), under the version table's name", () => {
      const reflected = [table('versions_lock', [col('lock_key', t.String(191), { nullable: false })])];
      expect(ops(compare(new MetaData(), 'mysql', reflected, { versionTable: { name: 'versions', schema: null } }))).to.deep.equal([]);
      expect(ops(compare(new MetaData(), 'mysql', reflected))).to.deep.equal(['dropTable versions_lock']);
    });

    it('columns, indexes and constraints includeObject turns away, on either side', () => {
      const m = new MetaData();
      people(m, { added: column(t.Integer()) }).indexes;
      const reflected = [table('people', [id(), col('legacy', t.Text())], { indexes: [{ name: 'ix_legacy', columns: ['legacy'], expressions: [null], unique: false, implicit: false }] })];
      const includeObject: CompareOptions['includeObject'] = (o) => !(o.name === 'legacy' || o.name === 'ix_legacy' || o.name === 'added');
      expect(ops(compare(m, 'postgresql', reflected, { includeObject }))).to.deep.equal([]);
      expect(ops(compare(m, 'postgresql', reflected))).to.deep.equal(['dropIndex ix_legacy on people', 'addColumn people.added Integer() NULL', 'dropColumn people.legacy']);
    });

    it('compareType and compareServerDefault set to false', () => {
      const m = new MetaData();
      people(m, { name: column(t.String(80), { serverDefault: 'x' }) });
      const reflected = [table('people', [id(), col('name', t.String(50))])];
      expect(ops(compare(m, 'postgresql', reflected, { compareType: false, compareServerDefault: false }))).to.deep.equal([]);
    });
  });

  describe('order and inverse', () => {
    it('creates parents before children and drops children before parents', () => {
      const m = new MetaData();
      new Table('b_child', m, { id: column(t.Integer(), { primaryKey: true }), a_id: column(t.Integer(), { foreignKey: 'a_parent.id' }) });
      new Table('a_parent', m, { id: column(t.Integer(), { primaryKey: true }) });
      const plan = compare(m, 'postgresql', []);
      expect(ops(plan)).to.deep.equal(['createTable a_parent(id)', 'createTable b_child(id, a_id)']);
      expect(downOps(plan)).to.deep.equal(['dropTable b_child', 'dropTable a_parent']);
      const fk = { name: 'fk', columns: ['a_id'], referredSchema: null, referredTable: 'a_parent', referredColumns: ['id'], onDelete: null, onUpdate: null, deferrable: false, initially: null };
      const reflected = [table('a_parent', [id()]), table('b_child', [id(), col('a_id', t.Integer())], { foreignKeys: [fk] })];
      expect(ops(compare(new MetaData(), 'postgresql', reflected))).to.deep.equal(['dropTable b_child', 'dropTable a_parent']);
    });

    it('a foreign key cycle among new tables is added after them (not on SQLite, which takes forward references)', () => {
      const m = new MetaData();
      new Table('x', m, { id: column(t.Integer(), { primaryKey: true }), y_id: column(t.Integer(), { foreignKey: 'y.id' }) });
      new Table('y', m, { id: column(t.Integer(), { primaryKey: true }), x_id: column(t.Integer(), { foreignKey: 'x.id' }) });
      expect(ops(compare(m, 'postgresql', []))).to.deep.equal(['createTable x(id, y_id)', 'createTable y(id, x_id)', 'createForeignKey fk_x_y_id_y on x(y_id) -> y(id)']);
      expect(ops(compare(m, 'sqlite', []))).to.deep.equal(['createTable x(id, y_id)', 'createTable y(id, x_id)']);
    });

    it('drops what refers to a column before the column, and creates it after', () => {
      const m = new MetaData();
      new Table('teams', m, { id: column(t.Integer(), { primaryKey: true }) });
      people(m, { team_id: column(t.Integer(), { foreignKey: 'teams.id', index: true }) });
      const plan = compare(m, 'postgresql', [table('teams', [id()]), table('people', [id(), col('old', t.Integer())], {
        indexes: [{ name: 'ix_people_old', columns: ['old'], expressions: [null], unique: false, implicit: false }],
      })]);
      expect(ops(plan)).to.deep.equal([
        'dropIndex ix_people_old on people',
        'addColumn people.team_id Integer() NULL',
        'createIndex f(ix_people_team_id) on people(team_id)',
        'createForeignKey fk_people_team_id_teams on people(team_id) -> teams(id)',
        'dropColumn people.old',
      ]);
      expect(downOps(plan)).to.deep.equal([
        'addColumn people.old Integer() NULL',
        'dropConstraint fk_people_team_id_teams on people (foreignkey)',
        'dropIndex f(ix_people_team_id) on people',
        'dropColumn people.team_id',
        'createIndex ix_people_old on people(old)',
      ]);
    });

    it("on MySQL, a new foreign key's downgrade also drops the index InnoDB made for it", () => {
      const m = new MetaData();
      new Table('teams', m, { id: column(t.Integer(), { primaryKey: true }) });
      people(m, { team_id: column(t.Integer(), { foreignKey: 'teams.id' }) });
      const plan = compare(m, 'mysql', [table('teams', [id()]), table('people', [id(), col('team_id', t.Integer())])]);
      expect(ops(plan)).to.deep.equal(['createForeignKey fk_people_team_id_teams on people(team_id) -> teams(id)']);
      expect(downOps(plan)).to.deep.equal(['dropConstraint fk_people_team_id_teams on people (foreignkey)', 'dropIndex fk_people_team_id_teams on people']);
    });
  });

  describe('destructive changes and renames', () => {
    it('flags dropped tables and columns and narrowed types, not widened ones', () => {
      const m = new MetaData();
      people(m, { name: column(t.String(20)), count: column(t.BigInteger()) });
      const plan = compare(m, 'postgresql', [table('people', [id(), col('name', t.String(50)), col('count', t.Integer()), col('gone', t.Text())]), table('old', [id()])]);
      expect(plan.destructive.map((c) => c.destructive)).to.deep.equal([
        "drops table 'old' and all its rows",
        "column 'people.name' narrows String(50) to String(20): longer values are cut or rejected",
        "drops column 'people.gone' and its data",
      ]);
    });

    it('reports a dropped and an added table of the same shape as a possible rename, and renames it when told', () => {
      const m = new MetaData();
      new Table('squads', m, { id: column(t.Integer(), { primaryKey: true }), title: column(t.String(40)) });
      const fk = { name: 'fk_people_team', columns: ['team_id'], referredSchema: null, referredTable: 'teams', referredColumns: ['id'], onDelete: null, onUpdate: null, deferrable: false, initially: null };
      new Table('people', m, { id: column(t.Integer(), { primaryKey: true }), team_id: column(t.Integer(), { foreignKey: foreignKey('squads.id', { name: 'fk_people_team' }) }) });
      const reflected = [table('teams', [id(), col('title', t.String(40))]), table('people', [id(), col('team_id', t.Integer())], { foreignKeys: [fk] })];
      const guessed = compare(m, 'postgresql', reflected);
      expect(guessed.renameCandidates).to.deep.equal([{ kind: 'table', table: 'squads', schema: null, from: 'teams', to: 'squads' }]);
      const renamed = compare(m, 'postgresql', reflected, { renames: parseRenameArgs(['teams:squads'], m) });
      // The foreign key that named the old table follows the rename: nothing to do about it.
      expect(ops(renamed)).to.deep.equal(['renameTable teams -> squads']);
      expect(downOps(renamed)).to.deep.equal(['renameTable squads -> teams']);
    });

    it('a renamed column keeps its index; renamedFrom in the model states it', () => {
      const m = new MetaData();
      new Table('people', m, { id: column(t.Integer(), { primaryKey: true }), nickname: column(t.String(20), { renamedFrom: 'nick' }) }, {
        constraints: (c) => [index('ix_people_nick', [c.nickname])],
      });
      const reflected = [table('people', [id(), col('nick', t.String(20))], { indexes: [{ name: 'ix_people_nick', columns: ['nick'], expressions: [null], unique: false, implicit: false }] })];
      expect(ops(compare(m, 'postgresql', reflected))).to.deep.equal(['alterColumn people.nick newName=nickname']);
      // Once the database has the new name, renamedFrom is harmless.
      const done = [table('people', [id(), col('nickname', t.String(20))], { indexes: [{ name: 'ix_people_nick', columns: ['nickname'], expressions: [null], unique: false, implicit: false }] })];
      expect(ops(compare(m, 'postgresql', done))).to.deep.equal([]);
    });

    it('parses --rename: old:new is a table, table.old:new a column, schema. in front of either', () => {
      const m = new MetaData();
      people(m);
      expect(parseRenameArgs(['film:movies', 'people.nick:nickname', 'archive.old:new', 'archive.people.a:b'], m)).to.deep.equal([
        { kind: 'table', schema: null, table: null, from: 'film', to: 'movies' },
        { kind: 'column', schema: null, table: 'people', from: 'nick', to: 'nickname' },
        { kind: 'table', schema: 'archive', table: null, from: 'old', to: 'new' },
        { kind: 'column', schema: 'archive', table: 'people', from: 'a', to: 'b' },
      ]);
      expect(() => parseRenameArgs(['nocolon'], m)).to.throw('--rename nocolon: expected old:new (a table) or table.old:new (a column)');
    });
  });

  describe('PostgreSQL enum types', () => {
    const mood = (values: readonly string[]) => t.Enum(values, { name: 'mood' });

    it('a value added alters the column from the old values to the new, before other changes, and back', () => {
      const m = new MetaData();
      people(m, { mood: column(mood(['new', 'sad', 'ok', 'happy'])), extra: column(t.Integer()) });
      const plan = compare(m, 'postgresql', [table('people', [id(), col('mood', mood(['sad', 'happy']))])], {}, [{ name: 'mood', schema: null, values: ['sad', 'happy'] }]);
      expect(ops(plan)).to.deep.equal(["alterColumn people.mood type=Enum(['new', 'sad', 'ok', 'happy'], { name: 'mood' })", 'addColumn people.extra Integer() NULL']);
      expect(downOps(plan)).to.deep.equal(['dropColumn people.extra', "alterColumn people.mood type=Enum(['sad', 'happy'], { name: 'mood' })"]);
    });

    it('reordered values are a type change that may lose nothing; a removed value is said to be lost', () => {
      const m = new MetaData();
      people(m, { mood: column(mood(['happy', 'sad'])) });
      const reordered = compare(m, 'postgresql', [table('people', [id(), col('mood', mood(['sad', 'happy']))])], {}, [{ name: 'mood', schema: null, values: ['sad', 'happy'] }]);
      expect(ops(reordered)).to.deep.equal(["alterColumn people.mood type=Enum(['happy', 'sad'], { name: 'mood' })"]);
      const removed = compare(m, 'postgresql', [table('people', [id(), col('mood', mood(['sad', 'ok', 'happy']))])], {}, [{ name: 'mood', schema: null, values: ['sad', 'ok', 'happy'] }]);
      expect(removed.changes.map((c) => c.destructive)).to.deep.equal(["column 'people.mood' drops the enum value 'ok'"]);
    });

    it('a type no existing column uses gets the values before a new table uses it (PostgreSQL only: no other dialect has one)', () => {
      const m = new MetaData();
      people(m, { mood: column(mood(['sad', 'ok'])) });
      const plan = compare(m, 'postgresql', [], {}, [{ name: 'mood', schema: null, values: ['sad'] }]);
      expect(ops(plan)).to.deep.equal(["execute ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok' AFTER 'sad'", 'createTable people(id, mood)']);
      expect(downOps(plan)[0]).to.equal('dropTable people');
      expect(downOps(plan)[1]).to.match(/^execute DO \$\$ .*CREATE TYPE mood AS ENUM \('sad'\)/s);
    });

    it('on MySQL an enum is a column type: a change is an ALTER of the column', () => {
      const m = new MetaData();
      people(m, { mood: column(mood(['sad', 'ok'])) });
      expect(ops(compare(m, 'mysql', [table('people', [id(), col('mood', t.Enum(['sad']))])]))).to.deep.equal(["alterColumn people.mood type=Enum(['sad', 'ok'], { name: 'mood' })"]);
    });
  });
});
