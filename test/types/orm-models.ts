/**
 * Compile-only checks of the types the ORM infers for declarative models: instance attributes
 * (`movie.title: string`, a nullable column `T | null`), what `new Movie({...})` accepts, the column
 * expressions under `Movie.c`, model methods, and the session methods that hand objects back. Nothing
 * here runs; `tsc --noEmit` fails when an inferred type drifts, and `@ts-expect-error` lines must stay
 * errors.
 */
import {
  DeclarativeBase,
  type InstanceStatus,
  delete_,
  tuple_,
  update,
  type Session,
  mapped,
  select,
  sessionmaker,
  t,
} from '../../src/index.js';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}
declare function valueOf<T>(): T;

class Base extends DeclarativeBase {}

class Movie extends Base.model('movies', {
  id: mapped(t.Integer(), { primaryKey: true }),
  title: mapped(t.String(128), { unique: true }),
  director: mapped(t.String(64)),
  releaseDate: mapped(t.Date(), { name: 'release_date' }),
  rating: mapped(t.Float(), { nullable: true }),
  votes: mapped(t.BigInteger(), { default: 0n }),
  seen: mapped(t.Boolean(), { serverDefault: '0' }),
  createdAt: mapped(t.DateTime(), { nullable: true }),
}) {
  override toString(): string {
    return `Movie(${this.id}, "${this.title}")`;
  }
  /** A model's own method sees the mapped attributes with their types. */
  isClassic(): boolean {
    return this.releaseDate < '1970-01-01';
  }
}

/** A second base: its models and MetaData are separate from the first's. */
class OtherBase extends DeclarativeBase {}
class Tag extends OtherBase.model('tags', {
  name: mapped(t.String(32), { primaryKey: true }),
  // Columns named like Function members are fine: columns live under `.c`, not on the class.
  length: mapped(t.Integer(), { nullable: true }),
}) {}

// ---- instances --------------------------------------------------------------------------------

declare const movie: Movie;
assertType<Equal<typeof movie.id, number>>();
assertType<Equal<typeof movie.title, string>>();
assertType<Equal<typeof movie.releaseDate, string>>();
assertType<Equal<typeof movie.rating, number | null>>();
assertType<Equal<typeof movie.votes, bigint>>();
assertType<Equal<typeof movie.seen, boolean>>();
assertType<Equal<typeof movie.createdAt, Date | null>>();
assertType<Equal<ReturnType<Movie['isClassic']>, boolean>>();

declare const tag: Tag;
assertType<Equal<typeof tag.name, string>>();
assertType<Equal<typeof tag.length, number | null>>();

movie.title = 'Alien';
movie.rating = null;
// @ts-expect-error a NOT NULL column does not take null
movie.title = null;
// @ts-expect-error a string column does not take a number
movie.title = 5;
// @ts-expect-error BigInteger attributes are bigint
movie.votes = 1;

// ---- construction -----------------------------------------------------------------------------

new Movie({ title: 'Blade Runner', director: 'Ridley Scott', releaseDate: '1982-06-25' });
new Movie({ title: 'Alien', director: 'Ridley Scott', releaseDate: '1979-05-25', rating: null, votes: 10n, createdAt: new Date() });
// Without values: for a subclass constructor's super() that sets the attributes itself.
new Movie();
// @ts-expect-error a NOT NULL column without a default is required (releaseDate is missing)
new Movie({ title: 'Blade Runner', director: 'Ridley Scott' });
// @ts-expect-error the primary key is generated and others have defaults, but title, director and releaseDate are required
new Movie({ rating: null, votes: 10n, createdAt: new Date() });
// @ts-expect-error a wrong value type for a column
new Movie({ title: 1982 });
// @ts-expect-error null for a NOT NULL column
new Movie({ director: null });
// @ts-expect-error a Date column takes ISO strings, not Date objects
new Movie({ releaseDate: new Date() });

// ---- column expressions -----------------------------------------------------------------------

const c = Movie.c;
assertType<Equal<typeof c.title.__value, string>>();
assertType<Equal<typeof c.rating.__value, number | null>>();
const stmt = select(Movie.c.title, Movie.c.rating).where(Movie.c.director.eq('Ridley Scott')).orderBy(Movie.c.title.desc());
declare const row: (typeof stmt)['__row'];
assertType<Equal<(typeof row)[0], string>>();
assertType<Equal<(typeof row)[1], number | null>>();
assertType<Equal<typeof row.title, string>>();
// @ts-expect-error no such column
void Movie.c.titel;
// @ts-expect-error comparing a string column with a number
Movie.c.title.eq(5);
void Movie.table.name;
void Tag.c.length;

// ---- sessions hand back typed objects -----------------------------------------------------------

declare const session: Session;
async function sessionTypes(): Promise<void> {
  const got = await session.get(Movie, 1);
  assertType<Equal<typeof got, Movie | null>>();
  const composite = await session.get(Movie, [1]);
  assertType<Equal<typeof composite, Movie | null>>();
  const merged = await session.merge(movie);
  assertType<Equal<typeof merged, Movie>>();
  assertType<Equal<ReturnType<Session['statusOf']>, InstanceStatus>>();
  assertType<Equal<InstanceStatus, 'transient' | 'pending' | 'persistent' | 'deleted' | 'detached'>>();
  const factory = sessionmaker(valueOf<Session['engine']>());
  const n = await factory.begin(async (s) => {
    s.add(new Movie({ title: 'x', director: 'y', releaseDate: '2000-01-01' }));
    return 1;
  });
  assertType<Equal<typeof n, number>>();
  // @ts-expect-error add() takes one object; addAll() takes several
  session.add(movie, movie);
}
void sessionTypes;

// ---- constructor types tell the truth (issue: `new User({ email })` compiled) -------------------

class Account extends Base.model('accounts', {
  id: mapped(t.Integer(), { primaryKey: true }),
  username: mapped(t.String(50)),
  email: mapped(t.String(100), { nullable: true }),
  karma: mapped(t.Integer(), { default: 0 }),
  ownerId: mapped(t.Integer(), { foreignKey: 'movies.id' }),
  code: mapped(t.String(8), { primaryKey: false, serverDefault: 'x' }),
}) {
  /** A custom constructor sets attributes itself after `super()`. */
  static named(username: string): Account {
    const account = new Account();
    account.username = username;
    return account;
  }
}
// Required: NOT NULL without a default. Optional: nullable, defaulted, generated keys, foreign keys
// (usually filled from a relationship at flush).
new Account({ username: 'ed' });
new Account({ username: 'ed', email: null, karma: 3, ownerId: 1, code: 'abc', id: 7 });
// @ts-expect-error username is NOT NULL without a default
new Account({ email: 'ed@example.com' });
// @ts-expect-error a nullable column takes null, a NOT NULL one does not
new Account({ username: null });
// Relationship attributes may be given too (they are checked at run time).
new Account({ username: 'ed', addresses: [] });
assertType<Equal<Parameters<typeof Account.named>[0], string>>();

// ---- ORM-enabled update/delete take the model's columns ------------------------------------------

update(Account).values({ karma: Account.c.karma.add(1) }).executionOptions({ synchronizeSession: 'fetch' });
delete_(Account).where(Account.c.id.eq(1)).executionOptions({ synchronizeSession: false });
// @ts-expect-error a string for an Integer column
update(Account).values({ karma: 'x' });
// @ts-expect-error no such synchronizeSession strategy
update(Account).executionOptions({ synchronizeSession: 'yes' });
// @ts-expect-error tuple_().in() rows have one value per element, typed
tuple_(Account.c.id, Account.c.username).in([[1, 2]]);
tuple_(Account.c.id, Account.c.username).in([[1, 'ed']]);
