/**
 * `sessionmaker(engine, options)`: a configured Session factory, with the scoped forms that always
 * close: `Session.run`-style callbacks, and `begin` for `with Session() as s, s.begin():`.
 */
import type { Engine } from '../../engine/engine.js';
import { Session, type SessionOptions } from './session.js';

/** What `sessionmaker()` returns: call it for a new Session, or let `run`/`begin` manage one. */
export interface SessionFactory {
  /** A new session; close it yourself (`await using session = SessionLocal()` does). */
  (): Session;
  /** Runs `work` with a new session and closes it afterwards, whatever happens. */
  run<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /** Runs `work` in a new session's transaction: commit on success, rollback on error, close always. */
  begin<T>(work: (session: Session) => Promise<T>): Promise<T>;
}

/**
 * A factory of sessions that share an engine and options, as SQLAlchemy's `sessionmaker`.
 *
 * @example
 * const SessionLocal = sessionmaker(engine, { expireOnCommit: false });
 * await SessionLocal.begin(async (session) => { session.add(new Movie({ title: 'Alien' })); });
 */
export function sessionmaker(engine: Engine, options: SessionOptions = {}): SessionFactory {
  const factory = (() => new Session(engine, options)) as SessionFactory;
  factory.run = async (work) => {
    const session = factory();
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  };
  factory.begin = (work) => factory.run((session) => session.begin(work));
  return factory;
}
