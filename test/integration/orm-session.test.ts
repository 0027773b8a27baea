/**
 * The Session on every dialect: each method, the object states (transient, pending, persistent,
 * deleted, detached), the identity map, autoflush, expireOnCommit, rollback, the failed-flush rule,
 * `begin()`, `sessionmaker` and `await using`, and how unset attributes are written (NULL, client
 * defaults, server defaults, onupdate).
 */
import { expect } from 'chai';
import {
  ArgumentError,
  type Engine,
  IntegrityError,
  InvalidRequestError,
  Session,
  createEngine,
  delete_,
  func,
  objectStatus,
  select,
  sessionmaker,
  update,
} from '../../src/index.js';
import { Author, Book, Membership, Note, TestBase, statementLog } from '../fixtures/orm-models.js';
import { forEachDialect } from '../helpers/dialects.js';

const N = Note.c;

forEachDialect('orm: session', (dialect) => {
  let engine: Engine;

  before(async () => {
    engine = createEngine(dialect.url);
    await engine.dropAll(TestBase.metadata);
    await engine.createAll(TestBase.metadata);
  });

  after(async () => {
    await engine.dropAll(TestBase.metadata);
    await engine.dispose();
  });

  beforeEach(async () => {
    await engine.begin(async (conn) => {
      for (const model of [Book, Author, Membership, Note]) await conn.execute(delete_(model.table));
    });
  });

  /** The titles of the notes in the database, as another connection sees them. */
  async function storedTitles(): Promise<string[]> {
    return engine.connect(async (conn) => (await conn.scalars(select(N.title).orderBy(N.title))).all());
  }

  /** A committed note, loaded into `session`. */
  async function persistedNote(session: Session, title = 'persisted'): Promise<Note> {
    const note = new Note({ title });
    session.add(note);
    await session.commit();
    return note;
  }

  describe('object states', () => {
    it('transient -> pending -> persistent -> deleted -> detached', async () => {
      await using session = new Session(engine);
      const note = new Note({ title: 'states' });
      expect(session.statusOf(note)).to.equal('transient');
      expect(objectStatus(note)).to.equal('transient');
      session.add(note);
      expect(session.statusOf(note)).to.equal('pending');
      expect(session.contains(note)).to.equal(true);
      await session.flush();
      expect(session.statusOf(note)).to.equal('persistent');
      await session.delete(note);
      // marked, not yet flushed
      expect(session.statusOf(note)).to.equal('persistent');
      expect(session.deleted).to.deep.equal([note]);
      await session.flush();
      expect(session.statusOf(note)).to.equal('deleted');
      await session.commit();
      expect(session.statusOf(note)).to.equal('detached');
      expect(session.contains(note)).to.equal(false);
    });

    it('expunge(): persistent -> detached, pending -> transient', async () => {
      await using session = new Session(engine);
      const stored = await persistedNote(session);
      session.expunge(stored);
      expect(session.statusOf(stored)).to.equal('detached');
      const fresh = new Note({ title: 'fresh' });
      session.add(fresh);
      session.expunge(fresh);
      expect(session.statusOf(fresh)).to.equal('transient');
      expect(() => session.expunge(fresh)).to.throw(InvalidRequestError, /not in this session/);
    });

    it('delete() of a pending object just drops it; of a transient one is an error', async () => {
      await using session = new Session(engine);
      const note = new Note({ title: 'dropped' });
      session.add(note);
      await session.delete(note);
      expect(session.statusOf(note)).to.equal('transient');
      const error = await session.delete(new Note({ title: 'never added' })).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidRequestError);
      expect((error as Error).message).to.equal('Note object is not persisted in this session (it is transient)');
      await session.commit();
      expect(await storedTitles()).to.deep.equal([]);
    });

    it('close(): pending objects become transient, the rest detached', async () => {
      const session = new Session(engine);
      const stored = await persistedNote(session);
      const pending = new Note({ title: 'pending' });
      session.add(pending);
      await session.close();
      expect(session.statusOf(stored)).to.equal('detached');
      expect(session.statusOf(pending)).to.equal('transient');
      expect(() => session.add(new Note({ title: 'x' }))).to.throw(InvalidRequestError, 'This session is closed; create a new one');
      // a closed session's objects keep their values
      expect(stored.title).to.equal('persisted');
    });

    it('close() with a transaction open rolls it back: objects it inserted become transient', async () => {
      const session = new Session(engine);
      const kept = await persistedNote(session, 'kept');
      const flushed = new Note({ title: 'flushed, never committed' });
      session.add(flushed);
      await session.flush();
      expect(session.statusOf(flushed)).to.equal('persistent');
      await session.close();
      expect(session.statusOf(flushed)).to.equal('transient');
      expect(session.statusOf(kept)).to.equal('detached');
      expect(await storedTitles()).to.deep.equal(['kept']);
    });

    it('add() of a detached object attaches it again; its changes are flushed', async () => {
      const first = new Session(engine);
      const note = await persistedNote(first);
      await first.close();
      note.title = 'changed while detached';
      await using second = new Session(engine);
      second.add(note);
      expect(second.statusOf(note)).to.equal('persistent');
      await second.commit();
      expect(await storedTitles()).to.deep.equal(['changed while detached']);
    });

    it('add() of an object owned by another session is an error', async () => {
      await using one = new Session(engine);
      await using two = new Session(engine);
      const note = new Note({ title: 'owned' });
      one.add(note);
      expect(() => two.add(note)).to.throw(InvalidRequestError, 'Note object is already attached to another session; expunge it there first');
    });

    it('a non-model argument is an ArgumentError', async () => {
      await using session = new Session(engine);
      expect(() => session.add({} as object)).to.throw(ArgumentError, 'expected a model instance, got Object');
    });
  });

  describe('new, dirty, deleted', () => {
    it('track pending, changed and deleted objects until flush', async () => {
      await using session = new Session(engine);
      const [a, b] = [new Note({ title: 'a' }), new Note({ title: 'b' })];
      session.addAll([a, b]);
      expect(session.new).to.deep.equal([a, b]);
      await session.flush();
      expect(session.new).to.deep.equal([]);
      a.title = 'a2';
      expect(session.dirty).to.deep.equal([a]);
      // set back to the loaded value: no longer dirty
      a.title = 'a';
      expect(session.dirty).to.deep.equal([]);
      await session.delete(b);
      expect(session.deleted).to.deep.equal([b]);
      await session.flush();
      expect([session.new, session.dirty, session.deleted]).to.deep.equal([[], [], []]);
    });
  });

  describe('get() and the identity map', () => {
    it('get() twice returns the identical object; the second get() issues no SQL', async () => {
      const log = statementLog(dialect.url);
      try {
        await using session = new Session(log.engine);
        const id = (await persistedNote(session, 'identity')).id;
        session.expireAll();
        const first = await session.get(Note, id);
        log.clear();
        const second = await session.get(Note, id);
        expect(second).to.equal(first);
        expect(log.lines()).to.deep.equal([]);
      } finally {
        await log.engine.dispose();
      }
    });

    it('a query returning a loaded row returns the identical object', async () => {
      await using session = new Session(engine);
      const note = await persistedNote(session, 'queried');
      const viaQuery = await session.scalar(select(Note).where(N.title.eq('queried')));
      const viaGet = await session.get(Note, note.id);
      const viaLegacy = await session.query(Note).filterBy({ title: 'queried' }).one();
      expect(viaQuery).to.equal(note);
      expect(viaGet).to.equal(note);
      expect(viaLegacy).to.equal(note);
    });

    it('a query does not overwrite unflushed changes of a loaded object', async () => {
      await using session = new Session(engine, { autoflush: false });
      const note = await persistedNote(session, 'original');
      note.title = 'edited';
      const again = await session.scalar(select(Note).where(N.id.eq(note.id)));
      expect(again).to.equal(note);
      expect(note.title).to.equal('edited');
    });

    it('get() with a composite key: an array in key order or a record', async () => {
      await using session = new Session(engine);
      session.add(new Membership({ groupId: 1, userName: 'ann', role: 'admin' }));
      await session.commit();
      const byArray = await session.get(Membership, [1, 'ann']);
      const byRecord = await session.get(Membership, { userName: 'ann', groupId: 1 });
      expect(byArray).to.equal(byRecord);
      expect(byArray!.role).to.equal('admin');
      expect(await session.get(Membership, [2, 'ann'])).to.equal(null);
      await expect_(session.get(Membership, 1)).to.throw(ArgumentError, /composite primary key \(groupId, userName\)/);
      await expect_(session.get(Membership, [1])).to.throw(ArgumentError, 'Membership has a 2-column primary key, got 1 values');
      await expect_(session.get(Membership, { groupId: 1 })).to.throw(ArgumentError, 'primary key of Membership needs "userName"');
    });

    it('get() of a missing row returns null', async () => {
      await using session = new Session(engine);
      expect(await session.get(Note, 999_999)).to.equal(null);
    });
  });

  describe('autoflush', () => {
    it('pending objects are flushed before a query', async () => {
      await using session = new Session(engine);
      session.add(new Note({ title: 'autoflushed' }));
      expect(await session.scalar(select(func.count()).selectFrom(Note).where(N.title.eq('autoflushed')))).to.equal(1);
      expect(session.new).to.deep.equal([]);
    });

    it('autoflush: false leaves them pending until flush()', async () => {
      await using session = new Session(engine, { autoflush: false });
      const note = new Note({ title: 'not yet' });
      session.add(note);
      expect(await session.scalar(select(func.count()).selectFrom(Note))).to.equal(0);
      expect(await session.query(Note).count()).to.equal(0);
      expect(session.statusOf(note)).to.equal('pending');
      await session.flush();
      expect(await session.scalar(select(func.count()).selectFrom(Note))).to.equal(1);
    });
  });

  describe('commit, expireOnCommit, refresh, expire', () => {
    it('commit() writes, ends the transaction and returns the connection', async () => {
      await using session = new Session(engine);
      session.add(new Note({ title: 'committed' }));
      await session.flush();
      expect(session.inTransaction()).to.equal(true);
      expect(await storedTitles()).to.deep.equal([]);
      await session.commit();
      expect(session.inTransaction()).to.equal(false);
      expect(await storedTitles()).to.deep.equal(['committed']);
    });

    it('expireOnCommit (default): after commit objects show the database as committed', async () => {
      await using session = new Session(engine);
      const note = await persistedNote(session, 'mine');
      // Another connection changes the row; the session's next commit reloads it.
      await engine.begin((conn) => conn.execute(update(Note.table).where(N.id.eq(note.id)).values({ body: 'from elsewhere' })));
      expect(note.body).to.equal(null);
      session.add(new Note({ title: 'other' }));
      await session.commit();
      expect(note.body).to.equal('from elsewhere');
    });

    it('expireOnCommit: false keeps the values as they were', async () => {
      await using session = new Session(engine, { expireOnCommit: false });
      const note = await persistedNote(session, 'mine');
      await engine.begin((conn) => conn.execute(update(Note.table).where(N.id.eq(note.id)).values({ body: 'from elsewhere' })));
      session.add(new Note({ title: 'other' }));
      await session.commit();
      expect(note.body).to.equal(null);
      await session.refresh(note);
      expect(note.body).to.equal('from elsewhere');
    });

    it('server-generated values are loaded at flush (RETURNING) or on commit', async () => {
      await using session = new Session(engine);
      const note = new Note({ title: 'generated' });
      session.add(note);
      await session.commit();
      expect(note.status).to.equal('new');
    });

    it('refresh() reloads an object and discards its unflushed changes', async () => {
      await using session = new Session(engine);
      const note = await persistedNote(session, 'refreshed');
      note.title = 'unflushed';
      await session.refresh(note);
      expect(note.title).to.equal('refreshed');
      expect(session.dirty).to.deep.equal([]);
      await expect_(session.refresh(new Note({ title: 'x' }))).to.throw(InvalidRequestError, 'Note object is not persistent in this session; cannot refresh it');
    });

    it('expire(): reading an expired attribute is an error until refresh() or a query reloads it', async () => {
      await using session = new Session(engine);
      const note = await persistedNote(session, 'expiring');
      session.expire(note, ['title']);
      expect(() => note.title).to.throw(InvalidRequestError, /Note\.title was expired.*await session\.refresh\(obj\) first/);
      expect(note.stars).to.equal(0);
      await session.scalar(select(Note).where(N.id.eq(note.id)));
      expect(note.title).to.equal('expiring');
      session.expire(note);
      expect(() => note.stars).to.throw(InvalidRequestError);
      await session.refresh(note);
      expect(note.stars).to.equal(0);
      expect(() => session.expire(note, ['nope'])).to.throw(ArgumentError, 'Note has no column attribute "nope"');
    });

    it('expire() then refresh() of a freshly loaded object reloads it (the primary key was expired with it, and the object silently detached)', async () => {
      const setup = new Session(engine);
      const id = (await persistedNote(setup, 'fresh')).id;
      await setup.close();
      await using session = new Session(engine);
      const note = (await session.get(Note, id))!;
      session.expire(note);
      // the identity stays readable
      expect(note.id).to.equal(id);
      await session.refresh(note);
      expect(session.statusOf(note)).to.equal('persistent');
      expect(note.title).to.equal('fresh');
    });

    it('expireAll() expires every object; get() then loads again', async () => {
      await using session = new Session(engine);
      const note = await persistedNote(session, 'all');
      session.expireAll();
      expect(() => note.title).to.throw(InvalidRequestError);
      expect(await session.get(Note, note.id)).to.equal(note);
      expect(note.title).to.equal('all');
    });
  });

  describe('rollback (seed 001 semantics)', () => {
    for (const expireOnCommit of [true, false]) {
      it(`pending objects are discarded, flushed and unflushed changes reverted (expireOnCommit: ${expireOnCommit})`, async () => {
        await using session = new Session(engine, { expireOnCommit });
        const kept = await persistedNote(session, 'ed');
        const other = await persistedNote(session, 'wendy');
        kept.title = 'Edwardo';
        const fake = new Note({ title: 'fakeuser' });
        session.add(fake);
        // flushed by the query (autoflush), then rolled back
        expect((await session.scalars(select(N.title).orderBy(N.title))).all()).to.deep.equal(['Edwardo', 'fakeuser', 'wendy']);
        other.title = 'unflushed';
        await session.rollback();
        expect(kept.title).to.equal('ed');
        expect(other.title).to.equal('wendy');
        expect(session.contains(fake)).to.equal(false);
        expect(session.statusOf(fake)).to.equal('transient');
        expect(session.dirty).to.deep.equal([]);
        expect(await storedTitles()).to.deep.equal(['ed', 'wendy']);
      });
    }

    it('objects deleted in the transaction come back as persistent', async () => {
      await using session = new Session(engine);
      const note = await persistedNote(session, 'survivor');
      await session.delete(note);
      await session.flush();
      expect(session.statusOf(note)).to.equal('deleted');
      await session.rollback();
      expect(session.statusOf(note)).to.equal('persistent');
      expect(await session.get(Note, note.id)).to.equal(note);
    });
  });

  describe('a failed flush', () => {
    it('refuses further work with a clear error until rollback()', async () => {
      await using session = new Session(engine);
      session.add(new Author({ id: 1, name: 'first' }));
      await session.commit();
      const dup = new Author({ id: 1, name: 'duplicate' });
      session.add(dup);
      const error = await session.flush().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(IntegrityError);
      for (const attempt of [
        () => session.flush(),
        () => session.commit(),
        () => session.execute(select(Author)),
        () => session.get(Author, 1),
      ]) {
        const refused = await attempt().catch((e: unknown) => e);
        expect(refused).to.be.instanceOf(InvalidRequestError);
        expect((refused as Error).message).to.contain("This session's transaction has been rolled back due to a previous exception during flush; call session.rollback() before going on. Original error: ");
      }
      expect(() => session.query(Author)).to.throw(InvalidRequestError);
      await session.rollback();
      expect(session.statusOf(dup)).to.equal('transient');
      expect((await session.get(Author, 1))!.name).to.equal('first');
    });

    it('NOT NULL columns left unset are written as NULL and fail as IntegrityError', async () => {
      await using session = new Session(engine);
      // @ts-expect-error the types require title; a JavaScript caller can still leave it out
      session.add(new Note({ body: 'no title' }));
      expect(await session.flush().catch((e: unknown) => e)).to.be.instanceOf(IntegrityError);
      await session.rollback();
    });
  });

  describe('begin(), sessionmaker, await using', () => {
    it('session.begin(work) commits when work resolves', async () => {
      await using session = new Session(engine);
      const value = await session.begin(async (s) => {
        s.add(new Note({ title: 'in begin' }));
        return 42;
      });
      expect(value).to.equal(42);
      expect(await storedTitles()).to.deep.equal(['in begin']);
    });

    it('session.begin(work) rolls back and rethrows when work throws', async () => {
      await using session = new Session(engine);
      const note = new Note({ title: 'rolled back' });
      const error = await session
        .begin(async (s) => {
          s.add(note);
          await s.flush();
          throw new Error('boom');
        })
        .catch((e: unknown) => e);
      expect((error as Error).message).to.equal('boom');
      expect(session.statusOf(note)).to.equal('transient');
      expect(await storedTitles()).to.deep.equal([]);
    });

    it('sessionmaker(engine, options) makes configured sessions; run() always closes', async () => {
      const Factory = sessionmaker(engine, { autoflush: false, expireOnCommit: false });
      const made = Factory();
      expect([made.autoflush, made.expireOnCommit]).to.deep.equal([false, false]);
      await made.close();
      let inside: Session | null = null;
      const note = new Note({ title: 'run' });
      const error = await Factory.run(async (s) => {
        inside = s;
        s.add(note);
        throw new Error('inside run');
      }).catch((e: unknown) => e);
      expect((error as Error).message).to.equal('inside run');
      expect(() => inside!.add(new Note({ title: 'late' }))).to.throw(InvalidRequestError, 'This session is closed');
      expect(objectStatus(note)).to.equal('transient');
    });

    it('sessionmaker(...).begin(work): commit on success, rollback on error, close always', async () => {
      const Factory = sessionmaker(engine);
      const note = new Note({ title: 'factory begin' });
      await Factory.begin(async (s) => {
        s.add(note);
      });
      expect(objectStatus(note)).to.equal('detached');
      expect(note.id).to.be.a('number');
      await Factory.begin(async (s) => {
        s.add(new Note({ title: 'never' }));
        throw new Error('no');
      }).catch(() => undefined);
      expect(await storedTitles()).to.deep.equal(['factory begin']);
    });

    it('await using closes the session at the end of the block', async () => {
      const note = new Note({ title: 'scoped' });
      let scoped: Session;
      {
        await using session = new Session(engine);
        scoped = session;
        session.add(note);
        await session.commit();
        expect(session.statusOf(note)).to.equal('persistent');
      }
      expect(objectStatus(note)).to.equal('detached');
      expect(() => scoped.add(new Note({ title: 'x' }))).to.throw(InvalidRequestError, 'This session is closed');
    });

    it('inTransaction() follows autobegin, commit and rollback', async () => {
      await using session = new Session(engine);
      expect(session.inTransaction()).to.equal(false);
      await session.execute(select(Note));
      expect(session.inTransaction()).to.equal(true);
      await session.rollback();
      expect(session.inTransaction()).to.equal(false);
    });
  });

  describe('merge()', () => {
    it('copies a detached object onto the session object for its row', async () => {
      const first = new Session(engine);
      const original = await persistedNote(first, 'merge me');
      await first.close();
      original.title = 'merged';
      await using second = new Session(engine);
      const loaded = await second.get(Note, original.id);
      const merged = await second.merge(original);
      expect(merged).to.equal(loaded);
      expect(merged).not.to.equal(original);
      expect(merged.title).to.equal('merged');
      expect(second.dirty).to.deep.equal([merged]);
      await second.commit();
      expect(await storedTitles()).to.deep.equal(['merged']);
    });

    it('a row not in the database becomes a new pending object', async () => {
      await using session = new Session(engine);
      const merged = await session.merge(new Author({ id: 7, name: 'new' }));
      expect(session.statusOf(merged)).to.equal('pending');
      await session.commit();
      expect((await session.get(Author, 7))!.name).to.equal('new');
    });
  });

  describe('unset attributes and defaults', () => {
    it('unset nullable columns are NULL; client defaults (value and function) and server defaults are applied', async () => {
      await using session = new Session(engine);
      const note = new Note({ title: 'defaults' });
      expect([note.body, note.stars, note.slug, note.status]).to.deep.equal([null, null, null, null]);
      session.add(note);
      await session.flush();
      expect(note.body).to.equal(null);
      expect(note.stars).to.equal(0);
      expect(note.slug).to.match(/^slug-\d+$/);
      await session.commit();
      expect(note.status).to.equal('new');
      const row = await engine.connect(async (conn) => (await conn.execute(select(Note.table).where(N.id.eq(note.id)))).one());
      expect([row.body, row.stars, row.slug, row.status]).to.deep.equal([null, 0, note.slug, 'new']);
    });

    it('a function default is called once per object', async () => {
      await using session = new Session(engine);
      const notes = [new Note({ title: 'one' }), new Note({ title: 'two' })];
      session.addAll(notes);
      await session.flush();
      expect(notes[0]!.slug).not.to.equal(notes[1]!.slug);
    });

    it('explicit values (null included) win over defaults', async () => {
      await using session = new Session(engine);
      const note = new Note({ title: 'explicit', stars: 5, slug: 'mine', status: 'draft', body: null });
      session.add(note);
      await session.commit();
      expect([note.stars, note.slug, note.status, note.body]).to.deep.equal([5, 'mine', 'draft', null]);
    });

    it('onupdate is applied when a row is updated, unless the attribute was set', async () => {
      await using session = new Session(engine);
      const note = await persistedNote(session, 'onupdate');
      expect(note.editedBy).to.equal(null);
      note.title = 'edited';
      await session.commit();
      expect(note.editedBy).to.equal('system');
      note.title = 'edited again';
      note.editedBy = 'ann';
      await session.commit();
      expect(note.editedBy).to.equal('ann');
    });

    it('a foreign key column is written as given', async () => {
      await using session = new Session(engine);
      session.add(new Author({ id: 3, name: 'Le Guin' }));
      const book = new Book({ authorId: 3, title: 'The Dispossessed' });
      session.add(book);
      await session.commit();
      expect(book.id).to.be.a('number');
      expect((await session.get(Book, book.id))!.authorId).to.equal(3);
    });
  });
});

/** `await expect_(promise).to.throw(...)`: chai's throw assertions for a rejected promise. */
function expect_(promise: Promise<unknown>) {
  return {
    to: {
      async throw(type: new (...args: never[]) => Error, message?: string | RegExp): Promise<void> {
        const error = await promise.then(
          () => null,
          (e: unknown) => e,
        );
        expect(() => {
          if (error !== null) throw error;
        }).to.throw(type, message as string);
      },
    },
  };
}
