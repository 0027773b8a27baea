/**
 * Builds Tables from a reflected schema, for `MetaData.reflect()`. Server defaults and index expressions
 * come back as the database spells them and are kept verbatim as SQL.
 */
import { literalColumn } from '../sql/elements/text.js';
import { column, columnServerOptions, type ColumnSpec } from './column.js';
import { CheckConstraint, ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint, type ReferentialAction } from './constraints.js';
import type { MetaData } from './metadata.js';
import type { ReflectedSchema, ReflectedTable } from './reflected.js';
import { Table, tableServerOptions, type TableArg } from './table.js';
import { Index, indexDialectOptions } from './table-index.js';
import { Sequence, sequenceParameters } from './sequence.js';

/** Adds a Sequence to `metadata` for each reflected free-standing sequence. */
export function sequencesFromReflected(metadata: MetaData, reflected: ReflectedSchema): Sequence[] {
  return reflected.sequences.map((s) => new Sequence(s.name, metadata, { ...(s.schema === null ? {} : { schema: s.schema }), ...sequenceParameters(s) }));
}

/** Adds a Table to `metadata` for each reflected table (all, or only those named). */
export function tablesFromReflected(metadata: MetaData, reflected: ReflectedSchema, only?: readonly string[]): Table[] {
  const wanted = only === undefined ? reflected.tables : reflected.tables.filter((t) => only.includes(t.name));
  return wanted.map((t) => tableFromReflected(metadata, t));
}

function tableFromReflected(metadata: MetaData, reflected: ReflectedTable): Table {
  const specs: Record<string, ColumnSpec> = {};
  for (const col of reflected.columns) {
    specs[col.name] = column(col.type, {
      nullable: col.nullable,
      ...(col.default === null ? {} : { serverDefault: literalColumn(col.default) }),
      autoincrement: col.autoincrement,
      ...(col.comment === null ? {} : { comment: col.comment }),
      ...columnServerOptions(col),
    });
  }
  const schema = reflected.schema ?? undefined;
  return new Table(reflected.name, metadata, specs, {
    ...(schema === undefined ? {} : { schema }),
    ...(reflected.comment === null ? {} : { comment: reflected.comment }),
    ...tableServerOptions(reflected),
    constraints: (c) => {
      const cols = (names: readonly string[]) => names.map((n) => c[n]!);
      const name = (n: string | null) => (n === null ? {} : { name: n });
      const args: TableArg[] = [];
      const pk = reflected.primaryKey;
      if (pk !== null && pk.columns.length > 0) args.push(new PrimaryKeyConstraint(cols(pk.columns), name(pk.name)));
      for (const u of reflected.uniqueConstraints) args.push(new UniqueConstraint(cols(u.columns), name(u.name)));
      for (const ck of reflected.checkConstraints) args.push(new CheckConstraint(ck.sqltext, name(ck.name)));
      for (const fk of reflected.foreignKeys) {
        const prefix = fk.referredSchema === null ? fk.referredTable : `${fk.referredSchema}.${fk.referredTable}`;
        args.push(
          new ForeignKeyConstraint(cols(fk.columns), fk.referredColumns.map((rc) => `${prefix}.${rc}`), {
            ...name(fk.name),
            ...(fk.onDelete === null ? {} : { onDelete: fk.onDelete as ReferentialAction }),
            ...(fk.onUpdate === null ? {} : { onUpdate: fk.onUpdate as ReferentialAction }),
            deferrable: fk.deferrable,
            ...(fk.initially === null ? {} : { initially: fk.initially }),
          }),
        );
      }
      for (const ix of reflected.indexes) {
        if (ix.implicit) continue;
        const items = ix.columns.map((colName, i) => (colName === null ? literalColumn(ix.expressions[i] ?? '') : c[colName]!));
        args.push(
          new Index(ix.name, items, { unique: ix.unique, ...indexDialectOptions(ix) }),
        );
      }
      return args;
    },
  });
}
