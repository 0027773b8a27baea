/** The stairway test's comparison of two reflected schemas: exact, by name, one line per difference. */
import { expect } from 'chai';
import type { ReflectedSchema, ReflectedTable } from '../../src/schema/reflected.js';
import { diffSchemas } from '../../src/migrate/stairway/schema-diff.js';
import { t } from '../../src/types/index.js';

function table(name: string, changes: Partial<ReflectedTable> = {}): ReflectedTable {
  return {
    name,
    schema: null,
    comment: null,
    columns: [
      { name: 'id', type: t.Integer(), nullable: false, default: null, autoincrement: true, comment: null },
      { name: 'title', type: t.String(200), nullable: false, default: null, autoincrement: false, comment: null },
    ],
    primaryKey: { name: null, columns: ['id'] },
    foreignKeys: [],
    indexes: [],
    uniqueConstraints: [],
    checkConstraints: [],
    ...changes,
  };
}

const schema = (...tables: ReflectedTable[]): ReflectedSchema => ({ tables, views: [], enums: [], sequences: [] });

describe('diffSchemas (the stairway test)', () => {
  it('finds nothing between equal schemas, whatever the column order, and skips ignored tables', () => {
    const reordered = table('movies', { columns: [...table('movies').columns].reverse() });
    expect(diffSchemas(schema(table('movies')), schema(reordered, table('alembic_version')), ['alembic_version'])).to.deep.equal([]);
  });

  it('names tables and columns missing, left behind or changed', () => {
    const before = schema(table('movies'), table('awards'));
    const after = schema(
      table('movies', {
        columns: [
          { name: 'id', type: t.Integer(), nullable: false, default: null, autoincrement: true, comment: null },
          { name: 'title', type: t.String(100), nullable: true, default: null, autoincrement: false, comment: null },
          { name: 'budget', type: t.Integer(), nullable: true, default: null, autoincrement: false, comment: null },
        ],
        indexes: [{ name: 'ix_movies_title', columns: ['title'], expressions: [], unique: false, implicit: false }],
      }),
      table('genres'),
    );
    expect(diffSchemas(before, after)).to.deep.equal([
      'movies: column title was String(200) NOT NULL, is String(100) NULL',
      'movies: column budget was not there before (Integer() NULL)',
      `movies: index ix_movies_title was not there before (${JSON.stringify(after.tables[0]!.indexes[0])})`,
      'table awards is missing',
      'table genres was not there before',
    ]);
  });

  it('compares unnamed constraints by what they say', () => {
    const check = { name: null, sqltext: 'year > 1888' };
    expect(diffSchemas(schema(table('movies', { checkConstraints: [check] })), schema(table('movies')))).to.deep.equal([
      `movies: check constraint ${JSON.stringify(check)} is missing`,
    ]);
  });
});
