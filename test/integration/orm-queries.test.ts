/**
 * 2.0-style ORM queries on every dialect: `select(Model)` and column selects through
 * `session.execute/scalars/scalar`, entities next to aggregates, `groupBy(Model)` standing for all its
 * columns, Result accessors (`all/first/one/oneOrNone/unique/scalarOne/scalarOneOrNone`), aliases and
 * the identity map across queries.
 */
import { expect } from 'chai';
import {
  MultipleResultsFoundError,
  NoResultFoundError,
  aliased,
  func,
  select,
  text,
  update,
} from '../../src/index.js';
import { Director, FILM_ROWS, Film, useDirectorFilmSession } from '../fixtures/orm-directors.js';
import { forEachDialect } from '../helpers/dialects.js';

const D = Director.c;
const F = Film.c;

forEachDialect('orm: select() queries', (dialect) => {
  const db = useDirectorFilmSession(dialect.url);

  it('select(Model) yields instances of the model, built without calling its constructor', async () => {
    const films = (await db.session.scalars(select(Film).orderBy(F.id))).all();
    expect(films.map(String)).to.deep.equal(FILM_ROWS.map((f) => `Film(${f.id}, "${f.title}")`));
    expect(films[0]).to.be.instanceOf(Film);
    expect(films[0]!.year).to.equal(1979);
    expect(db.session.statusOf(films[0]!)).to.equal('persistent');
  });

  it('rows name an entity after its class: row.Film', async () => {
    const rows = (await db.session.execute(select(Film, F.year).where(F.id.eq(1)))).all();
    const row = rows[0]!;
    expect((row as unknown as { Film: Film }).Film).to.equal(row[0]);
    expect(row.year).to.equal(1979);
    expect((await db.session.execute(select(Film))).keys()).to.deep.equal(['Film']);
  });

  it('select(Model.c.a, Model.c.b) yields typed, named rows', async () => {
    const rows = (await db.session.execute(select(F.title, F.year).where(F.directorId.eq(2)).orderBy(F.year))).all();
    expect(rows.map((r) => [...r])).to.deep.equal([
      ['Memento', 2000],
      ['Inception', 2010],
      ['Interstellar', 2014],
    ]);
    expect(rows[0]!.title).to.equal('Memento');
  });

  it('select(Model, func.count()).groupBy(Model) groups by every column of the model', async () => {
    const stmt = select(Director, func.count(F.id)).join(Film, F.directorId.eq(D.id)).groupBy(Director).orderBy(D.name);
    expect(String(stmt)).to.equal(
      'SELECT orm_q_directors.id, orm_q_directors.name, count(orm_q_films.id) AS count FROM orm_q_directors ' +
        'JOIN orm_q_films ON orm_q_films.director_id = orm_q_directors.id GROUP BY orm_q_directors.id, orm_q_directors.name ORDER BY orm_q_directors.name',
    );
    const rows = (await db.session.execute(stmt)).all();
    expect(rows.map(([director, n]) => [String(director), n])).to.deep.equal([
      ['Director(2, "Christopher Nolan")', 3],
      ['Director(1, "Ridley Scott")', 2],
      ['Director(4, "Sidney Lumet")', 1],
    ]);
    expect(rows[0]![0]).to.be.instanceOf(Director);
  });

  it('groupBy() takes a model alias or a table the same way', async () => {
    const d = aliased(Director, { name: 'd' });
    expect(String(select(d, func.count()).groupBy(d))).to.match(/GROUP BY d\.id, d\.name$/);
    expect(String(select(func.count()).selectFrom(Director.table).groupBy(Director.table))).to.match(/GROUP BY orm_q_directors\.id, orm_q_directors\.name$/);
  });

  it('the same row is the same object in every query of a session', async () => {
    const first = await db.session.scalar(select(Director).where(D.id.eq(1)));
    const viaJoin = (await db.session.scalars(select(Director).join(Film, F.directorId.eq(D.id)).where(F.title.eq('Alien')))).one();
    const viaGet = await db.session.get(Director, 1);
    expect(viaJoin).to.equal(first);
    expect(viaGet).to.equal(first);
  });

  it('an aliased model loads the same instances as the model', async () => {
    const d = aliased(Director, { name: 'd' });
    const rows = (await db.session.execute(select(d).where(d.c.name.like('%Nolan')))).all();
    const nolan = await db.session.get(Director, 2);
    expect(rows.map((r) => r[0])).to.deep.equal([nolan]);
    expect((rows[0] as unknown as { d: Director }).d).to.equal(nolan);
  });

  it('Result.unique() removes the repeats a join makes', async () => {
    const stmt = select(Director).join(Film, F.directorId.eq(D.id)).orderBy(D.id);
    const result = await db.session.execute(stmt);
    expect(result.scalars().all().map(String)).to.deep.equal([
      'Director(1, "Ridley Scott")',
      'Director(1, "Ridley Scott")',
      'Director(2, "Christopher Nolan")',
      'Director(2, "Christopher Nolan")',
      'Director(2, "Christopher Nolan")',
      'Director(4, "Sidney Lumet")',
    ]);
    expect(result.unique().scalars().all().map(String)).to.deep.equal([
      'Director(1, "Ridley Scott")',
      'Director(2, "Christopher Nolan")',
      'Director(4, "Sidney Lumet")',
    ]);
  });

  it('Result all / first / one / oneOrNone', async () => {
    const many = await db.session.execute(select(Film).orderBy(F.id));
    expect(many.all()).to.have.length(6);
    expect(String(many.first()![0])).to.equal('Film(1, "Alien")');
    expect(() => many.one()).to.throw(MultipleResultsFoundError);
    expect(() => many.oneOrNone()).to.throw(MultipleResultsFoundError);
    const none = await db.session.execute(select(Film).where(F.id.eq(99)));
    expect(none.first()).to.equal(null);
    expect(none.oneOrNone()).to.equal(null);
    expect(() => none.one()).to.throw(NoResultFoundError);
    const one = await db.session.execute(select(Film).where(F.id.eq(3)));
    expect(String(one.one()[0])).to.equal('Film(3, "Memento")');
  });

  it('scalars / scalar / scalarOne / scalarOneOrNone', async () => {
    expect((await db.session.scalars(select(F.title).where(F.directorId.eq(1)).orderBy(F.id))).all()).to.deep.equal(['Alien', 'Gladiator']);
    expect(await db.session.scalar(select(F.title).orderBy(F.id))).to.equal('Alien');
    expect(await db.session.scalar(select(F.title).where(F.id.eq(99)))).to.equal(null);
    expect(String((await db.session.execute(select(Film).where(F.id.eq(2)))).scalarOne())).to.equal('Film(2, "Gladiator")');
    expect((await db.session.execute(select(Film).where(F.id.eq(99)))).scalarOneOrNone()).to.equal(null);
    const several = await db.session.execute(select(Film));
    expect(() => several.scalarOne()).to.throw(MultipleResultsFoundError);
    expect(() => several.scalarOneOrNone()).to.throw(MultipleResultsFoundError);
  });

  it('an outer join yields null for the missing entity', async () => {
    const rows = (await db.session.execute(select(Director, Film).outerJoin(Film, F.directorId.eq(D.id)).where(D.id.eq(3)))).all();
    expect(rows).to.have.length(1);
    expect(String(rows[0]![0])).to.equal('Director(3, "Sergio Leone")');
    expect(rows[0]![1]).to.equal(null);
  });

  it('where(text()) and execute(text()) work in a session', async () => {
    const films = (await db.session.scalars(select(Film).where(text('year < :y')).orderBy(F.id), { y: 1980 })).all();
    expect(films.map(String)).to.deep.equal(['Film(1, "Alien")', 'Film(6, "12 Angry Men")']);
    const rows = (await db.session.execute(text('SELECT title FROM orm_q_films WHERE id = :id'), { id: 4 })).all();
    expect(rows.map((r) => r[0])).to.deep.equal(['Inception']);
  });

  it('Core DML runs in the session transaction; loaded objects keep their values until refreshed', async () => {
    const alien = (await db.session.get(Film, 1))!;
    const result = await db.session.execute(update(Film.table).where(F.id.eq(1)).values({ year: 1980 }));
    expect(result.rowCount).to.equal(1);
    expect(alien.year).to.equal(1979);
    await db.session.refresh(alien);
    expect(alien.year).to.equal(1980);
    await db.session.rollback();
    expect(alien.year).to.equal(1979);
  });
});
