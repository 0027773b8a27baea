/**
 * Compile-only checks of ORM query results: 2.0-style `select(Model)` through `session.execute`,
 * `scalars`, `scalar` and Result accessors, and the legacy `session.query()` facade (instances for one
 * model, rows otherwise, `filterBy` keyed by the model's columns, aliases and labels). Nothing here runs.
 */
import { DeclarativeBase, type Query, type Row, type Session, aliased, func, mapped, select, t } from '../../src/index.js';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

class Base extends DeclarativeBase {}

class User extends Base.model('users', {
  id: mapped(t.Integer(), { primaryKey: true }),
  name: mapped(t.String(50), { nullable: true }),
  fullname: mapped(t.String(50), { nullable: true }),
  age: mapped(t.Integer()),
}) {
  greet(): string {
    return `hi ${this.name}`;
  }
}

declare const session: Session;

async function twoPointO(): Promise<void> {
  // select(Model): rows of one instance
  const rows = (await session.execute(select(User))).all();
  assertType<Equal<(typeof rows)[number][0], User>>();
  const users = (await session.scalars(select(User).where(User.c.age.gt(30)))).all();
  assertType<Equal<typeof users, User[]>>();
  users[0]!.greet();
  const first = await session.scalar(select(User).orderBy(User.c.id));
  assertType<Equal<typeof first, User | null>>();

  // select(Model, func.count()): an instance and a number per row
  const counted = (await session.execute(select(User, func.count()).groupBy(User))).all();
  assertType<Equal<(typeof counted)[number][0], User>>();
  assertType<Equal<(typeof counted)[number][1], number>>();

  // columns: values typed by the column, named by the key
  const cols = (await session.execute(select(User.c.name, User.c.age))).one();
  assertType<Equal<(typeof cols)[0], string | null>>();
  assertType<Equal<typeof cols.age, number>>();

  // Result accessors keep the row type
  const result = await session.execute(select(User));
  assertType<Equal<ReturnType<typeof result.scalarOne>, User>>();
  assertType<Equal<ReturnType<typeof result.scalarOneOrNone>, User | null>>();
  assertType<Equal<ReturnType<typeof result.first>, ReturnType<typeof result.one> | null>>();
  assertType<Equal<ReturnType<typeof result.unique>, typeof result>>();
}

async function legacy(): Promise<void> {
  // query(Model): instances
  const all = await session.query(User).filter(User.c.name.like('%ed')).orderBy(User.c.id).all();
  assertType<Equal<typeof all, User[]>>();
  const one = await session.query(User).filterBy({ name: 'ed' }).first();
  assertType<Equal<typeof one, User | null>>();
  const got = await session.query(User).get(5);
  assertType<Equal<typeof got, User | null>>();
  const n = await session.query(User).count();
  assertType<Equal<typeof n, number>>();
  const q: Query<User, any, any> = session.query(User).limit(2).offset(1).slice(0, 1);
  void q;

  // query(columns...): rows
  const rows = await session.query(User.c.name, User.c.age).all();
  assertType<Equal<(typeof rows)[number], Row<[string | null, number], { name: string | null; age: number }>>>();
  const mixed = await session.query(User, User.c.name).all();
  assertType<Equal<(typeof mixed)[number][0], User>>();
  assertType<Equal<(typeof mixed)[number]['name'], string | null>>();

  // labels name the row's field
  const labelled = await session.query(User.c.name.label('name_label')).all();
  assertType<Equal<(typeof labelled)[number]['name_label'], string | null>>();

  // scalar(): the first column of the only row (the instance for a query of one model)
  const id = await session.query(User.c.id).filter(User.c.name.eq('ed')).scalar();
  assertType<Equal<typeof id, number | null>>();
  const user = await session.query(User).scalar();
  assertType<Equal<typeof user, User | null>>();

  // aliases: columns under `.c`, instances of the model
  const userAlias = aliased(User, { name: 'user_alias' });
  const aliasRows = await session.query(userAlias, userAlias.c.name).all();
  assertType<Equal<(typeof aliasRows)[number][0], User>>();
  assertType<Equal<(typeof aliasRows)[number][1], string | null>>();
  const aliasUsers = await session.query(userAlias).all();
  assertType<Equal<typeof aliasUsers, User[]>>();

  // filterBy is keyed by the first model's columns
  session.query(User).filterBy({ fullname: 'Ed Jones', age: 3 });
  session.query(User).filterBy({ name: null });
  // @ts-expect-error no such column
  session.query(User).filterBy({ nickname: 'eddie' });
  // @ts-expect-error a wrong value type
  session.query(User).filterBy({ age: 'three' });
  // @ts-expect-error query() needs at least one item
  session.query();

  // iteration
  for await (const u of session.query(User)) assertType<Equal<typeof u, User>>();
}

void twoPointO;
void legacy;

async function joined(): Promise<void> {
  class Address extends Base.model('addresses', {
    id: mapped(t.Integer(), { primaryKey: true }),
    email: mapped(t.String(50)),
    userId: mapped(t.Integer(), { foreignKey: 'users.id' }),
  }) {}
  // after join(Model), filterBy() names the joined model's columns
  const users = await session.query(User).join(Address).filterBy({ email: 'ed@example.com' }).all();
  assertType<Equal<typeof users, User[]>>();
  // @ts-expect-error `name` is User's, not Address's
  session.query(User).join(Address).filterBy({ name: 'ed' });
}
void joined;
