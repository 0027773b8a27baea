/**
 * The hidden classes of what a load builds outlive the load (see src/util/keep-shape.ts): V8 drops a
 * class's map when no instance of it is alive at a full garbage collection, and with it the optimized
 * code compiled against it, so each short-lived kind keeps one instance. These tests check, on each
 * dialect, that the objects of real selectin and joined loads share the map of a kept instance: building
 * one of them another way (fields in another order, a float where a reference was) fails here.
 */
import { setFlagsFromString } from 'node:v8';
import { expect } from 'chai';
import { type Engine, type InstrumentedList, Session, createEngine, insert, joinedload, select, selectinload } from '../../src/index.js';
import { CompileState } from '../../src/dialects/base/compile-state.js';
import type { InExpression } from '../../src/sql/elements/column-element.js';
import type { BindParameter } from '../../src/sql/elements/column-element.js';
import { mapperOf } from '../../src/orm/mapper.js';
import { slotOf } from '../../src/orm/relationships/attributes.js';
import { JoinBuilder } from '../../src/orm/relationships/loaders/joined.js';
import { ParentGroups } from '../../src/orm/relationships/loaders/selectin.js';
import type { Relationship } from '../../src/orm/relationships/relationship.js';
import { stateOf } from '../../src/orm/session/instance-state.js';
import { keptShapes } from '../../src/util/keep-shape.js';
import { type MovieModels, defineMovieModels, importFilms, resetMovieTables } from '../fixtures/relationships-movies.js';
import { forEachDialect } from '../helpers/dialects.js';

setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** Fails unless some kept instance has the hidden class of `obj`. */
function expectKept(what: string, obj: object): void {
  expect(
    keptShapes().some((kept) => haveSameMap(kept, obj)),
    `${what} has a hidden class no kept instance holds`,
  ).to.equal(true);
}

/** The array behind a collection's proxy (its own symbol property that points to itself). */
function rawList(list: InstrumentedList<object>): object {
  const symbols = Object.getOwnPropertySymbols(list);
  const raw = symbols.map((s) => (list as unknown as Record<symbol, unknown>)[s]).find((value) => Array.isArray(value));
  expect(raw, 'the collection has its array behind the proxy').to.not.equal(undefined);
  return raw as object;
}

forEachDialect('hidden classes kept for loaded objects', (dialect) => {
  let engine: Engine;
  let models: MovieModels;

  before(async () => {
    engine = createEngine(dialect.url);
    models = defineMovieModels();
    await resetMovieTables(engine, models);
    await importFilms(engine, models);
    await engine.begin((conn) => conn.execute(insert(models.Director.table), [{ id: 1000, name: 'No films yet' }]));
  });
  after(async () => {
    await engine.dropAll(models.Base.metadata);
    await engine.dispose();
  });

  for (const [name, option] of [
    ['selectin', () => selectinload(models.Director.movies).selectinload(models.Movie.genres)],
    ['joined', () => joinedload(models.Director.movies).joinedload(models.Movie.genres)],
  ] as const) {
    it(`${name}: instances, states, slots, lists, the session and its identity map`, async () => {
      await using session = new Session(engine);
      const directors = (await session.scalars(select(models.Director).options(option()))).all();
      const director = directors.find((d) => d.movies.length > 1)!;
      const movie = director.movies[0]!;
      const genre = movie.genres[0]!;
      for (const [what, obj] of [
        ['a director', director],
        ['a movie', movie],
        ['a genre', genre],
      ] as const) {
        expectKept(what, obj);
        expectKept(`the state of ${what}`, stateOf(obj)!);
      }
      expectKept('a collection slot', slotOf(stateOf(director)!, 'movies')!);
      expectKept('a many-to-many slot', slotOf(stateOf(movie)!, 'genres')!);
      expectKept('a loaded collection', rawList(director.movies));
      expectKept('a loaded many-to-many collection', rawList(movie.genres));
      expectKept('the session', session);
      expectKept('the identity map', session.identityMap);
      expectKept('its objects of one table', session.identityMap.tableObjects(mapperOf(models.Movie).tableNumber));
    });
  }

  it('collections of new objects, empty and grown', async () => {
    const director = new models.Director({ name: 'Nobody' });
    expectKept('an empty collection', rawList(director.movies));
    director.movies.push(new models.Movie({ title: 'Untitled', releaseDate: '2000-01-01', duration: 90, rating: 5.5 }));
    expectKept('a collection grown by push()', rawList(director.movies));
  });

  for (const [name, option] of [
    ['selectin', () => selectinload(models.Director.movies)],
    ['joined', () => joinedload(models.Director.movies)],
  ] as const) {
    it(`${name}: a loaded collection with nothing in it, then grown`, async () => {
      await using session = new Session(engine);
      const director = await session.scalar(select(models.Director).where(models.Director.c.id.eq(1000)).options(option()));
      expectKept('an empty loaded collection', rawList(director!.movies));
      director!.movies.push(new models.Movie({ title: 'First', releaseDate: '2000-01-01', duration: 90, rating: 5.5 }));
      expectKept('an empty loaded collection grown by push()', rawList(director!.movies));
    });
  }

  it("a loader's parent groups and join builder, a compilation's state, bound values", async () => {
    await using session = new Session(engine);
    const directors = (await session.scalars(select(models.Director))).all();
    const config = (mapperOf(models.Director).relationships.get('movies') as Relationship).config;
    const groups = new ParentGroups(config, directors.map((d) => stateOf(d)!));
    expectKept('parent groups', groups);
    expectKept('a join builder', new JoinBuilder(select(models.Director), [], []));
    const state = new CompileState(true);
    state.nextName('anon');
    expectKept('a compile state', state);
    const inList = groups.criteria(groups.keys) as InExpression;
    expectKept('an IN list bound as one value', inList.values as BindParameter);
    expectKept('a bound integer', (models.Director.c.id.eq(7) as unknown as { right: BindParameter }).right);
    expectKept('a bound float', (models.Movie.c.rating.gt(7.5) as unknown as { right: BindParameter }).right);
  });
});
