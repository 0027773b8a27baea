/**
 * Errors of relationship loading. JavaScript cannot wait inside a property read, so a relationship
 * that was never loaded cannot load itself on access the way SQLAlchemy's lazy loader does; reading it
 * raises {@link NotLoadedError}, whose message says how to load it.
 */
import { InvalidRequestError } from '../../errors.js';

/**
 * A relationship attribute was read before it was loaded (or its loader forbids loading it: `lazy:
 * 'raise'`). Load it with `await session.load(obj, 'key')` or eagerly with a loader option.
 */
export class NotLoadedError extends InvalidRequestError {
  override readonly name: string = 'NotLoadedError';
}
