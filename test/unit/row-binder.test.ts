/**
 * The compiled parameter builder of multi-row INSERT batches (src/engine/row-binder.ts) against the
 * general loop it stands in for: the same array for every generic type and NULL on every dialect, keys
 * that are awkward as code kept as data, and the general loop's errors when a value is missing or a
 * conversion fails.
 */
import { expect } from 'chai';
import type { Dialect } from '../../src/dialects/dialect.js';
import { getDialect } from '../../src/dialects/index.js';
import { type ExecutionPlan, bindParams, makePlan } from '../../src/engine/execution-plan.js';
import { compileRowBinder } from '../../src/engine/row-binder.js';
import { ArgumentError, InvalidRequestError } from '../../src/errors.js';
import { MetaData, Table, column, insert, t } from '../../src/index.js';

const DIALECTS: readonly Dialect[] = [getDialect('sqlite'), getDialect('postgresql'), getDialect('mysql'), getDialect('mysql', { mariadb: true })];

const tags = t.decorate(t.Text(), {
  bindValue: (value: string[]) => value.join(','),
  resultValue: (text) => String(text).split(','),
});

const table = new Table('binder_samples', new MetaData(), {
  id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
  small: column(t.SmallInteger(), { nullable: true }),
  big: column(t.BigInteger(), { nullable: true }),
  score: column(t.Float(), { nullable: true }),
  price: column(t.Numeric(12, 2), { nullable: true }),
  name: column(t.String(60), { nullable: true }),
  notes: column(t.Text(), { nullable: true }),
  active: column(t.Boolean(), { nullable: true }),
  day: column(t.Date(), { nullable: true }),
  created: column(t.DateTime(), { nullable: true }),
  createdTz: column(t.DateTime({ timezone: true }), { nullable: true }),
  starts: column(t.Time(), { nullable: true }),
  doc: column(t.JSON<unknown>(), { nullable: true }),
  uid: column(t.Uuid(), { nullable: true }),
  payload: column(t.LargeBinary(), { nullable: true }),
  colour: column(t.Enum(['red', 'green']), { nullable: true }),
  labels: column(tags, { nullable: true }),
});
const KEYS = table.columns.map((c) => c.key);

const FULL: Record<string, unknown> = {
  id: 1,
  small: 32767,
  big: 9007199254740993n,
  score: 0.1 + 0.2,
  price: 12.5,
  name: 'Zoë 🎬 “quotes”',
  notes: "line 1\nline 2\t'x'",
  active: true,
  day: new Date(Date.UTC(2024, 1, 29)),
  created: new Date(Date.UTC(2024, 0, 31, 23, 59, 58, 123)),
  createdTz: new Date(Date.UTC(1999, 11, 31, 12, 0, 0, 5)),
  starts: '13:45:00',
  doc: { a: [1, 'two', null] },
  uid: '0F8FAD5B-D9CB-469F-A165-70867728950E',
  payload: new Uint8Array([0, 1, 255]),
  colour: 'green',
  labels: ['a', 'b'],
};
const NULLS: Record<string, unknown> = Object.fromEntries(KEYS.map((k) => [k, k === 'id' ? 2 : null]));

function planOf(dialect: Dialect, keys: readonly string[], rows: number, target: Table = table): ExecutionPlan {
  return makePlan(dialect.compileInsertBatch(insert(target), keys, rows), dialect.values, { reusable: true, byName: false, exactIntegersOnRequest: false });
}

/** What the general loop makes of the batch: the same plan with its binder taken away. */
function generalBind(plan: ExecutionPlan, rows: readonly Record<string, unknown>[], offset: number): unknown[] {
  return bindParams({ ...plan, rowBinder: null }, rows, offset);
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('compiled INSERT batch binders', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect.name}${dialect === DIALECTS[3] ? ' (MariaDB)' : ''}: every generic type and NULL bind as the general loop binds them`, () => {
      const plan = planOf(dialect, KEYS, 3);
      expect(plan.rowBinder).to.not.equal(null);
      const rows = [{ ...FULL, extra: 'not a column' }, NULLS, { ...FULL, id: 3 }, FULL];
      for (const offset of [0, 1]) expect(bindParams(plan, rows, offset)).to.deep.equal(generalBind(plan, rows, offset));
    });
  }

  it('a single-row statement and a statement with values of its own take the general loop', () => {
    const dialect = getDialect('sqlite');
    expect(planOf(dialect, KEYS, 1).rowBinder).to.equal(null);
    const fixed = dialect.compile(insert(table).values([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]));
    expect(makePlan(fixed, dialect.values, { reusable: true, byName: false, exactIntegersOnRequest: false }).rowBinder).to.equal(null);
  });

  it('a client-side default generated per row takes the general loop, which calls it', () => {
    const withDefault = new Table('binder_defaults', new MetaData(), {
      id: column(t.Integer(), { primaryKey: true, autoincrement: false }),
      stamp: column(t.String(10), { default: () => 'now' }),
    });
    const plan = planOf(getDialect('postgresql'), ['id'], 2, withDefault);
    expect(plan.rowBinder).to.equal(null);
    expect(bindParams(plan, [{ id: 1 }, { id: 2 }], 0)).to.deep.equal([1, 'now', 2, 'now']);
  });

  it('keys that are awkward as code are read as data', () => {
    const awkward = ['it"s', "it's", 'back\\slash', 'line\u2028sep', 'new\nline', '`${x}`', '0', 'constructor', '}); throw 1; ({'];
    const type = t.String();
    const slots = [0, 1].flatMap((row) => awkward.map((key) => ({ key, value: undefined, late: true, row, type })));
    const bind = compileRowBinder(slots, slots.map(() => null))!;
    const records = [0, 1].map((row) => Object.fromEntries(awkward.map((key, i) => [key, `${row}:${i}`])));
    const out = new Array<unknown>(slots.length);
    bind(records, 0, out);
    expect(out).to.deep.equal([0, 1].flatMap((row) => awkward.map((_, i) => `${row}:${i}`)));
  });

  it('a missing value is the general loop\'s InvalidRequestError naming the parameter', () => {
    const plan = planOf(getDialect('sqlite'), ['id', 'name'], 2);
    const error = errorOf(() => bindParams(plan, [{ id: 1, name: 'a' }, { id: 2 }], 0));
    expect(error).to.be.instanceOf(InvalidRequestError);
    expect(error.message).to.equal(errorOf(() => generalBind(plan, [{ id: 1, name: 'a' }, { id: 2 }], 0)).message);
    expect(error.message).to.contain("'name'");
  });

  it("a failed conversion is the general loop's ArgumentError naming the parameter", () => {
    const plan = planOf(getDialect('mysql'), ['id', 'score'], 2);
    const rows = [{ id: 1, score: 1.5 }, { id: 2, score: Number.NaN }];
    const error = errorOf(() => bindParams(plan, rows, 0));
    expect(error).to.be.instanceOf(ArgumentError);
    expect(error.message).to.equal(errorOf(() => generalBind(plan, rows, 0)).message);
    expect(error.message).to.contain("'score'");
  });
});
