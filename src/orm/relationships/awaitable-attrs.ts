/**
 * `obj.awaitableAttrs.movies`: SQLAlchemy's `AsyncAttrs`. A getter cannot wait, so lazy loading stays
 * explicit; this is the one-expression form of it: each attribute read returns a promise of the value,
 * loading a relationship (or refreshing an expired column) through the object's session first.
 */
import { InvalidRequestError } from '../../errors.js';
import { stateOf } from '../session/instance-state.js';
import type { Session } from '../session/session.js';
import { NotLoadedError } from './errors.js';

/** Every data attribute of `T` as a promise of its loaded value. */
export type AwaitableAttrs<T> = {
  readonly [K in keyof T as K extends 'awaitableAttrs' ? never : T[K] extends (...args: any[]) => unknown ? never : K]: Promise<T[K]>;
};

async function loadAttribute(obj: object, key: string): Promise<unknown> {
  const state = stateOf(obj)!;
  const session = state.owner as Session | null;
  if (state.mapper.columnKeys.has(key)) {
    if (state.expired?.has(key) && session !== null) await session.refresh(obj);
    return (obj as Record<string, unknown>)[key];
  }
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (error) {
    if (!(error instanceof NotLoadedError)) throw error;
    if (session === null) {
      throw new InvalidRequestError(`${state.mapper.name}.${key} cannot be loaded: the object is not in a session (it is ${state.status})`);
    }
    return session.load(obj as Record<string, unknown>, key);
  }
}

/** @internal the value of `obj.awaitableAttrs`. */
export function awaitableAttrs<T extends object>(obj: T): AwaitableAttrs<T> {
  return new Proxy({} as AwaitableAttrs<T>, {
    get: (_target, key) => (typeof key === 'string' ? loadAttribute(obj, key) : undefined),
  });
}
