/**
 * PostgreSQL's comparison rules. The catalog answers `format_type()` spellings (`character varying(50)`,
 * `numeric(10,0)`, `real`) and defaults with casts (`'abc'::character varying`); SERIAL and IDENTITY
 * columns report no default at all (reflection leaves `nextval(...)` out), so they compare as
 * autoincrement only. Named enums are types of their own and compare by name and values.
 */
import { getDialect } from '../../dialects/index.js';
import { postgresqlTypes } from '../../dialects/postgresql/type-compiler.js';
import type { Column } from '../../schema/column.js';
import { EnumType } from '../../types/generic.js';
import type { TypeEngine } from '../../types/type-engine.js';
import { DefaultImpl } from './default.js';
import type { ReflectedFacts, ScratchDatabaseSql } from './impl.js';
import { outsideLiterals, type TypeSpelling } from './sql-text.js';

/** Catalog and alias spellings, to the one the type compiler writes. */
const SYNONYMS: Readonly<Record<string, string>> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INT8: 'BIGINT',
  INT2: 'SMALLINT',
  'CHARACTER VARYING': 'VARCHAR',
  CHARACTER: 'CHAR',
  BPCHAR: 'CHAR',
  BOOL: 'BOOLEAN',
  DECIMAL: 'NUMERIC',
  FLOAT8: 'DOUBLE PRECISION',
  FLOAT4: 'REAL',
  TIMESTAMP: 'TIMESTAMP WITHOUT TIME ZONE',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
  TIME: 'TIME WITHOUT TIME ZONE',
  TIMETZ: 'TIME WITH TIME ZONE',
  VARBIT: 'BIT VARYING',
};

/** A cast as `pg_get_expr` writes it: `::text`, `::character varying(20)`, `::timestamp without time zone`, `::s.mood[]`. */
const CAST =
  /::(?:character varying|double precision|bit varying|(?:timestamp|time)(?:\(\d+\))? with(?:out)? time zone|[a-z_][\w$.]*)(?:\(\d+(?:, ?\d+)?\))?(?:\[\])*/g;

/** Types PostgreSQL casts between directly. */
const NUMBERS: ReadonlySet<string> = new Set(['Integer', 'BigInteger', 'SmallInteger', 'Numeric', 'Float']);
const TEXTS: ReadonlySet<string> = new Set(['String', 'Text']);

/** PostgreSQL's default fractional-second precision of TIMESTAMP and TIME. */
const DEFAULT_SECOND_PRECISION = '6';

/** The text PostgreSQL reads as a boolean (any unique prefix of these, too; the usual ones here). */
const BOOLEAN_TRUE: ReadonlySet<string> = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const BOOLEAN_FALSE: ReadonlySet<string> = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** PostgreSQL: see the module comment. */
export class PostgresqlImpl extends DefaultImpl {
  override readonly reflects: ReflectedFacts = {
    comments: true,
    primaryKeyName: true,
    deferrableForeignKeys: true,
    uniqueIndexesAsConstraints: false,
    indexOptions: ['postgresqlUsing', 'postgresqlWhere'],
    implicitForeignKeyIndexes: false,
    identity: true,
    computedPersistedByDefault: true,
    indexNulls: true,
  };

  // FORCE ends sessions a failed run left behind (PostgreSQL 13 and later).
  override readonly scratchDatabase: ScratchDatabaseSql = {
    create: (name) => `CREATE DATABASE ${name}`,
    drop: (name) => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`,
  };

  constructor() {
    super('postgresql', postgresqlTypes);
  }

  protected override canonicalType({ name: spelled, args }: TypeSpelling): TypeSpelling {
    const name = SYNONYMS[spelled] ?? spelled;
    // FLOAT(p) is REAL up to 24 binary digits and DOUBLE PRECISION above; FLOAT alone is FLOAT(53).
    if (name === 'FLOAT') return { name: Number(args[0] ?? 53) <= 24 ? 'REAL' : 'DOUBLE PRECISION', args: [] };
    if (name === 'NUMERIC' && args.length === 1) return { name, args: [args[0]!, '0'] };
    if (name === 'CHAR' && args.length === 0) return { name, args: ['1'] };
    if (/^TIME(STAMP)? WITH(OUT)? TIME ZONE$/.test(name) && args[0] === DEFAULT_SECOND_PRECISION) return { name, args: [] };
    return { name, args };
  }

  protected override enumsEquivalent(model: TypeEngine, reflected: TypeEngine): boolean | null {
    const named = (type: TypeEngine): type is EnumType => type instanceof EnumType && type.name !== undefined;
    if (!named(model) && !named(reflected)) return null;
    if (!named(model) || !named(reflected)) return false;
    return model.name === reflected.name && model.values.join('\u0000') === reflected.values.join('\u0000');
  }

  /**
   * `code::INTEGER`: PostgreSQL converts between kinds of type only when told how. Between numbers (and
   * to text) a direct cast keeps the values' meaning; otherwise the values go through their text form,
   * which every type reads (a cast from, say, bigint to date does not exist at all).
   */
  override castUsing(column: string, from: TypeEngine, to: TypeEngine): string | null {
    const name = getDialect('postgresql').quoteIdentifier(column);
    const numeric = (type: TypeEngine) => NUMBERS.has(type.impl.typeName);
    const direct = (numeric(from) && numeric(to)) || TEXTS.has(to.impl.typeName) || (from.impl.typeName === 'Boolean' && to.impl.typeName === 'Integer');
    return `${name}${direct ? '' : '::text'}::${this.types.columnType(to)}`;
  }

  /**
   * A Boolean column's default given as text (`serverDefault: 'true'`, or `'1'` from a revision made on
   * another database) is stored as PostgreSQL reads it, `true` or `false`: compared so, it settles.
   */
  override modelDefault(column: Column): string | null {
    const value = column.options.serverDefault;
    if (typeof value === 'string' && column.type.impl.typeName === 'Boolean') {
      const word = value.trim().toLowerCase();
      if (BOOLEAN_TRUE.has(word)) return 'true';
      if (BOOLEAN_FALSE.has(word)) return 'false';
    }
    return super.modelDefault(column);
  }

  /** Without the casts to a string type PostgreSQL writes into a CHECK (`body::text <> 'x'::text`). */
  override portableExpression(sql: string): string {
    return outsideLiterals(sql, (text) => text.replace(/::(?:text|character varying|bpchar|character)(?:\(\d+\))?(?![\w\s]*\[)/g, ''));
  }

  /** Drops casts (`'abc'::character varying`, `lower(name::text)`); `now()` is CURRENT_TIMESTAMP. */
  protected override rewriteSql(sql: string): string {
    return outsideLiterals(sql, (text) =>
      text.replace(CAST, '').replace(/\b(?:now|transaction_timestamp)\(\)/g, 'current_timestamp'),
    );
  }
}
