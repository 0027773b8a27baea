/**
 * Compile-only checks of the types the expression language infers: result rows of selects (positional
 * and named), RETURNING rows, and the shapes INSERT and UPDATE accept. Nothing here runs; `tsc --noEmit`
 * fails when an inferred type drifts. `@ts-expect-error` lines must stay errors.
 *
 * Lines marked KNOWN BUG pin a typing bug that is reported: the code there is valid SQLAlchemy-style
 * usage that tsmig's types reject today. When the bug is fixed, tsc reports the directive as unused:
 * delete the directive and the KNOWN BUG note.
 */
import {
  type ColumnElement,
  MetaData,
  type Row,
  Table,
  bindparam,
  case_,
  cast,
  column,
  delete_,
  func,
  insert,
  literal,
  select,
  t,
  text,
  union,
  update,
} from '../../src/index.js';

/** True when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** Fails to compile unless its type argument is `true`. */
function assertType<T extends true>(): T | void {}

/** A value of type T, for checks that only need its static type. */
declare function valueOf<T>(): T;

/** The row type of a statement, as `conn.execute(stmt)` yields it. */
type RowOf<S> = S extends { readonly __row: infer R } ? R : never;

const metadata = new MetaData();
const movies = new Table('movies', metadata, {
  id: column(t.Integer(), { primaryKey: true }),
  title: column(t.String(128), { nullable: false }),
  director: column(t.String(64), { nullable: false }),
  releaseDate: column(t.Date(), { name: 'release_date' }),
  rating: column(t.Float()),
  votes: column(t.BigInteger(), { nullable: false, default: 0n }),
  seen: column(t.Boolean(), { nullable: false, serverDefault: '0' }),
  tags: column(t.JSON<string[]>()),
  poster: column(t.LargeBinary()),
  added: column(t.DateTime({ timezone: true }), { nullable: false, default: () => new Date() }),
  kind: column(t.Enum(['feature', 'short'])),
  price: column(t.Numeric(10, 2)),
});
const m = movies.c;

// ---- select(): positional and named parts ---------------------------------------------------------

{
  const stmt = select(m.title, m.rating);
  type R = RowOf<typeof stmt>;
  const row = valueOf<R>();
  const [title, rating] = row;
  assertType<Equal<typeof title, string>>();
  assertType<Equal<typeof rating, number | null>>();
  assertType<Equal<typeof row.title, string>>();
  assertType<Equal<typeof row.rating, number | null>>();
  // @ts-expect-error a column that was not selected
  void row.director;
}

{
  // A column whose key differs from its name is read by its key.
  const row = valueOf<RowOf<ReturnType<typeof select<[typeof m.releaseDate]>>>>();
  assertType<Equal<typeof row.releaseDate, string | null>>();
  // @ts-expect-error the database name is not the row key
  void row.release_date;
}

{
  // Every generic type's TypeScript value.
  const row = valueOf<RowOf<typeof stmt>>();
  const stmt = select(m.id, m.votes, m.seen, m.tags, m.poster, m.added, m.kind, m.price);
  assertType<Equal<typeof row.id, number>>();
  assertType<Equal<typeof row.votes, bigint>>();
  assertType<Equal<typeof row.seen, boolean>>();
  assertType<Equal<typeof row.tags, string[] | null>>();
  assertType<Equal<typeof row.poster, Buffer | null>>();
  assertType<Equal<typeof row.added, Date>>();
  assertType<Equal<typeof row.kind, 'feature' | 'short' | null>>();
  assertType<Equal<typeof row.price, string | null>>();
}

{
  // A whole table gives every column by key.
  const row = valueOf<RowOf<typeof stmt>>();
  const stmt = select(movies);
  assertType<Equal<typeof row.title, string>>();
  assertType<Equal<typeof row.releaseDate, string | null>>();
  assertType<Equal<typeof row.votes, bigint>>();
}

{
  // Labels name a column; expressions keep their value type.
  const stmt = select(
    m.title.label('name'),
    func.count().label('n'),
    func.max(m.rating).label('best'),
    func.avg(m.rating).label('mean'),
    m.title.concat('!').label('loud'),
    m.id.add(1).label('next'),
    m.rating.gt(8).label('good'),
    cast(m.rating, t.Integer()).label('whole'),
    literal(1).label('one'),
  );
  const row = valueOf<RowOf<typeof stmt>>();
  assertType<Equal<typeof row.name, string>>();
  assertType<Equal<typeof row.n, number>>();
  assertType<Equal<typeof row.best, number | null>>();
  assertType<Equal<typeof row.mean, number | null>>();
  assertType<Equal<typeof row.loud, string>>();
  assertType<Equal<typeof row.next, number>>();
  assertType<Equal<typeof row.good, boolean>>();
  assertType<Equal<typeof row.whole, number>>();
  assertType<Equal<typeof row.one, number>>();
  // @ts-expect-error the label replaces the column's own name
  void row.title;
}

{
  // The seed's min/max of release dates: positional, no names.
  const stmt = select(func.min(m.releaseDate), func.max(m.releaseDate));
  const [first, last] = valueOf<RowOf<typeof stmt>>();
  assertType<Equal<typeof first, string | null>>();
  assertType<Equal<typeof last, string | null>>();
}

{
  // Generative methods keep the row type; addColumns() extends it.
  const stmt = select(m.title).where(m.id.gt(1)).orderBy(m.title).limit(3).offset(1).distinct().addColumns(m.rating.label('r'));
  const row = valueOf<RowOf<typeof stmt>>();
  const [title, r] = row;
  assertType<Equal<typeof title, string>>();
  assertType<Equal<typeof r, number | null>>();
  assertType<Equal<typeof row.r, number | null>>();
}

{
  // Subqueries and aliases expose typed columns.
  const sub = select(m.director, func.count().label('n')).groupBy(m.director).subquery('s');
  assertType<Equal<(typeof sub.c.n)['__value'], number>>();
  assertType<Equal<(typeof sub.c.director)['__value'], string>>();
  const a = movies.alias('a');
  const row = valueOf<RowOf<typeof stmt>>();
  const stmt = select(a.c.title, sub.c.n);
  assertType<Equal<typeof row.title, string>>();
  assertType<Equal<typeof row.n, number>>();
}

{
  // A scalar subquery, CASE and UNION.
  const stmt = select(
    select(func.count()).where(m.director.eq('x')).scalarSubquery().label('films'),
    case_([[m.rating.ge(8), 'good']], { else: 'bad' }).label('grade'),
  );
  const row = valueOf<RowOf<typeof stmt>>();
  assertType<Equal<typeof row.films, number>>();
  assertType<Equal<typeof row.grade, string>>();
  const both = union(select(m.title), select(m.director));
  assertType<Equal<RowOf<typeof both>, Row<[string], { title: string }>>>();
}

{
  // text().columns() types the row by name.
  const stmt = text('SELECT id, title FROM movies').columns({ id: t.Integer(), title: t.String() });
  const row = valueOf<RowOf<typeof stmt>>();
  assertType<Equal<typeof row.id, number>>();
  assertType<Equal<typeof row.title, string>>();
}

// ---- operator operands ------------------------------------------------------------------------------

{
  m.title.eq('Alien');
  m.rating.between(8, 10);
  m.id.in([1, 2, 3]);
  m.releaseDate.ge('2000-01-01');
  m.rating.eq(null);
  // @ts-expect-error a number compared with a string
  m.id.eq('1');
  // @ts-expect-error LIKE takes a string pattern
  m.title.like(1);
  // @ts-expect-error IN takes values of the column's type
  m.id.in(['a']);
  // Comparing with a nullable expression (a nullable column, a scalar subquery, max()) is valid SQL.
  m.rating.gt(select(func.avg(m.rating)).scalarSubquery());
  m.rating.eq(movies.alias('b').c.rating);
  // An untyped bindparam compares with anything, as in `users.c.name.eq(bindparam('name'))`.
  m.title.eq(bindparam('name'));
  const typed: ColumnElement<boolean> = m.title.eq(bindparam('name', { type: t.String() }));
  void typed;
  // SQLAlchemy's `select(...).where(text('...'))`.
  select(m.id).where(text('movies.rating > 8'));
}

// ---- INSERT / UPDATE shapes and RETURNING ----------------------------------------------------------

{
  insert(movies).values({ title: 'Alien', director: 'Ridley Scott' });
  insert(movies).values({ id: 35, title: 'Alien', director: 'Ridley Scott', rating: null, releaseDate: '1979-05-25', votes: 1n });
  insert(movies).values([{ title: 'Alien', director: 'Ridley Scott' }, { title: 'Heat', director: 'Michael Mann', rating: 8.3 }]);
  insert(movies).values({ title: m.director.concat(' film'), director: 'x' });
  // @ts-expect-error `director` is NOT NULL without a default, so it is required
  insert(movies).values({ title: 'Alien' });
  // @ts-expect-error the same in a multi-row insert
  insert(movies).values([{ title: 'Alien', director: 'x' }, { title: 'Heat' }]);
  // @ts-expect-error an unknown key
  insert(movies).values({ title: 'Alien', director: 'x', year: 1979 });
  // @ts-expect-error the database name is not the key
  insert(movies).values({ title: 'Alien', director: 'x', release_date: '1979-05-25' });
  // @ts-expect-error a NOT NULL column cannot be set to null
  insert(movies).values({ title: null, director: 'x' });
  // @ts-expect-error a value of the wrong type
  insert(movies).values({ title: 'Alien', director: 'x', rating: '8.5' });
  // @ts-expect-error bigint column, number value
  insert(movies).values({ title: 'Alien', director: 'x', votes: 1 });

  update(movies).values({ rating: 9 });
  update(movies).values({ rating: m.rating.add(1), title: 'x' });
  // @ts-expect-error an unknown key
  update(movies).values({ year: 1979 });
  // @ts-expect-error a NOT NULL column cannot be set to null
  update(movies).values({ title: null });
}

{
  const ins = insert(movies).values({ title: 'Alien', director: 'x' }).returning(m.id, m.added);
  const row = valueOf<RowOf<typeof ins>>();
  const [id, added] = row;
  assertType<Equal<typeof id, number>>();
  assertType<Equal<typeof added, Date>>();
  assertType<Equal<typeof row.id, number>>();

  const upd = update(movies).values({ rating: 9 }).returning(m.rating.label('r'));
  assertType<Equal<(typeof upd)['__row']['r'], number | null>>();

  const del = delete_(movies).returning(movies);
  assertType<Equal<(typeof del)['__row']['title'], string>>();

  // Without RETURNING there is no row type.
  assertType<Equal<RowOf<ReturnType<typeof delete_>>, never>>();
}
