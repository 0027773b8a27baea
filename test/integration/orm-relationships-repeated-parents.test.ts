/**
 * Loading below parents that the rows repeat: a select joined to a collection returns each parent once
 * per child, and a joined many-to-one returns its target once per row, in any order. The loaders that
 * follow the query take each parent once, told apart by the primary key in the rows (one integer, a
 * text key, or a composite key), and fill every parent's relationship.
 */
import { expect } from 'chai';
import {
  DeclarativeBase,
  type Engine,
  type InstrumentedList,
  Session,
  and_,
  createEngine,
  insert,
  joinedload,
  mapped,
  relationship,
  select,
  selectinload,
  t,
} from '../../src/index.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('relationship loading below repeated parents', (dialect) => {
  class Base extends DeclarativeBase {}
  class Team extends Base.model('rel_rep_teams', { code: mapped(t.String(8), { primaryKey: true }) }) {
    declare members: InstrumentedList<Member>;
    static members = relationship(() => Member, { backPopulates: 'team' });
  }
  class Member extends Base.model('rel_rep_members', {
    id: mapped(t.Integer(), { primaryKey: true, autoincrement: false }),
    teamCode: mapped(t.String(8), { name: 'team_code', foreignKey: 'rel_rep_teams.code' }),
  }) {
    declare team: Team | null;
    static team = relationship(() => Team, { backPopulates: 'members' });
  }
  class Shelf extends Base.model('rel_rep_shelves', {
    row: mapped(t.Integer(), { primaryKey: true, autoincrement: false }),
    col: mapped(t.Integer(), { primaryKey: true, autoincrement: false }),
  }) {
    declare items: InstrumentedList<Item>;
    static items = relationship(() => Item, {
      primaryJoin: () => and_(Shelf.c.row.eq(Item.c.shelfRow as never), Shelf.c.col.eq(Item.c.shelfCol as never)),
      foreignKeys: () => [Item.c.shelfRow, Item.c.shelfCol],
    });
  }
  class Item extends Base.model('rel_rep_items', {
    id: mapped(t.Integer(), { primaryKey: true, autoincrement: false }),
    shelfRow: mapped(t.Integer(), { name: 'shelf_row' }),
    shelfCol: mapped(t.Integer(), { name: 'shelf_col' }),
  }) {}
  let engine: Engine;
  /** The echo log's lines while `engine.echo` is on. */
  const log: string[] = [];

  // Members and items alternate between their parents, so a parent's rows never follow one another.
  const TEAMS = { red: [1, 3, 5], blue: [2, 4], green: [] as number[] };
  // A team larger than the loaders' short lists (16), which are searched rather than hashed.
  const GOLD = Array.from({ length: 20 }, (_, i) => 101 + i);
  const SHELVES = [
    { row: 1, col: 1, items: [10, 12] },
    { row: 1, col: 2, items: [11, 13] },
    { row: 2, col: 1, items: [] as number[] },
  ];

  before(async () => {
    engine = createEngine(dialect.url, { logger: (line) => log.push(line) });
    await engine.dropAll(Base.metadata);
    await engine.createAll(Base.metadata);
    await engine.begin(async (conn) => {
      for (const [code, ids] of Object.entries(TEAMS)) {
        await conn.execute(insert(Team.table).values({ code }));
        for (const id of ids) await conn.execute(insert(Member.table).values({ id, teamCode: code }));
      }
      await conn.execute(insert(Team.table).values({ code: 'gold' }));
      await conn.execute(insert(Member.table), GOLD.map((id) => ({ id, teamCode: 'gold' })));
      for (const shelf of SHELVES) {
        await conn.execute(insert(Shelf.table).values({ row: shelf.row, col: shelf.col }));
        for (const id of shelf.items) await conn.execute(insert(Item.table).values({ id, shelfRow: shelf.row, shelfCol: shelf.col }));
      }
    });
  });
  after(async () => {
    await engine.dropAll(Base.metadata);
    await engine.dispose();
  });

  const ids = (objects: Iterable<{ id: number }>) => [...objects].map((o) => o.id);

  it('parents with a text key, repeated out of order by a join, each get their collection', async () => {
    await using session = new Session(engine);
    log.length = 0;
    engine.echo = true;
    const teams = (await session.scalars(select(Team).join(Team.members).where(Member.c.id.lt(100)).orderBy(Member.c.id).options(selectinload(Team.members)))).all();
    engine.echo = false;
    // The selectin load, the second statement, asks for each team once.
    const parameters = log.filter((line) => line.startsWith('[parameters'));
    expect(parameters).to.have.length(2);
    expect(parameters[1]!.match(/red/g)).to.have.length(1);
    expect(teams.map((team) => team.code)).to.deep.equal(['red', 'blue', 'red', 'blue', 'red']);
    expect(ids(teams[0]!.members)).to.deep.equal(TEAMS.red);
    expect(ids(teams[1]!.members)).to.deep.equal(TEAMS.blue);
    expect(teams[2]).to.equal(teams[0]);
  });

  it('parents with a composite key, repeated out of order by a join, each get their collection', async () => {
    await using session = new Session(engine);
    const shelves = (
      await session.scalars(
        select(Shelf)
          .join(Item, and_(Shelf.c.row.eq(Item.c.shelfRow), Shelf.c.col.eq(Item.c.shelfCol)))
          .orderBy(Item.c.id)
          .options(selectinload(Shelf.items)),
      )
    ).all();
    expect(shelves.map((s) => `${s.row}.${s.col}`)).to.deep.equal(['1.1', '1.2', '1.1', '1.2']);
    expect(ids(shelves[0]!.items)).to.deep.equal([10, 12]);
    expect(ids(shelves[1]!.items)).to.deep.equal([11, 13]);
    const empty = await session.scalar(select(Shelf).where(Shelf.c.row.eq(2)).options(selectinload(Shelf.items)));
    expect(ids(empty!.items)).to.deep.equal([]);
  });

  it('the targets of a joined many-to-one, repeated out of order, each get their collection', async () => {
    await using session = new Session(engine);
    const members = (await session.scalars(select(Member).where(Member.c.id.lt(100)).orderBy(Member.c.id).options(joinedload(Member.team).selectinload(Team.members)))).all();
    expect(members.map((m) => m.team!.code)).to.deep.equal(['red', 'blue', 'red', 'blue', 'red']);
    expect(ids(members[0]!.team!.members)).to.deep.equal(TEAMS.red);
    expect(ids(members[1]!.team!.members)).to.deep.equal(TEAMS.blue);
    expect(members[0]!.team!.members).to.include(members[4]);
  });

  it('a joined collection whose parent\'s rows come apart holds each object once, in key order', async () => {
    await using session = new Session(engine);
    // Each member's row joins its team's members: red's rows come at members 1, 3 and 5.
    const members = (await session.scalars(select(Member).where(Member.c.id.lt(100)).orderBy(Member.c.id).options(joinedload(Member.team).joinedload(Team.members)))).all();
    expect(members.map((m) => m.id)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(ids(members[0]!.team!.members)).to.deep.equal(TEAMS.red);
    expect(ids(members[1]!.team!.members)).to.deep.equal(TEAMS.blue);
  });

  it('a joined collection longer than a searched list, each object repeated on many rows, holds each once', async () => {
    await using session = new Session(engine);
    // The query's own join repeats the team once per member, the joined load once per member again.
    const teams = (await session.scalars(select(Team).join(Team.members).where(Team.c.code.eq('gold')).options(joinedload(Team.members)))).all();
    expect(teams).to.have.length(1);
    expect(ids(teams[0]!.members)).to.deep.equal(GOLD);
  });
});
