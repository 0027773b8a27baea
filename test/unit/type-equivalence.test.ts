/**
 * The per-dialect comparison rules of `src/migrate/impl/`, without a database: which type spellings are
 * the same column type, which are not (String lengths, Numeric precision and scale), and how server
 * defaults, expressions and referential actions are normalised on each side.
 */
import { expect } from 'chai';
import type { DialectName } from '../../src/dialects/dialect.js';
import { implFor } from '../../src/migrate/impl/index.js';
import { canonicalNumber, finishSql, parseTypeSpelling, prepareSql } from '../../src/migrate/impl/sql-text.js';
import { column } from '../../src/schema/column.js';
import { MetaData } from '../../src/schema/metadata.js';
import type { ReflectedColumn } from '../../src/schema/reflected.js';
import { Table } from '../../src/schema/table.js';
import { false_ } from '../../src/sql/elements/column-element.js';
import { func } from '../../src/sql/elements/functions.js';
import { literalColumn } from '../../src/sql/elements/text.js';
import { type TypeEngine, t } from '../../src/types/index.js';

type Pair = readonly [TypeEngine, TypeEngine];

function expectEquivalent(dialect: DialectName, pairs: readonly Pair[]): void {
  const impl = implFor(dialect);
  for (const [model, reflected] of pairs) {
    expect(impl.typesEquivalent(model, reflected), `${dialect}: ${model} ~ ${reflected}`).to.equal(true);
  }
}

function expectDifferent(dialect: DialectName, pairs: readonly Pair[]): void {
  const impl = implFor(dialect);
  for (const [model, reflected] of pairs) {
    expect(impl.typesEquivalent(model, reflected), `${dialect}: ${model} !~ ${reflected}`).to.equal(false);
  }
}

const pg = (sqlName: string, base: TypeEngine) => t.dialectType('postgresql', sqlName, base);
const my = (sqlName: string, base: TypeEngine) => t.dialectType('mysql', sqlName, base);
const lite = (sqlName: string, base: TypeEngine) => t.dialectType('sqlite', sqlName, base);

describe('migrate impl: type equivalence', () => {
  describe('every dialect', () => {
    it('a type equals itself, and a decorated type its implementation', () => {
      const tags = t.decorate(t.Text(), { bindValue: (v: string[]) => v.join(','), resultValue: (v) => String(v).split(',') });
      for (const dialect of ['sqlite', 'postgresql', 'mysql'] as const) {
        expectEquivalent(dialect, [
          [t.String(20), t.String(20)],
          [t.Numeric(10, 2), t.Numeric(10, 2)],
          [t.Date(), t.Date()],
          [tags, t.Text()],
        ]);
        expectDifferent(dialect, [
          [t.String(50), t.String(60)],
          [t.Numeric(10, 2), t.Numeric(12, 2)],
          [t.Numeric(10, 2), t.Numeric(10, 3)],
          [t.Boolean(), t.Integer()],
          [t.Date(), t.DateTime()],
        ]);
      }
    });
  });

  describe('postgresql', () => {
    it('folds the catalog spellings and aliases', () => {
      expectEquivalent('postgresql', [
        [t.Numeric(10), t.Numeric(10, 0)],
        [t.Float(10), t.postgresql.REAL()],
        [t.Float(24), t.postgresql.REAL()],
        [t.Float(), t.postgresql.DOUBLE_PRECISION()],
        [t.Float(53), t.Float()],
        [t.DateTime(), t.postgresql.TIMESTAMP()],
        [t.DateTime({ timezone: true }), pg('timestamp(6) with time zone', t.DateTime())],
        [pg('int4', t.Integer()), t.Integer()],
        [pg('CHARACTER(10)', t.String(10)), pg('CHAR(10)', t.String(10))],
        [pg('timestamptz', t.DateTime()), t.DateTime({ timezone: true })],
        [pg('ltree', t.Text()), pg('LTREE', t.Text())],
        [t.String(), t.String()],
        // Another dialect's type falls back to its generic base.
        [t.mysql.MEDIUMTEXT(), t.Text()],
      ]);
    });

    it('keeps apart what differs', () => {
      expectDifferent('postgresql', [
        [t.Float(10), t.Float()],
        [t.DateTime(), t.DateTime({ timezone: true })],
        [t.postgresql.TIMESTAMP({ precision: 3 }), t.DateTime()],
        [t.JSON(), t.postgresql.JSONB()],
        [t.String(50), t.Text()],
        [t.Uuid(), t.String(36)],
        [t.Numeric(10), t.Numeric(10, 2)],
      ]);
    });

    it('compares named enums by name and values, unnamed ones as the VARCHAR they are', () => {
      const mood = t.Enum(['sad', 'ok'], { name: 'mood' });
      expectEquivalent('postgresql', [
        [mood, t.Enum(['sad', 'ok'], { name: 'mood' })],
        [t.Enum(['sad', 'ok']), t.String(3)],
      ]);
      expectDifferent('postgresql', [
        [mood, t.Enum(['sad', 'ok', 'meh'], { name: 'mood' })],
        [mood, t.Enum(['ok', 'sad'], { name: 'mood' })],
        [mood, t.Enum(['sad', 'ok'], { name: 'feeling' })],
        [mood, t.String(3)],
        [t.String(3), mood],
      ]);
    });
  });

  describe('mysql', () => {
    it('folds BOOL into TINYINT(1), Uuid into CHAR(36), Float into DOUBLE, display widths away', () => {
      expectEquivalent('mysql', [
        [t.Boolean(), t.mysql.TINYINT(1)],
        [t.Uuid(), my('CHAR(36)', t.String(36))],
        [t.Float(), my('DOUBLE', t.Float())],
        [t.Float(10), t.Float()],
        [t.DateTime({ timezone: true }), t.DateTime()],
        [t.Integer(), my('INT(11)', t.Integer())],
        [t.mysql.TINYINT(), my('TINYINT(4)', t.SmallInteger())],
        [t.Numeric(), t.Numeric(10, 0)],
        [t.Numeric(12), t.Numeric(12, 0)],
        [t.LargeBinary(100), my('TINYBLOB', t.LargeBinary())],
        [t.LargeBinary(70000), t.mysql.MEDIUMBLOB()],
        [t.mysql.UNSIGNED_INTEGER(), my('int(10) unsigned', t.Integer())],
      ]);
    });

    it('compares enums by their values in order, not by name', () => {
      expectEquivalent('mysql', [[t.Enum(['a', 'b'], { name: 'letters' }), t.Enum(['a', 'b'])]]);
      expectDifferent('mysql', [
        [t.Enum(['a', 'b']), t.Enum(['b', 'a'])],
        [t.Enum(['a', 'b']), t.Enum(['a', 'b', 'c'])],
        [t.Enum(['a', 'b']), t.Enum(['a', 'B'])],
      ]);
    });

    it('keeps apart what differs', () => {
      expectDifferent('mysql', [
        [t.Boolean(), t.mysql.TINYINT()],
        [t.Uuid(), t.String(36)],
        [t.Integer(), t.BigInteger()],
        [t.mysql.UNSIGNED_INTEGER(), t.Integer()],
        [t.Text(), t.mysql.MEDIUMTEXT()],
        [t.String(50), t.String(51)],
      ]);
    });
  });

  describe('sqlite', () => {
    it('compares names by affinity and keeps the arguments that mean something', () => {
      expectEquivalent('sqlite', [
        [t.Uuid(), t.String(36)],
        [t.DateTime({ timezone: true }), t.DateTime()],
        [t.Float(10), t.Float()],
        [t.Float(), lite('REAL', t.Float())],
        [t.Float(), lite('DOUBLE PRECISION', t.Float())],
        [t.Numeric(10, 2), lite('DECIMAL(10, 2)', t.Numeric(10, 2))],
        [t.Boolean(), lite('BOOL', t.Boolean())],
        [t.DateTime(), lite('TIMESTAMP', t.DateTime())],
        [t.Integer(), lite('INT', t.Integer())],
        [t.String(40), lite('NVARCHAR(40)', t.String(40))],
        [t.Text(), lite('CLOB', t.Text())],
        [t.LargeBinary(10), t.LargeBinary()],
        [t.Enum(['sad', 'happy']), t.String(5)],
      ]);
    });

    it('keeps apart what differs', () => {
      expectDifferent('sqlite', [
        [t.String(20), t.String(30)],
        [t.Numeric(10, 2), t.Numeric(12, 2)],
        [t.BigInteger(), t.Integer()],
        [t.Boolean(), t.Integer()],
        [t.Text(), t.String(10)],
        [t.Enum(['sad', 'happy']), t.String(6)],
      ]);
    });

    it('an autoincrement BigInteger key is stored as INTEGER, the rowid', () => {
      const metadata = new MetaData();
      const big = new Table('rt_big', metadata, { id: column(t.BigInteger(), { primaryKey: true }) });
      const plain = new Table('rt_plain', metadata, {
        id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
        other: column(t.BigInteger()),
      });
      const reflected = (type: TypeEngine, autoincrement: boolean): ReflectedColumn => ({
        name: 'id',
        type,
        nullable: false,
        default: null,
        autoincrement,
        comment: null,
      });
      const impl = implFor('sqlite');
      expect(impl.columnTypesEquivalent(big.c.id, reflected(t.Integer(), true))).to.equal(true);
      expect(impl.columnTypesEquivalent(plain.c.other, reflected(t.Integer(), false))).to.equal(false);
      // A lone INTEGER key is the rowid even without autoincrement: the database generates it anyway.
      expect(impl.modelAutoincrement(plain.c.id)).to.equal(true);
      expect(implFor('postgresql').modelAutoincrement(plain.c.id)).to.equal(false);
    });
  });
});

describe('migrate impl: default normalisation', () => {
  const same = (dialect: DialectName, model: string, reflected: string) => {
    const impl = implFor(dialect);
    expect(impl.normalizeDefault(model), `${dialect}: ${model} ~ ${reflected}`).to.equal(impl.normalizeDefault(reflected));
  };
  const differ = (dialect: DialectName, model: string, reflected: string) => {
    const impl = implFor(dialect);
    expect(impl.normalizeDefault(model), `${dialect}: ${model} !~ ${reflected}`).not.to.equal(impl.normalizeDefault(reflected));
  };

  it('postgresql: drops casts; now() is CURRENT_TIMESTAMP; quoted numbers are numbers', () => {
    same('postgresql', "'abc'", "'abc'::character varying");
    same('postgresql', "'ok'", "'ok'::rt_mood");
    same('postgresql', "'ok'", "'ok'::\"Mood\"");
    same('postgresql', "'0'", "'0'::smallint");
    same('postgresql', "'0'", '0');
    same('postgresql', "'9.99'", '9.99');
    same('postgresql', "'1.50'", '1.5');
    same('postgresql', "'-1'", "'-1'::integer");
    same('postgresql', 'now()', 'CURRENT_TIMESTAMP');
    same('postgresql', "lower('ABC')", "lower('ABC'::text)");
    same('postgresql', "'{}'", "'{}'::jsonb");
    same('postgresql', "'2024-01-01 00:00:00'", "'2024-01-01 00:00:00'::timestamp without time zone");
    differ('postgresql', "'abc'", "'abd'::character varying");
    differ('postgresql', "'ABC'", "'abc'::text");
    differ('postgresql', "'a::text'", "'a'::text");
    differ('postgresql', '1', '2');
  });

  it('mysql and mariadb: quoting, CURRENT_TIMESTAMP spellings, lcase, booleans as 0 and 1', () => {
    same('mysql', 'CURRENT_TIMESTAMP(6)', 'current_timestamp(6)');
    same('mysql', 'now()', 'current_timestamp(6)');
    same('mysql', 'CURRENT_TIMESTAMP', 'current_timestamp()');
    same('mysql', "lower('ABC')", "lcase('ABC')");
    same('mysql', 'false', '0');
    same('mysql', 'true', '1');
    same('mysql', "'0'", '0');
    same('mysql', "'abc'", "'abc'");
    same('mysql', "(lower('ABC'))", "lower(_utf8mb4\\'ABC\\')");
    same('mysql', '1 + 2', '(1 + 2)');
    differ('mysql', "'abc'", "'ABC'");
    differ('mysql', 'CURRENT_TIMESTAMP', "'CURRENT_TIMESTAMP'");
  });

  it('sqlite: the text as written, up to spacing, case and outer parentheses', () => {
    same('sqlite', "'0'", '0');
    same('sqlite', 'CURRENT_TIMESTAMP', 'current_timestamp');
    same('sqlite', "(lower('ABC'))", "lower('ABC')");
    differ('sqlite', "'a'", "'b'");
  });

  it('no default and DEFAULT NULL are the same', () => {
    for (const dialect of ['sqlite', 'postgresql', 'mysql'] as const) {
      expect(implFor(dialect).normalizeDefault('NULL')).to.equal(null);
      expect(implFor(dialect).normalizeDefault(null)).to.equal(null);
    }
  });

  it('renders a model default as the DDL does: a string is a literal, an expression is SQL', () => {
    const metadata = new MetaData();
    const table = new Table('rt_defaults', metadata, {
      id: column(t.Integer(), { primaryKey: true }),
      name: column(t.String(20), { serverDefault: "it's" }),
      at: column(t.DateTime(), { serverDefault: func.now() }),
      flag: column(t.Boolean(), { serverDefault: false_() }),
      raw: column(t.Integer(), { serverDefault: literalColumn('1 + 2') }),
    });
    const render = (dialect: DialectName) => table.columns.map((c) => implFor(dialect).modelDefault(c));
    expect(render('sqlite')).to.deep.equal([null, "'it''s'", 'CURRENT_TIMESTAMP', '0', '1 + 2']);
    expect(render('postgresql')).to.deep.equal([null, "'it''s'", 'now()', 'false', '1 + 2']);
    expect(render('mysql')).to.deep.equal([null, "'it''s'", 'now()', 'false', '1 + 2']);
  });
});

describe('migrate impl: expressions and referential actions', () => {
  it('index expressions and CHECK conditions compare without quotes, casts and grouping', () => {
    expect(implFor('postgresql').normalizeExpression('lower((email)::text)')).to.equal('lower(email)');
    expect(implFor('postgresql').normalizeExpression('((qty >= 0) AND (qty < 10))')).to.equal('qty>=0 and qty<10');
    expect(implFor('mysql').normalizeExpression('lower(`email`)')).to.equal('lower(email)');
    expect(implFor('mysql').normalizeExpression('`qty` >= 0')).to.equal('qty>=0');
    expect(implFor('sqlite').normalizeExpression('"qty" >= 0')).to.equal('qty>=0');
    expect(implFor('postgresql').normalizeExpression("(name)::text <> ''::text")).to.equal(implFor('postgresql').normalizeExpression("name != ''"));
    expect(implFor('mysql').normalizeExpression("`name` <> 'a != b'")).to.equal("name<>'a != b'");
  });

  it("a reflected expression written into a revision loses MySQL's backticks where no quoting is needed", () => {
    expect(implFor('mysql').portableExpression("(`price` * `qty`) + `odd col` + length('`a`')")).to.equal("(price * qty) + `odd col` + length('`a`')");
    expect(implFor('mysql').portableExpression("(`name` <> _utf8mb4\\'it\\'\\'s\\')")).to.equal("(name <> 'it''s')");
    expect(implFor('mysql').portableExpression("`body` <> 'it\\'s'")).to.equal("body <> 'it''s'");
    expect(implFor('postgresql').portableExpression("(body)::text <> 'it''s::text'::text AND code::character varying(3) = 'a'::bpchar")).to.equal(
      "(body) <> 'it''s::text' AND code = 'a'",
    );
    expect(implFor('postgresql').portableExpression('"Price" * qty::numeric')).to.equal('"Price" * qty::numeric');
  });

  it('the default action reads as null; MySQL treats RESTRICT as the default', () => {
    expect(implFor('postgresql').normalizeReferentialAction('NO ACTION')).to.equal(null);
    expect(implFor('postgresql').normalizeReferentialAction('restrict')).to.equal('RESTRICT');
    expect(implFor('mysql').normalizeReferentialAction('RESTRICT')).to.equal(null);
    expect(implFor('sqlite').normalizeReferentialAction('CASCADE')).to.equal('CASCADE');
  });
});

describe('migrate impl: sql-text helpers', () => {
  it('splits type spellings into name and arguments', () => {
    expect(parseTypeSpelling('timestamp(3) with time zone')).to.deep.equal({ name: 'TIMESTAMP WITH TIME ZONE', args: ['3'] });
    expect(parseTypeSpelling('NUMERIC(10, 2)')).to.deep.equal({ name: 'NUMERIC', args: ['10', '2'] });
    expect(parseTypeSpelling("ENUM('a', 'b,c', 'it''s')")).to.deep.equal({ name: 'ENUM', args: ["'a'", "'b,c'", "'it''s'"] });
    expect(parseTypeSpelling('int(10) unsigned')).to.deep.equal({ name: 'INT UNSIGNED', args: ['10'] });
    expect(parseTypeSpelling('TEXT')).to.deep.equal({ name: 'TEXT', args: [] });
  });

  it('canonical SQL keeps literals as written', () => {
    expect(finishSql(prepareSql("LOWER( 'A B' ) || \"X\""))).to.equal("lower('A B')||x");
    expect(finishSql(prepareSql("('it''s')"))).to.equal("'it''s'");
  });

  it('numbers read one way', () => {
    expect(['1.50', "'1.50'", '+1.5', '01.5', '-0', "'-2.000'", '3.', "'abc'", "'1"].map(canonicalNumber)).to.deep.equal([
      '1.5',
      '1.5',
      '1.5',
      '1.5',
      '0',
      '-2',
      '3',
      "'abc'",
      "'1",
    ]);
  });
});
