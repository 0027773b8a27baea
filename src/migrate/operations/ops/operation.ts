/**
 * The base of migration operations. An operation is data: what to change, plus the hints needed to undo
 * it. The same object is invoked (operations/invoke.ts turns it into DDL and runs it), produced by
 * autogenerate, and rendered back to TypeScript source, so its fields stay plain and complete.
 */
import { InvalidRequestError } from '../../../errors.js';

/**
 * The base of the migration operations (`AddColumnOp`, `CreateIndexOp`, ...): plain data that
 * `op.invoke()` carries out, autogenerate produces and renders as `op.*` calls, and `reverse()` undoes.
 */
export abstract class MigrateOperation {
  /** The class name, as element kinds are (`'AddColumnOp'`). */
  abstract readonly kind: string;

  /** The operation that undoes this one; throws when the operation lacks what undoing it needs. */
  abstract reverse(): MigrateOperation;
}

/** The error for an operation that cannot be reversed, saying what it would need. */
export function notReversible(kind: string, why: string): never {
  throw new InvalidRequestError(`${kind} cannot be reversed: ${why}`);
}
