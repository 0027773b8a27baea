/**
 * Reads PostgreSQL's spelling of a column type (`format_type()` output such as `character varying(50)`,
 * `timestamp(3) with time zone`, `numeric(10,2)`) back into a tsmig type. Pure: the catalog rows come
 * from `reflection.ts`.
 */
import { t } from '../../types/index.js';
import { DialectSpecificType } from '../../types/dialect-types.js';
import type { TypeEngine } from '../../types/type-engine.js';

/** What the catalog says about one column's type. */
export interface PostgresqlTypeInfo {
  /** `format_type(atttypid, atttypmod)`. */
  readonly formatType: string;
  /** `pg_type.typname`, unqualified and unquoted (an enum's or domain's own name). */
  readonly typeName: string;
  /** `pg_type.typtype`: `b` base, `e` enum, `d` domain, ... */
  readonly typeKind: string;
  /** An enum's labels in `enumsortorder`; null for other types. */
  readonly enumValues: readonly string[] | null;
  /** A domain's underlying type as `format_type` spells it; null for other types. */
  readonly domainBase: string | null;
}

/** PostgreSQL's default fractional-second precision of TIMESTAMP and TIME. */
const DEFAULT_SECOND_PRECISION = 6;

/** Types whose `format_type` spelling has no parameters, to their tsmig constructor. */
const PLAIN: Readonly<Record<string, () => TypeEngine>> = {
  integer: t.Integer,
  bigint: t.BigInteger,
  smallint: t.SmallInteger,
  text: t.Text,
  boolean: t.Boolean,
  date: t.Date,
  'time without time zone': t.Time,
  'double precision': () => t.Float(),
  real: t.postgresql.REAL,
  json: () => t.JSON(),
  jsonb: () => t.postgresql.JSONB(),
  uuid: t.Uuid,
  bytea: () => t.LargeBinary(),
  interval: t.postgresql.INTERVAL,
  inet: t.postgresql.INET,
  cidr: t.postgresql.CIDR,
  macaddr: t.postgresql.MACADDR,
  citext: t.postgresql.CITEXT,
  tsvector: t.postgresql.TSVECTOR,
  'character varying': () => t.String(),
  numeric: () => t.Numeric(),
};

/** Maps one column's catalog type to a tsmig type; unknown types keep their spelling over `t.Text()`. */
export function postgresqlColumnType(info: PostgresqlTypeInfo): TypeEngine {
  if (info.typeKind === 'e' && info.enumValues !== null) return t.Enum(info.enumValues, { name: info.typeName });
  if (info.typeKind === 'd' && info.domainBase !== null) {
    const base = parseFormatType(info.domainBase);
    // A domain is spelled by its own name in DDL; its values travel as the underlying type's do.
    return t.dialectType('postgresql', info.formatType, base instanceof DialectSpecificType ? base.base : base);
  }
  return parseFormatType(info.formatType);
}

/** Maps a `format_type()` spelling to a tsmig type. */
export function parseFormatType(formatType: string): TypeEngine {
  const plain = PLAIN[formatType];
  if (plain !== undefined) return plain();

  const varchar = /^character varying\((\d+)\)$/.exec(formatType);
  if (varchar) return t.String(Number(varchar[1]));

  const char = /^character\((\d+)\)$/.exec(formatType);
  if (char) return t.dialectType('postgresql', `CHAR(${char[1]})`, t.String(Number(char[1])));

  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(formatType);
  if (numeric) return t.Numeric(Number(numeric[1]), Number(numeric[2]));

  const timestamp = /^timestamp(?:\((\d+)\))? (with|without) time zone$/.exec(formatType);
  if (timestamp) {
    const timezone = timestamp[2] === 'with';
    const precision = timestamp[1] === undefined ? DEFAULT_SECOND_PRECISION : Number(timestamp[1]);
    return precision === DEFAULT_SECOND_PRECISION
      ? t.DateTime({ timezone })
      : t.postgresql.TIMESTAMP(timezone ? { timezone, precision } : { precision });
  }

  // TIME WITH TIME ZONE and TIME(p) have no tsmig type of their own; their values are still times.
  if (/^time(?:\(\d+\))? with(?:out)? time zone$/.test(formatType)) {
    return t.dialectType('postgresql', formatType, t.Time());
  }
  // INTERVAL with fields or precision (`interval day`, `interval(3)`) carries the same text values.
  if (/^interval[ (]/.test(formatType)) return t.dialectType('postgresql', formatType, t.String());

  return t.dialectType('postgresql', formatType, t.Text());
}
